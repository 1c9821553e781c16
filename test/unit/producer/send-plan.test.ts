import { describe, expect, it } from 'vitest';
import type { MatchEvent, MatchInfo } from '../../../lib/data';
import { createStatsTracker, formatProduceProgress, interleaveByMatchClock, interleaveInChunks, resolveProduceOptions } from '../../../lib/producer';
import { isPitchstreamError } from '../../../lib/errors';

const KICK_OFF_MS = Date.parse('2020-01-01T20:00:00.000Z');

function match(matchId: number, minutes: number[]): { match: MatchInfo; events: MatchEvent[] } {
  const info = { matchId, kickOffMs: KICK_OFF_MS } as MatchInfo;
  const events = minutes.map((minute, i) => ({ id: `${matchId}-${i}`, event_time: new Date(KICK_OFF_MS + minute * 60_000).toISOString() }) as MatchEvent);
  return { match: info, events };
}

describe('the send plan', () => {
  it('interleaves matches by time since their own kick-off, each match in its own order', () => {
    const plan = interleaveByMatchClock([match(1, [0, 10, 46, 45, 50]), match(2, [0, 5, 47])]);
    expect(plan.map((p) => p.event.id)).toEqual(['1-0', '2-0', '2-1', '1-1', '1-2', '1-3', '2-2', '1-4']);
    expect(plan.map((p) => p.clockMs / 60_000)).toEqual([0, 0, 5, 10, 46, 46, 47, 50]);
  });

  it('sends matches side by side in chunks, each match in its own order', () => {
    const plan = interleaveInChunks([match(1, [0, 1, 2, 3, 4]), match(2, [0, 1])], 2);
    expect(plan.map((p) => p.event.id)).toEqual(['1-0', '1-1', '2-0', '2-1', '1-2', '1-3', '1-4']);
  });
});

describe('running figures', () => {
  it('measures rates over the last second and keeps totals', () => {
    const tracker = createStatsTracker(0);
    tracker.acknowledge(1_000, 500_000, 500);
    tracker.acknowledge(1_000, 500_000, 1_000);
    tracker.acknowledge(2_000, 1_000_000, 2_000);
    expect(tracker.totals()).toEqual({ events: 4_000, valueBytes: 2_000_000 });
    expect(tracker.rates(2_000)).toEqual({ eventsPerSecond: 2_000, megabytesPerSecond: 1 });
    expect(tracker.rates(5_000).eventsPerSecond).toBe(0);
  });

  it('prints one line with rate, totals and lag', () => {
    const line = formatProduceProgress({ elapsedMs: 12_000, round: 1, roundStepMs: null, events: 49_152, valueBytes: 31_300_000, eventsPerSecond: 4_096, megabytesPerSecond: 2.61, lagEvents: 3, lagMs: 1, skippedFiles: 0 });
    expect(line).toBe('12.0 s  round 1  4,096 ev/s  2.61 MB/s  total 49,152 ev 31.3 MB  lag 3 ev (1 ms)');
  });
});

describe('produce options', () => {
  it('rejects an idempotent producer with more than one request in flight, naming the option', () => {
    let caught: unknown;
    try {
      resolveProduceOptions({ bootstrap: 'x:1', outputDir: '/tmp', source: { kind: 'synthetic', matches: 1, seed: 1 }, maxInFlightRequests: 5 });
    } catch (error) {
      caught = error;
    }
    expect(isPitchstreamError(caught, 'CONFIG_INVALID')).toBe(true);
    expect((caught as Error).message).toContain('maxInFlightRequests must be 1 while idempotent is true');
  });
});
