import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../lib/config';
import { isPitchstreamError } from '../../lib/errors';
import { createKafkaClient } from '../../lib/kafka';
import { prepareDataDir, startKafkaBroker, stopKafkaBroker } from '../../lib/stack/kafka-broker';
import { requireFreePort } from '../../lib/stack/ports';
import { isAlive, readService } from '../../lib/stack/processes';
import { installPaths, versions } from '../../lib/config';
import { freePort } from '../helpers/free-port';

describe('the embedded Kafka broker', () => {
  let config: Config;
  let bootstrap: string;
  let pid: number;

  beforeAll(async () => {
    config = loadConfig({ kafkaPort: await freePort(), kafkaControllerPort: await freePort() });
    const broker = await startKafkaBroker(config);
    bootstrap = broker.bootstrap;
    pid = broker.record!.pid;
  });

  afterAll(async () => {
    await stopKafkaBroker(config);
  });

  it('delivers 10,000 produced messages back exactly once', async () => {
    const client = createKafkaClient(bootstrap);
    const topic = `test-roundtrip-${Date.now()}`;
    try {
      expect(await client.createTopic(topic, { partitions: 4 })).toBe(true);
      const producer = await client.createProducer();
      const messages = Array.from({ length: 10_000 }, (_, i) => ({ key: `k${i % 13}`, value: String(i) }));
      for (let i = 0; i < messages.length; i += 2_000) await producer.send(topic, messages.slice(i, i + 2_000));
      await producer.close();
      const { messages: received, timedOut } = await client.consumeAll(topic, { expected: 10_000, timeoutMs: 60_000, idleMs: 5_000 });
      expect(timedOut).toBe(false);
      const values = received.map((m) => Number(m.value.toString()));
      expect(values).toHaveLength(10_000);
      expect(new Set(values).size).toBe(10_000);
      expect(values.reduce((a, b) => a + b, 0)).toBe((9_999 * 10_000) / 2);
      // Same key → same partition, in the order produced.
      const byKey = new Map<string, number[]>();
      for (const m of [...received].sort((a, b) => Number(a.offset - b.offset))) {
        const list = byKey.get(m.key!) ?? [];
        list.push(Number(m.value.toString()));
        byKey.set(m.key!, list);
      }
      for (const list of byKey.values()) expect(list).toEqual([...list].sort((a, b) => a - b));
    } finally {
      await client.deleteTopic(topic).catch(() => undefined);
      await client.close();
    }
  });

  it('reports a port that is already taken, naming the variable to change', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const other = loadConfig({ kafkaPort: port, kafkaControllerPort: await freePort(), home: config.home });
      const error = await requireFreePort(other.kafkaPort, 'Kafka broker', 'PITCHSTREAM_KAFKA_PORT').catch((e: unknown) => e);
      expect(isPitchstreamError(error, 'PORT_IN_USE')).toBe(true);
      expect((error as Error).message).toContain(String(port));
      expect((error as { fix: string }).fix).toContain('PITCHSTREAM_KAFKA_PORT');
    } finally {
      blocker.close();
    }
  });

  it('refuses a damaged data directory with the reset command as the fix', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-kafka-'));
    fs.writeFileSync(path.join(dir, 'meta.properties'), 'garbage\n');
    const jars = installPaths(config.home, versions()).kafkaJars;
    let caught: unknown;
    try {
      prepareDataDir(dir, jars, path.join(dir, 'server.properties'));
    } catch (error) {
      caught = error;
    }
    expect(isPitchstreamError(caught, 'KAFKA_DATA_CORRUPT')).toBe(true);
    expect((caught as { fix: string }).fix).toContain('reset-kafka');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives a clear error, after bounded retries, when no broker answers', async () => {
    const client = createKafkaClient(`127.0.0.1:${await freePort()}`, { retries: 1, connectionTimeoutMs: 500 });
    const started = Date.now();
    const error = await client.listTopics().catch((e: unknown) => e);
    await client.close();
    expect(isPitchstreamError(error, 'KAFKA_UNREACHABLE')).toBe(true);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('stops the broker process and forgets it', async () => {
    expect(isAlive(pid)).toBe(true);
    await stopKafkaBroker(config);
    expect(isAlive(pid)).toBe(false);
    expect(readService(installPaths(config.home, versions()).run, 'kafka')).toBeUndefined();
  });
});
