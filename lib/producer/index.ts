// The Kafka event producer: replays StatsBomb or synthetic matches into a topic at a planned pace, with a manifest.
export { openMatchFeed, sourceMatches, sourceTeamNames, type BadFile, type LoadedMatch, type LoadFailure, type MatchFeed, type SourceItem } from './event-source';
export { eventForRound, isoTimeUtc, ROUND_ID_NAMESPACE, roundEventId, roundShiftMs, uuidV5 } from './loop-rounds';
export { createManifestTally, manifestChecksum, writeManifest, type ManifestFile, type ManifestTally, type MatchManifest } from './manifest';
export {
  DEFAULT_BATCH_EVENTS,
  DEFAULT_EVENTS_PER_SECOND,
  DEFAULT_LOOP_GAP_MS,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_PARTITIONS,
  DEFAULT_TOPIC,
  resolveProduceOptions,
  type BadFilePolicy,
  type EventSource,
  type ProduceOptions,
  type RatePlan,
  type ResolvedProduceOptions,
} from './options';
export { fixedRateDueCount, fixedRateDueMs, lagEvents, matchClockDueMs, monotonicClockMs } from './pacing';
export { produceEvents, type ProduceHandle, type ProduceSummary, type SkippedFile } from './produce-events';
export { interleaveByMatchClock, interleaveInChunks, sequentialPlan, type MatchEvents, type PlannedEvent } from './send-plan';
export { createTimeline, type Timeline, type TimelineGroup } from './timeline';
export { createStatsTracker, formatProduceProgress, type ProduceStats, type StatsTracker } from './stats';
