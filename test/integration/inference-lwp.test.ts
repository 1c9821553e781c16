// stream_lwp on the real stack: one real match through Kafka and Spark, scored by a model trained in beforeAll,
// compared state by state with the training's batch code path (features + model) on the same events.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../lib/config';
import { openStatsBomb, type MatchEvent, type MatchInfo } from '../../lib/data';
import { isPitchstreamError } from '../../lib/errors';
import { followLwpStates, readLwpStates, startLwpStream, summarizeLwpRun, type LwpState } from '../../lib/inference';
import { createKafkaClient, type KafkaClient } from '../../lib/kafka';
import { produceEvents } from '../../lib/producer';
import { submitJob } from '../../lib/spark';
import { startKafkaBroker, stopKafkaBroker } from '../../lib/stack/kafka-broker';
import { trainLwp } from '../../lib/training';
import { clockRestartEvents } from '../helpers/clock-restarts';
import { freePort } from '../helpers/free-port';
import { isolatedHome } from './streaming-home';

const STATSBOMB = path.resolve('..', 'shared', 'statsbomb', 'data');
/** Women's Euro 2022, England 1–0 Austria: a home goal, three-sixty frames. */
const MATCH_ID = 3835319;

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-lwp-'));
const home = isolatedHome();
let config: Config;
let bootstrap: string;
let client: KafkaClient;
let modelDir: string;
let events: MatchEvent[] = [];
const topic = `lwp-${Date.now()}`;

interface ReferenceRow {
  match_id: number;
  state_index: number;
  trigger: string;
  p_home_win: number;
  p_draw: number;
  p_away_win: number;
  [feature: string]: number | string;
}

beforeAll(async () => {
  config = loadConfig({ home: home.home, sparkMaster: 'local[2]', outputs: out, kafkaPort: await freePort(), kafkaControllerPort: await freePort() });
  // A small forest on a few real La Liga matches (no three-sixty): enough to react to the score.
  const training = trainLwp({
    config,
    source: { kind: 'statsbomb', dir: STATSBOMB, competitionIds: [11], matchesPerSeason: 2 },
    threeSixty: false,
    run: 'lwp-fixture-model',
    modelDir: path.join(out, 'model'),
    numTrees: 15,
    maxDepth: 6,
    minInstancesPerNode: 20,
    bootstrapSamples: 0,
    timeoutMs: 240_000,
  });
  bootstrap = (await startKafkaBroker(config)).bootstrap;
  client = createKafkaClient(bootstrap);
  events = await openStatsBomb(STATSBOMB).events(MATCH_ID);
  await client.createTopic(topic, { partitions: 1 });
  const producer = await client.createProducer();
  try {
    const messages = events.map((event) => ({ key: String(event.match_id), value: JSON.stringify(event) }));
    for (let i = 0; i < messages.length; i += 1_000) await producer.send(topic, messages.slice(i, i + 1_000));
  } finally {
    await producer.close();
  }
  modelDir = (await training).modelDir;
}, 300_000);

afterAll(async () => {
  await client?.close();
  await stopKafkaBroker(config);
  fs.rmSync(out, { recursive: true, force: true });
  home.remove();
});

/** What must not depend on batching or on when the run happened. */
function comparable(states: readonly LwpState[]): Array<Record<string, unknown>> {
  return states.map(({ batchId: _b, writtenMs: _w, kafkaTimestampMs: _k, ...rest }) => rest);
}

