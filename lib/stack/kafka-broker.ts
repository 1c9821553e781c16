// The embedded Kafka broker: one KRaft node (broker + controller) started from the jars the
// set-up resolved, with its data under the project's home folder.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { installPaths, requireInstalled, versions, type Config } from '../config';
import { PitchstreamError } from '../errors';
import { brokerAnswersMetadata } from '../kafka/health';
import { describeKafkaSecurity, kafkaSecurity } from '../kafka/security';
import { canConnect, requireFreePort, waitUntil } from './ports';
import { isOurs, readService, serviceMarker, startService, stopService, tailFile, type ServiceRecord } from './processes';

export const KAFKA_SERVICE = 'kafka';

export interface KafkaBrokerInfo {
  bootstrap: string;
  external: boolean;
  record?: ServiceRecord;
  /** The bootstrap addresses of the TLS and SASL listeners, when the broker was started with them. */
  secured?: { ssl: string; saslSsl: string };
}

/**
 * TLS and SASL listeners beside the plaintext one: an embedded broker that speaks like a secured cluster
 * (the tests of KAFKA_SECURITY_PROTOCOL use it). Loopback only, as the plaintext listener.
 */
export interface SecuredListeners {
  /** PEM file with the broker's private key (unencrypted PKCS#8) and its certificate chain. */
  keystorePem: string;
  sslPort: number;
  saslSslPort: number;
  /** SCRAM-SHA-512 users, created when the data directory is formatted. */
  scramUsers: { name: string; password: string }[];
}

export function kafkaDirs(config: Config) {
  const paths = installPaths(config.home, versions());
  return {
    jars: paths.kafkaJars,
    run: paths.run,
    logs: paths.logs,
    conf: path.join(paths.run, 'kafka'),
    data: path.join(config.home, 'kafka-data'),
  };
}

/**
 * What every pitchstream broker node is: a combined KRaft broker + controller. Internal topics get `replicas`
 * copies with all but one in sync (one node: one copy; the loopback cluster: three, two in sync).
 */
export function kraftNodeSettings(options: { dataDir: string; nodeId: number; replicas: number }): Record<string, string | number> {
  const { replicas } = options;
  const inSync = Math.max(1, replicas - 1);
  return {
    'process.roles': 'broker,controller',
    'node.id': options.nodeId,
    'log.dirs': options.dataDir,
    'num.partitions': 4,
    'offsets.topic.replication.factor': replicas,
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': inSync,
    'share.coordinator.state.topic.replication.factor': replicas,
    'share.coordinator.state.topic.min.isr': inSync,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': 'false',
    'log.retention.hours': 24,
  };
}

const singleNodeSettings = (dataDir: string) => kraftNodeSettings({ dataDir, nodeId: 1, replicas: 1 });

