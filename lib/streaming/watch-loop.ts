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
    // Once the cell that called this has handed control back to the kernel (see below).
    await new Promise<void>((resolve) => setImmediate(resolve));
    reattachSigintListeners();
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

/**
 * tslab runs each notebook cell with vm's breakOnSigint; when that run ends, Node puts back a SIGINT
 * handler of its own that ends the process, in place of the one behind process.on('SIGINT'). The
 * listeners then never hear a kernel interrupt, and the interrupt kills the kernel (with the jobs
 * and the producer it was to stop). Taking every SIGINT listener off and putting them back makes
 * Node install its handler again. Harmless outside a kernel.
 */
export function reattachSigintListeners(): void {
  const listeners = process.rawListeners('SIGINT') as ((...args: unknown[]) => void)[];
  process.removeAllListeners('SIGINT');
  for (const listener of listeners) process.on('SIGINT', listener);
}

