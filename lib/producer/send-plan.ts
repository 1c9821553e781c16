// The order events go out in: match after match, a few matches side by side, or every match at once on its own match clock.
import type { MatchEvent, MatchInfo } from '../data';
import { monotonicClockMs } from './pacing';

export interface PlannedEvent {
  match: MatchInfo;
  event: MatchEvent;
  /** Milliseconds after its match's kick-off (held non-decreasing per match); 0 in a sequential plan. */
  clockMs: number;
}

export interface MatchEvents {
  match: MatchInfo;
  events: MatchEvent[];
}

/** One match's events in StatsBomb order. */
export function sequentialPlan({ match, events }: MatchEvents): PlannedEvent[] {
  return events.map((event) => ({ match, event, clockMs: 0 }));
}

/**
 * Every match kicks off at the same moment; events are ordered by time since their own kick-off,
 * ties by the matches' order and then StatsBomb order, so each match keeps its own order.
 */
export function interleaveByMatchClock(matches: readonly MatchEvents[]): PlannedEvent[] {
  const planned = matches.flatMap(({ match, events }, matchOrder) => {
    const clocks = monotonicClockMs(events.map((event) => Date.parse(event.event_time)), match.kickOffMs);
    return events.map((event, position) => ({ entry: { match, event, clockMs: clocks[position]! }, matchOrder, position }));
  });
  planned.sort((a, b) => a.entry.clockMs - b.entry.clockMs || a.matchOrder - b.matchOrder || a.position - b.position);
  return planned.map(({ entry }) => entry);
}

/** Several matches sent side by side: chunks of `chunkEvents` of each in turn, so one request spans several partitions. */
export function interleaveInChunks(matches: readonly MatchEvents[], chunkEvents: number): PlannedEvent[] {
  const planned: PlannedEvent[] = [];
  const longest = Math.max(0, ...matches.map(({ events }) => events.length));
  for (let from = 0; from < longest; from += chunkEvents)
    for (const { match, events } of matches) for (const event of events.slice(from, from + chunkEvents)) planned.push({ match, event, clockMs: 0 });
  return planned;
}
