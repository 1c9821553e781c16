// runComparison: the same recorded stream and the same training through each compared setting,
// measured with the run metrics (streaming progress + Spark REST API), written as the report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { versions, type Config } from '../config';
import { isPitchstreamError, PitchstreamError } from '../errors';
import { collectRunMetrics, type RunMetrics } from '../metrics';
import { produceEvents, type EventSource } from '../producer';
import { rapidsJarPath, requireGpuReady } from '../spark';
import { readQueryProgress, startMatchStats, waitForRecords } from '../streaming';
import { describeData, prepareTrainingEvents, trainLwp, type PreparedEvents, type TrainingSource } from '../training';
import { COMPARED_SETTINGS, type ComparedSetting } from './compared-settings';
import { compareMarkdown, comparePageHtml, comparisonRows, FIGURES } from './comparison-report';
import type { ComparisonReport, SettingResult, StreamFigures, TrainingFigures } from './comparison-types';

export interface RunComparisonOptions {
  config: Config;
  /** A running Kafka broker (the caller starts and stops the stack). */
  bootstrap: string;
  /** The recorded stream: replayed once into a new topic, then read from its first offset by every setting. */
  streamSource: EventSource;
  /** What the stream source is, for the report (e.g. "SYNTHETIC: 8 matches, seed 11"). */
  streamDescription: string;
  trainingSource: TrainingSource;
  /** Which settings (default all three); gpu is reported "not available" where it cannot run. */
  settings?: readonly ComparedSetting[];
  /** maxOffsetsPerTrigger of every streaming run (default 4,096, the original producer's events per second). */
  maxEventsPerBatch?: number;
  /** false: stream only (the Training Time column says "not measured"). Default true. */
  training?: boolean;
  /** Random Forest size for the training runs (default 50 trees, depth 8). */
  numTrees?: number;
  maxDepth?: number;
  /** Scratch folder for topics' manifests, stream outputs, prepared events and models (default under outputs). */
  workDir?: string;
  /** Where compare.md, compare.json and compare.html go (default <root>/reports). */
  reportDir?: string;
  /** Most time one streaming run may take to read the whole stream (default 15 min). */
  streamTimeoutMs?: number;
  onProgress?: (line: string) => void;
}

export interface ComparisonFiles {
  report: ComparisonReport;
  markdownFile: string;
  jsonFile: string;
  chartFile: string;
}

const WATERMARK = '30 days'; // synthetic matches are dated on consecutive days: every event stays in play
const PARTITIONS = 4;

const round2 = (value: number) => Math.round(value * 100) / 100;

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Stream figures of one run: batches from the match_stats query's progress, totals from the REST API. */
export function streamFigures(metrics: RunMetrics, events: number): StreamFigures {
  const batches = (metrics.streaming?.batches['match_stats'] ?? []).filter((b) => b.numInputRows > 0);
  if (batches.length === 0)
    throw new PitchstreamError('METRICS_UNAVAILABLE', `the streaming run ${metrics.appId} reported no batch with input`, { details: { outDir: metrics.outDir } });
  const rows = batches.reduce((sum, b) => sum + b.numInputRows, 0);
  const busyMs = batches.reduce((sum, b) => sum + b.batchDurationMs, 0);
  // The first batch also plans the query and warms the JVM: it counts for the totals, not for the typical batch.
  const steady = batches.length > 1 ? batches.slice(1) : batches;
  const last = batches[batches.length - 1]!;
  const t = metrics.totals;
  return {
    events,
    batches: batches.length,
    inputRateEventsPerS: batches.reduce((sum, b) => sum + b.inputRowsPerSecond * b.numInputRows, 0) / rows,
    processRateEventsPerS: rows / (busyMs / 1000),
    batchDurationP50Ms: percentile(steady.map((b) => b.batchDurationMs), 50),
    batchDurationP95Ms: percentile(steady.map((b) => b.batchDurationMs), 95),
    jobTimeS: t.jobDurationMs / 1000,
    drainS: (last.timestampMs + last.batchDurationMs - batches[0]!.timestampMs) / 1000,
    shuffleReadBytes: t.shuffleReadBytes,
    shuffleWriteBytes: t.shuffleWriteBytes,
    gcTimeS: t.gcTimeMs / 1000,
    taskTimeS: t.taskTimeMs / 1000,
    memorySpilledBytes: t.memorySpilledBytes,
    diskSpilledBytes: t.diskSpilledBytes,
    metricsDir: metrics.outDir,
  };
}

