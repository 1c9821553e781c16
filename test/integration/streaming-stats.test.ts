// stream_match_stats on the real stack: real StatsBomb matches through Kafka and Spark, checked against an oracle.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../lib/config';
import { openStatsBomb, type MatchEvent } from '../../lib/data';
import { createKafkaClient, type KafkaClient } from '../../lib/kafka';
import { runningServices } from '../../lib/stack';
import { startKafkaBroker, stopKafkaBroker } from '../../lib/stack/kafka-broker';
import {
  followMatchStats,
  intakeTotals,
  readDeadLetters,
  readIntake,
  readMatchStats,
  readQueryProgress,
  startMatchStats,
  type TeamWindowStats,
} from '../../lib/streaming';
import { freePort } from '../helpers/free-port';
import { compareWithOracle, oracleStats } from './streaming-oracle';

const STATSBOMB = path.resolve('..', 'shared', 'statsbomb', 'data');
/** Women's Euro 2022: 3835319 has three-sixty frames; 3835335 was played later (sent after it, in kick-off order). */
const MATCH_IDS = [3835319, 3835335];
const WINDOW_MS = 60_000;

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-streaming-'));
let config: Config;
let bootstrap: string;
let client: KafkaClient;
let ownBroker = false;
let events: MatchEvent[] = [];

async function produce(topic: string, values: Array<{ key: string; value: string }>): Promise<void> {
  await client.createTopic(topic, { partitions: 1 });
  const producer = await client.createProducer();
  try {
    for (let i = 0; i < values.length; i += 1_000) await producer.send(topic, values.slice(i, i + 1_000));
  } finally {
    await producer.close();
  }
}

const asMessages = (list: readonly MatchEvent[]) => list.map((event) => ({ key: String(event.match_id), value: JSON.stringify(event) }));

/** The job's rows without the fields that depend on batching (batch id, Kafka timestamps). */
function comparable(rows: readonly TeamWindowStats[]): Array<Record<string, unknown>> {
  return rows.map(({ batchId: _b, lastKafkaTimestampMs: _t, ...rest }) => rest);
}

beforeAll(async () => {
  config = loadConfig({ sparkMaster: 'local[2]', kafkaPort: await freePort(), kafkaControllerPort: await freePort() });
  ownBroker = !runningServices(config).has('kafka');
  bootstrap = (await startKafkaBroker(config)).bootstrap;
  client = createKafkaClient(bootstrap);
  const reader = openStatsBomb(STATSBOMB);
  for (const id of MATCH_IDS) events.push(...(await reader.events(id)));
});

afterAll(async () => {
  await client?.close();
  if (ownBroker) await stopKafkaBroker(config);
  fs.rmSync(out, { recursive: true, force: true });
});

describe('stream_match_stats', () => {
  const topic = `stream-stats-${Date.now()}`;
  let uninterrupted: TeamWindowStats[] = [];

  it('computes every window and metric of two real matches exactly as an independent TypeScript oracle', async () => {
    await produce(topic, asMessages(events));
    const outputDir = path.join(out, 'oracle');
    const run = await startMatchStats({ bootstrap, topic, outputDir, availableNow: true, maxOffsetsPerTrigger: 3_000, config, timeoutMs: 150_000 });
    expect((await run.wait()).outcome).toBe('succeeded');

    uninterrupted = readMatchStats(outputDir);
    const expected = oracleStats(events, WINDOW_MS);
    expect(expected.length).toBeGreaterThan(300);
    expect(compareWithOracle(comparable(uninterrupted), expected)).toEqual([]);
    // Several batches: some windows were rewritten by a later batch (update mode), none was late.
    const progress = readQueryProgress(outputDir, 'match_stats');
    expect(progress.filter((p) => p.numInputRows > 0).length).toBeGreaterThanOrEqual(3);
    expect(progress.reduce((sum, p) => sum + p.stateRowsDroppedByWatermark, 0)).toBe(0);
    expect(intakeTotals(readIntake(outputDir))).toEqual({ records: events.length, good: events.length, malformed: 0 });
    expect(readDeadLetters(outputDir)).toEqual([]);
    // The three-sixty metrics were computed from real frames.
    expect(uninterrupted.some((row) => row.frames > 0 && row.balance10mMean !== null)).toBe(true);
  });
});
