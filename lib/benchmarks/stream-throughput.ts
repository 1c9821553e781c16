// The sustained-rate ladder of stream_match_stats, shared by `bench:stream` (local Spark) and
// `bench:containers` (the same ladder run inside jupyter-lab against the compose cluster), so that
// both figures come from one method.
//
// For each offered rate R a fresh topic is preloaded with synthetic events (the producer alone cannot
// feed Kafka at 40,000+ events/s on 2 cores next to Spark); the job reads it with a processing-time
// trigger of T = 2 s and maxOffsetsPerTrigger = R × T, so the source offers exactly R events/s. R is
// sustained when, over the measured span (after warm-up batches), the process rate keeps up (≥ 95 % of
// R) and the batch duration stays bounded: p95 within the trigger interval. Climbing stops at the
// first rate that is not sustained.
import path from 'node:path';
import { deleteScratchTopic } from '../kafka';
import { produceEvents, type EventSource } from '../producer';
import { sleep } from '../stack/processes';
import { readQueryProgress, startMatchStats, type QueryProgress } from '../streaming';

export const LADDER_TRIGGER_MS = 2_000;
/** Synthetic matches are dated on consecutive days: a watermark of 30 days keeps every event in play. */
export const SYNTHETIC_WATERMARK = '30 days';
export const SYNTHETIC_SOURCE: EventSource = { kind: 'synthetic', matches: 4, seed: 11 };

export interface LadderOptions {
  bootstrap: string;
  /** Offered rates in events/s, climbed in order. */
  rates: readonly number[];
  /** Measured span of each step, after the warm-up. */
  stepS: number;
  /** Each step starts a new job: its first batches also pay for JVM start, planning and JIT compilation. */
  warmUpS: number;
  /** Scratch folder of the run folders and producer outputs. */
  workDir: string;
  onStep?: (step: LadderStep) => void;
  onProgress?: (line: string) => void;
}

export interface LadderStep {
  offered_events_per_s: number;
  process_events_per_s: number;
  spark_processed_rows_per_s_mean: number;
  batches: number;
  measured_s: number;
  batch_duration_p50_ms: number | null;
  batch_duration_p95_ms: number | null;
  sustained: boolean;
  preloaded_events: number;
}

export interface LadderResult {
  steps: LadderStep[];
  /** The highest offered rate that was sustained; 0 when none was. */
  max_sustainable_events_per_s: number;
  /** Whether a rate was not sustained (the limit lies below it), or the ladder ran out first. */
  limit_reached: boolean;
  method: string;
}

/** Nearest-rank percentile; null without values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Writes synthetic events into topic as fast as the producer goes, until `events` are in. */
export async function preloadSynthetic(bootstrap: string, topic: string, events: number, dir: string): Promise<number> {
  const producer = produceEvents({ bootstrap, topic, source: SYNTHETIC_SOURCE, outputDir: dir, rate: { kind: 'max' }, rounds: Infinity, lanes: 4, partitions: 4 });
  while (producer.stats().events < events) await sleep(200);
  producer.stop();
  return (await producer.done).events;
}

/** The batches with records that started warmUpS or more after the first one. */
export function afterWarmUp(all: readonly QueryProgress[], warmUpS: number): QueryProgress[] {
  const batches = all.filter((p) => p.numInputRows > 0);
  const from = (batches[0]?.timestampMs ?? 0) + warmUpS * 1000;
  return batches.filter((p) => p.timestampMs >= from);
}

/** Process rate and batch durations of one query's batches after the warm-up. */
export function steadyFigures(all: readonly QueryProgress[], warmUpS: number) {
  const steady = afterWarmUp(all, warmUpS);
  const last = steady.at(-1);
  const spanMs = last ? last.timestampMs + last.batchDurationMs - steady[0]!.timestampMs : 0;
  const rows = steady.reduce((sum, p) => sum + p.numInputRows, 0);
  const durations = steady.map((p) => p.batchDurationMs);
  return {
    processRate: spanMs > 0 ? rows / (spanMs / 1000) : 0,
    sparkRowsPerSecond: Math.round(steady.reduce((s, p) => s + p.processedRowsPerSecond, 0) / Math.max(1, steady.length)),
    batches: steady.length,
    measuredS: Math.round(spanMs / 100) / 10,
    p50: percentile(durations, 50),
    p95: percentile(durations, 95),
  };
}

