import { describe, expect, it } from 'vitest';
import { completeLines, parseProgressLines, summarizeProgress, type RawQueryProgress } from '../../../lib/streaming';

const progress: RawQueryProgress = {
  id: 'q',
  runId: 'r',
  name: 'match_stats',
  timestamp: '2026-01-01T00:00:00.000Z',
  batchId: 4,
  numInputRows: 800,
  inputRowsPerSecond: 400.5,
  processedRowsPerSecond: 'NaN',
  durationMs: { triggerExecution: 1200, addBatch: 900 },
  eventTime: { watermark: '2022-07-06T21:05:00.000Z' },
  stateOperators: [{ numRowsTotal: 12, numRowsDroppedByWatermark: 1 }],
  sources: [{ endOffset: { topic: { '0': 500, '1': 300 } } }],
};

describe('query progress', () => {
  it('summarizes rates, the batch duration and its breakdown, state rows, watermark and end offsets', () => {
    expect(summarizeProgress(progress)).toMatchObject({
      query: 'match_stats',
      batchId: 4,
      inputRowsPerSecond: 400.5,
      processedRowsPerSecond: 0,
      batchDurationMs: 1200,
      durationsMs: { addBatch: 900 },
      stateRows: 12,
      stateRowsDroppedByWatermark: 1,
      watermarkMs: Date.parse('2022-07-06T21:05:00.000Z'),
      endOffsetTotal: 800,
    });
  });

  it('reads whole lines only: a last line without its newline is still being written', () => {
    const line = JSON.stringify(progress);
    expect(completeLines(`${line}\n${line.slice(0, 10)}`).lines).toHaveLength(1);
    expect(parseProgressLines(`${line}\n${line}\n{"id":`)).toHaveLength(2);
    expect(completeLines('partial').lines).toEqual([]);
  });
});
