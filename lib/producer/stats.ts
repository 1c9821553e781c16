// Running figures of a produce run: acknowledged totals, rates over the last second, lag behind the plan; one-line formatting.

export interface ProduceStats {
  elapsedMs: number;
  /** Replay round now being sent (0 for the first). */
  round: number;
  /**
   * Event-time distance between the starts of two loop rounds (round r is round 0 moved by r times
   * this): charts use it to tell a match's replays apart. Null while round 0 is being sent.
   */
  roundStepMs: number | null;
  /** Events the broker acknowledged. */
  events: number;
  /** Bytes of message values acknowledged. */
  valueBytes: number;
  /** Over the last second. */
  eventsPerSecond: number;
  megabytesPerSecond: number;
  /** Events behind the requested rate or match clock; null when sending as fast as possible. */
  lagEvents: number | null;
  /** The same lag in milliseconds of the plan; null when sending as fast as possible. */
  lagMs: number | null;
  skippedFiles: number;
}

interface Sample {
  timeMs: number;
  events: number;
  valueBytes: number;
}

const WINDOW_MS = 1_000;
const MEGABYTE = 1_000_000;

export interface StatsTracker {
  /** Counts an acknowledged batch. */
  acknowledge(events: number, valueBytes: number, nowMs: number): void;
  totals(): { events: number; valueBytes: number };
  /** Events and megabytes per second over the last second before nowMs. */
  rates(nowMs: number): { eventsPerSecond: number; megabytesPerSecond: number };
}

export function createStatsTracker(startMs: number): StatsTracker {
  let events = 0;
  let valueBytes = 0;
  const samples: Sample[] = [{ timeMs: startMs, events: 0, valueBytes: 0 }];
  return {
    acknowledge(batchEvents, batchBytes, nowMs) {
      events += batchEvents;
      valueBytes += batchBytes;
      samples.push({ timeMs: nowMs, events, valueBytes });
      // Keep one sample older than the window as its baseline.
      while (samples.length > 2 && samples[1]!.timeMs <= nowMs - WINDOW_MS) samples.shift();
    },
    totals: () => ({ events, valueBytes }),
    rates(nowMs) {
      // The latest sample at least a window old is the baseline (the first one early in the run).
      let baseline = samples[0]!;
      for (const sample of samples) if (sample.timeMs <= nowMs - WINDOW_MS) baseline = sample;
      const spanMs = Math.max(nowMs - baseline.timeMs, 1);
      return {
        eventsPerSecond: ((events - baseline.events) * 1_000) / spanMs,
        megabytesPerSecond: ((valueBytes - baseline.valueBytes) * 1_000) / spanMs / MEGABYTE,
      };
    },
  };
}

const count = (value: number): string => Math.round(value).toLocaleString('en');

/** One progress line: "12.0 s  round 0  4,096 ev/s  2.61 MB/s  total 49,152 ev 31.3 MB  lag 3 ev (1 ms)". */
export function formatProduceProgress(stats: ProduceStats): string {
  const lag = stats.lagEvents === null ? 'lag n/a (as fast as possible)' : `lag ${count(stats.lagEvents)} ev (${count(stats.lagMs ?? 0)} ms)`;
  return [
    `${(stats.elapsedMs / 1_000).toFixed(1)} s`,
    `round ${stats.round}`,
    `${count(stats.eventsPerSecond)} ev/s`,
    `${stats.megabytesPerSecond.toFixed(2)} MB/s`,
    `total ${count(stats.events)} ev ${(stats.valueBytes / MEGABYTE).toFixed(1)} MB`,
    lag,
    stats.skippedFiles ? `${stats.skippedFiles} bad files skipped` : '',
  ]
    .filter(Boolean)
    .join('  ');
}
