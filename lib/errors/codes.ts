// The catalogue of error codes: what went wrong and the generic fix. The README's table of
// errors is generated from this list (npm run docs:errors), so both always agree.

export const ERROR_CODES = {
  CONFIG_INVALID: {
    summary: 'A configuration value is malformed or out of range.',
    fix: 'Correct the variable or option named in the message (README, "Configuration").',
  },
  CONFIG_UNKNOWN_VARIABLE: {
    summary: 'An environment variable starts with PITCHSTREAM_ but is not one pitchstream knows.',
    fix: 'Rename it to the variable suggested in the message, or remove it.',
  },
  SETUP_MISSING: {
    summary: 'Something the set-up installs (venv, jars, compiled lib) is not there.',
    fix: 'Run `npm run setup` (npm start and npm test run it for you).',
  },
  PORT_IN_USE: {
    summary: 'A port the stack needs is taken by another process.',
    fix: 'Stop the other process, or choose another port with the variable named in the message.',
  },
  PROCESS_START_FAILED: {
    summary: 'A process of the stack could not be started.',
    fix: 'Read the log named in the message; check that Java 17+ is on PATH.',
  },
  STARTUP_TIMEOUT: {
    summary: 'A process of the stack started but did not become healthy within its timeout.',
    fix: 'Read the log named in the message; on a slow machine raise the timeout variable named there.',
  },
  KAFKA_DATA_CORRUPT: {
    summary: "The Kafka broker's data directory is damaged or belongs to another cluster.",
    fix: 'Run `npm run stack -- reset-kafka` to delete the local broker data (topics are lost), then start again.',
  },
  KAFKA_UNREACHABLE: {
    summary: 'No Kafka broker answered at the bootstrap address.',
    fix: 'Start the stack (`npm run stack -- up`) or point KAFKA_BOOTSTRAP at a running broker.',
  },
  KAFKA_REQUEST_FAILED: {
    summary: 'A Kafka request (create topic, produce, consume) failed.',
    fix: 'Read the cause; check that the broker is up with `npm run stack -- status`.',
  },
  SPARK_UNREACHABLE: {
    summary: 'The Spark master named by SPARK_MASTER does not answer.',
    fix: 'Start the local cluster (`npm run stack -- up --cluster`) or correct SPARK_MASTER.',
  },
  JOB_FAILED: {
    summary: 'A Spark job exited with an error.',
    fix: "Read the Python traceback in the message and the driver log named there.",
  },
  JOB_TIMEOUT: {
    summary: 'A Spark job ran past its time limit and was stopped.',
    fix: 'Raise the timeout option of the call, or give the job less input.',
  },
  JOB_NOT_FOUND: {
    summary: 'No PySpark job of that name exists under jobs/.',
    fix: 'Use one of the job names listed in the message.',
  },
  NOTEBOOK_FAILED: {
    summary: 'A notebook failed while executing headless.',
    fix: 'Open the executed copy named in the message; the failing cell holds the error.',
  },
  OUTPUT_INVALID: {
    summary: "A job's output file is missing or not valid Arrow IPC.",
    fix: 'Run the job again; if it keeps failing, read its driver log.',
  },
} as const satisfies Record<string, { summary: string; fix: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
