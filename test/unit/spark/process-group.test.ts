import { spawn } from 'node:child_process';
import path from 'node:path';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { groupAlive, signalGroup, waitForGroupExit } from '../../../lib/spark/process-group';

// Real processes: a Node child tracks a `sleep` group as submitJob tracks a Spark job, then gets a signal.
const FIXTURE = path.resolve('test/fixtures/process-group/tracked-sleeper.cjs');
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) signalGroup(pid, 'SIGKILL');
});

async function trackedSleeper(handlesTerm: boolean) {
  // The child runs plain Node: it loads the compiled module from dist (npm test builds it first).
  const module = path.resolve('dist/lib/spark/process-group.js');
  const child = spawn(process.execPath, [FIXTURE, ...(handlesTerm ? ['handle'] : [])], {
    env: { ...process.env, PROCESS_GROUP_MODULE: module },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const sleeper = Number(line.toString().trim().split('\n')[0]);
  started.push(sleeper, child.pid!);
  return { child, sleeper };
}

describe('trackGroup', () => {
  it('kills the tracked group when the process is ended by SIGTERM, and the process still ends by it', async () => {
    const { child, sleeper } = await trackedSleeper(false);
    expect(groupAlive(sleeper)).toBe(true);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    expect(await waitForGroupExit(sleeper, 5_000)).toBe(true);
  });

  it('leaves the group alone when the process handles the signal itself and goes on', async () => {
    const { child, sleeper } = await trackedSleeper(true);
    child.kill('SIGTERM');
    await once(child.stdout!, 'data'); // "handled"
    expect(child.exitCode).toBeNull();
    expect(groupAlive(sleeper)).toBe(true);
    child.kill('SIGKILL');
  });
});
