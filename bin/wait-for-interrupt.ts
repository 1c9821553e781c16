// How a command that keeps services up (`npm run lab`, `npm start` in a terminal) is stopped by the
// person at the terminal: Ctrl-C (SIGINT), SIGTERM, or the terminal closing (SIGHUP). The services
// run detached, so nothing else keeps Node's event loop alive while it waits: without the timer
// below Node would exit at once and leave them running.

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** A stop asked for by a signal, for the whole of a command's run. */
export interface StopRequest {
  /** Aborted on the first stop signal: pass it to the work in progress. */
  readonly signal: AbortSignal;
  /** The signal that asked for the stop, if one did. */
  readonly requested: NodeJS.Signals | undefined;
  /** Throws when a stop was asked for: call it between steps. */
  throwIfRequested(): void;
  /** Removes the listeners (the default actions of the signals apply again). */
  dispose(): void;
}

/**
 * Listens for SIGINT, SIGTERM and SIGHUP until disposed. The first one aborts `signal`; later ones
 * only say that the stop is under way (the command still has to stop what it started).
 */
export function stopRequest(): StopRequest {
  const controller = new AbortController();
  let requested: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGHUP') ignoreClosedTerminal();
    if (requested) {
      process.stderr.write(`\n(${signal}) already stopping: waiting for what was started to stop …\n`);
      return;
    }
    requested = signal;
    controller.abort(new Error(`stopped by ${signal}`));
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return {
    signal: controller.signal,
    get requested() {
      return requested;
    },
    throwIfRequested() {
      if (requested) throw new Error(`stopped by ${requested}`);
    },
    dispose() {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    },
  };
}

export type WaitOutcome = { reason: 'signal'; signal: NodeJS.Signals } | { reason: 'stopped'; what: string };

export interface WaitOptions {
  /** Services to watch: when one is no longer alive the wait ends, so a dead service is reported instead of waited on. */
  watch?: { what: string; alive: () => boolean }[];
  /** How often the watched services are checked, in ms (default 2,000). */
  checkIntervalMs?: number;
  /** A stop request the command already holds: the wait ends when it is asked for (no listeners of its own then). */
  stop?: StopRequest;
}

/** Waits until a stop signal arrives or a watched service dies, keeping the process alive meanwhile. */
export function waitForInterrupt(options: WaitOptions = {}): Promise<WaitOutcome> {
  const watch = options.watch ?? [];
  const stop = options.stop ?? stopRequest();
  return new Promise((resolve) => {
    const finish = (outcome: WaitOutcome) => {
      clearInterval(timer);
      stop.signal.removeEventListener('abort', onStop);
      if (!options.stop) stop.dispose();
      resolve(outcome);
    };
    const onStop = () => finish({ reason: 'signal', signal: stop.requested ?? 'SIGINT' });
    // A ref'd interval keeps the process alive; it doubles as the check of the watched services.
    const timer = setInterval(() => {
      const dead = watch.find((service) => !service.alive());
      if (dead) finish({ reason: 'stopped', what: dead.what });
    }, options.checkIntervalMs ?? 2_000);
    if (stop.signal.aborted) onStop();
    else stop.signal.addEventListener('abort', onStop);
  });
}

/**
 * After a hang-up the terminal is gone: writing the shutdown progress to it fails with EIO/EPIPE,
 * which must not crash the process before it has stopped what it started.
 */
function ignoreClosedTerminal(): void {
  for (const stream of [process.stdout, process.stderr]) if (stream.listenerCount('error') === 0) stream.on('error', () => undefined);
}

/** For the person at the terminal: what is stopping the command. */
export function describeWaitOutcome(outcome: WaitOutcome): string {
  if (outcome.reason === 'stopped') return `${outcome.what} stopped by itself`;
  const names: Partial<Record<NodeJS.Signals, string>> = { SIGINT: 'Ctrl-C', SIGTERM: 'SIGTERM', SIGHUP: 'the terminal closed (SIGHUP)' };
  return names[outcome.signal] ?? outcome.signal;
}
