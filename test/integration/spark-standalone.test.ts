// The local standalone cluster for real: master + worker JVMs on free ports, one job on them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';
import { isPitchstreamError } from '../../lib/errors';
import { submitJob } from '../../lib/spark/submit-job';
import { isAlive } from '../../lib/stack/processes';
import { readMasterState, requireSparkMasterReachable, startSparkStandalone, stopSparkStandalone } from '../../lib/stack/spark-standalone';
import { freePort } from '../helpers/free-port';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-standalone-'));
let config: ReturnType<typeof loadConfig> | undefined;

/** A home of its own (pid files, logs), sharing the installed venv and jars: never touches a running stack. */
function isolatedHome(): string {
  const installed = loadConfig().home;
  const home = path.join(out, 'home');
  fs.mkdirSync(home);
  for (const name of ['venv', 'jars']) fs.symlinkSync(path.join(installed, name), path.join(home, name));
  return home;
}

afterAll(async () => {
  if (config) await stopSparkStandalone(config);
  fs.rmSync(out, { recursive: true, force: true });
});

describe('the local Spark standalone cluster', () => {
  it('starts on free ports, runs a job submitted to its master, and stops without leaving a process', async () => {
    config = loadConfig({
      home: isolatedHome(),
      sparkMasterPort: await freePort(),
      sparkMasterUiPort: await freePort(),
      sparkWorkerUiPort: await freePort(),
    });
    const cluster = await startSparkStandalone(config);
    expect(cluster.masterUrl).toBe(`spark://127.0.0.1:${config.sparkMasterPort}`);
    const state = await readMasterState(cluster.masterUiUrl);
    expect(state?.status).toBe('ALIVE');
    expect(state?.workers.filter((worker) => worker.state === 'ALIVE')).toHaveLength(1);

    const output = path.join(out, 'range.arrow');
    const job = await submitJob({ file: 'test/fixtures/jobs/range_to_arrow.py' }, ['--count', '1000', '--output', output], {
      config,
      master: cluster.masterUrl,
      timeoutMs: 150_000,
    });
    const result = await job.wait();
    expect(result.outcome).toBe('succeeded');
    expect(result.appId).toMatch(/^app-/);
    const ids = tableFromIPC(fs.readFileSync(output)).getChild('id')!.toArray() as BigInt64Array;
    expect(ids.length).toBe(1000);
    expect(ids.reduce((sum, id) => sum + id, 0n)).toBe(499_500n);

    expect(await stopSparkStandalone(config)).toEqual(['spark-worker', 'spark-master']);
    expect(isAlive(cluster.master.pid)).toBe(false);
    expect(isAlive(cluster.worker.pid)).toBe(false);
  }, 240_000);

  it('reports a master that does not answer as SPARK_UNREACHABLE', async () => {
    const port = await freePort();
    await expect(requireSparkMasterReachable(`spark://127.0.0.1:${port}`)).rejects.toSatisfy((error: unknown) =>
      isPitchstreamError(error, 'SPARK_UNREACHABLE'),
    );
  });
});
