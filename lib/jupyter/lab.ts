// Jupyter Lab as a tracked background service: token authentication always on, bound to
// 127.0.0.1 by default, the project as its root (so reports/ opens too) with notebooks/ shown
// first, pitchstream's settings (lab-settings/overrides.json: no news pop-up, no update check),
// healthy once /api/status answers with the token.
import crypto from 'node:crypto';
import path from 'node:path';
import { installPaths, loadConfig, versions, type Config } from '../config';
import { PitchstreamError } from '../errors';
import { requireFreePort, waitUntil } from '../stack/ports';
import { isAlive, isOurs, readService, serviceMarker, startService, stopService, tailFile } from '../stack/processes';
import { jupyterInstall } from './environment';

export const LAB_SERVICE = 'jupyter-lab';

export interface StartLabOptions {
  /** Default: config.labPort (PITCHSTREAM_LAB_PORT, 8888). */
  port?: number;
  /** Default: a random 48-character hex token. Authentication cannot be turned off. */
  token?: string;
  /** Address to listen on; default 127.0.0.1 (this machine only). */
  ip?: string;
  /** Default: config.startupTimeoutMs. */
  startupTimeoutMs?: number;
}

export interface RunningLab {
  /** Open this in a browser: the Lab URL with the token. */
  url: string;
  token: string;
  port: number;
  pid: number;
  log: string;
}

export interface LabStatus {
  running: boolean;
  pid: number;
  port: number | undefined;
  /** The Lab URL without its token (the token is never written to disk by pitchstream). */
  url: string | undefined;
  log: string;
}

const PROBE_TIMEOUT_MS = 2_000;

function runDir(config: Config): string {
  return installPaths(config.home, versions()).run;
}

/** True when GET /api/status answers 200 to a request carrying the token. */
export async function isLabHealthy(port: number, token: string, host = '127.0.0.1'): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}:${port}/api/status`, {
      headers: { Authorization: `token ${token}` },
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** The folder Lab opens first, relative to its root (the project). */
export const LAB_START_FOLDER = 'notebooks';
/** Lab's URL path of that folder: where `/` redirects, and the URL pitchstream prints. */
const LAB_START_PATH = `/lab/tree/${LAB_START_FOLDER}`;

/** pitchstream's Lab settings, relative to the project: overrides.json there replaces Lab's defaults. */
const LAB_SETTINGS_DIR = path.join('lib', 'jupyter', 'lab-settings');

/** Arguments of the Lab process; pure, so the unit tests can read them. */
export function labArgs(options: { port: number; ip: string; rootDir: string; asRoot: boolean; settingsDir: string }): string[] {
  return [
    // Python keeps unknown -X options in sys._xoptions and otherwise ignores them: the cleanest
    // place for the service marker that processes.ts looks for in the command line.
    '-X',
    serviceMarker(LAB_SERVICE),
    '-m',
    'jupyterlab',
    '--no-browser',
    `--ServerApp.ip=${options.ip}`,
    `--ServerApp.port=${options.port}`,
    // Fail instead of silently moving to another port.
    '--ServerApp.port_retries=0',
    `--ServerApp.root_dir=${options.rootDir}`,
    `--LabApp.default_url=${LAB_START_PATH}`,
    // The app settings folder is where Lab reads overrides.json; Lab 4 ships none of its own there.
    `--LabApp.app_settings_dir=${options.settingsDir}`,
    // No request to the internet on start (this also keeps the "newer version" notice away).
    '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
    // Jupyter refuses to start as root unless told; containers commonly run as root.
    ...(options.asRoot ? ['--allow-root'] : []),
  ];
}

function checkToken(token: string): string {
  if (!/^[\w-]{16,}$/.test(token))
    throw new TypeError(`startLab: option token must be at least 16 letters, digits, _ or -, received ${token.length} characters`);
  return token;
}

export async function startLab(options: StartLabOptions = {}): Promise<RunningLab> {
  const config = loadConfig();
  const port = options.port ?? config.labPort;
  const ip = options.ip ?? config.labIp;
  const token = checkToken(options.token ?? config.labToken ?? crypto.randomBytes(24).toString('hex'));
  const run = runDir(config);
  const existing = readService(run, LAB_SERVICE);
  if (existing && isOurs(existing))
    throw new PitchstreamError('LAB_ALREADY_RUNNING', `Jupyter Lab is already running (pid ${existing.pid}, ${existing.urls.lab ?? ''})`, {
      details: { pid: existing.pid, port: existing.ports.lab },
    });
  await requireFreePort(port, 'Jupyter Lab', 'PITCHSTREAM_LAB_PORT');
  const install = jupyterInstall(config);
  const host = ip === '0.0.0.0' ? '127.0.0.1' : ip;
  const record = await startService({
    service: LAB_SERVICE,
    command: install.python,
    args: labArgs({ port, ip, rootDir: config.root, asRoot: process.getuid?.() === 0, settingsDir: path.join(config.root, LAB_SETTINGS_DIR) }),
    // Through the environment, not the command line, so `ps` does not show the token.
    env: { ...install.env, JUPYTER_TOKEN: token },
    cwd: config.root,
    runDir: run,
    logDir: installPaths(config.home, versions()).logs,
    ports: { lab: port },
    urls: { lab: `http://${host}:${port}${LAB_START_PATH}` },
  });
  const startupTimeoutMs = options.startupTimeoutMs ?? config.startupTimeoutMs;
  const outcome = await waitUntil(() => isLabHealthy(port, token, host), {
    timeoutMs: startupTimeoutMs,
    intervalMs: 300,
    alive: () => isAlive(record.pid),
  });
  if (outcome !== 'ready') {
    await stopService(run, LAB_SERVICE);
    const log = tailFile(record.log);
    if (outcome === 'died')
      throw new PitchstreamError('PROCESS_START_FAILED', `Jupyter Lab exited during start-up; ${record.log} ends with:\n${log}`, {
        details: { log: record.log, port },
      });
    throw new PitchstreamError('STARTUP_TIMEOUT', `Jupyter Lab did not answer on port ${port} within ${startupTimeoutMs} ms; ${record.log} ends with:\n${log}`, {
      fix: 'Read the log named above; on a slow machine raise PITCHSTREAM_STARTUP_TIMEOUT_MS.',
      details: { log: record.log, port },
    });
  }
  return { url: `http://${host}:${port}${LAB_START_PATH}?token=${token}`, token, port, pid: record.pid, log: record.log };
}

/** Stops the Lab (and, through its shutdown, its kernels); false when none was running. */
export function stopLab(): Promise<boolean> {
  return stopService(runDir(loadConfig()), LAB_SERVICE);
}

/** The recorded Lab, or undefined when none was started. */
export function labStatus(): LabStatus | undefined {
  const record = readService(runDir(loadConfig()), LAB_SERVICE);
  if (!record) return undefined;
  return { running: isOurs(record), pid: record.pid, port: record.ports.lab, url: record.urls.lab, log: record.log };
}
