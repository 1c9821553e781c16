// The event contract, defined once: every field of a normalized event with its type, nullability and
// meaning. The TypeScript type MatchEvent, contracts/event.schema.json and the PySpark StructType
// (jobs/pitchstream_jobs/contract.py) all derive from this table.

/** Kinds of value a field can hold; event-schema.ts maps each to JSON Schema, contract.py to Spark. */
export type FieldType = 'integer' | 'number' | 'string' | 'boolean' | 'timestamp' | 'point' | 'numbers' | 'freeze_frame';

export interface FieldDefinition {
  name: string;
  type: FieldType;
  nullable: boolean;
  description: string;
}

/** One player in a three-sixty frame (location in StatsBomb pitch coordinates, 120 × 80). */
export interface FreezeFramePlayer {
  location: [number, number];
  teammate: boolean;
  actor: boolean;
  keeper: boolean;
}

interface FieldValues {
  integer: number;
  number: number;
  string: string;
  boolean: boolean;
  timestamp: string;
  point: [number, number];
  numbers: number[];
  freeze_frame: FreezeFramePlayer[];
}

export const EVENT_FIELDS = [
  { name: 'match_id', type: 'integer', nullable: false, description: 'StatsBomb match id.' },
  { name: 'home_team_id', type: 'integer', nullable: false, description: 'Home team of the match.' },
  { name: 'away_team_id', type: 'integer', nullable: false, description: 'Away team of the match.' },
  { name: 'synthetic', type: 'boolean', nullable: false, description: 'True for events of a match made by lib/synthetic.' },
  {
    name: 'round',
    type: 'integer',
    nullable: true,
    description:
      'Loop round of the replay that sent the event: 0 for the first send of the data set, r for its r-th re-send (new ids, event times moved on). ' +
      'Consumers tell the sends of a match apart by it. Null or absent (a producer without loop rounds) reads as 0.',
  },
  { name: 'id', type: 'string', nullable: false, description: 'Event uuid (the key three-sixty frames refer to; a re-send carries a uuid v5 of it).' },
  { name: 'index', type: 'integer', nullable: false, description: 'Order of the event in its match, 1..N.' },
  { name: 'period', type: 'integer', nullable: false, description: '1, 2 halves; 3, 4 extra time; 5 penalty shoot-out.' },
  { name: 'timestamp', type: 'string', nullable: false, description: 'Time within the period, "HH:MM:SS.mmm", restarting at 0 each period.' },
  { name: 'minute', type: 'integer', nullable: false, description: 'Match minute as StatsBomb gives it (period 2 starts at 45).' },
  { name: 'second', type: 'integer', nullable: false, description: 'Second within the minute.' },
  {
    name: 'event_time',
    type: 'timestamp',
    nullable: false,
    description:
      'Wall-clock instant (ISO 8601, UTC): kick-off (match_date + kick_off read as UTC) + period offset (0, 45, 90, 105, 120 min) + timestamp. ' +
      'Non-decreasing within a period: an event stamped earlier than one before it (a StatsBomb artefact on a few Ball Receipt* and Half End events) takes the time of the latest earlier event. ' +
      'A replay may move a match\'s times by whole minutes, all its events alike: loop rounds, and the producer\'s one time axis per run (matches sent side by side kick off together).',
  },
  { name: 'type', type: 'string', nullable: false, description: 'Event type name (Pass, Carry, Shot, Pressure, Duel, …).' },
  { name: 'team_id', type: 'integer', nullable: false, description: 'Team of the event.' },
  { name: 'team_name', type: 'string', nullable: false, description: 'Name of the team of the event.' },
  { name: 'possession', type: 'integer', nullable: false, description: 'Running possession number within the match.' },
  { name: 'possession_team_id', type: 'integer', nullable: false, description: 'Team in possession of the ball.' },
  { name: 'play_pattern', type: 'string', nullable: false, description: 'How the possession began (Regular Play, From Corner, …).' },
  { name: 'player_id', type: 'integer', nullable: true, description: 'Player of the event; null for team events (Half Start, Starting XI).' },
  { name: 'player_name', type: 'string', nullable: true, description: 'Name of the player of the event.' },
  { name: 'location', type: 'point', nullable: true, description: '[x, y] on the 120 × 80 pitch, attacking left to right; null when StatsBomb gives none.' },
  { name: 'end_location', type: 'point', nullable: true, description: '[x, y] where a pass, carry or shot ended (a shot\'s height is dropped).' },
  { name: 'under_pressure', type: 'boolean', nullable: false, description: 'True when the player was under pressure (absent in StatsBomb means false).' },
  { name: 'pass_length', type: 'number', nullable: true, description: 'Pass length in yards; null for other events.' },
  { name: 'pass_outcome', type: 'string', nullable: true, description: 'Pass outcome (Incomplete, Out, …); null on a pass means completed, as in StatsBomb.' },
  { name: 'shot_xg', type: 'number', nullable: true, description: 'StatsBomb expected goals of a shot (statsbomb_xg).' },
  { name: 'shot_outcome', type: 'string', nullable: true, description: 'Shot outcome (Goal, Saved, Off T, Blocked, …).' },
  { name: 'duel_type', type: 'string', nullable: true, description: 'Duel type as StatsBomb names it (Tackle, Aerial Lost).' },
  { name: 'duel_outcome', type: 'string', nullable: true, description: 'Duel outcome as StatsBomb names it (Won, Lost In Play, …).' },
  { name: 'card', type: 'string', nullable: true, description: 'Card shown with a Foul Committed or Bad Behaviour (Yellow Card, Second Yellow, Red Card).' },
  { name: 'freeze_frame', type: 'freeze_frame', nullable: true, description: 'Players seen in the three-sixty frame of the event; null when the event has no frame (normal).' },
  { name: 'visible_area', type: 'numbers', nullable: true, description: 'Polygon of the camera\'s view as x1, y1, x2, y2, …; null when the event has no frame.' },
] as const satisfies readonly FieldDefinition[];

type EventField = (typeof EVENT_FIELDS)[number];

/** One normalized event: the record the replay sends to Kafka and the Spark jobs read. */
export type MatchEvent = {
  -readonly [F in EventField as F['name']]: F['nullable'] extends true ? FieldValues[F['type']] | null : FieldValues[F['type']];
};
