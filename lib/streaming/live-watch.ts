// Watching a running stream from a notebook: wait until its queries run, poll its outputs, stop on time or Ctrl-C.
import fs from 'node:fs';
import path from 'node:path';
import { PitchstreamError } from '../errors';
import type { JobHandle } from '../spark';
import { followQueryProgress, type QueryProgress } from './query-progress';
import { followMatchStats, type TeamWindowStats } from './team-window-stats';
import { runFolders } from './run-folders';
import { watchLoop, type WatchEnd, type WatchLoopOptions } from './watch-loop';

/**
 * True when this process runs under a headless executor (nbconvert, nbclient, papermill) rather
 * than Jupyter Lab or a terminal: read from the command lines of its ancestor processes (Linux /proc).
 */
export function isHeadlessKernel(pid: number = process.pid): boolean {
  let current = pid;
  for (let depth = 0; depth < 6 && current > 1; depth += 1) {
    try {
      const command = fs.readFileSync(`/proc/${current}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (/nbconvert|nbclient|papermill/.test(command)) return true;
      const stat = fs.readFileSync(`/proc/${current}/stat`, 'utf8');
      current = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * Waits until each query of a run (stream_match_stats runs one: match_stats) has fixed its starting offsets (Spark writes them to
 * checkpoint/<query>/sources/0/0 on the first trigger): from then on, with startingOffsets
 * 'latest', every record produced is read. Rejects with STREAM_CATCH_UP_TIMEOUT.
 */
export async function waitForQueriesReady(outputDir: string, options: { timeoutMs: number; queries?: string[]; job?: JobHandle }): Promise<void> {
  const queries = options.queries ?? ['match_stats'];
  // A job that fails meanwhile rejects with its own error (JOB_FAILED with the Python traceback).
  let failure: unknown;
  let ended = false;
  void options.job?.wait().then(
    () => (ended = true),
    (error: unknown) => ((failure = error), (ended = true)),
  );
  const files = queries.map((query) => path.join(runFolders(outputDir).checkpoint, query, 'sources', '0', '0'));
  const deadline = Date.now() + options.timeoutMs;
  while (!files.every((file) => fs.existsSync(file))) {
    if (failure !== undefined) throw failure;
    if (ended || Date.now() > deadline)
      throw new PitchstreamError('STREAM_CATCH_UP_TIMEOUT', `the queries ${queries.join(', ')} ${ended ? 'ended before they started' : `did not start within ${options.timeoutMs} ms`}`, {
        fix: "Read the job's driver log (run.job.logPath); on a busy machine give it more time.",
        details: { outputDir },
      });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface LiveUpdate {
  /** The latest row of each (match, window, team) so far. */
  latest: TeamWindowStats[];
  /** Every progress event of the match_stats query so far. */
  progress: QueryProgress[];
  /** Batch files read so far. */
  batches: number;
  elapsedMs: number;
}

export interface WatchOptions extends WatchLoopOptions {
  onUpdate: (update: LiveUpdate) => void | Promise<void>;
}

/**
 * Polls a run's outputs every intervalMs and hands each new state to onUpdate, until durationMs has
 * passed, the signal aborts, or the process gets SIGINT (a notebook's interrupt): the caller then
 * stops the producer and the job. Resolves with the reason it stopped.
 */
export async function watchMatchStats(outputDir: string, options: WatchOptions): Promise<WatchEnd> {
  const stats = followMatchStats(outputDir);
  const progress = followQueryProgress(outputDir, 'match_stats');
  return watchLoop(options, async (elapsedMs) => {
    const fresh = stats.poll().length + progress.poll().length;
    if (fresh > 0) await options.onUpdate({ latest: stats.latest(), progress: progress.all(), batches: stats.batches().size, elapsedMs });
  });
}
