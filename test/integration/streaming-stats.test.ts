// stream_match_stats on the real stack: real StatsBomb matches through Kafka and Spark, checked against an oracle.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../lib/config';
import { openStatsBomb, type MatchEvent } from '../../lib/data';
import { createKafkaClient, type KafkaClient } from '../../lib/kafka';
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
import { isolatedHome } from './streaming-home';
import { compareWithOracle, oracleStats, type OracleRow } from './streaming-oracle';

const STATSBOMB = path.resolve('..', 'shared', 'statsbomb', 'data');
/** Women's Euro 2022: 3835319 has three-sixty frames; 3835335 was played later (sent after it, in kick-off order). */
const MATCH_IDS = [3835319, 3835335];
const WINDOW_MS = 60_000;

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-streaming-'));
let config: Config;
let bootstrap: string;
let client: KafkaClient;
const home = isolatedHome();
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
  config = loadConfig({ home: home.home, sparkMaster: 'local[2]', kafkaPort: await freePort(), kafkaControllerPort: await freePort() });
  bootstrap = (await startKafkaBroker(config)).bootstrap;
  client = createKafkaClient(bootstrap);
  const reader = openStatsBomb(STATSBOMB);
  for (const id of MATCH_IDS) events.push(...(await reader.events(id)));
});

afterAll(async () => {
  await client?.close();
  await stopKafkaBroker(config);
  fs.rmSync(out, { recursive: true, force: true });
  home.remove();
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
  }, 200_000);

  it('stops mid-stream and restarts from its checkpoint with results identical to the uninterrupted run', async () => {
    const outputDir = path.join(out, 'restart');
    const options = { bootstrap, topic, outputDir, config, timeoutMs: 150_000 };
    // Small batches on a slow trigger, stopped after the first one: many batches are left for the
    // restart however fast the machine is (a graceful stop still finishes the batch in flight).
    const first = await startMatchStats({ ...options, maxOffsetsPerTrigger: 300, triggerMs: 2_000 });
    const follower = followMatchStats(outputDir);
    const deadline = Date.now() + 90_000;
    while (follower.batches().size < 1 && Date.now() < deadline) {
      follower.poll();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await first.stop()).outcome).toBe('stopped');
    // The query was stopped mid-stream.
    const readBeforeRestart = readQueryProgress(outputDir, 'match_stats').at(-1)?.endOffsetTotal ?? 0;
    expect(readBeforeRestart).toBeGreaterThan(0);
    expect(readBeforeRestart).toBeLessThan(events.length);
    // As if the stop had come in the middle of the last batch (planned, its outputs maybe written, not
    // committed), which a stop or a crash can do: the restart must neither fail on it (Spark 4.1.1's
    // replay of such a batch does: SPARK-55271) nor count its records twice.
    const commits = path.join(outputDir, 'checkpoint', 'match_stats', 'commits');
    const lastCommit = Math.max(...fs.readdirSync(commits).filter((name) => /^\d+$/.test(name)).map(Number));
    fs.rmSync(path.join(commits, String(lastCommit)));

    const second = await startMatchStats({ ...options, availableNow: true, maxOffsetsPerTrigger: 4_000 });
    expect((await second.wait()).outcome).toBe('succeeded');
    // The batch whose commit was removed is planned again (with, on a slow machine, a batch the stop left planned after it).
    const replanned = /batch\(es\) \[([\d, ]+)\] planned but not committed; planned again from the committed offsets/.exec(fs.readFileSync(second.job.logPath, 'utf8'));
    expect(replanned?.[1]?.split(', ').map(Number)).toContain(lastCommit);
    const resumed = readMatchStats(outputDir);
    // Same windows and counts; floats differ at most in the last bits (batches merge partial sums in another order).
    expect(compareWithOracle(comparable(resumed), comparable(uninterrupted) as unknown as OracleRow[], 1e-12)).toEqual([]);
    expect(compareWithOracle(comparable(resumed), oracleStats(events, WINDOW_MS))).toEqual([]);
    // Nothing read twice, nothing lost: the intake of both runs adds up to the topic exactly.
    expect(intakeTotals(readIntake(outputDir))).toEqual({ records: events.length, good: events.length, malformed: 0 });
  }, 300_000);
});

describe('stream_match_stats with malformed records', () => {
  it('keeps good results unchanged and puts each of the bad records in the dead-letter output with its reason', async () => {
    const topic = `stream-malformed-${Date.now()}`;
    const good = events.filter((event) => event.match_id === MATCH_IDS[0]).slice(0, 1_500);
    const sample = good[10]!;
    const bad: Array<{ value: string; reason: RegExp }> = [
      { value: '{"match_id": 3835319, "type": "Pass"', reason: /^not JSON$/ },
      { value: '[1, 2, 3]', reason: /^not a JSON object$/ },
      { value: JSON.stringify({ ...sample, id: 'bad-type', match_id: 'three' }), reason: /^wrong type: match_id$/ },
      { value: JSON.stringify({ ...sample, id: 'bad-time', event_time: 'yesterday' }), reason: /^wrong type: event_time$/ },
      { value: JSON.stringify({ ...sample, id: 'no-team', team_id: undefined }), reason: /^missing required: team_id$/ },
      { value: JSON.stringify({ ...sample, id: 'stranger', team_id: 999_999 }), reason: /^team not in match: team_id$/ },
      { value: JSON.stringify({ ...sample, id: 'short-point', location: [12] }), reason: /^malformed point: location$/ },
      { value: '   ', reason: /^empty value$/ },
    ];
    const messages = asMessages(good);
    bad.forEach((record, i) => messages.splice(100 + i * 150, 0, { key: String(sample.match_id), value: record.value }));
    await produce(topic, messages);
    const outputDir = path.join(out, 'malformed');
    const run = await startMatchStats({ bootstrap, topic, outputDir, availableNow: true, maxOffsetsPerTrigger: 600, config, timeoutMs: 150_000 });
    expect((await run.wait()).outcome).toBe('succeeded');

    expect(compareWithOracle(comparable(readMatchStats(outputDir)), oracleStats(good, WINDOW_MS))).toEqual([]);
    const letters = readDeadLetters(outputDir);
    expect(letters.map((letter) => letter.raw)).toEqual(bad.map((record) => record.value));
    letters.forEach((letter, i) => expect(letter.reason).toMatch(bad[i]!.reason));
    expect(new Set(letters.map((letter) => letter.batchId)).size).toBeGreaterThan(1);
    expect(intakeTotals(readIntake(outputDir))).toEqual({ records: messages.length, good: good.length, malformed: bad.length });
  }, 200_000);
});
