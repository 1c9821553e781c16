// Runs a notebook headless with nbconvert on the tslab kernel, writes the executed copy and
// summarizes it; a failing cell becomes NOTEBOOK_FAILED naming the cell, its error and the copy.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { installPaths, loadConfig, requireInstalled, versions, type Config } from '../config';
import { PitchstreamError } from '../errors';
import { jupyterInstall } from './environment';
import { executeArgs, NOTEBOOK_KERNEL } from './nbconvert-command';
import { summarizeNotebook, type NotebookDocument, type NotebookSummary } from './notebook-summary';

export interface ExecuteNotebookOptions {
  /** Where the executed copy goes (.ipynb); default reports/<notebook name>.ipynb. */
  outputPath?: string;
  /** Limit for the whole run, kernel start included; default 10 minutes. */
  timeoutMs?: number;
  /** Limit for one cell; default 2 minutes. */
  cellTimeoutMs?: number;
  /** Extra environment variables: the notebook's parameters cell reads them from process.env. */
  env?: Record<string, string>;
  /** Aborting it stops the run as Ctrl-C would (nbconvert shuts its kernel down) and rejects with NOTEBOOK_INTERRUPTED. */
  signal?: AbortSignal;
}

export interface ExecutedNotebook {
  notebookPath: string;
  outputPath: string;
  durationMs: number;
  summary: NotebookSummary;
  /** Signed, so Jupyter Lab (`npm run lab`) renders its charts when the copy is reopened. */
  trusted: boolean;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_CELL_TIMEOUT_MS = 2 * 60_000;
const KERNEL_STARTUP_TIMEOUT_MS = 60_000;
// On SIGINT nbconvert shuts its kernel down before exiting (on SIGTERM it dies at once and the
// kernel, which runs in its own session, lives on); SIGKILL only if that takes longer than this.
const STOP_SIGNAL = 'SIGINT';
const KILL_GRACE_MS = 10_000;
const CONFIG_FILE = path.join('lib', 'jupyter', 'nbconvert_config.py');

function checkPositive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new TypeError(`executeNotebook: option ${name} must be a positive whole number of ms, received ${String(value)}`);
  return value;
}

function checkExtension(name: string, file: string, extension: string): string {
  if (path.extname(file) !== extension)
    throw new TypeError(`executeNotebook: ${name} must end with ${extension}, received ${file}`);
  return path.resolve(file);
}

/** The Python exception nbconvert ended with (from its "SomeError:" line on), else its last lines. */
export function nbconvertError(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const start = lines.findLastIndex((l) => /^[\w.]+(Error|Exception|Interrupt): /.test(l));
  return (start >= 0 ? lines.slice(start) : lines.slice(-25)).join('\n');
}

/** The notebook's path relative to the project when it lies inside it, for messages. */
function displayName(root: string, notebook: string): string {
  const relative = path.relative(root, notebook);
  return relative.startsWith('..') || path.isAbsolute(relative) ? notebook : relative;
}

function requireNotebook(notebookPath: string): string {
  const resolved = checkExtension('the notebook path', notebookPath, '.ipynb');
  if (!fs.existsSync(resolved))
    throw new PitchstreamError('NOTEBOOK_NOT_FOUND', `notebook ${notebookPath} does not exist`, {
      details: { notebook: resolved },
    });
  return resolved;
}

function requireKernel(config: Config): void {
  const venv = installPaths(config.home, versions()).venv;
  requireInstalled(path.join(venv, 'share', 'jupyter', 'kernels', NOTEBOOK_KERNEL, 'kernel.json'), 'The tslab kernel');
}

