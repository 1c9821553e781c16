// collectRunMetrics: polls a running job's driver (REST API, Prometheus) while it runs, once more
// before it stops, adds its streaming progress and RAPIDS explain, and stores it all with the run.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config, type Mode } from '../config';
import { PitchstreamError } from '../errors';
import type { JobHandle } from '../spark/submit-job';
import { scrapePrometheus, type PrometheusScrape } from './prometheus';
import { gpuPlacementTable, parseRapidsExplain, type GpuPlacementRow } from './rapids-explain';
import { runMetricsHtml } from './run-metrics-report';
import { readSparkApp, type ExecutorMetrics, type JobMetrics, type SparkAppSnapshot, type StageMetrics } from './spark-rest';
import { readProgressDir, summarizeStreaming, type StreamingBatch, type StreamingSummary } from './streaming-progress';

export interface CollectRunMetricsOptions {
  /** Time between two polls of the driver (default 2000). */
  intervalMs?: number;
  /** Where the metrics are written; default <outputs>/<run folder name>/metrics. */
  outDir?: string;
  /** A folder of StreamingQueryProgress JSON lines (the job's progress/), read at final(). */
  progressDir?: string;
  /** The job's processing-time trigger, to compute each batch's scheduling delay. */
  triggerIntervalMs?: number;
  /** Timeout of each HTTP request to the driver (default 3000). */
  requestTimeoutMs?: number;
  /** At most this many time samples are kept; older ones are thinned (default 1000). */
  maxSamples?: number;
  /** For outputs and mode; loadConfig() when absent. */
  config?: Config;
}

/** Executor totals at one poll: a time series for charts. */
export interface RunSample {
  atMs: number;
  activeTasks: number;
  completedTasks: number;
  taskTimeMs: number;
  gcTimeMs: number;
  shuffleReadBytes: number;
  shuffleWriteBytes: number;
  memoryUsedBytes: number;
}

export interface RunTotals {
  jobs: number;
  jobsFailed: number;
  /** Σ job durations. */
  jobDurationMs: number;
  stages: number;
  /** Σ task time over the executors (cumulative since the application started). */
  taskTimeMs: number;
  gcTimeMs: number;
  inputBytes: number;
  shuffleReadBytes: number;
  shuffleWriteBytes: number;
  /** Spill over the stages the UI still holds (spark.ui.retainedStages). */
  memorySpilledBytes: number;
  diskSpilledBytes: number;
  executors: number;
  failedTasks: number;
  /** Largest peak JVM heap over the executors, when Spark reports it. */
  peakJvmHeapBytes: number | undefined;
  /** Storage memory in use at the last poll. */
  memoryUsedBytes: number;
}

export interface RunMetrics {
  job: string;
  appId: string;
  uiUrl: string | undefined;
  mode: Mode;
  /** First and last successful poll (epoch ms). */
  firstPollMs: number;
  lastPollMs: number;
  polls: { ok: number; failed: number; intervalMs: number };
  totals: RunTotals;
  jobs: JobMetrics[];
  stages: StageMetrics[];
  executors: ExecutorMetrics[];
  samples: RunSample[];
  /** Per query, when the job wrote progress JSON lines. */
  streaming: { summaries: StreamingSummary[]; batches: Record<string, StreamingBatch[]> } | undefined;
  /** What the driver's Prometheus endpoints answered at the last successful scrape. */
  prometheus: { driver: { url: string; ok: boolean; samples: number }; executors: { url: string; ok: boolean; samples: number } } | undefined;
  /** gpu runs: operators on the GPU and fallbacks, from the RAPIDS explain lines of the driver log. */
  gpuPlacement: GpuPlacementRow[] | undefined;
  outDir: string;
}

export interface RunMetricsCollector {
  readonly outDir: string;
  /** Successful polls so far. */
  polls(): number;
  /** What the last successful poll saw, without writing anything. */
  latest(): SparkAppSnapshot | undefined;
  /** One last poll (call it before stop()), then the metrics, written to outDir. Idempotent. */
  final(): Promise<RunMetrics>;
  /** Stops polling; final() still works with what was collected. */
  stop(): void;
}

type MetricsHandle = Pick<JobHandle, 'job' | 'appId' | 'uiUrl' | 'runDir' | 'logPath' | 'wait'>;

