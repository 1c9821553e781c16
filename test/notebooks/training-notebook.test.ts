// notebooks/02_Entrenamiento_Modelo_LWP.ipynb headless, offline on a small synthetic set.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/config';
import { executeNotebook } from '../../lib/jupyter';
import { expectCommittedWithoutOutputs } from '../helpers/notebook-sandbox';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-lwp-notebook-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('notebooks/02_Entrenamiento_Modelo_LWP.ipynb', () => {
  const notebook = path.join(projectRoot(), 'notebooks', '02_Entrenamiento_Modelo_LWP.ipynb');

  it('is committed without outputs, on the tslab kernel, with a parameters cell', () => expectCommittedWithoutOutputs(notebook));

  it('trains on synthetic data headless and shows the metrics table, labelled SYNTHETIC, and at least three charts', async () => {
    // An executors study as bench:train writes it (figures made up for this test, not measured).
    const benchReport = path.join(work, 'bench-train.json');
    const row = (cluster: string, executors: number, seconds: number, base: number) => ({ cluster, executors, executors_granted: executors, master: 'spark://127.0.0.1:7077', seconds, speedup: base / seconds, efficiency: base / seconds / executors, features_s: 9, fit_s: 20 });
    const study = [row('local standalone', 1, 100, 100), row('local standalone', 2, 70, 100), row('compose', 1, 150, 150), row('compose', 2, 120, 150), row('compose', 3, 130, 150)];
    const methods = { 'local standalone': { method: 'test fixture', at: '2026-01-01T00:00:00Z' }, compose: { method: 'compose fixture', at: '2026-01-02T00:00:00Z' } };
    fs.writeFileSync(benchReport, JSON.stringify({ executors_study: study, executors_study_methods: methods }));
    const run = await executeNotebook(notebook, {
      outputPath: path.join(work, 'lwp.ipynb'),
      env: {
        LWP_SOURCE: 'synthetic',
        LWP_SYNTHETIC_MATCHES: '40',
        LWP_NUM_TREES: '20',
        // 40 matches hold out about 6 for the calibrator: below the default minimum of 20, so lowered to show it.
        LWP_CALIBRATION: 'logistic',
        LWP_MIN_CALIBRATION_MATCHES: '3',
        LWP_BOOTSTRAP_SAMPLES: '20',
        LWP_MODEL_DIR: path.join(work, 'model'),
        PITCHSTREAM_OUTPUTS: path.join(work, 'outputs'),
        LWP_BENCH_REPORT: benchReport,
      },
      // The training cell runs a Spark job (about a minute alone; more when other suites load the machine).
      cellTimeoutMs: 230_000,
      timeoutMs: 280_000,
    });
    expect(run.summary.errorOutputs).toBe(0);
    expect(run.summary.failures).toEqual([]);
    const executed = fs.readFileSync(run.outputPath, 'utf8');
    // The metrics table shows the saved (calibrated) model next to the same forests uncalibrated and the result classifier.
    expect(executed).toContain('<th>metric</th><th>random forest, calibrated (saved)</th><th>random forest, uncalibrated</th><th>result classifier forest</th><th>score-and-time logistic</th><th>class prior</th>');
    expect(executed).toContain('RPS gain vs score-and-time');
    expect(executed).toContain('ECE gain vs uncalibrated forest');
    // The calibration chart draws both.
    expect(executed).toMatch(/random forest, uncalibrated · home_win/);
    expect(executed).toMatch(/random forest, calibrated \(saved\) · home_win/);
    expect(executed).toContain('SYNTHETIC data');
    const charts = executed.match(/class=\\"pitchstream-chart\\" data-source=\\"synthetic\\"/g) ?? [];
    expect(charts.length).toBeGreaterThanOrEqual(3);
    expect(executed).toContain('lwp-match-curve');
    // The executors study: its chart against ideal scaling and its table.
    expect(executed).toContain('ideal speed-up');
    expect(executed).toContain('compose: speed-up');
    expect(executed).toContain('<th>cluster</th><th>executors</th><th>executors granted</th><th>training job (s)</th>');
    expect(executed).toContain('local standalone: measured 2026-01-01T00:00:00Z — test fixture');
    expect(executed).toContain('compose: measured 2026-01-02T00:00:00Z — compose fixture');
    expect(fs.existsSync(path.join(work, 'model', 'metadata.json'))).toBe(true);
  }, 300_000);
});
