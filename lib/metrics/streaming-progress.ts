// Structured Streaming progress of a run: the JSON lines a job writes (progress/<query>.jsonl, one
// StreamingQueryProgress per line), per batch and summarized per query. Pure apart from readProgressDir.
import fs from 'node:fs';
import path from 'node:path';

export interface StreamingBatch {
  query: string;
  batchId: number;
  /** When the trigger fired (epoch ms). */
  timestampMs: number;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  /** durationMs.triggerExecution: the whole batch. */
  batchDurationMs: number;
  /** Its parts as Spark reports them: addBatch, getBatch, latestOffset, queryPlanning, walCommit, commitOffsets. */
  durationsMs: Record<string, number>;
  /**
   * How late the batch started against its processing-time trigger: start − (previous start +
   * trigger interval), at least 0. Undefined without a trigger interval or for the first batch.
   */
  schedulingDelayMs: number | undefined;
  stateRows: number;
  stateMemoryBytes: number;
}

export interface StreamingSummary {
  query: string;
  batches: number;
  inputRows: number;
  inputRowsPerSecondAvg: number;
  processedRowsPerSecondAvg: number;
  batchDurationMsAvg: number;
  batchDurationMsP95: number;
  /** Average of each part of the batch duration. */
  durationsMsAvg: Record<string, number>;
  schedulingDelayMsAvg: number | undefined;
  stateRowsLast: number;
  stateMemoryBytesLast: number;
}

interface RawProgress {
  name?: string | null;
  id?: string;
  batchId: number;
  timestamp: string;
  numInputRows?: number;
  inputRowsPerSecond?: number | string;
  processedRowsPerSecond?: number | string;
  batchDuration?: number;
  durationMs?: Record<string, number>;
  stateOperators?: Array<{ numRowsTotal?: number; memoryUsedBytes?: number }>;
}

const num = (value: unknown): number => {
  const parsed = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : 0;
  return Number.isFinite(parsed) ? parsed : 0;
};

/** Batches of JSON-lines text; a last line without its newline (still being written) is left out. */
export function parseProgressJsonLines(text: string, triggerIntervalMs?: number): StreamingBatch[] {
  const end = text.lastIndexOf('\n');
  const lines = end < 0 ? [] : text.slice(0, end).split('\n').filter((line) => line.trim() !== '');
  const batches: StreamingBatch[] = [];
  for (const line of lines) {
    let raw: RawProgress;
    try {
      raw = JSON.parse(line) as RawProgress;
    } catch {
      continue; // a torn or foreign line: the rest of the file still counts
    }
    const previous = batches[batches.length - 1];
    const timestampMs = Date.parse(raw.timestamp);
    batches.push({
      query: raw.name ?? raw.id ?? 'query',
      batchId: raw.batchId,
      timestampMs,
      numInputRows: num(raw.numInputRows),
      inputRowsPerSecond: num(raw.inputRowsPerSecond),
      processedRowsPerSecond: num(raw.processedRowsPerSecond),
      batchDurationMs: num(raw.durationMs?.triggerExecution ?? raw.batchDuration),
      durationsMs: { ...(raw.durationMs ?? {}) },
      schedulingDelayMs:
        triggerIntervalMs !== undefined && previous !== undefined ? Math.max(0, timestampMs - (previous.timestampMs + triggerIntervalMs)) : undefined,
      stateRows: (raw.stateOperators ?? []).reduce((sum, op) => sum + num(op.numRowsTotal), 0),
      stateMemoryBytes: (raw.stateOperators ?? []).reduce((sum, op) => sum + num(op.memoryUsedBytes), 0),
    });
  }
  return batches;
}

/** Every progress file (*.jsonl) of a folder, by query name; empty when the folder is absent. */
export function readProgressDir(dir: string, triggerIntervalMs?: number): Record<string, StreamingBatch[]> {
  if (!fs.existsSync(dir)) return {};
  const byQuery: Record<string, StreamingBatch[]> = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort())
    byQuery[path.basename(file, '.jsonl')] = parseProgressJsonLines(fs.readFileSync(path.join(dir, file), 'utf8'), triggerIntervalMs);
  return byQuery;
}

const mean = (values: number[]): number => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Averages of one query's batches. Batches without input (idle triggers) count for durations, not rates. */
export function summarizeStreaming(query: string, batches: readonly StreamingBatch[]): StreamingSummary {
  const withInput = batches.filter((b) => b.numInputRows > 0);
  const parts = [...new Set(batches.flatMap((b) => Object.keys(b.durationsMs)))].sort();
  const delays = batches.map((b) => b.schedulingDelayMs).filter((d): d is number => d !== undefined);
  const last = batches[batches.length - 1];
  return {
    query,
    batches: batches.length,
    inputRows: batches.reduce((sum, b) => sum + b.numInputRows, 0),
    inputRowsPerSecondAvg: mean(withInput.map((b) => b.inputRowsPerSecond)),
    processedRowsPerSecondAvg: mean(withInput.map((b) => b.processedRowsPerSecond)),
    batchDurationMsAvg: mean(batches.map((b) => b.batchDurationMs)),
    batchDurationMsP95: percentile(batches.map((b) => b.batchDurationMs), 95),
    durationsMsAvg: Object.fromEntries(parts.map((part) => [part, mean(batches.map((b) => b.durationsMs[part] ?? 0))])),
    schedulingDelayMsAvg: delays.length ? mean(delays) : undefined,
    stateRowsLast: last?.stateRows ?? 0,
    stateMemoryBytesLast: last?.stateMemoryBytes ?? 0,
  };
}
