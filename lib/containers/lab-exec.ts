// Commands run inside the stack's jupyter-lab container, where the drivers of cluster jobs run
// (benchmarks start their drivers there, next to the master and the workers), with their output
// streamed line by line as progress.
import { execa } from 'execa';
import type { Config } from '../config';
import { PitchstreamError } from '../errors';
import { serviceStates, withEngine } from './cluster';
import { runCommand } from './engine';

/** Runs command, streaming its lines to say with a label; rejects with its last lines when it fails. */
export async function runStreamed(command: string, args: readonly string[], env: NodeJS.ProcessEnv, say: (line: string) => void, label: string): Promise<void> {
  const child = execa(command, args, { env, reject: false, all: true, stdin: 'ignore', buffer: { all: true } });
  child.all?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) say(`  ${label}: ${line.slice(0, 160)}`);
  });
  const result = await child;
  if (result.exitCode !== 0)
    throw new PitchstreamError('JOB_FAILED', `${label}: \`${[command, ...args].join(' ').slice(0, 200)}\` failed (exit ${result.exitCode}):\n${String(result.all ?? '').trimEnd().split('\n').slice(-15).join('\n')}`);
}

async function labContainer(config: Config): Promise<string> {
  return withEngine(config, async (engine) => {
    const lab = (await serviceStates(engine)).find((s) => s.service === 'jupyter-lab' && s.status === 'running');
    if (!lab) throw new PitchstreamError('CONTAINER_UNHEALTHY', 'the stack has no running jupyter-lab container to run the command in', { fix: 'Start the stack first: npm run cluster -- up' });
    return lab.container;
  });
}

/** Runs command (in the image's project root) inside jupyter-lab with extra variables. */
export async function runInLab(config: Config, command: readonly string[], variables: Readonly<Record<string, string>>, say: (line: string) => void, label: string): Promise<void> {
  const container = await labContainer(config);
  await withEngine(config, (engine) =>
    runStreamed(engine.cli, ['exec', ...Object.entries(variables).flatMap(([k, v]) => ['-e', `${k}=${v}`]), container, ...command], engine.env, say, label),
  );
}

/** The text of a file inside jupyter-lab (a report a command there wrote). */
export async function readLabFile(config: Config, file: string): Promise<string> {
  const container = await labContainer(config);
  return withEngine(config, async (engine) => (await runCommand(engine.cli, ['exec', container, 'cat', file], engine.env)).stdout);
}