describe('stream_lwp', () => {
  let uninterrupted: LwpState[] = [];

  it('emits, for a real match, the same states with the same features as the training code and probabilities within 1e-9 of its model', async () => {
    const outputDir = path.join(out, 'parity');
    const run = await startLwpStream({ bootstrap, topic, modelDir, outputDir, availableNow: true, maxOffsetsPerTrigger: 1_000, config, timeoutMs: 180_000 });
    const [result, reference] = await Promise.all([run.wait(), batchReference()]);
    expect(result.outcome).toBe('succeeded');
    uninterrupted = readLwpStates(outputDir);
    expect(new Set(uninterrupted.map((s) => s.batchId)).size).toBeGreaterThanOrEqual(3);

    expect(uninterrupted.map((s) => [s.stateIndex, s.trigger])).toEqual(reference.map((r) => [r.state_index, r.trigger]));
    const featureNames = Object.keys(uninterrupted[0]!.features).sort();
    expect(featureNames.length).toBe(28);
    let worst = 0;
    uninterrupted.forEach((state, i) => {
      const expected = reference[i]!;
      for (const name of featureNames) expect(state.features[name], `${name} of state ${i}`).toBe(expected[name]);
      const p = state.probabilities!;
      worst = Math.max(worst, Math.abs(p[0] - expected.p_home_win), Math.abs(p[1] - expected.p_draw), Math.abs(p[2] - expected.p_away_win));
    });
    expect(worst).toBeLessThanOrEqual(1e-9);
    const summary = summarizeLwpRun(outputDir);
    expect(summary.events).toBe(events.length);
    expect(summary.withModel).toBe(true);
  }, 240_000);

  it('gives probabilities that sum to 1, and P(home win) rises after each home goal of the real match', () => {
    for (const state of uninterrupted) expect(Math.abs(state.probabilities!.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9);
    const goals = uninterrupted.filter((s) => s.trigger === 'goal');
    const homeGoals = goals.filter((s) => s.eventTeamId === s.homeTeamId);
    expect(homeGoals.length).toBeGreaterThanOrEqual(1);
    for (const goal of homeGoals) {
      const before = uninterrupted[uninterrupted.indexOf(goal) - 1]!;
      expect(goal.homeGoals - goal.awayGoals).toBe(before.homeGoals - before.awayGoals + 1);
      expect(goal.probabilities![0], `P(home) at ${goal.clock} vs ${before.clock}`).toBeGreaterThan(before.probabilities![0]);
    }
    // Every minute of both halves is there, each with its clock and triggering event.
    const minutes = uninterrupted.filter((s) => s.trigger === 'minute');
    expect(minutes.filter((s) => s.period === 1).map((s) => s.minute).slice(0, 45)).toEqual([...Array(45).keys()]);
    expect(minutes.every((s) => s.clock.endsWith(':00') && s.eventId !== null)).toBe(true);
  });

  it('stops mid-match and restarts from its checkpoint, emitting the same sequence as the uninterrupted run', async () => {
    const outputDir = path.join(out, 'restart');
    const options = { bootstrap, topic, modelDir, outputDir, config, timeoutMs: 180_000 };
    // Small batches on a slow trigger, stopped after the first one: many batches are left for the
    // restart however fast the machine is (a graceful stop still finishes the batch in flight).
    const first = await startLwpStream({ ...options, maxOffsetsPerTrigger: 200, triggerMs: 2_000 });
    const follower = followLwpStates(outputDir);
    const deadline = Date.now() + 120_000;
    while (follower.batches() < 1 && Date.now() < deadline) {
      follower.poll();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await first.stop()).outcome).toBe('stopped');
    const before = readLwpStates(outputDir);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(uninterrupted.length);

    const second = await startLwpStream({ ...options, availableNow: true, maxOffsetsPerTrigger: 2_000 });
    expect((await second.wait()).outcome).toBe('succeeded');
    expect(comparable(readLwpStates(outputDir))).toEqual(comparable(uninterrupted));
  }, 240_000);

  it('refuses a model whose feature list does not match the feature module, with LWP_MODEL_MISMATCH', async () => {
    const mismatched = path.join(out, 'mismatched-model');
    fs.cpSync(modelDir, mismatched, { recursive: true });
    const metadataFile = path.join(mismatched, 'metadata.json');
    const metadata = JSON.parse(fs.readFileSync(metadataFile, 'utf8')) as { features: Array<{ name: string }> };
    metadata.features = metadata.features.filter((feature) => feature.name !== 'xg_diff_last10');
    fs.writeFileSync(metadataFile, JSON.stringify(metadata));
    const error = await startLwpStream({ bootstrap, topic, modelDir: mismatched, outputDir: path.join(out, 'refused'), config, timeoutMs: 60_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPitchstreamError(error, 'LWP_MODEL_MISMATCH'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/does not match the job's feature module: features differ: missing \['xg_diff_last10'\]/);
    expect(fs.existsSync(path.join(out, 'refused', 'checkpoint'))).toBe(false);
  }, 90_000);
});

/**
 * Real matches with StatsBomb's clock-restart artefact (the last Ball Receipt* of a half stamped 00:00; checked by a scan
 * in the test), in kick-off order: La Liga 16095 (2018) has five goals and a red card at 75'; La Liga 303473 (2019) four
 * goals and two red cards at 86'; Women's Euro 2022 quarter-final 3844387 goes to extra time.
 */
const ARTEFACT_MATCH_IDS = [16095, 303473, 3844387];
const PERIOD_START: Record<number, number> = { 1: 0, 2: 45, 3: 90, 4: 105 };

describe('stream_lwp on real matches whose clock restarts before half-time, two loop rounds, at live batch sizes', () => {
  const realTopic = `lwp-real-${Date.now()}`;
  const matches: Array<{ info: MatchInfo; events: MatchEvent[] }> = [];

  beforeAll(async () => {
    const reader = openStatsBomb(STATSBOMB);
    for (const matchId of ARTEFACT_MATCH_IDS) {
      const matchEvents = await reader.events(matchId);
      expect(clockRestartEvents(matchEvents).length, `match ${matchId} carries the artefact`).toBeGreaterThan(0);
      matches.push({ info: await reader.match(matchId), events: matchEvents });
    }
    // One match after another in kick-off order, then the whole set again (round 1: new ids, later event times).
    const summary = await produceEvents({
      bootstrap,
      topic: realTopic,
      partitions: 2,
      outputDir: path.join(out, 'real-produce'),
      source: { kind: 'statsbomb', dir: STATSBOMB, matchIds: ARTEFACT_MATCH_IDS },
      rate: { kind: 'max' },
      rounds: 2,
    }).done;
    expect(summary.events).toBe(2 * matches.reduce((sum, match) => sum + match.events.length, 0));
  }, 120_000);

  // Small batches split a match's clock restarts across batches; large ones keep them together. 1,000-record
  // batches are the side-by-side test's below.
  for (const batchSize of [300, 4_000]) {
    it(`emits every minute, goal and red card of each real match through its last, in each round, with ${batchSize}-record batches`, async () => {
      const outputDir = path.join(out, `real-${batchSize}`);
      const run = await startLwpStream({ bootstrap, topic: realTopic, modelDir, outputDir, availableNow: true, maxOffsetsPerTrigger: batchSize, config, timeoutMs: 420_000 });
      expect((await run.wait()).outcome).toBe('succeeded');
      const states = readLwpStates(outputDir);
      for (const { info, events: matchEvents } of matches) {
        const ofMatch = states.filter((state) => state.matchId === info.matchId);
        // Only the rounds that were sent: no replay starts in the middle of a match.
        expect([...new Set(ofMatch.map((state) => state.replay))].sort(), `replays of match ${info.matchId}`).toEqual([0, 1]);
        const rounds = [0, 1].map((replay) => ofMatch.filter((state) => state.replay === replay));
        for (const round of rounds) expectCompleteMatch(round, info, matchEvents);
        expect(comparable(rounds[1]!).map(({ replay: _r, eventId: _e, eventTimeMs: _t, ...rest }) => rest)).toEqual(
          comparable(rounds[0]!).map(({ replay: _r, eventId: _e, eventTimeMs: _t, ...rest }) => rest),
        );
      }
    }, 480_000);
  }
});

describe('stream_lwp on real matches of different days sent side by side (notebook 04 with StatsBomb data)', () => {
  it('completes both matches: the producer has them kick off together, so the stream\'s one watermark drops neither', async () => {
    const sideBySideTopic = `lwp-side-by-side-${Date.now()}`;
    const matchIds = [3835319, 3835335]; // Women's Euro 2022, 6 and 15 July: notebook 04's default matches
    const reader = openStatsBomb(STATSBOMB);
    await produceEvents({
      bootstrap,
      topic: sideBySideTopic,
      outputDir: path.join(out, 'side-by-side-produce'),
      source: { kind: 'statsbomb', dir: STATSBOMB, matchIds },
      rate: { kind: 'max' },
      concurrentMatches: 2,
    }).done;
    const outputDir = path.join(out, 'side-by-side');
    const run = await startLwpStream({ bootstrap, topic: sideBySideTopic, modelDir, outputDir, availableNow: true, maxOffsetsPerTrigger: 1_000, config, timeoutMs: 300_000 });
    expect((await run.wait()).outcome).toBe('succeeded');
    const states = readLwpStates(outputDir);
    for (const matchId of matchIds) {
      const ofMatch = states.filter((state) => state.matchId === matchId);
      expect(new Set(ofMatch.map((state) => state.replay))).toEqual(new Set([0]));
      expectCompleteMatch(ofMatch, await reader.match(matchId), await reader.events(matchId));
    }
  }, 360_000);
});

/** Every minute of every period played, a state at each goal and red card, the match list's final score; states numbered 0..n-1. */
function expectCompleteMatch(states: readonly LwpState[], match: MatchInfo, matchEvents: readonly MatchEvent[]): void {
  const label = `match ${match.matchId} replay ${states[0]?.replay}`;
  expect(states.map((state) => state.stateIndex), label).toEqual([...states.keys()]);
  const expectedMinutes: string[] = [];
  for (const period of [1, 2, 3, 4]) {
    const played = matchEvents.filter((event) => event.period === period).map((event) => event.minute);
    if (played.length === 0) continue;
    for (let minute = PERIOD_START[period]!; minute <= Math.max(...played); minute += 1) expectedMinutes.push(`${period}/${minute}`);
  }
  const minutes = states.filter((state) => state.trigger === 'minute').map((state) => `${state.period}/${state.minute}`);
  expect(minutes, `${label}: a state for every minute through the last`).toEqual(expectedMinutes);
  const sides = new Set([match.homeTeamId, match.awayTeamId]);
  const redCards = matchEvents.filter(
    (event) => event.period <= 4 && sides.has(event.team_id) && (event.type === 'Foul Committed' || event.type === 'Bad Behaviour') &&
      (event.card === 'Red Card' || event.card === 'Second Yellow'),
  );
  expect(states.filter((state) => state.trigger === 'red_card').map((state) => state.eventIndex), `${label}: red cards`).toEqual(
    redCards.map((event) => event.index),
  );
  expect(states.filter((state) => state.trigger === 'goal').length, `${label}: goals`).toBe(match.homeScore + match.awayScore);
  const last = states[states.length - 1]!;
  expect([last.homeGoals, last.awayGoals], `${label}: final score`).toEqual([match.homeScore, match.awayScore]);
}

/** The training's batch code path on the match's events: game_states_frame + model.transform (fixture job). */
async function batchReference(): Promise<ReferenceRow[]> {
  const eventsDir = path.join(out, 'reference-events');
  fs.mkdirSync(eventsDir, { recursive: true });
  fs.writeFileSync(path.join(eventsDir, 'events.ndjson'), events.map((event) => JSON.stringify(event)).join('\n') + '\n');
  const output = path.join(out, 'reference.json');
  const job = await submitJob(
    { file: path.join('test', 'fixtures', 'jobs', 'lwp_batch_reference.py') },
    ['--model-dir', modelDir, '--events', eventsDir, '--schema', path.resolve('contracts', 'event.schema.json'), '--output', output],
    { config, timeoutMs: 180_000 },
  );
  await job.wait();
  return (JSON.parse(fs.readFileSync(output, 'utf8')) as { rows: ReferenceRow[] }).rows;
}
