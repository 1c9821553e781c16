#!/usr/bin/env node
// `npm run bench:stream`: how fast stream_match_stats keeps up on this machine, and its end-to-end latency;
// writes reports/bench-stream.json (BENCH_REPORT names another file). A benchmark, not a test: run it on
// a quiet machine. Parses the settings and prints; the throughput ladder is lib/benchmarks'.
//
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
import { climbRates, percentile, preloadSynthetic, SYNTHETIC_SOURCE, SYNTHETIC_WATERMARK } from '../lib/benchmarks';
import { createKafkaClient, deleteScratchTopic } from '../lib/kafka';
import { produceEvents } from '../lib/producer';
import { runningServices, stackDown, stackUp } from '../lib/stack';
import { listBatchFiles, readQueryProgress, readStatsBatch, startMatchStats, waitForRecords } from '../lib/streaming';

const RATES = (process.env.BENCH_RATES ?? '2048,4096,6144,8192,12288,16384,24576,32768,40960').split(',').map(Number);
const STEP_S = Number(process.env.BENCH_STEP_S ?? 120);
const LATENCY_RATE = 4_096;
const LATENCY_S = Number(process.env.BENCH_LATENCY_S ?? 60);
const LATENCY_WARM_UP_S = Number(process.env.BENCH_LATENCY_WARM_UP_S ?? 30);
// Latency is measured once per trigger interval: 1 s (the headline figure) and 0 (next batch as soon as
// one ends). An empty BENCH_LATENCY_TRIGGERS_MS measures throughput only (bench:containers does so).
const LATENCY_TRIGGERS_MS = (process.env.BENCH_LATENCY_TRIGGERS_MS ?? '1000,0').split(',').filter(Boolean).map(Number);
// Each step starts a new job: its first batches also pay for JVM start, planning and JIT compilation
// (batches about twice as slow in the first half minute). A step is measured after this warm-up.
const WARM_UP_S = Number(process.env.BENCH_WARM_UP_S ?? 30);
// BENCH_KEEP=1 keeps the run folders (progress/*.jsonl: every batch's durationMs breakdown) for inspection.
const KEEP = process.env.BENCH_KEEP === '1';
// Where the report goes (default reports/bench-stream.json).
const REPORT = process.env.BENCH_REPORT;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function latencyRun(bootstrap: string, topic: string, outputDir: string, triggerMs: number) {
  const client = createKafkaClient(bootstrap);
  await client.createTopic(topic, { partitions: 4 });
  // The job's first batches are slow (JVM start, first plans, code generation): it reads a few batches'
  // worth of events first, so that the live producer meets a warm job rather than a growing backlog.
  const warmUpEvents = await preloadSynthetic(bootstrap, topic, 3 * LATENCY_RATE, path.join(outputDir, 'warm-up'));
  const run = await startMatchStats({ bootstrap, topic, outputDir, startingOffsets: 'earliest', triggerMs, watermarkDelay: SYNTHETIC_WATERMARK });
  await waitForRecords(outputDir, warmUpEvents, { timeoutMs: 180_000, job: run.job });
  const producer = produceEvents({ bootstrap, topic, source: SYNTHETIC_SOURCE, outputDir: path.join(outputDir, 'producer'), rate: { kind: 'fixed', eventsPerSecond: LATENCY_RATE }, rounds: Infinity, partitions: 4 });
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
    const ladder = await climbRates({
      bootstrap,
      rates: RATES,
      stepS: STEP_S,
      warmUpS: WARM_UP_S,
      workDir: work,
      onProgress: (line) => console.log(line),
      onStep: (step) => console.log(JSON.stringify(step)),
    });
    const steps = ladder.steps;
    const latencyRuns = [];
    for (const triggerMs of LATENCY_TRIGGERS_MS) {
      console.log(`latency at ${LATENCY_RATE} events/s, trigger ${triggerMs} ms: ${LATENCY_WARM_UP_S} s warm-up, then ${LATENCY_S} s measured …`);
      const run = await latencyRun(bootstrap, `bench-latency-${Date.now()}`, path.join(work, `latency-${triggerMs}`), triggerMs);
      console.log(JSON.stringify(run));
      latencyRuns.push(run);
    }
    const latency = latencyRuns[0];
    const best = steps.find((s) => s.offered_events_per_s === ladder.max_sustainable_events_per_s);
    const report = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores`,
      load_average: { start: loadAtStart, end: os.loadavg().map((l) => Math.round(l * 100) / 100) },
      what: `stream_match_stats (one query: windowed stats, with the intake and dead letters observed on the way) on Spark ${config.sparkMaster}, Kafka at ${bootstrap}${started ? ' (embedded)' : ''}, synthetic events with three-sixty frames`,
      spark_master: config.sparkMaster,
      method:
        `throughput: ${ladder.method} ` +
        (latency
          ? `latency: live producer at ${LATENCY_RATE} events/s, once per trigger interval (${LATENCY_TRIGGERS_MS.join(' and ')} ms; the first is the headline figure, 0 = next batch as soon as one ends); ${LATENCY_WARM_UP_S} s of warm-up, then the events produced in the next ${LATENCY_S} s are measured, each from its Kafka timestamp to the mtime of the first stats file counting it. `
          : 'latency: not measured in this run (BENCH_LATENCY_TRIGGERS_MS empty). ') +
        `watermark delay ${SYNTHETIC_WATERMARK} (synthetic matches are dated on consecutive days).`,
      max_sustainable_events_per_s: ladder.max_sustainable_events_per_s,
      limit_reached: ladder.limit_reached,
      batch_duration_p95_ms: best?.batch_duration_p95_ms ?? null,
      e2e_latency_p95_ms_at_4096: latency?.e2e_latency_p95_ms ?? null,
      e2e_latency_trigger_ms: latency?.trigger_ms ?? null,
      e2e_latency_p50_ms_at_4096: latency?.e2e_latency_p50_ms ?? null,
      targets: { max_sustainable_events_per_s: 40_000, batch_duration_p95_ms: 2_000, e2e_latency_p95_ms_at_4096: 3_000 },
      steps,
      latency: latencyRuns,
    };
    const file = path.resolve(config.root, REPORT ?? path.join('reports', 'bench-stream.json'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
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
