export { notebookTitle, reportIndexHtml, reportScreenshots, runNotebookReport, SCREENSHOTS_DIR, type NotebookReport, type NotebookReportOptions, type NotebookRun } from './notebook-report';
