// A running Spark application seen through its driver's REST API: stage and task progress.
export {
  fetchStages,
  progressBarHtml,
  progressBarText,
  summarizeStages,
  watchStageProgress,
  type ProgressWatch,
  type StageInfo,
  type StageProgress,
  type WatchProgressOptions,
} from './stage-progress';
