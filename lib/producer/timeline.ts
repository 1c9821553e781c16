// One event-time axis per produce run: matches sent side by side kick off together, and no send starts before the
// previous one ended, so a stream's single watermark never drops a match as late (Spark keeps one watermark per query).
import type { MatchEvent, MatchInfo } from '../data';

const MINUTE_MS = 60_000;

/** The matches of one send (sent side by side, or one alone) with their events. */
export interface TimelineGroup {
  match: MatchInfo;
  events: readonly MatchEvent[];
}

export interface Timeline {
  /**
   * Places a send on the run's time axis and returns each match's event-time offset (ms, a whole number of minutes, so
   * windows keep their place on the match clock): every match of the group kicks off with the latest of them, and the
   * group starts at least `gapMs` after the latest event time placed so far. A group already in place moves by 0.
   */
  place(group: readonly TimelineGroup[]): Map<number, number>;
}

const roundUpToMinute = (ms: number): number => Math.ceil(ms / MINUTE_MS) * MINUTE_MS;

/** A run's time axis, empty until the first send is placed. */
export function createTimeline(gapMs: number): Timeline {
  let latestPlacedMs: number | undefined;
  return {
    place(group) {
      const offsets = new Map<number, number>();
      if (group.length === 0) return offsets;
      let kickOffMs = Math.max(...group.map(({ match }) => match.kickOffMs));
      if (latestPlacedMs !== undefined && kickOffMs < latestPlacedMs + gapMs) kickOffMs = latestPlacedMs + gapMs;
      for (const { match, events } of group) {
        const offsetMs = roundUpToMinute(kickOffMs - match.kickOffMs);
        offsets.set(match.matchId, offsetMs);
        for (const event of events) {
          const timeMs = Date.parse(event.event_time) + offsetMs;
          if (latestPlacedMs === undefined || timeMs > latestPlacedMs) latestPlacedMs = timeMs;
        }
      }
      return offsets;
    },
  };
}
