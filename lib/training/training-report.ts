// Reads what jobs/train_lwp.py writes: report.json, the model's metadata.json and the Arrow tables, as plain rows.
import fs from 'node:fs';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import { readArrowFile } from '../arrow';
import { PitchstreamError } from '../errors';

/**
 * random_forest is the saved model: two remaining-goals forests and the Poisson outcome stage
 * (calibrated unless calibration 'none'); random_forest_uncalibrated is the same before the
 * calibrator; outcome_classifier is a forest that learns the result directly (the saved model up to
 * lwp-features-2), kept as a reference.
 */
export const LWP_MODELS = ['random_forest', 'random_forest_uncalibrated', 'outcome_classifier', 'score_time_logistic', 'class_prior'] as const;
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
  rps_improvement_vs_random_forest_uncalibrated?: number;
  rps_improvement_vs_outcome_classifier?: number;
}

/**
 * How one man more or fewer scales a side's expected goals to come (the saved model's man-advantage
 * stage), measured on the forests' training states with a one-man difference: observed ÷ forest goals.
 */
export interface ManAdvantageFactors {
  /** Factor of a side a man down (≤ 1). */
  down: number;
  /** Factor of a side a man up (≥ 1). */
  up: number;
  down_states: number;
  down_observed_goals: number;
  down_forest_goals: number;
  up_states: number;
  up_observed_goals: number;
  up_forest_goals: number;
}

/** How the saved model's probabilities were calibrated (report.json and metadata.json). */
export interface CalibrationInfo {
  /** What was applied: 'none' also when a requested calibrator was skipped (see skipped_reason). */
  method: 'logistic' | 'none';
  /** What was asked for. */
  requested?: 'logistic' | 'none';
  /** Why a requested calibrator was not fitted (too few calibration matches), or null. */
  skipped_reason?: string | null;
  /** The calibrator's inputs, in words. */
  inputs: string[];
  /** Share of the training matches held out for the calibrator (0 with method 'none'). */
  fraction: number;
  reg_param: number | null;
  matches: number;
  states: number;
}

