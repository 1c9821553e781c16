// Real matches with StatsBomb's clock-restart artefact: an event stamped earlier than one before it in its period
// (typically the last Ball Receipt* of a half at 00:00), found by scanning the events rather than named by hand.
import { timestampToMs, type MatchEvent, type StatsBombReader } from '../../lib/data';

/** The events of a match whose period clock runs back (stamped more than a second before an earlier event of their period). */
export function clockRestartEvents(events: readonly MatchEvent[]): MatchEvent[] {
  const latest = new Map<number, number>();
  const restarts: MatchEvent[] = [];
  for (const event of events) {
    const stamped = timestampToMs(event.timestamp);
    const before = latest.get(event.period);
    if (before !== undefined && stamped < before - 1_000) restarts.push(event);
    latest.set(event.period, Math.max(stamped, before ?? -Infinity));
  }
  return restarts;
}

/** The first `count` matches (in the order given) whose events carry the artefact. */
export async function matchesWithClockRestarts(reader: StatsBombReader, matchIds: readonly number[], count: number): Promise<number[]> {
  const found: number[] = [];
  for (const matchId of matchIds) {
    if (found.length === count) break;
    if (clockRestartEvents(await reader.events(matchId)).length > 0) found.push(matchId);
  }
  return found;
}
