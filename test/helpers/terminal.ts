// A command run as a person runs it: in a pseudo-terminal (util-linux `script`), with keys typed
// into it (Ctrl-C), signals sent to its processes, and the terminal closed under it (hang-up).
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';

export interface Terminal {
  /** Everything the command printed so far. */
  output(): string;
  /** Resolves once the output matches; rejects with the output so far after timeoutMs, or when the command exits first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Types into the terminal: '\x03' is Ctrl-C. */
  type(keys: string): void;
  /** Closes the terminal, as closing its window does: the kernel hangs it up (SIGHUP to its session). */
  hangUp(): void;
  /** The pids of every process under the terminal whose command line matches. */
  processes(pattern: RegExp): number[];
  /** Settles when `script` ends; with `-e` its exit code is the command's. */
  exited: Promise<{ exitCode: number | undefined; signal: string | undefined }>;
  readonly pid: number;
}

/** A snapshot of the process table, read between two steps of a test. */
function processTable(): { pid: number; ppid: number; args: string }[] {
  return execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
}

/** Processes under pid (not pid itself). */
export function descendants(pid: number): { pid: number; args: string }[] {
  const table = processTable();
  const found: { pid: number; args: string }[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const row of table.filter((r) => r.ppid === parent)) {
      found.push({ pid: row.pid, args: row.args });
      queue.push(row.pid);
    }
  }
  return found;
}

/** Processes anywhere on the machine whose command line matches (the test's own `ps` excluded). */
export function processesMatching(pattern: RegExp): { pid: number; args: string }[] {
  return processTable().filter((row) => pattern.test(row.args) && row.pid !== process.pid && !row.args.startsWith('ps -e'));
}

export function openTerminal(command: string, options: { cwd: string; env?: Record<string, string> }): Terminal {
  let text = '';
  const child = execa('script', ['-q', '-e', '-f', '-c', command, '/dev/null'], {
    cwd: options.cwd,
    env: { ...options.env, TERM: 'dumb' },
    stdin: 'pipe',
    reject: false,
  });
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = child.then((result) => ({ exitCode: result.exitCode, signal: result.signal }));
  let done = false;
  void exited.then(() => (done = true));
  return {
    pid: child.pid!,
    output: () => text,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(text)) {
        if (done) throw new Error(`the command exited before printing ${pattern}; its output:\n${text}`);
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms; the output so far:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    type: (keys) => void child.stdin?.write(keys),
    hangUp: () => void child.kill('SIGKILL'),
    processes: (pattern) => descendants(child.pid!).filter((p) => pattern.test(p.args)).map((p) => p.pid),
    exited,
  };
}
