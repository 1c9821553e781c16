// The doctor's vocabulary: the facts it gathers once, and the result every check returns.
import type { Mode } from '../config';
import type { SparkConf, SparkConfEntry } from '../spark/spark-conf';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped';

/** One diagnosis: `message` names the keys and values involved; `fix` says what to change. */
export interface CheckResult {
  id: string;
  status: CheckStatus;
  message: string;
  /** What to do (empty for ok; the reason for skipped is in the message). */
  fix: string;
}

/** Where the job runs: local[…] (executor inside the driver JVM), a standalone spark:// master, or else. */
export type MasterKind = 'local' | 'standalone' | 'other';

export interface WorkerFacts {
  cores: number;
  memoryMb: number;
  /** GPUs the worker advertises (spark.worker.resource.gpu.amount, or the live master's report). */
  gpus: number;
}

export interface ClusterFacts {
  kind: MasterKind;
  /** True for local masters and spark:// masters on 127.0.0.1 / localhost (the host's memory is theirs). */
  onThisHost: boolean;
  /** The cluster's Spark version when known (the standalone master's UI header); undefined otherwise. */
  sparkVersion: string | undefined;
  /** Where sparkVersion came from, or why it is unknown. */
  versionSource: string;
  /** Workers: from the live master's /json/ when it answers, else what the local stack would start. */
  workers: WorkerFacts[];
  workersSource: 'master' | 'config' | 'unknown';
}

export interface GpuFacts {
  nvidiaSmi: 'found' | 'absent' | 'failed' | 'not-checked';
  /** GPUs listed by nvidia-smi (index, name). */
  gpus: string[];
  detail: string;
}

export interface FileFacts {
  exists: boolean;
  executable: boolean;
}

export interface PortFacts {
  port: number;
  purpose: string;
  variable: string;
  free: boolean;
  /** A service of our own stack is recorded on this port (then "in use" is expected). */
  ours: boolean;
}

/** Everything the checks look at. Gathered by gatherDoctorFacts; tests build it by hand. */
export interface DoctorFacts {
  /** The profile checked (cpu | gpu). */
  mode: Mode;
  /** True when this run needs the hardware (gpu mode for a real run): missing GPU is a failure, not a skip. */
  hardwareRequired: boolean;
  master: string;
  /** The effective configuration: spark-defaults.conf → <mode>.conf → overrides. */
  conf: SparkConf;
  /** The shared configuration alone (spark-defaults.conf → <mode>.conf), to compare overrides with. */
  profile: SparkConf;
  /** Settings given in code (options.conf of submitJob, i.e. notebooks), with their source. */
  overrides: readonly SparkConfEntry[];
  host: { memoryBytes: number; cores: number };
  /** Installed Python packages (name → version) in the venv; undefined when not installed. */
  python: Readonly<Record<string, string | undefined>>;
  /** Minimum versions pyspark itself declares (pandas, pyarrow, numpy), read from the installed pyspark. */
  pysparkMinimums: Readonly<Record<string, string>>;
  pinned: { spark: string; scala: string; rapids: string };
  /** File names (not paths) of the Spark Kafka connector jars submitJob adds. */
  connectorJars: readonly string[];
  connectorDir: string;
  rapidsJar: { path: string; exists: boolean };
  gpu: GpuFacts;
  /** Files the configuration points at (discovery scripts, metrics.properties), by path. */
  files: Readonly<Record<string, FileFacts>>;
  cluster: ClusterFacts;
  kafka: {
    bootstrap: string;
    reachable: boolean | undefined;
    /** How clients reach it, without secrets (describeKafkaSecurity). */
    security: string;
    /** What is wrong with the security settings (kafkaSecurityProblems), each naming its variable. */
    securityProblems: readonly string[];
    /** Security variables set while KAFKA_BOOTSTRAP is not: the embedded broker ignores them. */
    securityIgnored: readonly string[];
  };
  ports: readonly PortFacts[];
}

export interface DoctorReport {
  mode: Mode;
  master: string;
  results: CheckResult[];
  ok: boolean;
  failures: CheckResult[];
  warnings: CheckResult[];
}