function sampleOf(snapshot: SparkAppSnapshot): RunSample {
  const sum = (pick: (e: ExecutorMetrics) => number) => snapshot.executors.reduce((total, e) => total + pick(e), 0);
  return {
    atMs: snapshot.atMs,
    activeTasks: snapshot.stages.filter((s) => s.status === 'ACTIVE').reduce((t, s) => t + s.numTasks, 0),
    completedTasks: sum((e) => e.completedTasks),
    taskTimeMs: sum((e) => e.taskTimeMs),
    gcTimeMs: sum((e) => e.gcTimeMs),
    shuffleReadBytes: sum((e) => e.shuffleReadBytes),
    shuffleWriteBytes: sum((e) => e.shuffleWriteBytes),
    memoryUsedBytes: sum((e) => e.memoryUsedBytes),
  };
}

/** Totals of one snapshot. Pure. */
export function runTotals(snapshot: SparkAppSnapshot): RunTotals {
  const sample = sampleOf(snapshot);
  const peaks = snapshot.executors.map((e) => e.peakJvmHeapBytes).filter((p): p is number => p !== undefined);
  return {
    jobs: snapshot.jobs.length,
    jobsFailed: snapshot.jobs.filter((j) => j.status === 'FAILED').length,
    jobDurationMs: snapshot.jobs.reduce((t, j) => t + (j.durationMs ?? 0), 0),
    stages: snapshot.stages.length,
    taskTimeMs: sample.taskTimeMs,
    gcTimeMs: sample.gcTimeMs,
    inputBytes: snapshot.executors.reduce((t, e) => t + e.inputBytes, 0),
    shuffleReadBytes: sample.shuffleReadBytes,
    shuffleWriteBytes: sample.shuffleWriteBytes,
    memorySpilledBytes: snapshot.stages.reduce((t, s) => t + s.memorySpilledBytes, 0),
    diskSpilledBytes: snapshot.stages.reduce((t, s) => t + s.diskSpilledBytes, 0),
    executors: snapshot.executors.length,
    failedTasks: snapshot.executors.reduce((t, e) => t + e.failedTasks, 0),
    peakJvmHeapBytes: peaks.length ? Math.max(...peaks) : undefined,
    memoryUsedBytes: sample.memoryUsedBytes,
  };
}

function thin<T>(items: T[], max: number): T[] {
  return items.length <= max ? items : items.filter((_, i) => i % 2 === 0 || i === items.length - 1);
}

/**
 * Starts polling the job's driver UI every intervalMs (bounded: one poll at a time, each request
 * with a timeout) until final(), stop() or the job's end. The UI disappears with the job, so call
 * final() before handle.stop(); for a job that ends by itself, final() keeps the last poll.
 */
