// The intake side of a run: per-batch record counts and the dead-letter records with their reasons.
import { readArrowFile } from '../arrow';
import { tableRows } from './arrow-rows';
import { listBatchFiles, runFolders } from './run-folders';

export interface DeadLetter {
  batchId: number;
  partition: number;
  offset: number;
  kafkaTimestampMs: number;
  /** The record's value as text, exactly as it came. */
  raw: string | null;
  /** Why it was rejected: "not JSON", "wrong type: match_id", "missing required: team_id", … */
  reason: string;
}

export interface IntakeBatch {
  batchId: number;
  processedAtMs: number;
  records: number;
  good: number;
  malformed: number;
  kafkaTimestampMinMs: number | null;
  kafkaTimestampMaxMs: number | null;
}

/** Every dead letter of a run, by partition and offset (a replayed batch's file replaced its own). */
export function readDeadLetters(outputDir: string): DeadLetter[] {
  return listBatchFiles(runFolders(outputDir).deadLetter)
    .flatMap((file) => tableRows(readArrowFile(file.path)))
    .map((row) => ({
      batchId: row.batch_id as number,
      partition: row.partition as number,
      offset: row.offset as number,
      kafkaTimestampMs: row.kafka_timestamp_ms as number,
      raw: row.raw as string | null,
      reason: row.reason as string,
    }))
    .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** The intake summary of every batch, in batch order. */
export function readIntake(outputDir: string): IntakeBatch[] {
  return listBatchFiles(runFolders(outputDir).intake)
    .flatMap((file) => tableRows(readArrowFile(file.path)))
    .map((row) => ({
      batchId: row.batch_id as number,
      processedAtMs: row.processed_at_ms as number,
      records: row.records as number,
      good: row.good as number,
      malformed: row.malformed as number,
      kafkaTimestampMinMs: row.kafka_timestamp_min_ms as number | null,
      kafkaTimestampMaxMs: row.kafka_timestamp_max_ms as number | null,
    }));
}

/** Records, good and malformed over a run's intake. */
export function intakeTotals(batches: readonly IntakeBatch[]): { records: number; good: number; malformed: number } {
  return batches.reduce((sum, b) => ({ records: sum.records + b.records, good: sum.good + b.good, malformed: sum.malformed + b.malformed }), {
    records: 0,
    good: 0,
    malformed: 0,
  });
}
