// The executors study as notebook 02 shows it: read from reports/bench-train.json (written by
// `npm run bench:train -- --study cluster`), charted against ideal scaling.
import fs from 'node:fs';
import path from 'node:path';
import type { Figure } from '../charts/plotly-html';
import type { ScalingRow } from './executors-study';

export interface ExecutorsStudy {
  rows: ScalingRow[];
  method: string;
  measuredAt: string | undefined;
  file: string;
}

/** The study of a bench:train report (a path relative to root); undefined when none was measured here. */
export function readExecutorsStudy(root: string, reportFile: string = path.join('reports', 'bench-train.json')): ExecutorsStudy | undefined {
  const file = path.resolve(root, reportFile);
  if (!fs.existsSync(file)) return undefined;
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { executors_study?: ScalingRow[]; executors_study_method?: string; executors_study_at?: string };
  if (!Array.isArray(report.executors_study) || report.executors_study.length === 0) return undefined;
  return { rows: report.executors_study, method: report.executors_study_method ?? '', measuredAt: report.executors_study_at, file };
}

/** Job time (bars) and speed-up (line) per executor count, with the ideal speed-up for reference. */
export function executorsStudyFigure(study: ExecutorsStudy): Figure {
  const x = study.rows.map((row) => row.executors);
  return {
    data: [
      { type: 'bar', name: 'training job (s)', x, y: study.rows.map((row) => row.seconds), marker: { color: '#9ecae1' }, yaxis: 'y' },
      { type: 'scatter', mode: 'lines+markers', name: 'speed-up', x, y: study.rows.map((row) => row.speedup), line: { color: '#d62728' }, yaxis: 'y2' },
      { type: 'scatter', mode: 'lines', name: 'ideal speed-up', x, y: x, line: { color: '#999', dash: 'dot' }, yaxis: 'y2' },
    ],
    layout: {
      title: { text: 'The same training with 1, 2, … executors on the standalone cluster' },
      xaxis: { title: { text: 'executors (1 core each)' }, dtick: 1 },
      yaxis: { title: { text: 'seconds' }, rangemode: 'tozero' },
      yaxis2: { title: { text: 'speed-up' }, overlaying: 'y', side: 'right', rangemode: 'tozero' },
      legend: { orientation: 'h', y: 1.1 },
    },
  };
}
