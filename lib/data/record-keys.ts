// The keys every record of each StatsBomb file kind has; the reader and the downloader check them.

export const COMPETITION_KEYS = ['competition_id', 'season_id', 'competition_name', 'season_name'] as const;
export const MATCH_KEYS = [
  'match_id', 'match_date', 'kick_off', 'competition.competition_id', 'season.season_id',
  'home_team.home_team_id', 'away_team.away_team_id', 'home_score', 'away_score',
] as const;
export const EVENT_KEYS = [
  'id', 'index', 'period', 'timestamp', 'minute', 'second', 'type.name', 'team.id',
  'possession', 'possession_team.id', 'play_pattern.name',
] as const;
export const LINEUP_KEYS = ['team_id', 'team_name', 'lineup'] as const;
export const FRAME_KEYS = ['event_uuid', 'freeze_frame', 'visible_area'] as const;
