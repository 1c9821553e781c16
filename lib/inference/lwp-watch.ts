// Watching a running stream_lwp from a notebook: poll its states and progress, stop on time, abort or Ctrl-C.
import { followQueryProgress, type QueryProgress } from '../streaming';
import { LWP_QUERY } from './lwp-latency';
import { followLwpStates, type LwpState } from './lwp-outputs';

export interface LwpUpdate {
  /** Every state read so far, by match and state index. */
  states: LwpState[];
  progress: QueryProgress[];
  batches: number;
  elapsedMs: number;
}

export interface LwpWatchOptions {
  /** Stop watching after this long; 0 or Infinity watches until interrupted (SIGINT) or aborted. */
  durationMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  onUpdate: (update: LwpUpdate) => void | Promise<void>;
}

/** Polls a run's outputs every intervalMs, hands new states to onUpdate; resolves with the reason it stopped. */
export async function watchLwpStream(outputDir: string, options: LwpWatchOptions): Promise<'duration' | 'interrupted' | 'aborted'> {
  const states = followLwpStates(outputDir);
  const progress = followQueryProgress(outputDir, LWP_QUERY);
  const started = Date.now();
  const durationMs = options.durationMs > 0 ? options.durationMs : Infinity;
  let interrupted = false;
  let wake: (() => void) | undefined;
  const onSigint = () => {
    interrupted = true;
    wake?.();
  };
  process.on('SIGINT', onSigint);
  const onAbort = () => wake?.();
  options.signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      const fresh = states.poll().length + progress.poll().length;
      if (fresh > 0) await options.onUpdate({ states: states.all(), progress: progress.all(), batches: states.batches(), elapsedMs: Date.now() - started });
      if (interrupted) return 'interrupted';
      if (options.signal?.aborted) return 'aborted';
      const left = durationMs - (Date.now() - started);
      if (left <= 0) return 'duration';
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.min(options.intervalMs ?? 2_000, left));
      });
    }
  } finally {
    process.off('SIGINT', onSigint);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
