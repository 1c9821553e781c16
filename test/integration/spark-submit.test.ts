// Real spark-submit runs in local mode (each one starts a JVM: ~10-20 s on a small machine).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { loadConfig, projectRoot } from '../../lib/config';
import { isPitchstreamError, type PitchstreamError } from '../../lib/errors';
import { groupAlive } from '../../lib/spark/process-group';
import { submitJob } from '../../lib/spark/submit-job';

const config = loadConfig({ sparkMaster: 'local[2]' });
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-submit-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const fixture = (name: string) => ({ file: path.join('test', 'fixtures', 'jobs', `${name}.py`) });

async function rejection(promise: Promise<unknown>): Promise<PitchstreamError> {
  return promise.then(
    () => {
      throw new Error('expected the job to fail');
    },
    (error: unknown) => error as PitchstreamError,
  );
}

describe('submitJob', () => {
  it('runs a job that writes an Arrow file with exactly the rows of spark.range', async () => {
    const output = path.join(out, 'range.arrow');
    const lines: string[] = [];
    const job = await submitJob(fixture('range_to_arrow'), ['--count', '1000', '--output', output], {
      config,
      timeoutMs: 120_000,
      onLog: (line) => lines.push(line),
    });
    const result = await job.wait();
    expect(result).toMatchObject({ outcome: 'succeeded', exitCode: 0, job: 'range_to_arrow' });
    expect(await job.appId).toMatch(/^local-\d+$/);
    expect(result.appId).toBe(await job.appId);
    const ids = tableFromIPC(fs.readFileSync(output)).getChild('id')!.toArray() as BigInt64Array;
    expect(ids.length).toBe(1000);
    expect(ids.reduce((sum, id) => sum + id, 0n)).toBe(499_500n);
    expect(fs.readFileSync(job.logPath, 'utf8')).toContain('PITCHSTREAM_APP');
    expect(lines.some((line) => line.startsWith('PITCHSTREAM_APP '))).toBe(true);
    expect(groupAlive(job.pid)).toBe(false);
  });

  it('rejects a failing job with JOB_FAILED carrying the Python exception, exit code, app id and log', async () => {
    const job = await submitJob(fixture('fail_on_purpose'), [], { config, timeoutMs: 120_000 });
    const error = await rejection(job.wait());
    expect(isPitchstreamError(error, 'JOB_FAILED')).toBe(true);
    expect(error.message).toContain('ValueError: deliberate failure for the test');
    expect(error.message).toContain('Traceback (most recent call last)');
    expect(error.details).toMatchObject({ exitCode: 1, logPath: job.logPath, errorType: 'ValueError' });
    expect(error.details.appId).toMatch(/^local-/);
    await expect(job.appId).resolves.toBe(error.details.appId);
  });

  it('stops a streaming job through its stop file promptly and leaves no process behind', async () => {
    const job = await submitJob(fixture('run_until_stopped'), [], { config, timeoutMs: 120_000, stopGraceMs: 20_000 });
    await job.appId;
    const startedMs = Date.now();
    const result = await job.stop();
    expect(Date.now() - startedMs).toBeLessThan(20_000);
    expect(result).toMatchObject({ outcome: 'stopped', exitCode: 0 });
    expect(groupAlive(job.pid)).toBe(false);
  });

  it('stops a job whose owner is killed with SIGKILL (a notebook kernel that dies): the job leads its own process group, which that death does not reach', async () => {
    // The owner: another Node process that submits the job and then waits (as a kernel would).
    const spark = path.join(projectRoot(), 'dist', 'lib', 'spark');
    const script = `require(${JSON.stringify(spark)}).submitJob({ file: ${JSON.stringify(fixture('run_until_stopped').file)} }, [], { timeoutMs: 300000 })
      .then(async (job) => { await job.appId; console.log(JSON.stringify({ pid: job.pid, log: job.logPath })); setInterval(() => undefined, 1000); });`;
    const owner = execa(process.execPath, ['-e', script], { cwd: projectRoot(), env: { SPARK_MASTER: 'local[2]' }, reject: false });
    const started = await new Promise<{ pid: number; log: string }>((resolve, reject) => {
      owner.stdout!.on('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()) as { pid: number; log: string }));
      void owner.then((result) => reject(new Error(`the owner ended before its job started: ${result.stderr}`)));
    });
    expect(groupAlive(started.pid)).toBe(true);
    owner.kill('SIGKILL');
    await owner;
    // The job notices within its stop poll, stops its query and ends.
    await expect.poll(() => groupAlive(started.pid), { timeout: 60_000, interval: 500 }).toBe(false);
    // Its log went through the owner: the stop file beside it keeps the reason.
    expect(fs.readFileSync(path.join(path.dirname(started.log), 'stop'), 'utf8')).toMatch(/the process that submitted this job \(pid \d+\) is gone: stopping/);
  }, 180_000);

  it('kills a job that runs past its timeout and rejects with JOB_TIMEOUT', async () => {
    const job = await submitJob(fixture('run_until_stopped'), [], { config, timeoutMs: 4_000 });
    const error = await rejection(job.wait());
    expect(isPitchstreamError(error, 'JOB_TIMEOUT')).toBe(true);
    expect(error.message).toContain('4000 ms');
    expect(groupAlive(job.pid)).toBe(false);
  });

  it('names the available jobs when asked for one that does not exist', async () => {
    const error = await rejection(submitJob('no_such_job', [], { config }));
    expect(isPitchstreamError(error, 'JOB_NOT_FOUND')).toBe(true);
    expect(error.message).toContain('smoke_kafka_to_arrow');
  });
});
