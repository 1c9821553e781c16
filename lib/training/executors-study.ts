// The executors study: the same training (same prepared events, same split and seed) under several Spark masters.
import { loadConfig, type Config } from '../config';
import { prepareTrainingEvents, type PreparedEvents, type TrainingSource } from './prepare-events';
import { defaultTrainingSource, trainLwp, type LwpHyperParameters } from './train-lwp';
import path from 'node:path';

export interface ExecutorsStudyRow {
  master: string;
  /** Cores the application's executors had (the driver's own in local mode). */
  cores: number;
  load_spark_s: number;
  features_s: number;
  /** Training time: fitting the Random Forest, its calibrator and the reference. */
  fit_s: number;
  evaluate_s: number;
  /** Wall time of the whole job (spark-submit, JVM start included), prepare excluded (shared). */
  job_s: number;
  rps: number;
  ece: number;
  /** ECE of the same forest before its calibrator (equal to ece with calibration 'none'). */
  ece_uncalibrated: number;
  accuracy: number;
}

export interface ExecutorsStudyOptions extends LwpHyperParameters {
  /** Masters to compare, e.g. ['local[1]', 'local[2]', 'spark://127.0.0.1:7077']. */
  masters: readonly string[];
  source?: TrainingSource;
  /** Events prepared earlier (else prepared once here). */
  prepared?: PreparedEvents;
  config?: Config;
  /** Run name prefix; each setting writes <outputs>/<run>-<n>/training. */
  run?: string;
  modelDir?: string;
  conf?: Readonly<Record<string, string>>;
  timeoutMs?: number;
  onRow?: (row: ExecutorsStudyRow) => void;
}

/** Runs the training once per master, one after the other, and returns one row per setting. */
export async function runExecutorsStudy(options: ExecutorsStudyOptions): Promise<{ prepared: PreparedEvents; rows: ExecutorsStudyRow[] }> {
  const config = options.config ?? loadConfig();
  const run = options.run ?? `lwp-executors-${Date.now()}`;
  const prepared =
    options.prepared ??
    (await prepareTrainingEvents(options.source ?? defaultTrainingSource(config), { outDir: path.join(config.outputs, run, 'input') }));
  const rows: ExecutorsStudyRow[] = [];
  for (const [n, master] of options.masters.entries()) {
    const { source: _source, masters: _masters, onRow: _onRow, prepared: _prepared, run: _run, ...rest } = options;
    const result = await trainLwp({ ...rest, config, master, prepared, run: `${run}-${n}`, ...(options.modelDir === undefined ? { modelDir: path.join(config.outputs, `${run}-${n}`, 'model') } : {}) });
    const { timings, metrics } = result.report;
    const row: ExecutorsStudyRow = {
      master,
      cores: result.report.executors.reduce((sum, executor) => sum + (executor.id === 'driver' && result.report.executors.length > 1 ? 0 : executor.cores), 0),
      load_spark_s: timings.load_spark_s,
      features_s: timings.features_s,
      fit_s: timings.fit_s,
      evaluate_s: timings.evaluate_s,
      job_s: result.job.durationMs / 1000,
      rps: metrics.random_forest.rps,
      ece: metrics.random_forest.ece,
      ece_uncalibrated: metrics.random_forest_uncalibrated.ece,
      accuracy: metrics.random_forest.accuracy,
    };
    rows.push(row);
    options.onRow?.(row);
  }
  return { prepared, rows };
}

/** Where a scaling study ran: the standalone master and worker on the host, or the compose stack's worker containers. */
export type ScalingCluster = 'local standalone' | 'compose';
export const SCALING_CLUSTERS: readonly ScalingCluster[] = ['local standalone', 'compose'];

/** One point of the scaling study on a cluster: the training with N executors of one core each. */
export interface ScalingRow {
  cluster: ScalingCluster;
  executors: number;
  /** Executors the application actually got (fewer when the cluster lacked cores or memory). */
  executors_granted: number;
  master: string;
  /** Wall time of the training job: what the user waits for (JVMs and executors starting included). */
  seconds: number;
  /** seconds with 1 executor / seconds with N. */
  speedup: number;
  /** speedup / N: 1 is perfect scaling. */
  efficiency: number;
  /** The part of the job that is Spark work on the executors: features, then fitting the forests. */
  features_s: number;
  fit_s: number;
}

/** Speed-up and efficiency against the 1-executor run of the same cluster (its first row with executors 1). */
export function scalingRows(measured: ReadonlyArray<Omit<ScalingRow, 'speedup' | 'efficiency'>>): ScalingRow[] {
  return measured.map((row) => {
    const base = measured.find((other) => other.cluster === row.cluster && other.executors === 1);
    const speedup = base ? base.seconds / row.seconds : Number.NaN;
    return { ...row, speedup: Math.round(speedup * 1000) / 1000, efficiency: Math.round((speedup / row.executors) * 1000) / 1000 };
  });
}

export interface ClusterScalingOptions extends LwpHyperParameters {
  /** The standalone master (spark://…), with at least max(executors) free cores. */
  master: string;
  /** What the master is, for the report (default 'local standalone'). */
  cluster?: ScalingCluster;
  /** Executor counts, e.g. [1, 2, 3, 4]; each executor has one core and executorMemory. */
  executors: readonly number[];
  executorMemory?: string;
  prepared: PreparedEvents;
  config?: Config;
  run?: string;
  timeoutMs?: number;
  onRow?: (row: Omit<ScalingRow, 'speedup' | 'efficiency'>) => void;
}

/**
 * The same training (same prepared events, split and seed) with 1, 2, … executors on a standalone
 * cluster: spark.executor.cores 1 and spark.cores.max N give N executors of one core each.
 */
export async function runClusterScalingStudy(options: ClusterScalingOptions): Promise<ScalingRow[]> {
  const config = options.config ?? loadConfig();
  const run = options.run ?? `lwp-scaling-${Date.now()}`;
  const measured: Array<Omit<ScalingRow, 'speedup' | 'efficiency'>> = [];
  for (const executors of options.executors) {
    if (!Number.isInteger(executors) || executors < 1) throw new RangeError(`executor counts must be whole numbers ≥ 1, got ${executors}`);
    const { master, cluster = 'local standalone', executors: _e, executorMemory, prepared, run: _r, onRow, config: _c, ...hyper } = options;
    const name = `${run}-${executors}`;
    const result = await trainLwp({
      ...hyper,
      config,
      master,
      prepared,
      run: name,
      modelDir: path.join(config.outputs, name, 'model'),
      conf: { 'spark.executor.cores': '1', 'spark.cores.max': String(executors), 'spark.executor.memory': executorMemory ?? '1g' },
    });
    const row = {
      cluster,
      executors,
      executors_granted: result.report.executors.filter((executor) => executor.id !== 'driver').length,
      master,
      seconds: result.job.durationMs / 1000,
      features_s: result.report.timings.features_s,
      fit_s: result.report.timings.fit_s,
    };
    measured.push(row);
    onRow?.(row);
  }
  return scalingRows(measured);
}

/** The rows of an earlier study with those of a fresh one: the fresh study replaces its own cluster's rows only. */
export function mergeScalingRows(earlier: readonly ScalingRow[], fresh: readonly ScalingRow[]): ScalingRow[] {
  const replaced = new Set(fresh.map((row) => row.cluster));
  return [...earlier.filter((row) => !replaced.has(row.cluster)), ...fresh];
}
