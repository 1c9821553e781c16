// startLwpStream: submits jobs/stream_lwp.py (with the saved model or without it) and hands back the run.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config';
import { isPitchstreamError, PitchstreamError } from '../errors';
import {
  invalidOption,
  pushWholeNumber,
  streamJobArguments,
  submitStreamJob,
  timestampedRunDir,
  type JobHandle,
  type JobResult,
  type StreamJobOptions,
} from '../spark';
import { waitForQueriesReady } from '../streaming';
import { lwpFolders, type LwpFolders } from './lwp-outputs';

export const LWP_STREAM_JOB = 'stream_lwp';
/** The Python exception the job raises for a model of another feature set (pitchstream_jobs.lwp_inference). */
export const MODEL_MISMATCH_ERROR_TYPE = 'LwpModelMismatchError';

export interface LwpStreamOptions extends StreamJobOptions {
  /** The saved PipelineModel (with metadata.json); null runs the job without a model: state and features only. */
  modelDir: string | null;
  /** Event time after a match's end (Half End of period ≥ 2) before its state is cleared (default 5 minutes). */
  endTimeoutMs?: number;
  /** Event time without events before a match's state is cleared (default 1 hour). */
  idleTimeoutMs?: number;
}

export interface LwpStreamRun {
  readonly folders: LwpFolders;
  readonly job: JobHandle;
  readonly withModel: boolean;
  /** Resolves when the job ends (available-now) or has been stopped; a refused model rejects with LWP_MODEL_MISMATCH. */
  wait(): Promise<JobResult>;
  /** Graceful: the query stops after its current batch. */
  stop(): Promise<JobResult>;
}

const invalid = invalidOption('LWP stream', 'startLwpStream');

/** The job's command-line arguments for these options (checked; the option is named on error). */
export function lwpStreamArguments(options: LwpStreamOptions, outputDir: string): string[] {
  const args = streamJobArguments(options, outputDir, invalid);
  if (options.modelDir !== null && (typeof options.modelDir !== 'string' || options.modelDir === ''))
    throw invalid('modelDir', 'a model folder or null (no model)', options.modelDir);
  args.push(...(options.modelDir === null ? ['--no-model'] : ['--model-dir', path.resolve(options.modelDir)]));
  pushWholeNumber(args, invalid, 'endTimeoutMs', options.endTimeoutMs, 1, '--end-timeout-ms');
  pushWholeNumber(args, invalid, 'idleTimeoutMs', options.idleTimeoutMs, 1, '--idle-timeout-ms');
  return args;
}

export function defaultLwpRunDir(config: Config, now: Date = new Date()): string {
  return timestampedRunDir(config, 'lwp-stream', now);
}

/** JOB_FAILED for a refused model becomes LWP_MODEL_MISMATCH (message from the job, which read metadata.json). */
export function asModelMismatch(error: unknown, modelDir: string | null): unknown {
  const type = isPitchstreamError(error, 'JOB_FAILED') ? String(error.details.errorType ?? '') : '';
  // The error file names the exception with its module (pitchstream_jobs.lwp_inference.LwpModelMismatchError).
  if (type !== MODEL_MISMATCH_ERROR_TYPE && !type.endsWith(`.${MODEL_MISMATCH_ERROR_TYPE}`)) return error;
  const failed = error as PitchstreamError;
  return new PitchstreamError('LWP_MODEL_MISMATCH', String(failed.details.errorMessage), {
    cause: failed,
    details: { modelDir, logPath: failed.details.logPath },
  });
}

/**
 * Submits stream_lwp; outputs land in folders.probabilities (Arrow per batch) and folders.progress.
 * Resolves once the job has reported its application id; a model whose metadata.json lists
 * another feature set is refused by the job before Spark starts and rejects with LWP_MODEL_MISMATCH.
 */
export async function startLwpStream(options: LwpStreamOptions): Promise<LwpStreamRun> {
  const config = options.config ?? loadConfig();
  const outputDir = path.resolve(options.outputDir ?? defaultLwpRunDir(config));
  const args = lwpStreamArguments(options, outputDir);
  fs.mkdirSync(outputDir, { recursive: true });
  const job = await submitStreamJob(LWP_STREAM_JOB, args, { ...options, config });
  const translate = <T>(promise: Promise<T>): Promise<T> => promise.catch((error: unknown) => Promise.reject(asModelMismatch(error, options.modelDir)));
  await translate(Promise.race([job.appId, job.wait().then(() => '')]));
  return {
    folders: lwpFolders(outputDir),
    job,
    withModel: options.modelDir !== null,
    wait: () => translate(job.wait()),
    stop: () => translate(job.stop()),
  };
}

/**
 * Waits until the run's query has fixed its starting offsets (from then on, with startingOffsets
 * 'latest', every record produced is read); rejects at once with the job's own error when the job
 * ends first (a refused model, a failure), else with STREAM_CATCH_UP_TIMEOUT after timeoutMs.
 */
export async function waitForLwpStreamReady(run: LwpStreamRun, options: { timeoutMs: number }): Promise<void> {
  let settled = false;
  const ended = run.wait().then((result) => {
    if (settled) return;
    throw new PitchstreamError('STREAM_CATCH_UP_TIMEOUT', `the job ${LWP_STREAM_JOB} ended (${result.outcome}) before its query started`, {
      fix: `Read the job's driver log: ${run.job.logPath}.`,
      details: { outputDir: run.folders.outputDir },
    });
  });
  try {
    await Promise.race([waitForQueriesReady(run.folders.outputDir, { timeoutMs: options.timeoutMs, queries: ['lwp'] }), ended]);
  } finally {
    settled = true;
    ended.catch(() => undefined);
  }
}
