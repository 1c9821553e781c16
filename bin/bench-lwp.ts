#!/usr/bin/env node
// `npm run bench:lwp`: how fast stream_lwp keeps up on this machine with and without the model, and its latency;
// writes reports/bench-lwp.json. A benchmark, not a test: run it on a quiet machine (about 20 minutes).
//
// Model: the one at models/lwp_model when present, else a small forest trained first on synthetic matches
// (ensureLwpModel). Throughput: for each offered rate R a topic is preloaded with synthetic events (three-sixty
// frames included); the job reads it with a processing-time trigger of T = 2 s and maxOffsetsPerTrigger = R × T,
// once with the model and once without (state and features only). R is sustained when the process rate keeps
// up (≥ 95 % of R) and the batch duration p95 stays within the trigger; climbing stops at the first rate the
// run with the model does not sustain. model_overhead_ratio = batch duration p50 with the model / without, at
// the same rate. Each run is measured after a warm-up of BENCH_WARM_UP_S (30 s) from its first batch.
// Latency: the job first reads a preloaded warm-up (3 batches' worth), then a live producer sends at 4,096 events/s (and at the highest sustained rate) while the job runs; after LATENCY_WARM_UP_S, per
// state emitted for an event produced in the next BENCH_LATENCY_S seconds: Kafka timestamp of its triggering
// event → its Arrow file written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { ensureLwpModel, LWP_QUERY, readLwpStates, startLwpStream, summarizeLwpLatency, quantile } from '../lib/inference';
import { createKafkaClient, deleteScratchTopic } from '../lib/kafka';
import { produceEvents } from '../lib/producer';
import { runningServices, stackDown, stackUp } from '../lib/stack';
import { readQueryProgress, waitForRecords, type QueryProgress } from '../lib/streaming';

const RATES = (process.env.BENCH_RATES ?? '2048,8192,16384,20480,24576').split(',').map(Number);
const STEP_S = Number(process.env.BENCH_STEP_S ?? 60);
const LATENCY_RATE = 4_096;
const LATENCY_S = Number(process.env.BENCH_LATENCY_S ?? 40);
const LATENCY_WARM_UP_S = Number(process.env.BENCH_LATENCY_WARM_UP_S ?? 20);
const TRIGGER_MS = 2_000;
// A step's first half minute is slower (JVM start, first plans, JIT, Python workers): measured after this, as bench:stream does.
const WARM_UP_S = Number(process.env.BENCH_WARM_UP_S ?? 30);
const WATERMARK = '30 days';
const SOURCE = { kind: 'synthetic' as const, matches: 8, seed: 11 };
const STEP_CAP_MS = (WARM_UP_S + STEP_S + 60) * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number) => (Number.isFinite(value) ? Math.round(value) : null);

async function preload(bootstrap: string, topic: string, events: number, dir: string): Promise<number> {
  const producer = produceEvents({ bootstrap, topic, source: SOURCE, outputDir: dir, rate: { kind: 'max' }, rounds: Infinity, lanes: 4, partitions: 4, concurrentMatches: 8 });
  while (producer.stats().events < events) await sleep(200);
  producer.stop();
  return (await producer.done).events;
}

/** The batches with records that started WARM_UP_S or more after the first one. */
function afterWarmUp(all: QueryProgress[]): QueryProgress[] {
  const batches = all.filter((p) => p.numInputRows > 0);
  const from = (batches[0]?.timestampMs ?? 0) + WARM_UP_S * 1000;
  return batches.filter((p) => p.timestampMs >= from);
}

