// The outputs of a stream_lwp run: one row per game state (features, and probabilities when scored), read or followed.
import path from 'node:path';
import { readArrowFile } from '../arrow';
import { listBatchFiles, tableRows, type PlainValue } from '../streaming';

export interface LwpFolders {
  outputDir: string;
  /** One Arrow file per micro-batch: the game states that batch completed (scored when the job has a model). */
  probabilities: string;
  progress: string;
  checkpoint: string;
}

export function lwpFolders(outputDir: string): LwpFolders {
  const dir = path.resolve(outputDir);
  return { outputDir: dir, probabilities: path.join(dir, 'probabilities'), progress: path.join(dir, 'progress'), checkpoint: path.join(dir, 'checkpoint') };
}

/** What emitted a state: a minute boundary, a goal, a red card, the start of a penalty shoot-out, or one of its kicks. */
export type LwpTrigger = 'minute' | 'goal' | 'red_card' | 'shootout_start' | 'shootout_kick';

/**
 * A penalty shoot-out's score at a state. The job shows P(home side wins it) as P(home win), P(draw) = 0: the match's
 * score and features stay those at the end of play (pitchstream_jobs.lwp_inference.ShootoutTally).
 */
export interface ShootoutScore {
  homeGoals: number;
  awayGoals: number;
  homeKicks: number;
  awayKicks: number;
  /** P(the home side wins the shoot-out) from its score, each kick scored with a fixed probability. */
  pHomeWins: number;
}

/** One game state of one match as the stream emitted it. */
export interface LwpState {
  batchId: number;
  matchId: number;
  /** The producer's loop round that sent the match (the events' `round`): 0 for the first send, n for the n-th re-send. */
  replay: number;
  /** Order of the state within the match (as the training's state_index). */
  stateIndex: number;
  trigger: LwpTrigger;
  /** Match clock mm:ss (minute boundaries at :00; goals, red cards and shoot-out kicks at the event's second). */
  clock: string;
  /** The shoot-out's score from its start on; null before it. */
  shootout: ShootoutScore | null;
  period: number;
  minute: number;
  homeTeamId: number;
  awayTeamId: number;
  homeGoals: number;
  awayGoals: number;
  homeRedCards: number;
  awayRedCards: number;
  /** The event that triggered the state: the first of a new minute, the goal, or the red card. */
  eventId: string | null;
  eventIndex: number;
  eventType: string | null;
  eventTeamId: number | null;
  eventTimeMs: number;
  /** When Kafka received the triggering event (the producer's send time). */
  kafkaTimestampMs: number;
  /** When the batch's Arrow file was written: writtenMs − kafkaTimestampMs is the end-to-end latency. */
  writtenMs: number;
  /** The feature vector, by feature name (pitchstream_jobs.features). */
  features: Record<string, number>;
  /** [P(home win), P(draw), P(away win)]; null when the job ran without a model. */
  probabilities: [number, number, number] | null;
}

const KNOWN = new Set([
  'batch_id', 'match_id', 'replay', 'state_index', 'trigger', 'clock', 'home_team_id', 'away_team_id', 'event_id', 'event_index', 'event_type',
  'event_team_id', 'event_time_ms', 'kafka_timestamp_ms', 'state_emitted_ms', 'written_ms', 'p_home_win', 'p_draw', 'p_away_win',
  'home_shootout_goals', 'away_shootout_goals', 'home_shootout_kicks', 'away_shootout_kicks', 'p_home_wins_shootout',
]);

function shootoutFromRow(row: Record<string, PlainValue>): ShootoutScore | null {
  if (row.p_home_wins_shootout === undefined || row.p_home_wins_shootout === null) return null;
  return {
    homeGoals: row.home_shootout_goals as number,
    awayGoals: row.away_shootout_goals as number,
    homeKicks: row.home_shootout_kicks as number,
    awayKicks: row.away_shootout_kicks as number,
    pHomeWins: row.p_home_wins_shootout as number,
  };
}

export function lwpStateFromRow(row: Record<string, PlainValue>): LwpState {
  const features: Record<string, number> = {};
  for (const [name, value] of Object.entries(row)) if (!KNOWN.has(name)) features[name] = value as number;
  const hasModel = row.p_home_win !== undefined && row.p_home_win !== null;
  return {
    batchId: row.batch_id as number,
    matchId: row.match_id as number,
    replay: row.replay as number,
    stateIndex: row.state_index as number,
    trigger: row.trigger as LwpTrigger,
    clock: row.clock as string,
    shootout: shootoutFromRow(row),
    period: features.period!,
    minute: features.minute!,
    homeTeamId: row.home_team_id as number,
    awayTeamId: row.away_team_id as number,
    homeGoals: features.home_goals!,
    awayGoals: features.away_goals!,
    homeRedCards: features.home_red_cards!,
    awayRedCards: features.away_red_cards!,
    eventId: row.event_id as string | null,
    eventIndex: row.event_index as number,
    eventType: row.event_type as string | null,
    eventTeamId: row.event_team_id as number | null,
    eventTimeMs: row.event_time_ms as number,
    kafkaTimestampMs: row.kafka_timestamp_ms as number,
    writtenMs: row.written_ms as number,
    features,
    probabilities: hasModel ? [row.p_home_win as number, row.p_draw as number, row.p_away_win as number] : null,
  };
}

const byMatchOrder = (a: LwpState, b: LwpState) => a.matchId - b.matchId || a.replay - b.replay || a.stateIndex - b.stateIndex;

/** Every state a run emitted, by match, replay and state index (a replayed batch replaced its own file). */
export function readLwpStates(outputDir: string): LwpState[] {
  return listBatchFiles(lwpFolders(outputDir).probabilities)
    .flatMap((file) => tableRows(readArrowFile(file.path)).map(lwpStateFromRow))
    .sort(byMatchOrder);
}

export interface LwpFollower {
  /** The states of batch files that appeared since the last call. */
  poll(): LwpState[];
  /** Every state read so far, in match order. */
  all(): LwpState[];
  /** Batch files read so far. */
  batches(): number;
}

/** Follows a running job's probabilities folder, reading each new batch file once. */
export function followLwpStates(outputDir: string): LwpFollower {
  const seen = new Set<number>();
  let states: LwpState[] = [];
  return {
    poll() {
      const fresh: LwpState[] = [];
      for (const file of listBatchFiles(lwpFolders(outputDir).probabilities)) {
        if (seen.has(file.batchId)) continue;
        seen.add(file.batchId);
        fresh.push(...tableRows(readArrowFile(file.path)).map(lwpStateFromRow));
      }
      if (fresh.length > 0) states = [...states, ...fresh].sort(byMatchOrder);
      return fresh;
    },
    all: () => states,
    batches: () => seen.size,
  };
}

/** The newest state of each (match, replay). */
export function currentStates(states: readonly LwpState[]): LwpState[] {
  const latest = new Map<string, LwpState>();
  for (const state of states) {
    const key = `${state.matchId}/${state.replay}`;
    const held = latest.get(key);
    if (!held || state.stateIndex > held.stateIndex) latest.set(key, state);
  }
  return [...latest.values()].sort(byMatchOrder);
}
