// The executors studies as notebook 02 shows them: read from reports/bench-train.json (written by
// `npm run bench:train -- --study cluster|compose`), charted against ideal scaling.
import fs from 'node:fs';
import path from 'node:path';
import type { Figure } from '../charts/plotly-html';
import { mergeScalingRows, SCALING_CLUSTERS, type ScalingCluster, type ScalingRow } from './executors-study';

/** How each cluster's study was run and when (keyed by cluster). */
export interface StudyRecord {
  method: string;
  at: string;
}

export interface ExecutorsStudy {
  /** Rows of every cluster measured, local standalone first. */
  rows: ScalingRow[];
  /** The clusters that have rows, in SCALING_CLUSTERS order. */
  clusters: ScalingCluster[];
  methods: Partial<Record<ScalingCluster, StudyRecord>>;
  file: string;
}

/** The report keys the studies write. */
export interface ExecutorsStudyReport {
  executors_study?: Array<Omit<ScalingRow, 'cluster'> & { cluster?: ScalingCluster }>;
  executors_study_methods?: Partial<Record<ScalingCluster, StudyRecord>>;
  /** Reports written before the compose study held one method and time (the local standalone's). */
  executors_study_method?: string;
  executors_study_at?: string;
}

/** A report's rows and records, the layout before clusters were labelled read as the local standalone study's. */
function studyOf(report: ExecutorsStudyReport): { rows: ScalingRow[]; methods: Partial<Record<ScalingCluster, StudyRecord>> } {
  const rows = (report.executors_study ?? []).map((row) => ({ ...row, cluster: row.cluster ?? 'local standalone' }));
  const methods = { ...report.executors_study_methods };
  if (report.executors_study_method !== undefined && methods['local standalone'] === undefined)
    methods['local standalone'] = { method: report.executors_study_method, at: report.executors_study_at ?? '' };
  return { rows, methods };
}

/**
 * The report with a fresh study of one cluster: its rows replace that cluster's, the other
 * cluster's rows and every other key are kept, and the record goes under executors_study_methods.
 */
export function withExecutorsStudy<T extends ExecutorsStudyReport>(
  report: T,
  cluster: ScalingCluster,
  rows: readonly ScalingRow[],
  record: StudyRecord,
): Omit<T, keyof ExecutorsStudyReport> & { executors_study: ScalingRow[]; executors_study_methods: Partial<Record<ScalingCluster, StudyRecord>> } {
  const earlier = studyOf(report);
  const { executors_study: _rows, executors_study_methods: _methods, executors_study_method: _method, executors_study_at: _at, ...kept } = report;
  return { ...kept, executors_study: mergeScalingRows(earlier.rows, rows), executors_study_methods: { ...earlier.methods, [cluster]: record } };
}

/** The studies of a bench:train report (a path relative to root); undefined when none was measured here. */
export function readExecutorsStudy(root: string, reportFile: string = path.join('reports', 'bench-train.json')): ExecutorsStudy | undefined {
  const file = path.resolve(root, reportFile);
  if (!fs.existsSync(file)) return undefined;
  const { rows, methods } = studyOf(JSON.parse(fs.readFileSync(file, 'utf8')) as ExecutorsStudyReport);
  if (rows.length === 0) return undefined;
  const clusters = SCALING_CLUSTERS.filter((cluster) => rows.some((row) => row.cluster === cluster));
  return { rows: clusters.flatMap((cluster) => rows.filter((row) => row.cluster === cluster)), clusters, methods, file };
}

const COLOURS: Record<ScalingCluster, { bar: string; line: string }> = {
  'local standalone': { bar: '#9ecae1', line: '#d62728' },
  compose: { bar: '#a1d99b', line: '#6a3d9a' },
};

/** Job time (bars) and speed-up (line) per executor count and cluster, with the ideal speed-up for reference. */
export function executorsStudyFigure(study: ExecutorsStudy): Figure {
  const most = Math.max(...study.rows.map((row) => row.executors));
  const ideal = Array.from({ length: most }, (_, i) => i + 1);
  return {
    data: [
      ...study.clusters.flatMap((cluster) => {
        const rows = study.rows.filter((row) => row.cluster === cluster);
        const x = rows.map((row) => row.executors);
        return [
          { type: 'bar', name: `${cluster}: training job (s)`, x, y: rows.map((row) => row.seconds), marker: { color: COLOURS[cluster].bar }, yaxis: 'y' },
          { type: 'scatter', mode: 'lines+markers', name: `${cluster}: speed-up`, x, y: rows.map((row) => row.speedup), line: { color: COLOURS[cluster].line }, yaxis: 'y2' },
        ];
      }),
      { type: 'scatter', mode: 'lines', name: 'ideal speed-up', x: ideal, y: ideal, line: { color: '#999', dash: 'dot' }, yaxis: 'y2' },
    ],
    layout: {
      title: { text: `The same training with 1, 2, … executors on ${study.clusters.length > 1 ? 'each cluster' : `the ${study.clusters[0]} cluster`}` },
      barmode: 'group',
      xaxis: { title: { text: 'executors (1 core each)' }, dtick: 1 },
      yaxis: { title: { text: 'seconds' }, rangemode: 'tozero' },
      yaxis2: { title: { text: 'speed-up' }, overlaying: 'y', side: 'right', rangemode: 'tozero' },
      legend: { orientation: 'h', y: 1.12 },
    },
  };
}
