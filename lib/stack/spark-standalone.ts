// The local Spark standalone cluster: one master and one worker from the venv's pyspark, as
// tracked services, healthy when the master's /json/ reports itself and the worker ALIVE.
import fs from 'node:fs';
import path from 'node:path';
import { installPaths, requireInstalled, versions, type Config } from '../config';
import { PitchstreamError } from '../errors';
import { rapidsJarPath, requireGpuReady } from '../spark/gpu-check';
import { effectiveSparkConf, formatSparkConf } from '../spark/spark-conf';
import { canConnect, requireFreePort, waitUntil } from './ports';
import { isAlive, isOurs, readService, serviceMarker, startService, stopService, tailFile, type ServiceRecord } from './processes';

export const SPARK_MASTER_SERVICE = 'spark-master';
export const SPARK_WORKER_SERVICE = 'spark-worker';

const DAEMON_MEMORY = '256m';
const HOST = '127.0.0.1';
const HTTP_TIMEOUT_MS = 2_000;
const REACHABLE_TIMEOUT_MS = 3_000;

export interface SparkStandaloneInfo {
  /** What jobs use as --master. */
  masterUrl: string;
  masterUiUrl: string;
  workerUiUrl: string;
  master: ServiceRecord;
  worker: ServiceRecord;
}

/** What the master's /json/ endpoint reports (the fields pitchstream reads). */
export interface MasterState {
  url: string;
  status: string;
  workers: { id: string; state: string; cores: number; memory: number; webuiaddress: string }[];
}

export interface SparkStandaloneStatus {
  masterRunning: boolean;
  workerRunning: boolean;
  /** The master's own report, when its UI answers. */
  state: MasterState | undefined;
}

function runDir(config: Config): string {
  return installPaths(config.home, versions()).run;
}

