// The per-team window rows of stream_match_stats and the rule for reading them: latest batch wins.
import fs from 'node:fs';
import { readArrowFile } from '../arrow';
import { PitchstreamError } from '../errors';
import { tableRows } from './arrow-rows';
import { listBatchFiles, runFolders } from './run-folders';

/** One team in one event-time window of one match, as written by a micro-batch (see README, "Live match statistics"). */
export interface TeamWindowStats {
  batchId: number;
  matchId: number;
  windowStartMs: number;
  windowEndMs: number;
  teamId: number;
  opponentId: number;
  side: 'home' | 'away';
  events: number;
  passes: number;
  passesCompleted: number;
  passCompletionPct: number | null;
  passLengthMinYd: number | null;
  passLengthMaxYd: number | null;
  passLengthMeanYd: number | null;
  passLengthVarYd2: number | null;
  carries: number;
  carryDistanceYd: number;
  progressiveCarryDistanceYd: number;
  shots: number;
  xg: number;
  actionXMean: number | null;
  actionXVar: number | null;
  actionYMean: number | null;
  actionYVar: number | null;
  possessionEvents: number;
  possessionShare: number;
  pressures: number;
  duels: number;
  duelsWon: number;
  frames: number;
  visibleTeammatesMean: number | null;
  visibleOpponentsMean: number | null;
  balance10mMean: number | null;
  /** Events of both teams in the window. */
  windowEvents: number;
  /** Newest Kafka timestamp among the window's events so far. */
  lastKafkaTimestampMs: number | null;
}

/** snake_case column of the Arrow file → field of TeamWindowStats. */
export const STATS_COLUMNS: Readonly<Record<keyof TeamWindowStats, string>> = {
  batchId: 'batch_id',
  matchId: 'match_id',
  windowStartMs: 'window_start_ms',
  windowEndMs: 'window_end_ms',
  teamId: 'team_id',
  opponentId: 'opponent_id',
  side: 'side',
  events: 'events',
  passes: 'passes',
  passesCompleted: 'passes_completed',
  passCompletionPct: 'pass_completion_pct',
  passLengthMinYd: 'pass_length_min_yd',
  passLengthMaxYd: 'pass_length_max_yd',
  passLengthMeanYd: 'pass_length_mean_yd',
  passLengthVarYd2: 'pass_length_var_yd2',
  carries: 'carries',
  carryDistanceYd: 'carry_distance_yd',
  progressiveCarryDistanceYd: 'progressive_carry_distance_yd',
  shots: 'shots',
  xg: 'xg',
  actionXMean: 'action_x_mean',
  actionXVar: 'action_x_var',
  actionYMean: 'action_y_mean',
  actionYVar: 'action_y_var',
  possessionEvents: 'possession_events',
  possessionShare: 'possession_share',
  pressures: 'pressures',
  duels: 'duels',
  duelsWon: 'duels_won',
  frames: 'frames',
  visibleTeammatesMean: 'visible_teammates_mean',
  visibleOpponentsMean: 'visible_opponents_mean',
  balance10mMean: 'balance_10m_mean',
  windowEvents: 'window_events',
  lastKafkaTimestampMs: 'last_kafka_timestamp_ms',
};

/** Reads one stats batch file into rows. */
export function readStatsBatch(file: string): TeamWindowStats[] {
  const rows = tableRows(readArrowFile(file));
  return rows.map((row) => {
    const stats: Record<string, unknown> = {};
    for (const [field, column] of Object.entries(STATS_COLUMNS)) {
      if (!(column in row))
        throw new PitchstreamError('OUTPUT_INVALID', `${file} has no column "${column}" (columns: ${Object.keys(row).join(', ')})`, {
          details: { file },
        });
      stats[field] = row[column];
    }
    return stats as unknown as TeamWindowStats;
  });
}

/** The key of a (match, window, team): with update output mode, one key may come in several batches. */
export function statsKey(row: Pick<TeamWindowStats, 'matchId' | 'windowStartMs' | 'windowEndMs' | 'teamId'>): string {
  return `${row.matchId}/${row.windowStartMs}/${row.windowEndMs}/${row.teamId}`;
}

/**
 * The latest version of each (match, window, team): the row of the highest batch id. The job
 * writes in update mode, so a window's row is rewritten by every batch that adds events to it.
 * Sorted by match, window start, side (home first).
 */
export function latestStats(rows: Iterable<TeamWindowStats>): TeamWindowStats[] {
  const latest = new Map<string, TeamWindowStats>();
  for (const row of rows) {
    const key = statsKey(row);
    const seen = latest.get(key);
    if (!seen || row.batchId >= seen.batchId) latest.set(key, row);
  }
  return [...latest.values()].sort(
    (a, b) => a.matchId - b.matchId || a.windowStartMs - b.windowStartMs || a.windowEndMs - b.windowEndMs || (a.side === 'home' ? -1 : 1) - (b.side === 'home' ? -1 : 1),
  );
}

/** Every batch file of a run, merged: the latest row of each (match, window, team). */
export function readMatchStats(outputDir: string): TeamWindowStats[] {
  return latestStats(listBatchFiles(runFolders(outputDir).stats).flatMap((file) => readStatsBatch(file.path)));
}

export interface StatsFollower {
  /** Reads the batch files written since the last call; returns the rows they brought. */
  poll(): TeamWindowStats[];
  /** The latest row of each (match, window, team) seen so far. */
  latest(): TeamWindowStats[];
  /** Batch ids read so far, and each file's modification time (when it reached the disk). */
  batches(): ReadonlyMap<number, number>;
}

/**
 * Follows a running job's stats folder: each poll reads only new batch files (and a file whose
 * modification time changed: a batch replayed after a restart replaces its own file).
 */
export function followMatchStats(outputDir: string): StatsFollower {
  const folder = runFolders(outputDir).stats;
  const seen = new Map<number, number>();
  const latest = new Map<string, TeamWindowStats>();
  return {
    poll() {
      const fresh: TeamWindowStats[] = [];
      for (const file of listBatchFiles(folder)) {
        let mtimeMs: number;
        try {
          mtimeMs = fs.statSync(file.path).mtimeMs;
        } catch {
          continue;
        }
        if (seen.get(file.batchId) === mtimeMs) continue;
        const rows = readStatsBatch(file.path);
        seen.set(file.batchId, mtimeMs);
        for (const row of rows) {
          const key = statsKey(row);
          const current = latest.get(key);
          if (!current || row.batchId >= current.batchId) latest.set(key, row);
        }
        fresh.push(...rows);
      }
      return fresh;
    },
    latest: () => latestStats(latest.values()),
    batches: () => seen,
  };
}
