// The Python feature module (jobs/pitchstream_jobs/features.py), run as training runs it (Spark:
// state_inputs, then game_states per match), against an independent TypeScript computation from the
// normalized events of real matches. The oracle below does not fold events one
// by one: each game state's features are aggregated afresh from the prefix of events it has seen,
// following the definitions of docs/features.md.
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installPaths, loadConfig, projectRoot, versions } from '../../../lib/config';
import { openStatsBomb, type MatchEvent } from '../../../lib/data';
import { matchesWithClockRestarts } from '../../helpers/clock-restarts';
import { SAMPLE_DIR, SAMPLE_MISSING_REASON } from '../data/statsbomb-sample';

const python = installPaths(loadConfig().home, versions()).python;
const skipReason = SAMPLE_MISSING_REASON ?? (fs.existsSync(python) ? undefined : `the project venv is not set up (${python} is missing)`);

const PERIOD_START: Record<number, number> = { 1: 0, 2: 45, 3: 90, 4: 105 };
type State = Record<string, number | string>;

/** Seconds into its own period of an event, as StatsBomb stamps it. */
const stamped = (event: MatchEvent): number => (event.minute - PERIOD_START[event.period]!) * 60 + event.second;

/**
 * Seconds into its own period at which an event counts: never before an earlier event of the period (docs/features.md,
 * "clock that runs back"), filled by holdClocks for a match's events.
 */
const heldClock = new WeakMap<MatchEvent, { elapsed: number; minute: number }>();
function holdClocks(events: readonly MatchEvent[]): void {
  const latest = new Map<number, { elapsed: number; minute: number }>();
  for (const event of events) {
    const before = latest.get(event.period);
    const clock = before && before.elapsed > stamped(event) ? before : { elapsed: stamped(event), minute: event.minute };
    latest.set(event.period, clock);
    heldClock.set(event, clock);
  }
}
const elapsed = (event: MatchEvent): number => heldClock.get(event)?.elapsed ?? stamped(event);

/** Features of the state that has seen exactly `seen` (events of periods 1–4, in order) at played second `now`. */
function oracleFeatures(match: { home: number; away: number }, seen: MatchEvent[], period: number, minute: number, now: number): State {
  const sideOf = (team: number): number | undefined => (team === match.home ? 0 : team === match.away ? 1 : undefined);
  const both = () => [0, 0];
  const goals = both(), reds = both(), shots = both(), xg = both(), recentShots = both(), recentXg = both(), finalThird = both();
  const possession = both(), frames = both(), goalSide = both();
  // Played seconds at the start of each period: the sum of earlier periods' lengths (their last event).
  const lengths = new Map<number, number>();
  for (const event of seen) lengths.set(event.period, Math.max(lengths.get(event.period) ?? 0, elapsed(event)));
  const base = (p: number): number => [...lengths].filter(([q]) => q < p).reduce((sum, [, length]) => sum + length, 0);
  seen.forEach((event, i) => {
    const next = seen[i + 1];
    if (next && next.period === event.period) {
      const owner = sideOf(event.possession_team_id);
      if (owner !== undefined && elapsed(next) > elapsed(event)) possession[owner]! += elapsed(next) - elapsed(event);
    }
    const side = sideOf(event.team_id);
    if (side === undefined) return;
    if (event.type === 'Shot') {
      shots[side]! += 1;
      xg[side]! += event.shot_xg ?? 0;
      const played = base(event.period) + elapsed(event);
      if (played > now - 600 && played <= now) {
        recentShots[side]! += 1;
        recentXg[side]! += event.shot_xg ?? 0;
      }
      if (event.shot_outcome === 'Goal') goals[side]! += 1;
    }
    if (event.type === 'Own Goal For') goals[side]! += 1;
    if ((event.type === 'Foul Committed' || event.type === 'Bad Behaviour') && (event.card === 'Red Card' || event.card === 'Second Yellow')) reds[side]! += 1;
    if (event.type === 'Pass' && event.pass_outcome === null && event.location && event.end_location && event.location[0] < 80 && event.end_location[0] >= 80)
      finalThird[side]! += 1;
    if (event.freeze_frame && event.freeze_frame.length > 0 && event.location) {
      frames[side]! += 1;
      goalSide[side]! += event.freeze_frame.filter((player) => !player.teammate && player.location[0] > event.location![0]).length;
    }
  });
  const possessionTotal = possession[0]! + possession[1]!;
  return {
    minute,
    period,
    home_goals: goals[0]!,
    away_goals: goals[1]!,
    goal_diff: goals[0]! - goals[1]!,
    goal_diff_x_time: ((goals[0]! - goals[1]!) * minute) / 90,
    projected_goal_diff: goals[0]! - goals[1]! + ((xg[0]! - xg[1]!) / Math.max(minute, 10)) * Math.max(90 - minute, 0),
    home_red_cards: reds[0]!,
    away_red_cards: reds[1]!,
    red_card_diff: reds[0]! - reds[1]!,
    home_shots: shots[0]!,
    away_shots: shots[1]!,
    shots_diff: shots[0]! - shots[1]!,
    home_xg: xg[0]!,
    away_xg: xg[1]!,
    xg_diff: xg[0]! - xg[1]!,
    home_shots_last10: recentShots[0]!,
    away_shots_last10: recentShots[1]!,
    home_xg_last10: recentXg[0]!,
    away_xg_last10: recentXg[1]!,
    xg_diff_last10: recentXg[0]! - recentXg[1]!,
    home_possession_share: possessionTotal > 0 ? possession[0]! / possessionTotal : 0.5,
    home_final_third_passes: finalThird[0]!,
    away_final_third_passes: finalThird[1]!,
    final_third_passes_diff: finalThird[0]! - finalThird[1]!,
    has_360: frames[0]! + frames[1]! > 0 ? 1 : 0,
    home_360_opponents_goal_side: frames[0] ? goalSide[0]! / frames[0]! : 0,
    away_360_opponents_goal_side: frames[1] ? goalSide[1]! / frames[1]! : 0,
  };
}