async function measureStream(setting: ComparedSetting, config: Config, options: RunComparisonOptions, topic: string, events: number, dir: string) {
  const run = await startMatchStats({
    bootstrap: options.bootstrap,
    topic,
    outputDir: dir,
    startingOffsets: 'earliest',
    maxOffsetsPerTrigger: options.maxEventsPerBatch ?? 4_096,
    triggerMs: setting.triggerMs,
    watermarkDelay: WATERMARK,
    config,
    conf: setting.conf,
    timeoutMs: (options.streamTimeoutMs ?? 15 * 60_000) + 5 * 60_000,
  });
  try {
    const collector = collectRunMetrics(run.job, { intervalMs: 1_000, outDir: path.join(dir, 'metrics'), progressDir: run.folders.progress, config });
    let reported = -1;
    const ticker = setInterval(() => {
      const read = readQueryProgress(dir, 'match_stats').at(-1)?.endOffsetTotal ?? 0;
      if (read !== reported) options.onProgress?.(`  ${setting.id}: stream ${read.toLocaleString('en-US')} / ${events.toLocaleString('en-US')} events read`);
      reported = read;
    }, 10_000);
    try {
      await waitForRecords(dir, events, { timeoutMs: options.streamTimeoutMs ?? 15 * 60_000, job: run.job });
    } finally {
      clearInterval(ticker);
    }
    const metrics = await collector.final();
    return { figures: streamFigures(metrics, events), metrics };
  } finally {
    await run.stop();
  }
}

async function measureTraining(setting: ComparedSetting, config: Config, options: RunComparisonOptions, prepared: PreparedEvents, dir: string): Promise<TrainingFigures> {
  let collector: ReturnType<typeof collectRunMetrics> | undefined;
  const result = await trainLwp({
    config,
    prepared,
    run: path.relative(config.outputs, dir),
    modelDir: path.join(dir, 'model'),
    conf: setting.conf,
    numTrees: options.numTrees ?? 50,
    maxDepth: options.maxDepth ?? 8,
    bootstrapSamples: 0,
    onJob: (job) => {
      collector = collectRunMetrics(job, { intervalMs: 1_000, outDir: path.join(dir, 'metrics'), config });
    },
  });
  // The job has ended: final() keeps the last poll it made while the driver was up.
  const metrics = await collector?.final().catch(() => undefined);
  const t = result.report.timings;
  return {
    trainingS: t.load_spark_s + t.features_s + t.fit_s + t.evaluate_s,
    loadS: t.load_spark_s,
    featuresS: t.features_s,
    fitS: t.fit_s,
    evaluateS: t.evaluate_s,
    jobWallS: result.job.durationMs / 1000,
    gcTimeS: metrics ? metrics.totals.gcTimeMs / 1000 : null,
    rps: result.report.metrics.random_forest.rps,
  };
}

/** Why a setting cannot run on this machine, or undefined when it can (gpu: a GPU and the RAPIDS jar). */
export async function unavailableReason(setting: ComparedSetting, config: Config): Promise<string | undefined> {
  if (setting.mode !== 'gpu') return undefined;
  try {
    await requireGpuReady({ rapidsJar: rapidsJarPath(config.home, versions()) });
    return undefined;
  } catch (error) {
    if (isPitchstreamError(error)) return `not available on this machine: ${error.message}`;
    throw error;
  }
}