export async function executeNotebook(notebookPath: string, options: ExecuteNotebookOptions = {}): Promise<ExecutedNotebook> {
  const config = loadConfig();
  const notebook = requireNotebook(notebookPath);
  const name = displayName(config.root, notebook);
  const outputPath = checkExtension(
    'option outputPath',
    options.outputPath ?? path.join(config.root, 'reports', path.basename(notebook)),
    '.ipynb',
  );
  const timeoutMs = checkPositive('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const cellTimeoutMs = checkPositive('cellTimeoutMs', options.cellTimeoutMs, DEFAULT_CELL_TIMEOUT_MS);
  const install = jupyterInstall(config);
  requireKernel(config);
  fs.mkdirSync(path.dirname(outputPath), { recursive: true });
  fs.rmSync(outputPath, { force: true }); // never report a stale copy from an earlier run

  const started = Date.now();
  const args = executeArgs({
    notebookPath: notebook,
    outputPath,
    configFile: path.join(config.root, CONFIG_FILE),
    cellTimeoutMs,
    startupTimeoutMs: KERNEL_STARTUP_TIMEOUT_MS,
  });
  const result = await execa(install.jupyter, args, {
    cwd: config.root,
    env: { ...options.env, ...install.env },
    stdin: 'ignore',
    reject: false,
    timeout: timeoutMs,
    killSignal: STOP_SIGNAL,
    forceKillAfterDelay: KILL_GRACE_MS,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    // Its own process group: a Ctrl-C or hang-up at the terminal reaches only the caller, which then
    // stops nbconvert with STOP_SIGNAL, so nbconvert always shuts its kernel down. Killed directly by
    // the terminal, it would leave the kernel (own session) running, holding its output pipes.
    detached: true,
  });
  const durationMs = Date.now() - started;
  const details = { notebook, outputPath, durationMs, exitCode: result.exitCode };

  if (result.isCanceled)
    throw new PitchstreamError('NOTEBOOK_INTERRUPTED', `notebook ${name} was stopped after ${(durationMs / 1000).toFixed(1)} s, before it finished`, {
      details,
    });
  if (result.timedOut)
    throw new PitchstreamError('NOTEBOOK_TIMEOUT', `notebook ${name} did not finish within ${timeoutMs} ms`, {
      fix: 'Raise the timeoutMs option, or give the notebook less work.',
      details,
    });
  if (result.failed) {
    const stderr = nbconvertError(result.stderr);
    if (/CellTimeoutError/.test(result.stderr))
      throw new PitchstreamError('NOTEBOOK_TIMEOUT', `a cell of notebook ${name} ran longer than ${cellTimeoutMs} ms:\n${stderr}`, {
        fix: 'Raise the cellTimeoutMs option, or make the cell named above do less.',
        details,
      });
    throw new PitchstreamError('NOTEBOOK_FAILED', `notebook ${name} could not be executed (no executed copy was written):\n${stderr}`, {
      fix: 'Read the nbconvert output above; `npm run setup` reinstalls Jupyter and the tslab kernel.',
      details,
    });
  }

  const trusted = await trustNotebook(install, outputPath);
  const summary = summarizeNotebook(JSON.parse(fs.readFileSync(outputPath, 'utf8')) as NotebookDocument);
  const failure = summary.failures[0];
  if (failure)
    throw new PitchstreamError(
      'NOTEBOOK_FAILED',
      `notebook ${name} failed in cell ${failure.cellIndex}:\n${failure.sourceHead}\n---\n${failure.errorText}\n` +
        `partially executed copy: ${outputPath}`,
      { details: { ...details, ...failure, summary } },
    );
  return { notebookPath: notebook, outputPath, durationMs, summary, trusted };
}

/**
 * Signs the executed copy, as Jupyter signs a notebook a person ran: Lab runs the charts' scripts
 * only in trusted output, so an unsigned copy reopened in Lab shows empty charts. The signature
 * is kept in pitchstream's Jupyter data folder, which `npm run lab` uses too.
 */
async function trustNotebook(install: { jupyter: string; env: Record<string, string> }, outputPath: string): Promise<boolean> {
  const result = await execa(install.jupyter, ['trust', outputPath], { env: install.env, stdin: 'ignore', reject: false });
  return !result.failed;
}
