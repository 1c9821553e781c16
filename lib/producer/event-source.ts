// The matches a run sends: a selection from a StatsBomb folder or synthetic matches, loaded one ahead, bad files reported as items.
import fs from 'node:fs';
import path from 'node:path';
import { normalizeEvents, openStatsBomb, toMatchInfo, type MatchEvent, type MatchInfo, type StatsBombReader } from '../data';
import { isPitchstreamError, PitchstreamError } from '../errors';
import { generateSyntheticDataset } from '../synthetic';
import type { EventSource } from './options';

export interface LoadedMatch {
  kind: 'match';
  match: MatchInfo;
  events: MatchEvent[];
}

/** A match list or events file that is truncated, not gzip/JSON, or lacks keys (DATA_MALFORMED). */
export interface BadFile {
  kind: 'bad';
  matchId: number | null;
  file: string | null;
  error: PitchstreamError;
}

/** Any other failure while loading (e.g. an unreadable file): always fatal. */
export interface LoadFailure {
  kind: 'failure';
  error: unknown;
}

export type SourceItem = LoadedMatch | BadFile | LoadFailure;

export interface MatchFeed {
  /** What is sent, for logs and the manifest. */
  readonly label: string;
  /** Bad match lists met while selecting (events files are reported by items()). */
  readonly badLists: BadFile[];
  /** The selected matches with their events, one round's worth; the next match loads while the caller sends. */
  items(): AsyncGenerator<SourceItem>;
}

function badFile(error: PitchstreamError, matchId: number | null): BadFile {
  const file = typeof error.details.file === 'string' ? error.details.file : null;
  return { kind: 'bad', matchId, file, error };
}

function numericEntries(dir: string, pattern: RegExp): number[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => pattern.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Every match of every match list (competition, then season order); a malformed list becomes a BadFile. */
async function listAllMatches(reader: StatsBombReader, badLists: BadFile[]): Promise<MatchInfo[]> {
  const matchesDir = path.join(reader.dir, 'matches');
  const listed: MatchInfo[] = [];
  for (const competitionId of numericEntries(matchesDir, /^(\d+)$/))
    for (const seasonId of numericEntries(path.join(matchesDir, String(competitionId)), /^(\d+)\.json(?:\.gz)?$/)) {
      try {
        listed.push(...(await reader.matchList(competitionId, seasonId)));
      } catch (error) {
        if (!isPitchstreamError(error, 'DATA_MALFORMED')) throw error;
        badLists.push(badFile(error, null));
      }
    }
  return listed;
}

async function selectMatches(reader: StatsBombReader, source: Extract<EventSource, { kind: 'statsbomb' }>, badLists: BadFile[]): Promise<MatchInfo[]> {
  let selected: MatchInfo[];
  if (source.matchIds !== undefined) selected = await Promise.all(source.matchIds.map((id) => reader.match(id)));
  else if (source.competitionId !== undefined && source.seasonId !== undefined) selected = await reader.matchList(source.competitionId, source.seasonId);
  else selected = await listAllMatches(reader, badLists);
  const unavailable = selected.filter((match) => !match.eventsAvailable);
  if (source.matchIds !== undefined && unavailable.length > 0)
    throw new PitchstreamError('DATA_NOT_FOUND', `No events file for match ${unavailable.map((m) => m.matchId).join(', ')} under ${path.join(reader.dir, 'events')}`, {
      details: { matchIds: unavailable.map((m) => m.matchId) },
    });
  const available = selected.filter((match) => match.eventsAvailable);
  return source.limit === undefined ? available : available.slice(0, source.limit);
}

function describeStatsBomb(source: Extract<EventSource, { kind: 'statsbomb' }>, count: number): string {
  const filters = [
    source.matchIds ? `matches ${source.matchIds.join(',')}` : '',
    source.competitionId !== undefined ? `competition ${source.competitionId} season ${source.seasonId}` : '',
    source.limit !== undefined ? `limit ${source.limit}` : '',
  ].filter(Boolean);
  return `StatsBomb ${source.dir}${filters.length ? ` (${filters.join(', ')})` : ''}: ${count} matches`;
}

async function* loadAhead(matchIds: readonly number[], load: (matchId: number) => Promise<SourceItem>): AsyncGenerator<SourceItem> {
  let next = matchIds.length > 0 ? load(matchIds[0]!) : undefined;
  for (let i = 0; next !== undefined; i += 1) {
    const item = await next;
    next = i + 1 < matchIds.length ? load(matchIds[i + 1]!) : undefined;
    yield item;
  }
}

/** Opens the source: selects the matches now (fails fast on an unknown folder or match id), loads events round by round. */
export async function openMatchFeed(source: EventSource): Promise<MatchFeed> {
  if (source.kind === 'synthetic') {
    const dataset = generateSyntheticDataset({ matches: source.matches, seed: source.seed });
    const loaded: LoadedMatch[] = dataset.matches.map(({ match, events, frames }) => {
      const info = toMatchInfo(match, true);
      return { kind: 'match', match: info, events: normalizeEvents(info, events, frames) };
    });
    return {
      label: `synthetic: ${source.matches} matches, seed ${source.seed} (lib/synthetic, labelled synthetic)`,
      badLists: [],
      async *items() {
        yield* loaded;
      },
    };
  }
  if (source.kind === 'events') {
    const loaded: LoadedMatch[] = source.matches.map(({ match, events }) => ({ kind: 'match', match, events }));
    return {
      label: `${source.label}: ${loaded.length} matches held in memory`,
      badLists: [],
      async *items() {
        yield* loaded;
      },
    };
  }
  const reader = openStatsBomb(source.dir);
  const badLists: BadFile[] = [];
  const selected = await selectMatches(reader, source, badLists);
  const infoById = new Map(selected.map((match) => [match.matchId, match]));
  const knownBad = new Set<number>();
  const load = async (matchId: number): Promise<SourceItem> => {
    try {
      return { kind: 'match', match: infoById.get(matchId)!, events: await reader.events(matchId) };
    } catch (error) {
      if (!isPitchstreamError(error, 'DATA_MALFORMED')) return { kind: 'failure', error };
      knownBad.add(matchId);
      return badFile(error, matchId);
    }
  };
  return {
    label: describeStatsBomb(source, selected.length),
    badLists,
    // A file found bad in one round is not read again in the next.
    items: () => loadAhead([...infoById.keys()].filter((id) => !knownBad.has(id)), load),
  };
}

/**
 * The matches a run of this source sends (teams, names, date), without their events: what a chart
 * or table needs to name the teams. Same selection as openMatchFeed; bad match lists are skipped.
 */
export async function sourceMatches(source: EventSource): Promise<MatchInfo[]> {
  if (source.kind === 'synthetic')
    return generateSyntheticDataset({ matches: source.matches, seed: source.seed }).matches.map(({ match }) => toMatchInfo(match, true));
  if (source.kind === 'events') return source.matches.map(({ match }) => match);
  return selectMatches(openStatsBomb(source.dir), source, []);
}

/** Team id → team name over the source's matches (synthetic teams carry generated names). */
export async function sourceTeamNames(source: EventSource): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  for (const match of await sourceMatches(source)) names.set(match.homeTeamId, match.homeTeamName).set(match.awayTeamId, match.awayTeamName);
  return names;
}
