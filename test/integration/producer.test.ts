// The producer against a real embedded Kafka broker: delivery, order, pace, loop rounds, match clock, bad files, stop.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../lib/config';
import { EVENT_FIELDS, matchClockMs, openStatsBomb, type MatchEvent } from '../../lib/data';
import { isPitchstreamError, type PitchstreamError } from '../../lib/errors';
import { createKafkaClient, partitionForKey, type ConsumedMessage, type KafkaClient } from '../../lib/kafka';
import { manifestChecksum, monotonicClockMs, produceEvents, type ManifestFile, type ProduceOptions } from '../../lib/producer';
import { startKafkaBroker, stopKafkaBroker } from '../../lib/stack/kafka-broker';
import { SAMPLE_DIR, SAMPLE_MISSING_REASON } from '../unit/data/statsbomb-sample';
import { freePort } from '../helpers/free-port';

const MATCH_IDS = [15946, 15956, 15973];
const tempDirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-producer-'));
  tempDirs.push(dir);
  return dir;
}

const topics: string[] = [];

function topicName(what: string): string {
  const topic = `test-producer-${what}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  topics.push(topic);
  return topic;
}

/** Consumed events grouped by key, each list in offset order. */
function eventsByKey(messages: ConsumedMessage[]): Map<string, MatchEvent[]> {
  const byKey = new Map<string, MatchEvent[]>();
  for (const message of [...messages].sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset))) {
    const list = byKey.get(message.key!) ?? [];
    list.push(JSON.parse(message.value.toString()) as MatchEvent);
    byKey.set(message.key!, list);
  }
  return byKey;
}

describe.skipIf(SAMPLE_MISSING_REASON !== undefined)('the Kafka event producer', () => {
  let config: Config;
  let bootstrap: string;
  let client: KafkaClient;
  const reader = openStatsBomb(SAMPLE_DIR);

  beforeAll(async () => {
    config = loadConfig({ kafkaPort: await freePort(), kafkaControllerPort: await freePort() });
    bootstrap = (await startKafkaBroker(config)).bootstrap;
    client = createKafkaClient(bootstrap);
  });

  afterAll(async () => {
    for (const topic of topics) await client?.deleteTopic(topic).catch(() => undefined);
    await client?.close();
    await stopKafkaBroker(config);
    tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  });

  function options(topic: string, extra: Partial<ProduceOptions>): ProduceOptions {
    return { bootstrap, topic, outputDir: tempDir(), source: { kind: 'statsbomb', dir: SAMPLE_DIR, matchIds: MATCH_IDS }, ...extra };
  }

  async function consume(topic: string, expected: number): Promise<ConsumedMessage[]> {
    const { messages, timedOut } = await client.consumeAll(topic, { expected, timeoutMs: 60_000, idleMs: 5_000 });
    expect(timedOut).toBe(false);
    return messages;
  }

  it('delivers three real matches exactly once, in per-match order, at the requested 4,096 events/s', async () => {
    const topic = topicName('rate');
    const summary = await produceEvents(options(topic, { rate: { kind: 'fixed', eventsPerSecond: 4_096 } })).done;
    const expected = await Promise.all(MATCH_IDS.map((id) => reader.events(id)));
    const total = expected.reduce((sum, events) => sum + events.length, 0);
    expect(summary).toMatchObject({ status: 'completed', events: total, matches: 3, roundsCompleted: 1 });
    expect(Math.abs(summary.achievedEventsPerSecond! / 4_096 - 1)).toBeLessThan(0.05);

    const messages = await consume(topic, total);
    expect(messages).toHaveLength(total);
    expect(new Set(messages.map((m) => JSON.parse(m.value.toString()).id)).size).toBe(total);
    const byKey = eventsByKey(messages);
    const manifest = JSON.parse(fs.readFileSync(summary.manifestPath, 'utf8')) as ManifestFile;
    MATCH_IDS.forEach((matchId, i) => {
      const consumed = byKey.get(String(matchId))!;
      // The value is the normalized event exactly, fields in the contract's order.
      expect(consumed).toEqual(expected[i]);
      expect(Object.keys(consumed[0]!)).toEqual(EVENT_FIELDS.map((field) => field.name));
      const entry = manifest.matches.find((m) => m.match_id === matchId)!;
      expect(entry).toMatchObject({ events: consumed.length, first_event_time: consumed[0]!.event_time, last_event_time: consumed.at(-1)!.event_time });
      expect(entry.ids_sha256).toBe(manifestChecksum(consumed.map((event) => event.id)));
    });
    expect(manifest).toMatchObject({ status: 'completed', events: total, topic });
  });

  it('delivers three matches side by side through 2 lanes exactly once and in order', async () => {
    const topic = topicName('lanes');
    const summary = await produceEvents(options(topic, { lanes: 2, concurrentMatches: 3, batchEvents: 1_000, rate: { kind: 'max' } })).done;
    const expected = await Promise.all(MATCH_IDS.map((id) => reader.events(id)));
    const total = expected.reduce((sum, events) => sum + events.length, 0);
    expect(summary).toMatchObject({ status: 'completed', events: total, matches: 3 });
    const messages = await consume(topic, total);
    expect(messages).toHaveLength(total);
    const byKey = eventsByKey(messages);
    // Side by side, the matches (played on different days) kick off together on one time axis: each moved by whole
    // minutes, all its events by the same amount, and otherwise the events as the data gives them.
    const kickOffs = await Promise.all(MATCH_IDS.map(async (id) => (await reader.match(id)).kickOffMs));
    MATCH_IDS.forEach((matchId, i) => {
      const consumed = byKey.get(String(matchId))!;
      expect(consumed.map(({ event_time: _t, ...rest }) => rest)).toEqual(expected[i]!.map(({ event_time: _t, ...rest }) => rest));
      const shifts = new Set(consumed.map((event, k) => Date.parse(event.event_time) - Date.parse(expected[i]![k]!.event_time)));
      expect(shifts.size).toBe(1);
      const [shift] = [...shifts];
      expect(shift! % 60_000).toBe(0);
      expect(kickOffs[i]! + shift! - Math.max(...kickOffs)).toBeLessThan(60_000);
    });
    // Every match on the partition its key gives, as any Kafka client would put it.
    for (const message of messages) expect(message.partition).toBe(partitionForKey(message.key!, 4));
  });

  it('gives every loop round new ids and event times later than the round before', async () => {
    const topic = topicName('loop');
    const [matchId] = MATCH_IDS;
    const original = await reader.events(matchId!);
    const summary = await produceEvents(options(topic, { source: { kind: 'statsbomb', dir: SAMPLE_DIR, matchIds: [matchId!] }, rate: { kind: 'max' }, rounds: 3 })).done;
    expect(summary).toMatchObject({ status: 'completed', events: 3 * original.length, roundsCompleted: 3 });

    const consumed = eventsByKey(await consume(topic, 3 * original.length)).get(String(matchId))!;
    expect(new Set(consumed.map((event) => event.id)).size).toBe(3 * original.length);
    const rounds = [0, 1, 2].map((r) => consumed.slice(r * original.length, (r + 1) * original.length));
    expect(rounds[0]!.map((event) => event.id)).toEqual(original.map((event) => event.id));
    expect(new Set(rounds[0]!.map((event) => event.round))).toEqual(new Set([0]));
    for (let r = 1; r < 3; r += 1) {
      const latestBefore = Math.max(...rounds[r - 1]!.map((event) => Date.parse(event.event_time)));
      const earliest = Math.min(...rounds[r]!.map((event) => Date.parse(event.event_time)));
      expect(earliest).toBeGreaterThan(latestBefore);
      // Each event carries its round; apart from round, id and event_time, a replayed event is the original one.
      expect(new Set(rounds[r]!.map((event) => event.round))).toEqual(new Set([r]));
      expect(rounds[r]!.map(({ id: _id, event_time: _time, round: _round, ...rest }) => rest)).toEqual(
        original.map(({ id: _id, event_time: _time, round: _round, ...rest }) => rest),
      );
    }
  });

  it('replays two matches on the match clock at ×600, each event sent when its minute comes', async () => {
    const topic = topicName('clock');
    const matchIds = MATCH_IDS.slice(0, 2);
    const speed = 600;
    const started = Date.now();
    const summary = await produceEvents(options(topic, { source: { kind: 'statsbomb', dir: SAMPLE_DIR, matchIds }, rate: { kind: 'match-clock', speed } })).done;
    const elapsedMs = Date.now() - started;
    const matches = await Promise.all(matchIds.map((id) => reader.events(id)));
    const lastClockMs = Math.max(...matches.map((events) => Math.max(...events.map((e) => matchClockMs(e.period, e.timestamp)))));
    expect(elapsedMs).toBeGreaterThan(0.9 * (lastClockMs / speed));
    expect(elapsedMs).toBeLessThan(lastClockMs / speed + 5_000);

    // Produce timestamps follow each match's own clock (held non-decreasing): both matches went out interleaved, in real time.
    const messages = await consume(topic, summary.events);
    const firstSentMs = Math.min(...messages.map((m) => m.timestampMs));
    const dueMsById = new Map<string, number>();
    for (const [i, events] of matches.entries()) {
      const clocks = monotonicClockMs(events.map((e) => Date.parse(e.event_time)), (await reader.match(matchIds[i]!)).kickOffMs);
      events.forEach((event, position) => dueMsById.set(event.id, clocks[position]! / speed));
    }
    const lateness = messages.map((m) => m.timestampMs - firstSentMs - dueMsById.get(JSON.parse(m.value.toString()).id)!);
    expect(Math.max(...lateness)).toBeLessThan(500);
    expect(Math.min(...lateness)).toBeGreaterThan(-500);
    expect(new Set(messages.map((m) => m.key))).toEqual(new Set(matchIds.map(String)));
  });

  function damagedCopy(): { dir: string; good: number[]; truncated: string; badJson: string } {
    const dir = tempDir();
    const [goodA, truncatedId, badJsonId, goodB] = [15946, 15973, 15978, 15956];
    const list = JSON.parse(fs.readFileSync(path.join(SAMPLE_DIR, 'matches', '11', '4.json'), 'utf8')) as { match_id: number }[];
    const order = [goodA, truncatedId, badJsonId, goodB];
    fs.mkdirSync(path.join(dir, 'matches', '11'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'events'));
    fs.copyFileSync(path.join(SAMPLE_DIR, 'competitions.json'), path.join(dir, 'competitions.json'));
    fs.writeFileSync(path.join(dir, 'matches', '11', '4.json'), JSON.stringify(order.map((id) => list.find((m) => m.match_id === id))));
    for (const id of [goodA, goodB]) fs.copyFileSync(path.join(SAMPLE_DIR, 'events', `${id}.json.gz`), path.join(dir, 'events', `${id}.json.gz`));
    const truncated = path.join(dir, 'events', `${truncatedId}.json.gz`);
    const whole = fs.readFileSync(path.join(SAMPLE_DIR, 'events', `${truncatedId}.json.gz`));
    fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const badJson = path.join(dir, 'events', `${badJsonId}.json`);
    const text = zlib.gunzipSync(fs.readFileSync(path.join(SAMPLE_DIR, 'events', `${badJsonId}.json.gz`))).toString();
    fs.writeFileSync(badJson, `${text.slice(0, 5_000)}}{oops${text.slice(5_000)}`);
    return { dir, good: [goodA, goodB], truncated, badJson };
  }

  it('skips a truncated and a malformed events file with a warning naming each, and delivers every good file', async () => {
    const { dir, good, truncated, badJson } = damagedCopy();
    const topic = topicName('skip');
    const warnings: string[] = [];
    const summary = await produceEvents(
      options(topic, { source: { kind: 'statsbomb', dir }, rate: { kind: 'max' }, onBadFile: 'skip', onWarning: (w) => warnings.push(w) }),
    ).done;
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(truncated);
    expect(warnings[1]).toContain(badJson);
    expect(warnings[1]).toMatch(/position \d+ \(line \d+, column \d+\)/);
    expect(summary.skippedFiles.map((s) => s.file)).toEqual([truncated, badJson]);
    const expected = await Promise.all(good.map((id) => reader.events(id)));
    const byKey = eventsByKey(await consume(topic, summary.events));
    good.forEach((id, i) => expect(byKey.get(String(id))!.map((e) => e.id)).toEqual(expected[i]!.map((e) => e.id)));
    expect(byKey.size).toBe(2);
  });

  it('stops at the first bad file with DATA_MALFORMED when asked to fail, keeping what was sent before', async () => {
    const { dir, good, truncated } = damagedCopy();
    const topic = topicName('fail');
    const error = (await produceEvents(options(topic, { source: { kind: 'statsbomb', dir }, rate: { kind: 'max' }, onBadFile: 'fail' })).done.catch(
      (e: unknown) => e,
    )) as PitchstreamError;
    expect(isPitchstreamError(error, 'DATA_MALFORMED')).toBe(true);
    expect(error.message).toContain(truncated);
    const before = await reader.events(good[0]!);
    expect(error.details.summary).toMatchObject({ events: before.length });
    const byKey = eventsByKey(await consume(topic, before.length));
    expect([...byKey.keys()]).toEqual([String(good[0])]);
    expect(byKey.get(String(good[0]))!.map((e) => e.id)).toEqual(before.map((e) => e.id));
    const manifest = JSON.parse(fs.readFileSync(String(error.details.manifestPath), 'utf8')) as ManifestFile;
    expect(manifest).toMatchObject({ status: 'failed', events: before.length });
  });

  it('reports KAFKA_UNREACHABLE within seconds when no broker answers', async () => {
    const started = Date.now();
    const error = await produceEvents({
      ...options(topicName('dead'), {}),
      bootstrap: `127.0.0.1:${await freePort()}`,
      kafka: { retries: 1, connectionTimeoutMs: 500 },
    }).done.catch((e: unknown) => e);
    expect(isPitchstreamError(error, 'KAFKA_UNREACHABLE')).toBe(true);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('stops gracefully mid-run on abort, and its totals equal what a consumer reads back', async () => {
    const topic = topicName('stop');
    const controller = new AbortController();
    const handle = produceEvents(options(topic, { rate: { kind: 'fixed', eventsPerSecond: 3_000 }, signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(handle.stats().events).toBeGreaterThan(0);
    controller.abort();
    const summary = await handle.done;
    expect(summary.status).toBe('stopped');
    expect(summary.events).toBeGreaterThan(3_000);
    expect(summary.events).toBeLessThan(10_000);
    // No expected count: read until the topic stays idle, so anything beyond the totals would show.
    const { messages, timedOut } = await client.consumeAll(topic, { timeoutMs: 60_000, idleMs: 3_000 });
    expect(timedOut).toBe(false);
    expect(messages).toHaveLength(summary.events);
    expect(new Set(messages.map((m) => JSON.parse(m.value.toString()).id)).size).toBe(summary.events);
    const manifest = JSON.parse(fs.readFileSync(summary.manifestPath, 'utf8')) as ManifestFile;
    expect(manifest).toMatchObject({ status: 'stopped', events: summary.events });
  });
});
