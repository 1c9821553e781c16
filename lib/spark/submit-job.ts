// submitJob: runs a PySpark job through the venv's spark-submit and hands back a handle on it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { installPaths, loadConfig, requireInstalled, versions, type Config } from '../config';
import { runDoctorBeforeSubmit } from '../doctor/run-doctor';
import { PitchstreamError } from '../errors';
import { kafkaSecurity, sparkKafkaOptions } from '../kafka/security';
import { requireSparkMasterReachable } from '../stack/spark-standalone';
import { extractPythonTraceback, parseAppLine, parsePythonTraceback, readErrorFile, type PythonError } from './driver-log';
import { rapidsJarPath, requireGpuReady } from './gpu-check';
import { jobsPackageZip, kafkaConnectorJars, resolveJob, type JobRef } from './job-files';
import { groupAlive, signalGroup, trackGroup, untrackGroup, waitForGroupExit } from './process-group';
import { confEntries, configSparkSettings, effectiveSparkConf, formatSparkConf, sparkConfDir, type SparkConf } from './spark-conf';
import { buildSubmitCommand } from './submit-command';

export interface SubmitJobOptions {
  /** Defaults to loadConfig(). Its mode picks the conf profile (cpu | gpu). */
  config?: Config;
  /** Spark master; config.sparkMaster when absent. */
  master?: string;
  /** Spark settings that win over spark-defaults.conf, the profile and the config. */
  conf?: Readonly<Record<string, string>>;
  /** The job is killed (with its processes) and wait() rejects with JOB_TIMEOUT after this long. */
  timeoutMs?: number;
  /** How long stop() waits for a clean end after writing the stop file before it signals. */
  stopGraceMs?: number;
  /** Every line of the driver's output (stdout and stderr), as it comes. */
  onLog?: (line: string) => void;
}

export interface JobResult {
  job: string;
  appId: string | undefined;
  exitCode: number | undefined;
  signal: string | undefined;
  /** 'succeeded': the job ended by itself with exit code 0; 'stopped': through stop() or kill(). */
  outcome: 'succeeded' | 'stopped';
  durationMs: number;
  logPath: string;
}

export interface JobHandle {
  job: string;
  /** Pid of the spark-submit JVM, leader of the job's process group. */
  pid: number;
  /** Folder of this run: driver.log, conf/, error.json, the stop marker. */
  runDir: string;
  logPath: string;
  /** The Spark application id, once the session has started; rejects when the job ends first. */
  appId: Promise<string>;
  /** The driver's Spark UI address (undefined when the UI is off or the job ended first). */
  uiUrl: Promise<string | undefined>;
  /** Resolves when the job ends well or was stopped; rejects with JOB_FAILED or JOB_TIMEOUT. */
  wait(): Promise<JobResult>;
  /** Asks the job to stop (stop file), then SIGTERM and SIGKILL after the grace period. */
  stop(options?: { graceMs?: number }): Promise<JobResult>;
  /** Kills the job's whole process group at once. */
  kill(): Promise<JobResult>;
}

const DEFAULT_STOP_GRACE_MS = 30_000;
const TERM_GRACE_MS = 10_000;
const STREAM_CLOSE_TIMEOUT_MS = 5_000;
const GROUP_EXIT_TIMEOUT_MS = 5_000;
const LOG_TAIL_LINES = 30;

interface RunFiles {
  dir: string;
  confDir: string;
  propertiesFile: string;
  logPath: string;
  stopFile: string;
  errorFile: string;
}

/** A fresh run folder <home>/logs/jobs/<job>-<UTC time>-<random>/ with the merged conf in conf/. */
function createRunFiles(config: Config, job: string, conf: string): RunFiles {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const dir = path.join(installPaths(config.home, versions()).logs, 'jobs', `${job}-${stamp}-${crypto.randomBytes(3).toString('hex')}`);
  const confDir = path.join(dir, 'conf');
  fs.mkdirSync(confDir, { recursive: true });
  const propertiesFile = path.join(confDir, 'spark-defaults.conf');
  fs.writeFileSync(propertiesFile, conf);
  fs.copyFileSync(path.join(sparkConfDir(config.root), 'log4j2.properties'), path.join(confDir, 'log4j2.properties'));
  return {
    dir,
    confDir,
    propertiesFile,
    logPath: path.join(dir, 'driver.log'),
    stopFile: path.join(dir, 'stop'),
    errorFile: path.join(dir, 'error.json'),
  };
}

function tail(text: string, lines: number): string {
  return text.split('\n').filter((line) => line.trim() !== '').slice(-lines).join('\n');
}

