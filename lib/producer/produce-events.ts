// produceEvents: replays matches into Kafka (idempotent, acks=all, key = match id) at a planned pace, with live figures,
// a graceful stop that flushes what was accepted, and a manifest of what the broker acknowledged.
//
// Message value: the normalized event as JSON, fields in the contract's order (contracts/event.schema.json).
// Message timestamp: the produce time, not event_time. StatsBomb event times lie years back, and a topic's
// retention.ms counts from record timestamps, so the broker would delete them at once; downstream windows read
// event_time from the value. One time axis per run (timeline.ts): matches sent side by side kick off together and no
// send starts before the one before it ended (a stream's one watermark would drop the earlier-dated match as late), in
// whole minutes; a run in kick-off order, one match at a time, keeps the data's times. Loop rounds: round r ≥ 1 carries
// round = r (the field consumers tell sends apart by), id = uuid v5(ROUND_ID_NAMESPACE, "<id>:r<r>") and
// event_time + r × (span of round 0's event times + loopGapMs).
import { performance } from 'node:perf_hooks';
import type { MatchInfo } from '../data';
import { isPitchstreamError } from '../errors';
import { createKafkaClient, partitionForKey, type EventProducer, type KafkaClient, type MessageBatch } from '../kafka';
import { openMatchFeed, type BadFile, type LoadedMatch, type SourceItem } from './event-source';
import { eventForRound, roundShiftMs } from './loop-rounds';
import { createTimeline } from './timeline';
import { createManifestTally, writeManifest, type ManifestFile } from './manifest';
import { resolveProduceOptions, type ProduceOptions, type ResolvedProduceOptions } from './options';
import { fixedRateDueCount, fixedRateDueMs, lagEvents as lagBehind, matchClockDueMs } from './pacing';
import { interleaveByMatchClock, interleaveInChunks, sequentialPlan, type PlannedEvent } from './send-plan';
import { createStatsTracker, type ProduceStats } from './stats';

export interface SkippedFile {
  matchId: number | null;
  file: string | null;
  message: string;
}

export interface ProduceSummary {
  status: 'completed' | 'stopped';
  topic: string;
  /** What was sent, e.g. "StatsBomb …: 3 matches". */
  source: string;
  /** Events the broker acknowledged (all of them: nothing handed to the producer is dropped). */
  events: number;
  valueBytes: number;
  durationMs: number;
  roundsCompleted: number;
  matches: number;
  skippedFiles: SkippedFile[];
  /** Epoch milliseconds at which the first and the last batch were handed to Kafka; null when nothing was sent. */
  firstSendAtMs: number | null;
  lastSendAtMs: number | null;
  /** Events per second between the first and the last send: (events − first batch) / (last − first send). */
  achievedEventsPerSecond: number | null;
  manifestPath: string;
}

export interface ProduceHandle {
  /** The running figures now. */
  stats(): ProduceStats;
  /** Stops taking events, flushes what was handed to Kafka, then settles done. */
  stop(): void;
  /** The summary once the run ends; rejects with the failure (details.manifestPath, details.summary) otherwise. */
  readonly done: Promise<ProduceSummary>;
}

interface Batch {
  /** The messages, held by the producer's batch: the JSON strings are not kept. */
  outgoing: MessageBatch;
  entries: PlannedEvent[];
  ids: string[];
  eventTimes: string[];
  valueBytes: number;
}

/** Events of one match before the next match's turn, when matches go side by side. */
const SIDE_BY_SIDE_CHUNK_EVENTS = 100;

const nowMs = (): number => performance.timeOrigin + performance.now();

