// The definition of every setting: its environment variable, default, parser and meaning.
// loadConfig() reads them (defaults → environment → explicit overrides); the README's table
// of variables is generated from this same list (npm run docs:config).
import { PitchstreamError } from '../errors';

export type Mode = 'cpu' | 'gpu';
/** How clients reach Kafka (lib/kafka/security.ts turns these settings into client and Spark options). */
export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];
export type ContainerEngineChoice = 'auto' | 'docker' | 'podman';

export interface Settings {
  /** Where the set-up and the stack keep their state: venv, jars, pid files, logs, broker data. */
  home: string;
  /** host:port of an existing Kafka broker; when unset, the embedded broker is used. */
  kafkaBootstrap: string | undefined;
  kafkaPort: number;
  kafkaControllerPort: number;
  kafkaHeap: string;
  /** How clients reach Kafka: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (see lib/kafka/security.ts). */
  kafkaSecurityProtocol: SecurityProtocol;
  kafkaSaslMechanism: SaslMechanism;
  kafkaSaslUsername: string | undefined;
  /** A secret: never printed, never in a report or a command line. */
  kafkaSaslPassword: string | undefined;
  kafkaSslCaFile: string | undefined;
  kafkaSslCertFile: string | undefined;
  kafkaSslKeyFile: string | undefined;
  /** Spark master URL for jobs: local[*] (embedded), or spark://host:port for a cluster. */
  sparkMaster: string;
  sparkMasterPort: number;
  sparkMasterUiPort: number;
  sparkWorkerUiPort: number;
  sparkUiPort: number;
  sparkWorkerCores: number;
  sparkWorkerMemory: string;
  mode: Mode;
  labPort: number;
  /** Address Jupyter Lab listens on: loopback, or 0.0.0.0 in its container. */
  labIp: string;
  /** Lab's token; when unset, a random one per start. */
  labToken: string | undefined;
  containerEngine: ContainerEngineChoice;
  baseImage: string | undefined;
  buildCaCerts: string | undefined;
  podmanRuntime: string | undefined;
  podmanCgroupManager: string | undefined;
  clusterLabPort: number;
  clusterKafkaPort: number;
  clusterSparkUiPort: number;
  clusterPrometheusPort: number;
  clusterGrafanaPort: number;
  clusterWorkers: number;
  clusterWorkerCores: number;
  clusterWorkerMemory: string;
  clusterKafkaHeap: string;
  /** Prometheus the notebooks read live figures from. */
  prometheusUrl: string;
  /** Maven repository for the RAPIDS jar of the spark-rapids image; unset: versions.json's. */
  mavenRepository: string | undefined;
  /** Host name the executors use to reach the driver (client mode from a container); unset: Spark's own choice. */
  sparkDriverHost: string | undefined;
  startupTimeoutMs: number;
  statsbombData: string;
  outputs: string;
}

export interface SettingDefinition<K extends keyof Settings = keyof Settings> {
  key: K;
  variable: string;
  default: string | undefined;
  description: string;
  parse: (raw: string, variable: string) => Settings[K];
}

function port(raw: string, variable: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new PitchstreamError('CONFIG_INVALID', `${variable} must be a port number from 1 to 65535, got "${raw}"`);
  return value;
}

function positiveInteger(raw: string, variable: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new PitchstreamError('CONFIG_INVALID', `${variable} must be a positive whole number, got "${raw}"`);
  return value;
}

function memory(raw: string, variable: string): string {
  if (!/^\d+[kmgKMG]$/.test(raw))
    throw new PitchstreamError('CONFIG_INVALID', `${variable} must be a JVM memory size such as 512m or 2g, got "${raw}"`);
  return raw.toLowerCase();
}

function text(raw: string): string {
  return raw;
}

function hostPort(raw: string, variable: string): string | undefined {
  if (raw === '') return undefined;
  for (const part of raw.split(',')) {
    if (!/^[\w.-]+:\d{1,5}$/.test(part.trim()))
      throw new PitchstreamError('CONFIG_INVALID', `${variable} must be host:port[,host:port…], got "${raw}"`);
  }
  return raw;
}

