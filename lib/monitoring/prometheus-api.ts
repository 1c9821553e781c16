// Reading Prometheus from a notebook: the dashboard's own streaming panels (one definition of each
// query), asked over Prometheus' HTTP API for one application, and drawn as a chart.
import type { Figure } from '../charts/plotly-html';
import { PitchstreamError } from '../errors';
import { DASHBOARD_PANELS, type DashboardPanel } from './dashboard-panels';

export interface Series {
  labels: Record<string, string>;
  /** [time in ms since the epoch, value] */
  points: Array<[number, number]>;
}

export interface RangeOptions {
  startMs: number;
  endMs: number;
  stepS: number;
  timeoutMs?: number;
}

interface ApiAnswer {
  status: 'success' | 'error';
  error?: string;
  data?: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
}

function unreachable(url: string, cause: unknown): PitchstreamError {
  return new PitchstreamError('PROMETHEUS_UNREACHABLE', `no Prometheus answers at ${url} (${(cause as Error)?.message ?? String(cause)})`, {
    details: { url },
  });
}

/** /api/v1/query_range: every series of expr over the range. */
export async function queryRange(url: string, expr: string, options: RangeOptions): Promise<Series[]> {
  const query = new URLSearchParams({ query: expr, start: String(options.startMs / 1000), end: String(options.endMs / 1000), step: String(options.stepS) });
  let response: Response;
  try {
    response = await fetch(`${url.replace(/\/$/, '')}/api/v1/query_range?${query}`, { signal: AbortSignal.timeout(options.timeoutMs ?? 5_000) });
  } catch (error) {
    throw unreachable(url, (error as { cause?: unknown }).cause ?? error);
  }
  const answer = (await response.json().catch(() => ({ status: 'error', error: `HTTP ${response.status}, not Prometheus' JSON` }))) as ApiAnswer;
  if (answer.status !== 'success')
    throw new PitchstreamError('PROMETHEUS_QUERY_FAILED', `Prometheus at ${url} refused ${expr}: ${answer.error ?? `HTTP ${response.status}`}`, { details: { url, expr } });
  return (answer.data?.result ?? []).map((series) => ({ labels: series.metric, points: series.values.map(([time, value]) => [time * 1000, Number(value)]) }));
}

/** The dashboard panels the notebooks show live: the same queries as Grafana's. */
export const LIVE_PANEL_TITLES = ['Input rate', 'Process rate', 'Batch duration'] as const;

export interface PanelSeries {
  panel: DashboardPanel;
  /** The application's series (its streaming queries). */
  series: Series[];
}

export interface LiveStreamingFigures {
  panels: PanelSeries[];
  /** Panels without a series for the application yet, by title. */
  empty: string[];
  /** Why a panel can be empty, and where to look (shown instead of a silent blank chart). */
  emptyHint: string | undefined;
}

/** The live panels for one Spark application (its spark.app.name, e.g. stream_match_stats) over the last minutes. */
export async function liveStreamingFigures(url: string, app: string, options: { minutes?: number; stepS?: number; nowMs?: number } = {}): Promise<LiveStreamingFigures> {
  const endMs = options.nowMs ?? Date.now();
  const range = { startMs: endMs - (options.minutes ?? 10) * 60_000, endMs, stepS: options.stepS ?? 5 };
  const panels: PanelSeries[] = [];
  for (const title of LIVE_PANEL_TITLES) {
    const panel = DASHBOARD_PANELS.find((candidate) => candidate.title === title)!;
    panels.push({ panel, series: (await queryRange(url, panel.expr, range)).filter((series) => series.labels.app === app) });
  }
  const empty = panels.filter((entry) => entry.series.length === 0).map((entry) => entry.panel.title);
  return {
    panels,
    empty,
    emptyHint:
      empty.length === 0
        ? undefined
        : `no data yet for ${app} in ${empty.join(', ')}: Prometheus scrapes every few seconds once the job's driver is among its targets (${url.replace(/\/$/, '')}/targets); a job's UI port must be one its configuration lists (monitoring/prometheus/local.yml: 4040–4043).`,
  };
}

/** Rates (left axis) and batch duration (right axis) as Prometheus recorded them. */
export function liveStreamingFigure(figures: LiveStreamingFigures): Figure {
  const data = figures.panels.flatMap(({ panel, series }) =>
    series.map((one) => ({
      type: 'scatter',
      mode: 'lines',
      name: `${panel.title}${one.labels.query ? ` (${one.labels.query})` : ''}`,
      x: one.points.map(([time]) => new Date(time).toISOString()),
      y: one.points.map(([, value]) => value),
      ...(panel.unit === 'ms' ? { yaxis: 'y2', line: { dash: 'dot' } } : {}),
    })),
  );
  return {
    data,
    layout: {
      title: { text: "Prometheus' view: the dashboard's streaming panels" },
      xaxis: { title: { text: 'time (UTC)' } },
      yaxis: { title: { text: 'events/s' }, rangemode: 'tozero' },
      yaxis2: { title: { text: 'batch duration (ms)' }, overlaying: 'y', side: 'right', rangemode: 'tozero' },
      legend: { orientation: 'h' },
    },
  };
}

/** Prometheus' graph page with a panel's query, for a link next to the chart. */
export function prometheusGraphUrl(url: string, expr: string): string {
  return `${url.replace(/\/$/, '')}/graph?${new URLSearchParams({ 'g0.expr': expr, 'g0.tab': '0', 'g0.range_input': '15m' })}`;
}
