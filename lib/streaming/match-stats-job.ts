// startMatchStats: submits jobs/stream_match_stats.py with typed options and hands back the run.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config';
import { PitchstreamError } from '../errors';
import { statefulStreamingConf, submitJob, type JobHandle, type JobResult } from '../spark';
import { readQueryProgress } from './query-progress';
import { runFolders, type RunFolders } from './run-folders';

export const MATCH_STATS_JOB = 'stream_match_stats';
export const DEFAULT_STREAM_TOPIC = 'statsbomb-360-events';

export interface MatchStatsOptions {
  bootstrap: string;
  /** The run's output folder; default <config.outputs>/match-stats-<UTC time>. Reuse it to restart from its checkpoint. */
  outputDir?: string;
  topic?: string;
  /** earliest (default), latest, or Kafka's JSON form; only used when the checkpoint is new. */
  startingOffsets?: string;
  /** Most records per micro-batch (all that are available when absent). */
  maxOffsetsPerTrigger?: number;
  /** Event-time window length (default 1 match-minute). */
  windowMinutes?: number;
  /** Sliding windows: a new window every slideMinutes (tumbling when absent). */
  slideMinutes?: number;
  /** How far behind the newest event time an event may come before it is dropped (default '10 minutes'). */
  watermarkDelay?: string;
  /** Processing-time trigger interval; 0 (default) starts the next batch as soon as one ends. */
  triggerMs?: number;
  /** Process what the topic holds when the job starts, then end (the job's wait() resolves 'succeeded'). */
  availableNow?: boolean;
  /** Also print every batch's team rows in the driver log (the console sink's view). */
  console?: boolean;
  config?: Config;
  master?: string;
  conf?: Readonly<Record<string, string>>;
  timeoutMs?: number;
  stopGraceMs?: number;
  onLog?: (line: string) => void;
}

export interface MatchStatsRun {
  readonly folders: RunFolders;
  readonly job: JobHandle;
  /** Resolves when the job ends (available-now) or has been stopped. */
  wait(): Promise<JobResult>;
  /** Graceful: each query stops after its current batch, so the outputs of every started batch are complete. */
  stop(): Promise<JobResult>;
}

function invalid(option: string, expected: string, received: unknown): PitchstreamError {
  return new PitchstreamError('CONFIG_INVALID', `match stats option ${option} must be ${expected}, got ${JSON.stringify(received)}`, {
    fix: `Correct ${option} in the options of startMatchStats.`,
    details: { option, received },
  });
}

/** The job's command-line arguments for these options (checked; named options on error). */
export function matchStatsArguments(options: MatchStatsOptions, outputDir: string): string[] {
  const args = ['--bootstrap', options.bootstrap, '--output', outputDir, '--topic', options.topic ?? DEFAULT_STREAM_TOPIC];
  if (!options.bootstrap) throw invalid('bootstrap', 'host:port[,host:port]', options.bootstrap);
  if (options.startingOffsets !== undefined) args.push('--starting-offsets', options.startingOffsets);
  const positiveNumber = (name: keyof MatchStatsOptions, value: number | undefined, integer: boolean, flag: string) => {
    if (value === undefined) return;
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
      throw invalid(name, integer ? 'a whole number ≥ 1' : 'a number > 0', value);
    args.push(flag, String(value));
  };
  positiveNumber('maxOffsetsPerTrigger', options.maxOffsetsPerTrigger, true, '--max-offsets-per-trigger');
  positiveNumber('windowMinutes', options.windowMinutes, false, '--window-minutes');
  positiveNumber('slideMinutes', options.slideMinutes, false, '--slide-minutes');
  if (options.slideMinutes !== undefined && options.slideMinutes > (options.windowMinutes ?? 1))
    throw invalid('slideMinutes', `at most windowMinutes (${options.windowMinutes ?? 1})`, options.slideMinutes);
  if (options.watermarkDelay !== undefined) {
    if (!/^\d+(\.\d+)?\s+(milliseconds?|seconds?|minutes?|hours?|days?)$/.test(options.watermarkDelay))
      throw invalid('watermarkDelay', 'an interval such as "10 minutes"', options.watermarkDelay);
    args.push('--watermark-delay', options.watermarkDelay);
  }
  if (options.triggerMs !== undefined) {
    if (!Number.isInteger(options.triggerMs) || options.triggerMs < 0) throw invalid('triggerMs', 'a whole number ≥ 0', options.triggerMs);
    args.push('--trigger-ms', String(options.triggerMs));
  }
  if (options.availableNow) args.push('--available-now');
  if (options.console) args.push('--console');
  return args;
}

export function defaultRunDir(config: Config, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return path.resolve(config.root, config.outputs, `match-stats-${stamp}`);
}

/** Submits stream_match_stats; the outputs land in folders (stats/, intake/, dead-letter/, progress/). */
export async function startMatchStats(options: MatchStatsOptions): Promise<MatchStatsRun> {
  const config = options.config ?? loadConfig();
  const outputDir = path.resolve(options.outputDir ?? defaultRunDir(config));
  const args = matchStatsArguments(options, outputDir);
  fs.mkdirSync(outputDir, { recursive: true });
  const job = await submitJob(MATCH_STATS_JOB, args, {
    config,
    master: options.master,
    conf: statefulStreamingConf(options.master ?? config.sparkMaster, options.conf),
    timeoutMs: options.timeoutMs,
    stopGraceMs: options.stopGraceMs,
    onLog: options.onLog,
  });
  return { folders: runFolders(outputDir), job, wait: () => job.wait(), stop: () => job.stop() };
}

/**
 * Waits until the queries of a run (default: match_stats) have read `records` records (Σ end offsets in their latest
 * progress — for topics read from their first offset). Rejects with STREAM_CATCH_UP_TIMEOUT.
 */
export async function waitForRecords(
  outputDir: string,
  records: number,
  options: { timeoutMs: number; intervalMs?: number; queries?: string[]; job?: JobHandle },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const queries = options.queries ?? ['match_stats'];
  let ended = false;
  void options.job?.wait().then(
    () => (ended = true),
    () => (ended = true),
  );
  const reached = () => queries.map((query) => readQueryProgress(outputDir, query).at(-1)?.endOffsetTotal ?? 0);
  for (;;) {
    const counts = reached();
    if (counts.every((count) => count >= records)) return;
    if (Date.now() > deadline || ended)
      throw new PitchstreamError(
        'STREAM_CATCH_UP_TIMEOUT',
        `the streaming queries ${queries.join(', ')} read ${counts.join(', ')} of ${records} records ${ended ? 'before the job ended' : `within ${options.timeoutMs} ms`}`,
        { details: { outputDir, records, reached: counts } },
      );
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
