// What an executed notebook holds: counts of cells and outputs, rich outputs by mime type, and
// the cells that failed with their error text. Pure: reads the notebook's JSON, nothing else.

/** The parts of the nbformat 4 schema that pitchstream reads. */
export interface NotebookOutput {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error' | 'update_display_data';
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: { tags?: string[]; pitchstream?: { failed?: boolean } } & Record<string, unknown>;
  outputs?: NotebookOutput[];
}

export interface NotebookDocument {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
}

export interface CellFailure {
  /** Index of the cell in the notebook, from 0. */
  cellIndex: number;
  /** The first lines of the cell's source. */
  sourceHead: string;
  /** ename: evalue and traceback of error outputs, else what the cell wrote to stderr. */
  errorText: string;
}

export interface NotebookSummary {
  cells: number;
  codeCells: number;
  /** Code cells not run because an earlier cell failed. */
  skippedCells: number;
  outputs: number;
  /** display_data outputs, counted per mime type they carry (text/html, image/png, …). */
  displayOutputs: Record<string, number>;
  /** Outputs of type error (the kernel's exceptions). */
  errorOutputs: number;
  /** Cells that failed: with an error output, or marked by the run as the one it stopped at. */
  failures: CellFailure[];
}

const SOURCE_HEAD_LINES = 5;
// The tag nbconvert_config.py puts on cells it skips after a failure.
const SKIP_TAG = 'pitchstream-skipped';

/** Joins nbformat's multiline strings (a string or an array of lines). */
export function joinText(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join('') : (text ?? '');
}

/** The first lines of a cell's source, for error messages. */
export function sourceHead(cell: NotebookCell, lines = SOURCE_HEAD_LINES): string {
  const all = joinText(cell.source).split('\n');
  const head = all.slice(0, lines).join('\n');
  return all.length > lines ? `${head}\n…` : head;
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function errorText(outputs: NotebookOutput[]): string {
  const errors = outputs.filter((o) => o.output_type === 'error');
  if (errors.length > 0)
    return errors
      .map((e) => stripAnsi([`${e.ename ?? 'Error'}: ${e.evalue ?? ''}`, ...(e.traceback ?? [])].join('\n')))
      .join('\n');
  return outputs
    .filter((o) => o.output_type === 'stream' && o.name === 'stderr')
    .map((o) => joinText(o.text))
    .join('')
    .trim();
}

export function summarizeNotebook(notebook: NotebookDocument): NotebookSummary {
  const summary: NotebookSummary = {
    cells: notebook.cells.length,
    codeCells: 0,
    skippedCells: 0,
    outputs: 0,
    displayOutputs: {},
    errorOutputs: 0,
    failures: [],
  };
  notebook.cells.forEach((cell, cellIndex) => {
    if (cell.cell_type !== 'code') return;
    summary.codeCells += 1;
    if (cell.metadata.tags?.includes(SKIP_TAG)) summary.skippedCells += 1;
    const outputs = cell.outputs ?? [];
    summary.outputs += outputs.length;
    for (const output of outputs) {
      if (output.output_type === 'error') summary.errorOutputs += 1;
      if (output.output_type !== 'display_data') continue;
      for (const mime of Object.keys(output.data ?? {}))
        summary.displayOutputs[mime] = (summary.displayOutputs[mime] ?? 0) + 1;
    }
    const failed = cell.metadata.pitchstream?.failed === true || outputs.some((o) => o.output_type === 'error');
    if (failed) summary.failures.push({ cellIndex, sourceHead: sourceHead(cell), errorText: errorText(outputs) });
  });
  return summary;
}
