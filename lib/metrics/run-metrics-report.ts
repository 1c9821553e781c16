// Run metrics for people: a summary table (metric, value) and HTML for notebooks. Pure.
import { escapeHtml, htmlTable } from '../jupyter/html-table';
import type { RunMetrics } from './collect-run-metrics';

export interface MetricRow {
  metric: string;
  value: string;
}

function size(bytes: number | undefined): string {
  if (bytes === undefined) return 'n/a';
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

const ms = (value: number | undefined): string => (value === undefined ? 'n/a' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);
const rate = (value: number): string => `${value.toFixed(1)} rows/s`;

/** One row per figure: what the original compared between GPU and CPU runs (seed 002), and more. */
export function runMetricsSummary(metrics: RunMetrics): MetricRow[] {
  const t = metrics.totals;
  const rows: MetricRow[] = [
    { metric: 'job', value: `${metrics.job} (${metrics.appId}, ${metrics.mode} mode)` },
    { metric: 'observed', value: `${ms(metrics.lastPollMs - metrics.firstPollMs)} over ${metrics.polls.ok} polls (${metrics.polls.failed} failed)` },
    { metric: 'Spark jobs', value: `${t.jobs} (${t.jobsFailed} failed), Σ duration ${ms(t.jobDurationMs)}` },
    { metric: 'stages', value: String(t.stages) },
    { metric: 'task time', value: ms(t.taskTimeMs) },
    { metric: 'GC time', value: `${ms(t.gcTimeMs)}${t.taskTimeMs ? ` (${((100 * t.gcTimeMs) / t.taskTimeMs).toFixed(1)}% of task time)` : ''}` },
    { metric: 'input', value: size(t.inputBytes) },
    { metric: 'shuffle read / write', value: `${size(t.shuffleReadBytes)} / ${size(t.shuffleWriteBytes)}` },
    { metric: 'spill memory / disk', value: `${size(t.memorySpilledBytes)} / ${size(t.diskSpilledBytes)}` },
    { metric: 'executors', value: `${t.executors} (${t.failedTasks} failed tasks)` },
    { metric: 'executor peak JVM heap', value: size(t.peakJvmHeapBytes) },
    { metric: 'storage memory used', value: size(t.memoryUsedBytes) },
  ];
  for (const s of metrics.streaming?.summaries ?? []) {
    const parts = Object.entries(s.durationsMsAvg)
      .filter(([part]) => part !== 'triggerExecution')
      .map(([part, value]) => `${part} ${ms(value)}`)
      .join(', ');
    rows.push(
      { metric: `${s.query}: batches`, value: `${s.batches} (${s.inputRows} input rows)` },
      { metric: `${s.query}: input / process rate`, value: `${rate(s.inputRowsPerSecondAvg)} / ${rate(s.processedRowsPerSecondAvg)}` },
      { metric: `${s.query}: batch duration`, value: `avg ${ms(s.batchDurationMsAvg)}, p95 ${ms(s.batchDurationMsP95)}${parts ? ` (${parts})` : ''}` },
      { metric: `${s.query}: scheduling delay`, value: s.schedulingDelayMsAvg === undefined ? 'n/a (no trigger interval given)' : `avg ${ms(s.schedulingDelayMsAvg)}` },
      { metric: `${s.query}: state`, value: `${s.stateRowsLast} rows, ${size(s.stateMemoryBytesLast)}` },
    );
  }
  if (metrics.prometheus)
    rows.push({
      metric: 'Prometheus',
      value: `driver ${metrics.prometheus.driver.ok ? `${metrics.prometheus.driver.samples} samples` : 'no answer'}, executors ${metrics.prometheus.executors.ok ? `${metrics.prometheus.executors.samples} samples` : 'no answer'}`,
    });
  if (metrics.gpuPlacement) {
    const fallbacks = metrics.gpuPlacement.filter((row) => row.onCpu > 0);
    rows.push({ metric: 'GPU fallbacks', value: fallbacks.length ? fallbacks.map((row) => row.operator).join(', ') : 'none reported' });
  }
  return rows;
}

/** The summary, then the GPU placement table when there is one: HTML for tslab.display.html. */
export function runMetricsHtml(metrics: RunMetrics): string {
  const parts = [`<h4>Run metrics: ${escapeHtml(metrics.job)}</h4>`, htmlTable(runMetricsSummary(metrics) as unknown as Record<string, unknown>[])];
  if (metrics.gpuPlacement?.length)
    parts.push(
      '<h4>RAPIDS: operators on the GPU and fallbacks</h4>',
      htmlTable(metrics.gpuPlacement.map((row) => ({ operator: row.operator, kind: row.kind, 'on GPU': row.onGpu, 'on CPU': row.onCpu, removed: row.removed, reasons: row.reasons.join('; ') }))),
    );
  return parts.join('\n');
}
