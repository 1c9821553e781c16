// An independent computation of the live match statistics, in plain TypeScript over MatchEvent records.
// It implements the README's definitions from scratch and imports nothing from the job or lib/streaming.
import type { MatchEvent } from '../../lib/data';

export interface OracleRow {
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
  windowEvents: number;
}

const RADIUS_YD = 10 / 0.9144;
const WON = new Set(['Won', 'Success', 'Success In Play', 'Success Out']);

const mean = (values: number[]): number | null => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);
function variance(values: number[]): number | null {
  const m = mean(values);
  return m === null ? null : values.reduce((sum, v) => sum + (v - m) * (v - m), 0) / values.length;
}

/** Tumbling event-time windows of windowMs aligned to the epoch, per match and team (every window a team could appear in). */
export function oracleStats(events: readonly MatchEvent[], windowMs: number): OracleRow[] {
  const windows = new Map<string, MatchEvent[]>();
  for (const event of events) {
    const start = Math.floor(Date.parse(event.event_time) / windowMs) * windowMs;
    const key = `${event.match_id}/${start}`;
    windows.set(key, [...(windows.get(key) ?? []), event]);
  }
  const rows: OracleRow[] = [];
  for (const [key, inWindow] of windows) {
    const [matchId, start] = key.split('/').map(Number) as [number, number];
    const first = inWindow[0]!;
    for (const side of ['home', 'away'] as const) {
      const teamId = side === 'home' ? first.home_team_id : first.away_team_id;
      const opponentId = side === 'home' ? first.away_team_id : first.home_team_id;
      const mine = inWindow.filter((e) => e.team_id === teamId);
      const passes = mine.filter((e) => e.type === 'Pass');
      const lengths = passes.map((e) => e.pass_length).filter((v): v is number => v !== null);
      const carries = mine.filter((e) => e.type === 'Carry' && e.location !== null && e.end_location !== null);
      const shots = mine.filter((e) => e.type === 'Shot');
      const located = mine.filter((e) => e.location !== null);
      const framed = mine.filter((e) => e.freeze_frame !== null);
      const balances = framed
        .filter((e) => e.location !== null)
        .map((e) => {
          const [x, y] = e.location!;
          let balance = 0;
          for (const p of e.freeze_frame!) {
            const dx = p.location[0] - x;
            const dy = p.location[1] - y;
            if (dx * dx + dy * dy <= RADIUS_YD * RADIUS_YD) balance += p.teammate ? 1 : -1;
          }
          return balance;
        });
      const completed = passes.filter((e) => e.pass_outcome === null).length;
      const possessionEvents = inWindow.filter((e) => e.possession_team_id === teamId).length;
      rows.push({
        matchId,
        windowStartMs: start,
        windowEndMs: start + windowMs,
        teamId,
        opponentId,
        side,
        events: mine.length,
        passes: passes.length,
        passesCompleted: completed,
        passCompletionPct: passes.length === 0 ? null : (completed * 100) / passes.length,
        passLengthMinYd: lengths.length === 0 ? null : Math.min(...lengths),
        passLengthMaxYd: lengths.length === 0 ? null : Math.max(...lengths),
        passLengthMeanYd: mean(lengths),
        passLengthVarYd2: variance(lengths),
        carries: carries.length,
        carryDistanceYd: carries.reduce((sum, e) => sum + Math.hypot(e.end_location![0] - e.location![0], e.end_location![1] - e.location![1]), 0),
        progressiveCarryDistanceYd: carries.reduce((sum, e) => sum + Math.max(0, e.end_location![0] - e.location![0]), 0),
        shots: shots.length,
        xg: shots.reduce((sum, e) => sum + (e.shot_xg ?? 0), 0),
        actionXMean: mean(located.map((e) => e.location![0])),
        actionXVar: variance(located.map((e) => e.location![0])),
        actionYMean: mean(located.map((e) => e.location![1])),
        actionYVar: variance(located.map((e) => e.location![1])),
        possessionEvents,
        possessionShare: possessionEvents / inWindow.length,
        pressures: mine.filter((e) => e.type === 'Pressure').length,
        duels: mine.filter((e) => e.type === 'Duel').length,
        duelsWon: mine.filter((e) => e.type === 'Duel' && e.duel_outcome !== null && WON.has(e.duel_outcome)).length,
        frames: framed.length,
        visibleTeammatesMean: mean(framed.map((e) => e.freeze_frame!.filter((p) => p.teammate && !p.actor).length)),
        visibleOpponentsMean: mean(framed.map((e) => e.freeze_frame!.filter((p) => !p.teammate).length)),
        balance10mMean: mean(balances),
        windowEvents: inWindow.length,
      });
    }
  }
  return rows.sort((a, b) => a.matchId - b.matchId || a.windowStartMs - b.windowStartMs || (a.side === 'home' ? -1 : 1));
}

const FLOAT_FIELDS = new Set([
  'passCompletionPct',
  'passLengthMinYd',
  'passLengthMaxYd',
  'passLengthMeanYd',
  'passLengthVarYd2',
  'carryDistanceYd',
  'progressiveCarryDistanceYd',
  'xg',
  'actionXMean',
  'actionXVar',
  'actionYMean',
  'actionYVar',
  'possessionShare',
  'visibleTeammatesMean',
  'visibleOpponentsMean',
  'balance10mMean',
]);

/** Relative difference with a floor for values at zero: |a − b| ≤ 1e-9 · max(|a|, |b|, 1e-3). */
export function closeEnough(a: number, b: number, relative = 1e-9): boolean {
  return Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b), 1e-3);
}

/** Field-by-field differences between the job's rows and the oracle's (empty when none). Counts exact, floats within 1e-9 relative. */
export function compareWithOracle(actual: ReadonlyArray<Record<string, unknown>>, expected: readonly OracleRow[], relative = 1e-9): string[] {
  const problems: string[] = [];
  const key = (r: { matchId: unknown; windowStartMs: unknown; teamId: unknown }) => `${r.matchId}/${r.windowStartMs}/${r.teamId}`;
  const byKey = new Map(actual.map((row) => [key(row as never), row]));
  if (actual.length !== expected.length) problems.push(`row count: job ${actual.length}, oracle ${expected.length}`);
  for (const want of expected) {
    const got = byKey.get(key(want));
    if (!got) {
      problems.push(`missing row ${key(want)}`);
      continue;
    }
    for (const [field, value] of Object.entries(want)) {
      const have = got[field];
      const same = value === null || !FLOAT_FIELDS.has(field) ? have === value : typeof have === 'number' && closeEnough(have, value as number, relative);
      if (!same) problems.push(`${key(want)} ${field}: job ${String(have)}, oracle ${String(value)}`);
    }
  }
  return problems;
}
