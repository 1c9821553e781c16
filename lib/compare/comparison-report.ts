// The comparison as tables and a chart: rows from measured results (ratios against the baseline,
// speed-up against cpu), compare.md in the original's layout, and a plotly chart. Pure functions.
import { figureHtml, plotlyLibraryHtml } from '../charts';
import type { ComparisonReport, ComparisonRow, FigureKey, SettingResult } from './comparison-types';

export const FIGURES: ComparisonReport['figures'] = {
  input_rate_eps: { title: 'Input Rate', unit: 'events/s', better: 'higher' },
  process_rate_eps: { title: 'Process Rate', unit: 'events/s', better: 'higher' },
  batch_duration_ms: { title: 'Batch Duration p50', unit: 'ms', better: 'lower' },
  job_time_s: { title: 'Job Time', unit: 's', better: 'lower' },
  shuffle_read_mb: { title: 'Shuffle Read', unit: 'MB', better: 'lower' },
  gc_time_s: { title: 'GC Time', unit: 's', better: 'lower' },
  training_time_s: { title: 'Training Time', unit: 's', better: 'lower' },
};

const FIGURE_KEYS = Object.keys(FIGURES) as FigureKey[];
const MB = 1_000_000;

function figuresOf(result: SettingResult): Record<FigureKey, number | null> {
  if (!result.available) return Object.fromEntries(FIGURE_KEYS.map((key) => [key, null])) as Record<FigureKey, number | null>;
  const { stream, training } = result;
  return {
    input_rate_eps: stream.inputRateEventsPerS,
    process_rate_eps: stream.processRateEventsPerS,
    batch_duration_ms: stream.batchDurationP50Ms,
    job_time_s: stream.jobTimeS,
    shuffle_read_mb: stream.shuffleReadBytes / MB,
    gc_time_s: stream.gcTimeS,
    training_time_s: training?.trainingS ?? null,
  };
}

const ratio = (value: number | null, reference: number | null): number | null =>
  value === null || reference === null || reference === 0 ? null : value / reference;

/** The report's rows: each setting's figures, their ratio to the baseline, and the speed-up over cpu. */
export function comparisonRows(results: readonly SettingResult[]): ComparisonRow[] {
  const figures = new Map(results.map((result) => [result.setting.id, figuresOf(result)]));
  const baseline = figures.get('baseline');
  const cpu = figures.get('cpu');
  return results.map((result) => {
    const own = figures.get(result.setting.id)!;
    const isCpu = result.setting.id === 'cpu';
    return {
      id: result.setting.id,
      label: result.setting.label,
      mode: result.setting.mode,
      description: result.setting.description,
      conf: result.setting.conf,
      trigger: result.setting.triggerMs === 0 ? 'default (next batch as soon as one ends)' : `every ${result.setting.triggerMs} ms`,
      available: result.available,
      ...(result.available ? {} : { reason: result.reason }),
      figures: own,
      ratio_vs_baseline: Object.fromEntries(FIGURE_KEYS.map((key) => [key, ratio(own[key], baseline?.[key] ?? null)])) as Record<FigureKey, number | null>,
      speedup_vs_cpu: {
        stream: isCpu ? null : ratio(own.process_rate_eps, cpu?.process_rate_eps ?? null),
        training: isCpu ? null : ratio(cpu?.training_time_s ?? null, own.training_time_s),
      },
      stream: result.available ? result.stream : null,
      training: result.available ? result.training : null,
      ...(result.available && result.gpuPlacement ? { gpu_placement: result.gpuPlacement } : {}),
    };
  });
}

