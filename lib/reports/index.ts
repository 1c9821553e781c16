export { notebookTitle, reportIndexHtml, runNotebookReport, type NotebookReport, type NotebookReportOptions, type NotebookRun } from './notebook-report';