/** The master's /json/ report, or undefined when it does not answer. */
export async function readMasterState(masterUiUrl: string): Promise<MasterState | undefined> {
  try {
    const response = await fetch(`${masterUiUrl}/json/`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    return response.ok ? ((await response.json()) as MasterState) : undefined;
  } catch {
    return undefined;
  }
}

function clusterReady(state: MasterState | undefined): boolean {
  return state?.status === 'ALIVE' && state.workers.some((worker) => worker.state === 'ALIVE');
}

/** Resolves when a master of a spark://host:port[,host:port] URL accepts connections; SPARK_UNREACHABLE otherwise. */
export async function requireSparkMasterReachable(masterUrl: string): Promise<void> {
  const match = /^spark:\/\/(.+)$/.exec(masterUrl);
  const hosts = (match?.[1] ?? '').split(',').map((part) => /^([^:]+):(\d+)$/.exec(part.trim()));
  if (!match || hosts.some((host) => host === null))
    throw new PitchstreamError('CONFIG_INVALID', `SPARK_MASTER must be spark://host:port[,host:port], got "${masterUrl}"`);
  for (const host of hosts) if (await canConnect(Number(host![2]), host![1], REACHABLE_TIMEOUT_MS)) return;
  throw new PitchstreamError('SPARK_UNREACHABLE', `no Spark master answers at ${masterUrl}`, { details: { masterUrl } });
}

function startupFailure(service: ServiceRecord, outcome: 'timeout' | 'died', config: Config): PitchstreamError {
  const log = tailFile(service.log, 20);
  if (outcome === 'died')
    return new PitchstreamError('PROCESS_START_FAILED', `${service.service} exited during start-up; its log ${service.log} ends with:\n${log}`, {
      details: { log: service.log },
    });
  return new PitchstreamError(
    'STARTUP_TIMEOUT',
    `${service.service} did not become healthy within ${config.startupTimeoutMs} ms; its log ${service.log} ends with:\n${log}`,
    {
      fix: `Read ${service.log}; on a slow machine raise PITCHSTREAM_STARTUP_TIMEOUT_MS (now ${config.startupTimeoutMs}).`,
      details: { log: service.log, timeoutMs: config.startupTimeoutMs },
    },
  );
}

/** Ends services this call started, also while spark-class has not yet exec'd java (no marker yet). */
async function abortStarted(config: Config, started: readonly ServiceRecord[]): Promise<void> {
  for (const record of started) {
    try {
      process.kill(-record.pid, 'SIGKILL'); // each service leads its own process group
    } catch {
      // already gone
    }
  }
  await stopSparkStandalone(config);
}

function infoFrom(master: ServiceRecord, worker: ServiceRecord): SparkStandaloneInfo {
  return {
    masterUrl: master.urls.master!,
    masterUiUrl: master.urls.ui!,
    workerUiUrl: worker.urls.ui!,
    master,
    worker,
  };
}

/**
 * Starts the master and one worker (or returns the running pair). The daemons read the base
 * configuration plus the mode's profile (gpu: the worker advertises the GPU); they log at
 * Spark's default INFO level to <home>/logs/spark-master.log and spark-worker.log.
 */
export async function startSparkStandalone(config: Config): Promise<SparkStandaloneInfo> {
  const dir = runDir(config);
  const [runningMaster, runningWorker] = [readService(dir, SPARK_MASTER_SERVICE), readService(dir, SPARK_WORKER_SERVICE)];
  if (runningMaster && runningWorker && isOurs(runningMaster) && isOurs(runningWorker)) {
    const running = infoFrom(runningMaster, runningWorker);
    const samePorts =
      runningMaster.ports.master === config.sparkMasterPort &&
      runningMaster.ports.ui === config.sparkMasterUiPort &&
      runningWorker.ports.ui === config.sparkWorkerUiPort;
    if (samePorts) return running;
    throw new PitchstreamError(
      'SPARK_CLUSTER_RUNNING',
      `the local Spark cluster already runs at ${running.masterUrl} (UI ${running.masterUiUrl}, worker UI ${running.workerUiUrl})`,
      { details: { masterUrl: running.masterUrl } },
    );
  }
  await stopSparkStandalone(config); // half a cluster, or stale records: start clean

  const paths = installPaths(config.home, versions());
  const sparkClass = requireInstalled(path.join(paths.sparkHome, 'bin', 'spark-class'), 'pyspark (spark-class in the venv)');
  const rapidsJar = rapidsJarPath(config.home, versions());
  if (config.mode === 'gpu') await requireGpuReady({ rapidsJar });
  await requireFreePort(config.sparkMasterPort, 'Spark master', 'PITCHSTREAM_SPARK_MASTER_PORT');
  await requireFreePort(config.sparkMasterUiPort, 'Spark master web UI', 'PITCHSTREAM_SPARK_MASTER_UI_PORT');
  await requireFreePort(config.sparkWorkerUiPort, 'Spark worker web UI', 'PITCHSTREAM_SPARK_WORKER_UI_PORT');

  const home = path.join(config.home, 'spark-standalone');
  const confDir = path.join(home, 'conf');
  const workDir = path.join(home, 'work');
  fs.mkdirSync(confDir, { recursive: true });
  fs.mkdirSync(workDir, { recursive: true });
  const propertiesFile = path.join(confDir, 'spark-defaults.conf');
  const conf = effectiveSparkConf({ root: config.root, mode: config.mode, variables: { root: config.root, home: config.home, rapidsJar } });
  fs.writeFileSync(propertiesFile, formatSparkConf(conf, `Configuration of the local standalone master and worker (mode ${config.mode}).`));

  const masterUrl = `spark://${HOST}:${config.sparkMasterPort}`;
  const masterUiUrl = `http://${HOST}:${config.sparkMasterUiPort}`;
  const workerUiUrl = `http://${HOST}:${config.sparkWorkerUiPort}`;
  const common = { command: sparkClass, cwd: config.root, runDir: dir, logDir: paths.logs };
  const env = (service: string): Record<string, string> => ({
    SPARK_HOME: paths.sparkHome,
    SPARK_CONF_DIR: confDir,
    SPARK_LOCAL_IP: HOST,
    SPARK_DAEMON_MEMORY: DAEMON_MEMORY,
    SPARK_DAEMON_JAVA_OPTS: serviceMarker(service),
  });
  const deadline = Date.now() + config.startupTimeoutMs;

  const master = await startService({
    ...common,
    service: SPARK_MASTER_SERVICE,
    env: env(SPARK_MASTER_SERVICE),
    args: ['org.apache.spark.deploy.master.Master', '--host', HOST, '--port', String(config.sparkMasterPort), '--webui-port', String(config.sparkMasterUiPort), '--properties-file', propertiesFile],
    ports: { master: config.sparkMasterPort, ui: config.sparkMasterUiPort },
    urls: { master: masterUrl, ui: masterUiUrl },
  });
  const masterUp = await waitUntil(async () => (await readMasterState(masterUiUrl))?.status === 'ALIVE', {
    timeoutMs: deadline - Date.now(),
    alive: () => isAlive(master.pid), // not isOurs: the marker appears once spark-class execs java
  });
  if (masterUp !== 'ready') {
    await abortStarted(config, [master]);
    throw startupFailure(master, masterUp, config);
  }

  const worker = await startService({
    ...common,
    service: SPARK_WORKER_SERVICE,
    env: env(SPARK_WORKER_SERVICE),
    args: ['org.apache.spark.deploy.worker.Worker', masterUrl, '--host', HOST, '--cores', String(config.sparkWorkerCores), '--memory', config.sparkWorkerMemory, '--webui-port', String(config.sparkWorkerUiPort), '--work-dir', workDir, '--properties-file', propertiesFile],
    ports: { ui: config.sparkWorkerUiPort },
    urls: { ui: workerUiUrl },
  });
  const workerUp = await waitUntil(async () => clusterReady(await readMasterState(masterUiUrl)), {
    timeoutMs: Math.max(deadline - Date.now(), 0),
    alive: () => isAlive(worker.pid) && isAlive(master.pid),
  });
  if (workerUp !== 'ready') {
    await abortStarted(config, [master, worker]);
    throw startupFailure(isAlive(master.pid) ? worker : master, workerUp, config);
  }
  return infoFrom(master, worker);
}

/** Stops the worker, then the master; returns the services that were running. */
export async function stopSparkStandalone(config: Config): Promise<string[]> {
  const stopped: string[] = [];
  for (const service of [SPARK_WORKER_SERVICE, SPARK_MASTER_SERVICE])
    if (await stopService(runDir(config), service)) stopped.push(service);
  return stopped;
}

export async function sparkStandaloneStatus(config: Config): Promise<SparkStandaloneStatus> {
  const master = readService(runDir(config), SPARK_MASTER_SERVICE);
  const worker = readService(runDir(config), SPARK_WORKER_SERVICE);
  const masterRunning = master !== undefined && isOurs(master);
  return {
    masterRunning,
    workerRunning: worker !== undefined && isOurs(worker),
    state: masterRunning ? await readMasterState(master.urls.ui!) : undefined,
  };
}
