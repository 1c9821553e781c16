// Pure parts of lib/compare: rows with ratios and speed-ups, the markdown table, the chart page.
import { describe, expect, it } from 'vitest';
import {
  COMPARED_SETTINGS,
  compareMarkdown,
  comparePageHtml,
  comparisonRows,
  FIGURES,
  streamFigures,
  type ComparisonReport,
  type SettingResult,
  type StreamFigures,
  type TrainingFigures,
} from '../../../lib/compare';
import type { RunMetrics, StreamingBatch } from '../../../lib/metrics';

const setting = (id: string) => COMPARED_SETTINGS.find((s) => s.id === id)!;

function stream(processRate: number, batchP50: number, overrides: Partial<StreamFigures> = {}): StreamFigures {
  return {
    events: 8_000,
    batches: 2,
    inputRateEventsPerS: processRate * 1.1,
    processRateEventsPerS: processRate,
    batchDurationP50Ms: batchP50,
    batchDurationP95Ms: batchP50 * 1.5,
    jobTimeS: 8_000 / processRate,
    drainS: 8_000 / processRate + 1,
    shuffleReadBytes: 5_000_000,
    shuffleWriteBytes: 5_000_000,
    gcTimeS: 1,
    taskTimeS: 10,
    memorySpilledBytes: 0,
    diskSpilledBytes: 0,
    metricsDir: '/tmp/m',
    ...overrides,
  };
}

const training = (seconds: number): TrainingFigures => ({ trainingS: seconds, loadS: 1, featuresS: 2, fitS: seconds - 4, evaluateS: 1, jobWallS: seconds + 10, gcTimeS: 0.5, rps: 0.15 });

const results: SettingResult[] = [
  { setting: setting('baseline'), available: true, stream: stream(500, 4_000, { gcTimeS: 2 }), training: training(40) },
  { setting: setting('cpu'), available: true, stream: stream(1_000, 2_000), training: training(20) },
  { setting: setting('gpu'), available: false, reason: 'not available on this machine: PITCHSTREAM_MODE=gpu, but nvidia-smi is not on PATH: no NVIDIA driver here' },
];

function report(): ComparisonReport {
  return {
    created_at: '2026-11-22T00:00:00.000Z',
    machine: { cores: 2, memory_gib: 24, cpu: 'test cpu', platform: 'linux x64', load_average: { start: 0.5, end: 1.5 } },
    versions: { spark: '4.0.0', rapids: '26.08.1', kafka: '4.1.1' },
    method: 'test method',
    input: { source: 'synthetic', description: 'SYNTHETIC: 2 matches', matches: 2, events: 8_000, topic_partitions: 4, max_events_per_batch: 4_096 },
    training_data: { description: 'SYNTHETIC: 40 matches', matches: 40, events: 100_000, synthetic: true },
    figures: FIGURES,
    rows: comparisonRows(results),
  };
}

describe('comparisonRows', () => {
  const rows = comparisonRows(results);

  it('puts every figure of a measured setting as a ratio against the baseline', () => {
    const cpu = rows.find((r) => r.id === 'cpu')!;
    expect(cpu.figures.process_rate_eps).toBe(1_000);
    expect(cpu.ratio_vs_baseline.process_rate_eps).toBeCloseTo(2, 12);
    expect(cpu.ratio_vs_baseline.batch_duration_ms).toBeCloseTo(0.5, 12);
    expect(cpu.ratio_vs_baseline.gc_time_s).toBeCloseTo(0.5, 12);
    expect(cpu.ratio_vs_baseline.training_time_s).toBeCloseTo(0.5, 12);
    expect(cpu.figures.shuffle_read_mb).toBeCloseTo(5, 12);
    expect(rows.find((r) => r.id === 'baseline')!.ratio_vs_baseline.job_time_s).toBe(1);
  });

  it('gives the speed-up over cpu so that > 1 means faster, for rates and for times', () => {
    const baseline = rows.find((r) => r.id === 'baseline')!;
    expect(baseline.speedup_vs_cpu.stream).toBeCloseTo(0.5, 12);
    expect(baseline.speedup_vs_cpu.training).toBeCloseTo(0.5, 12);
    expect(rows.find((r) => r.id === 'cpu')!.speedup_vs_cpu).toEqual({ stream: null, training: null });
  });

  it('never gives a number for a setting that could not run: every figure is null and the reason is kept', () => {
    const gpu = rows.find((r) => r.id === 'gpu')!;
    expect(gpu.available).toBe(false);
    expect(gpu.reason).toMatch(/^not available on this machine: .*nvidia-smi/);
    expect(Object.values(gpu.figures).every((v) => v === null)).toBe(true);
    expect(Object.values(gpu.ratio_vs_baseline).every((v) => v === null)).toBe(true);
    expect(gpu.speedup_vs_cpu).toEqual({ stream: null, training: null });
    expect(gpu.stream).toBeNull();
  });
});

