// One short real streaming job (local[2]): metrics collected from its driver while it runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';
import { collectRunMetrics, parsePrometheusText, readRunMetrics, type RunMetrics } from '../../lib/metrics';
import { groupAlive } from '../../lib/spark/process-group';
import { submitJob, type JobHandle } from '../../lib/spark/submit-job';

const config = loadConfig({ sparkMaster: 'local[2]' });
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-metrics-'));
let job: JobHandle | undefined;

afterAll(async () => {
  if (job) await job.kill().catch(() => undefined);
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function waitFor<T>(read: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('collectRunMetrics on a running streaming job', () => {
  it('collects REST, Prometheus and progress figures while the job runs and once more before it stops', async () => {
    const progressDir = path.join(scratch, 'progress');
    job = await submitJob({ file: path.join('test', 'fixtures', 'metrics', 'stream_with_shuffle.py') }, ['--progress-dir', progressDir], {
      config,
      timeoutMs: 150_000,
      stopGraceMs: 20_000,
    });
    const outDir = path.join(scratch, 'metrics');
    const collector = collectRunMetrics(job, { intervalMs: 1_000, outDir, progressDir, triggerIntervalMs: 1_000, config });
    const uiUrl = await job.uiUrl;
    expect(uiUrl).toMatch(/^http:\/\/[\w.-]+:\d+$/);

    // The driver's Prometheus endpoints answer with Spark metrics while the job runs.
    const driverText = await waitFor(async () => {
      const response = await fetch(`${uiUrl}/metrics/prometheus/`).catch(() => undefined);
      return response?.ok ? response.text() : undefined;
    }, 30_000);
    expect(parsePrometheusText(driverText).some((s) => /_driver_/.test(s.name))).toBe(true);
    const executorsText = await (await fetch(`${uiUrl}/metrics/executors/prometheus/`)).text();
    expect(parsePrometheusText(executorsText).some((s) => s.name.startsWith('metrics_executor_'))).toBe(true);

    // A few batches with shuffles, several polls.
    await waitFor(() => (collector.polls() >= 3 && (collector.latest()?.executors[0]?.shuffleWriteBytes ?? 0) > 0 ? true : undefined), 60_000);
    const metrics: RunMetrics = await collector.final();
    const result = await job.stop();
    expect(result.outcome).toBe('stopped');
    expect(groupAlive(job.pid)).toBe(false);

    expect(metrics.appId).toMatch(/^local-/);
    expect(metrics.polls.ok).toBeGreaterThanOrEqual(4);
    expect(metrics.executors.find((e) => e.id === 'driver')).toMatchObject({
      gcTimeMs: expect.any(Number),
      shuffleReadBytes: expect.any(Number),
      shuffleWriteBytes: expect.any(Number),
    });
    expect(metrics.totals.shuffleWriteBytes).toBeGreaterThan(0);
    expect(metrics.totals.taskTimeMs).toBeGreaterThan(0);
    expect(metrics.jobs.length).toBeGreaterThan(0);
    expect(metrics.stages.some((s) => s.shuffleWriteBytes > 0 && s.durationMs !== undefined)).toBe(true);
    expect(metrics.samples.length).toBeGreaterThanOrEqual(4);
    expect(metrics.prometheus?.driver).toMatchObject({ ok: true });
    expect(metrics.prometheus!.driver.samples).toBeGreaterThan(10);
    const counts = metrics.streaming?.summaries.find((s) => s.query === 'counts');
    expect(counts?.batches).toBeGreaterThan(0);
    expect(counts?.durationsMsAvg).toHaveProperty('addBatch');
    expect(metrics.gpuPlacement).toBeUndefined();

    // Stored with the run, readable again.
    expect(fs.readdirSync(outDir).sort()).toEqual(['prometheus-driver.txt', 'prometheus-executors.txt', 'run-metrics.json', 'summary.html']);
    expect(readRunMetrics(outDir).totals).toEqual(metrics.totals);
    expect(fs.readFileSync(path.join(outDir, 'summary.html'), 'utf8')).toContain('shuffle read / write');
  });
});
