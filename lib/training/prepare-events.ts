// The training job's input: normalized events (the contract's records, as the stream carries them)
// as gzip NDJSON part files, plus a matches table with final scores, written from StatsBomb or synthetic data.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { findDataFile } from '../data/data-file';
import { normalizeEvents, openStatsBomb, toMatchInfo, type MatchEvent, type MatchInfo, type StatsBombReader } from '../data';
import { PitchstreamError } from '../errors';
import { generateSyntheticDataset } from '../synthetic';

/** Which matches to train on. */
export type TrainingSource =
  | {
      kind: 'statsbomb';
      /** StatsBomb open-data folder (config.statsbombData by default in trainLwp). */
      dir: string;
      /** Competition ids (default [11], La Liga, as the original). */
      competitionIds?: readonly number[];
      /** Season ids; all seasons of the competitions when absent. */
      seasonIds?: readonly number[];
      /** At most this many matches per season (the first ones of each match list, by date); all when absent. */
      matchesPerSeason?: number;
    }
  | {
      kind: 'synthetic';
      matches: number;
      seed: number;
      /** Teams in the synthetic league (default 8). */
      teams?: number;
    };

/** One row of matches.ndjson: what the job needs to label and split the game states. */
/** The layout of a prepared input folder (what train_lwp.py reads), here and on a Kubernetes volume. */
export const PREPARED_EVENTS_DIR = 'events';
export const PREPARED_MATCHES_FILE = 'matches.ndjson';

export interface TrainingMatchRow {
  match_id: number;
  competition_id: number;
  season_id: number;
  season_name: string;
  match_date: string;
  kick_off_ms: number;
  home_team_id: number;
  away_team_id: number;
  home_score: number;
  away_score: number;
  synthetic: boolean;
}

export interface PreparedEvents {
  /** Folder of the gzip NDJSON part files (events-NN.ndjson.gz), one contract record per line. */
  eventsDir: string;
  /** NDJSON file, one TrainingMatchRow per line. */
  matchesFile: string;
  synthetic: boolean;
  matches: number;
  events: number;
  competitionIds: number[];
  seasons: { seasonId: number; seasonName: string; matches: number }[];
  durationMs: number;
}

export interface PrepareEventsOptions {
  /** Where to write (created); events/ and matches.ndjson go inside. */
  outDir: string;
  /** Number of part files (default 8): whole matches per file, so Spark reads them in parallel. */
  parts?: number;
  /** gzip level 1–9 (default 1: the step is CPU-bound, size matters less). */
  gzipLevel?: number;
  /** false: drop the three-sixty frames (freeze_frame, visible_area null), e.g. for fast tests. Default true. */
  threeSixty?: boolean;
}

function matchRow(match: MatchInfo): TrainingMatchRow {
  return {
    match_id: match.matchId,
    competition_id: match.competitionId,
    season_id: match.seasonId,
    season_name: match.seasonName,
    match_date: match.matchDate,
    kick_off_ms: match.kickOffMs,
    home_team_id: match.homeTeamId,
    away_team_id: match.awayTeamId,
    home_score: match.homeScore,
    away_score: match.awayScore,
    synthetic: match.synthetic,
  };
}

/** The listed matches a source selects, events available, in competition → season → date order. */
export async function selectMatches(reader: StatsBombReader, source: Extract<TrainingSource, { kind: 'statsbomb' }>): Promise<MatchInfo[]> {
  const competitionIds = source.competitionIds ?? [11];
  const available = await reader.competitions();
  const pairs = available
    .filter((entry) => competitionIds.includes(entry.competition_id))
    .filter((entry) => source.seasonIds === undefined || source.seasonIds.includes(entry.season_id))
    // competitions.json lists every season StatsBomb publishes; a local folder may hold a subset.
    .filter((entry) => findDataFile(path.join(reader.dir, 'matches', String(entry.competition_id), String(entry.season_id))) !== undefined);
  const missing = competitionIds.filter((id) => !available.some((entry) => entry.competition_id === id));
  if (missing.length > 0 || pairs.length === 0)
    throw new PitchstreamError('TRAINING_DATA_EMPTY', `No competition-season of ${reader.dir} matches competitions [${competitionIds.join(', ')}] and seasons [${source.seasonIds?.join(', ') ?? 'all'}]`, {
      details: { dir: reader.dir, competitionIds, seasonIds: source.seasonIds, missing },
    });
  const selected: MatchInfo[] = [];
  for (const pair of pairs) {
    const listed = (await reader.matchList(pair.competition_id, pair.season_id))
      .filter((match) => match.eventsAvailable)
      .sort((a, b) => a.matchDate.localeCompare(b.matchDate) || a.matchId - b.matchId);
    selected.push(...(source.matchesPerSeason === undefined ? listed : listed.slice(0, source.matchesPerSeason)));
  }
  return selected;
}

