// Broker faults, on real brokers: a 3-node KRaft cluster loses the leader of a partition mid-produce and gets it
// back; the single-node broker restarts mid-produce. In both, a consumer reads every message exactly once per key,
// in order: the idempotent producer's re-sends are proven, not assumed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../lib/config';
import { openStatsBomb, type MatchEvent } from '../../lib/data';
import { readMatchStats, startMatchStats, waitForRecords, type TeamWindowStats } from '../../lib/streaming';
import { createKafkaClient, partitionForKey, type ConsumedMessage, type EventProducer, type KafkaClient } from '../../lib/kafka';
import { startKafkaBroker, stopKafkaBroker } from '../../lib/stack/kafka-broker';
import { startKafkaCluster, type KafkaCluster } from '../../lib/stack/kafka-cluster';
import { anyFreePorts } from '../../lib/stack/ports';
import { isolatedHome } from './streaming-home';
import { compareWithOracle, oracleStats } from './streaming-oracle';

const STATSBOMB = path.resolve('..', 'shared', 'statsbomb', 'data');
/** Women's Euro 2022, one match. */
const MATCH_ID = 3835335;

const KEYS = Array.from({ length: 8 }, (_, i) => `match-${i}`);
const PARTITIONS = 4;
const home = isolatedHome();

/**
 * Sends `total` messages in batches of 50 (value = "<key>:<n>", n counting per key), one batch after the other,
 * and runs `fault` once `faultAt` messages went out, while the sends go on. Returns the longest send, in ms: a
 * send that waited through the fault (retried until a broker took it) shows the fault came mid-produce.
 */
async function produceThrough(producer: EventProducer, topic: string, total: number, faultAt: number, fault: () => Promise<void>): Promise<number> {
  const next = new Map(KEYS.map((key) => [key, 0]));
  let faultDone: Promise<void> | undefined;
  let longestMs = 0;
  for (let sent = 0; sent < total; sent += 50) {
    if (faultDone === undefined && sent >= faultAt) faultDone = fault();
    const batch = Array.from({ length: 50 }, (_, i) => {
      const key = KEYS[(sent + i) % KEYS.length]!;
      const n = next.get(key)!;
      next.set(key, n + 1);
      return { key, value: `${key}:${n}` };
    });
    const started = Date.now();
    await producer.send(topic, batch);
    longestMs = Math.max(longestMs, Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await faultDone;
  return longestMs;
}

/** Every key's values exactly once and in order: n = 0, 1, 2, … as sent. */
function expectExactlyOnceInOrder(messages: readonly ConsumedMessage[], total: number): void {
  expect(messages).toHaveLength(total);
  const byKey = new Map<string, number[]>();
  for (const message of [...messages].sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset))) {
    const [key, n] = message.value.toString().split(':');
    expect(message.key).toBe(key);
    expect(message.partition).toBe(partitionForKey(key!, PARTITIONS));
    byKey.set(key!, [...(byKey.get(key!) ?? []), Number(n)]);
  }
  for (const key of KEYS) {
    const values = byKey.get(key) ?? [];
    expect(values, `key ${key}`).toEqual(Array.from({ length: values.length }, (_, i) => i));
  }
  expect([...byKey.values()].reduce((sum, values) => sum + values.length, 0)).toBe(total);
}

/**
 * Produces `total` messages with `fault` coming after `faultAt` of them (see produceThrough), then checks that a send
 * waited through the fault (it came mid-produce) and that a consumer reads every message once per key, in order.
 */
async function expectExactlyOnceThrough(client: KafkaClient, topic: string, total: number, faultAt: number, fault: () => Promise<void>, lanes = 1): Promise<void> {
  const producer = await client.createProducer({ lanes });
  let longestSendMs = 0;
  try {
    longestSendMs = await produceThrough(producer, topic, total, faultAt, fault);
  } finally {
    await producer.close();
  }
  expect(longestSendMs).toBeGreaterThan(1_000);
  const { messages, timedOut } = await client.consumeAll(topic, { expected: total, timeoutMs: 90_000, idleMs: 10_000 });
  expect(timedOut).toBe(false);
  expectExactlyOnceInOrder(messages, total);
}

