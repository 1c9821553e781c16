// Live win probability on the stream: start stream_lwp, read and follow its states, summarize latency, chart it.
export { asModelMismatch, defaultLwpRunDir, LWP_STREAM_JOB, lwpStreamArguments, MODEL_MISMATCH_ERROR_TYPE, startLwpStream, waitForLwpStreamReady, type LwpStreamOptions, type LwpStreamRun } from './lwp-stream-job';
export { currentStates, followLwpStates, lwpFolders, lwpStateFromRow, readLwpStates, type LwpFolders, type LwpFollower, type LwpState, type LwpTrigger } from './lwp-outputs';
export { LWP_QUERY, quantile, summarizeLwpLatency, summarizeLwpRun, type LwpLatencySummary } from './lwp-latency';
export { clockMinutes, currentMatchesTableHtml, latencyComparisonTableHtml, winProbabilityFigure } from './lwp-views';
export { DEFAULT_LWP_MODEL_DIR, ensureLwpModel, findLwpModel, type EnsureLwpModelOptions, type LwpModel } from './lwp-model';
export { watchLwpStream, type LwpUpdate, type LwpWatchOptions } from './lwp-watch';
