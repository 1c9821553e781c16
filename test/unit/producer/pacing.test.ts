import { describe, expect, it } from 'vitest';
import { fixedRateDueCount, fixedRateDueMs, lagEvents, matchClockDueMs, monotonicClockMs } from '../../../lib/producer';

describe('pacing', () => {
  it('makes the first event due at once and then one every 1/rate seconds', () => {
    expect(fixedRateDueCount(0, 4_096)).toBe(1);
    expect(fixedRateDueCount(1_000, 4_096)).toBe(4_097);
    expect(fixedRateDueCount(-5, 4_096)).toBe(0);
    expect(fixedRateDueMs(4_096, 4_096)).toBe(1_000);
    expect(fixedRateDueCount(fixedRateDueMs(100, 4_096), 4_096)).toBe(101);
  });

  it('plays the match clock faster by the speed factor', () => {
    expect(matchClockDueMs(90 * 60_000, 60)).toBe(90_000);
    expect(matchClockDueMs(90 * 60_000, 600)).toBe(9_000);
  });

  it('holds match-clock offsets non-decreasing when period 2 restarts at 45:00', () => {
    const kickOff = 1_000_000;
    const times = [0, 46 * 60_000, 47 * 60_000, 45 * 60_000, 45 * 60_000 + 30_000, 48 * 60_000].map((ms) => kickOff + ms);
    expect(monotonicClockMs(times, kickOff)).toEqual([0, 46, 47, 47, 47, 48].map((minutes) => minutes * 60_000));
  });

  it('counts the lag as due minus handed over, never below zero', () => {
    expect(lagEvents(100, 90)).toBe(10);
    expect(lagEvents(100, 120)).toBe(0);
  });
});