describe('a 3-node KRaft cluster', () => {
  let cluster: KafkaCluster;
  let client: KafkaClient;

  beforeAll(async () => {
    const config = loadConfig({ home: home.home });
    const ports = await anyFreePorts(6);
    const nodes = [1, 2, 3].map((nodeId, i) => ({ nodeId, port: ports[2 * i]!, controllerPort: ports[2 * i + 1]! }));
    cluster = await startKafkaCluster(config, { nodes });
    client = createKafkaClient(cluster.bootstrap);
  }, 180_000);

  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
  });

  it('loses the leader of a partition mid-produce, gets it back, and every message arrives once, in order', async () => {
    const topic = `faults-leader-${Date.now()}`;
    await client.createTopic(topic, { partitions: PARTITIONS, replicationFactor: 3 });
    const leaderBefore = (await client.partitionLeaders(topic))[partitionForKey(KEYS[0]!, PARTITIONS)]!;
    expect([1, 2, 3]).toContain(leaderBefore);
    await expectExactlyOnceThrough(
      client,
      topic,
      12_000,
      3_000,
      async () => {
        await cluster.kill(leaderBefore);
        // Wait until the cluster has moved the partition's leadership, then bring the node back.
        const deadline = Date.now() + 60_000;
        let leader = leaderBefore;
        while (leader === leaderBefore && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          leader = (await client.partitionLeaders(topic).catch(() => [leaderBefore]))[partitionForKey(KEYS[0]!, PARTITIONS)]!;
        }
        expect(leader).not.toBe(leaderBefore);
        await cluster.start(leaderBefore);
      },
      2,
    );
  }, 240_000);
});

describe('the single-node broker', () => {
  let config: Config;

  beforeAll(async () => {
    const [kafkaPort, kafkaControllerPort] = await anyFreePorts(2);
    config = loadConfig({ home: home.home, kafkaPort, kafkaControllerPort });
    await startKafkaBroker(config);
  });

  afterAll(async () => {
    await stopKafkaBroker(config);
    home.remove();
  });

  it('restarts under a running streaming stats job, which waits and goes on: every window as without the restart', async () => {
    const bootstrap = `127.0.0.1:${config.kafkaPort}`;
    const events: MatchEvent[] = await openStatsBomb(STATSBOMB).events(MATCH_ID);
    const half = Math.floor(events.length / 2);
    const topic = `faults-stream-${Date.now()}`;
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-faults-stream-'));
    const send = async (list: readonly MatchEvent[]) => {
      const client = createKafkaClient(bootstrap);
      try {
        const producer = await client.createProducer();
        for (let i = 0; i < list.length; i += 1_000)
          await producer.send(topic, list.slice(i, i + 1_000).map((event) => ({ key: String(event.match_id), value: JSON.stringify(event) })));
        await producer.close();
      } finally {
        await client.close();
      }
    };
    const admin = createKafkaClient(bootstrap);
    await admin.createTopic(topic, { partitions: 1 });
    await admin.close();
    await send(events.slice(0, half));
    const run = await startMatchStats({ bootstrap, topic, outputDir, config: loadConfig({ home: home.home, sparkMaster: 'local[2]', kafkaPort: config.kafkaPort }), triggerMs: 1_000, timeoutMs: 200_000 });
    try {
      await waitForRecords(outputDir, half, { timeoutMs: 120_000, job: run.job });
      await stopKafkaBroker(config);
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // the job's batches meet a broker that is gone
      await startKafkaBroker(config);
      await send(events.slice(half));
      await waitForRecords(outputDir, events.length, { timeoutMs: 120_000, job: run.job });
    } finally {
      expect((await run.stop()).outcome).toBe('stopped');
    }
    const rows = readMatchStats(outputDir).map(({ batchId: _b, lastKafkaTimestampMs: _t, ...rest }: TeamWindowStats) => rest);
    expect(compareWithOracle(rows, oracleStats(events, 60_000))).toEqual([]);
    fs.rmSync(outputDir, { recursive: true, force: true });
  }, 300_000);

  it('restarts mid-produce, and every message arrives once, in order', async () => {
    const bootstrap = `127.0.0.1:${config.kafkaPort}`;
    const client = createKafkaClient(bootstrap);
    const topic = `faults-restart-${Date.now()}`;
    try {
      await client.createTopic(topic, { partitions: PARTITIONS });
      await expectExactlyOnceThrough(client, topic, 8_000, 2_000, async () => {
        await stopKafkaBroker(config);
        await startKafkaBroker(config);
      });
    } finally {
      await client.close();
    }
  }, 240_000);
});
