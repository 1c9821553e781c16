// Jupyter Lab as a person uses it, in a real browser (Debian's Chromium, driven by playwright-core):
// the login page without the token, the notebooks folder first, no news pop-up; an executed copy
// from reports/ reopened with its charts drawn; the HTML report offline; notebook 03 run from the
// Run menu, its live charts growing, then stopped with the toolbar's interrupt button; notebook 02
// run with its training progress visible, its tables readable and its charts drawn; notebook 04's
// live win probabilities, then its kernel killed: Lab says so, and the job it started stops.
// Screenshots go to reports/screenshots/ (npm start's reports/index.html links them).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/config';
import { executeNotebook, notebookToHtml, startLab, stopLab, type NotebookDocument, type RunningLab } from '../../lib/jupyter';
import { SCREENSHOTS_DIR } from '../../lib/reports';
import { readMatchStats } from '../../lib/streaming';
import { launchChromium } from '../helpers/browser';
import { freePort } from '../helpers/free-port';
import { notebookSandbox } from '../helpers/notebook-sandbox';
import { processesMatching } from '../helpers/terminal';

const root = projectRoot();
const screenshots = path.join(root, 'reports', SCREENSHOTS_DIR);
// The executed copy lives under reports/, where npm start writes its own (Lab serves the project).
const executedDir = path.join(root, 'reports', 'browser-check');
// The live run works on a copy beside the notebooks (their imports are relative), never on the
// committed notebook: Lab autosaves outputs into what it runs. Ignored by git, removed at the end.
const liveCopy = (notebook: string) => path.join(root, 'notebooks', `browser-check-${notebook}.ipynb`);
const LIVE_COPIES = ['02', '03', '04'];