function sparkMaster(raw: string, variable: string): string {
  if (!/^(local(\[(\*|\d+)\])?|spark:\/\/[\w.-]+:\d+|k8s:\/\/.+|yarn)$/.test(raw))
    throw new PitchstreamError(
      'CONFIG_INVALID',
      `${variable} must be local[*], local[N], spark://host:port, k8s://… or yarn, got "${raw}"`,
    );
  return raw;
}

function optionalText(raw: string): string | undefined {
  return raw === '' ? undefined : raw;
}

function labToken(raw: string, variable: string): string | undefined {
  if (raw === '') return undefined;
  if (!/^[\w-]{16,}$/.test(raw))
    throw new PitchstreamError('CONFIG_INVALID', `${variable} must be at least 16 letters, digits, _ or -, got ${raw.length} characters`);
  return raw;
}

function containerEngine(raw: string, variable: string): ContainerEngineChoice {
  if (raw !== 'auto' && raw !== 'docker' && raw !== 'podman')
    throw new PitchstreamError('CONFIG_INVALID', `${variable} must be auto, docker or podman, got "${raw}"`);
  return raw;
}

function mode(raw: string, variable: string): Mode {
  if (raw !== 'cpu' && raw !== 'gpu')
    throw new PitchstreamError('CONFIG_INVALID', `${variable} must be "cpu" or "gpu", got "${raw}"`);
  return raw;
}

function securityProtocol(raw: string, variable: string): SecurityProtocol {
  const value = raw.toUpperCase();
  if (!(SECURITY_PROTOCOLS as readonly string[]).includes(value))
    throw new PitchstreamError('CONFIG_INVALID', `${variable} must be ${SECURITY_PROTOCOLS.join(', ')}, got "${raw}"`);
  return value as SecurityProtocol;
}

function saslMechanism(raw: string, variable: string): SaslMechanism {
  const value = raw.toUpperCase();
  if (!(SASL_MECHANISMS as readonly string[]).includes(value))
    throw new PitchstreamError('CONFIG_INVALID', `${variable} must be ${SASL_MECHANISMS.join(', ')}, got "${raw}"`);
  return value as SaslMechanism;
}

function define<K extends keyof Settings>(definition: SettingDefinition<K>): SettingDefinition<K> {
  return definition;
}

