// pitchstream's jobs on Kubernetes with the Spark Operator: the manifests, rendered from the same job
// arguments and spark-conf/ profiles as submitJob, and kubectl to apply and follow them.
export { KUBERNETES_JOB_NAMES, KUBERNETES_JOBS, POD_MOUNTS, type KubernetesJob, type KubernetesJobInput, type KubernetesJobName, type VolumeName } from './jobs';
export {
  applicationName,
  clusterResources,
  DEFAULT_NAMESPACE,
  defaultImage,
  KUBERNETES_MASTER,
  kubernetesSparkConf,
  kubernetesSparkSettings,
  manifestsYaml,
  renderManifests,
  SERVICE_ACCOUNT,
  sparkApplication,
  SPARK_OPERATOR_API,
  VOLUME_CLAIMS,
  type Manifest,
  type RenderOptions,
} from './manifests';
export { applicationStatus, applyManifests, deleteApplication, driverLogs, requireSparkOperator, SPARK_APPLICATION_CRD, type ApplicationStatus, type KubectlOptions } from './kubectl';
