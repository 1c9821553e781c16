// Free ports for listeners a test or benchmark starts: picked by the system, distinct when picked together.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { anyFreePort, anyFreePorts, isPortFree } from '../../../lib/stack/ports';

describe('anyFreePorts', () => {
  it('gives distinct loopback ports, each free once they are handed over', async () => {
    const ports = await anyFreePorts(12);
    expect(new Set(ports).size).toBe(12);
    for (const port of ports) expect(await isPortFree(port)).toBe(true);
  });

  it('gives one free port that a listener can take', async () => {
    const port = await anyFreePort();
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    expect(await isPortFree(port)).toBe(false);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