const sandbox = notebookSandbox('browser');
const savedEnv = { ...process.env };
let lab: RunningLab;
let browser: Browser;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The scripts below run in the page (as text: the tests are compiled without the DOM's types).

/** Plotly draws each chart into its div; a div without an SVG is a chart Lab did not run. */
function chartsDrawn(page: Page): Promise<{ charts: number; drawn: number }> {
  return page.evaluate(`(() => {
    const charts = [...document.querySelectorAll('.pitchstream-chart')];
    return { charts: charts.length, drawn: charts.filter((chart) => chart.querySelector('svg.main-svg')).length };
  })()`);
}

/** What a live chart plots now: its points, a fingerprint of its traces, and its largest x (match minute). */
function plotted(page: Page, id: string): Promise<{ points: number; fingerprint: string; maxX: number }> {
  return page.evaluate(`(() => {
    const traces = (document.getElementById(${JSON.stringify(id)}) || {}).data || [];
    const xs = traces.flatMap((trace) => trace.x || []);
    return {
      points: xs.length,
      fingerprint: traces.map((trace) => [trace.name, (trace.x || []).length, (trace.x || []).slice(-1)[0], (trace.y || []).slice(-1)[0]].join(':')).join('|'),
      maxX: xs.length ? Math.max(...xs) : 0,
    };
  })()`);
}

/**
 * Tables as a person reads them at this window size: none wider than its output area (no sideways
 * scrolling), no text under 12 px. Each table is named by its first header.
 */
function tablesReadable(page: Page): Promise<{ tables: number; tooWide: string[]; tooSmall: string[] }> {
  return page.evaluate(`(() => {
    const tables = [...document.querySelectorAll('.jp-OutputArea-output table')];
    const tooWide = [];
    const tooSmall = [];
    for (const table of tables) {
      const name = (table.querySelector('th') || table).innerText.slice(0, 40);
      const area = table.closest('.jp-OutputArea-output');
      if (table.getBoundingClientRect().width > area.getBoundingClientRect().width + 1) tooWide.push(name);
      const size = parseFloat(getComputedStyle(table.querySelector('td, th') || table).fontSize);
      if (size < 12) tooSmall.push(name + ' (' + size + ' px)');
    }
    return { tables: tables.length, tooWide, tooSmall };
  })()`);
}

/** What a person should never see: error output, tracebacks, raw JSON dumped as text. */
async function expectCleanOutputs(page: Page): Promise<void> {
  expect(await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').allInnerTexts()).toEqual([]);
  // The text of each output without its scripts and styles (the Plotly library is an output's script).
  const outputs: string[] = await page.evaluate(`[...document.querySelectorAll('.jp-OutputArea-output')].map((output) => {
    const copy = output.cloneNode(true);
    copy.querySelectorAll('script, style').forEach((element) => element.remove());
    return copy.textContent;
  })`);
  expect(outputs.filter((text) => /Traceback|Error:/.test(text))).toEqual([]);
  expect(outputs.filter((text) => /^\s*[[{]\s*"/.test(text))).toEqual([]);
}

/** Opens a fresh copy of a notebook in a workspace of its own and presses Run All from the Run menu. */
async function runAllFromMenu(page: Page, notebook: string): Promise<void> {
  const committed = fs.readdirSync(path.join(root, 'notebooks')).find((name) => name.startsWith(`${notebook}_`))!;
  fs.copyFileSync(path.join(root, 'notebooks', committed), liveCopy(notebook));
  // A workspace of its own: Lab would otherwise reopen the tabs of the pages before.
  await page.goto(`http://127.0.0.1:${lab.port}/lab/workspaces/live-${notebook}/tree/notebooks/${path.basename(liveCopy(notebook))}?token=${lab.token}`);
  await page.locator('.jp-Notebook').waitFor({ timeout: 60_000 });
  await page.locator('.jp-StatusBar-Item', { hasText: 'TypeScript | Idle' }).waitFor({ timeout: 90_000 });
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click();
  // The first code cell (the parameters) runs at once.
  await page.locator('.jp-CodeCell .jp-InputPrompt', { hasText: /\[(\*|1)\]/ }).first().waitFor({ timeout: 60_000 });
}

/** The stdout a notebook's cells printed so far (outputs only: the cells' source holds the same words). */
async function printed(page: Page): Promise<string> {
  return (await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"]').allInnerTexts()).join('\n');
}

/**
 * Scrolls an element to the middle of the notebook. Playwright's own scrolling waits for the element
 * to hold still, which a notebook that lays out its cells lazily may never do while it scrolls.
 */
async function scrollToMiddle(page: Page, selector: string, startingWith = ''): Promise<void> {
  await page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})]
    .find((element) => element.textContent.startsWith(${JSON.stringify(startingWith)}))
    .scrollIntoView({ block: 'center' })`);
  await page.waitForTimeout(500);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`) });
}

/** A page at Lab's window size; when the body fails, what the page showed is kept as failed-<name>.png. */
async function withPage(name: string, body: (page: Page) => Promise<void>): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await body(page);
  } catch (error) {
    await page.screenshot({ path: path.join(screenshots, `failed-${name}.png`), fullPage: true }).catch(() => undefined);
    // The kernels' own output (a crash's stack trace) goes to Lab's log, which the sandbox removes.
    fs.copyFileSync(lab.log, path.join(screenshots, `failed-${name}-lab.log`));
    throw error;
  } finally {
    await page.close();
  }
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  for (const name of fs.readdirSync(screenshots)) if (name.startsWith('failed-')) fs.rmSync(path.join(screenshots, name));
  // Lab, its kernels and the headless run share the sandbox: a private home (pid files, Jupyter
  // state, notebook signatures), free Kafka ports, outputs in a scratch folder, synthetic data.
  Object.assign(process.env, await sandbox.env());
  // Notebook 02 trains a small synthetic model quickly; notebook 04 then scores with it.
  Object.assign(process.env, {
    LWP_SOURCE: 'synthetic',
    LWP_SYNTHETIC_MATCHES: '40',
    LWP_NUM_TREES: '20',
    LWP_BOOTSTRAP_SAMPLES: '10',
    LWP_MODEL_DIR: path.join(sandbox.work, 'model'),
    LWP_SYNTHETIC_TRAINING_MATCHES: '24',
    LWP_RATE: '400',
  });
  lab = await startLab({ port: await freePort(), startupTimeoutMs: 90_000 });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stopLab();
  for (const notebook of LIVE_COPIES) {
    fs.rmSync(liveCopy(notebook), { force: true });
    fs.rmSync(path.join(root, 'notebooks', '.ipynb_checkpoints', `${path.basename(liveCopy(notebook), '.ipynb')}-checkpoint.ipynb`), { force: true });
  }
  fs.rmSync(executedDir, { recursive: true, force: true });
  await sandbox.cleanup();
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

