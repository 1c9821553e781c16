#!/usr/bin/env node
// `npm run bench:stream`: how fast stream_match_stats keeps up on this machine, and its end-to-end latency;
// writes reports/bench-stream.json. A benchmark, not a test: run it on a quiet machine.
//
// Throughput: for each offered rate R a fresh topic is preloaded with synthetic events (the producer alone
// cannot feed Kafka at 40,000+ events/s on 2 cores next to Spark); the job reads it with a processing-time
// trigger of T = 2 s and maxOffsetsPerTrigger = R × T, so the source offers exactly R events/s. R is
// sustained when, over the measured span (2 minutes by default, after warm-up batches), the process rate
// keeps up (≥ 95 % of R) and the batch duration stays bounded: p95 within the trigger interval, which is
// also the 2 s bound. Climbing stops at the first rate that is not sustained.
// Latency: the job first reads 3 × 4,096 preloaded events (JVM start, first plans), then the producer
// sends at 4,096 events/s while the job runs, once with a 1 s trigger (the headline) and once with the next
// batch starting as soon as one ends (each query then competes with the other all the time). After another
// LATENCY_WARM_UP_S seconds, the events produced in the next BENCH_LATENCY_S seconds are measured: from
// each event's Kafka timestamp (the producer's send) to the modification time of the first stats file
// whose row for its (match, window, team) counts it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import type { MatchEvent } from '../lib/data';
import { createKafkaClient, deleteScratchTopic } from '../lib/kafka';
import { produceEvents } from '../lib/producer';
import { runningServices, stackDown, stackUp } from '../lib/stack';
import { listBatchFiles, readQueryProgress, readStatsBatch, startMatchStats, waitForRecords, type QueryProgress } from '../lib/streaming';

const RATES = (process.env.BENCH_RATES ?? '2048,4096,6144,8192,12288,16384,24576,32768,40960').split(',').map(Number);
const STEP_S = Number(process.env.BENCH_STEP_S ?? 120);
const LATENCY_RATE = 4_096;
const LATENCY_S = Number(process.env.BENCH_LATENCY_S ?? 60);
const LATENCY_WARM_UP_S = Number(process.env.BENCH_LATENCY_WARM_UP_S ?? 30);
// Latency is measured once per trigger interval: 1 s (the headline figure) and 0 (next batch as soon as one ends).
const LATENCY_TRIGGERS_MS = (process.env.BENCH_LATENCY_TRIGGERS_MS ?? '1000,0').split(',').map(Number);
const TRIGGER_MS = 2_000;
// Each step starts a new job: its first batches also pay for JVM start, planning and JIT compilation
// (batches about twice as slow in the first half minute). A step is measured after this warm-up.
const WARM_UP_S = Number(process.env.BENCH_WARM_UP_S ?? 30);
// Synthetic matches are dated on consecutive days: a watermark of 30 days keeps every event in play.
const WATERMARK = '30 days';
const SOURCE = { kind: 'synthetic' as const, matches: 4, seed: 11 };
// BENCH_KEEP=1 keeps the run folders (progress/*.jsonl: every batch's durationMs breakdown) for inspection.
const KEEP = process.env.BENCH_KEEP === '1';

