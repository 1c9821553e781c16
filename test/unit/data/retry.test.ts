import { describe, expect, it } from 'vitest';
import { backoffDelayMs, withRetry } from '../../../lib/data';

describe('retries with backoff and jitter', () => {
  it('doubles the delay per attempt, keeps half of it fixed and never passes the bound', () => {
    expect([1, 2, 3].map((attempt) => backoffDelayMs(attempt, 100, 1000, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((attempt) => backoffDelayMs(attempt, 100, 1000, () => 1))).toEqual([100, 200, 400]);
    expect(backoffDelayMs(10, 100, 1000, () => 1)).toBe(1000);
  });

  it('tries again until the operation succeeds', async () => {
    const attempts: number[] = [];
    const value = await withRetry(
      async (attempt) => {
        attempts.push(attempt);
        if (attempt < 2) throw new Error('flaky');
        return 'done';
      },
      { retries: 3, initialDelayMs: 1, isRetriable: () => true },
    );
    expect(value).toBe('done');
    expect(attempts).toEqual([0, 1, 2]);
  });

  it('throws at once on a failure that is not retriable, and after the last retry otherwise', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls += 1; throw new Error('fatal'); }, { retries: 3, initialDelayMs: 1, isRetriable: () => false })).rejects.toThrow('fatal');
    expect(calls).toBe(1);
    calls = 0;
    await expect(withRetry(async () => { calls += 1; throw new Error('flaky'); }, { retries: 2, initialDelayMs: 1, isRetriable: () => true })).rejects.toThrow('flaky');
    expect(calls).toBe(3);
  });
});
