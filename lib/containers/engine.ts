// The container engine behind `npm run cluster`: a Docker daemon with its compose, or podman with
// docker-compose talking to podman's Docker-compatible API socket (started here for the length of
// one command, and stopped again). Both are driven through the same CLI verbs.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Config } from '../config';
import { PitchstreamError } from '../errors';
import { sleep } from '../stack/processes';

export interface ContainerEngine {
  kind: 'docker' | 'podman';
  /** The engine's own CLI: docker or podman. */
  cli: string;
  /** The compose command line, before its arguments. */
  compose: readonly string[];
  /** Environment for both (podman: its configuration and DOCKER_HOST for compose). */
  env: NodeJS.ProcessEnv;
  /** Ends what opening the engine started (podman's API service); idempotent. */
  close(): Promise<void>;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without throwing; a missing command gives exit code 127; signal ends it early. */
export async function runCommand(command: string, args: readonly string[], env?: NodeJS.ProcessEnv, timeoutMs = 60_000, signal?: AbortSignal): Promise<CommandResult> {
  const result = await execa(command, args, { env, reject: false, timeout: timeoutMs, stdin: 'ignore', ...(signal ? { cancelSignal: signal } : {}) });
  const missing = (result as { code?: string }).code === 'ENOENT';
  return { exitCode: missing ? 127 : (result.exitCode ?? 1), stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

async function answers(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<boolean> {
  return (await runCommand(command, args, env, 20_000)).exitCode === 0;
}

/** The host's hard limit of open files: a container may not be given more (podman as root). */
async function hardOpenFilesLimit(): Promise<number> {
  const result = await runCommand('sh', ['-c', 'ulimit -Hn']);
  const value = Number(result.stdout.trim());
  return Number.isInteger(value) && value > 0 ? value : 65_536;
}

/** Limits given to every container of the stack, within what this host allows. */
export async function containerLimits(): Promise<{ nofile: number; nproc: number }> {
  // nproc: podman as root asks for 1,048,576 processes by default, which hosts with a lower hard
  // limit refuse ("error setting rlimit type 6"); 32,768 is far more than the stack uses.
  return { nofile: Math.min(65_536, await hardOpenFilesLimit()), nproc: 32_768 };
}

function composeMissing(kind: string): PitchstreamError {
  return new PitchstreamError('CONTAINER_ENGINE_MISSING', `${kind} answers, but no compose command was found (neither \`docker compose\` nor \`docker-compose\`)`, {
    fix: kind === 'podman' ? 'Install docker-compose (Debian: `apt-get install docker-compose`); pitchstream drives it through podman\'s API socket.' : 'Install the Docker compose plugin (docker-compose-plugin) or docker-compose.',
  });
}

async function openDocker(): Promise<ContainerEngine> {
  let compose: string[];
  if (await answers('docker', ['compose', 'version'])) compose = ['docker', 'compose'];
  else if (await answers('docker-compose', ['version'])) compose = ['docker-compose'];
  else throw composeMissing('docker');
  return { kind: 'docker', cli: 'docker', compose, env: { ...process.env }, close: async () => undefined };
}

/** podman's containers.conf for the stack: the limits above and, where set, runtime and cgroup manager. */
function podmanConf(config: Config, limits: { nofile: number; nproc: number }): string {
  const engine = [
    config.podmanRuntime ? `runtime = "${config.podmanRuntime}"` : '',
    config.podmanCgroupManager ? `cgroup_manager = "${config.podmanCgroupManager}"` : '',
    // Without systemd there is no journal to log events to.
    config.podmanCgroupManager === 'cgroupfs' ? 'events_logger = "file"' : '',
  ].filter(Boolean);
  return [
    '# Written by pitchstream (lib/containers/engine.ts) for the compose stack; set CONTAINERS_CONF to use your own.',
    '[containers]',
    `default_ulimits = ["nofile=${limits.nofile}:${limits.nofile}", "nproc=${limits.nproc}:${limits.nproc}"]`,
    '[engine]',
    ...engine,
    '',
  ].join('\n');
}

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ socketPath: socket, path: '/_ping', timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

async function openPodman(config: Config): Promise<ContainerEngine> {
  const compose = (await answers('docker-compose', ['version'])) ? ['docker-compose'] : undefined;
  if (!compose) throw composeMissing('podman');
  const dir = path.join(config.home, 'containers');
  fs.mkdirSync(dir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (!env.CONTAINERS_CONF) {
    const file = path.join(dir, 'containers.conf');
    fs.writeFileSync(file, podmanConf(config, await containerLimits()));
    env.CONTAINERS_CONF = file;
  }
  // A unix socket path must stay under ~108 bytes: keep it in the temp folder, one per home.
  const id = crypto.createHash('sha256').update(path.resolve(config.home)).digest('hex').slice(0, 10);
  const socket = path.join(os.tmpdir(), `pitchstream-podman-${id}.sock`);
  fs.rmSync(socket, { force: true });
  const log = fs.openSync(path.join(dir, 'podman-service.log'), 'a');
  // Its own process group, so that a Ctrl-C in the terminal reaches us, and we end it in order.
  const service = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], { env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => service.once('exit', () => resolve()));
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (service.pid) {
      try {
        process.kill(-service.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await Promise.race([exited, sleep(10_000)]);
    fs.rmSync(socket, { force: true });
  };
  for (let waited = 0; waited < 15_000; waited += 250) {
    if (await ping(socket)) return { kind: 'podman', cli: 'podman', compose, env: { ...env, DOCKER_HOST: `unix://${socket}` }, close };
    if (service.exitCode !== null) break;
    await sleep(250);
  }
  await close();
  throw new PitchstreamError('CONTAINER_ENGINE_MISSING', `podman's API service did not answer on ${socket} (log: ${path.join(dir, 'podman-service.log')})`, {
    fix: 'Check that `podman info` works for this user; read the log named here.',
  });
}

/**
 * Opens the engine that PITCHSTREAM_CONTAINER_ENGINE names, or with `auto` a Docker daemon that
 * answers, else podman. Close it when the command ends.
 */
export async function openEngine(config: Config): Promise<ContainerEngine> {
  const choice = config.containerEngine;
  if (choice === 'docker' || (choice === 'auto' && (await answers('docker', ['info', '--format', '{{.ServerVersion}}'])))) {
    if (choice === 'docker' && !(await answers('docker', ['info', '--format', '{{.ServerVersion}}'])))
      throw new PitchstreamError('CONTAINER_ENGINE_MISSING', 'PITCHSTREAM_CONTAINER_ENGINE=docker, but no Docker daemon answers (`docker info` fails)', {
        fix: 'Start the Docker daemon (e.g. `systemctl start docker`), or set PITCHSTREAM_CONTAINER_ENGINE=podman.',
      });
    return openDocker();
  }
  if (await answers('podman', ['--version'])) return openPodman(config);
  throw new PitchstreamError(
    'CONTAINER_ENGINE_MISSING',
    choice === 'podman' ? 'PITCHSTREAM_CONTAINER_ENGINE=podman, but `podman` is not installed' : 'no container engine: no Docker daemon answers and podman is not installed',
  );
}