/** The game states of a match: minute states (before the events of that minute) and one after each goal or red card. */
function oracleStates(all: MatchEvent[], match: { home: number; away: number }): State[] {
  const events = all.filter((event) => event.period >= 1 && event.period <= 4);
  holdClocks(events);
  const states: State[] = [];
  let pointer: { period: number; minute: number } | undefined;
  const lengthsBefore = (prefix: MatchEvent[], period: number): number => {
    const lengths = new Map<number, number>();
    for (const event of prefix) if (event.period < period) lengths.set(event.period, Math.max(lengths.get(event.period) ?? 0, elapsed(event)));
    return [...lengths.values()].reduce((a, b) => a + b, 0);
  };
  events.forEach((event, i) => {
    if (pointer === undefined || pointer.period !== event.period) pointer = { period: event.period, minute: PERIOD_START[event.period]! };
    const before = events.slice(0, i);
    for (; pointer.minute <= event.minute; pointer.minute++) {
      const now = lengthsBefore(before, event.period) + (pointer.minute - PERIOD_START[event.period]!) * 60;
      states.push({ trigger: 'minute', ...oracleFeatures(match, before, event.period, pointer.minute, now) });
    }
    const side = event.team_id === match.home || event.team_id === match.away;
    const goal = side && ((event.type === 'Shot' && event.shot_outcome === 'Goal') || event.type === 'Own Goal For');
    const red = side && (event.type === 'Foul Committed' || event.type === 'Bad Behaviour') && (event.card === 'Red Card' || event.card === 'Second Yellow');
    const through = events.slice(0, i + 1);
    const now = lengthsBefore(through, event.period) + elapsed(event);
    if (goal) states.push({ trigger: 'goal', ...oracleFeatures(match, through, event.period, event.minute, now) });
    if (red) states.push({ trigger: 'red_card', ...oracleFeatures(match, through, event.period, event.minute, now) });
  });
  return states;
}

/**
 * The game states the training computes for these events: the contract's schema, then
 * lwp_training.game_states_frame (the feature module's state_inputs in Spark, game_states per match).
 */
