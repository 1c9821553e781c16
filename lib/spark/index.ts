// Spark jobs from TypeScript: conf profiles, the gpu gate, and submitJob with its handle.
export { APP_LINE_PREFIX, extractPythonTraceback, parseAppLine, parsePythonTraceback, readErrorFile, type AppInfo, type PythonError } from './driver-log';
export { rapidsJarPath, requireGpuReady, type GpuCheckOptions } from './gpu-check';
export { jobsPackageZip, kafkaConnectorJars, listJobs, resolveJob, type JobRef, type ResolvedJob } from './job-files';
export {
  confEntries,
  configSparkSettings,
  DRIVER_BLOCK_MANAGER_PORT,
  DRIVER_PORT,
  effectiveSparkConf,
  formatSparkConf,
  mergeSparkConf,
  parseSparkConf,
  readSparkConfFile,
  sparkConfDir,
  type EffectiveSparkConfOptions,
  type SparkConf,
  type SparkConfEntry,
  type SparkConfVariables,
} from './spark-conf';
export { LOCAL_CHECKPOINT_CONF, localMasterCores, statefulStreamingConf } from './state-partitions';
export {
  DEFAULT_STREAM_TOPIC,
  invalidOption,
  pushWholeNumber,
  streamJobArguments,
  submitStreamJob,
  timestampedRunDir,
  type InvalidOption,
  type StreamJobOptions,
} from './stream-job';
export { buildSubmitCommand, isLoopbackMaster, OWNER_PID_VARIABLE, type SubmitCommand, type SubmitCommandInput } from './submit-command';
export { submitJob, submitJobSparkConf, type JobHandle, type JobResult, type SubmitJobOptions } from './submit-job';
