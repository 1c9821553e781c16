// trainLwp: prepares the normalized events, submits jobs/train_lwp.py and reads its report back.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config';
import { eventSchemaPath } from '../data';
import { isPitchstreamError, PitchstreamError } from '../errors';
import { submitJob, type JobHandle, type JobResult } from '../spark';
import { prepareTrainingEvents, type PreparedEvents, type TrainingSource } from './prepare-events';
import { readTrainingReport, type TrainingReport } from './training-report';

/** 'logistic': a logistic calibrator on the forest's probabilities and the match time; 'none': the forest alone. */
export type LwpCalibrationMethod = 'logistic' | 'none';

/** Hyper-parameters and split settings of the job (its command-line options). */
export interface LwpHyperParameters {
  numTrees?: number;
  maxDepth?: number;
  minInstancesPerNode?: number;
  featureSubsetStrategy?: string;
  subsamplingRate?: number;
  lrRegParam?: number;
  seed?: number;
  /** 'auto' (default): by season when there are ≥ 3 seasons, else by match. */
  split?: 'auto' | 'season' | 'match';
  testFraction?: number;
  testSeasons?: number;
  /** Match-bootstrap resamples for the confidence intervals (default 200; 0 for none). */
  bootstrapSamples?: number;
  /**
   * Probability calibration. 'logistic': a share of the training matches is held out, the forest is
   * fitted on the others and a multinomial logistic regression on its probabilities (and the match
   * time) for the held-out matches; it is the saved pipeline's last stage. Default 'none': on the La
   * Liga corpus the calibrator made the later-season test matches worse (RPS 0.1211 → 0.1247, ECE
   * 0.031 → 0.067; only the final 10 minutes improved, ECE 0.065 → 0.034), see README.
   */
  calibration?: LwpCalibrationMethod;
  /** Fewer held-out calibration matches than this (default 20): no calibrator, the forest keeps every training match. */
  minCalibrationMatches?: number;
  /** Share of the training matches (whole matches) held out to fit the calibrator (default 0.2). */
  calibrationFraction?: number;
  /** L2 regularization of the logistic calibrator (default 0.01). */
  calibrationRegParam?: number;
}

export interface TrainLwpOptions extends LwpHyperParameters {
  /** Default: StatsBomb La Liga (competition 11) from config.statsbombData when it exists, else 120 synthetic matches. */
  source?: TrainingSource;
  config?: Config;
  /** Run name: outputs go to <config.outputs>/<run>/ (input/ and training/). Default lwp-<UTC time>-<random>. */
  run?: string;
  /** Where the PipelineModel goes (default <root>/models/lwp_model). */
  modelDir?: string;
  master?: string;
  /** Spark settings for this run only (e.g. driver memory for the whole corpus); they win over spark-conf/. */
  conf?: Readonly<Record<string, string>>;
  timeoutMs?: number;
  onLog?: (line: string) => void;
  /** Called once the job has started: the handle gives appId and uiUrl (progress from the REST API). */
  onJob?: (job: JobHandle) => void;
  /** false: train without three-sixty frames (faster input; the 360 features read "absent"). Default true. */
  threeSixty?: boolean;
  /** Reuse events prepared by an earlier run (the executors study prepares once). */
  prepared?: PreparedEvents;
}

export interface TrainLwpResult {
  run: string;
  runDir: string;
  trainingDir: string;
  modelDir: string;
  prepared: PreparedEvents;
  job: JobResult;
  report: TrainingReport;
  /** Wall time of the whole call: prepare + spark-submit (JVM start included) + reading the report. */
  totalMs: number;
}

const DEFAULT_TIMEOUT_MS = 20 * 60_000;

/** The default source: real La Liga data when the configured folder has it, else labelled synthetic matches. */
export function defaultTrainingSource(config: Config = loadConfig()): TrainingSource {
  return fs.existsSync(path.join(config.statsbombData, 'matches', '11'))
    ? { kind: 'statsbomb', dir: config.statsbombData, competitionIds: [11] }
    : { kind: 'synthetic', matches: 120, seed: 2024 };
}

