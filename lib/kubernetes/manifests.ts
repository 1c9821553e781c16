// The Kubernetes manifests of one job: the namespace, the driver's service account with the RBAC it
// needs to start executors, the three volumes, and the Spark Operator's SparkApplication. The
// Spark settings come from spark-conf/ through effectiveSparkConf, as for submitJob: the profile
// of the mode, then the settings Kubernetes needs, then the job's own.
import path from 'node:path';
import { stringify } from 'yaml';
import { versions, type Mode } from '../config';
import { CONTAINER_HOME, CONTAINER_ROOT } from '../containers/build-context';
import { imageName } from '../containers/images';
import { PitchstreamError } from '../errors';
import { sparkEndpoints } from '../monitoring';
import { confEntries, DEFAULT_STREAM_TOPIC, effectiveSparkConf, kafkaConnectorJars, rapidsJarPath, type SparkConf } from '../spark';
import { newRunName } from '../training/train-lwp';
import { KUBERNETES_JOBS, POD_MOUNTS, type KubernetesJobName, type VolumeName } from './jobs';

export const SPARK_OPERATOR_API = 'sparkoperator.k8s.io/v1beta2';
export const DEFAULT_NAMESPACE = 'pitchstream';
export const SERVICE_ACCOUNT = 'pitchstream-spark';
/** The master the operator's spark-submit uses; what the job's settings see (never local[…]). */
export const KUBERNETES_MASTER = 'k8s://https://kubernetes.default.svc';

export const VOLUME_CLAIMS: Readonly<Record<VolumeName, { claim: string; size: string; holds: string }>> = {
  data: { claim: 'pitchstream-data', size: '20Gi', holds: 'the training input (training/events, training/matches.ndjson)' },
  models: { claim: 'pitchstream-models', size: '1Gi', holds: 'the LWP model (lwp_model/)' },
  outputs: { claim: 'pitchstream-outputs', size: '10Gi', holds: "each run's Arrow outputs, progress and checkpoint" },
};

export interface RenderOptions {
  /** The project folder (spark-conf/ is read from it). */
  root: string;
  /** PITCHSTREAM_HOME: the Kafka connector jars of the set-up are the ones the image holds. */
  home: string;
  mode: Mode;
  executors: number;
  /** The image of the driver and executors: pitchstream's spark image (spark-rapids in gpu mode), pushed where the cluster pulls. */
  image?: string;
  namespace?: string;
  /** Kafka bootstrap servers as the pods reach them (required by the stream jobs). */
  bootstrap?: string;
  topic?: string;
  /** The run's name: its folder on the outputs volume (default <job>-<UTC time>). */
  run?: string;
}

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;

const LABELS = { 'app.kubernetes.io/part-of': 'pitchstream' };
const GPU_RESOURCE = 'nvidia.com/gpu';
const DRIVER_UI_PORT = '4040';

export function defaultImage(mode: Mode): string {
  return imageName(mode === 'gpu' ? 'spark-rapids' : 'spark', 'latest');
}

/** Settings only Kubernetes needs: the jobs package for the executors' Python, and the GPU vendor Spark requests pods with. */
export function kubernetesSparkSettings(mode: Mode): Record<string, string> {
  return {
    'spark.executorEnv.PYTHONPATH': path.posix.join(CONTAINER_ROOT, 'jobs'),
    'spark.kubernetes.submission.waitAppCompletion': 'false',
    ...(mode === 'gpu' ? { 'spark.executor.resource.gpu.vendor': 'nvidia.com' } : {}),
  };
}

/** The Spark settings of a job on Kubernetes: spark-defaults.conf → <mode>.conf → Kubernetes → the job's own. */
export function kubernetesSparkConf(job: KubernetesJobName, options: Pick<RenderOptions, 'root' | 'mode'>): SparkConf {
  return effectiveSparkConf({
    root: options.root,
    mode: options.mode,
    variables: { root: CONTAINER_ROOT, home: CONTAINER_HOME, rapidsJar: rapidsJarPath(CONTAINER_HOME, versions()) },
    overrides: [confEntries(kubernetesSparkSettings(options.mode), 'kubernetes'), confEntries(KUBERNETES_JOBS[job].conf(KUBERNETES_MASTER), `job ${job}`)],
  });
}

function invalid(problem: string, fix: string): PitchstreamError {
  return new PitchstreamError('CONFIG_INVALID', problem, { fix });
}

function checkOptions(job: KubernetesJobName, options: RenderOptions): void {
  if (!Number.isInteger(options.executors) || options.executors < 1 || options.executors > 1000)
    throw invalid(`executors must be a whole number from 1 to 1000, got ${options.executors}`, 'Pass --executors N.');
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace))
    throw invalid(`namespace "${namespace}" is not a Kubernetes name (lower-case letters, digits, "-", at most 63)`, 'Pass another --namespace.');
  if (KUBERNETES_JOBS[job].streaming && !options.bootstrap)
    throw invalid(`the ${job} job reads Kafka, and no bootstrap servers were given`, 'Pass --bootstrap host:port as the pods reach the broker (e.g. my-kafka.kafka.svc:9092).');
  if (options.run !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.run))
    throw invalid(`run "${options.run}" is not a folder name (letters, digits, . _ -)`, 'Pass another --run.');
}

