// What every streaming job takes (Kafka source, trigger, watermark, run folder) and how it is submitted:
// one definition for startMatchStats and startLwpStream.
import path from 'node:path';
import type { Config } from '../config';
import { PitchstreamError } from '../errors';
import { statefulStreamingConf } from './state-partitions';
import { submitJob, type JobHandle, type SubmitJobOptions } from './submit-job';

export const DEFAULT_STREAM_TOPIC = 'statsbomb-360-events';

export interface StreamJobOptions extends SubmitJobOptions {
  bootstrap: string;
  /** The run's output folder (a timestamped one under config.outputs when absent). Reuse it to restart from its checkpoint. */
  outputDir?: string;
  topic?: string;
  /** earliest (default), latest, or Kafka's JSON form; only used when the checkpoint is new. */
  startingOffsets?: string;
  /** Most records per micro-batch (all that are available when absent). */
  maxOffsetsPerTrigger?: number;
  /** How far behind the newest event time an event may come before it is dropped (default '10 minutes'). */
  watermarkDelay?: string;
  /** Processing-time trigger interval; 0 (default) starts the next batch as soon as one ends. */
  triggerMs?: number;
  /** Process what the topic holds when the job starts, then end (the job's wait() resolves 'succeeded'). */
  availableNow?: boolean;
}

/** Builds the CONFIG_INVALID error of one option of one starter (startMatchStats, startLwpStream). */
export type InvalidOption = (option: string, expected: string, received: unknown) => PitchstreamError;

export function invalidOption(what: string, starter: string): InvalidOption {
  return (option, expected, received) =>
    new PitchstreamError('CONFIG_INVALID', `${what} option ${option} must be ${expected}, got ${JSON.stringify(received)}`, {
      fix: `Correct ${option} in the options of ${starter}.`,
      details: { option, received },
    });
}

/** Appends flag and value when value is a whole number ≥ min; absent values add nothing. */
export function pushWholeNumber(args: string[], invalid: InvalidOption, option: string, value: number | undefined, min: number, flag: string): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) throw invalid(option, `a whole number ≥ ${min}`, value);
  args.push(flag, String(value));
}

/** The arguments every streaming job takes, checked (the option is named on error); job-specific ones follow them. */
export function streamJobArguments(options: StreamJobOptions, outputDir: string, invalid: InvalidOption): string[] {
  if (!options.bootstrap) throw invalid('bootstrap', 'host:port[,host:port]', options.bootstrap);
  const args = ['--bootstrap', options.bootstrap, '--output', outputDir, '--topic', options.topic ?? DEFAULT_STREAM_TOPIC];
  if (options.startingOffsets !== undefined) args.push('--starting-offsets', options.startingOffsets);
  pushWholeNumber(args, invalid, 'maxOffsetsPerTrigger', options.maxOffsetsPerTrigger, 1, '--max-offsets-per-trigger');
  if (options.watermarkDelay !== undefined) {
    if (!/^\d+(\.\d+)?\s+(milliseconds?|seconds?|minutes?|hours?|days?)$/.test(options.watermarkDelay))
      throw invalid('watermarkDelay', 'an interval such as "10 minutes"', options.watermarkDelay);
    args.push('--watermark-delay', options.watermarkDelay);
  }
  pushWholeNumber(args, invalid, 'triggerMs', options.triggerMs, 0, '--trigger-ms');
  if (options.availableNow) args.push('--available-now');
  return args;
}

/** <config.outputs>/<prefix>-<UTC time>: a new run folder. */
export function timestampedRunDir(config: Config, prefix: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return path.resolve(config.root, config.outputs, `${prefix}-${stamp}`);
}

/** submitJob for a stateful streaming job: state partitions fitted to the master (statefulStreamingConf). */
export function submitStreamJob(job: string, args: readonly string[], options: SubmitJobOptions & { config: Config }): Promise<JobHandle> {
  const { config } = options;
  return submitJob(job, [...args], {
    config,
    master: options.master,
    conf: statefulStreamingConf(options.master ?? config.sparkMaster, options.conf),
    timeoutMs: options.timeoutMs,
    stopGraceMs: options.stopGraceMs,
    onLog: options.onLog,
  });
}
