// Gathers the doctor's facts in one place: host, venv packages, jars, nvidia-smi, cluster, Kafka, ports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { installPaths, versions, type Config, type Mode } from '../config';
import { describeKafkaSecurity, kafkaSecurity, kafkaSecurityProblems } from '../kafka/security';
import { rapidsJarPath } from '../spark/gpu-check';
import { confEntries, configSparkSettings, effectiveSparkConf, mergeSparkConf, readSparkConfFile, sparkConfDir, type SparkConfEntry } from '../spark/spark-conf';
import { isLoopbackMaster } from '../spark/submit-command';
import { canConnect, isPortFree } from '../stack/ports';
import { readMasterState } from '../stack/spark-standalone';
import { stackStatus } from '../stack/stack';
import type { ClusterFacts, DoctorFacts, FileFacts, GpuFacts, MasterKind, PortFacts, WorkerFacts } from './types';

const NVIDIA_SMI_TIMEOUT_MS = 5_000;
const HTTP_TIMEOUT_MS = 2_000;
const CONNECT_TIMEOUT_MS = 1_000;
const PYTHON_PACKAGES = ['pyspark', 'pandas', 'pyarrow', 'numpy'];

export interface DoctorInput {
  config: Config;
  /** Profile to check; config.mode when absent. */
  mode?: Mode;
  /** Spark master; config.sparkMaster when absent. */
  master?: string;
  /** Settings given in code (submitJob's options.conf), checked against the profile. */
  conf?: Readonly<Record<string, string>>;
  /** Name of the layer `conf` comes from in messages ('options.conf' by default). */
  confSource?: string;
  /**
   * Missing GPU hardware (nvidia-smi, RAPIDS jar) fails instead of being skipped. Default: true
   * when the checked mode is the configured one and it is gpu (a real gpu run).
   */
  hardwareRequired?: boolean;
  /** 'local' (default for submit) only talks to this machine; 'any' also reads a remote master's UI. */
  network?: 'local' | 'any';
  /** Probe Kafka and the stack's ports (default true). */
  probeStack?: boolean;
}

function masterKind(master: string): MasterKind {
  if (master.startsWith('local')) return 'local';
  if (master.startsWith('spark://')) return 'standalone';
  return 'other';
}

/** Installed distributions in the venv: name → version, from the *.dist-info folder names. */
export function readInstalledPackages(sitePackages: string, names: readonly string[]): Record<string, string | undefined> {
  const entries = fs.existsSync(sitePackages) ? fs.readdirSync(sitePackages) : [];
  const found: Record<string, string | undefined> = {};
  for (const name of names) {
    const pattern = new RegExp(`^${name.replace(/[-_]/g, '[-_]')}-([^-]+)\\.dist-info$`, 'i');
    const match = entries.map((entry) => pattern.exec(entry)).find((m) => m !== null);
    found[name] = match?.[1];
  }
  return found;
}

/**
 * The minimum pandas, pyarrow and numpy versions the installed pyspark enforces, read from its
 * own pyspark/sql/pandas/utils.py (minimum_pandas_version = "2.0.0", …).
 */
export function readPysparkMinimums(sparkHome: string): Record<string, string> {
  const file = path.join(sparkHome, 'sql', 'pandas', 'utils.py');
  if (!fs.existsSync(file)) return {};
  const text = fs.readFileSync(file, 'utf8');
  const minimums: Record<string, string> = {};
  for (const match of text.matchAll(/minimum_(pandas|pyarrow|numpy)_version\s*=\s*["']([^"']+)["']/g)) minimums[match[1]!] ??= match[2]!;
  return minimums;
}

function fileFacts(file: string): FileFacts {
  try {
    const stat = fs.statSync(file);
    let executable = true;
    try {
      fs.accessSync(file, fs.constants.X_OK);
    } catch {
      executable = false;
    }
    return { exists: stat.isFile(), executable };
  } catch {
    return { exists: false, executable: false };
  }
}