/** The namespace, service account, RBAC and volume claims every job shares (applied once, kept between runs). */
export function clusterResources(namespace: string = DEFAULT_NAMESPACE): Manifest[] {
  const metadata = (name: string) => ({ name, namespace, labels: { ...LABELS } });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { ...LABELS } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(SERVICE_ACCOUNT) },
    {
      // What a Spark driver does in its namespace: executor pods, their services and config maps, PVC-backed volumes.
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: metadata(SERVICE_ACCOUNT),
      rules: [
        {
          apiGroups: [''],
          resources: ['pods', 'services', 'configmaps', 'persistentvolumeclaims'],
          verbs: ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete', 'deletecollection'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: metadata(SERVICE_ACCOUNT),
      subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: SERVICE_ACCOUNT },
    },
    ...Object.values(VOLUME_CLAIMS).map((volume) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { ...metadata(volume.claim), annotations: { 'pitchstream/holds': volume.holds } },
      // ReadWriteMany: the driver and every executor mount it, on any node.
      spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: volume.size } } },
    })),
  ];
}

function whole(conf: SparkConf, key: string, fallback: number): number {
  const value = Number(conf[key] ?? fallback);
  return Number.isInteger(value) && value >= 1 ? value : fallback;
}

/** The SparkApplication's name of a job: what apply creates and status, logs and delete look for. */
export function applicationName(job: KubernetesJobName): string {
  return `pitchstream-${job}`;
}

/** The SparkApplication of one job (the operator's v1beta2 resource). */
export function sparkApplication(job: KubernetesJobName, options: RenderOptions): Manifest {
  checkOptions(job, options);
  const spec = KUBERNETES_JOBS[job];
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const conf = kubernetesSparkConf(job, options);
  const run = options.run ?? newRunName(job);
  const jarsDir = path.posix.join(CONTAINER_HOME, 'jars', `spark-kafka-${versions().spark}`);
  const mounted = Object.entries(spec.volumes) as Array<[VolumeName, 'read' | 'write']>;
  const volumeMounts = mounted.map(([volume, access]) => ({ name: volume, mountPath: POD_MOUNTS[volume], readOnly: access === 'read' }));
  const labels = { ...LABELS, 'pitchstream/job': job };
  const gpus = options.mode === 'gpu' ? { gpu: { name: GPU_RESOURCE, quantity: whole(conf, 'spark.executor.resource.gpu.amount', 1) } } : {};
  return {
    apiVersion: SPARK_OPERATOR_API,
    kind: 'SparkApplication',
    metadata: { name: applicationName(job), namespace, labels },
    spec: {
      type: 'Python',
      pythonVersion: '3',
      mode: 'cluster',
      image: options.image ?? defaultImage(options.mode),
      imagePullPolicy: 'IfNotPresent',
      sparkVersion: versions().spark,
      mainApplicationFile: `local://${path.posix.join(CONTAINER_ROOT, 'jobs', `${spec.job}.py`)}`,
      arguments: spec.arguments({ bootstrap: options.bootstrap ?? '', topic: options.topic ?? DEFAULT_STREAM_TOPIC, run }),
      // The jars the image holds: the set-up's own list, at the image's path.
      deps: { jars: kafkaConnectorJars(options.home).map((jar) => `local://${path.posix.join(jarsDir, path.basename(jar))}`) },
      sparkConf: { ...conf },
      restartPolicy: spec.streaming
        ? { type: 'OnFailure', onFailureRetries: 3, onFailureRetryInterval: 10, onSubmissionFailureRetries: 3, onSubmissionFailureRetryInterval: 20 }
        : { type: 'Never' },
      volumes: mounted.map(([volume, access]) => ({ name: volume, persistentVolumeClaim: { claimName: VOLUME_CLAIMS[volume].claim, readOnly: access === 'read' } })),
      driver: {
        cores: whole(conf, 'spark.driver.cores', 1),
        memory: conf['spark.driver.memory'] ?? '1g',
        serviceAccount: SERVICE_ACCOUNT,
        labels,
        // Prometheus: the driver serves its own and its executors' metrics (lib/monitoring, kubernetes site).
        annotations: {
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': conf['spark.ui.port'] ?? DRIVER_UI_PORT,
          'prometheus.io/path': sparkEndpoints(options.root).find((endpoint) => endpoint.job === 'spark-driver')!.path,
        },
        volumeMounts,
      },
      executor: {
        instances: options.executors,
        cores: whole(conf, 'spark.executor.cores', 1),
        memory: conf['spark.executor.memory'] ?? '1g',
        labels,
        volumeMounts,
        ...gpus,
      },
    },
  };
}

/** Every manifest of one job, in the order kubectl applies them. */
export function renderManifests(job: KubernetesJobName, options: RenderOptions): Manifest[] {
  const application = sparkApplication(job, options);
  return [...clusterResources(application.metadata.namespace), application];
}

/** Manifests as one multi-document YAML stream. */
export function manifestsYaml(manifests: readonly Manifest[], header?: string): string {
  const comment = header ? `${header.split('\n').map((line) => `# ${line}`).join('\n')}\n` : '';
  return comment + manifests.map((manifest) => stringify(manifest, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}
