// Pure parts of lib/metrics: Prometheus text, streaming progress lines, REST records, totals and summary.
import { describe, expect, it } from 'vitest';
import {
  parseProgressJsonLines,
  parsePrometheusText,
  runMetricsHtml,
  runMetricsSummary,
  runTotals,
  sparkTimeMs,
  summarizeStreaming,
  toExecutorMetrics,
  toJobMetrics,
  toStageMetrics,
  type RunMetrics,
} from '../../../lib/metrics';

describe('parsePrometheusText', () => {
  it('reads names, labels and values, skipping comments', () => {
    const text = [
      '# HELP metrics_local_1763770000000_driver_BlockManager_memory_memUsed_MB Generated from Dropwizard metric import',
      'metrics_local_1763770000000_driver_BlockManager_memory_memUsed_MB_Number{type="gauges"} 0',
      'metrics_executor_totalGCTime_seconds_total{application_id="local-1", application_name="x", executor_id="driver"} 0.123',
      'not a metric line',
      '',
    ].join('\n');
    expect(parsePrometheusText(text)).toEqual([
      { name: 'metrics_local_1763770000000_driver_BlockManager_memory_memUsed_MB_Number', labels: { type: 'gauges' }, value: 0 },
      { name: 'metrics_executor_totalGCTime_seconds_total', labels: { application_id: 'local-1', application_name: 'x', executor_id: 'driver' }, value: 0.123 },
    ]);
  });
});

const progress = (batchId: number, timestamp: string, rows: number, trigger: number, state = 0) =>
  JSON.stringify({
    id: 'q',
    runId: 'r',
    name: 'match_stats',
    timestamp,
    batchId,
    numInputRows: rows,
    inputRowsPerSecond: rows ? 100.0 : 0.0,
    processedRowsPerSecond: rows ? 250.0 : 0.0,
    durationMs: { addBatch: trigger - 200, getBatch: 0, latestOffset: 50, queryPlanning: 100, triggerExecution: trigger, walCommit: 50 },
    stateOperators: [{ numRowsTotal: state, memoryUsedBytes: state * 100 }],
  });

describe('streaming progress', () => {
  const text = `${progress(0, '2026-11-22T00:00:00.000Z', 100, 800, 10)}\n${progress(1, '2026-11-22T00:00:01.000Z', 0, 400, 10)}\n${progress(2, '2026-11-22T00:00:02.500Z', 300, 2000, 30)}\n{"torn": `;

  it('reads whole lines and computes the scheduling delay against the trigger interval', () => {
    const batches = parseProgressJsonLines(text, 1000);
    expect(batches.map((b) => b.batchId)).toEqual([0, 1, 2]);
    expect(batches.map((b) => b.schedulingDelayMs)).toEqual([undefined, 0, 500]);
    expect(batches[2]).toMatchObject({ query: 'match_stats', numInputRows: 300, batchDurationMs: 2000, stateRows: 30, stateMemoryBytes: 3000 });
    expect(parseProgressJsonLines(text).every((b) => b.schedulingDelayMs === undefined)).toBe(true);
  });

  it('summarizes rates over batches with input and durations over all batches', () => {
    const summary = summarizeStreaming('match_stats', parseProgressJsonLines(text, 1000));
    expect(summary).toMatchObject({ batches: 3, inputRows: 400, inputRowsPerSecondAvg: 100, processedRowsPerSecondAvg: 250, batchDurationMsP95: 2000, schedulingDelayMsAvg: 250, stateRowsLast: 30 });
    expect(summary.batchDurationMsAvg).toBeCloseTo(3200 / 3);
    expect(summary.durationsMsAvg.addBatch).toBeCloseTo((600 + 200 + 1800) / 3);
  });
});