function jobFailure(job: string, exitCode: number | undefined, appId: string | undefined, files: RunFiles): PitchstreamError {
  const log = fs.existsSync(files.logPath) ? fs.readFileSync(files.logPath, 'utf8') : '';
  const fromLog = extractPythonTraceback(log);
  const python: PythonError | undefined = readErrorFile(files.errorFile) ?? (fromLog ? parsePythonTraceback(fromLog) : undefined);
  const headline = `job ${job} failed with exit code ${exitCode ?? 'none'}${appId ? ` (app ${appId})` : ''}`;
  const body = python
    ? `${python.type}: ${python.message}\n\nPython traceback:\n${python.traceback.trimEnd()}`
    : `no Python traceback; last lines of the driver log:\n${tail(log, LOG_TAIL_LINES)}`;
  return new PitchstreamError('JOB_FAILED', `${headline}: ${body}\n\nDriver log: ${files.logPath}`, {
    fix: `Read the Python traceback above; the whole driver log is ${files.logPath}.`,
    details: {
      job,
      exitCode,
      appId,
      logPath: files.logPath,
      errorType: python?.type,
      errorMessage: python?.message,
      traceback: python?.traceback,
    },
  });
}

/**
 * The Spark settings submitJob passes: spark-defaults.conf → <mode>.conf → the settings derived
 * from the config → the caller's conf, placeholders expanded for this machine.
 */
export function submitJobSparkConf(config: Config, conf: Readonly<Record<string, string>> = {}): SparkConf {
  return effectiveSparkConf({
    root: config.root,
    mode: config.mode,
    variables: { root: config.root, home: config.home, rapidsJar: rapidsJarPath(config.home, versions()) },
    overrides: [confEntries(configSparkSettings(config), 'config'), confEntries(conf, 'options.conf')],
  });
}

/**
 * Submits a PySpark job: jobs/<job>.py (or { file } for a script elsewhere) with its arguments.
 * The driver's output goes to <home>/logs/jobs/<job>-<time>-<id>/driver.log (handle.logPath).
 * gpu mode is checked before launch (GPU_UNAVAILABLE, RAPIDS_MISSING); an unknown job gives
 * JOB_NOT_FOUND; a spark:// master that does not answer gives SPARK_UNREACHABLE.
 */
export async function submitJob(job: JobRef, args: readonly string[] = [], options: SubmitJobOptions = {}): Promise<JobHandle> {
  const config = options.config ?? loadConfig();
  const resolved = resolveJob(config.root, job);
  const paths = installPaths(config.home, versions());
  const rapidsJar = rapidsJarPath(config.home, versions());
  if (config.mode === 'gpu') await requireGpuReady({ rapidsJar });
  const master = options.master ?? config.sparkMaster;
  if (master.startsWith('spark://')) await requireSparkMasterReachable(master);
  // The configuration mistakes of the original system are caught here, before any JVM starts.
  await runDoctorBeforeSubmit({ config, master, conf: options.conf });
  const conf = submitJobSparkConf(config, options.conf);
  const files = createRunFiles(
    config,
    resolved.name,
    formatSparkConf(conf, `Effective Spark configuration of ${resolved.name} (mode ${config.mode}), written by submitJob.`),
  );
  const command = buildSubmitCommand({
    sparkSubmit: requireInstalled(path.join(paths.venv, 'bin', 'spark-submit'), 'spark-submit (pyspark in the venv)'),
    sparkHome: paths.sparkHome,
    python: requireInstalled(paths.python, 'the project Python venv'),
    master,
    appName: resolved.name,
    propertiesFile: files.propertiesFile,
    confDir: files.confDir,
    jars: kafkaConnectorJars(config.home),
    pyFiles: [jobsPackageZip(config.root, path.join(config.home, 'cache'), requireInstalled(paths.python, 'the project Python venv'))],
    entry: resolved.entry,
    jobArgs: args,
    stopFile: files.stopFile,
    errorFile: files.errorFile,
    ownerPid: process.pid,
    kafkaOptions: sparkKafkaOptions(kafkaSecurity(config)),
  });
  return launch(resolved.name, command, files, config.root, options);
}