/** Replays the stream once, prepares the training events once, measures every setting, writes the report. */
export async function runComparison(options: RunComparisonOptions): Promise<ComparisonFiles> {
  const { config } = options;
  const say = options.onProgress ?? (() => undefined);
  const loadAtStart = os.loadavg()[0]!;
  const settings = options.settings ?? COMPARED_SETTINGS;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const workDir = path.resolve(options.workDir ?? path.join(config.outputs, `compare-${stamp}`));
  fs.mkdirSync(workDir, { recursive: true });

  const topic = `pitchstream-compare-${stamp}`;
  say(`recording the stream into ${topic}: ${options.streamDescription} …`);
  const producer = produceEvents({ bootstrap: options.bootstrap, topic, partitions: PARTITIONS, source: options.streamSource, outputDir: path.join(workDir, 'stream'), rate: { kind: 'max' }, rounds: 1 });
  const recorded = await producer.done;
  say(`recorded ${recorded.events.toLocaleString('en-US')} events of ${recorded.matches} matches`);

  const withTraining = options.training ?? true;
  let prepared: PreparedEvents | undefined;
  if (withTraining) {
    say('preparing the training events …');
    prepared = await prepareTrainingEvents(options.trainingSource, { outDir: path.join(workDir, 'training-input') });
    say(`prepared ${prepared.events.toLocaleString('en-US')} events of ${prepared.matches} matches (${describeData(prepared)})`);
  }

  const results: SettingResult[] = [];
  for (const setting of settings) {
    const reason = await unavailableReason(setting, config);
    if (reason) {
      say(`${setting.label}: ${reason}`);
      results.push({ setting, available: false, reason });
      continue;
    }
    const settingConfig: Config = { ...config, mode: setting.mode };
    say(`${setting.label}: streaming ${recorded.events.toLocaleString('en-US')} events …`);
    const stream = await measureStream(setting, settingConfig, options, topic, recorded.events, path.join(workDir, setting.id, 'stream'));
    const s = stream.figures;
    say(`  ${setting.id}: process ${Math.round(s.processRateEventsPerS)} events/s, batch p50 ${s.batchDurationP50Ms} ms, job time ${s.jobTimeS.toFixed(1)} s, GC ${s.gcTimeS.toFixed(1)} s`);
    let training: TrainingFigures | null = null;
    if (prepared) {
      say(`${setting.label}: training …`);
      training = await measureTraining(setting, settingConfig, options, prepared, path.join(workDir, setting.id, 'training'));
      say(`  ${setting.id}: training ${training.trainingS.toFixed(1)} s (fit ${training.fitS.toFixed(1)} s), RPS ${training.rps.toFixed(4)}`);
    }
    results.push({ setting, available: true, stream: s, training, ...(stream.metrics.gpuPlacement ? { gpuPlacement: stream.metrics.gpuPlacement } : {}) });
  }

  const pinned = versions();
  const report: ComparisonReport = {
    created_at: new Date().toISOString(),
    machine: { cores: os.cpus().length, memory_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10, cpu: os.cpus()[0]?.model.trim() ?? 'unknown', platform: `${os.platform()} ${os.arch()}`,
      load_average: { start: round2(loadAtStart), end: round2(os.loadavg()[0]!) },
    },
    versions: { spark: pinned.spark, rapids: pinned.rapids, kafka: pinned.kafka },
    method:
      `One recorded stream: the events are produced once into a ${PARTITIONS}-partition topic; each setting runs stream_match_stats (1-minute windows per match and team, 360 aggregates, dead letters) ` +
      `from the earliest offset with at most ${(options.maxEventsPerBatch ?? 4_096).toLocaleString('en-US')} events per batch until it has read every event, on ${config.sparkMaster}. ` +
      'Input and process rate, batch duration (p50 after the first batch) come from its StreamingQueryProgress; job time (Σ Spark job durations), shuffle read and GC time (Σ over executors, JVM start included) from the Spark REST API. ' +
      `Training: train_lwp on the same prepared events per setting (Random Forest ${options.numTrees ?? 50} trees, depth ${options.maxDepth ?? 8}, plus the two reference models, no bootstrap), timed by the job: load + features + fit + evaluate. ` +
      'A setting that cannot run here is reported with the reason, never with a number. One run per setting, one after the other; ' +
      'the machine\'s load average at the start and the end is recorded, because anything else running skews every figure.',
    input: {
      source: options.streamSource.kind === 'statsbomb' ? 'statsbomb' : 'synthetic',
      description: options.streamDescription,
      matches: recorded.matches,
      events: recorded.events,
      topic_partitions: PARTITIONS,
      max_events_per_batch: options.maxEventsPerBatch ?? 4_096,
    },
    training_data: prepared
      ? { description: describeData(prepared), matches: prepared.matches, events: prepared.events, synthetic: prepared.synthetic }
      : { description: 'not run (--no-training)', matches: 0, events: 0, synthetic: false },
    figures: FIGURES,
    rows: comparisonRows(results),
  };
  return writeComparison(report, options.reportDir ?? path.join(config.root, 'reports'));
}

/** compare.json, compare.md and compare.html, each written atomically. */
export function writeComparison(report: ComparisonReport, reportDir: string): ComparisonFiles {
  fs.mkdirSync(reportDir, { recursive: true });
  const markdown = compareMarkdown(report);
  const write = (name: string, text: string) => {
    const file = path.join(reportDir, name);
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
    return file;
  };
  return {
    report,
    jsonFile: write('compare.json', `${JSON.stringify(report, null, 2)}\n`),
    markdownFile: write('compare.md', markdown),
    chartFile: write('compare.html', comparePageHtml(report, markdown)),
  };
}
