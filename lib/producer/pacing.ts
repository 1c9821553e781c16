// Pacing: how many events are due at a moment of the run, and when the next one is, for each rate plan.

/** Events due `elapsedMs` into a fixed-rate run: event i (from 0) is due at i / rate seconds. */
export function fixedRateDueCount(elapsedMs: number, eventsPerSecond: number): number {
  if (elapsedMs < 0) return 0;
  return Math.floor((elapsedMs * eventsPerSecond) / 1_000) + 1;
}

/** Milliseconds into a fixed-rate run at which event `eventNumber` (from 0) is due. */
export function fixedRateDueMs(eventNumber: number, eventsPerSecond: number): number {
  return (eventNumber * 1_000) / eventsPerSecond;
}

/** Milliseconds into a match-clock replay at which an event `matchClockMs` after kick-off is due. */
export function matchClockDueMs(matchClockMs: number, speed: number): number {
  return matchClockMs / speed;
}

/**
 * Per-event match-clock offsets from kick-off, held non-decreasing so that the replay keeps
 * StatsBomb's order (event_time restarts at 45:00 for period 2 while period 1 may run to 47:00).
 */
export function monotonicClockMs(eventTimesMs: readonly number[], kickOffMs: number): number[] {
  let latest = 0;
  return eventTimesMs.map((timeMs) => (latest = Math.max(latest, timeMs - kickOffMs)));
}

/** How many events a run is behind its plan: due minus handed to the producer, never negative. */
export function lagEvents(dueCount: number, sentCount: number): number {
  return Math.max(0, dueCount - sentCount);
}