/** Starts a produce run; see ProduceOptions for sources, pacing, loop rounds and producer settings. */
export function produceEvents(options: ProduceOptions): ProduceHandle {
  const settings = resolveProduceOptions(options);
  const startedAtMs = nowMs();
  const tracker = createStatsTracker(startedAtMs);
  const tally = createManifestTally();
  const skippedFiles: SkippedFile[] = [];
  const keyByMatch = new Map<number, Buffer>();
  const partitionByMatch = new Map<number, number>();
  let stopping = false;
  let wakeSleepers: Array<() => void> = [];
  let round = 0;
  let roundsCompleted = 0;
  let handedEvents = 0;
  let firstSendAtMs: number | null = null;
  let firstBatchEvents = 0;
  let lastSendAtMs: number | null = null;
  let inFlight: Promise<void> | undefined;
  let sendFailure: unknown;
  let paceStartMs: number | undefined;
  let lagNow: (atMs: number) => { events: number; ms: number } | null = () => (settings.rate.kind === 'max' ? null : { events: 0, ms: 0 });
  const timeline = createTimeline(settings.loopGapMs);
  const placedOffsetMs = new Map<number, number>();
  let dataMinMs = Infinity;
  let dataMaxMs = -Infinity;
  let sourceLabel = '';

  const stop = (): void => {
    stopping = true;
    for (const wake of wakeSleepers) wake();
    wakeSleepers = [];
  };
  if (settings.signal?.aborted) stop();
  settings.signal?.addEventListener('abort', stop, { once: true });

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(1, ms));
      function done(): void {
        clearTimeout(timer);
        wakeSleepers = wakeSleepers.filter((wake) => wake !== done);
        resolve();
      }
      wakeSleepers.push(done);
    });

  function stats(): ProduceStats {
    const atMs = nowMs();
    const totals = tracker.totals();
    const lag = lagNow(atMs);
    return {
      elapsedMs: atMs - startedAtMs,
      round,
      roundStepMs: round >= 1 ? roundShiftMs(1, dataMaxMs - dataMinMs, settings.loopGapMs) : null,
      events: totals.events,
      valueBytes: totals.valueBytes,
      ...tracker.rates(atMs),
      lagEvents: lag?.events ?? null,
      lagMs: lag?.ms ?? null,
      skippedFiles: skippedFiles.length,
    };
  }

  function reportBadFile(bad: BadFile): void {
    if (settings.onBadFile === 'fail') throw bad.error;
    skippedFiles.push({ matchId: bad.matchId, file: bad.file, message: bad.error.message });
    settings.onWarning?.(`skipping ${bad.matchId === null ? 'a match list' : `match ${bad.matchId}`}: ${bad.error.message}`);
  }

  function loadedOrThrow(item: SourceItem): LoadedMatch | undefined {
    if (item.kind === 'failure') throw item.error;
    if (item.kind === 'bad') {
      reportBadFile(item);
      return undefined;
    }
    return item;
  }

  function matchKey(match: MatchInfo): Buffer {
    let key = keyByMatch.get(match.matchId);
    if (key === undefined) keyByMatch.set(match.matchId, (key = Buffer.from(String(match.matchId))));
    return key;
  }

  function partitionOf(matchId: number, key: Buffer, partitions: number): number {
    let partition = partitionByMatch.get(matchId);
    if (partition === undefined) partitionByMatch.set(matchId, (partition = partitionForKey(key, partitions)));
    return partition;
  }

  /** Serializes up to `count` planned events into a producer batch, stopping before a partition's share would pass maxBatchBytes. */
  function buildBatch(producer: EventProducer, plan: readonly PlannedEvent[], from: number, count: number, shiftMs: number, partitions: number): Batch {
    const batch: Batch = { outgoing: producer.createBatch(settings.topic, settings.maxBatchBytes), entries: [], ids: [], eventTimes: [], valueBytes: 0 };
    const trackSpan = round === 0 && settings.rounds > 1;
    const end = Math.min(plan.length, from + count);
    for (let i = from; i < end; i += 1) {
      const entry = plan[i]!;
      const event = eventForRound(entry.event, round, shiftMs + (placedOffsetMs.get(entry.match.matchId) ?? 0));
      const key = matchKey(entry.match);
      // The JSON string is encoded once, into the batch, and not kept.
      const valueBytes = batch.outgoing.add(key, JSON.stringify(event), partitionOf(entry.match.matchId, key, partitions));
      if (valueBytes < 0) break;
      batch.entries.push(entry);
      batch.ids.push(event.id);
      batch.eventTimes.push(event.event_time);
      batch.valueBytes += valueBytes;
      if (trackSpan) {
        const timeMs = Date.parse(event.event_time);
        if (timeMs < dataMinMs) dataMinMs = timeMs;
        if (timeMs > dataMaxMs) dataMaxMs = timeMs;
      }
    }
    return batch;
  }

  function acknowledge(batch: Batch): void {
    tracker.acknowledge(batch.entries.length, batch.valueBytes, nowMs());
    // Consecutive events of one match go to the tally together, in send order.
    let runStart = 0;
    for (let i = 1; i <= batch.entries.length; i += 1) {
      const match = batch.entries[runStart]!.match;
      if (i < batch.entries.length && batch.entries[i]!.match === match) continue;
      tally.add(match.matchId, match.synthetic, batch.ids.slice(runStart, i), batch.eventTimes.slice(runStart, i));
      runStart = i;
    }
  }

  async function settleInFlight(): Promise<void> {
    const pending = inFlight;
    inFlight = undefined;
    if (pending) await pending;
    if (sendFailure !== undefined) throw sendFailure;
  }

  function hand(producer: EventProducer, batch: Batch): void {
    const atMs = nowMs();
    if (firstSendAtMs === null) {
      firstSendAtMs = atMs;
      firstBatchEvents = batch.entries.length;
    }
    lastSendAtMs = atMs;
    handedEvents += batch.entries.length;
    inFlight = producer.sendBatch(batch.outgoing).then(
      () => acknowledge(batch),
      (error: unknown) => {
        sendFailure = error;
      },
    );
  }

  /** How many events of the plan may go now (≥ 1), waiting until one is due; 0 when stopping. */
  async function allowance(plan: readonly PlannedEvent[], from: number, clockStartMs: number): Promise<number> {
    const rate = settings.rate;
    const left = Math.min(plan.length - from, settings.batchEvents);
    while (!stopping) {
      const atMs = nowMs();
      if (rate.kind === 'max') return left;
      if (rate.kind === 'fixed') {
        paceStartMs ??= atMs;
        const due = fixedRateDueCount(atMs - paceStartMs, rate.eventsPerSecond) - handedEvents;
        if (due >= 1) return Math.min(due, left);
        await sleep(fixedRateDueMs(handedEvents, rate.eventsPerSecond) - (atMs - paceStartMs));
        continue;
      }
      const elapsedMs = atMs - clockStartMs;
      let due = 0;
      while (due < left && matchClockDueMs(plan[from + due]!.clockMs, rate.speed) <= elapsedMs) due += 1;
      if (due >= 1) return due;
      await sleep(matchClockDueMs(plan[from]!.clockMs, rate.speed) - elapsedMs);
    }
    return 0;
  }

  function watchLag(plan: readonly PlannedEvent[], position: () => number, clockStartMs: number): void {
    const rate = settings.rate;
    if (rate.kind === 'fixed')
      lagNow = (atMs) => {
        const events = paceStartMs === undefined ? 0 : lagBehind(fixedRateDueCount(atMs - paceStartMs, rate.eventsPerSecond), handedEvents);
        return { events, ms: (events * 1_000) / rate.eventsPerSecond };
      };
    else if (rate.kind === 'match-clock')
      lagNow = (atMs) => {
        const from = position();
        const elapsedMs = atMs - clockStartMs;
        if (from >= plan.length || matchClockDueMs(plan[from]!.clockMs, rate.speed) > elapsedMs) return { events: 0, ms: 0 };
        // Plan entries are sorted by clock: binary search for the first not yet due.
        let low = from;
        let high = plan.length;
        while (low < high) {
          const middle = (low + high) >> 1;
          if (matchClockDueMs(plan[middle]!.clockMs, rate.speed) <= elapsedMs) low = middle + 1;
          else high = middle;
        }
        return { events: low - from, ms: elapsedMs - matchClockDueMs(plan[from]!.clockMs, rate.speed) };
      };
  }

  async function sendPlan(producer: EventProducer, plan: readonly PlannedEvent[], shiftMs: number, partitions: number): Promise<void> {
    const clockStartMs = nowMs();
    let position = 0;
    watchLag(plan, () => position, clockStartMs);
    while (position < plan.length && !stopping) {
      const count = await allowance(plan, position, clockStartMs);
      if (count === 0) break;
      // Serialize this batch while the previous one is on its way, then hand it over.
      const batch = buildBatch(producer, plan, position, count, shiftMs, partitions);
      await settleInFlight();
      if (stopping) break;
      hand(producer, batch);
      position += batch.entries.length;
    }
  }

  /** Places a send on the run's time axis in round 0; later rounds reuse its places (their own shift moves them all). */
  function place(group: readonly LoadedMatch[]): void {
    if (round === 0) for (const [matchId, offsetMs] of timeline.place(group)) placedOffsetMs.set(matchId, offsetMs);
  }

  async function sendRounds(producer: EventProducer, feed: Awaited<ReturnType<typeof openMatchFeed>>, partitions: number): Promise<void> {
    for (round = 0; round < settings.rounds && !stopping; round += 1) {
      const handedBefore = handedEvents;
      const shiftMs = round === 0 ? 0 : roundShiftMs(round, dataMaxMs - dataMinMs, settings.loopGapMs);
      if (settings.rate.kind === 'match-clock') {
        const loaded: LoadedMatch[] = [];
        for await (const item of feed.items()) {
          if (stopping) break;
          const match = loadedOrThrow(item);
          if (match) loaded.push(match);
        }
        place(loaded);
        await sendPlan(producer, interleaveByMatchClock(loaded), shiftMs, partitions);
      } else {
        let group: LoadedMatch[] = [];
        const sendGroup = async (): Promise<void> => {
          const plan = group.length === 1 ? sequentialPlan(group[0]!) : interleaveInChunks(group, SIDE_BY_SIDE_CHUNK_EVENTS);
          place(group);
          group = [];
          await sendPlan(producer, plan, shiftMs, partitions);
        };
        for await (const item of feed.items()) {
          if (stopping) break;
          // A fatal bad file ends the run only after the good matches before it went out.
          if (item.kind !== 'match' && group.length > 0) await sendGroup();
          const match = loadedOrThrow(item);
          if (match) group.push(match);
          if (group.length === settings.concurrentMatches) await sendGroup();
        }
        if (group.length > 0 && !stopping) await sendGroup();
      }
      if (!stopping) roundsCompleted += 1;
      if (handedEvents === handedBefore) break; // nothing to send: looping would spin
    }
  }

  async function run(): Promise<void> {
    const feed = await openMatchFeed(settings.source);
    sourceLabel = feed.label;
    feed.badLists.forEach(reportBadFile);
    const client: KafkaClient = createKafkaClient(settings.bootstrap, { clientId: 'pitchstream-producer', ...settings.kafka });
    try {
      await client.createTopic(settings.topic, { partitions: settings.partitions, retentionMs: settings.retentionMs });
      const producer = await client.createProducer({
        compression: settings.compression,
        idempotent: settings.idempotent,
        maxInFlightRequests: settings.maxInFlightRequests,
        lanes: settings.lanes,
      });
      try {
        await sendRounds(producer, feed, await client.partitionCount(settings.topic));
        await settleInFlight();
      } finally {
        // Whatever ended the run, what was handed to Kafka is awaited before closing.
        await inFlight?.catch(() => undefined);
        await producer.close().catch(() => undefined);
      }
    } finally {
      await client.close();
    }
  }

  function summarize(status: ProduceSummary['status'], manifestPath: string): ProduceSummary {
    const totals = tracker.totals();
    const sendSpanMs = firstSendAtMs !== null && lastSendAtMs !== null ? lastSendAtMs - firstSendAtMs : 0;
    return {
      status,
      topic: settings.topic,
      source: sourceLabel,
      events: totals.events,
      valueBytes: totals.valueBytes,
      durationMs: nowMs() - startedAtMs,
      roundsCompleted,
      matches: tally.matches().length,
      skippedFiles,
      firstSendAtMs,
      lastSendAtMs,
      achievedEventsPerSecond: sendSpanMs > 0 ? ((handedEvents - firstBatchEvents) * 1_000) / sendSpanMs : null,
      manifestPath,
    };
  }

  function manifest(status: ManifestFile['status'], error: unknown): ManifestFile {
    const totals = tracker.totals();
    return {
      status,
      topic: settings.topic,
      bootstrap: settings.bootstrap,
      // Events handed in by the caller are not copied into the manifest: their count is enough.
      source:
        settings.source.kind === 'events'
          ? { kind: 'events', label: sourceLabel, matches: settings.source.matches.length }
          : { ...settings.source, label: sourceLabel },
      rate: settings.rate,
      rounds_completed: roundsCompleted,
      events: totals.events,
      value_bytes: totals.valueBytes,
      started_at: new Date(startedAtMs).toISOString(),
      ended_at: new Date().toISOString(),
      skipped_files: skippedFiles.map((skipped) => ({ match_id: skipped.matchId, file: skipped.file, message: skipped.message })),
      error: error === undefined ? null : error instanceof Error ? error.message : String(error),
      matches: tally.matches(),
    };
  }

  const progressTimer = settings.onProgress ? setInterval(() => settings.onProgress!(stats()), settings.progressIntervalMs) : undefined;
  progressTimer?.unref();

  const done = run().then(
    () => {
      lagNow = () => (settings.rate.kind === 'max' ? null : { events: 0, ms: 0 });
      const status = stopping ? 'stopped' : 'completed';
      return summarize(status, writeManifest(settings.outputDir, manifest(status, undefined)));
    },
    (error: unknown) => {
      const manifestPath = writeManifest(settings.outputDir, manifest('failed', error));
      if (isPitchstreamError(error)) Object.assign(error.details, { manifestPath, summary: summarize('stopped', manifestPath) });
      throw error;
    },
  ).finally(() => {
    if (progressTimer) clearInterval(progressTimer);
    settings.signal?.removeEventListener('abort', stop);
  });

  return { stats, stop, done };
}