function formatNumber(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

const times = (value: number | null): string => (value === null ? '–' : `×${value.toFixed(2)}`);

function cell(row: ComparisonRow, key: FigureKey): string {
  const value = row.figures[key];
  if (value === null) return row.available ? 'not measured' : '–';
  return row.id === 'baseline' ? formatNumber(value) : `${formatNumber(value)} (${times(row.ratio_vs_baseline[key])})`;
}

/** reports/compare.md: the original's table per setting, the speed-up column, then how it was measured. */
export function compareMarkdown(report: ComparisonReport): string {
  const header = ['Setting', ...FIGURE_KEYS.map((key) => `${FIGURES[key].title} (${FIGURES[key].unit})`), 'Speed-up vs CPU (stream / training)'];
  const lines = [
    '# CPU / GPU comparison',
    '',
    `Measured ${report.created_at} on this machine: ${report.machine.cores} cores, ${report.machine.memory_gib} GiB, ${report.machine.cpu} (${report.machine.platform}), ` +
      `load average ${report.machine.load_average.start} at the start and ${report.machine.load_average.end} at the end; ` +
      `Spark ${report.versions.spark}, Kafka ${report.versions.kafka}, RAPIDS ${report.versions.rapids}.`,
    '',
    `Stream: ${report.input.description} — ${report.input.events.toLocaleString('en-US')} events of ${report.input.matches} matches, ` +
      `${report.input.topic_partitions} partitions, read from the earliest offset by every setting, at most ${report.input.max_events_per_batch.toLocaleString('en-US')} events per batch.`,
    `Training: ${report.training_data.description} (${report.training_data.events.toLocaleString('en-US')} events).`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
  ];
  for (const row of report.rows) {
    if (!row.available) {
      lines.push(`| ${row.label} | ${row.reason} |${FIGURE_KEYS.slice(1).map(() => ' – |').join('')} – |`);
      continue;
    }
    const speedup = row.id === 'cpu' ? '1 (reference)' : `${times(row.speedup_vs_cpu.stream)} / ${times(row.speedup_vs_cpu.training)}`;
    lines.push(`| ${row.label} | ${FIGURE_KEYS.map((key) => cell(row, key)).join(' | ')} | ${speedup} |`);
  }
  lines.push(
    '',
    'In brackets: the figure as a ratio to the baseline row (for rates higher is better, for times and bytes lower is better). ' +
      'Speed-up vs CPU: process rate ÷ the cpu row\'s, and the cpu row\'s training time ÷ this row\'s (> 1 is faster).',
    '',
    '## Settings',
    '',
    ...report.rows.map(
      (row) =>
        `- **${row.label}** — ${row.description} Trigger: ${row.trigger}.` +
        (Object.keys(row.conf).length ? ` Spark settings over the profile: ${Object.entries(row.conf).map(([k, v]) => `\`${k}=${v}\``).join(', ')}.` : ''),
    ),
    '',
    '## Method',
    '',
    report.method,
    '',
  );
  const placement = report.rows.find((row) => row.gpu_placement?.length);
  if (placement) {
    lines.push('## Operators on the GPU', '', '| Operator | On GPU | On CPU (fell back) | Reasons |', '|---|---|---|---|');
    for (const op of placement.gpu_placement!) lines.push(`| ${op.operator} | ${op.onGpu} | ${op.onCpu} | ${op.reasons.join('; ')} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** A bar chart per figure (process rate, batch duration, training time, GC), a bar per measured setting. */
export function compareChartHtml(report: ComparisonReport): string {
  const measured = report.rows.filter((row) => row.available);
  const missing = report.rows.filter((row) => !row.available);
  const keys: FigureKey[] = ['process_rate_eps', 'batch_duration_ms', 'training_time_s', 'gc_time_s'];
  const data = keys.map((key, i) => ({
    type: 'bar',
    name: `${FIGURES[key].title} (${FIGURES[key].unit})`,
    x: measured.map((row) => row.label),
    y: measured.map((row) => row.figures[key]),
    xaxis: `x${i + 1}`,
    yaxis: `y${i + 1}`,
    text: measured.map((row) => (row.figures[key] === null ? 'not measured' : formatNumber(row.figures[key]!))),
    textposition: 'auto',
  }));
  const layout = {
    title: { text: `The same stream and training per setting (stream: ${report.input.source === 'synthetic' ? 'SYNTHETIC events' : 'StatsBomb events'})` },
    grid: { rows: 2, columns: 2, pattern: 'independent' },
    showlegend: true,
    annotations: missing.map((row, i) => ({
      text: `${row.label}: ${row.reason}`,
      xref: 'paper',
      yref: 'paper',
      x: 0,
      y: 1.12 + i * 0.05,
      showarrow: false,
      font: { size: 11, color: '#a00' },
    })),
  };
  return figureHtml({ data, layout }, { source: 'pitchstream', heightPx: 640, id: 'pitchstream-compare' });
}

/** reports/compare.html: a standalone page with the chart and the table, openable offline. */
export function comparePageHtml(report: ComparisonReport, markdownTable: string): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html><html><head><meta charset="utf-8"><title>pitchstream — CPU / GPU comparison</title></head>
<body style="font-family: sans-serif; max-width: 1200px; margin: 1em auto">
${plotlyLibraryHtml()}
${compareChartHtml(report)}
<pre style="white-space: pre-wrap">${escape(markdownTable)}</pre>
</body></html>
`;
}