const percentile = (values: number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function preload(bootstrap: string, topic: string, events: number, dir: string): Promise<number> {
  const producer = produceEvents({ bootstrap, topic, source: SOURCE, outputDir: dir, rate: { kind: 'max' }, rounds: Infinity, lanes: 4, partitions: 4 });
  while (producer.stats().events < events) await sleep(200);
  producer.stop();
  return (await producer.done).events;
}

async function throughputStep(bootstrap: string, topic: string, rate: number, outputDir: string) {
  const perTrigger = Math.round((rate * TRIGGER_MS) / 1000);
  const run = await startMatchStats({ bootstrap, topic, outputDir, startingOffsets: 'earliest', maxOffsetsPerTrigger: perTrigger, triggerMs: TRIGGER_MS, watermarkDelay: WATERMARK });
  // A rate far above what the machine sustains would take many minutes per step: each step is capped.
  const deadline = Date.now() + (WARM_UP_S + STEP_S + 90) * 1000;
  for (;;) {
    const steady = afterWarmUp(readQueryProgress(outputDir, 'match_stats'));
    if (steady.length > 0 && steady.at(-1)!.timestampMs - steady[0]!.timestampMs >= STEP_S * 1000) break;
    if (Date.now() > deadline) break;
    await sleep(500);
  }
  await run.stop();
  // One query does it all (stats, intake and dead letters from one read and one parse of each record).
  const stats = steadyFigures(readQueryProgress(outputDir, 'match_stats'));
  return {
    offered_events_per_s: rate,
    process_events_per_s: Math.round(stats.processRate),
    spark_processed_rows_per_s_mean: stats.sparkRowsPerSecond,
    batches: stats.batches,
    measured_s: stats.measuredS,
    batch_duration_p50_ms: stats.p50,
    batch_duration_p95_ms: stats.p95,
    sustained: stats.processRate >= 0.95 * rate && stats.p95 !== null && stats.p95 <= TRIGGER_MS,
  };
}

/** The batches with records that started WARM_UP_S or more after the first one. */
function afterWarmUp(all: QueryProgress[]): QueryProgress[] {
  const batches = all.filter((p) => p.numInputRows > 0);
  const from = (batches[0]?.timestampMs ?? 0) + WARM_UP_S * 1000;
  return batches.filter((p) => p.timestampMs >= from);
}

/** Process rate and batch durations of one query's batches after the warm-up. */
function steadyFigures(all: QueryProgress[]) {
  const steady = afterWarmUp(all);
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

async function latencyRun(bootstrap: string, topic: string, outputDir: string, triggerMs: number) {
  const client = createKafkaClient(bootstrap);
  await client.createTopic(topic, { partitions: 4 });
  // The job's first batches are slow (JVM start, first plans, code generation): it reads a few batches'
  // worth of events first, so that the live producer meets a warm job rather than a growing backlog.
  const warmUpEvents = await preload(bootstrap, topic, 3 * LATENCY_RATE, path.join(outputDir, 'warm-up'));
  const run = await startMatchStats({ bootstrap, topic, outputDir, startingOffsets: 'earliest', triggerMs, watermarkDelay: WATERMARK });
  await waitForRecords(outputDir, warmUpEvents, { timeoutMs: 180_000, job: run.job });
  const producer = produceEvents({ bootstrap, topic, source: SOURCE, outputDir: path.join(outputDir, 'producer'), rate: { kind: 'fixed', eventsPerSecond: LATENCY_RATE }, rounds: Infinity, partitions: 4 });
  await sleep(LATENCY_WARM_UP_S * 1000);
  const measuredFromMs = Date.now();
  await sleep(LATENCY_S * 1000);
  const measuredToMs = Date.now();
  producer.stop();
  const sent = warmUpEvents + (await producer.done).events;
  // When the job cannot keep up, it gets a bounded time to catch up; events still unread count as without result.
  let caughtUp = true;
  await waitForRecords(outputDir, sent, { timeoutMs: 240_000, job: run.job }).catch(() => (caughtUp = false));
  await run.stop();
  const progress = readQueryProgress(outputDir, 'match_stats').filter((p) => p.numInputRows > 0);
  const { messages } = await client.consumeAll(topic, { expected: sent, timeoutMs: 180_000, idleMs: 10_000 });
  await client.close();
  await deleteScratchTopic(bootstrap, topic);

  // Versions of each (match, window, team) row: events counted so far and when the file reached the disk.
  const versions = new Map<string, Array<{ events: number; onDiskMs: number }>>();
  for (const file of listBatchFiles(path.join(outputDir, 'stats'))) {
    const onDiskMs = fs.statSync(file.path).mtimeMs;
    for (const row of readStatsBatch(file.path)) {
      const key = `${row.matchId}/${row.windowStartMs}/${row.teamId}`;
      versions.set(key, [...(versions.get(key) ?? []), { events: row.events, onDiskMs }]);
    }
  }
  const ordered = [...messages].sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset));
  const seen = new Map<string, number>();
  const latencies: number[] = [];
  let unmatched = 0;
  // Only events produced in the measured span count: the warm-up pays for the JVM start and first plans.
  const measured = (timestampMs: number) => timestampMs >= measuredFromMs && timestampMs < measuredToMs;
  for (const message of ordered) {
    const event = JSON.parse(message.value.toString()) as MatchEvent;
    const key = `${event.match_id}/${Math.floor(Date.parse(event.event_time) / 60_000) * 60_000}/${event.team_id}`;
    const k = (seen.get(key) ?? 0) + 1;
    seen.set(key, k);
    const version = versions.get(key)?.find((v) => v.events >= k);
    if (!version) unmatched += 1;
    else if (measured(message.timestampMs)) latencies.push(version.onDiskMs - message.timestampMs);
  }
  const durations = progress.filter((p) => measured(p.timestampMs)).map((p) => p.batchDurationMs);
  return {
    input_events_per_s: LATENCY_RATE,
    trigger_ms: triggerMs,
    warm_up_s: LATENCY_WARM_UP_S,
    measured_s: Math.round((measuredToMs - measuredFromMs) / 100) / 10,
    caught_up: caughtUp,
    events_sent: sent,
    events_measured: latencies.length,
    events_without_result: unmatched,
    e2e_latency_p50_ms: percentile(latencies, 50),
    e2e_latency_p95_ms: percentile(latencies, 95),
    e2e_latency_max_ms: percentile(latencies, 100),
    batch_duration_p50_ms: percentile(durations, 50),
    batch_duration_p95_ms: percentile(durations, 95),
    batches: durations.length,
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const loadAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
  console.log(`load average at start: ${loadAtStart.join(', ')}`);
  const started = !runningServices(config).has('kafka') && config.kafkaBootstrap === undefined;
  const { kafkaBootstrap: bootstrap } = await stackUp(config);
  const work = path.resolve(config.root, config.outputs, `bench-stream-${Date.now()}`);
  try {
    const steps = [];
    for (const rate of RATES) {
      // Each rate reads a topic of its own, holding the step's span plus its warm-up and a margin.
      const topic = `bench-stream-${rate}-${Date.now()}`;
      const needed = Math.ceil((rate * ((WARM_UP_S + STEP_S) * 1000 + 5 * TRIGGER_MS)) / 1000);
      console.log(`rate ${rate}/s: preloading ${needed} synthetic events into ${topic} …`);
      const preloaded = await preload(bootstrap, topic, needed, path.join(work, `preload-${rate}`));
      const step = { ...(await throughputStep(bootstrap, topic, rate, path.join(work, `rate-${rate}`))), preloaded_events: preloaded };
      await deleteScratchTopic(bootstrap, topic);
      console.log(JSON.stringify(step));
      steps.push(step);
      // Higher rates cannot be sustained once one is not: stop climbing.
      if (!step.sustained) break;
    }
    const latencyRuns = [];
    for (const triggerMs of LATENCY_TRIGGERS_MS) {
      console.log(`latency at ${LATENCY_RATE} events/s, trigger ${triggerMs} ms: ${LATENCY_WARM_UP_S} s warm-up, then ${LATENCY_S} s measured …`);
      const run = await latencyRun(bootstrap, `bench-latency-${Date.now()}`, path.join(work, `latency-${triggerMs}`), triggerMs);
      console.log(JSON.stringify(run));
      latencyRuns.push(run);
    }
    const latency = latencyRuns[0]!;
    const best = steps.filter((s) => s.sustained).sort((a, b) => b.offered_events_per_s - a.offered_events_per_s)[0];
    const report = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores`,
      load_average: { start: loadAtStart, end: os.loadavg().map((l) => Math.round(l * 100) / 100) },
      what: 'stream_match_stats (one query: windowed stats, with the intake and dead letters observed on the way) on local Spark, embedded Kafka, synthetic events with three-sixty frames',
      method:
        `throughput: per offered rate R a preloaded topic (4 partitions), processing-time trigger ${TRIGGER_MS} ms, maxOffsetsPerTrigger = R × ${TRIGGER_MS / 1000} s; ` +
        `each step measured over ${STEP_S} s after a warm-up of ${WARM_UP_S} s from its first batch (JVM start, planning, JIT compilation; a step ends ${WARM_UP_S + STEP_S + 90} s after its start at the latest; climbing stops at the first rate not sustained); ` +
        `sustained = process rate ≥ 95 % of offered and batch duration p95 ≤ ${TRIGGER_MS} ms. ` +
        `latency: live producer at ${LATENCY_RATE} events/s, once per trigger interval (${LATENCY_TRIGGERS_MS.join(' and ')} ms; the first is the headline figure, 0 = next batch as soon as one ends); ${LATENCY_WARM_UP_S} s of warm-up, then the events produced in the next ${LATENCY_S} s are measured, each from its Kafka timestamp to the mtime of the first stats file counting it. ` +
        `watermark delay ${WATERMARK} (synthetic matches are dated on consecutive days).`,
      max_sustainable_events_per_s: best?.offered_events_per_s ?? 0,
      batch_duration_p95_ms: best?.batch_duration_p95_ms ?? null,
      e2e_latency_p95_ms_at_4096: latency.e2e_latency_p95_ms,
      e2e_latency_trigger_ms: latency.trigger_ms,
      e2e_latency_p50_ms_at_4096: latency.e2e_latency_p50_ms,
      targets: { max_sustainable_events_per_s: 40_000, batch_duration_p95_ms: 2_000, e2e_latency_p95_ms_at_4096: 3_000 },
      steps,
      latency: latencyRuns,
    };
    fs.mkdirSync(path.join(config.root, 'reports'), { recursive: true });
    const file = path.join(config.root, 'reports', 'bench-stream.json');
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${file}`);
  } finally {
    if (KEEP) console.log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
    if (started) await stackDown(config);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
