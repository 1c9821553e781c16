import { describe, expect, it } from 'vitest';
import { scalingRows } from '../../../lib/training';

const row = (executors: number, seconds: number) => ({ executors, executors_granted: executors, master: 'spark://127.0.0.1:7077', seconds, features_s: 1, fit_s: 1 });

describe('scalingRows', () => {
  it('gives speed-up against the 1-executor run and efficiency = speed-up / executors', () => {
    const rows = scalingRows([row(1, 120), row(2, 80), row(4, 100)]);
    expect(rows.map((r) => [r.executors, r.speedup, r.efficiency])).toEqual([
      [1, 1, 1],
      [2, 1.5, 0.75],
      [4, 1.2, 0.3],
    ]);
  });

  it('leaves speed-up undefined (NaN) without a 1-executor baseline rather than inventing one', () => {
    expect(Number.isNaN(scalingRows([row(2, 80)])[0]!.speedup)).toBe(true);
  });
});
