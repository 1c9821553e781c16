// startMatchStats: submits jobs/stream_match_stats.py with typed options and hands back the run.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config';
import { PitchstreamError } from '../errors';
import {
  DEFAULT_STREAM_TOPIC,
  invalidOption,
  streamJobArguments,
  submitStreamJob,
  timestampedRunDir,
  type JobHandle,
  type JobResult,
  type StreamJobOptions,
} from '../spark';
import { readQueryProgress } from './query-progress';
import { runFolders, type RunFolders } from './run-folders';

export const MATCH_STATS_JOB = 'stream_match_stats';
export { DEFAULT_STREAM_TOPIC };

export interface MatchStatsOptions extends StreamJobOptions {
  /** Event-time window length (default 1 match-minute). */
  windowMinutes?: number;
  /** Sliding windows: a new window every slideMinutes (tumbling when absent). */
  slideMinutes?: number;
  /** Also print every batch's team rows in the driver log (the console sink's view). */
  console?: boolean;
}

export interface MatchStatsRun {
  readonly folders: RunFolders;
  readonly job: JobHandle;
  /** Resolves when the job ends (available-now) or has been stopped. */
  wait(): Promise<JobResult>;
  /** Graceful: the query stops after its current batch, so the outputs of every started batch are complete. */
  stop(): Promise<JobResult>;
}

const invalid = invalidOption('match stats', 'startMatchStats');

/** The job's command-line arguments for these options (checked; named options on error). */
export function matchStatsArguments(options: MatchStatsOptions, outputDir: string): string[] {
  const args = streamJobArguments(options, outputDir, invalid);
  const positiveNumber = (name: keyof MatchStatsOptions, value: number | undefined, flag: string) => {
    if (value === undefined) return;
    if (!Number.isFinite(value) || value <= 0) throw invalid(name, 'a number > 0', value);
    args.push(flag, String(value));
  };
  positiveNumber('windowMinutes', options.windowMinutes, '--window-minutes');
  positiveNumber('slideMinutes', options.slideMinutes, '--slide-minutes');
  if (options.slideMinutes !== undefined && options.slideMinutes > (options.windowMinutes ?? 1))
    throw invalid('slideMinutes', `at most windowMinutes (${options.windowMinutes ?? 1})`, options.slideMinutes);
  if (options.console) args.push('--console');
  return args;
}

export function defaultRunDir(config: Config, now: Date = new Date()): string {
  return timestampedRunDir(config, 'match-stats', now);
}

/** Submits stream_match_stats; the outputs land in folders (stats/, intake/, dead-letter/, progress/). */
export async function startMatchStats(options: MatchStatsOptions): Promise<MatchStatsRun> {
  const config = options.config ?? loadConfig();
  const outputDir = path.resolve(options.outputDir ?? defaultRunDir(config));
  const args = matchStatsArguments(options, outputDir);
  fs.mkdirSync(outputDir, { recursive: true });
  const job = await submitStreamJob(MATCH_STATS_JOB, args, { ...options, config });
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
