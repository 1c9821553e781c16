// Turns a match's raw StatsBomb events and three-sixty frames into normalized MatchEvent records.
import type { FreezeFramePlayer, MatchEvent } from './event-contract';
import type { MatchInfo } from './match-info';
import type { RawEvent, RawFrame } from './statsbomb-types';

/** Minutes from kick-off at which each period starts (1, 2 halves; 3, 4 extra time; 5 shoot-out). */
export const PERIOD_START_MINUTES: Readonly<Record<number, number>> = { 1: 0, 2: 45, 3: 90, 4: 105, 5: 120 };

/** "HH:MM:SS.mmm" → milliseconds. */
export function timestampToMs(timestamp: string): number {
  const [hours, minutes, seconds] = timestamp.split(':').map(Number);
  return Math.round(((hours ?? 0) * 3600 + (minutes ?? 0) * 60 + (seconds ?? 0)) * 1000);
}

/** Milliseconds from kick-off at which an event happened, before any monotonic adjustment. */
export function matchClockMs(period: number, timestamp: string): number {
  const startMinutes = PERIOD_START_MINUTES[period];
  if (startMinutes === undefined) throw new RangeError(`period must be 1 to 5, got ${period}`);
  return startMinutes * 60_000 + timestampToMs(timestamp);
}

function point(coordinates: number[] | undefined): [number, number] | null {
  return coordinates === undefined ? null : [coordinates[0]!, coordinates[1]!];
}

function freezeFrame(frame: RawFrame): FreezeFramePlayer[] {
  return frame.freeze_frame.map((player) => ({
    location: [player.location[0]!, player.location[1]!],
    teammate: player.teammate,
    actor: player.actor,
    keeper: player.keeper,
  }));
}

/**
 * Normalizes one match's events, in StatsBomb order (index), with the three-sixty frame of each
 * event merged by event uuid. event_time is kick-off + period offset + timestamp, held
 * non-decreasing within each period (see the event_time field of the contract).
 */
export function normalizeEvents(match: MatchInfo, events: readonly RawEvent[], frames: readonly RawFrame[] = []): MatchEvent[] {
  const frameByEvent = new Map(frames.map((frame) => [frame.event_uuid, frame]));
  const latestMsByPeriod = new Map<number, number>();
  return events.map((event) => {
    const clockMs = Math.max(matchClockMs(event.period, event.timestamp), latestMsByPeriod.get(event.period) ?? -Infinity);
    latestMsByPeriod.set(event.period, clockMs);
    const frame = frameByEvent.get(event.id);
    return {
      match_id: match.matchId,
      home_team_id: match.homeTeamId,
      away_team_id: match.awayTeamId,
      synthetic: match.synthetic,
      round: 0,
      id: event.id,
      index: event.index,
      period: event.period,
      timestamp: event.timestamp,
      minute: event.minute,
      second: event.second,
      event_time: new Date(match.kickOffMs + clockMs).toISOString(),
      type: event.type.name,
      team_id: event.team.id,
      team_name: event.team.name,
      possession: event.possession,
      possession_team_id: event.possession_team.id,
      play_pattern: event.play_pattern.name,
      player_id: event.player?.id ?? null,
      player_name: event.player?.name ?? null,
      location: point(event.location),
      end_location: point(event.pass?.end_location ?? event.carry?.end_location ?? event.shot?.end_location),
      under_pressure: event.under_pressure === true,
      pass_length: event.pass?.length ?? null,
      pass_outcome: event.pass?.outcome?.name ?? null,
      shot_xg: event.shot?.statsbomb_xg ?? null,
      shot_outcome: event.shot?.outcome.name ?? null,
      duel_type: event.duel?.type?.name ?? null,
      duel_outcome: event.duel?.outcome?.name ?? null,
      card: event.foul_committed?.card?.name ?? event.bad_behaviour?.card?.name ?? null,
      freeze_frame: frame ? freezeFrame(frame) : null,
      visible_area: frame ? [...frame.visible_area] : null,
    };
  });
}
