import { describe, expect, it } from 'vitest';
import { watchLoop } from '../../../lib/streaming';
import { reattachSigintListeners } from '../../../lib/streaming/watch-loop';

describe('watchLoop', () => {
  it('polls at once and then every interval until the duration has passed', async () => {
    const polls: number[] = [];
    const end = await watchLoop({ durationMs: 120, intervalMs: 30 }, (elapsedMs) => void polls.push(elapsedMs));
    expect(end).toBe('duration');
    expect(polls[0]).toBeLessThan(30);
    expect(polls.length).toBeGreaterThanOrEqual(3);
    expect(polls.length).toBeLessThanOrEqual(6);
  });

  it('ends between two polls as soon as the signal aborts, and leaves no SIGINT listener behind', async () => {
    const listeners = process.listenerCount('SIGINT');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const end = await watchLoop({ durationMs: 0, intervalMs: 10_000, signal: controller.signal }, () => undefined);
    expect(end).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });

  it('ends with interrupted on SIGINT (a notebook interrupt)', async () => {
    const watching = watchLoop({ durationMs: 0, intervalMs: 10_000 }, () => undefined);
    setTimeout(() => process.emit('SIGINT', 'SIGINT'), 20);
    await expect(watching).resolves.toBe('interrupted');
  });

  it('re-attaches the SIGINT listeners in their order, so that a real signal reaches them again (tslab kernels)', () => {
    const calls: string[] = [];
    const first = () => calls.push('first');
    const once = () => calls.push('once');
    process.on('SIGINT', first);
    process.once('SIGINT', once);
    try {
      const before = process.listeners('SIGINT');
      reattachSigintListeners();
      expect(process.listeners('SIGINT')).toEqual(before);
      process.emit('SIGINT', 'SIGINT');
      process.emit('SIGINT', 'SIGINT');
      expect(calls).toEqual(['first', 'once', 'first']);
    } finally {
      process.off('SIGINT', first);
      process.off('SIGINT', once);
    }
  });
});
