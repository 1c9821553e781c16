// `npm run lab` and `npm start` as a person runs them: in a terminal, where they keep what they
// started up until Ctrl-C, SIGTERM or the terminal closing, and then stop all of it.
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/config';
import { isLabHealthy, labStatus, stopLab } from '../../lib/jupyter';
import { canConnect, isPortFree, stackDown } from '../../lib/stack';
import { loadConfig } from '../../lib/config';
import { freePort } from '../helpers/free-port';
import { openTerminal, processesMatching, type Terminal } from '../helpers/terminal';

const root = projectRoot();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Processes pitchstream starts: services (by their marker), notebook runs and kernels, Spark jobs. */
const OURS = /pitchstream\.service=|jupyter-nbconvert|nbconvert --execute|tslab|SparkSubmit|pitchstream\.js (lab|start)/;

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await sleep(250);
  }
}

type Stop = 'Ctrl-C' | 'SIGTERM' | 'hang-up';

/** Stops the command as a person would: SIGTERM goes to the pitchstream process, as `kill <pid>` does. */
function stop(terminal: Terminal, how: Stop, command: RegExp): void {
  if (how === 'Ctrl-C') terminal.type('\x03');
  else if (how === 'hang-up') terminal.hangUp();
  else for (const pid of terminal.processes(command)) process.kill(pid, 'SIGTERM');
}

let open: Terminal | undefined;
// A failed test must not leave its command (and what it started) to the next one.
afterEach(async () => {
  open?.hangUp();
  open = undefined;
  await stopLab();
});

afterAll(async () => {
  await stopLab();
  await stackDown(loadConfig());
});

describe('npm run lab in a terminal', () => {
  for (const how of ['Ctrl-C', 'SIGTERM', 'hang-up'] as const)
    it(`keeps Jupyter Lab up until ${how}, then stops it`, async () => {
      const port = await freePort();
      const terminal = (open = openTerminal('npm run lab', { cwd: root, env: { PITCHSTREAM_LAB_PORT: String(port) } }));
      await terminal.waitFor(/Press Ctrl-C to stop it/, 120_000);
      const token = /[?&]token=(\w+)/.exec(terminal.output())?.[1] ?? '';
      // It waits: some seconds later the command is still there and Lab still answers.
      await sleep(4_000);
      expect(terminal.processes(/^node \S*pitchstream\.js lab/)).toHaveLength(1);
      expect(await isLabHealthy(port, token)).toBe(true);

      stop(terminal, how, /^node \S*pitchstream\.js lab/);
      const exit = await terminal.exited;
      if (how !== 'hang-up') {
        // Ctrl-C reaches npm's shell too, which then ends as interrupted (130), the shell convention.
        expect(exit.exitCode).toBe(how === 'Ctrl-C' ? 130 : 0);
        expect(terminal.output()).toContain('Jupyter Lab stopped.');
      }
      await until(() => processesMatching(OURS).length === 0, 30_000, `processes left: ${JSON.stringify(processesMatching(OURS))}`);
      expect(labStatus()).toBeUndefined();
      expect(await isPortFree(port)).toBe(true);
    }, 180_000);
});

/** Notebook parameters (the caller's environment wins over the main job's own short runs). */
const SHORTER_RUNS = { STREAM_DURATION_S: '15', LWP_DURATION_S: '20', LWP_COMPARE_S: '20', LWP_MATCHES_PER_SEASON: '3' };

describe('npm start in a terminal', () => {
  const config = loadConfig();
  const gitStatus = () => execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' });
  const START = /^node \S*pitchstream\.js start/;

  it('runs the notebooks, keeps the stack up until Ctrl-C, then stops all of it and leaves git status as it was', async () => {
    const before = gitStatus();
    // The whole main job: stack, smoke pipeline, notebooks 02 → 03 → 04 (minutes; more on a busy
    // machine), with shorter live runs than the main job's own (the notebook tests cover those).
    const terminal = (open = openTerminal('npm start', { cwd: root, env: SHORTER_RUNS }));
    await terminal.waitFor(/Press Ctrl-C to stop it/, 1_200_000);
    for (const notebook of [/ok\s+02_Entrenamiento_Modelo_LWP\.ipynb/, /ok\s+03_Streaming_Estadisticas\.ipynb/, /ok\s+04_Streaming_Inferencia_LWP\.ipynb/]) expect(terminal.output()).toMatch(notebook);
    await sleep(4_000);
    expect(terminal.processes(START)).toHaveLength(1);
    expect(await canConnect(config.kafkaPort)).toBe(true);

    terminal.type('\x03');
    const exit = await terminal.exited;
    // Ctrl-C is how this wait is meant to end; npm's shell, interrupted too, reports 130.
    expect(exit.exitCode).toBe(130);
    expect(terminal.output()).toMatch(/Ctrl-C: stopping …[\s\S]*stopped: .*kafka/);
    await until(() => processesMatching(OURS).length === 0, 60_000, `processes left: ${JSON.stringify(processesMatching(OURS))}`);
    expect(await isPortFree(config.kafkaPort)).toBe(true);
    expect(gitStatus()).toBe(before);
  }, 1_500_000);

  for (const how of ['SIGTERM', 'hang-up'] as const)
    it(`stopped by ${how} while a notebook runs: stops the notebook's kernel and the stack`, async () => {
      const terminal = (open = openTerminal('npm start', { cwd: root }));
      await terminal.waitFor(/running notebook 02_/, 300_000);
      // Inside the first notebook: its kernel is up and its training job starting.
      await sleep(15_000);
      stop(terminal, how, START);
      const exit = await terminal.exited;
      if (how === 'SIGTERM') {
        // Stopped before its work was done: 128 + 15, the shell's convention for SIGTERM.
        expect(exit.exitCode).toBe(143);
        expect(terminal.output()).toMatch(/STOPPED 02_Entrenamiento_Modelo_LWP\.ipynb/);
        expect(terminal.output()).toMatch(/SIGTERM: stopping …[\s\S]*stopped: .*kafka/);
      }
      await until(() => processesMatching(OURS).length === 0, 60_000, `processes left: ${JSON.stringify(processesMatching(OURS))}`);
      expect(await isPortFree(config.kafkaPort)).toBe(true);
    }, 600_000);
});