function option(name: string, value: string | number | undefined): string[] {
  return value === undefined ? [] : [`--${name}`, String(value)];
}

function check(name: string, value: number | undefined, valid: (v: number) => boolean, expected: string): void {
  if (value !== undefined && !valid(value))
    throw new PitchstreamError('CONFIG_INVALID', `trainLwp option ${name} must be ${expected}, got ${value}`, { details: { option: name, value } });
}

/** The job's arguments for the hyper-parameters (validated: names the option, the expectation and the value). */
export function hyperParameterArgs(options: LwpHyperParameters): string[] {
  check('numTrees', options.numTrees, (v) => Number.isInteger(v) && v >= 1, 'an integer ≥ 1');
  check('maxDepth', options.maxDepth, (v) => Number.isInteger(v) && v >= 1 && v <= 30, 'an integer from 1 to 30');
  check('minInstancesPerNode', options.minInstancesPerNode, (v) => Number.isInteger(v) && v >= 1, 'an integer ≥ 1');
  check('subsamplingRate', options.subsamplingRate, (v) => v > 0 && v <= 1, 'in (0, 1]');
  check('lrRegParam', options.lrRegParam, (v) => v >= 0, '≥ 0');
  check('testFraction', options.testFraction, (v) => v > 0 && v < 1, 'in (0, 1)');
  check('testSeasons', options.testSeasons, (v) => Number.isInteger(v) && v >= 1, 'an integer ≥ 1');
  check('bootstrapSamples', options.bootstrapSamples, (v) => Number.isInteger(v) && v >= 0, 'an integer ≥ 0');
  check('calibrationFraction', options.calibrationFraction, (v) => v > 0 && v < 1, 'in (0, 1)');
  check('calibrationRegParam', options.calibrationRegParam, (v) => v >= 0, '≥ 0');
  check('minCalibrationMatches', options.minCalibrationMatches, (v) => Number.isInteger(v) && v >= 1, 'an integer ≥ 1');
  if (options.calibration !== undefined && !['logistic', 'none'].includes(options.calibration))
    throw new PitchstreamError('CONFIG_INVALID', `trainLwp option calibration must be 'logistic' or 'none', got ${JSON.stringify(options.calibration)}`, {
      details: { option: 'calibration', value: options.calibration },
    });
  return [
    ...option('num-trees', options.numTrees),
    ...option('max-depth', options.maxDepth),
    ...option('min-instances-per-node', options.minInstancesPerNode),
    ...option('feature-subset-strategy', options.featureSubsetStrategy),
    ...option('subsampling-rate', options.subsamplingRate),
    ...option('lr-reg-param', options.lrRegParam),
    ...option('seed', options.seed),
    ...option('split', options.split),
    ...option('test-fraction', options.testFraction),
    ...option('test-seasons', options.testSeasons),
    ...option('bootstrap-samples', options.bootstrapSamples),
    ...option('calibration', options.calibration),
    ...option('min-calibration-matches', options.minCalibrationMatches),
    ...option('calibration-fraction', options.calibrationFraction),
    ...option('calibration-reg-param', options.calibrationRegParam),
  ];
}

/** The Python exception train_lwp raises for an unusable split (pitchstream_jobs.lwp_training). */
export const TRAINING_SPLIT_ERROR_TYPE = 'TrainingSplitError';

/** JOB_FAILED for an unusable train/calibration/test split becomes TRAINING_SPLIT_INVALID (message from the job); other errors pass. */
export function trainingSplitError(error: unknown): unknown {
  const type = isPitchstreamError(error, 'JOB_FAILED') ? String(error.details.errorType ?? '') : '';
  if (type !== TRAINING_SPLIT_ERROR_TYPE && !type.endsWith(`.${TRAINING_SPLIT_ERROR_TYPE}`)) return error;
  const failed = error as PitchstreamError;
  return new PitchstreamError('TRAINING_SPLIT_INVALID', String(failed.details.errorMessage), {
    cause: failed,
    fix: "Give the training more matches (at least 4; with calibration, 3 sets of whole matches), or lower testFraction / testSeasons / calibrationFraction, or train with calibration: 'none'.",
    details: { logPath: failed.details.logPath, appId: failed.details.appId },
  });
}

