// Latency of a stream_lwp run: batch durations from its progress lines, end-to-end latency from its states.
import { readQueryProgress, type QueryProgress } from '../streaming';
import { readLwpStates, type LwpState } from './lwp-outputs';

export const LWP_QUERY = 'lwp';

export interface LwpLatencySummary {
  withModel: boolean;
  /** Batches that read at least one record. */
  batches: number;
  events: number;
  states: number;
  /** Events read ÷ the time from the first such batch's start to the last one's end. */
  eventsPerSecond: number;
  batchDurationP50Ms: number;
  batchDurationP95Ms: number;
  /** Kafka receive time of a state's triggering event → the state's Arrow file written. */
  endToEndP50Ms: number;
  endToEndP95Ms: number;
}

/** The q-quantile (0..1) of values by linear interpolation between order statistics; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** The summary of progress events and states (pure; see summarizeLwpRun for a run folder). */
export function summarizeLwpLatency(progress: readonly QueryProgress[], states: readonly LwpState[], options: { skipBatches?: number } = {}): LwpLatencySummary {
  const active = progress.filter((p) => p.numInputRows > 0).slice(options.skipBatches ?? 0);
  const durations = active.map((p) => p.batchDurationMs);
  const events = active.reduce((sum, p) => sum + p.numInputRows, 0);
  const first = active[0];
  const last = active.at(-1);
  const spanMs = first && last ? last.timestampMs + last.batchDurationMs - first.timestampMs : 0;
  const latencies = states.map((s) => s.writtenMs - s.kafkaTimestampMs);
  return {
    withModel: states.some((s) => s.probabilities !== null),
    batches: active.length,
    events,
    states: states.length,
    eventsPerSecond: spanMs > 0 ? (events * 1000) / spanMs : 0,
    batchDurationP50Ms: quantile(durations, 0.5),
    batchDurationP95Ms: quantile(durations, 0.95),
    endToEndP50Ms: quantile(latencies, 0.5),
    endToEndP95Ms: quantile(latencies, 0.95),
  };
}

/** The latency summary of a run folder (progress/lwp.jsonl and probabilities/). */
export function summarizeLwpRun(outputDir: string, options: { skipBatches?: number } = {}): LwpLatencySummary {
  return summarizeLwpLatency(readQueryProgress(outputDir, LWP_QUERY), readLwpStates(outputDir), options);
}
