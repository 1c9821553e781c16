// Tracked background processes: each one the stack starts gets a pid file and a log file, so
// that `stack down` (from any later CLI run, also after a crash) can find and stop it.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { PitchstreamError } from '../errors';

export interface ServiceRecord {
  service: string;
  pid: number;
  /** Marker in the command line, checked before any signal so a reused pid is never killed. */
  marker: string;
  command: string;
  log: string;
  startedAt: string;
  ports: Record<string, number>;
  urls: Record<string, string>;
}

export interface StartServiceOptions {
  service: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  runDir: string;
  logDir: string;
  ports?: Record<string, number>;
  urls?: Record<string, string>;
}

export function serviceMarker(service: string): string {
  return `-Dpitchstream.service=${service}`;
}

function pidFile(runDir: string, service: string): string {
  return path.join(runDir, `${service}.json`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); /proc tells the truth on Linux.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return true;
  }
}

function commandLine(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

/** True when the pid is alive and still runs our service (not a recycled pid). */
export function isOurs(record: ServiceRecord): boolean {
  if (!isAlive(record.pid)) return false;
  const cmd = commandLine(record.pid);
  return cmd === undefined ? true : cmd.includes(record.marker);
}

export function readService(runDir: string, service: string): ServiceRecord | undefined {
  const file = pidFile(runDir, service);
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ServiceRecord;
  } catch {
    fs.rmSync(file, { force: true });
    return undefined;
  }
}

export function listServices(runDir: string): ServiceRecord[] {
  if (!fs.existsSync(runDir)) return [];
  return fs
    .readdirSync(runDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => readService(runDir, f.slice(0, -'.json'.length)))
    .filter((r): r is ServiceRecord => r !== undefined);
}

/**
 * Starts a detached background process whose output goes to a log file, and records it.
 * Its final command line must contain serviceMarker(service) (as a JVM -D option, directly or
 * through an environment variable such as SPARK_DAEMON_JAVA_OPTS) so the pid can be verified.
 */
export async function startService(options: StartServiceOptions): Promise<ServiceRecord> {
  const marker = serviceMarker(options.service);
  fs.mkdirSync(options.runDir, { recursive: true });
  fs.mkdirSync(options.logDir, { recursive: true });
  const log = path.join(options.logDir, `${options.service}.log`);
  const fd = fs.openSync(log, 'w');
  // Plain spawn, detached: the service leads its own process group and outlives this CLI.
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  const spawnError = await new Promise<Error | undefined>((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(undefined));
  });
  child.unref();
  if (spawnError)
    throw new PitchstreamError('PROCESS_START_FAILED', `could not start ${options.service}: ${spawnError.message}`, {
      cause: spawnError,
      details: { log, command: options.command },
    });
  if (child.pid === undefined)
    throw new PitchstreamError('PROCESS_START_FAILED', `could not start ${options.service} (${options.command})`, {
      details: { log },
    });
  const record: ServiceRecord = {
    service: options.service,
    pid: child.pid,
    marker,
    command: [options.command, ...options.args].join(' '),
    log,
    startedAt: new Date().toISOString(),
    ports: options.ports ?? {},
    urls: options.urls ?? {},
  };
  fs.writeFileSync(pidFile(options.runDir, options.service), JSON.stringify(record, null, 2));
  return record;
}

/** Stops a recorded service: SIGTERM to its process group, SIGKILL after the grace period. */
export async function stopService(runDir: string, service: string, graceMs = 15_000): Promise<boolean> {
  const record = readService(runDir, service);
  if (!record) return false;
  let stopped = false;
  if (isOurs(record)) {
    signal(record.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(record.pid) && Date.now() < deadline) await sleep(200);
    if (isAlive(record.pid)) {
      signal(record.pid, 'SIGKILL');
      const killDeadline = Date.now() + 5_000;
      while (isAlive(record.pid) && Date.now() < killDeadline) await sleep(100);
    }
    stopped = true;
  }
  fs.rmSync(pidFile(runDir, service), { force: true });
  return stopped;
}

/** Kills a service at once (SIGKILL to its group: no shutdown of its own, as a crash) and forgets it. */
export async function killService(runDir: string, service: string): Promise<boolean> {
  const record = readService(runDir, service);
  if (!record) return false;
  const ours = isOurs(record);
  if (ours) {
    signal(record.pid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (isAlive(record.pid) && Date.now() < deadline) await sleep(100);
  }
  fs.rmSync(pidFile(runDir, service), { force: true });
  return ours;
}

function signal(pid: number, name: NodeJS.Signals): void {
  // Negative pid: the whole process group (the service was started detached, as a group leader).
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, name);
      return;
    } catch {
      // group gone or not a leader: try the pid itself
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Last lines of a log file, for error messages. */
export function tailFile(file: string, lines = 20): string {
  if (!fs.existsSync(file)) return '';
  const text = fs.readFileSync(file, 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').slice(-lines).join('\n');
}
