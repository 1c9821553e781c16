// Jupyter Lab as a person uses it, in a real browser (Debian's Chromium, driven by playwright-core):
// the login page without the token, the notebooks folder first, no news pop-up; an executed copy
// from reports/ reopened with its charts drawn; the HTML report offline; and notebook 03 run from
// the Run menu, its live charts growing, then stopped with the toolbar's interrupt button.
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
const liveCopy = path.join(root, 'notebooks', 'browser-check-03.ipynb');

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
  lab = await startLab({ port: await freePort(), startupTimeoutMs: 90_000 });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stopLab();
  fs.rmSync(liveCopy, { force: true });
  fs.rmSync(path.join(root, 'notebooks', '.ipynb_checkpoints', `${path.basename(liveCopy, '.ipynb')}-checkpoint.ipynb`), { force: true });
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
    fs.copyFileSync(path.join(root, 'notebooks', '03_Streaming_Estadisticas.ipynb'), liveCopy);
    await withPage('live-03', async (page) => {
      // A workspace of its own: Lab would otherwise reopen the tabs of the pages before.
      await page.goto(`http://127.0.0.1:${lab.port}/lab/workspaces/live/tree/notebooks/${path.basename(liveCopy)}?token=${lab.token}`);
      await page.locator('.jp-Notebook').waitFor({ timeout: 60_000 });
      await page.locator('.jp-StatusBar-Item', { hasText: 'TypeScript | Idle' }).waitFor({ timeout: 90_000 });

      await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
      await page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click();
      // The first code cell (the parameters) runs at once.
      await page.locator('.jp-CodeCell .jp-InputPrompt', { hasText: /\[(\*|1)\]/ }).first().waitFor({ timeout: 60_000 });

      // Interactive runs watch until interrupted: the charts are redrawn while the replay runs.
      await expect.poll(async () => (await plotted(page, 'passes-live')).points, { timeout: 240_000, interval: 2_000 }).toBeGreaterThan(0);
      await page.locator('#passes-live').scrollIntoViewIfNeeded();
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
      // The kernel survives the interrupt; the watch ends, the producer and the job stop (the cell
      // prints how). Outputs only: the cells' source holds the same words.
      const printed = async () => (await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"]').allInnerTexts()).join('\n');
      await expect.poll(printed, { timeout: 180_000, interval: 2_000 }).toMatch(/stopped by interrupted; producer: [\d,]+ events; job: \w+/);
      await expect.poll(() => job().map((p) => p.args), { timeout: 60_000, interval: 1_000 }).toEqual([]);
      expect(await page.locator('.jp-Dialog').count()).toBe(0); // no "kernel died" dialog
      await expect.poll(() => page.locator('.jp-StatusBar-Item', { hasText: 'TypeScript |' }).first().innerText()).toMatch(/Idle/);

      // The run folder is complete: every batch file renamed into place, and readable.
      const outputDir = /outputs in (\S+match-stats-\S+)/.exec(await printed())![1]!;
      const statsFiles = fs.readdirSync(path.join(outputDir, 'stats'));
      expect(statsFiles.length).toBeGreaterThan(0);
      expect(statsFiles.filter((name) => !/^batch-\d+\.arrow$/.test(name))).toEqual([]);
      expect(readMatchStats(outputDir).length).toBeGreaterThan(0);
      await shot(page, 'lab-live-03-stopped');
    });
  }, 600_000);
});
