// The loop behind the notebooks' live views: poll, hand over what is new, until a duration, an abort or Ctrl-C.

export interface WatchLoopOptions {
  /** Stop watching after this long; 0 or Infinity watches until interrupted (SIGINT) or aborted. */
  durationMs: number;
  /** Time between two polls (default 2 s). */
  intervalMs?: number;
  signal?: AbortSignal;
}

export type WatchEnd = 'duration' | 'interrupted' | 'aborted';

/**
 * Calls poll(elapsedMs) at once and then every intervalMs until durationMs has passed, the signal
 * aborts, or the process gets SIGINT (a notebook's interrupt: the caller then stops the producer
 * and the job). An abort or SIGINT ends the wait between two polls at once. Resolves with the reason.
 */
export async function watchLoop(options: WatchLoopOptions, poll: (elapsedMs: number) => void | Promise<void>): Promise<WatchEnd> {
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
      await poll(Date.now() - started);
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
