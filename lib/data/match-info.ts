// One match as pitchstream sees it: teams, final score, kick-off instant, and whether its events are there.
import type { RawMatch } from './statsbomb-types';

export interface MatchInfo {
  matchId: number;
  competitionId: number;
  competitionName: string;
  seasonId: number;
  seasonName: string;
  /** "YYYY-MM-DD" as listed. */
  matchDate: string;
  /** Kick-off "HH:MM:SS.mmm" as listed; null for a few old matches. */
  kickOff: string | null;
  /** Kick-off instant in epoch milliseconds: matchDate + kickOff read as UTC (midnight when kickOff is null). */
  kickOffMs: number;
  homeTeamId: number;
  homeTeamName: string;
  awayTeamId: number;
  awayTeamName: string;
  /** Final score (periods 1–4; shoot-out goals are not included, as in StatsBomb). */
  homeScore: number;
  awayScore: number;
  /** True for matches made by lib/synthetic, never for StatsBomb's own. */
  synthetic: boolean;
  /** False when the match is listed but its events file is not in the data folder ("not available"). */
  eventsAvailable: boolean;
}

/** StatsBomb gives local kick-off times without a zone; pitchstream reads them as UTC, documented in MatchInfo. */
export function kickOffEpochMs(matchDate: string, kickOff: string | null): number {
  return Date.parse(`${matchDate}T${kickOff ?? '00:00:00.000'}Z`);
}

export function toMatchInfo(raw: RawMatch, eventsAvailable: boolean): MatchInfo {
  return {
    matchId: raw.match_id,
    competitionId: raw.competition.competition_id,
    competitionName: raw.competition.competition_name,
    seasonId: raw.season.season_id,
    seasonName: raw.season.season_name,
    matchDate: raw.match_date,
    kickOff: raw.kick_off,
    kickOffMs: kickOffEpochMs(raw.match_date, raw.kick_off),
    homeTeamId: raw.home_team.home_team_id,
    homeTeamName: raw.home_team.home_team_name,
    awayTeamId: raw.away_team.away_team_id,
    awayTeamName: raw.away_team.away_team_name,
    homeScore: raw.home_score,
    awayScore: raw.away_score,
    synthetic: raw.synthetic === true,
    eventsAvailable,
  };
}
