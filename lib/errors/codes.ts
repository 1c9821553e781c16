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
  CONTAINER_ENGINE_MISSING: {
    summary: 'No container engine answers: neither a Docker daemon nor podman (with docker-compose) is there.',
    fix: 'Install Docker Engine with its compose plugin, or podman and docker-compose (Debian: `apt-get install podman docker-compose`), or set PITCHSTREAM_CONTAINER_ENGINE.',
  },
  IMAGE_BUILD_FAILED: {
    summary: 'An image of the compose stack could not be built.',
    fix: 'Read the build log named in the message; a build that cannot reach a package registry needs network access (or a proxy) for apt, pip and npm.',
  },
  PROMETHEUS_UNREACHABLE: {
    summary: 'No Prometheus answers at the configured address.',
    fix: 'Start one scraping Spark (`prometheus --config.file=monitoring/prometheus/local.yml`; `npm run cluster -- up` has one at :19090), or set PITCHSTREAM_PROMETHEUS_URL to yours.',
  },
  PROMETHEUS_QUERY_FAILED: {
    summary: 'Prometheus refused a query.',
    fix: 'Read Prometheus\' message in the error; the queries are the dashboard panels of lib/monitoring/dashboard-panels.ts.',
  },
  KUBECTL_MISSING: {
    summary: 'kubectl, which `npm run k8s -- apply|status|logs|delete` drives, is not on PATH.',
    fix: 'Install kubectl (https://kubernetes.io/docs/tasks/tools/) and point it at your cluster; `npm run k8s -- render` needs neither.',
  },
  KUBERNETES_UNREACHABLE: {
    summary: 'kubectl is there but no Kubernetes cluster answers it.',
    fix: 'Configure a cluster for kubectl (KUBECONFIG, or `kubectl config use-context <name>`); `kubectl cluster-info` must answer.',
  },
  SPARK_OPERATOR_MISSING: {
    summary: "The cluster lacks the Spark Operator's SparkApplication resource (its CRD).",
    fix: 'Install the Kubeflow Spark Operator (helm install spark-operator spark-operator/spark-operator --namespace spark-operator --create-namespace), watching the pitchstream namespace.',
  },
  CONTAINER_UNHEALTHY: {
    summary: 'A service of the compose stack exited or did not become healthy.',
    fix: 'Read the service log lines in the message (`npm run cluster -- logs <service>` shows more); `npm run cluster -- down` removes the stack.',
  },
  KAFKA_DATA_CORRUPT: {
    summary: "The Kafka broker's data directory is damaged or belongs to another cluster.",
    fix: 'Run `npm run stack -- reset-kafka` to delete the local broker data (topics are lost), then start again.',
  },
  KAFKA_UNREACHABLE: {
    summary: 'No Kafka broker answered at the bootstrap address.',
    fix: 'Start the stack (`npm run stack -- up`) or point KAFKA_BOOTSTRAP at a running broker.',
  },
  KAFKA_AUTH_FAILED: {
    summary: 'The Kafka listener refused the SASL credentials (user, password or mechanism).',
    fix: 'Check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM against the user the cluster has, and KAFKA_SECURITY_PROTOCOL against the listener.',
  },
  KAFKA_TLS_FAILED: {
    summary: "The TLS handshake with the Kafka listener failed: its certificate is not trusted, names another host, or the listener does not speak TLS.",
    fix: "Set KAFKA_SSL_CA_FILE to the PEM file of the CA that signed the brokers' certificates, and check that KAFKA_BOOTSTRAP names the TLS listener and KAFKA_SECURITY_PROTOCOL is SSL or SASL_SSL.",
  },
  KAFKA_REQUEST_FAILED: {
    summary: 'A Kafka request (create topic, produce, consume) failed.',
    fix: 'Read the cause; check that the broker is up with `npm run stack -- status`.',
  },
  SPARK_UNREACHABLE: {
    summary: 'The Spark master named by SPARK_MASTER does not answer.',
    fix: 'Start the local cluster (`npm run stack -- up --cluster`) or correct SPARK_MASTER.',
  },
  SPARK_CONF_INVALID: {
    summary: 'A Spark configuration file (spark-conf/*.conf) has a malformed line or an unknown placeholder.',
    fix: 'Correct the line named in the message (file:line); lines are `key value`, placeholders {{root}}, {{home}}, {{rapidsJar}}.',
  },
  GPU_UNAVAILABLE: {
    summary: 'gpu mode was asked for, but nvidia-smi is missing or lists no GPU.',
    fix: 'Run on a machine with an NVIDIA GPU and driver (nvidia-smi on PATH), or set PITCHSTREAM_MODE=cpu.',
  },
  RAPIDS_MISSING: {
    summary: 'gpu mode was asked for, but the RAPIDS Accelerator jar is not installed.',
    fix: 'Put the rapids-4-spark jar of versions.json at the path named in the message, or set PITCHSTREAM_MODE=cpu.',
  },
  SPARK_CLUSTER_RUNNING: {
    summary: 'The local standalone Spark cluster is already running, on other ports than the ones asked for.',
    fix: 'Stop it first (`npm run stack -- down`), or use the ports it runs on (named in the message).',
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
  NOTEBOOK_TIMEOUT: {
    summary: 'A notebook, or one of its cells, ran past its time limit while executing headless.',
    fix: 'Raise the timeoutMs or cellTimeoutMs option named in the message, or give the notebook less work.',
  },
  NOTEBOOK_INTERRUPTED: {
    summary: 'A headless notebook run was stopped before it finished (Ctrl-C, SIGTERM or a closed terminal).',
    fix: 'Nothing to repair: run it again; the partly executed copy named in the message shows how far it got.',
  },
  NOTEBOOK_NOT_FOUND: {
    summary: 'The notebook file to execute or render does not exist.',
    fix: 'Check the path named in the message (notebooks live in notebooks/).',
  },
  LAB_ALREADY_RUNNING: {
    summary: 'Jupyter Lab started by pitchstream is already running.',
    fix: 'Open the URL it printed when it started, or stop it first: Ctrl-C in the terminal running `npm run lab`, `npm run stack -- down`, or stopLab() from code.',
  },
  OUTPUT_INVALID: {
    summary: "A job's output file is missing or not valid Arrow IPC.",
    fix: 'Run the job again; if it keeps failing, read its driver log.',
  },
  DATA_NOT_FOUND: {
    summary: 'A StatsBomb data folder or file (competitions, match list, events, lineups) is not there.',
    fix: 'Set STATSBOMB_DATA to a folder in the open-data layout, or download a subset with downloadStatsBomb().',
  },
  DATA_MALFORMED: {
    summary: 'A StatsBomb file is truncated, not valid gzip or JSON, or lacks keys every record has.',
    fix: 'Delete the file named in the message and download it again (downloadStatsBomb() fetches missing files).',
  },
  DATA_UNREACHABLE: {
    summary: 'The StatsBomb open-data server could not be reached (no network, DNS or connection refused).',
    fix: 'Work offline: set STATSBOMB_DATA to a local copy of the open-data folder (e.g. ../shared/statsbomb/data).',
  },
  DATA_DOWNLOAD_FAILED: {
    summary: 'A StatsBomb file could not be downloaded after every retry.',
    fix: 'Run the download again (finished files are kept, partial ones resume); check the URL named in the message.',
  },
  TRAINING_DATA_EMPTY: {
    summary: 'The training data selection (competitions, seasons, matches) holds no match with events.',
    fix: 'Check the competition and season ids named in the message against competitions.json, or train on synthetic data.',
  },
  TRAINING_SPLIT_INVALID: {
    summary: 'The train/test split of the win-probability training leaves one side empty or puts a match on both sides.',
    fix: 'Give the training more matches (at least 4), or lower testFraction / testSeasons.',
  },
  TRAINING_OUTPUT_INVALID: {
    summary: "The training job's report (metrics, model metadata) is missing or malformed.",
    fix: "Run the training again; if it keeps failing, read the job's driver log named in the message.",
  },
  DOCTOR_FAILED: {
    summary: 'The doctor found a configuration or environment problem that would make the Spark job fail.',
    fix: 'Apply the fix printed under each failed check (`npm run doctor` shows them all).',
  },
  METRICS_UNAVAILABLE: {
    summary: "A run's metrics could not be collected: the driver's UI never answered.",
    fix: 'Keep spark.ui.enabled on, and start collecting while the job runs (the UI ends with the job).',
  },
  STREAM_CATCH_UP_TIMEOUT: {
    summary: 'The streaming job did not read the records the topic holds within the time allowed (or ended before).',
    fix: "Give it more time (timeoutMs), lower the producer's rate, or read the job's driver log and progress/ files.",
  },
  LWP_MODEL_MISMATCH: {
    summary: "The live win-probability model's metadata.json lists another feature set (version or features) than the stream job computes; the job refused to start.",
    fix: 'Train the model again with this version of pitchstream (trainLwp, or notebook 02), or point modelDir at a model trained with it.',
  },
} as const satisfies Record<string, { summary: string; fix: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
