import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../lib/config';
import { runSmokePipeline } from '../../lib/smoke';
import { isAlive, stackDown, stackStatus, stackUp, type StackEndpoints } from '../../lib/stack';
import { freePort } from '../helpers/free-port';

/** Pids of live processes whose command line carries a pitchstream service marker and `needle`. */
function markedProcesses(needle: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmd.includes('-Dpitchstream.service=') && cmd.includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('the smoke pipeline on the real stack', () => {
  let config: Config;
  let endpoints: StackEndpoints;

  beforeAll(async () => {
    config = loadConfig({
      kafkaPort: await freePort(),
      kafkaControllerPort: await freePort(),
      sparkMasterPort: await freePort(),
      sparkMasterUiPort: await freePort(),
      sparkWorkerUiPort: await freePort(),
    });
    endpoints = await stackUp(config);
  });

  afterAll(async () => {
    await stackDown(config);
  });

  it('reads 10,000 messages from Kafka through Spark into Arrow with the exact count and checksum', async () => {
    const result = await runSmokePipeline(config, { bootstrap: endpoints.kafkaBootstrap, master: 'local[2]' });
    expect(result.rows).toBe(10_000);
    expect(result.checksum).toBe(49_995_000n);
    expect(result.checksum).toBe(result.expectedChecksum);
    expect(fs.existsSync(result.arrowFile)).toBe(true);
  });

  it('runs the same job on the local standalone cluster', async () => {
    const cluster = await stackUp(config, { cluster: true });
    expect(cluster.sparkMaster).toBe(`spark://127.0.0.1:${config.sparkMasterPort}`);
    const result = await runSmokePipeline(config, { bootstrap: cluster.kafkaBootstrap, master: cluster.sparkMaster, messages: 2_000 });
    expect(result.rows).toBe(2_000);
    expect(result.checksum).toBe(1_999_000n);
    expect(result.appId).toMatch(/^app-/);
  });

  it('leaves no process running after the stack is brought down', async () => {
    const pids = stackStatus(config).map((s) => s.pid);
    expect(pids.length).toBeGreaterThanOrEqual(3);
    await stackDown(config);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(stackStatus(config)).toEqual([]);
    // Other suites may run their own services meanwhile: look for ours by the ports we chose.
    expect(markedProcesses(`:${config.sparkMasterPort}`)).toEqual([]);
    expect(markedProcesses(`kafka.Kafka`).filter((pid) => pids.includes(pid))).toEqual([]);
  });
});
