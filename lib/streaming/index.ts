// Live match statistics: start stream_match_stats, read its batch outputs and progress as they grow, chart them.
export { tableRows, type PlainValue } from './arrow-rows';
export { intakeTotals, readDeadLetters, readIntake, type DeadLetter, type IntakeBatch } from './intake';
export { latestWindowTableHtml, passesTimelineFigure, possessionTimelineFigure, throughputFigure, type TeamNames, type TimelineOptions } from './live-views';
export {
  DEFAULT_STREAM_TOPIC,
  defaultRunDir,
  MATCH_STATS_JOB,
  matchStatsArguments,
  startMatchStats,
  waitForRecords,
  type MatchStatsOptions,
  type MatchStatsRun,
} from './match-stats-job';
export {
  completeLines,
  followQueryProgress,
  parseProgressLines,
  readQueryProgress,
  summarizeProgress,
  type ProgressFollower,
  type QueryProgress,
  type RawQueryProgress,
} from './query-progress';
export { batchIdOf, listBatchFiles, runFolders, type BatchFile, type RunFolders } from './run-folders';
export {
  followMatchStats,
  latestStats,
  readMatchStats,
  readStatsBatch,
  STATS_COLUMNS,
  statsKey,
  type StatsFollower,
  type TeamWindowStats,
} from './team-window-stats';
export { isHeadlessKernel, waitForQueriesReady, watchMatchStats, type LiveUpdate, type WatchOptions } from './live-watch';
export { watchLoop, type WatchEnd, type WatchLoopOptions } from './watch-loop';
