// Notebooks headless (nbconvert on the tslab kernel), HTML reports, and Jupyter Lab as a service.
export { executeNotebook, type ExecuteNotebookOptions, type ExecutedNotebook } from './execute-notebook';
export { notebookToHtml } from './notebook-to-html';
export { startLab, stopLab, labStatus, isLabHealthy, LAB_SERVICE, type StartLabOptions, type RunningLab, type LabStatus } from './lab';
export { summarizeNotebook, type NotebookSummary, type CellFailure, type NotebookDocument } from './notebook-summary';
export { htmlTable, escapeHtml } from './html-table';