async function throughputStep(bootstrap: string, topic: string, rate: number, modelDir: string | null, outputDir: string) {
  const perTrigger = Math.round((rate * TRIGGER_MS) / 1000);
  const run = await startLwpStream({ bootstrap, topic, outputDir, modelDir, startingOffsets: 'earliest', maxOffsetsPerTrigger: perTrigger, triggerMs: TRIGGER_MS, watermarkDelay: WATERMARK });
  const deadline = Date.now() + STEP_CAP_MS;
  for (;;) {
    const steady = afterWarmUp(readQueryProgress(outputDir, LWP_QUERY));
    if (steady.length > 0 && steady.at(-1)!.timestampMs - steady[0]!.timestampMs >= STEP_S * 1000) break;
    if (Date.now() > deadline) break;
    await sleep(500);
  }
  await run.stop();
  const steady: QueryProgress[] = afterWarmUp(readQueryProgress(outputDir, LWP_QUERY));
  const summary = summarizeLwpLatency(steady, []);
  const addBatch = steady.map((p) => p.durationsMs.addBatch ?? 0);
  return {
    model: modelDir !== null,
    offered_events_per_s: rate,
    process_events_per_s: round(summary.eventsPerSecond),
    batches: summary.batches,
    batch_duration_p50_ms: round(summary.batchDurationP50Ms),
    batch_duration_p95_ms: round(summary.batchDurationP95Ms),
    add_batch_p50_ms: round(quantile(addBatch, 0.5)),
    sustained: summary.eventsPerSecond >= 0.95 * rate && summary.batchDurationP95Ms <= TRIGGER_MS,
  };
}

async function latencyRun(bootstrap: string, rate: number, modelDir: string | null, outputDir: string) {
  const topic = `bench-lwp-latency-${Date.now()}`;
  const client = createKafkaClient(bootstrap);
  await client.createTopic(topic, { partitions: 4 });
  await client.close();
  // The first batches are slow (JVM start, first plans, Python workers): the job reads a preloaded warm-up first.
  const warmUp = await preload(bootstrap, topic, 3 * rate, path.join(outputDir, 'warm-up'));
  const run = await startLwpStream({ bootstrap, topic, outputDir, modelDir, startingOffsets: 'earliest', triggerMs: 0, watermarkDelay: WATERMARK });
  await waitForRecords(outputDir, warmUp, { timeoutMs: 180_000, job: run.job, queries: [LWP_QUERY] });
  const producer = produceEvents({ bootstrap, topic, source: SOURCE, outputDir: path.join(outputDir, 'producer'), rate: { kind: 'fixed', eventsPerSecond: rate }, rounds: Infinity, partitions: 4, concurrentMatches: 8 });
  await sleep(LATENCY_WARM_UP_S * 1000);
  const fromMs = Date.now();
  await sleep(LATENCY_S * 1000);
  const toMs = Date.now();
  producer.stop();
  const sent = (await producer.done).events;
  const producedRate = sent / ((Date.now() - fromMs + LATENCY_WARM_UP_S * 1000) / 1000);
  await sleep(3_000);
  await run.stop();
  await deleteScratchTopic(bootstrap, topic);
  const measured = (timestampMs: number) => timestampMs >= fromMs && timestampMs < toMs;
  const progress = readQueryProgress(outputDir, LWP_QUERY).filter((p) => p.numInputRows > 0 && measured(p.timestampMs));
  const states = readLwpStates(outputDir).filter((s) => measured(s.kafkaTimestampMs));
  const summary = summarizeLwpLatency(progress, states);
  return {
    model: modelDir !== null,
    target_events_per_s: rate,
    produced_events_per_s: Math.round(producedRate),
    process_events_per_s: round(summary.eventsPerSecond),
    states: summary.states,
    batch_duration_p50_ms: round(summary.batchDurationP50Ms),
    batch_duration_p95_ms: round(summary.batchDurationP95Ms),
    e2e_latency_p50_ms: round(summary.endToEndP50Ms),
    e2e_latency_p95_ms: round(summary.endToEndP95Ms),
  };
}

