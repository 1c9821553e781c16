// StatsBomb data: the reader of the open-data layout, the event contract and model, the downloader.
export { downloadStatsBomb, formatProgress, progressBar, STATSBOMB_OPEN_DATA_URL, type DownloadOptions, type DownloadProgress, type DownloadResult, type SeasonSelection } from './download';
export { EVENT_FIELDS, type FieldDefinition, type FieldType, type FreezeFramePlayer, type MatchEvent } from './event-contract';
export { matchClockMs, normalizeEvents, PERIOD_START_MINUTES, timestampToMs } from './event-model';
export { eventJsonSchema, eventSchemaPath, eventSchemaText, writeEventSchema } from './event-schema';
export { kickOffEpochMs, toMatchInfo, type MatchInfo } from './match-info';
export { openStatsBomb, type MatchWithEvents, type StatsBombReader } from './reader';
export { backoffDelayMs, withRetry, type RetryOptions } from './retry';
export type * from './statsbomb-types';
