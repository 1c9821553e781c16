// Signals to a job's whole process group (spark-submit JVM, Python driver, Python workers).

const running = new Set<number>();
let exitHookInstalled = false;

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

/** Remembers a running job's group, so that it is killed if this Node process exits first. */
export function trackGroup(pid: number): void {
  running.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of running) signalGroup(group, 'SIGKILL');
  });
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
