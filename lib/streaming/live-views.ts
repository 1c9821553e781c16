// Live views of a running stream: Plotly figures (lib/charts) and an HTML table, from the rows the readers return.
import type { Figure } from '../charts';
import { htmlTable } from '../jupyter';
import type { QueryProgress } from './query-progress';
import type { TeamWindowStats } from './team-window-stats';

export type TeamNames = ReadonlyMap<number, string> | Readonly<Record<number, string>>;

function teamName(names: TeamNames | undefined, teamId: number): string {
  const name = names instanceof Map ? names.get(teamId) : (names as Record<number, string> | undefined)?.[teamId];
  return name ?? `team ${teamId}`;
}

/** How the timelines place windows on the x axis. */
export interface TimelineOptions {
  /**
   * Event-time distance between two replays of a match (ProduceStats.roundStepMs of a producer
   * that loops its rounds). Given, each match shows only its latest replay, on that replay's own
   * match clock; otherwise every window since the match's first, one after another.
   */
  replayStepMs?: number | null;
}

// Windows start on whole minutes and replays do not, so a replay's first window may begin up to a
// minute before the replay itself; half a window of slack keeps the first windows with their replay.
const REPLAY_SLACK_MS = 30_000;

interface PlacedRow {
  row: TeamWindowStats;
  minute: number;
  replay: number;
}

/** Each row with its minute on the x axis and its replay (0 without a replay step), the latest replay of each match only. */
function placeRows(rows: readonly TeamWindowStats[], options: TimelineOptions): PlacedRow[] {
  const first = new Map<number, number>();
  for (const row of rows) first.set(row.matchId, Math.min(first.get(row.matchId) ?? Infinity, row.windowStartMs));
  const step = options.replayStepMs ?? 0;
  const placed = rows.map((row) => {
    const sinceFirst = row.windowStartMs - first.get(row.matchId)!;
    const replay = step > 0 ? Math.max(0, Math.floor((sinceFirst + REPLAY_SLACK_MS) / step)) : 0;
    return { row, replay, minute: Math.max(0, sinceFirst - replay * step) / 60_000 };
  });
  const latest = new Map<number, number>();
  for (const { row, replay } of placed) latest.set(row.matchId, Math.max(latest.get(row.matchId) ?? 0, replay));
  return placed.filter(({ row, replay }) => replay === latest.get(row.matchId));
}

function teamSeries(
  rows: readonly TeamWindowStats[],
  value: (row: TeamWindowStats) => number | null,
  names: TeamNames | undefined,
  options: TimelineOptions,
): Record<string, unknown>[] {
  const byTeam = new Map<string, PlacedRow[]>();
  for (const placed of placeRows(rows, options)) {
    const key = `${placed.row.matchId}/${placed.row.teamId}`;
    byTeam.set(key, [...(byTeam.get(key) ?? []), placed]);
  }
  return [...byTeam.values()].map((teamRows) => {
    const sorted = [...teamRows].sort((a, b) => a.minute - b.minute);
    const head = sorted[0]!;
    const replay = options.replayStepMs ? `, replay ${head.replay + 1}` : '';
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: `${teamName(names, head.row.teamId)} (match ${head.row.matchId}${replay})`,
      x: sorted.map((placed) => placed.minute),
      y: sorted.map((placed) => value(placed.row)),
    };
  });
}

function minuteAxis(options: TimelineOptions): Record<string, unknown> {
  return { title: { text: options.replayStepMs ? 'match minute (latest replay of each match)' : 'minutes since the first window' } };
}

/** Passes attempted per window and team, one line per team of each match. */
export function passesTimelineFigure(rows: readonly TeamWindowStats[], names?: TeamNames, options: TimelineOptions = {}): Figure {
  return {
    data: teamSeries(rows, (row) => row.passes, names, options),
    layout: { title: { text: 'Passes per window' }, xaxis: minuteAxis(options), yaxis: { title: { text: 'passes' } } },
  };
}

/** Possession share per window and team (the two sides of a match add up to 1). */
export function possessionTimelineFigure(rows: readonly TeamWindowStats[], names?: TeamNames, options: TimelineOptions = {}): Figure {
  return {
    data: teamSeries(rows, (row) => row.possessionShare, names, options),
    layout: {
      title: { text: 'Possession share per window' },
      xaxis: minuteAxis(options),
      yaxis: { title: { text: 'share of the window\'s events' }, range: [0, 1] },
    },
  };
}

/** Input rate and process rate (events/s) and batch duration (ms, right axis) per micro-batch. */
export function throughputFigure(progress: readonly QueryProgress[]): Figure {
  const x = progress.map((p) => new Date(p.timestampMs).toISOString());
  return {
    data: [
      { type: 'scatter', mode: 'lines+markers', name: 'input rate (events/s)', x, y: progress.map((p) => p.inputRowsPerSecond) },
      { type: 'scatter', mode: 'lines+markers', name: 'process rate (events/s)', x, y: progress.map((p) => p.processedRowsPerSecond) },
      { type: 'bar', name: 'batch duration (ms)', x, y: progress.map((p) => p.batchDurationMs), yaxis: 'y2', opacity: 0.35 },
    ],
    layout: {
      title: { text: 'Streaming progress' },
      xaxis: { title: { text: 'batch start' } },
      yaxis: { title: { text: 'events/s' }, rangemode: 'tozero' },
      yaxis2: { title: { text: 'batch duration (ms)' }, overlaying: 'y', side: 'right', rangemode: 'tozero' },
      legend: { orientation: 'h' },
    },
  };
}

const round = (value: number | null, digits = 2): number | null => (value === null ? null : Number(value.toFixed(digits)));

/** The newest window of each match, one row per team, as an HTML table. */
export function latestWindowTableHtml(rows: readonly TeamWindowStats[], names?: TeamNames): string {
  const newest = new Map<number, number>();
  for (const row of rows) newest.set(row.matchId, Math.max(newest.get(row.matchId) ?? -Infinity, row.windowStartMs));
  const table = rows
    .filter((row) => row.windowStartMs === newest.get(row.matchId))
    .map((row) => ({
      match: row.matchId,
      window: `${new Date(row.windowStartMs).toISOString().slice(11, 16)}–${new Date(row.windowEndMs).toISOString().slice(11, 16)} UTC`,
      team: teamName(names, row.teamId),
      events: row.events,
      passes: row.passes,
      'completion %': round(row.passCompletionPct, 1),
      'pass length mean (yd)': round(row.passLengthMeanYd),
      'carry dist (yd)': round(row.carryDistanceYd, 1),
      shots: row.shots,
      xG: round(row.xg, 3),
      possession: round(row.possessionShare, 3),
      pressures: row.pressures,
      duels: row.duels,
      'visible mates': round(row.visibleTeammatesMean),
      'balance 10 m': round(row.balance10mMean),
      batch: row.batchId,
    }));
  return table.length === 0 ? '<p><em>No window yet.</em></p>' : htmlTable(table);
}