export function collectRunMetrics(handle: MetricsHandle, options: CollectRunMetricsOptions = {}): RunMetricsCollector {
  const config = options.config ?? loadConfig();
  const intervalMs = options.intervalMs ?? 2_000;
  if (!(intervalMs >= 100)) throw new TypeError(`collectRunMetrics: intervalMs must be at least 100, got ${intervalMs}`);
  const outDir = options.outDir ?? path.join(config.outputs, path.basename(handle.runDir), 'metrics');
  const maxSamples = options.maxSamples ?? 1_000;
  let last: SparkAppSnapshot | undefined;
  let first: number | undefined;
  let ok = 0;
  let failed = 0;
  let samples: RunSample[] = [];
  let driverScrape: PrometheusScrape | undefined;
  let executorScrape: PrometheusScrape | undefined;
  let stopped = false;
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let app: { appId: string; uiUrl: string | undefined } | undefined;

  const appReady = Promise.all([handle.appId, handle.uiUrl]).then(([appId, uiUrl]) => (app = { appId, uiUrl }));
  appReady.catch(() => undefined);
  handle
    .wait()
    .catch(() => undefined)
    .finally(() => {
      ended = true;
      if (timer) clearTimeout(timer);
    });

  async function poll(): Promise<void> {
    if (!app?.uiUrl) return;
    const snapshot = await readSparkApp(app.uiUrl, app.appId, options.requestTimeoutMs);
    if (!snapshot) {
      failed += 1;
      return;
    }
    const [driver, executors] = await Promise.all([
      scrapePrometheus(`${app.uiUrl}/metrics/prometheus/`, options.requestTimeoutMs),
      scrapePrometheus(`${app.uiUrl}/metrics/executors/prometheus/`, options.requestTimeoutMs),
    ]);
    if (driver.ok) driverScrape = driver;
    if (executors.ok) executorScrape = executors;
    ok += 1;
    first ??= snapshot.atMs;
    last = snapshot;
    samples = thin([...samples, sampleOf(snapshot)], maxSamples);
  }

  function schedule(): void {
    if (stopped || ended) return;
    timer = setTimeout(() => {
      inFlight = poll().finally(schedule);
    }, intervalMs);
    timer.unref();
  }
  void appReady.then(() => {
    if (stopped || ended) return;
    inFlight = poll().finally(schedule);
  }, () => undefined);

  let finalResult: Promise<RunMetrics> | undefined;

  async function finish(): Promise<RunMetrics> {
    const wasEnded = ended;
    stopped = true;
    if (timer) clearTimeout(timer);
    await inFlight;
    if (!app) {
      // The job has not reported its application yet: wait for it, or for the job's end.
      await Promise.race([appReady.catch(() => undefined), handle.wait().catch(() => undefined)]);
    }
    if (!wasEnded && app) await poll();
    if (!app || !last)
      throw new PitchstreamError('METRICS_UNAVAILABLE', `no metrics of job ${handle.job}: its driver UI ${app?.uiUrl ?? '(no address)'} never answered${app ? ` for ${app.appId}` : ''}`, {
        details: { job: handle.job, appId: app?.appId, uiUrl: app?.uiUrl, pollsFailed: failed, logPath: handle.logPath },
      });
    const progress = options.progressDir ? readProgressDir(options.progressDir, options.triggerIntervalMs) : {};
    const queries = Object.entries(progress).filter(([, batches]) => batches.length > 0);
    const log = fs.existsSync(handle.logPath) ? fs.readFileSync(handle.logPath, 'utf8') : '';
    const explain = parseRapidsExplain(log);
    const metrics: RunMetrics = {
      job: handle.job,
      appId: app.appId,
      uiUrl: app.uiUrl,
      mode: config.mode,
      firstPollMs: first!,
      lastPollMs: last.atMs,
      polls: { ok, failed, intervalMs },
      totals: runTotals(last),
      jobs: last.jobs,
      stages: last.stages,
      executors: last.executors,
      samples,
      streaming: queries.length
        ? { summaries: queries.map(([query, batches]) => summarizeStreaming(query, batches)), batches: Object.fromEntries(queries) }
        : undefined,
      prometheus:
        driverScrape || executorScrape
          ? {
              driver: { url: driverScrape?.url ?? `${app.uiUrl}/metrics/prometheus/`, ok: driverScrape?.ok ?? false, samples: driverScrape?.samples.length ?? 0 },
              executors: { url: executorScrape?.url ?? `${app.uiUrl}/metrics/executors/prometheus/`, ok: executorScrape?.ok ?? false, samples: executorScrape?.samples.length ?? 0 },
            }
          : undefined,
      gpuPlacement: explain.length ? gpuPlacementTable(explain) : undefined,
      outDir,
    };
    writeRunMetrics(metrics, { driver: driverScrape?.text, executors: executorScrape?.text });
    return metrics;
  }

  return {
    outDir,
    polls: () => ok,
    latest: () => last,
    final: () => (finalResult ??= finish()),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** run-metrics.json, summary.html and the raw Prometheus texts, written atomically into metrics.outDir. */
export function writeRunMetrics(metrics: RunMetrics, prometheusText: { driver?: string; executors?: string } = {}): string[] {
  fs.mkdirSync(metrics.outDir, { recursive: true });
  const files: [string, string][] = [
    ['run-metrics.json', `${JSON.stringify(metrics, null, 2)}\n`],
    ['summary.html', `${runMetricsHtml(metrics)}\n`],
  ];
  if (prometheusText.driver) files.push(['prometheus-driver.txt', prometheusText.driver]);
  if (prometheusText.executors) files.push(['prometheus-executors.txt', prometheusText.executors]);
  return files.map(([name, text]) => {
    const file = path.join(metrics.outDir, name);
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
    return file;
  });
}

/** The metrics a previous run stored (run-metrics.json in its metrics folder). */
export function readRunMetrics(outDir: string): RunMetrics {
  return JSON.parse(fs.readFileSync(path.join(outDir, 'run-metrics.json'), 'utf8')) as RunMetrics;
}
