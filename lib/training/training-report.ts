// Reads what jobs/train_lwp.py writes: report.json, the model's metadata.json and the Arrow tables, as plain rows.
import fs from 'node:fs';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import { readArrowFile } from '../arrow';
import { PitchstreamError } from '../errors';

export const LWP_MODELS = ['random_forest', 'score_time_logistic', 'class_prior'] as const;
export type LwpModelName = (typeof LWP_MODELS)[number];
export const LWP_OUTCOMES = ['home_win', 'draw', 'away_win'] as const;

export interface ModelMetrics {
  accuracy: number;
  precision_weighted: number;
  recall_weighted: number;
  f1_weighted: number;
  log_loss: number;
  brier: number;
  rps: number;
  ece: number;
  ece_final_10min: number;
  rps_minutes_0_90: number;
  rps_improvement_vs_score_time_logistic?: number;
  rps_improvement_vs_class_prior?: number;
}

export interface TrainingData {
  kind: 'statsbomb' | 'synthetic';
  synthetic: boolean;
  description: string;
  competition_ids: number[];
  seasons: { season_id: number; season_name: string; matches: number }[];
  matches: number;
  train_matches: number;
  test_matches: number;
  test_seasons: string[];
  events: number;
  states: number;
  train_states: number;
  test_states: number;
}

export interface ExecutorPeak {
  id: string;
  cores: number;
  max_memory_bytes: number;
  peak_jvm_heap_bytes: number | null;
  peak_jvm_off_heap_bytes: number | null;
  peak_process_tree_python_rss_bytes: number | null;
  peak_process_tree_jvm_rss_bytes: number | null;
}

export interface TrainingTimings {
  load_s: number;
  load_spark_s: number;
  load_prepare_s: number;
  features_s: number;
  fit_s: number;
  evaluate_s: number;
  write_s: number;
}

/** report.json of a training run. */
export interface TrainingReportJson {
  app_id: string;
  master: string;
  default_parallelism: number;
  model_dir: string;
  feature_set_version: string;
  data: TrainingData;
  split: { mode: 'season' | 'match'; test_fraction: number; seed: number };
  hyper_parameters: Record<string, number | string>;
  metrics: Record<LwpModelName, ModelMetrics>;
  timings: TrainingTimings;
  executors: ExecutorPeak[];
  created_at: string;
}

export interface ModelMetadata {
  model: string;
  feature_set_version: string;
  features: { name: string; description: string }[];
  outcomes: string[];
  spark_version: string;
  data: TrainingData;
  metrics: Record<LwpModelName, ModelMetrics>;
  hyper_parameters: Record<string, number | string>;
  created_at: string;
}

export interface LwpMetricRow {
  model: LwpModelName;
  metric: string;
  value: number;
  ci_low: number;
  ci_high: number;
}

export interface TrainingReport extends TrainingReportJson {
  trainingDir: string;
  metadata: ModelMetadata;
  /** Every metric of every model with its 95 % match-bootstrap interval. */
  metricRows: LwpMetricRow[];
}

/** The Arrow tables of a training run, by file name without .arrow. */
export type TrainingTable = 'metrics' | 'feature_importance' | 'calibration' | 'per_minute' | 'per_bucket' | 'predictions' | 'split';

function readJson<T>(file: string, what: string): T {
  if (!fs.existsSync(file))
    throw new PitchstreamError('TRAINING_OUTPUT_INVALID', `${what} ${file} does not exist`, { details: { file } });
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new PitchstreamError('TRAINING_OUTPUT_INVALID', `${what} ${file} is not valid JSON: ${(error as Error).message}`, { cause: error, details: { file } });
  }
}

/** A table's rows as plain objects (int64 columns as numbers). */
export function arrowTableRows<T = Record<string, unknown>>(table: Table): T[] {
  const names = table.schema.fields.map((field) => field.name);
  const columns = names.map((name) => table.getChild(name)!.toArray() as ArrayLike<unknown>);
  return Array.from({ length: table.numRows }, (_, row) => {
    const record: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const value = columns[i]![row];
      record[name] = typeof value === 'bigint' ? Number(value) : value;
    });
    return record as T;
  });
}

/** Rows of one of the run's Arrow tables. */
export function readTrainingTable<T = Record<string, unknown>>(trainingDir: string, table: TrainingTable): T[] {
  return arrowTableRows<T>(readArrowFile(path.join(trainingDir, `${table}.arrow`)));
}

/** report.json, the model's metadata.json and the metrics table of a finished run. */
export function readTrainingReport(trainingDir: string, modelDir?: string): TrainingReport {
  const report = readJson<TrainingReportJson>(path.join(trainingDir, 'report.json'), 'The training report');
  const metadata = readJson<ModelMetadata>(path.join(modelDir ?? report.model_dir, 'metadata.json'), 'The model metadata');
  for (const model of LWP_MODELS)
    if (typeof report.metrics?.[model]?.rps !== 'number')
      throw new PitchstreamError('TRAINING_OUTPUT_INVALID', `The training report ${trainingDir}/report.json has no RPS for ${model}`, { details: { trainingDir } });
  return { ...report, trainingDir, metadata, metricRows: readTrainingTable<LwpMetricRow>(trainingDir, 'metrics') };
}