/** A label for metadata.json: what data, which competitions and seasons. */
export function describeData(prepared: PreparedEvents): string {
  if (prepared.synthetic) return `SYNTHETIC: ${prepared.matches} matches from the pitchstream generator`;
  const seasons = prepared.seasons.map((season) => season.seasonName);
  return `StatsBomb open data: competitions ${prepared.competitionIds.join(', ')}, ${prepared.matches} matches, seasons ${seasons[0]}–${seasons.at(-1)}`;
}

/** A run name: lwp-<UTC time>-<random>. */
export function newRunName(prefix = 'lwp'): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${prefix}-${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}

/** Where the training job reads and writes: folders on this machine, or in a pod (lib/kubernetes). */
export interface TrainLwpPaths {
  eventsDir: string;
  matchesFile: string;
  modelDir: string;
  trainingDir: string;
  schemaFile: string;
  /** Seconds spent preparing the input, for the report (0 when prepared earlier). */
  prepareSeconds: number;
  /** What the data is, for the report (synthetic data says so). */
  dataLabel: string;
  hyperParameters?: LwpHyperParameters;
}

/** The arguments of jobs/train_lwp.py: one definition for trainLwp and the Kubernetes manifests. */
export function trainLwpArguments(paths: TrainLwpPaths): string[] {
  return [
    '--events',
    paths.eventsDir,
    '--matches',
    paths.matchesFile,
    '--model-dir',
    paths.modelDir,
    '--output-dir',
    paths.trainingDir,
    '--schema',
    paths.schemaFile,
    '--prepare-seconds',
    String(paths.prepareSeconds),
    '--data-label',
    paths.dataLabel,
    ...hyperParameterArgs(paths.hyperParameters ?? {}),
  ];
}

/**
 * Trains the live win-probability model end to end and returns the report the job wrote.
 * Writes <outputs>/<run>/input (events, matches), <outputs>/<run>/training (Arrow reports,
 * report.json) and the model with metadata.json at modelDir.
 */
export async function trainLwp(options: TrainLwpOptions = {}): Promise<TrainLwpResult> {
  const startedMs = Date.now();
  const config = options.config ?? loadConfig();
  hyperParameterArgs(options); // bad hyper-parameters fail before any preparation
  const run = options.run ?? newRunName();
  const runDir = path.join(config.outputs, run);
  const trainingDir = path.join(runDir, 'training');
  const modelDir = path.resolve(config.root, options.modelDir ?? path.join('models', 'lwp_model'));
  const prepared = options.prepared ?? (await prepareTrainingEvents(options.source ?? defaultTrainingSource(config), { outDir: path.join(runDir, 'input'), ...(options.threeSixty === undefined ? {} : { threeSixty: options.threeSixty }) }));
  fs.rmSync(trainingDir, { recursive: true, force: true });
  const args = trainLwpArguments({
    eventsDir: prepared.eventsDir,
    matchesFile: prepared.matchesFile,
    modelDir,
    trainingDir,
    schemaFile: eventSchemaPath(),
    prepareSeconds: options.prepared ? 0 : prepared.durationMs / 1000,
    dataLabel: describeData(prepared),
    hyperParameters: options,
  });
  const job = await submitJob('train_lwp', args, {
    config,
    ...(options.master === undefined ? {} : { master: options.master }),
    ...(options.conf === undefined ? {} : { conf: options.conf }),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
  });
  options.onJob?.(job);
  const result = await job.wait().catch((error: unknown) => {
    throw trainingSplitError(error);
  });
  const report = readTrainingReport(trainingDir, modelDir);
  return { run, runDir, trainingDir, modelDir, prepared, job: result, report, totalMs: Date.now() - startedMs };
}
