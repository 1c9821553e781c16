// The doctor: checks the effective Spark configuration and the environment, each with cause and fix.
export { CHECKS, runChecks, type DoctorCheck } from './checks';
export {
  doctorConf,
  gatherDoctorFacts,
  parseMasterUiVersion,
  readInstalledPackages,
  readPysparkMinimums,
  workerGpus,
  type DoctorInput,
} from './facts';
export { diagnose, doctorFailure, doctorReport, doctorReportHtml, formatDoctorReport, runDoctorBeforeSubmit } from './run-doctor';
export { compareVersions, formatSize, parseSize } from './sizes';
export type { CheckResult, CheckStatus, ClusterFacts, DoctorFacts, DoctorReport, FileFacts, GpuFacts, MasterKind, PortFacts, WorkerFacts } from './types';