async function throughputStep(options: LadderOptions, topic: string, rate: number, outputDir: string): Promise<Omit<LadderStep, 'preloaded_events'>> {
  const perTrigger = Math.round((rate * LADDER_TRIGGER_MS) / 1000);
  const run = await startMatchStats({
    bootstrap: options.bootstrap,
    topic,
    outputDir,
    startingOffsets: 'earliest',
    maxOffsetsPerTrigger: perTrigger,
    triggerMs: LADDER_TRIGGER_MS,
    watermarkDelay: SYNTHETIC_WATERMARK,
  });
  // A rate far above what the machine sustains would take many minutes per step: each step is capped.
  const deadline = Date.now() + (options.warmUpS + options.stepS + 90) * 1000;
  try {
    for (;;) {
      const steady = afterWarmUp(readQueryProgress(outputDir, 'match_stats'), options.warmUpS);
      if (steady.length > 0 && steady.at(-1)!.timestampMs - steady[0]!.timestampMs >= options.stepS * 1000) break;
      if (Date.now() > deadline) break;
      await sleep(500);
    }
  } finally {
    await run.stop();
  }
  // One query does it all (stats, intake and dead letters from one read and one parse of each record).
  const stats = steadyFigures(readQueryProgress(outputDir, 'match_stats'), options.warmUpS);
  return {
    offered_events_per_s: rate,
    process_events_per_s: Math.round(stats.processRate),
    spark_processed_rows_per_s_mean: stats.sparkRowsPerSecond,
    batches: stats.batches,
    measured_s: stats.measuredS,
    batch_duration_p50_ms: stats.p50,
    batch_duration_p95_ms: stats.p95,
    sustained: stats.processRate >= 0.95 * rate && stats.p95 !== null && stats.p95 <= LADDER_TRIGGER_MS,
  };
}

/** Climbs the rates until one is not sustained; each rate reads a topic of its own, deleted after. */
export async function climbRates(options: LadderOptions): Promise<LadderResult> {
  const say = options.onProgress ?? (() => undefined);
  const steps: LadderStep[] = [];
  for (const rate of options.rates) {
    const topic = `bench-stream-${rate}-${Date.now()}`;
    // The step's span plus its warm-up and a margin of a few triggers.
    const needed = Math.ceil((rate * ((options.warmUpS + options.stepS) * 1000 + 5 * LADDER_TRIGGER_MS)) / 1000);
    say(`rate ${rate}/s: preloading ${needed} synthetic events into ${topic} …`);
    const preloaded = await preloadSynthetic(options.bootstrap, topic, needed, path.join(options.workDir, `preload-${rate}`));
    say(`rate ${rate}/s: the job reads it for ${options.warmUpS} s of warm-up and ${options.stepS} s measured …`);
    const step = { ...(await throughputStep(options, topic, rate, path.join(options.workDir, `rate-${rate}`))), preloaded_events: preloaded };
    await deleteScratchTopic(options.bootstrap, topic);
    options.onStep?.(step);
    steps.push(step);
    // Higher rates cannot be sustained once one is not: stop climbing.
    if (!step.sustained) break;
  }
  const best = steps.filter((s) => s.sustained).sort((a, b) => b.offered_events_per_s - a.offered_events_per_s)[0];
  return {
    steps,
    max_sustainable_events_per_s: best?.offered_events_per_s ?? 0,
    limit_reached: steps.some((s) => !s.sustained),
    method:
      `per offered rate R a preloaded topic (4 partitions), processing-time trigger ${LADDER_TRIGGER_MS} ms, maxOffsetsPerTrigger = R × ${LADDER_TRIGGER_MS / 1000} s; ` +
      `each step measured over ${options.stepS} s after a warm-up of ${options.warmUpS} s from its first batch (JVM start, planning, JIT compilation; a step ends ${options.warmUpS + options.stepS + 90} s after its start at the latest; climbing stops at the first rate not sustained); ` +
      `sustained = process rate ≥ 95 % of offered and batch duration p95 ≤ ${LADDER_TRIGGER_MS} ms.`,
  };
}
