import { describe, expect, it } from 'vitest';
import { composeWorkersFor, mergeScalingRows, scalingRows, type ScalingCluster } from '../../../lib/training';

const row = (executors: number, seconds: number, cluster: ScalingCluster = 'local standalone') => ({
  cluster,
  executors,
  executors_granted: executors,
  master: cluster === 'compose' ? 'spark://spark-master:7077' : 'spark://127.0.0.1:7077',
  seconds,
  features_s: 1,
  fit_s: 1,
});

describe('scalingRows', () => {
  it('gives speed-up against the 1-executor run and efficiency = speed-up / executors', () => {
    const rows = scalingRows([row(1, 120), row(2, 80), row(4, 100)]);
    expect(rows.map((r) => [r.executors, r.speedup, r.efficiency])).toEqual([
      [1, 1, 1],
      [2, 1.5, 0.75],
      [4, 1.2, 0.3],
    ]);
  });

  it('measures each cluster against its own 1-executor run', () => {
    const rows = scalingRows([row(1, 100), row(2, 50), row(1, 200, 'compose'), row(2, 160, 'compose')]);
    expect(rows.map((r) => [r.cluster, r.executors, r.speedup])).toEqual([
      ['local standalone', 1, 1],
      ['local standalone', 2, 2],
      ['compose', 1, 1],
      ['compose', 2, 1.25],
    ]);
  });

  it('leaves speed-up undefined (NaN) without a 1-executor baseline rather than inventing one', () => {
    expect(Number.isNaN(scalingRows([row(2, 80)])[0]!.speedup)).toBe(true);
    expect(Number.isNaN(scalingRows([row(1, 80), row(2, 80, 'compose')])[1]!.speedup)).toBe(true);
  });
});

describe('mergeScalingRows', () => {
  it('replaces the rows of the fresh study’s cluster and keeps the other cluster’s', () => {
    const earlier = scalingRows([row(1, 100), row(2, 90), row(1, 300, 'compose')]);
    const fresh = scalingRows([row(1, 210, 'compose'), row(3, 150, 'compose')]);
    const merged = mergeScalingRows(earlier, fresh);
    expect(merged.map((r) => [r.cluster, r.executors, r.seconds])).toEqual([
      ['local standalone', 1, 100],
      ['local standalone', 2, 90],
      ['compose', 1, 210],
      ['compose', 3, 150],
    ]);
  });
});

describe('composeWorkersFor', () => {
  it('starts enough one-core (or N-core) workers for the largest executor count', () => {
    expect(composeWorkersFor([1, 2, 3], 1)).toBe(3);
    expect(composeWorkersFor([1, 2, 3], 2)).toBe(2);
    expect(composeWorkersFor([1], 4)).toBe(1);
  });
});
