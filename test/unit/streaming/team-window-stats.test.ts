import { describe, expect, it } from 'vitest';
import { latestStats, statsKey, type TeamWindowStats } from '../../../lib/streaming';

const row = (batchId: number, windowStartMs: number, teamId: number, events: number): TeamWindowStats =>
  ({ batchId, matchId: 1, windowStartMs, windowEndMs: windowStartMs + 60_000, teamId, side: teamId === 10 ? 'home' : 'away', events }) as TeamWindowStats;

describe('latestStats', () => {
  it('keeps the row of the highest batch id for each (match, window, team), whatever the reading order', () => {
    const rows = [row(3, 0, 10, 9), row(1, 0, 10, 4), row(1, 0, 20, 2), row(2, 60_000, 20, 5), row(4, 60_000, 20, 7)];
    expect(latestStats(rows).map((r) => [r.windowStartMs, r.teamId, r.batchId, r.events])).toEqual([
      [0, 10, 3, 9],
      [0, 20, 1, 2],
      [60_000, 20, 4, 7],
    ]);
  });

  it('names a key by match, window and team', () => {
    expect(statsKey(row(1, 60_000, 20, 0))).toBe('1/60000/120000/20');
  });
});