async function pythonStates(events: MatchEvent[]): Promise<State[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-features-'));
  try {
    const file = path.join(dir, 'events.ndjson');
    const out = path.join(dir, 'states.json');
    fs.writeFileSync(file, events.map((event) => JSON.stringify(event)).join('\n'));
    const script = [
      'import json, os, sys',
      'os.environ["PYSPARK_PYTHON"] = sys.executable',
      'from pyspark.sql import SparkSession',
      'from pitchstream_jobs.contract import event_schema',
      'from pitchstream_jobs.lwp_training import game_states_frame',
      'spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")',
      '         .config("spark.sql.session.timeZone", "UTC").getOrCreate())',
      'states = game_states_frame(spark.read.schema(event_schema()).json(sys.argv[1])).drop("match_id").orderBy("state_index")',
      'json.dump([row.asDict() for row in states.collect()], open(sys.argv[2], "w"))',
      'spark.stop()',
    ].join('\n');
    // Asynchronous: a Spark session takes up to a minute on a busy machine, and a synchronous child
    // that long blocks the test worker, whose reports to vitest then time out.
    await execa(python, ['-c', script, file, out], {
      stdin: 'ignore',
      stdout: 'ignore',
      env: { PYTHONPATH: path.join(projectRoot(), 'jobs') },
      timeout: 110_000,
    });
    return JSON.parse(fs.readFileSync(out, 'utf8')) as State[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function expectSameStates(actual: State[], expected: State[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((state, i) => {
    const oracle = expected[i]!;
    for (const [name, value] of Object.entries(oracle)) {
      if (typeof value === 'string') expect(state[name], `state ${i} ${name}`).toBe(value);
      else expect(Math.abs((state[name] as number) - value), `state ${i} (${oracle.trigger} ${oracle.period}/${oracle.minute}) ${name}: ${state[name]} vs ${value}`).toBeLessThan(1e-9);
    }
    expect(Object.keys(state).sort()).toEqual([...Object.keys(oracle), 'state_index'].sort());
  });
}

describe.skipIf(skipReason !== undefined)('the feature module against an independent TypeScript computation', () => {
  it('gives the same features for every state of a real La Liga match (goals, cards, no 360)', async () => {
    const reader = openStatsBomb(SAMPLE_DIR);
    const match = (await reader.matchList(11, 90)).find((listed) => listed.eventsAvailable && listed.homeScore + listed.awayScore >= 3)!;
    const events = await reader.events(match.matchId);
    const expected = oracleStates(events, { home: match.homeTeamId, away: match.awayTeamId });
    expectSameStates(await pythonStates(events), expected);
    // The oracle's last state has the final score: the goal definition agrees with the match list.
    const goalsSeen = expected.filter((state) => state.trigger === 'goal').length;
    expect(goalsSeen).toBe(match.homeScore + match.awayScore);
    expect(expected.length).toBeGreaterThan(90);
  });

  it('gives the same features for a real match whose clock runs back at the end of a half (the artefact counts at the latest time)', async () => {
    const reader = openStatsBomb(SAMPLE_DIR);
    const listed = (await reader.matchList(11, 4)).filter((match) => match.eventsAvailable).map((match) => match.matchId);
    const [matchId] = await matchesWithClockRestarts(reader, listed, 1);
    expect(matchId, 'a La Liga 2018/19 match with the clock-restart artefact').toBeDefined();
    const match = await reader.match(matchId!);
    const events = await reader.events(match.matchId);
    const expected = oracleStates(events, { home: match.homeTeamId, away: match.awayTeamId });
    expectSameStates(await pythonStates(events), expected);
    // The half's time is credited once: the possession shares stay within what was played.
    const last = expected[expected.length - 1]!;
    expect(last.home_possession_share as number).toBeGreaterThan(0.2);
    expect(last.home_possession_share as number).toBeLessThan(0.8);
  });

  it('gives the same features, three-sixty ones included, for a real match with frames', async () => {
    const reader = openStatsBomb(SAMPLE_DIR);
    const match = await reader.match(3835319);
    const events = await reader.events(match.matchId);
    const expected = oracleStates(events, { home: match.homeTeamId, away: match.awayTeamId });
    expect(expected.some((state) => state.has_360 === 1 && (state.home_360_opponents_goal_side as number) > 0)).toBe(true);
    expectSameStates(await pythonStates(events), expected);
  });
});