export const SETTINGS = [
  define({ key: 'home', variable: 'PITCHSTREAM_HOME', default: '.pitchstream', parse: text, description: 'State of the set-up and the local stack (venv, jars, pid files, logs, broker data), relative to the project.' }),
  define({ key: 'kafkaBootstrap', variable: 'KAFKA_BOOTSTRAP', default: undefined, parse: hostPort, description: 'An existing Kafka cluster (host:port,…); when set, the embedded broker is not started.' }),
  define({ key: 'kafkaPort', variable: 'PITCHSTREAM_KAFKA_PORT', default: '9092', parse: port, description: 'Client port of the embedded Kafka broker.' }),
  define({ key: 'kafkaControllerPort', variable: 'PITCHSTREAM_KAFKA_CONTROLLER_PORT', default: '9093', parse: port, description: 'KRaft controller port of the embedded broker.' }),
  define({ key: 'kafkaSecurityProtocol', variable: 'KAFKA_SECURITY_PROTOCOL', default: 'PLAINTEXT', parse: securityProtocol, description: 'How the producer, lib and the Spark jobs reach Kafka: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.' }),
  define({ key: 'kafkaSaslMechanism', variable: 'KAFKA_SASL_MECHANISM', default: 'SCRAM-SHA-512', parse: saslMechanism, description: 'SASL mechanism (with SASL_*): PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.' }),
  define({ key: 'kafkaSaslUsername', variable: 'KAFKA_SASL_USERNAME', default: undefined, parse: optionalText, description: 'SASL user (with SASL_*).' }),
  define({ key: 'kafkaSaslPassword', variable: 'KAFKA_SASL_PASSWORD', default: undefined, parse: optionalText, description: 'SASL password (with SASL_*); never printed or written to a report.' }),
  define({ key: 'kafkaSslCaFile', variable: 'KAFKA_SSL_CA_FILE', default: undefined, parse: optionalText, description: "PEM file of the CA that signed the brokers' certificates (with SSL, SASL_SSL); unset: the system's CAs." }),
  define({ key: 'kafkaSslCertFile', variable: 'KAFKA_SSL_CERT_FILE', default: undefined, parse: optionalText, description: 'PEM client certificate, for brokers that ask for one (mutual TLS); with KAFKA_SSL_KEY_FILE.' }),
  define({ key: 'kafkaSslKeyFile', variable: 'KAFKA_SSL_KEY_FILE', default: undefined, parse: optionalText, description: 'PEM (PKCS#8) private key of the client certificate.' }),
  define({ key: 'kafkaHeap', variable: 'PITCHSTREAM_KAFKA_HEAP', default: '512m', parse: memory, description: 'Java heap of the embedded broker.' }),
  define({ key: 'sparkMaster', variable: 'SPARK_MASTER', default: 'local[*]', parse: sparkMaster, description: 'Where jobs run: local[*] (embedded) or spark://host:port (a cluster, e.g. the local standalone one).' }),
  define({ key: 'sparkMasterPort', variable: 'PITCHSTREAM_SPARK_MASTER_PORT', default: '7077', parse: port, description: 'Port of the local standalone master.' }),
  define({ key: 'sparkMasterUiPort', variable: 'PITCHSTREAM_SPARK_MASTER_UI_PORT', default: '8080', parse: port, description: 'Web UI and REST (/json) port of the local standalone master.' }),
  define({ key: 'sparkWorkerUiPort', variable: 'PITCHSTREAM_SPARK_WORKER_UI_PORT', default: '8081', parse: port, description: 'Web UI port of the local standalone worker.' }),
  define({ key: 'sparkUiPort', variable: 'PITCHSTREAM_SPARK_UI_PORT', default: '4040', parse: port, description: 'First port tried for a job\'s Spark UI (the next free one is used).' }),
  define({ key: 'sparkWorkerCores', variable: 'PITCHSTREAM_SPARK_WORKER_CORES', default: '2', parse: positiveInteger, description: 'Cores the local standalone worker offers.' }),
  define({ key: 'sparkWorkerMemory', variable: 'PITCHSTREAM_SPARK_WORKER_MEMORY', default: '2g', parse: memory, description: 'Memory the local standalone worker offers to executors.' }),
  define({ key: 'mode', variable: 'PITCHSTREAM_MODE', default: 'cpu', parse: mode, description: 'Spark configuration profile: cpu, or gpu (NVIDIA RAPIDS; needs a GPU).' }),
  define({ key: 'labPort', variable: 'PITCHSTREAM_LAB_PORT', default: '8888', parse: port, description: 'Port of Jupyter Lab (npm run lab).' }),
  define({ key: 'labIp', variable: 'PITCHSTREAM_LAB_IP', default: '127.0.0.1', parse: text, description: 'Address Jupyter Lab listens on (0.0.0.0 in the jupyter-lab container).' }),
  define({ key: 'labToken', variable: 'PITCHSTREAM_LAB_TOKEN', default: undefined, parse: labToken, description: 'Token of Jupyter Lab (16+ letters, digits, _ or -); unset: a random one each start.' }),
  define({ key: 'sparkDriverHost', variable: 'PITCHSTREAM_SPARK_DRIVER_HOST', default: undefined, parse: optionalText, description: 'Host name executors use to reach the driver; set in the jupyter-lab container (fixed driver and block-manager ports then apply).' }),
  define({ key: 'containerEngine', variable: 'PITCHSTREAM_CONTAINER_ENGINE', default: 'auto', parse: containerEngine, description: 'Engine of `npm run cluster`: docker, podman (with docker-compose through its API socket), or auto (a Docker daemon if one answers, else podman).' }),
  define({ key: 'baseImage', variable: 'PITCHSTREAM_BASE_IMAGE', default: undefined, parse: optionalText, description: 'Base image of the container images (Debian trixie); unset: the public default named in containers/Dockerfile.' }),
  define({ key: 'buildCaCerts', variable: 'PITCHSTREAM_BUILD_CA_CERTS', default: undefined, parse: optionalText, description: 'PEM file of extra CA certificates the image builds trust (a network that inspects TLS); unset: none.' }),
  define({ key: 'podmanRuntime', variable: 'PITCHSTREAM_PODMAN_RUNTIME', default: undefined, parse: optionalText, description: "OCI runtime podman uses for the stack (e.g. runc where crun fails); unset: podman's default." }),
  define({ key: 'podmanCgroupManager', variable: 'PITCHSTREAM_PODMAN_CGROUP_MANAGER', default: undefined, parse: optionalText, description: "cgroup manager podman uses for the stack (cgroupfs without systemd); unset: podman's default." }),
  define({ key: 'clusterLabPort', variable: 'PITCHSTREAM_CLUSTER_LAB_PORT', default: '8888', parse: port, description: 'Host port of the compose stack\'s Jupyter Lab.' }),
  define({ key: 'clusterKafkaPort', variable: 'PITCHSTREAM_CLUSTER_KAFKA_PORT', default: '19092', parse: port, description: 'Host port of the compose stack\'s Kafka (its listener for the host).' }),
  define({ key: 'clusterSparkUiPort', variable: 'PITCHSTREAM_CLUSTER_SPARK_UI_PORT', default: '18080', parse: port, description: 'Host port of the compose stack\'s Spark master web UI.' }),
  define({ key: 'clusterPrometheusPort', variable: 'PITCHSTREAM_CLUSTER_PROMETHEUS_PORT', default: '19090', parse: port, description: 'Host port of the compose stack\'s Prometheus.' }),
  define({ key: 'clusterGrafanaPort', variable: 'PITCHSTREAM_CLUSTER_GRAFANA_PORT', default: '13000', parse: port, description: 'Host port of Grafana (monitoring profile).' }),
  define({ key: 'clusterWorkers', variable: 'PITCHSTREAM_CLUSTER_WORKERS', default: '2', parse: positiveInteger, description: 'Spark workers of the compose stack (`cluster up --workers N` wins).' }),
  define({ key: 'clusterWorkerCores', variable: 'PITCHSTREAM_CLUSTER_WORKER_CORES', default: '1', parse: positiveInteger, description: 'Cores each compose worker offers.' }),
  define({ key: 'clusterWorkerMemory', variable: 'PITCHSTREAM_CLUSTER_WORKER_MEMORY', default: '1g', parse: memory, description: 'Memory each compose worker offers to executors.' }),
  define({ key: 'clusterKafkaHeap', variable: 'PITCHSTREAM_CLUSTER_KAFKA_HEAP', default: '512m', parse: memory, description: "Maximum heap of the compose stack's Kafka (it starts with 128m)." }),
  define({ key: 'prometheusUrl', variable: 'PITCHSTREAM_PROMETHEUS_URL', default: 'http://127.0.0.1:9090', parse: text, description: 'Prometheus the notebooks read live streaming figures from (`prometheus --config.file=monitoring/prometheus/local.yml` listens there).' }),
  define({ key: 'mavenRepository', variable: 'PITCHSTREAM_MAVEN_REPOSITORY', default: undefined, parse: optionalText, description: "Maven repository (a mirror) the set-up fetches jars from (scripts/bootstrap.cjs reads it too), and the spark-rapids image its RAPIDS jar; unset: versions.json's (Maven Central)." }),
  define({ key: 'startupTimeoutMs', variable: 'PITCHSTREAM_STARTUP_TIMEOUT_MS', default: '90000', parse: positiveInteger, description: 'How long a process of the stack may take to become healthy.' }),
  define({ key: 'statsbombData', variable: 'STATSBOMB_DATA', default: 'data/statsbomb', parse: text, description: 'StatsBomb open data in its own layout (competitions.json, matches/, events/, …), .json or .json.gz.' }),
  define({ key: 'outputs', variable: 'PITCHSTREAM_OUTPUTS', default: 'data/outputs', parse: text, description: 'Where job runs write their outputs (one folder per run).' }),
] as const;

/** Variables read by scripts/bootstrap.cjs (it cannot import TypeScript), listed so they are known. */
export const SETUP_VARIABLES = [
  { variable: 'PITCHSTREAM_PYTHON', default: 'python3', description: 'Python used to create the project venv (set-up only).' },
] as const;
