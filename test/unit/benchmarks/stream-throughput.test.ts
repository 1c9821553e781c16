import { describe, expect, it } from 'vitest';
import { afterWarmUp, percentile, steadyFigures } from '../../../lib/benchmarks';
import type { QueryProgress } from '../../../lib/streaming';

/** One batch every 2 s from t = 0, each with `rows` records and lasting `durationMs`. */
function batches(count: number, rows: number, durationMs: (i: number) => number): QueryProgress[] {
  return Array.from({ length: count }, (_, i) => ({
    query: 'match_stats',
    runId: 'r',
    batchId: i,
    timestampMs: i * 2_000,
    numInputRows: rows,
    inputRowsPerSecond: 0,
    processedRowsPerSecond: rows / (durationMs(i) / 1000),
    batchDurationMs: durationMs(i),
    durationsMs: {},
    stateRows: 0,
    stateRowsDroppedByWatermark: 0,
    watermarkMs: null,
    endOffsetTotal: (i + 1) * rows,
  }));
}

describe('the sustained-rate ladder figures', () => {
  it('leaves out empty batches and those of the warm-up', () => {
    const all = [{ ...batches(1, 0, () => 100)[0]!, timestampMs: -5_000 }, ...batches(30, 4_000, () => 1_000)];
    const steady = afterWarmUp(all, 10);
    expect(steady[0]!.timestampMs).toBe(10_000);
    expect(steady).toHaveLength(25);
  });

  it('measures the process rate over the span of the steady batches, with their duration percentiles', () => {
    // 4,000 records every 2 s: 2,000 events/s; the slow first batches fall in the warm-up.
    const figures = steadyFigures(batches(61, 4_000, (i) => (i < 5 ? 3_000 : 1_000 + (i % 10) * 50)), 10);
    expect(figures.batches).toBe(56);
    // 56 batches of 4,000 from t = 10 s to the end of the last (t = 120 s + its 1 s duration).
    expect(figures.processRate).toBeCloseTo((56 * 4_000) / 111, 6);
    expect(figures.p50).toBe(1_250);
    expect(figures.p95).toBe(1_450);
    expect(figures.measuredS).toBe(111);
  });

  it('has no figures without batches', () => {
    expect(steadyFigures([], 30)).toMatchObject({ processRate: 0, batches: 0, p50: null, p95: null });
    expect(percentile([], 50)).toBeNull();
    expect(percentile([3, 1, 2], 50)).toBe(2);
  });
});