describe('compareMarkdown', () => {
  const markdown = compareMarkdown(report());

  it("has the original's columns in its order, a row per setting and the speed-up column", () => {
    const header = markdown.split('\n').find((line) => line.startsWith('| Setting'))!;
    const titles = ['Input Rate', 'Process Rate', 'Batch Duration', 'Job Time', 'Shuffle Read', 'GC Time', 'Training Time', 'Speed-up vs CPU'];
    const positions = titles.map((title) => header.indexOf(title));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const tableRows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Setting'));
    expect(tableRows).toHaveLength(3);
    // Same number of cells in every row as in the header.
    const cells = (line: string) => line.split('|').length;
    expect(new Set([header, ...tableRows].map(cells)).size).toBe(1);
  });

  it('shows ratios against the baseline and the gpu row as not available, with no number', () => {
    const cpuRow = markdown.split('\n').find((line) => line.startsWith('| cpu'))!;
    expect(cpuRow).toContain('1,000 (×2.00)');
    expect(cpuRow).toContain('2,000 (×0.50)');
    const gpuRow = markdown.split('\n').find((line) => line.startsWith('| gpu'))!;
    expect(gpuRow).toContain('not available on this machine: PITCHSTREAM_MODE=gpu, but nvidia-smi is not on PATH');
    expect(gpuRow.replace(/RAPIDS|PITCHSTREAM_MODE=gpu/g, '')).not.toMatch(/\d/);
  });

  it("lists the baseline's Spark settings", () => {
    expect(markdown).toContain('`spark.sql.shuffle.partitions=200`');
    expect(markdown).toContain('`spark.driver.memory=6g`');
  });
});

describe('comparePageHtml', () => {
  it('embeds the chart with one bar per measured setting and names the missing one', () => {
    const html = comparePageHtml(report(), compareMarkdown(report()));
    expect(html).toContain('id="pitchstream-compare"');
    expect(html).toContain('Process Rate (events/s)');
    expect(html).toContain('gpu (pitchstream profile, RAPIDS): not available on this machine');
    expect(html).not.toMatch(/<script[^>]*\ssrc=/); // opens offline: the library is embedded
  });
});

describe('streamFigures', () => {
  const batch = (batchId: number, rows: number, durationMs: number, atMs: number): StreamingBatch => ({
    query: 'match_stats',
    batchId,
    timestampMs: atMs,
    numInputRows: rows,
    inputRowsPerSecond: rows,
    processedRowsPerSecond: rows / (durationMs / 1000),
    batchDurationMs: durationMs,
    durationsMs: {},
    schedulingDelayMs: undefined,
    stateRows: 0,
    stateMemoryBytes: 0,
  });
  const totals = { jobs: 3, jobsFailed: 0, jobDurationMs: 9_000, stages: 6, taskTimeMs: 20_000, gcTimeMs: 1_500, inputBytes: 0, shuffleReadBytes: 7, shuffleWriteBytes: 8, memorySpilledBytes: 0, diskSpilledBytes: 0, executors: 1, failedTasks: 0, peakJvmHeapBytes: undefined, memoryUsedBytes: 0 };
  const metrics = (batches: StreamingBatch[]) => ({ appId: 'local-1', outDir: '/tmp/m', totals, streaming: { summaries: [], batches: { match_stats: batches } } }) as unknown as RunMetrics;

  it('process rate is events over busy time; the typical batch leaves out the first', () => {
    const figures = streamFigures(metrics([batch(0, 1_000, 5_000, 0), batch(1, 2_000, 1_000, 5_000), batch(2, 0, 100, 6_000), batch(3, 2_000, 3_000, 6_100)]), 5_000);
    expect(figures.batches).toBe(3);
    expect(figures.processRateEventsPerS).toBeCloseTo(5_000 / 9, 9);
    expect(figures.batchDurationP50Ms).toBe(1_000);
    expect(figures.batchDurationP95Ms).toBe(3_000);
    expect(figures.drainS).toBeCloseTo(9.1, 9);
    expect(figures.jobTimeS).toBe(9);
    expect(figures.gcTimeS).toBe(1.5);
    expect(figures.inputRateEventsPerS).toBeCloseTo((1_000 * 1_000 + 2_000 * 2_000 + 2_000 * 2_000) / 5_000, 9);
  });

  it('refuses a run without any batch that read events', () => {
    expect(() => streamFigures(metrics([batch(0, 0, 100, 0)]), 0)).toThrow(/no batch with input/);
  });
});