/** The JVM command line of a broker node (its service marker names it in the process list). */
export function brokerJvmArgs(options: { heap: string; log4j: string; service: string; jars: string; properties: string }): string[] {
  return [
    '-Xms128m',
    `-Xmx${options.heap}`,
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${options.log4j}`,
    serviceMarker(options.service),
    '-cp',
    classpath(options.jars),
    'kafka.Kafka',
    options.properties,
  ];
}

export function formatProperties(lines: Record<string, string | number>): string {
  return `${Object.entries(lines)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/** The broker's server.properties: a single combined node, loopback only (with TLS and SASL listeners when secured). */
export function brokerProperties(options: { port: number; controllerPort: number; dataDir: string; secured?: SecuredListeners }): string {
  const { secured } = options;
  const clientListeners = [`PLAINTEXT://127.0.0.1:${options.port}`];
  if (secured) clientListeners.push(`SSL://127.0.0.1:${secured.sslPort}`, `SASL_SSL://127.0.0.1:${secured.saslSslPort}`);
  return formatProperties({
    ...singleNodeSettings(options.dataDir),
    'controller.quorum.voters': `1@127.0.0.1:${options.controllerPort}`,
    listeners: [...clientListeners, `CONTROLLER://127.0.0.1:${options.controllerPort}`].join(','),
    'advertised.listeners': clientListeners.join(','),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': `PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${secured ? ',SSL:SSL,SASL_SSL:SASL_SSL' : ''}`,
    ...(secured
      ? {
          'ssl.keystore.type': 'PEM',
          'ssl.keystore.location': secured.keystorePem,
          'ssl.client.auth': 'none',
          'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
          'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
        }
      : {}),
  });
}

/** Ports of the broker inside its container: containers use INTERNAL, the host reaches EXTERNAL. */
export const CONTAINER_BROKER_PORTS = { internal: 9092, controller: 9093, external: 9094 } as const;

/**
 * server.properties of the compose stack's broker: the same single node with a listener for the
 * other containers and one published to the host. advertised.listeners is left to the container's
 * start (it names the host port chosen when the stack starts).
 */
export function containerBrokerProperties(options: { dataDir: string }): string {
  const ports = CONTAINER_BROKER_PORTS;
  return formatProperties({
    ...singleNodeSettings(options.dataDir),
    'controller.quorum.voters': `1@127.0.0.1:${ports.controller}`,
    listeners: `INTERNAL://0.0.0.0:${ports.internal},EXTERNAL://0.0.0.0:${ports.external},CONTROLLER://127.0.0.1:${ports.controller}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'INTERNAL',
    'listener.security.protocol.map': 'INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
  });
}

export const BROKER_LOG4J2 = `# Broker log: warnings and the start-up line, to stdout (redirected to the service log).
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
`;

export function java(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function classpath(jars: string): string {
  return `${requireInstalled(jars, `Kafka ${versions().kafka} jars`)}/*`;
}

/** A new KRaft cluster id (Kafka's storage tool). */
export function newClusterId(jars: string): string {
  const id = spawnSync(java(), ['-cp', classpath(jars), 'kafka.tools.StorageTool', 'random-uuid'], { encoding: 'utf8' });
  if (id.error || id.status !== 0)
    throw new PitchstreamError('PROCESS_START_FAILED', `could not run Java to format the Kafka storage: ${id.error?.message ?? id.stderr}`, {
      fix: 'install Java 17+ and put `java` on PATH (or set JAVA_HOME)',
    });
  return id.stdout.trim();
}

/** Formats the data directory once (KRaft needs a cluster id); checks an existing one is sane. */
export function prepareDataDir(
  dataDir: string,
  jars: string,
  propertiesFile: string,
  formatArgs: readonly string[] = [],
  node: { id: number; clusterId?: string } = { id: 1 },
): 'formatted' | 'existing' {
  const meta = path.join(dataDir, 'meta.properties');
  if (fs.existsSync(meta)) {
    const text = fs.readFileSync(meta, 'utf8');
    if (!/^cluster\.id=\S+/m.test(text) || !new RegExp(`^node\\.id=${node.id}$`, 'm').test(text))
      throw new PitchstreamError('KAFKA_DATA_CORRUPT', `the broker data directory ${dataDir} has an unreadable meta.properties`, {
        details: { dataDir },
      });
    return 'existing';
  }
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0)
    throw new PitchstreamError('KAFKA_DATA_CORRUPT', `the broker data directory ${dataDir} has data but no meta.properties`, {
      details: { dataDir },
    });
  fs.mkdirSync(dataDir, { recursive: true });
  const cp = classpath(jars);
  const clusterId = node.clusterId ?? newClusterId(jars);
  const format = spawnSync(
    java(),
    ['-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propertiesFile, ...formatArgs],
    { encoding: 'utf8' },
  );
  if (format.status !== 0)
    throw new PitchstreamError('KAFKA_DATA_CORRUPT', `formatting ${dataDir} failed: ${format.stderr || format.stdout}`, {
      details: { dataDir },
    });
  return 'formatted';
}

/** Lines in the broker log that mean the data directory, not the broker, is the problem. */
const CORRUPTION = /InconsistentClusterIdException|Invalid cluster\.id|CorruptRecordException|KafkaStorageException|meta\.properties|No readable meta\.properties|Unexpected error while loading metadata/;

export async function startKafkaBroker(config: Config, options: { secured?: SecuredListeners } = {}): Promise<KafkaBrokerInfo> {
  const { secured } = options;
  if (config.kafkaBootstrap) {
    const security = kafkaSecurity(config);
    if (!(await brokerAnswersMetadata(config.kafkaBootstrap, 10_000, security)))
      throw new PitchstreamError(
        'KAFKA_UNREACHABLE',
        `no Kafka broker answers at KAFKA_BOOTSTRAP=${config.kafkaBootstrap} (${describeKafkaSecurity(security)})`,
        {
          fix:
            security.protocol === 'PLAINTEXT'
              ? 'start that cluster, correct KAFKA_BOOTSTRAP, or unset it to use the embedded broker; a secured listener needs KAFKA_SECURITY_PROTOCOL'
              : 'start that cluster or correct KAFKA_BOOTSTRAP; `npm run doctor` checks the security settings, and a plain `npm run produce` names a refused password or an untrusted certificate',
        },
      );
    return { bootstrap: config.kafkaBootstrap, external: true };
  }
  const dirs = kafkaDirs(config);
  const bootstrap = `127.0.0.1:${config.kafkaPort}`;
  const existing = readService(dirs.run, KAFKA_SERVICE);
  if (existing && isOurs(existing)) return { bootstrap: existing.urls.bootstrap ?? bootstrap, external: false, record: existing };
  if (existing) await stopService(dirs.run, KAFKA_SERVICE); // stale pid file after a crash

  await requireFreePort(config.kafkaPort, 'Kafka broker', 'PITCHSTREAM_KAFKA_PORT');
  await requireFreePort(config.kafkaControllerPort, 'Kafka KRaft controller', 'PITCHSTREAM_KAFKA_CONTROLLER_PORT');
  fs.mkdirSync(dirs.conf, { recursive: true });
  const properties = path.join(dirs.conf, 'server.properties');
  const log4j = path.join(dirs.conf, 'log4j2.properties');
  fs.writeFileSync(
    properties,
    brokerProperties({ port: config.kafkaPort, controllerPort: config.kafkaControllerPort, dataDir: dirs.data, secured }),
  );
  fs.writeFileSync(log4j, BROKER_LOG4J2);
  const scramUsers = (secured?.scramUsers ?? []).flatMap((user) => ['--add-scram', `SCRAM-SHA-512=[name=${user.name},password=${user.password}]`]);
  prepareDataDir(dirs.data, dirs.jars, properties, scramUsers);
  const securedBootstraps = secured ? { ssl: `127.0.0.1:${secured.sslPort}`, saslSsl: `127.0.0.1:${secured.saslSslPort}` } : undefined;

  const record = await startService({
    service: KAFKA_SERVICE,
    command: java(),
    args: brokerJvmArgs({ heap: config.kafkaHeap, log4j, service: KAFKA_SERVICE, jars: dirs.jars, properties }),
    runDir: dirs.run,
    logDir: dirs.logs,
    ports: { client: config.kafkaPort, controller: config.kafkaControllerPort },
    urls: { bootstrap },
  });

  const outcome = await waitUntil(
    async () => (await canConnect(config.kafkaPort)) && brokerAnswersMetadata(bootstrap, 5_000),
    { timeoutMs: config.startupTimeoutMs, intervalMs: 500, alive: () => isOurs(record) },
  );
  if (outcome === 'ready') return { bootstrap, external: false, record, secured: securedBootstraps };

  const tail = tailFile(record.log, 15);
  await stopService(dirs.run, KAFKA_SERVICE, 5_000);
  if (CORRUPTION.test(tail))
    throw new PitchstreamError('KAFKA_DATA_CORRUPT', `the Kafka broker refused its data directory ${dirs.data}:\n${tail}`, {
      details: { log: record.log, dataDir: dirs.data },
    });
  if (outcome === 'died')
    throw new PitchstreamError('PROCESS_START_FAILED', `the Kafka broker exited during start-up (log: ${record.log}):\n${tail}`, {
      details: { log: record.log },
    });
  throw new PitchstreamError(
    'STARTUP_TIMEOUT',
    `the Kafka broker did not answer metadata requests within ${config.startupTimeoutMs} ms (log: ${record.log})`,
    { fix: 'read the log; on a slow machine raise PITCHSTREAM_STARTUP_TIMEOUT_MS', details: { log: record.log } },
  );
}

export async function stopKafkaBroker(config: Config): Promise<boolean> {
  return stopService(kafkaDirs(config).run, KAFKA_SERVICE);
}

/** Deletes the embedded broker's data (all topics); refuses while the broker runs. */
export function resetKafkaData(config: Config): string {
  const dirs = kafkaDirs(config);
  const running = readService(dirs.run, KAFKA_SERVICE);
  if (running && isOurs(running))
    throw new PitchstreamError('CONFIG_INVALID', 'the embedded Kafka broker is running; its data cannot be reset now', {
      fix: 'run `npm run stack -- down` first',
    });
  fs.rmSync(dirs.data, { recursive: true, force: true });
  return dirs.data;
}
