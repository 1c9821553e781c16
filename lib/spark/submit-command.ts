// The spark-submit command line of a job: program, arguments and environment. Pure.

export interface SubmitCommandInput {
  /** The venv's spark-submit. */
  sparkSubmit: string;
  /** The pyspark package folder, used as SPARK_HOME. */
  sparkHome: string;
  /** The venv's python, for the driver and the executors' Python workers. */
  python: string;
  master: string;
  appName: string;
  /** The merged configuration file (base + profile + overrides). */
  propertiesFile: string;
  /** Folder with log4j2.properties (and the merged spark-defaults.conf), as SPARK_CONF_DIR. */
  confDir: string;
  jars: readonly string[];
  pyFiles: readonly string[];
  entry: string;
  jobArgs: readonly string[];
  stopFile: string;
  errorFile: string;
  /**
   * The process the job belongs to (submitJob's own): the job stops when it is gone. A job leads its
   * own process group, so a kill -9 of its owner (a kernel that dies) reaches nothing else.
   */
  ownerPid?: number;
  /** kafka.* options of the jobs' Kafka source (security: sparkKafkaOptions), passed in the environment. */
  kafkaOptions?: Record<string, string>;
}

/** The variable that names the owner process to the job (read by jobs/pitchstream_jobs/runtime.py). */
export const OWNER_PID_VARIABLE = 'PITCHSTREAM_OWNER_PID';
/** The variable that hands the Kafka source its security options (read by jobs/pitchstream_jobs/kafka_security.py). */
export const KAFKA_OPTIONS_VARIABLE = 'PITCHSTREAM_KAFKA_OPTIONS';

export interface SubmitCommand {
  command: string;
  args: string[];
  /** Variables added to the inherited environment. */
  env: Record<string, string>;
}

const RUNTIME_OPTIONS = ['--stop-file', '--error-file'];

/** True for local[…] and spark:// masters on this machine: then Spark binds to 127.0.0.1. */
export function isLoopbackMaster(master: string): boolean {
  if (master.startsWith('local')) return true;
  const match = /^spark:\/\/([^:/,]+):\d+$/.exec(master);
  return match !== null && ['127.0.0.1', 'localhost', '::1'].includes(match[1]!);
}

export function buildSubmitCommand(input: SubmitCommandInput): SubmitCommand {
  const reserved = input.jobArgs.find((arg) => RUNTIME_OPTIONS.includes(arg.split('=')[0]!));
  if (reserved)
    throw new TypeError(`job arguments must not contain ${reserved}: submitJob adds --stop-file and --error-file itself`);
  const args = ['--master', input.master, '--name', input.appName, '--properties-file', input.propertiesFile];
  if (input.jars.length > 0) args.push('--jars', input.jars.join(','));
  if (input.pyFiles.length > 0) args.push('--py-files', input.pyFiles.join(','));
  args.push(input.entry, ...input.jobArgs, '--stop-file', input.stopFile, '--error-file', input.errorFile);
  const env: Record<string, string> = {
    SPARK_HOME: input.sparkHome,
    SPARK_CONF_DIR: input.confDir,
    PYSPARK_PYTHON: input.python,
    PYSPARK_DRIVER_PYTHON: input.python,
    PYTHONUNBUFFERED: '1',
  };
  if (isLoopbackMaster(input.master)) env.SPARK_LOCAL_IP = '127.0.0.1';
  if (input.ownerPid !== undefined) env[OWNER_PID_VARIABLE] = String(input.ownerPid);
  // In the environment, not the arguments: they hold a password and show in the process list and the job's log.
  if (input.kafkaOptions && Object.keys(input.kafkaOptions).length > 0) env[KAFKA_OPTIONS_VARIABLE] = JSON.stringify(input.kafkaOptions);
  return { command: input.sparkSubmit, args, env };
}
