// Signals to a job's whole process group (spark-submit JVM, Python driver, Python workers).

const running = new Set<number>();
let exitHookInstalled = false;

// Signals that end a Node process by default. Jobs run in process groups of their own (so that a stop
// reaches the JVM and its Python workers), which a terminal's Ctrl-C or a `kill` of this process does not
// reach, and Node emits no 'exit' event when a signal ends it: without these listeners an interrupted
// `npm run bench:stream` left its Spark job running.
const TERMINATING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killRunningGroups(): void {
  for (const group of running) signalGroup(group, 'SIGKILL');
}

function onTerminatingSignal(signal: NodeJS.Signals): void {
  // Another listener handles this signal (a notebook's interrupt, a graceful stop): this process goes on.
  if (process.listenerCount(signal) > 1) return;
  killRunningGroups();
  for (const name of TERMINATING_SIGNALS) process.removeListener(name, onTerminatingSignal);
  // With no listener left, the signal's default action ends this process as it would have without us.
  process.kill(process.pid, signal);
}

/** Sends a signal to the group led by pid; false when the group is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while any process of the group led by pid is alive. */
export function groupAlive(pid: number): boolean {
  return signalGroup(pid, 0);
}

/**
 * Remembers a running job's group, so that it is killed if this Node process exits first, or is ended
 * by SIGINT, SIGTERM or SIGHUP that nothing else in the process handles.
 */
export function trackGroup(pid: number): void {
  running.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', killRunningGroups);
  for (const signal of TERMINATING_SIGNALS) process.on(signal, onTerminatingSignal);
}

export function untrackGroup(pid: number): void {
  running.delete(pid);
}

/** Polls until no process of the group is left, or timeoutMs has passed; true when gone. */
export async function waitForGroupExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