async function probeNvidiaSmi(): Promise<GpuFacts> {
  const run = await execa('nvidia-smi', ['--query-gpu=index,name', '--format=csv,noheader'], { reject: false, timeout: NVIDIA_SMI_TIMEOUT_MS });
  if ((run.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return { nvidiaSmi: 'absent', gpus: [], detail: 'not on PATH' };
  if (run.failed) return { nvidiaSmi: 'failed', gpus: [], detail: String(run.stderr || run.shortMessage).trim() };
  const gpus = String(run.stdout).split('\n').map((line) => line.trim()).filter(Boolean);
  return { nvidiaSmi: 'found', gpus, detail: gpus.length ? '' : 'no GPU listed' };
}

/** The Spark version in a standalone master's UI header (<span class="version" …>4.0.0</span>); its /json/ has none. */
export function parseMasterUiVersion(html: string): string | undefined {
  return /<span class="version"[^>]*>\s*([\w.-]+)\s*<\/span>/.exec(html)?.[1];
}

/** GPUs in a worker entry of the master's /json/ ("resources": {"gpu": {"addresses": [...]}} or a list). */
export function workerGpus(resources: unknown): number {
  const list = Array.isArray(resources) ? resources : resources && typeof resources === 'object' ? Object.values(resources) : [];
  return list
    .filter((r): r is { name?: string; addresses?: unknown[] } => typeof r === 'object' && r !== null)
    .filter((r) => r.name === undefined || r.name === 'gpu')
    .reduce((sum, r) => sum + (Array.isArray(r.addresses) ? r.addresses.length : 0), 0);
}

async function clusterFacts(input: DoctorInput, master: string, conf: Record<string, string>): Promise<ClusterFacts> {
  const kind = masterKind(master);
  const onThisHost = kind === 'local' || isLoopbackMaster(master);
  const configured: WorkerFacts = {
    cores: input.config.sparkWorkerCores,
    memoryMb: Math.round(Number(input.config.sparkWorkerMemory.slice(0, -1)) * ({ k: 1 / 1024, m: 1, g: 1024 }[input.config.sparkWorkerMemory.slice(-1)] ?? 1)),
    gpus: Number(conf['spark.worker.resource.gpu.amount'] ?? 0) || 0,
  };
  if (kind !== 'standalone') return { kind, onThisHost, sparkVersion: undefined, versionSource: kind === 'local' ? 'local master' : `${master}: not checked`, workers: [], workersSource: 'unknown' };
  const host = /^spark:\/\/([^:/,]+):\d+/.exec(master)?.[1] ?? '127.0.0.1';
  const uiUrl = `http://${host}:${input.config.sparkMasterUiPort}`;
  if (!onThisHost && (input.network ?? 'local') === 'local')
    return { kind, onThisHost, sparkVersion: undefined, versionSource: `remote master ${uiUrl} not read before a submit (run pitchstream doctor)`, workers: [], workersSource: 'unknown' };
  const state = await readMasterState(uiUrl);
  let sparkVersion: string | undefined;
  try {
    const page = await fetch(`${uiUrl}/`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    if (page.ok) sparkVersion = parseMasterUiVersion(await page.text());
  } catch {
    // the master does not answer: version unknown
  }
  if (state) {
    const alive = state.workers.filter((worker) => worker.state === 'ALIVE');
    const workers = alive.map((worker) => ({ cores: worker.cores, memoryMb: worker.memory, gpus: workerGpus((worker as { resources?: unknown }).resources) }));
    return { kind, onThisHost, sparkVersion, versionSource: sparkVersion ? `master UI ${uiUrl}` : `master UI ${uiUrl} shows no version`, workers, workersSource: 'master' };
  }
  return {
    kind,
    onThisHost,
    sparkVersion,
    versionSource: `master UI ${uiUrl} does not answer`,
    workers: onThisHost ? [configured] : [],
    workersSource: onThisHost ? 'config' : 'unknown',
  };
}

async function portFacts(config: Config): Promise<PortFacts[]> {
  const services = stackStatus(config).filter((service) => service.running);
  const held = new Set(services.flatMap((service) => Object.values(service.ports)));
  const wanted: Omit<PortFacts, 'free' | 'ours'>[] = [
    { port: config.sparkMasterPort, purpose: 'Spark master', variable: 'PITCHSTREAM_SPARK_MASTER_PORT' },
    { port: config.sparkMasterUiPort, purpose: 'Spark master UI', variable: 'PITCHSTREAM_SPARK_MASTER_UI_PORT' },
    { port: config.sparkWorkerUiPort, purpose: 'Spark worker UI', variable: 'PITCHSTREAM_SPARK_WORKER_UI_PORT' },
  ];
  if (!config.kafkaBootstrap)
    wanted.unshift(
      { port: config.kafkaPort, purpose: 'Kafka broker', variable: 'PITCHSTREAM_KAFKA_PORT' },
      { port: config.kafkaControllerPort, purpose: 'Kafka controller', variable: 'PITCHSTREAM_KAFKA_CONTROLLER_PORT' },
    );
  return Promise.all(wanted.map(async (port) => ({ ...port, free: await isPortFree(port.port), ours: held.has(port.port) })));
}

/** The configuration a job would run with, and its layers apart (profile vs code). */
export function doctorConf(input: DoctorInput, mode: Mode, rapidsJar: string) {
  const { config } = input;
  const variables = { root: config.root, home: config.home, rapidsJar };
  const dir = sparkConfDir(config.root);
  const profileLayers = [readSparkConfFile(path.join(dir, 'spark-defaults.conf')), readSparkConfFile(path.join(dir, `${mode}.conf`))];
  const overrides: SparkConfEntry[] = confEntries(input.conf ?? {}, input.confSource ?? 'options.conf');
  const profile = mergeSparkConf(profileLayers, variables);
  const conf = effectiveSparkConf({ root: config.root, mode, variables, overrides: [confEntries(configSparkSettings(config), 'config'), overrides] });
  return { conf, profile, overrides };
}

/** Gathers every fact the checks need. Fast: local files, one nvidia-smi in gpu mode, local HTTP/TCP probes. */
export async function gatherDoctorFacts(input: DoctorInput): Promise<DoctorFacts> {
  const { config } = input;
  const pinned = versions();
  const mode = input.mode ?? config.mode;
  const master = input.master ?? config.sparkMaster;
  const paths = installPaths(config.home, pinned);
  const rapidsJar = rapidsJarPath(config.home, pinned);
  const { conf, profile, overrides } = doctorConf(input, mode, rapidsJar);
  const files: Record<string, FileFacts> = {};
  for (const key of ['spark.executor.resource.gpu.discoveryScript', 'spark.worker.resource.gpu.discoveryScript', 'spark.metrics.conf'])
    if (conf[key] !== undefined) files[conf[key]] = fileFacts(conf[key]);
  const probeStack = input.probeStack ?? true;
  const bootstrap = config.kafkaBootstrap ?? `127.0.0.1:${config.kafkaPort}`;
  const [gpu, cluster, kafkaReachable, ports] = await Promise.all([
    mode === 'gpu' ? probeNvidiaSmi() : Promise.resolve<GpuFacts>({ nvidiaSmi: 'not-checked', gpus: [], detail: 'cpu mode' }),
    clusterFacts(input, master, { ...conf }),
    probeStack ? anyReachable(bootstrap) : Promise.resolve(undefined),
    probeStack ? portFacts(config) : Promise.resolve([]),
  ]);
  return {
    mode,
    hardwareRequired: input.hardwareRequired ?? (mode === 'gpu' && config.mode === 'gpu'),
    master,
    conf,
    profile,
    overrides,
    host: { memoryBytes: os.totalmem(), cores: os.availableParallelism() },
    python: readInstalledPackages(path.dirname(paths.sparkHome), PYTHON_PACKAGES),
    pysparkMinimums: readPysparkMinimums(paths.sparkHome),
    pinned: { spark: pinned.spark, scala: pinned.scala, rapids: pinned.rapids },
    connectorJars: fs.existsSync(paths.sparkKafkaJars) ? fs.readdirSync(paths.sparkKafkaJars).filter((file) => file.endsWith('.jar')) : [],
    connectorDir: paths.sparkKafkaJars,
    rapidsJar: { path: rapidsJar, exists: fs.existsSync(rapidsJar) },
    gpu,
    files,
    cluster,
    kafka: { bootstrap, reachable: kafkaReachable, ...kafkaSecurityFacts(config) },
    ports,
  };
}

const SECURITY_VARIABLES: readonly (readonly [keyof Config, string])[] = [
  ['kafkaSaslUsername', 'KAFKA_SASL_USERNAME'],
  ['kafkaSaslPassword', 'KAFKA_SASL_PASSWORD'],
  ['kafkaSslCaFile', 'KAFKA_SSL_CA_FILE'],
  ['kafkaSslCertFile', 'KAFKA_SSL_CERT_FILE'],
  ['kafkaSslKeyFile', 'KAFKA_SSL_KEY_FILE'],
];

function kafkaSecurityFacts(config: Config): Pick<DoctorFacts['kafka'], 'security' | 'securityProblems' | 'securityIgnored'> {
  const security = kafkaSecurity(config);
  const ignored = config.kafkaBootstrap
    ? []
    : [
        ...(config.kafkaSecurityProtocol !== 'PLAINTEXT' ? ['KAFKA_SECURITY_PROTOCOL'] : []),
        ...SECURITY_VARIABLES.filter(([key]) => config[key] !== undefined).map(([, variable]) => variable),
      ];
  return { security: describeKafkaSecurity(security), securityProblems: kafkaSecurityProblems(security), securityIgnored: ignored };
}

async function anyReachable(bootstrap: string): Promise<boolean> {
  const hosts = bootstrap.split(',').map((part) => /^(.+):(\d+)$/.exec(part.trim())).filter((m) => m !== null);
  const answers = await Promise.all(hosts.map((m) => canConnect(Number(m[2]), m[1], CONNECT_TIMEOUT_MS)));
  return answers.some(Boolean);
}
