// The run's time axis: matches sent together kick off together, no send starts before the one before it ended.
import { describe, expect, it } from 'vitest';
import type { MatchEvent, MatchInfo } from '../../../lib/data';
import { createTimeline } from '../../../lib/producer';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A match kicking off at `kickOffMs` with events at the given minutes after it. */
function match(matchId: number, kickOffMs: number, minutes: number[] = [0, 45, 95]): { match: MatchInfo; events: MatchEvent[] } {
  return {
    match: { matchId, kickOffMs } as MatchInfo,
    events: minutes.map((minute) => ({ event_time: new Date(kickOffMs + minute * MINUTE).toISOString() }) as MatchEvent),
  };
}

const T = Date.parse('2022-07-06T21:00:00.000Z');

describe('the produce run time axis', () => {
  it('keeps the times of matches sent one at a time in kick-off order', () => {
    const timeline = createTimeline(MINUTE);
    expect([...timeline.place([match(1, T)])]).toEqual([[1, 0]]);
    expect([...timeline.place([match(2, T + 9 * DAY)])]).toEqual([[2, 0]]);
  });

  it('has matches sent side by side kick off with the latest of them, in whole minutes', () => {
    const timeline = createTimeline(MINUTE);
    const offsets = timeline.place([match(1, T), match(2, T + 9 * DAY - 15 * 60_000 - 500)]);
    expect(offsets.get(2)).toBe(0);
    expect(offsets.get(1)! % MINUTE).toBe(0);
    expect(T + offsets.get(1)!).toBeGreaterThanOrEqual(T + 9 * DAY - 15 * MINUTE - 500);
    expect(T + offsets.get(1)! - (T + 9 * DAY - 15 * MINUTE - 500)).toBeLessThan(MINUTE);
  });

  it('starts a send dated before the end of the last one after it, by the gap at least', () => {
    const timeline = createTimeline(10 * MINUTE);
    timeline.place([match(1, T + DAY)]);
    const offset = timeline.place([match(2, T)]).get(2)!;
    expect(offset % MINUTE).toBe(0);
    expect(T + offset).toBeGreaterThanOrEqual(T + DAY + 95 * MINUTE + 10 * MINUTE);
    expect(T + offset).toBeLessThan(T + DAY + 95 * MINUTE + 11 * MINUTE);
    // A later send that is already after it keeps its own times.
    expect(timeline.place([match(3, T + 5 * DAY)]).get(3)).toBe(0);
  });
});
