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