async function main(): Promise<void> {
  const startedMs = Date.now();
  const config = loadConfig();
  const model = await ensureLwpModel({ config, source: { kind: 'synthetic', matches: 60, seed: 2024 } });
  console.log(`model ${model.modelDir} (${model.trained ? 'trained now' : 'found'}; ${model.metadata.data.description})`);
  const started = !runningServices(config).has('kafka') && config.kafkaBootstrap === undefined;
  const { kafkaBootstrap: bootstrap } = await stackUp(config);
  const work = path.resolve(config.root, config.outputs, `bench-lwp-${Date.now()}`);
  try {
    const steps: Array<Awaited<ReturnType<typeof throughputStep>>> = [];
    for (const rate of RATES) {
      // Each rate reads a topic of its own (both runs read it from the start).
      const topic = `bench-lwp-${rate}-${Date.now()}`;
      const needed = Math.ceil((rate * ((WARM_UP_S + STEP_S) * 1000 + 6 * TRIGGER_MS)) / 1000);
      console.log(`rate ${rate}/s: preloading ${needed} synthetic events into ${topic} …`);
      await preload(bootstrap, topic, needed, path.join(work, `preload-${rate}`));
      const withModel = await throughputStep(bootstrap, topic, rate, model.modelDir, path.join(work, `rate-${rate}-model`));
      const withoutModel = await throughputStep(bootstrap, topic, rate, null, path.join(work, `rate-${rate}-bare`));
      console.log(JSON.stringify(withModel));
      console.log(JSON.stringify(withoutModel));
      steps.push(withModel, withoutModel);
      await deleteScratchTopic(bootstrap, topic);
      if (!withModel.sustained) break;
    }
    const sustained = steps.filter((s) => s.model && s.sustained).sort((a, b) => b.offered_events_per_s - a.offered_events_per_s)[0];
    const best = sustained?.offered_events_per_s ?? 0;
    const overheadAt = (rate: number) => {
      const m = steps.find((s) => s.model && s.offered_events_per_s === rate);
      const b = steps.find((s) => !s.model && s.offered_events_per_s === rate);
      return m && b && m.batch_duration_p50_ms && b.batch_duration_p50_ms ? m.batch_duration_p50_ms / b.batch_duration_p50_ms : null;
    };
    const latency = [];
    for (const rate of [...new Set([LATENCY_RATE, ...(best > LATENCY_RATE ? [best] : [])])]) {
      for (const modelDir of [model.modelDir, null]) {
        const result = await latencyRun(bootstrap, rate, modelDir, path.join(work, `latency-${rate}-${modelDir ? 'model' : 'bare'}`));
        console.log(JSON.stringify(result));
        latency.push(result);
      }
    }
    const overheadRate = best || RATES[0]!;
    const report = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores`,
      what: 'stream_lwp (Kafka → per-match applyInPandasWithState → feature module → PipelineModel per batch → Arrow) on local Spark, embedded Kafka, synthetic events with three-sixty frames',
      model: { dir: model.modelDir, data: model.metadata.data.description, feature_set_version: model.metadata.feature_set_version, hyper_parameters: (model.metadata as unknown as Record<string, unknown>).hyper_parameters },
      method:
        `throughput: per offered rate R a preloaded topic (4 partitions), processing-time trigger ${TRIGGER_MS} ms, maxOffsetsPerTrigger = R × ${TRIGGER_MS / 1000} s, ` +
        `each run measured over up to ${STEP_S} s after a warm-up of ${WARM_UP_S} s from its first batch (${STEP_CAP_MS / 1000} s wall-clock cap), with and without the model; ` +
        `sustained = process rate ≥ 95 % of offered and batch duration p95 ≤ ${TRIGGER_MS} ms; climbing stops at the first rate the model run does not sustain. ` +
        `latency: after a preloaded warm-up, live producer; ${LATENCY_WARM_UP_S} s more warm-up, then per state emitted for an event produced in the next ${LATENCY_S} s, Kafka timestamp of its triggering event → Arrow file written; trigger as soon as possible. ` +
        `watermark delay ${WATERMARK} (synthetic matches are dated on consecutive days); one state partition per core (statefulStreamingConf).`,
      max_sustainable_events_per_s: best,
      model_overhead_ratio: overheadAt(overheadRate),
      model_overhead_ratio_rate: overheadRate,
      model_overhead_ratio_by_rate: Object.fromEntries(RATES.filter((r) => overheadAt(r) !== null).map((r) => [r, overheadAt(r)])),
      targets: { max_sustainable_events_per_s: 20_000, model_overhead_ratio: 1.25 },
      steps,
      latency,
      duration_s: Math.round((Date.now() - startedMs) / 1000),
    };
    fs.mkdirSync(path.join(config.root, 'reports'), { recursive: true });
    const file = path.join(config.root, 'reports', 'bench-lwp.json');
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${file}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    if (started) await stackDown(config);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
