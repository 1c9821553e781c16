import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executorsStudyFigure, readExecutorsStudy } from '../../../lib/training';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-scaling-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readExecutorsStudy', () => {
  it('is undefined without a report, or with a report that has no study', () => {
    expect(readExecutorsStudy(dir, 'missing.json')).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'main-only.json'), JSON.stringify({ total_s: 116, masters_study: [] }));
    expect(readExecutorsStudy(dir, 'main-only.json')).toBeUndefined();
  });

  it('reads the rows, method and time, and charts seconds and speed-up against the ideal', () => {
    const rows = [1, 2].map((executors) => ({ executors, executors_granted: executors, master: 'spark://h:7077', seconds: 100 / executors ** 0.5, speedup: executors ** 0.5, efficiency: executors ** -0.5, features_s: 1, fit_s: 2 }));
    fs.writeFileSync(path.join(dir, 'study.json'), JSON.stringify({ executors_study: rows, executors_study_method: 'm', executors_study_at: 't' }));
    const study = readExecutorsStudy(dir, 'study.json')!;
    expect(study).toMatchObject({ rows, method: 'm', measuredAt: 't' });
    const figure = executorsStudyFigure(study);
    expect(figure.data.map((trace) => trace.name)).toEqual(['training job (s)', 'speed-up', 'ideal speed-up']);
    expect(figure.data[2]!.y).toEqual([1, 2]);
  });
});
