// StreamingQueryProgress JSON lines (progress/<query>.jsonl): parsed, summarized, followed as they grow.
import fs from 'node:fs';
import path from 'node:path';
import { runFolders } from './run-folders';

/** The parts of Spark's StreamingQueryProgress JSON that pitchstream reads (the file holds all of it). */
export interface RawQueryProgress {
  id: string;
  runId: string;
  name: string | null;
  timestamp: string;
  batchId: number;
  batchDuration?: number;
  numInputRows: number;
  inputRowsPerSecond?: number | string;
  processedRowsPerSecond?: number | string;
  durationMs?: Record<string, number>;
  eventTime?: Record<string, string>;
  stateOperators?: Array<{ numRowsTotal?: number; numRowsUpdated?: number; numRowsDroppedByWatermark?: number; memoryUsedBytes?: number }>;
  sources?: Array<{ description?: string; startOffset?: unknown; endOffset?: unknown; numInputRows?: number }>;
  observedMetrics?: Record<string, unknown>;
}

/** One progress event, flattened for charts and tables. */
export interface QueryProgress {
  query: string;
  runId: string;
  batchId: number;
  /** When the trigger started (epoch ms). */
  timestampMs: number;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  /** durationMs.triggerExecution: the whole batch. */
  batchDurationMs: number;
  /** The breakdown Spark reports (addBatch, getBatch, latestOffset, queryPlanning, walCommit, commitOffsets, …). */
  durationsMs: Record<string, number>;
  stateRows: number;
  stateRowsDroppedByWatermark: number;
  /** The event-time watermark (epoch ms), when the query has one and it has moved. */
  watermarkMs: number | null;
  /** Σ endOffset over the partitions of the sources: for a topic read from offset 0, the records read so far. */
  endOffsetTotal: number;
}

function numeric(value: number | string | undefined): number {
  const number = typeof value === 'string' ? Number(value) : (value ?? 0);
  return Number.isFinite(number) ? number : 0;
}

function offsetTotal(offsets: unknown): number {
  if (typeof offsets === 'string') {
    try {
      return offsetTotal(JSON.parse(offsets));
    } catch {
      return 0;
    }
  }
  if (offsets === null || typeof offsets !== 'object') return 0;
  let total = 0;
  for (const partitions of Object.values(offsets as Record<string, unknown>))
    if (partitions && typeof partitions === 'object') for (const offset of Object.values(partitions as Record<string, unknown>)) total += numeric(offset as number);
  return total;
}

export function summarizeProgress(raw: RawQueryProgress): QueryProgress {
  const watermark = raw.eventTime?.watermark;
  const watermarkMs = watermark ? Date.parse(watermark) : NaN;
  return {
    query: raw.name ?? raw.id,
    runId: raw.runId,
    batchId: raw.batchId,
    timestampMs: Date.parse(raw.timestamp),
    numInputRows: raw.numInputRows,
    inputRowsPerSecond: numeric(raw.inputRowsPerSecond),
    processedRowsPerSecond: numeric(raw.processedRowsPerSecond),
    batchDurationMs: raw.durationMs?.triggerExecution ?? raw.batchDuration ?? 0,
    durationsMs: { ...(raw.durationMs ?? {}) },
    stateRows: (raw.stateOperators ?? []).reduce((sum, op) => sum + (op.numRowsTotal ?? 0), 0),
    stateRowsDroppedByWatermark: (raw.stateOperators ?? []).reduce((sum, op) => sum + (op.numRowsDroppedByWatermark ?? 0), 0),
    // Spark reports 1970-01-01T00:00:00.000Z until the watermark first moves.
    watermarkMs: Number.isFinite(watermarkMs) && watermarkMs > 0 ? watermarkMs : null,
    endOffsetTotal: (raw.sources ?? []).reduce((sum, source) => sum + offsetTotal(source.endOffset), 0),
  };
}

/** Whole lines of a JSON-lines text; a last line without its newline is still being written and is left out. */
export function completeLines(text: string): { lines: string[]; consumedChars: number } {
  const end = text.lastIndexOf('\n');
  if (end < 0) return { lines: [], consumedChars: 0 };
  return { lines: text.slice(0, end).split('\n').filter((line) => line.trim() !== ''), consumedChars: end + 1 };
}

export function parseProgressLines(text: string): QueryProgress[] {
  return completeLines(text).lines.map((line) => summarizeProgress(JSON.parse(line) as RawQueryProgress));
}

/** Every progress event of one query of a run (stream_match_stats runs one, 'match_stats'). */
export function readQueryProgress(outputDir: string, query = 'match_stats'): QueryProgress[] {
  const file = path.join(runFolders(outputDir).progress, `${query}.jsonl`);
  return fs.existsSync(file) ? parseProgressLines(fs.readFileSync(file, 'utf8')) : [];
}

export interface ProgressFollower {
  /** The progress events appended since the last call. */
  poll(): QueryProgress[];
  /** Every event read so far. */
  all(): QueryProgress[];
}

/** Follows progress/<query>.jsonl from where the last poll stopped (by byte offset). */
export function followQueryProgress(outputDir: string, query = 'match_stats'): ProgressFollower {
  const file = path.join(runFolders(outputDir).progress, `${query}.jsonl`);
  let position = 0;
  const events: QueryProgress[] = [];
  return {
    poll() {
      if (!fs.existsSync(file)) return [];
      const size = fs.statSync(file).size;
      if (size <= position) return [];
      const handle = fs.openSync(file, 'r');
      try {
        const buffer = Buffer.alloc(size - position);
        fs.readSync(handle, buffer, 0, buffer.length, position);
        // Only whole lines: a last line without its newline is still being written.
        const end = buffer.lastIndexOf(0x0a);
        if (end < 0) return [];
        position += end + 1;
        const lines = buffer.subarray(0, end).toString('utf8').split('\n').filter((line) => line.trim() !== '');
        const fresh = lines.map((line) => summarizeProgress(JSON.parse(line) as RawQueryProgress));
        events.push(...fresh);
        return fresh;
      } finally {
        fs.closeSync(handle);
      }
    },
    all: () => events,
  };
}
