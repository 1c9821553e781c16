// The raw StatsBomb open-data records, as the files hold them (only the keys pitchstream reads are typed).

export interface RawNamed {
  id: number;
  name: string;
}

export interface RawCompetition {
  competition_id: number;
  season_id: number;
  competition_name: string;
  season_name: string;
  country_name?: string;
  /** Set to true on synthetic datasets (lib/synthetic); absent in StatsBomb's own files. */
  synthetic?: boolean;
  [key: string]: unknown;
}

export interface RawMatch {
  match_id: number;
  match_date: string;
  /** Local kick-off time "HH:MM:SS.mmm"; null for a few old matches. */
  kick_off: string | null;
  competition: { competition_id: number; competition_name: string; country_name?: string };
  season: { season_id: number; season_name: string };
  home_team: { home_team_id: number; home_team_name: string; [key: string]: unknown };
  away_team: { away_team_id: number; away_team_name: string; [key: string]: unknown };
  home_score: number;
  away_score: number;
  synthetic?: boolean;
  [key: string]: unknown;
}

export interface RawEvent {
  id: string;
  index: number;
  period: number;
  timestamp: string;
  minute: number;
  second: number;
  type: RawNamed;
  possession: number;
  possession_team: RawNamed;
  play_pattern: RawNamed;
  team: RawNamed;
  player?: RawNamed;
  location?: number[];
  under_pressure?: boolean;
  pass?: { length: number; end_location: number[]; outcome?: RawNamed; [key: string]: unknown };
  carry?: { end_location: number[] };
  shot?: { statsbomb_xg: number; end_location: number[]; outcome: RawNamed; [key: string]: unknown };
  duel?: { type?: RawNamed; outcome?: RawNamed };
  foul_committed?: { card?: RawNamed; [key: string]: unknown };
  bad_behaviour?: { card?: RawNamed };
  [key: string]: unknown;
}

export interface RawFreezeFramePlayer {
  teammate: boolean;
  actor: boolean;
  keeper: boolean;
  location: number[];
}

/** One three-sixty frame: who was where when the event `event_uuid` happened. */
export interface RawFrame {
  event_uuid: string;
  visible_area: number[];
  freeze_frame: RawFreezeFramePlayer[];
}

export interface RawLineupPlayer {
  player_id: number;
  player_name: string;
  jersey_number: number;
  [key: string]: unknown;
}

export interface RawLineup {
  team_id: number;
  team_name: string;
  lineup: RawLineupPlayer[];
}