function launch(
  job: string,
  command: ReturnType<typeof buildSubmitCommand>,
  files: RunFiles,
  cwd: string,
  options: SubmitJobOptions,
): JobHandle {
  const startedAt = Date.now();
  const log = fs.createWriteStream(files.logPath);
  log.write(`$ ${command.command} ${command.args.join(' ')}\n`);
  // Detached: the job leads its own process group, so that stop/kill/timeout reach every process.
  const subprocess: ResultPromise = execa(command.command, command.args, {
    cwd,
    env: command.env,
    detached: true,
    cleanup: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    all: true,
  });
  const pid = subprocess.pid;
  if (pid === undefined) throw new PitchstreamError('PROCESS_START_FAILED', `could not start ${command.command}`, { details: { job } });
  trackGroup(pid);

  let app: { appId: string; uiUrl: string | undefined } | undefined;
  let resolveApp: (value: string) => void = () => undefined;
  let rejectApp: (reason: unknown) => void = () => undefined;
  let resolveUi: (value: string | undefined) => void = () => undefined;
  const appId = new Promise<string>((resolve, reject) => ((resolveApp = resolve), (rejectApp = reject)));
  const uiUrl = new Promise<string | undefined>((resolve) => (resolveUi = resolve));
  appId.catch(() => undefined); // handled by whoever awaits it; never an unhandled rejection

  const lines = readline.createInterface({ input: subprocess.all!, crlfDelay: Infinity });
  lines.on('line', (line) => {
    log.write(`${line}\n`);
    if (!app) {
      app = parseAppLine(line);
      if (app) {
        resolveApp(app.appId);
        resolveUi(app.uiUrl);
      }
    }
    try {
      options.onLog?.(line);
    } catch {
      // a failing log callback must not break the job's bookkeeping
    }
  });
  const linesClosed = new Promise<void>((resolve) => lines.once('close', resolve));

  let ending: 'stopped' | 'timeout' | undefined;
  const exited = new Promise<{ exitCode: number | undefined; signal: string | undefined }>((resolve) =>
    subprocess.once('exit', (code, signal) => resolve({ exitCode: code ?? undefined, signal: signal ?? undefined })),
  );

  async function terminate(graceMs: number): Promise<void> {
    signalGroup(pid!, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, graceMs, 'timeout').unref());
    if ((await Promise.race([exited, timer])) === 'timeout') signalGroup(pid!, 'SIGKILL');
  }

  const timeout =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          ending ??= 'timeout';
          void terminate(TERM_GRACE_MS);
        }, options.timeoutMs);

  const result = (async (): Promise<JobResult> => {
    const { exitCode, signal } = await exited;
    if (timeout) clearTimeout(timeout);
    // The leader is gone: end what is left of its group (Python driver, workers), then the pipes close.
    if (groupAlive(pid)) {
      signalGroup(pid, 'SIGKILL');
      await waitForGroupExit(pid, GROUP_EXIT_TIMEOUT_MS);
    }
    untrackGroup(pid);
    await Promise.race([Promise.all([linesClosed, subprocess]), new Promise((r) => setTimeout(r, STREAM_CLOSE_TIMEOUT_MS).unref())]);
    await new Promise<void>((resolve) => log.end(resolve));
    resolveUi(undefined);
    const durationMs = Date.now() - startedAt;
    const base = { job, appId: app?.appId, exitCode, signal, durationMs, logPath: files.logPath };
    if (ending === 'timeout') {
      const error = new PitchstreamError('JOB_TIMEOUT', `job ${job} ran past its timeout of ${options.timeoutMs} ms and was killed`, {
        fix: `Raise the timeoutMs option (now ${options.timeoutMs}), or give the job less input; its driver log is ${files.logPath}.`,
        details: { ...base, timeoutMs: options.timeoutMs },
      });
      rejectApp(error);
      throw error;
    }
    if (ending === 'stopped' || exitCode === 0) {
      if (!app) rejectApp(new PitchstreamError('JOB_FAILED', `job ${job} ended before it reported its application id`, { details: base }));
      return { ...base, outcome: ending === 'stopped' ? 'stopped' : 'succeeded' };
    }
    const error = jobFailure(job, exitCode, app?.appId, files);
    rejectApp(error);
    throw error;
  })();
  result.catch(() => undefined); // wait() re-exposes the rejection

  return {
    job,
    pid,
    runDir: files.dir,
    logPath: files.logPath,
    appId,
    uiUrl,
    wait: () => result,
    async stop({ graceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS } = {}) {
      ending ??= 'stopped';
      fs.writeFileSync(files.stopFile, new Date().toISOString());
      const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, graceMs, 'timeout').unref());
      if ((await Promise.race([exited, timer])) === 'timeout') await terminate(TERM_GRACE_MS);
      return result;
    },
    async kill() {
      ending ??= 'stopped';
      signalGroup(pid, 'SIGKILL');
      return result;
    },
  };
}
