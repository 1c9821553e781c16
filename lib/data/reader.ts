// Reads a StatsBomb open-data folder in its own layout: competitions, match lists, events, lineups, three-sixty.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { PitchstreamError } from '../errors';
import { expectArray, expectRecords, findDataFile, readJsonFile, requireDataFile } from './data-file';
import type { MatchEvent } from './event-contract';
import { normalizeEvents } from './event-model';
import { toMatchInfo, type MatchInfo } from './match-info';
import { COMPETITION_KEYS, EVENT_KEYS, FRAME_KEYS, LINEUP_KEYS, MATCH_KEYS } from './record-keys';
import type { RawCompetition, RawEvent, RawFrame, RawLineup, RawMatch } from './statsbomb-types';

export interface MatchWithEvents {
  match: MatchInfo;
  events: MatchEvent[];
}

export interface StatsBombReader {
  /** The data folder read (absolute). */
  readonly dir: string;
  /** Every competition-season of competitions.json. */
  competitions(): Promise<RawCompetition[]>;
  /** The matches of one competition-season (matches/<competition>/<season>.json). */
  matchList(competitionId: number, seasonId: number): Promise<MatchInfo[]>;
  /** Every listed match, one match list at a time, in competition then season order. */
  matches(): AsyncGenerator<MatchInfo>;
  /** One listed match; DATA_NOT_FOUND when no match list names it. */
  match(matchId: number): Promise<MatchInfo>;
  /** The events file of a match as StatsBomb wrote it. */
  rawEvents(matchId: number): Promise<RawEvent[]>;
  /** The lineups file of a match. */
  lineups(matchId: number): Promise<RawLineup[]>;
  /** The three-sixty frames of a match; [] when there is no three-sixty file (normal). */
  threeSixty(matchId: number): Promise<RawFrame[]>;
  /** The normalized events of a match, three-sixty frames merged. */
  events(matchId: number): Promise<MatchEvent[]>;
  /** Every match whose events are here, with its normalized events, read one match at a time. */
  matchEvents(): AsyncGenerator<MatchWithEvents>;
}

function numericNames(dir: string, pattern: RegExp): number[] {
  return fs
    .readdirSync(dir)
    .map((name) => pattern.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * Opens a StatsBomb data folder (default: config.statsbombData, from STATSBOMB_DATA).
 * A missing folder is a DATA_NOT_FOUND error with the fix; files are read only when asked for.
 */
export function openStatsBomb(dir: string = loadConfig().statsbombData): StatsBombReader {
  const root = path.resolve(dir);
  if (!fs.existsSync(path.join(root, 'competitions.json')) && !fs.existsSync(path.join(root, 'matches')))
    throw new PitchstreamError('DATA_NOT_FOUND', `No StatsBomb data at ${root} (no competitions.json, no matches/ folder)`, {
      fix: `Set STATSBOMB_DATA to a folder in the open-data layout (e.g. ../shared/statsbomb/data), or download a subset into ${root} with downloadStatsBomb().`,
      details: { dir: root },
    });
  const matchIndex = new Map<number, MatchInfo>();
  let matchIndexComplete = false;

  const eventsBase = (matchId: number): string => path.join(root, 'events', String(matchId));

  async function readRecords<T>(file: string, keys: readonly string[]): Promise<T[]> {
    return expectRecords<T>(expectArray(await readJsonFile(file), file), keys, file);
  }

  async function matchList(competitionId: number, seasonId: number): Promise<MatchInfo[]> {
    const file = requireDataFile(path.join(root, 'matches', String(competitionId), String(seasonId)), `Match list ${competitionId}/${seasonId}`);
    const raw = await readRecords<RawMatch>(file, MATCH_KEYS);
    return raw.map((entry) => {
      const match = toMatchInfo(entry, findDataFile(eventsBase(entry.match_id)) !== undefined);
      matchIndex.set(match.matchId, match);
      return match;
    });
  }

  async function* matches(): AsyncGenerator<MatchInfo> {
    const matchesDir = path.join(root, 'matches');
    if (!fs.existsSync(matchesDir))
      throw new PitchstreamError('DATA_NOT_FOUND', `No match lists in ${root} (the matches/ folder is missing)`, { details: { file: matchesDir } });
    for (const competitionId of numericNames(matchesDir, /^(\d+)$/))
      for (const seasonId of numericNames(path.join(matchesDir, String(competitionId)), /^(\d+)\.json(?:\.gz)?$/))
        yield* await matchList(competitionId, seasonId);
    matchIndexComplete = true;
  }

  async function match(matchId: number): Promise<MatchInfo> {
    if (!matchIndex.has(matchId) && !matchIndexComplete) for await (const listed of matches()) if (listed.matchId === matchId) break;
    const found = matchIndex.get(matchId);
    if (found === undefined)
      throw new PitchstreamError('DATA_NOT_FOUND', `Match ${matchId} is not in any match list under ${path.join(root, 'matches')}`, {
        fix: 'Use a match id from reader.matches(), or download the match list of its competition-season.',
        details: { matchId },
      });
    return found;
  }

  async function rawEvents(matchId: number): Promise<RawEvent[]> {
    const file = findDataFile(eventsBase(matchId));
    if (file === undefined)
      throw new PitchstreamError('DATA_NOT_FOUND', `The events of match ${matchId} are not available: no ${eventsBase(matchId)}.json or .json.gz`, {
        fix: 'Pick a match whose eventsAvailable is true, or download its events with downloadStatsBomb({ matchIds: [...] }).',
        details: { matchId, file: `${eventsBase(matchId)}.json` },
      });
    return readRecords<RawEvent>(file, EVENT_KEYS);
  }

  async function threeSixty(matchId: number): Promise<RawFrame[]> {
    const file = findDataFile(path.join(root, 'three-sixty', String(matchId)));
    return file === undefined ? [] : readRecords<RawFrame>(file, FRAME_KEYS);
  }

  async function events(matchId: number): Promise<MatchEvent[]> {
    const [info, raw, frames] = await Promise.all([match(matchId), rawEvents(matchId), threeSixty(matchId)]);
    return normalizeEvents(info, raw, frames);
  }

  return {
    dir: root,
    competitions: async () => readRecords<RawCompetition>(requireDataFile(path.join(root, 'competitions'), 'The competition list'), COMPETITION_KEYS),
    matchList,
    matches,
    match,
    rawEvents,
    lineups: async (matchId) =>
      readRecords<RawLineup>(requireDataFile(path.join(root, 'lineups', String(matchId)), `Lineups of match ${matchId}`), LINEUP_KEYS),
    threeSixty,
    events,
    async *matchEvents() {
      for await (const listed of matches()) if (listed.eventsAvailable) yield { match: listed, events: await events(listed.matchId) };
    },
  };
}