export interface TrainingData {
  kind: 'statsbomb' | 'synthetic';
  synthetic: boolean;
  description: string;
  competition_ids: number[];
  seasons: { season_id: number; season_name: string; matches: number }[];
  matches: number;
  /** Every training match: the forest's plus the calibration matches. */
  train_matches: number;
  /** The matches the forest was fitted on. */
  forest_train_matches: number;
  /** Training matches held out to fit the calibrator. */
  calibration_matches: number;
  test_matches: number;
  test_seasons: string[];
  events: number;
  states: number;
  train_states: number;
  calibration_states: number;
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

/** A state that breaks what a viewer takes for granted (pitchstream_jobs.viewer_properties). */
export interface ViewerPropertyViolation {
  property: ViewerProperty;
  match_id: number;
  state_index: number;
  minute: number;
  detail: string;
}

/** goal: a goal never lowers the scorer's P(win); red_card: a red card never raises the punished side's; late_lead: a two-goal lead from 85' gives > 0.85. */
export type ViewerProperty = 'goal' | 'red_card' | 'late_lead';

/** The saved model's test states checked against the viewer's properties: how many states each looked at, how many broke it, the first ones listed. */
export interface ViewerPropertyReport {
  thresholds: { late_lead_minute: number; late_lead_goals: number; late_lead_min_probability: number };
  checked: Record<ViewerProperty, number>;
  violations: Record<ViewerProperty, number>;
  listed: ViewerPropertyViolation[];
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
  calibration: CalibrationInfo;
  hyper_parameters: Record<string, number | string>;
  metrics: Record<LwpModelName, ModelMetrics>;
  viewer_properties: ViewerPropertyReport;
  /** The viewer's properties checked on every model's test probabilities: broken states per property. */
  viewer_violations_by_model: Record<LwpModelName, Record<ViewerProperty, number>>;
  man_advantage: ManAdvantageFactors;
  timings: TrainingTimings;
  executors: ExecutorPeak[];
  created_at: string;
}

export interface ModelMetadata {
  /** 'goals_to_come_forests' (models saved before it: 'random_forest', a result classifier). */
  model: string;
  /** The man-advantage factors of the saved model (absent from models saved before them). */
  man_advantage?: ManAdvantageFactors;
  feature_set_version: string;
  features: { name: string; description: string }[];
  outcomes: string[];
  spark_version: string;
  data: TrainingData;
  calibration: CalibrationInfo;
  /** The saved PipelineModel's stages, in order. */
  stages: string[];
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

/** A model's name for tables and charts: says whether the saved forest is calibrated. */
export function lwpModelLabel(model: LwpModelName, report: Pick<TrainingReportJson, 'calibration'>): string {
  const calibrated = report.calibration?.method !== undefined && report.calibration.method !== 'none';
  switch (model) {
    case 'random_forest':
      return calibrated ? 'random forest, calibrated (saved)' : 'random forest (saved)';
    case 'random_forest_uncalibrated':
      return calibrated ? 'random forest, uncalibrated' : 'random forest, uncalibrated (= saved)';
    case 'outcome_classifier':
      return 'result classifier forest';
    case 'score_time_logistic':
      return 'score-and-time logistic';
    case 'class_prior':
      return 'class prior';
  }
}

/** The metrics the notebook's table shows, in order. */
export const LWP_TABLE_METRICS = ['rps', 'log_loss', 'brier', 'ece', 'ece_final_10min', 'accuracy', 'precision_weighted', 'recall_weighted', 'f1_weighted'] as const;

/**
 * The metrics table of a run: one row per metric, one column per model (its label), each cell
 * "value [95 % low, high]"; then RPS over minutes 0-90 and the saved model's gains over the others
 * (positive: the saved model is better). Plain rows for htmlTable.
 */
export function metricsTableRows(report: TrainingReport, models: readonly LwpModelName[] = LWP_MODELS): Record<string, string>[] {
  const cell = (model: string, metric: string): string => {
    const row = report.metricRows.find((r) => r.model === model && r.metric === metric);
    return row ? `${row.value.toFixed(4)} [${row.ci_low.toFixed(4)}, ${row.ci_high.toFixed(4)}]` : '';
  };
  const saved = lwpModelLabel('random_forest', report);
  const perModel = (value: (model: LwpModelName) => string) => Object.fromEntries(models.map((model) => [lwpModelLabel(model, report), value(model)]));
  return [
    ...LWP_TABLE_METRICS.map((metric) => ({ metric, ...perModel((model) => cell(model, metric)) })),
    { metric: 'rps, mean over minutes 0-90', ...perModel((model) => report.metrics[model]?.rps_minutes_0_90?.toFixed(4) ?? '') },
    { metric: 'RPS gain vs uncalibrated forest', [saved]: cell('random_forest', 'rps_improvement_vs_random_forest_uncalibrated') },
    { metric: 'ECE gain vs uncalibrated forest', [saved]: cell('random_forest', 'ece_improvement_vs_random_forest_uncalibrated') },
    { metric: 'ECE final 10 min gain vs uncalibrated forest', [saved]: cell('random_forest', 'ece_final_10min_improvement_vs_random_forest_uncalibrated') },
    { metric: 'log loss gain vs uncalibrated forest', [saved]: cell('random_forest', 'log_loss_improvement_vs_random_forest_uncalibrated') },
    { metric: 'RPS gain vs result classifier forest', [saved]: cell('random_forest', 'rps_improvement_vs_outcome_classifier') },
    { metric: 'RPS gain vs score-and-time', [saved]: cell('random_forest', 'rps_improvement_vs_score_time_logistic') },
    { metric: 'RPS gain vs class prior', [saved]: cell('random_forest', 'rps_improvement_vs_class_prior') },
  ];
}

/** A row of calibration.arrow: one bin of one outcome's forecasts of one model. */
export interface CalibrationBinRow {
  model: LwpModelName;
  outcome: string;
  class_index: number;
  bin: number;
  bin_low: number;
  bin_high: number;
  states: number;
  mean_forecast: number;
  observed_frequency: number;
}

const OUTCOME_COLORS: Record<string, string> = { home_win: '#2a7ae2', draw: '#777777', away_win: '#e2572a' };
const MODEL_DASH: Partial<Record<LwpModelName, string>> = { random_forest: 'solid', random_forest_uncalibrated: 'dash', outcome_classifier: 'longdash', score_time_logistic: 'dot' };

/**
 * Plotly traces of the calibration curve (reliability diagram): the diagonal, then per model and
 * outcome the bins' mean forecast against the observed frequency (a colour per outcome, a dash per model).
 */
export function calibrationCurveTraces(
  rows: readonly CalibrationBinRow[],
  report: Pick<TrainingReportJson, 'calibration'>,
  models: readonly LwpModelName[] = ['random_forest_uncalibrated', 'random_forest'],
): Record<string, unknown>[] {
  const traces: Record<string, unknown>[] = [{ type: 'scatter', mode: 'lines', x: [0, 1], y: [0, 1], name: 'perfect', line: { dash: 'dot', color: '#bbb' } }];
  for (const model of models)
    for (const outcome of LWP_OUTCOMES) {
      const bins = rows.filter((r) => r.model === model && r.outcome === outcome).sort((a, b) => a.bin - b.bin);
      traces.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: `${lwpModelLabel(model, report)} · ${outcome}`,
        x: bins.map((r) => r.mean_forecast),
        y: bins.map((r) => r.observed_frequency),
        text: bins.map((r) => `${r.states} states`),
        line: { color: OUTCOME_COLORS[outcome], dash: MODEL_DASH[model] ?? 'dashdot' },
      });
    }
  return traces;
}