describe('REST records', () => {
  const now = Date.parse('2026-11-22T00:01:00.000Z');

  it('reads Spark time stamps', () => {
    expect(sparkTimeMs('2026-11-22T00:00:10.500GMT')).toBe(Date.parse('2026-11-22T00:00:10.500Z'));
    expect(sparkTimeMs(undefined)).toBeUndefined();
  });

  it('gives job and stage durations (running ones until the snapshot) and the stage figures', () => {
    expect(toJobMetrics({ jobId: 1, status: 'SUCCEEDED', submissionTime: '2026-11-22T00:00:10.000GMT', completionTime: '2026-11-22T00:00:12.500GMT', numTasks: 4 }, now)).toMatchObject({ durationMs: 2500, numTasks: 4 });
    expect(toJobMetrics({ jobId: 2, status: 'RUNNING', submissionTime: '2026-11-22T00:00:50.000GMT' }, now).durationMs).toBe(10_000);
    const stage = toStageMetrics(
      { stageId: 3, attemptId: 0, status: 'COMPLETE', firstTaskLaunchedTime: '2026-11-22T00:00:10.000GMT', completionTime: '2026-11-22T00:00:11.000GMT', executorRunTime: 900, jvmGcTime: 30, shuffleReadBytes: 10, shuffleWriteBytes: 20, memoryBytesSpilled: 5, diskBytesSpilled: 6 },
      now,
    );
    expect(stage).toMatchObject({ durationMs: 1000, taskTimeMs: 900, gcTimeMs: 30, shuffleReadBytes: 10, shuffleWriteBytes: 20, memorySpilledBytes: 5, diskSpilledBytes: 6 });
  });

  it('totals a snapshot: GC, task time and shuffle from the executors, spill from the stages', () => {
    const snapshot = {
      atMs: now,
      jobs: [toJobMetrics({ jobId: 0, status: 'SUCCEEDED', submissionTime: '2026-11-22T00:00:10.000GMT', completionTime: '2026-11-22T00:00:11.000GMT' }, now)],
      stages: [toStageMetrics({ stageId: 0, attemptId: 0, status: 'COMPLETE', memoryBytesSpilled: 1024, diskBytesSpilled: 2048 }, now)],
      executors: [
        toExecutorMetrics({ id: 'driver', totalDuration: 5000, totalGCTime: 120, totalShuffleRead: 3000, totalShuffleWrite: 4000, memoryUsed: 10, maxMemory: 100, completedTasks: 8, peakMemoryMetrics: { JVMHeapMemory: 2e8 } }),
      ],
    };
    const totals = runTotals(snapshot);
    expect(totals).toMatchObject({ jobs: 1, jobDurationMs: 1000, taskTimeMs: 5000, gcTimeMs: 120, shuffleReadBytes: 3000, shuffleWriteBytes: 4000, memorySpilledBytes: 1024, diskSpilledBytes: 2048, peakJvmHeapBytes: 2e8, executors: 1 });
    const metrics: RunMetrics = {
      job: 'stream_match_stats',
      appId: 'local-1',
      uiUrl: 'http://127.0.0.1:4040',
      mode: 'cpu',
      firstPollMs: now - 4000,
      lastPollMs: now,
      polls: { ok: 3, failed: 0, intervalMs: 2000 },
      totals,
      ...snapshot,
      samples: [],
      streaming: { summaries: [summarizeStreaming('match_stats', parseProgressJsonLines(`${progress(0, '2026-11-22T00:00:00.000Z', 100, 800)}\n`))], batches: {} },
      prometheus: undefined,
      gpuPlacement: [{ kind: 'Exec', operator: 'ArrowEvalPythonExec', onGpu: 0, onCpu: 2, removed: 0, reasons: ['GPU does not currently support the operator'] }],
      outDir: '/tmp/x',
    };
    const rows = Object.fromEntries(runMetricsSummary(metrics).map((row) => [row.metric, row.value]));
    expect(rows['GC time']).toBe('120 ms (2.4% of task time)');
    expect(rows['shuffle read / write']).toBe('2.9 KiB / 3.9 KiB');
    expect(rows['match_stats: input / process rate']).toBe('100.0 rows/s / 250.0 rows/s');
    expect(rows['GPU fallbacks']).toBe('ArrowEvalPythonExec');
    const html = runMetricsHtml(metrics);
    expect(html).toContain('<table>');
    expect(html).toContain('RAPIDS: operators on the GPU and fallbacks');
  });
});
