// The RAPIDS explain parser on a driver log in the plugin's own format (RapidsMeta.print).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../lib/config';
import { gpuPlacementTable, parseRapidsExplain } from '../../../lib/metrics';

const log = fs.readFileSync(path.join(projectRoot(), 'test', 'fixtures', 'metrics', 'rapids-explain-driver.log'), 'utf8');

describe('parseRapidsExplain', () => {
  const lines = parseRapidsExplain(log);

  it('reads every explain line and ignores the other log lines', () => {
    expect(lines).toHaveLength(16);
    expect(lines.some((line) => line.operator === 'TaskSetManager')).toBe(false);
  });

  it('reads a fallback with its kind, operator, depth and the reason after "because"', () => {
    expect(lines[0]).toEqual({ kind: 'Exec', operator: 'ProjectExec', placement: 'cpu', indicator: '!', reason: 'not all expressions can be replaced', depth: 0 });
    expect(lines.find((l) => l.operator === 'JsonToStructs')).toMatchObject({
      kind: 'Expression',
      placement: 'cpu',
      depth: 2,
      reason: 'JsonToStructs is disabled by default; set spark.rapids.sql.expression.JsonToStructs to true to enable it',
    });
  });

  it('marks *, @, # and the older "! <Class>" form', () => {
    expect(lines.find((l) => l.operator === 'HashAggregateExec')).toMatchObject({ placement: 'gpu', indicator: '*', depth: 1 });
    expect(lines.find((l) => l.operator === 'AttributeReference')).toMatchObject({ placement: 'cpu', indicator: '@', reason: 'match_id#12L could run on GPU (its plan stays on the CPU)' });
    expect(lines.find((l) => l.operator === 'ColumnarToRowExec')).toMatchObject({ placement: 'removed', indicator: '#' });
    expect(lines.find((l) => l.operator === 'RowDataSourceScanExec')).toMatchObject({ kind: 'Exec', placement: 'cpu', indicator: '!' });
  });
});

describe('gpuPlacementTable', () => {
  it('lists plan operators (not expressions), fallbacks first, counting each report', () => {
    const table = gpuPlacementTable(parseRapidsExplain(log));
    expect(table.map((row) => row.operator)).toEqual([
      'ArrowEvalPythonExec',
      'MicroBatchScanExec',
      'ProjectExec',
      'RowDataSourceScanExec',
      'ColumnarToRowExec',
      'FilterExec',
      'HashAggregateExec',
      'HashPartitioning',
      'ShuffleExchangeExec',
    ]);
    expect(table.find((row) => row.operator === 'ProjectExec')).toEqual({ kind: 'Exec', operator: 'ProjectExec', onGpu: 1, onCpu: 1, removed: 0, reasons: ['not all expressions can be replaced'] });
    expect(table.find((row) => row.operator === 'FilterExec')).toMatchObject({ onGpu: 1, onCpu: 0, reasons: [] });
  });

  it('gives expressions when asked for them', () => {
    const table = gpuPlacementTable(parseRapidsExplain(log), ['Expression']);
    expect(table.slice(0, 3).map((row) => row.operator)).toEqual(['Alias', 'AttributeReference', 'JsonToStructs']);
    expect(table.every((row) => row.kind === 'Expression')).toBe(true);
  });
});
