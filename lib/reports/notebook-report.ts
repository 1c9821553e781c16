// The main job's report: runs notebooks headless in order, renders each as HTML, and writes an
// index page that links them with their outcome, duration and data source.
import fs from 'node:fs';
import path from 'node:path';
import { escapeHtml, executeNotebook, notebookToHtml } from '../jupyter';

export interface NotebookRun {
  notebook: string;
  title: string;
  status: 'passed' | 'failed' | 'interrupted';
  durationMs: number;
  executed?: string;
  html?: string;
  error?: string;
}

export interface NotebookReportOptions {
  root: string;
  /** Notebook file names under notebooks/, run in this order. */
  notebooks: readonly string[];
  outDir: string;
  /** Parameters for the notebooks (their parameters cells read process.env). */
  env?: Record<string, string>;
  /** Shown at the top of the index: where the data came from (real StatsBomb or synthetic). */
  dataNote: string;
  timeoutMs?: number;
  cellTimeoutMs?: number;
  onProgress?: (line: string) => void;
  /** Aborting it stops the running notebook and skips the rest (each recorded as interrupted). */
  signal?: AbortSignal;
}

export interface NotebookReport {
  runs: NotebookRun[];
  index: string;
  ok: boolean;
}

/** The notebook's first markdown heading, else its file name. */
export function notebookTitle(file: string): string {
  try {
    const cells = (JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] }).cells;
    for (const cell of cells) {
      if (cell.cell_type !== 'markdown') continue;
      const text = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
      const heading = /^#\s+(.+)$/m.exec(text);
      if (heading) return heading[1]!.trim();
    }
  } catch {
    // unreadable notebook: fall back to its name (the run reports the real error)
  }
  return path.basename(file, '.ipynb');
}

/** Where the browser test (test/browser) leaves what Jupyter Lab showed it, under reports/. */
export const SCREENSHOTS_DIR = 'screenshots';

/** Screenshots found beside the report (the browser test writes them), as paths relative to it. */
export function reportScreenshots(outDir: string): string[] {
  const dir = path.join(outDir, SCREENSHOTS_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.png'))
    .sort()
    .map((name) => `${SCREENSHOTS_DIR}/${name}`);
}

export function reportIndexHtml(runs: readonly NotebookRun[], dataNote: string, createdAt: Date, screenshots: readonly string[] = []): string {
  const rows = runs
    .map((run) => {
      const link = run.html ? `<a href="${escapeHtml(path.basename(run.html))}">${escapeHtml(run.title)}</a>` : escapeHtml(run.title);
      const color = run.status === 'passed' ? '#1a7f37' : run.status === 'interrupted' ? '#9a6700' : '#cf222e';
      const status = `<span style="color:${color}">${run.status}</span>`;
      const error = run.error ? `<pre style="white-space:pre-wrap">${escapeHtml(run.error)}</pre>` : '';
      return `<tr><td>${link}<br><small>${escapeHtml(run.notebook)}</small>${error}</td><td>${status}</td><td>${(run.durationMs / 1000).toFixed(1)} s</td></tr>`;
    })
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>pitchstream report</title>
<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto}td,th{padding:.4em .8em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}</style>
</head><body><h1>pitchstream report</h1>
<p>${escapeHtml(dataNote)}</p>
<p>Created ${escapeHtml(createdAt.toISOString())}. Event data: StatsBomb open data (https://github.com/statsbomb/open-data) unless marked SYNTHETIC.</p>
<table><tr><th>Notebook</th><th>Outcome</th><th>Time</th></tr>
${rows}
</table>${screenshotsHtml(screenshots)}</body></html>
`;
}

function screenshotsHtml(screenshots: readonly string[]): string {
  if (screenshots.length === 0) return '';
  const items = screenshots
    .map((file) => `<figure style="display:inline-block;margin:.5em"><a href="${escapeHtml(file)}"><img src="${escapeHtml(file)}" width="300" alt="${escapeHtml(file)}"></a><figcaption><small>${escapeHtml(path.basename(file, '.png'))}</small></figcaption></figure>`)
    .join('\n');
  return `\n<h2>Jupyter Lab in a browser</h2>\n<p>Screenshots from the browser test (<code>npm test</code>, test/browser): what a person sees in Lab.</p>\n${items}\n`;
}

/** Runs every notebook (a failure is recorded and the next one still runs) and writes index.html. */
export async function runNotebookReport(options: NotebookReportOptions): Promise<NotebookReport> {
  const say = options.onProgress ?? (() => undefined);
  fs.mkdirSync(options.outDir, { recursive: true });
  const runs: NotebookRun[] = [];
  for (const name of options.notebooks) {
    const source = path.join(options.root, 'notebooks', name);
    const base = path.basename(name, '.ipynb');
    const run: NotebookRun = { notebook: name, title: notebookTitle(source), status: 'failed', durationMs: 0 };
    if (options.signal?.aborted) {
      runs.push({ ...run, status: 'interrupted', error: 'not run: the report was stopped before it' });
      continue;
    }
    const started = Date.now();
    say(`running notebook ${name} …`);
    try {
      const executed = await executeNotebook(source, {
        outputPath: path.join(options.outDir, `${base}.ipynb`),
        env: options.env,
        timeoutMs: options.timeoutMs,
        cellTimeoutMs: options.cellTimeoutMs,
        signal: options.signal,
      });
      run.executed = executed.outputPath;
      run.html = await notebookToHtml(executed.outputPath, path.join(options.outDir, `${base}.html`));
      run.status = 'passed';
    } catch (error) {
      run.error = error instanceof Error ? error.message : String(error);
      if (options.signal?.aborted) run.status = 'interrupted';
    }
    run.durationMs = Date.now() - started;
    say(`  ${run.status} in ${(run.durationMs / 1000).toFixed(1)} s${run.html ? ` → ${path.relative(options.root, run.html)}` : ''}`);
    runs.push(run);
  }
  const index = path.join(options.outDir, 'index.html');
  fs.writeFileSync(index, reportIndexHtml(runs, options.dataNote, new Date(), reportScreenshots(options.outDir)));
  return { runs, index, ok: runs.every((r) => r.status === 'passed') };
}
