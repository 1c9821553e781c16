// A synthetic dataset: a seeded league and schedule of matches, written in the StatsBomb open-data layout.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { RawCompetition } from '../data/statsbomb-types';
import { generateMatch, SYNTHETIC_COMPETITION, type SyntheticMatch } from './match-generator';
import { createRandom } from './random';
import { createLeague, type SyntheticTeam } from './teams';

export interface SyntheticDatasetOptions {
  /** How many matches to generate. */
  matches: number;
  seed: number;
  /** Teams in the league (default 8); each match draws two of them. */
  teams?: number;
  /** Id of the first match (default 9000001); the others follow. */
  firstMatchId?: number;
}

export interface SyntheticDataset {
  competition: RawCompetition;
  teams: SyntheticTeam[];
  matches: SyntheticMatch[];
}

const FIRST_MATCH_DATE_MS = Date.parse('2030-08-01T00:00:00Z');
const DAY_MS = 86_400_000;

/** Generates a league and its matches; the same options always give the same dataset. */
export function generateSyntheticDataset(options: SyntheticDatasetOptions): SyntheticDataset {
  const random = createRandom(options.seed);
  const teams = createLeague(options.teams ?? 8, random);
  if (teams.length < 2) throw new RangeError(`a synthetic league needs at least 2 teams, got ${teams.length}`);
  const firstMatchId = options.firstMatchId ?? 9_000_001;
  const matches = Array.from({ length: options.matches }, (_, slot) => {
    const home = random.pick(teams);
    const away = random.pick(teams.filter((team) => team !== home));
    return generateMatch({
      matchId: firstMatchId + slot,
      seed: random.integer(0, 0xffffffff),
      home,
      away,
      matchDate: new Date(FIRST_MATCH_DATE_MS + slot * DAY_MS).toISOString().slice(0, 10),
      kickOff: '20:00:00.000',
    });
  });
  return { competition: { ...SYNTHETIC_COMPETITION, competition_gender: 'male', synthetic: true }, teams, matches };
}

function writeGzipJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, zlib.gzipSync(JSON.stringify(value)));
}

/**
 * Writes a synthetic dataset into `dir` in the open-data layout (competitions.json, matches/,
 * events/, lineups/, three-sixty/), readable by openStatsBomb(dir). Returns what it wrote.
 */
export function writeSyntheticDataset(dir: string, options: SyntheticDatasetOptions): SyntheticDataset {
  const dataset = generateSyntheticDataset(options);
  const { competition_id: competitionId, season_id: seasonId } = dataset.competition;
  fs.mkdirSync(path.join(dir, 'matches', String(competitionId)), { recursive: true });
  fs.writeFileSync(path.join(dir, 'competitions.json'), JSON.stringify([dataset.competition], null, 2));
  fs.writeFileSync(path.join(dir, 'matches', String(competitionId), `${seasonId}.json`), JSON.stringify(dataset.matches.map((match) => match.match), null, 2));
  for (const { match, events, lineups, frames } of dataset.matches) {
    writeGzipJson(path.join(dir, 'events', `${match.match_id}.json.gz`), events);
    writeGzipJson(path.join(dir, 'lineups', `${match.match_id}.json.gz`), lineups);
    writeGzipJson(path.join(dir, 'three-sixty', `${match.match_id}.json.gz`), frames);
  }
  return dataset;
}