class PartWriter {
  private readonly streams: { gzip: zlib.Gzip; done: Promise<void> }[];
  private next = 0;

  constructor(dir: string, parts: number, level: number) {
    fs.mkdirSync(dir, { recursive: true });
    this.streams = Array.from({ length: parts }, (_, part) => {
      const gzip = zlib.createGzip({ level });
      const file = fs.createWriteStream(path.join(dir, `events-${String(part).padStart(2, '0')}.ndjson.gz`));
      gzip.pipe(file);
      const done = new Promise<void>((resolve, reject) => {
        file.on('finish', resolve);
        file.on('error', reject);
        gzip.on('error', reject);
      });
      return { gzip, done };
    });
  }

  /** Writes one match's lines into the next part file (round robin), waiting when the stream is full. */
  async writeMatch(lines: string): Promise<void> {
    const stream = this.streams[this.next]!;
    this.next = (this.next + 1) % this.streams.length;
    if (!stream.gzip.write(lines)) await new Promise<void>((resolve) => stream.gzip.once('drain', resolve));
  }

  async close(): Promise<void> {
    for (const stream of this.streams) stream.gzip.end();
    await Promise.all(this.streams.map((stream) => stream.done));
  }
}

/**
 * Writes the normalized events of the selected matches and their matches table into outDir.
 * StatsBomb matches come through openStatsBomb(dir).events(); synthetic ones are generated in
 * memory and normalized by the same normalizeEvents, so both reach the job in the same shape.
 */
export async function prepareTrainingEvents(source: TrainingSource, options: PrepareEventsOptions): Promise<PreparedEvents> {
  const startedMs = Date.now();
  const parts = options.parts ?? 8;
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`parts must be a positive integer, got ${parts}`);
  // Each entry gives one match's normalized events when asked (read lazily: one match in memory at a time).
  let matches: MatchInfo[];
  let eventsOf: (match: MatchInfo) => Promise<MatchEvent[]>;
  if (source.kind === 'synthetic') {
    // Generated in memory and normalized by the same function the StatsBomb reader uses.
    const dataset = generateSyntheticDataset({ matches: source.matches, seed: source.seed, ...(source.teams === undefined ? {} : { teams: source.teams }) });
    const byId = new Map(dataset.matches.map((generated) => [generated.match.match_id, generated]));
    matches = dataset.matches.map((generated) => toMatchInfo(generated.match, true));
    eventsOf = async (match) => {
      const generated = byId.get(match.matchId)!;
      return normalizeEvents(match, generated.events, options.threeSixty === false ? [] : generated.frames);
    };
  } else {
    const reader = openStatsBomb(source.dir);
    matches = await selectMatches(reader, source);
    eventsOf = async (match) => {
      const events = await reader.events(match.matchId);
      return options.threeSixty === false ? events.map((event) => ({ ...event, freeze_frame: null, visible_area: null })) : events;
    };
  }
  if (matches.length === 0)
    throw new PitchstreamError('TRAINING_DATA_EMPTY', `The ${source.kind} source selects no match with events`, { details: { source } });

  const eventsDir = path.join(options.outDir, PREPARED_EVENTS_DIR);
  fs.rmSync(eventsDir, { recursive: true, force: true });
  const writer = new PartWriter(eventsDir, Math.min(parts, matches.length), options.gzipLevel ?? 1);
  let events = 0;
  try {
    // Reading the next match overlaps with compressing the current one.
    let pending = eventsOf(matches[0]!);
    for (let i = 0; i < matches.length; i++) {
      const matchEvents = await pending;
      if (i + 1 < matches.length) pending = eventsOf(matches[i + 1]!);
      events += matchEvents.length;
      await writer.writeMatch(matchEvents.map((event) => JSON.stringify(event)).join('\n') + '\n');
    }
  } finally {
    await writer.close();
  }
  const matchesFile = path.join(options.outDir, PREPARED_MATCHES_FILE);
  fs.writeFileSync(matchesFile, matches.map((match) => JSON.stringify(matchRow(match))).join('\n') + '\n');

  const seasons = new Map<number, { seasonId: number; seasonName: string; matches: number }>();
  for (const match of matches) {
    const entry = seasons.get(match.seasonId) ?? { seasonId: match.seasonId, seasonName: match.seasonName, matches: 0 };
    entry.matches += 1;
    seasons.set(match.seasonId, entry);
  }
  return {
    eventsDir,
    matchesFile,
    synthetic: matches.every((match) => match.synthetic),
    matches: matches.length,
    events,
    competitionIds: [...new Set(matches.map((match) => match.competitionId))],
    seasons: [...seasons.values()].sort((a, b) => a.seasonName.localeCompare(b.seasonName)),
    durationMs: Date.now() - startedMs,
  };
}
