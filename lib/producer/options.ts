// What a produce run takes: the source of events, the pace, the topic and producer settings; defaults and checks.
import type { Compression, KafkaClientOptions } from '../kafka';
import { PitchstreamError } from '../errors';
import type { MatchEvents } from './send-plan';
import type { ProduceStats } from './stats';

export const DEFAULT_TOPIC = 'statsbomb-360-events';
export const DEFAULT_PARTITIONS = 4;
/** The original replay's target rate. */
export const DEFAULT_EVENTS_PER_SECOND = 4_096;
/** Event-time gap between the end of one loop round and the start of the next. */
export const DEFAULT_LOOP_GAP_MS = 60_000;
export const DEFAULT_BATCH_EVENTS = 4_000;
/** Under the broker's message.max.bytes (1 MiB by default), which bounds one partition's batch in a request. */
export const DEFAULT_MAX_BATCH_BYTES = 900_000;

/** How fast events go out: a fixed rate, as fast as the broker takes them, or on the match clock. */
export type RatePlan =
  | { kind: 'fixed'; eventsPerSecond: number }
  | { kind: 'max' }
  /** Every selected match kicks off together; an event is due at (time since its kick-off) / speed. */
  | { kind: 'match-clock'; speed: number };

/** Where the events come from. */
export type EventSource =
  | {
      kind: 'statsbomb';
      /** A StatsBomb open-data folder. */
      dir: string;
      matchIds?: number[];
      competitionId?: number;
      seasonId?: number;
      /** At most this many matches (after the other filters). */
      limit?: number;
    }
  /** Matches made in memory by lib/synthetic (labelled synthetic in every event). */
  | { kind: 'synthetic'; matches: number; seed: number }
  /** Matches the caller already holds (e.g. loaded once with openStatsBomb), sent as they are. */
  | { kind: 'events'; label: string; matches: MatchEvents[] };

export type BadFilePolicy = 'skip' | 'fail';

export interface ProduceOptions {
  bootstrap: string;
  source: EventSource;
  /** Folder the manifest is written to (created when missing). */
  outputDir: string;
  topic?: string;
  /** Partitions of the topic when it is created (an existing topic keeps its own). */
  partitions?: number;
  /** retention.ms of the topic when it is created; the broker's default when absent. */
  retentionMs?: number;
  compression?: Compression;
  rate?: RatePlan;
  /** Replay rounds (default 1); Infinity loops until stopped. Round r ≥ 1 gets new ids and shifted event times. */
  rounds?: number;
  loopGapMs?: number;
  onBadFile?: BadFilePolicy;
  /** Most events in one produce request (default 4,000). */
  batchEvents?: number;
  /** Most value bytes per partition in one produce request (default 900,000); a single larger event still goes alone. */
  maxBatchBytes?: number;
  /** Fixed and max rates: how many matches are sent side by side (default 1, one after another). */
  concurrentMatches?: number;
  /** Producer settings: idempotent (default true, acks=all always), lanes (parallel producers). */
  idempotent?: boolean;
  lanes?: number;
  maxInFlightRequests?: number;
  /** Connection settings for the Kafka client: bounded retries and timeouts. */
  kafka?: KafkaClientOptions;
  /** Aborting stops the run gracefully, like stop(). */
  signal?: AbortSignal;
  /** Called every progressIntervalMs (default 1,000) with the running figures. */
  onProgress?: (stats: ProduceStats) => void;
  progressIntervalMs?: number;
  /** Called for every skipped bad file. */
  onWarning?: (message: string) => void;
}

export type ResolvedProduceOptions = Required<Omit<ProduceOptions, 'retentionMs' | 'signal' | 'onProgress' | 'onWarning' | 'kafka'>> &
  Pick<ProduceOptions, 'retentionMs' | 'signal' | 'onProgress' | 'onWarning' | 'kafka'>;

function invalid(option: string, expected: string, received: unknown): PitchstreamError {
  return new PitchstreamError('CONFIG_INVALID', `produce option ${option} must be ${expected}, got ${JSON.stringify(received)}`, {
    fix: `Correct ${option} (see pitchstream produce --help).`,
    details: { option, received },
  });
}

function positive(option: string, value: number, integer: boolean, allowInfinity = false): number {
  const ok = (allowInfinity && value === Infinity) || (Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value)));
  if (!ok) throw invalid(option, integer ? 'a whole number ≥ 1' : 'a number > 0', value);
  return value;
}

/** Fills in the defaults and checks every option, naming the option, what was expected and what came. */
export function resolveProduceOptions(options: ProduceOptions): ResolvedProduceOptions {
  const rate = options.rate ?? { kind: 'fixed', eventsPerSecond: DEFAULT_EVENTS_PER_SECOND };
  if (rate.kind === 'fixed') positive('rate.eventsPerSecond', rate.eventsPerSecond, false);
  else if (rate.kind === 'match-clock') positive('rate.speed', rate.speed, false);
  else if (rate.kind !== 'max') throw invalid('rate.kind', '"fixed", "max" or "match-clock"', (rate as { kind: unknown }).kind);
  const source = options.source;
  if (source.kind === 'synthetic') {
    positive('source.matches', source.matches, true);
    if (!Number.isInteger(source.seed)) throw invalid('source.seed', 'a whole number', source.seed);
  } else if (source.kind === 'statsbomb') {
    if (source.limit !== undefined) positive('source.limit', source.limit, true);
    if ((source.competitionId === undefined) !== (source.seasonId === undefined))
      throw invalid('source.competitionId/seasonId', 'given together', { competitionId: source.competitionId, seasonId: source.seasonId });
  } else if (source.kind !== 'events') throw invalid('source.kind', '"statsbomb", "synthetic" or "events"', (source as { kind: unknown }).kind);
  const onBadFile = options.onBadFile ?? 'skip';
  if (onBadFile !== 'skip' && onBadFile !== 'fail') throw invalid('onBadFile', '"skip" or "fail"', onBadFile);
  const compression = options.compression ?? 'none';
  if (compression !== 'none' && compression !== 'gzip') throw invalid('compression', '"none" or "gzip"', compression);
  const idempotent = options.idempotent ?? true;
  const maxInFlightRequests = options.maxInFlightRequests ?? 1;
  if (idempotent && maxInFlightRequests !== 1)
    throw invalid('maxInFlightRequests', '1 while idempotent is true (one request in flight per idempotent lane keeps the order on retries)', maxInFlightRequests);
  return {
    ...options,
    rate,
    onBadFile,
    compression,
    idempotent,
    maxInFlightRequests: positive('maxInFlightRequests', maxInFlightRequests, true),
    topic: options.topic ?? DEFAULT_TOPIC,
    partitions: positive('partitions', options.partitions ?? DEFAULT_PARTITIONS, true),
    rounds: positive('rounds', options.rounds ?? 1, true, true),
    loopGapMs: positive('loopGapMs', options.loopGapMs ?? DEFAULT_LOOP_GAP_MS, true),
    batchEvents: positive('batchEvents', options.batchEvents ?? DEFAULT_BATCH_EVENTS, true),
    concurrentMatches: positive('concurrentMatches', options.concurrentMatches ?? 1, true),
    maxBatchBytes: positive('maxBatchBytes', options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES, true),
    lanes: positive('lanes', options.lanes ?? 1, true),
    progressIntervalMs: positive('progressIntervalMs', options.progressIntervalMs ?? 1_000, true),
  };
}
