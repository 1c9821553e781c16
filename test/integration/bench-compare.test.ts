// `npm run bench` end to end on this machine (small sizes): the report with the cpu rows measured and
// the gpu row marked not available; everything it started is stopped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { COMPARED_SETTINGS, unavailableReason, type ComparisonReport } from '../../lib/compare';
import { loadConfig } from '../../lib/config';
import { freePort } from '../helpers/free-port';
import { isolatedHome } from './streaming-home';

const home = isolatedHome();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-bench-'));
const reportDir = path.join(scratch, 'reports');
const outputs = path.join(scratch, 'outputs');

afterAll(() => {
  home.remove();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Command lines of live processes that mention a path (the private home or outputs). */
function processesMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

describe('npm run bench', () => {
  it('writes compare.md/json/html: baseline and cpu measured on the same stream, gpu not available here', async () => {
    const env = {
      ...process.env,
      PITCHSTREAM_HOME: home.home,
      PITCHSTREAM_OUTPUTS: outputs,
      PITCHSTREAM_KAFKA_PORT: String(await freePort()),
      PITCHSTREAM_KAFKA_CONTROLLER_PORT: String(await freePort()),
      PITCHSTREAM_MODE: 'cpu',
      SPARK_MASTER: 'local[2]',
    };
    const run = await execa(
      'npm',
      ['run', '--silent', 'bench', '--', '--stream-matches', '1', '--batch-events', '2000', '--train-data', 'synthetic', '--train-matches', '16', '--trees', '5', '--out', reportDir],
      // A few minutes on a quiet machine; the baseline's 200 shuffle partitions make it slow on a busy one.
      { env, reject: false, all: true, timeout: 25 * 60_000 },
    );
    expect(run.exitCode, `${run.timedOut ? 'timed out\n' : ''}${run.all}`).toBe(0);
    expect(run.all).toMatch(/wrote .*compare\.md/);

    const report = JSON.parse(fs.readFileSync(path.join(reportDir, 'compare.json'), 'utf8')) as ComparisonReport;
    expect(report.rows.map((row) => row.id)).toEqual(['baseline', 'cpu', 'gpu']);
    expect(report.input.source).toBe('synthetic');
    expect(report.input.events).toBeGreaterThan(1_000);
    for (const id of ['baseline', 'cpu']) {
      const row = report.rows.find((r) => r.id === id)!;
      expect(row.available, `${id}: ${row.reason}`).toBe(true);
      // Identical input: every measured setting read the whole recorded stream.
      expect(row.stream!.events).toBe(report.input.events);
      expect(row.stream!.batches).toBeGreaterThanOrEqual(2);
      for (const [figure, value] of Object.entries(row.figures)) {
        expect(value, `${id} ${figure}`).not.toBeNull();
        // A run this small may see no garbage collection inside its tasks (measured: 0 ms): GC time is
        // measured when it is 0 or more; every other figure is a positive rate, duration or size.
        if (figure === 'gc_time_s') expect(value!, `${id} ${figure}`).toBeGreaterThanOrEqual(0);
        else expect(value!, `${id} ${figure}`).toBeGreaterThan(0);
      }
      expect(row.training!.rps).toBeGreaterThan(0);
      expect(row.training!.rps).toBeLessThan(0.5);
    }
    expect(report.rows.find((r) => r.id === 'baseline')!.conf['spark.sql.shuffle.partitions']).toBe('200');
    expect(report.rows.find((r) => r.id === 'cpu')!.ratio_vs_baseline.process_rate_eps).toBeCloseTo(
      report.rows.find((r) => r.id === 'cpu')!.figures.process_rate_eps! / report.rows.find((r) => r.id === 'baseline')!.figures.process_rate_eps!,
      9,
    );

    // The gpu row: measured only where a GPU and the RAPIDS jar are there; here, a reason and no number.
    const gpu = report.rows.find((r) => r.id === 'gpu')!;
    const reason = await unavailableReason(COMPARED_SETTINGS.find((s) => s.id === 'gpu')!, loadConfig({ home: home.home }));
    expect(gpu.available).toBe(reason === undefined);
    if (reason !== undefined) {
      expect(gpu.reason).toBe(reason);
      expect(gpu.reason).toMatch(/^not available on this machine: /);
      expect(Object.values(gpu.figures).every((value) => value === null)).toBe(true);
    }

    const markdown = fs.readFileSync(path.join(reportDir, 'compare.md'), 'utf8');
    expect(markdown).toMatch(/\| Setting \| Input Rate .*\| Training Time \(s\) \| Speed-up vs CPU/);
    expect(markdown).toContain(`| ${gpu.label} | ${gpu.available ? '' : 'not available on this machine'}`);
    const html = fs.readFileSync(path.join(reportDir, 'compare.html'), 'utf8');
    expect(html).toContain('id="pitchstream-compare"');

    // The bench started its own broker and Spark jobs: none of them is left running, and its scratch outputs are gone.
    expect(processesMentioning(home.home)).toEqual([]);
    expect(processesMentioning(outputs)).toEqual([]);
    expect(fs.existsSync(outputs) ? fs.readdirSync(outputs).filter((name) => name.startsWith('compare-')) : []).toEqual([]);
  }, 26 * 60_000);
});
