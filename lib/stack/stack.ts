// The local stack as one thing: bring it up (Kafka, optionally the standalone Spark cluster),
// say what runs where, and bring every process it started down again.
import { installPaths, versions, type Config } from '../config';
import { startKafkaBroker, KAFKA_SERVICE } from './kafka-broker';
import { isOurs, listServices, stopService, type ServiceRecord } from './processes';
import { startSparkStandalone } from './spark-standalone';

export interface StackUpOptions {
  /** Also start the local standalone master + worker (the cluster path). */
  cluster?: boolean;
  onProgress?: (line: string) => void;
}

export interface StackEndpoints {
  kafkaBootstrap: string;
  kafkaExternal: boolean;
  /** What jobs use as --master: config.sparkMaster, or the local cluster's URL when started. */
  sparkMaster: string;
  sparkMasterUi?: string;
  sparkWorkerUi?: string;
}

export interface ServiceStatus {
  service: string;
  running: boolean;
  pid: number;
  ports: Record<string, number>;
  urls: Record<string, string>;
  log: string;
  startedAt: string;
}

/** Services are stopped in this order (consumers before what they consume); others after. */
const STOP_ORDER = ['jupyter-lab', 'spark-worker', 'spark-master', KAFKA_SERVICE];

function runDir(config: Config): string {
  return installPaths(config.home, versions()).run;
}

export async function stackUp(config: Config, options: StackUpOptions = {}): Promise<StackEndpoints> {
  const say = options.onProgress ?? (() => undefined);
  say(config.kafkaBootstrap ? `Kafka: checking ${config.kafkaBootstrap} …` : `Kafka ${versions().kafka}: starting the embedded broker …`);
  const kafka = await startKafkaBroker(config);
  say(`Kafka: ready at ${kafka.bootstrap}${kafka.external ? ' (external)' : ''}`);
  const endpoints: StackEndpoints = {
    kafkaBootstrap: kafka.bootstrap,
    kafkaExternal: kafka.external,
    sparkMaster: config.sparkMaster,
  };
  if (options.cluster) {
    say(`Spark ${versions().spark}: starting the local standalone master and worker …`);
    const cluster = await startSparkStandalone(config);
    endpoints.sparkMaster = cluster.masterUrl;
    endpoints.sparkMasterUi = cluster.masterUiUrl;
    endpoints.sparkWorkerUi = cluster.workerUiUrl;
    say(`Spark: master ${cluster.masterUrl} (UI ${cluster.masterUiUrl})`);
  }
  return endpoints;
}

export function stackStatus(config: Config): ServiceStatus[] {
  return listServices(runDir(config)).map((record: ServiceRecord) => ({
    service: record.service,
    running: isOurs(record),
    pid: record.pid,
    ports: record.ports,
    urls: record.urls,
    log: record.log,
    startedAt: record.startedAt,
  }));
}

export interface StackDownOptions {
  onProgress?: (line: string) => void;
  /** Leave these running (e.g. what was already up before a command started its own). */
  keep?: ReadonlySet<string>;
}

/** Names of the services that run now. */
export function runningServices(config: Config): Set<string> {
  return new Set(stackStatus(config).filter((s) => s.running).map((s) => s.service));
}

/** Stops every process the stack recorded, also ones left by a crashed CLI. */
export async function stackDown(config: Config, options: StackDownOptions = {}): Promise<string[]> {
  const onProgress = options.onProgress ?? (() => undefined);
  const dir = runDir(config);
  const services = listServices(dir)
    .map((r) => r.service)
    .filter((s) => !options.keep?.has(s));
  const ordered = [
    ...STOP_ORDER.filter((s) => services.includes(s)),
    ...services.filter((s) => !STOP_ORDER.includes(s)),
  ];
  const stopped: string[] = [];
  for (const service of ordered) {
    onProgress(`stopping ${service} …`);
    if (await stopService(dir, service)) stopped.push(service);
  }
  return stopped;
}
