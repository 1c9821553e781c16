// Live win-probability training: the job's input from StatsBomb or synthetic data, the job, its report, the executors study.
export { PREPARED_EVENTS_DIR, PREPARED_MATCHES_FILE, prepareTrainingEvents, selectMatches, type PreparedEvents, type PrepareEventsOptions, type TrainingMatchRow, type TrainingSource } from './prepare-events';
export { defaultTrainingSource, describeData, hyperParameterArgs, newRunName, trainLwp, trainLwpArguments, type TrainLwpPaths, type LwpCalibrationMethod, type LwpHyperParameters, TRAINING_SPLIT_ERROR_TYPE, trainingSplitError, type TrainLwpOptions, type TrainLwpResult } from './train-lwp';
export {
  calibrationCurveTraces,
  LWP_MODELS,
  LWP_OUTCOMES,
  LWP_TABLE_METRICS,
  lwpModelLabel,
  metricsTableRows,
  readTrainingReport,
  readTrainingTable,
  arrowTableRows,
  type CalibrationBinRow,
  type CalibrationInfo,
  type ExecutorPeak,
  type LwpModelName,
  type LwpMetricRow,
  type ModelMetadata,
  type ModelMetrics,
  type TrainingData,
  type TrainingReport,
  type TrainingReportJson,
  type TrainingTable,
  type TrainingTimings,
  type ViewerProperty,
  type ViewerPropertyReport,
  type ManAdvantageFactors,
  type ViewerPropertyViolation,
} from './training-report';
export { mergeScalingRows, runClusterScalingStudy, runExecutorsStudy, SCALING_CLUSTERS, scalingRows, type ClusterScalingOptions, type ScalingCluster, type ExecutorsStudyOptions, type ExecutorsStudyRow, type ScalingRow } from './executors-study';
export { processGroupRssBytes, samplePeakRss, type PeakSampler } from './process-memory';
export { composeWorkersFor, runComposeScalingStudy, type ComposeScalingOptions } from './compose-study';
export { executorsStudyFigure, readExecutorsStudy, withExecutorsStudy, type ExecutorsStudy, type ExecutorsStudyReport, type StudyRecord } from './scaling-view';
