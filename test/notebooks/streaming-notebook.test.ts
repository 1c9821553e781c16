// notebooks/03_Streaming_Estadisticas.ipynb headless: the real stack in a private home, synthetic matches, a bounded watch.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/config';
import { executeNotebook } from '../../lib/jupyter';
import { freePort } from '../helpers/free-port';
import { expectCommittedWithoutOutputs, notebookSandbox } from '../helpers/notebook-sandbox';

const sandbox = notebookSandbox('notebook-03');
const work = sandbox.work;

afterAll(() => sandbox.cleanup());

describe('notebooks/03_Streaming_Estadisticas.ipynb', () => {
  const notebook = path.join(projectRoot(), 'notebooks', '03_Streaming_Estadisticas.ipynb');

  it('is committed without outputs, with its parameters in a tagged cell', () => expectCommittedWithoutOutputs(notebook));

  it('runs headless on synthetic data for a bounded time, leaving live charts, the progress chart and no error', async () => {
    // No Prometheus listens there: the notebook says so, with the way to start one, and goes on.
    const prometheusUrl = `http://127.0.0.1:${await freePort()}`;
    const run = await executeNotebook(notebook, {
      outputPath: path.join(work, '03-executed.ipynb'),
      env: {
        ...(await sandbox.env()),
        STREAM_DURATION_S: '40',
        STREAM_RATE: '300',
        PITCHSTREAM_PROMETHEUS_URL: prometheusUrl,
      },
      // Starting Spark's JVM on a busy 2-core machine can take over a minute (the submit cell).
      cellTimeoutMs: 180_000,
      timeoutMs: 220_000,
    });
    expect(run.summary.errorOutputs).toBe(0);
    expect(run.summary.failures).toEqual([]);
    const executed = fs.readFileSync(run.outputPath, 'utf8');
    for (const chart of ['passes-live', 'possession-live', 'progress-live']) expect(executed).toContain(`id=\\"${chart}\\"`);
    expect(executed).toContain('SYNTHETIC data');
    expect(executed).toContain('Latest window');
    expect(executed).toMatch(/stopped by duration; producer: \d+ events; job: stopped/);
    expect(executed).toContain(`Prometheus' view of this job: no Prometheus answers at ${prometheusUrl}`);
    expect(executed).toContain('prometheus --config.file=monitoring/prometheus/local.yml');
  }, 240_000);
});