describe('Jupyter Lab in a browser', () => {
  it('shows the login page without the token (or with a wrong one), and the notebooks folder with it, without the news pop-up', async () => {
    await withPage('login', async (page) => {
      const base = `http://127.0.0.1:${lab.port}`;
      for (const url of [`${base}/lab`, `${base}/lab?token=not-the-token-0123456789`]) {
        await page.goto(url);
        await page.locator('input[type=password]').first().waitFor({ state: 'visible', timeout: 30_000 });
        expect(await page.locator('.jp-DirListing').count()).toBe(0);
      }

      await page.goto(lab.url);
      await page.locator('.jp-DirListing-item', { hasText: '03_Streaming_Estadisticas.ipynb' }).waitFor({ timeout: 60_000 });
      expect(await page.locator('.jp-BreadCrumbs').innerText()).toContain('notebooks');
      // Lab asks about news a few seconds after it opens, if it asks at all.
      await page.waitForTimeout(5_000);
      expect(await page.locator('body').innerText()).not.toMatch(/Jupyter news/i);
      await shot(page, 'lab-start');
    });
  }, 120_000);

  it('reopens an executed notebook from reports/ with its charts drawn, and its HTML report draws them offline', async () => {
    const executed = await executeNotebook(path.join(root, 'notebooks', '03_Streaming_Estadisticas.ipynb'), {
      outputPath: path.join(executedDir, '03_Streaming_Estadisticas.ipynb'),
      env: { STREAM_DURATION_S: '15' },
      timeoutMs: 300_000,
    });
    expect(executed.trusted).toBe(true);
    const document = JSON.parse(fs.readFileSync(executed.outputPath, 'utf8')) as NotebookDocument;
    const stderr = document.cells.flatMap((cell) => cell.outputs ?? []).filter((output) => output.output_type === 'stream' && output.name === 'stderr');
    expect(stderr).toEqual([]);

    await withPage('reopened', async (page) => {
      await page.goto(`http://127.0.0.1:${lab.port}/lab/workspaces/reopened/tree/${path.relative(root, executed.outputPath)}?token=${lab.token}`);
      await page.locator('.jp-Notebook').waitFor({ timeout: 60_000 });
      await expect.poll(() => chartsDrawn(page), { timeout: 30_000 }).toMatchObject({ charts: 3, drawn: 3 });
      // What a person sees: no error output, the SYNTHETIC label on the charts.
      expect(await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').allInnerTexts()).toEqual([]);
      expect(await page.locator('.jp-Notebook').innerText()).not.toMatch(/Traceback|Error:/);
      await page.locator('.pitchstream-chart').first().scrollIntoViewIfNeeded();
      expect(await page.locator('.pitchstream-chart').first().innerText()).toMatch(/SYNTHETIC/);
      await shot(page, 'lab-reopened-03');

      // The HTML report, opened from disk: the embedded Plotly draws every chart with no network.
      const html = await notebookToHtml(executed.outputPath, path.join(executedDir, '03_Streaming_Estadisticas.html'));
      await page.goto(`file://${html}`);
      await expect.poll(() => chartsDrawn(page), { timeout: 30_000 }).toMatchObject({ charts: 3, drawn: 3 });
      await shot(page, 'report-03');
    });
  }, 420_000);

  it('runs notebook 03 from the Run menu with live charts redrawn on the match clock of one replay, and the toolbar interrupt stops the producer and the streaming job', async () => {
    await withPage('live-03', async (page) => {
      await runAllFromMenu(page, '03');

      // Interactive runs watch until interrupted: the charts are redrawn while the replay runs.
      await expect.poll(async () => (await plotted(page, 'passes-live')).points, { timeout: 240_000, interval: 2_000 }).toBeGreaterThan(0);
      await scrollToMiddle(page, '#passes-live');
      const first = { passes: await plotted(page, 'passes-live'), possession: await plotted(page, 'possession-live') };
      await shot(page, 'lab-live-03-a');
      await expect.poll(async () => (await plotted(page, 'passes-live')).fingerprint, { timeout: 60_000, interval: 2_000 }).not.toBe(first.passes.fingerprint);
      await expect.poll(async () => (await plotted(page, 'possession-live')).fingerprint, { timeout: 60_000, interval: 2_000 }).not.toBe(first.possession.fingerprint);
      // One replay of a match on its own clock (the producer loops), not every replay end to end.
      expect((await plotted(page, 'passes-live')).maxX).toBeLessThanOrEqual(130);
      expect(await page.locator('#passes-live').innerText()).not.toMatch(/team \d+/); // teams by name, synthetic ones too
      await shot(page, 'lab-live-03-b');

      // The streaming job's command line names the sandbox's output folder.
      const job = () => processesMatching(/stream_match_stats\.py/).filter((p) => p.args.includes(process.env.PITCHSTREAM_OUTPUTS!));
      expect(job()).not.toEqual([]);

      await page.locator('jp-button[data-command="notebook:interrupt-kernel"]:visible').click();
      // The kernel survives the interrupt; the watch ends, the producer and the job stop (the cell prints how).
      await expect.poll(() => printed(page), { timeout: 180_000, interval: 2_000 }).toMatch(/stopped by interrupted; producer: [\d,]+ events; job: \w+/);
      await expect.poll(() => job().map((p) => p.args), { timeout: 60_000, interval: 1_000 }).toEqual([]);
      expect(await page.locator('.jp-Dialog').count()).toBe(0); // no "kernel died" dialog
      await expect.poll(() => page.locator('.jp-StatusBar-Item', { hasText: 'TypeScript |' }).first().innerText()).toMatch(/Idle/);

      // The run folder is complete: every batch file renamed into place, and readable.
      const outputDir = /outputs in (\S+match-stats-\S+)/.exec(await printed(page))![1]!;
      const statsFiles = fs.readdirSync(path.join(outputDir, 'stats'));
      expect(statsFiles.length).toBeGreaterThan(0);
      expect(statsFiles.filter((name) => !/^batch-\d+\.arrow$/.test(name))).toEqual([]);
      expect(readMatchStats(outputDir).length).toBeGreaterThan(0);
      await shot(page, 'lab-live-03-stopped');
    });
  }, 600_000);

  it('runs notebook 02 from the Run menu: training progress shows while the training cell runs, then readable tables and every chart drawn', async () => {
    await withPage('run-02', async (page) => {
      await runAllFromMenu(page, '02');
      // Progress during the long cell: the Spark tasks of the training job, while the cell still runs.
      // The bar is redrawn every second (a new element each time): found, scrolled to and read in one step.
      const progressText = (): Promise<string> =>
        page.evaluate(`(() => {
          const bar = document.querySelector('.pitchstream-progress');
          if (!bar) return '';
          bar.scrollIntoView({ block: 'center' });
          return bar.innerText;
        })()`);
      await expect.poll(progressText, { timeout: 240_000, interval: 500 }).toMatch(/train_lwp \(local\[2\]\): \d+% · \d+\/\d+ tasks/);
      await shot(page, 'lab-run-02-training');
      // The last cell prints where the model is: the whole notebook ran.
      await expect.poll(() => printed(page), { timeout: 420_000, interval: 2_000 }).toMatch(/model: \S+\ntables: /);
      expect(await progressText()).toMatch(/train_lwp: done/);
      const charts = await chartsDrawn(page);
      expect(charts.charts).toBeGreaterThanOrEqual(5);
      expect(charts.drawn).toBe(charts.charts);
      // Every chart has a title and names its data (SYNTHETIC here).
      expect(await page.locator('.pitchstream-chart .gtitle').count()).toBe(charts.charts);
      for (const chart of await page.locator('.pitchstream-chart').allInnerTexts()) expect(chart).toMatch(/SYNTHETIC|StatsBomb/);
      const tables = await tablesReadable(page);
      expect(tables.tables).toBeGreaterThanOrEqual(3);
      expect(tables).toMatchObject({ tooWide: [], tooSmall: [] });
      await expectCleanOutputs(page);
      await scrollToMiddle(page, '#lwp-calibration');
      await shot(page, 'lab-run-02-calibration');
    });
  }, 600_000);

  it('runs notebook 04 from the Run menu with live win probabilities and the current-matches table, stops it with the interrupt button, and run again a kernel killed mid-run: Lab says so and the job stops by itself', async () => {
    await withPage('live-04', async (page) => {
      const job = () => processesMatching(/stream_lwp\.py/).filter((p) => p.args.includes(process.env.PITCHSTREAM_OUTPUTS!));
      const charted = async () => (await plotted(page, 'lwp-live')).points;
      await runAllFromMenu(page, '04');
      await expect.poll(charted, { timeout: 300_000, interval: 2_000 }).toBeGreaterThan(0);
      const first = await plotted(page, 'lwp-live');
      await expect.poll(async () => (await plotted(page, 'lwp-live')).fingerprint, { timeout: 60_000, interval: 2_000 }).not.toBe(first.fingerprint);
      await scrollToMiddle(page, 'h4', 'Current matches');
      const table = page.locator('h4', { hasText: /^Current matches/ });
      expect(await page.locator('.jp-OutputArea-output', { has: table }).locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
      expect(await tablesReadable(page)).toMatchObject({ tooWide: [], tooSmall: [] });
      await expectCleanOutputs(page);
      await scrollToMiddle(page, '#lwp-live');
      await shot(page, 'lab-live-04');

      // The interrupt stops the producer and the job, as in notebook 03.
      expect(job()).not.toEqual([]);
      await page.locator('jp-button[data-command="notebook:interrupt-kernel"]:visible').click();
      await expect.poll(() => printed(page), { timeout: 180_000, interval: 2_000 }).toMatch(/stopped by interrupted; producer: [\d,]+ events; job: \w+/);
      await expect.poll(() => job().map((p) => p.args), { timeout: 60_000, interval: 1_000 }).toEqual([]);

      // Run All again, then the kernel dies (kill -9, as the out-of-memory killer would). The job
      // names its owner, the kernel.
      await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
      await page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click();
      await expect.poll(() => job().length, { timeout: 240_000, interval: 1_000 }).toBeGreaterThan(0);
      // Running, not starting: the cell that started it (its output cleared when it ran again) printed the job's id.
      await expect.poll(() => printed(page), { timeout: 240_000, interval: 1_000 }).toMatch(/job local-\S+, Spark UI/);
      const running = job()[0]!;
      const owner = Number(/PITCHSTREAM_OWNER_PID=(\d+)/.exec(fs.readFileSync(`/proc/${running.pid}/environ`, 'utf8').replaceAll('\0', '\n'))![1]);
      expect(processesMatching(/tslab/).map((p) => p.pid)).toContain(owner);
      process.kill(owner, 'SIGKILL');
      // Lab tells the person, and restarts the kernel.
      await page.locator('.jp-Dialog', { hasText: /died/ }).waitFor({ timeout: 60_000 });
      await shot(page, 'lab-live-04-kernel-died');
      // The job notices that its owner is gone and stops; the producer died with the kernel.
      await expect.poll(() => job().map((p) => p.args), { timeout: 90_000, interval: 1_000 }).toEqual([]);
      // Its stop file says why (its log went through the kernel).
      expect(fs.readFileSync(/--stop-file (\S+)/.exec(running.args)![1]!, 'utf8')).toMatch(/the process that submitted this job \(pid \d+\) is gone: stopping/);
    });
  }, 720_000);
});
