// Watching a running stream_lwp from a notebook: poll its states and progress, stop on time, abort or Ctrl-C.
import { followQueryProgress, watchLoop, type QueryProgress, type WatchEnd, type WatchLoopOptions } from '../streaming';
import { LWP_QUERY } from './lwp-latency';
import { followLwpStates, type LwpState } from './lwp-outputs';

export interface LwpUpdate {
  /** Every state read so far, by match and state index. */
  states: LwpState[];
  progress: QueryProgress[];
  batches: number;
  elapsedMs: number;
}

export interface LwpWatchOptions extends WatchLoopOptions {
  onUpdate: (update: LwpUpdate) => void | Promise<void>;
}

/** Polls a run's outputs every intervalMs, hands new states to onUpdate; resolves with the reason it stopped (see watchLoop). */
export async function watchLwpStream(outputDir: string, options: LwpWatchOptions): Promise<WatchEnd> {
  const states = followLwpStates(outputDir);
  const progress = followQueryProgress(outputDir, LWP_QUERY);
  return watchLoop(options, async (elapsedMs) => {
    const fresh = states.poll().length + progress.poll().length;
    if (fresh > 0) await options.onUpdate({ states: states.all(), progress: progress.all(), batches: states.batches(), elapsedMs });
  });
}
