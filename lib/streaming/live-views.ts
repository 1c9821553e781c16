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

/** Minutes from the first window of each match (the match's own clock on the x axis). */
function matchMinutes(rows: readonly TeamWindowStats[]): Map<number, number> {
  const first = new Map<number, number>();
  for (const row of rows) first.set(row.matchId, Math.min(first.get(row.matchId) ?? Infinity, row.windowStartMs));
  return first;
}

function teamSeries(
  rows: readonly TeamWindowStats[],
  value: (row: TeamWindowStats) => number | null,
  names: TeamNames | undefined,
  extra: Record<string, unknown> = {},
): Record<string, unknown>[] {
  const first = matchMinutes(rows);
  const byTeam = new Map<string, TeamWindowStats[]>();
  for (const row of rows) {
    const key = `${row.matchId}/${row.teamId}`;
    byTeam.set(key, [...(byTeam.get(key) ?? []), row]);
  }
  return [...byTeam.values()].map((teamRows) => {
    const sorted = [...teamRows].sort((a, b) => a.windowStartMs - b.windowStartMs);
    const head = sorted[0]!;
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: `${teamName(names, head.teamId)} (match ${head.matchId})`,
      x: sorted.map((row) => (row.windowStartMs - first.get(row.matchId)!) / 60_000),
      y: sorted.map(value),
      ...extra,
    };
  });
}

/** Passes attempted per window and team, one line per team of each match. */
export function passesTimelineFigure(rows: readonly TeamWindowStats[], names?: TeamNames): Figure {
  return {
    data: teamSeries(rows, (row) => row.passes, names),
    layout: { title: { text: 'Passes per window' }, xaxis: { title: { text: 'minutes since the first window' } }, yaxis: { title: { text: 'passes' } } },
  };
}

/** Possession share per window and team (the two sides of a match add up to 1). */
export function possessionTimelineFigure(rows: readonly TeamWindowStats[], names?: TeamNames): Figure {
  return {
    data: teamSeries(rows, (row) => row.possessionShare, names),
    layout: {
      title: { text: 'Possession share per window' },
      xaxis: { title: { text: 'minutes since the first window' } },
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
