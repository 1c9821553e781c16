// The nbconvert command lines pitchstream runs, built as plain data (no process is started here).
import path from 'node:path';

/** The kernel every pitchstream notebook runs on (registered in the venv by the set-up). */
export const NOTEBOOK_KERNEL = 'tslab';

export interface ExecuteCommandOptions {
  notebookPath: string;
  outputPath: string;
  /** nbconvert configuration file that marks the failing cell and skips the rest. */
  configFile: string;
  cellTimeoutMs: number;
  startupTimeoutMs: number;
}

/** Arguments of `jupyter nbconvert --execute` writing the executed copy to outputPath. */
export function executeArgs(options: ExecuteCommandOptions): string[] {
  const output = path.parse(options.outputPath);
  return [
    'nbconvert',
    '--config',
    options.configFile,
    '--to',
    'notebook',
    '--execute',
    // Keeps nbconvert writing the executed copy when a cell fails; the configuration file stops
    // the run at that cell (tslab's failures carry no error output, see nbconvert_config.py).
    '--allow-errors',
    `--ExecutePreprocessor.kernel_name=${NOTEBOOK_KERNEL}`,
    `--ExecutePreprocessor.timeout=${toSeconds(options.cellTimeoutMs)}`,
    `--ExecutePreprocessor.startup_timeout=${toSeconds(options.startupTimeoutMs)}`,
    '--output-dir',
    output.dir,
    '--output',
    output.name,
    options.notebookPath,
  ];
}

/** Arguments of `jupyter nbconvert --to html` writing htmlPath. */
export function htmlArgs(notebookPath: string, htmlPath: string): string[] {
  const output = path.parse(htmlPath);
  return ['nbconvert', '--to', 'html', '--output-dir', output.dir, '--output', output.name, notebookPath];
}

function toSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
