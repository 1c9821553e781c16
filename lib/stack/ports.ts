// Port checks: fail early and clearly when a port is taken, wait (bounded) for one to open.
import net from 'node:net';
import { PitchstreamError } from '../errors';
import { sleep } from './processes';

/** True when nothing listens on host:port (we could bind it ourselves). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws PORT_IN_USE naming the port, its purpose and the variable that moves it. */
export async function requireFreePort(port: number, purpose: string, variable: string): Promise<void> {
  if (!(await isPortFree(port)))
    throw new PitchstreamError('PORT_IN_USE', `port ${port} (${purpose}) is already in use by another process`, {
      fix: `stop the process listening on ${port} (\`ss -ltnp 'sport = :${port}'\` shows it) or set ${variable} to a free port`,
      details: { port, purpose, variable },
    });
}

/** True once a TCP connection to host:port succeeds. */
export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls `check` until it returns true or the deadline passes; `alive` aborts early when false. */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; alive?: () => boolean },
): Promise<'ready' | 'timeout' | 'died'> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return 'ready';
    if (options.alive && !options.alive()) return 'died';
    await sleep(options.intervalMs ?? 250);
  }
  return 'timeout';
}

/**
 * `count` distinct loopback ports free right now (the system picks them). All are held open until the last is
 * picked, so the system cannot hand out one port twice, as two separate picks can.
 */
export async function anyFreePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      const address = server.address();
      if (typeof address !== 'object' || !address) throw new Error('the system gave no port');
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/** A loopback port free right now (the system picks it), for listeners that need no fixed port. */
export async function anyFreePort(): Promise<number> {
  return (await anyFreePorts(1))[0]!;
}
