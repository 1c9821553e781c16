import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executorsStudyFigure, readExecutorsStudy, scalingRows, withExecutorsStudy, type ScalingCluster } from '../../../lib/training';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-scaling-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const measured = (cluster: ScalingCluster, seconds: number[]) =>
  seconds.map((s, i) => ({ cluster, executors: i + 1, executors_granted: i + 1, master: 'spark://h:7077', seconds: s, features_s: 1, fit_s: 2 }));

describe('readExecutorsStudy', () => {
  it('is undefined without a report, or with a report that has no study', () => {
    expect(readExecutorsStudy(dir, 'missing.json')).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'main-only.json'), JSON.stringify({ total_s: 116, masters_study: [] }));
    expect(readExecutorsStudy(dir, 'main-only.json')).toBeUndefined();
  });

  it('reads a report of the local study alone written before clusters were labelled', () => {
    const rows = scalingRows(measured('local standalone', [100, 70])).map(({ cluster: _c, ...rest }) => rest);
    fs.writeFileSync(path.join(dir, 'legacy.json'), JSON.stringify({ executors_study: rows, executors_study_method: 'm', executors_study_at: 't' }));
    const study = readExecutorsStudy(dir, 'legacy.json')!;
    expect(study.clusters).toEqual(['local standalone']);
    expect(study.rows.every((row) => row.cluster === 'local standalone')).toBe(true);
    expect(study.methods).toEqual({ 'local standalone': { method: 'm', at: 't' } });
    const figure = executorsStudyFigure(study);
    expect(figure.data.map((trace) => trace.name)).toEqual(['local standalone: training job (s)', 'local standalone: speed-up', 'ideal speed-up']);
    expect(figure.data[2]!.y).toEqual([1, 2]);
  });

  it('charts both clusters side by side, each against its own baseline, with ideal scaling to the largest count', () => {
    const rows = scalingRows([...measured('compose', [200, 150, 160]), ...measured('local standalone', [100, 70])]);
    const methods = { 'local standalone': { method: 'a', at: '1' }, compose: { method: 'b', at: '2' } };
    fs.writeFileSync(path.join(dir, 'both.json'), JSON.stringify({ executors_study: rows, executors_study_methods: methods }));
    const study = readExecutorsStudy(dir, 'both.json')!;
    expect(study.clusters).toEqual(['local standalone', 'compose']);
    expect(study.rows.map((row) => row.cluster)).toEqual(['local standalone', 'local standalone', 'compose', 'compose', 'compose']);
    expect(study.methods).toEqual(methods);
    const figure = executorsStudyFigure(study);
    expect(figure.data.map((trace) => trace.name)).toEqual([
      'local standalone: training job (s)',
      'local standalone: speed-up',
      'compose: training job (s)',
      'compose: speed-up',
      'ideal speed-up',
    ]);
    expect(figure.data[3]!.y).toEqual([1, 1.333, 1.25]);
    expect(figure.data[4]!.y).toEqual([1, 2, 3]);
  });
});

describe('withExecutorsStudy', () => {
  it('adds a compose study to a report of the old layout: the local rows and record kept, other keys kept, the old keys gone', () => {
    const local = scalingRows(measured('local standalone', [100, 70])).map(({ cluster: _c, ...rest }) => rest);
    const compose = scalingRows(measured('compose', [200, 150]));
    const report = withExecutorsStudy({ total_s: 116, executors_study: local, executors_study_method: 'm', executors_study_at: 't' }, 'compose', compose, { method: 'c', at: 'u' });
    expect(report).not.toHaveProperty('executors_study_method');
    expect(report).not.toHaveProperty('executors_study_at');
    expect(report.total_s).toBe(116);
    expect(report.executors_study.map((row) => [row.cluster, row.executors])).toEqual([
      ['local standalone', 1],
      ['local standalone', 2],
      ['compose', 1],
      ['compose', 2],
    ]);
    expect(report.executors_study_methods).toEqual({ 'local standalone': { method: 'm', at: 't' }, compose: { method: 'c', at: 'u' } });
    // A new local study replaces the local rows only.
    const again = withExecutorsStudy(report, 'local standalone', scalingRows(measured('local standalone', [90])), { method: 'm2', at: 't2' });
    expect(again.executors_study.map((row) => [row.cluster, row.seconds])).toEqual([
      ['compose', 200],
      ['compose', 150],
      ['local standalone', 90],
    ]);
    expect(again.executors_study_methods['local standalone']).toEqual({ method: 'm2', at: 't2' });
  });
});
