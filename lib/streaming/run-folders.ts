// The folders a stream_match_stats run writes under its output folder, and the batch files in them.
import fs from 'node:fs';
import path from 'node:path';

export interface RunFolders {
  /** The run's output folder (data/outputs/<run>). */
  outputDir: string;
  /** Per-team window rows, one Arrow file per micro-batch. */
  stats: string;
  /** One summary row per micro-batch of what the query read (records, good, malformed). */
  intake: string;
  /** Malformed records with their raw value and reason, one file per batch that had any. */
  deadLetter: string;
  /** StreamingQueryProgress JSON lines, one file per query. */
  progress: string;
  checkpoint: string;
}

export function runFolders(outputDir: string): RunFolders {
  const dir = path.resolve(outputDir);
  return {
    outputDir: dir,
    stats: path.join(dir, 'stats'),
    intake: path.join(dir, 'intake'),
    deadLetter: path.join(dir, 'dead-letter'),
    progress: path.join(dir, 'progress'),
    checkpoint: path.join(dir, 'checkpoint'),
  };
}

export interface BatchFile {
  batchId: number;
  path: string;
}

const BATCH_FILE = /^batch-(\d+)\.arrow$/;

/** The batch id in a batch file's name (batch-0000000042.arrow → 42), or undefined. */
export function batchIdOf(name: string): number | undefined {
  const match = BATCH_FILE.exec(path.basename(name));
  return match ? Number(match[1]) : undefined;
}

/** The batch files of a folder in batch order; temporary files (.batch-….tmp-…) are skipped. */
export function listBatchFiles(folder: string): BatchFile[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .map((name) => ({ batchId: batchIdOf(name), path: path.join(folder, name) }))
    .filter((file): file is BatchFile => file.batchId !== undefined)
    .sort((a, b) => a.batchId - b.batchId);
}
