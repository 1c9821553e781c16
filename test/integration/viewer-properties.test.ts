// What a viewer of live win probability takes for granted, checked on every test state of the model
// `npm start` trains: the real La Liga corpus in ../shared/statsbomb (StatsBomb open data), split by
// season as the saved model is, scored by the saved model. A goal never lowers the scorer's win
// probability against the state just before; a red card never raises the punished side's; a lead of
// two goals from 85' gives that side more than 0.85 (pitchstream_jobs.viewer_properties).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';
import { trainLwp, type TrainLwpResult } from '../../lib/training';

const STATSBOMB = path.resolve('..', 'shared', 'statsbomb', 'data');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-viewer-'));
const config = loadConfig({ sparkMaster: 'local[2]', outputs: out });
let trained: TrainLwpResult;

beforeAll(async () => {
  // The saved model's settings (lib/training defaults); no bootstrap intervals: only the states matter here.
  trained = await trainLwp({
    config,
    source: { kind: 'statsbomb', dir: STATSBOMB, competitionIds: [11] },
    run: 'viewer-properties',
    modelDir: path.join(out, 'model'),
    bootstrapSamples: 0,
    // Measured 115 s alone (bench:train); other suites share the 2 cores.
    timeoutMs: 840_000,
  });
}, 900_000);
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('the saved model on every test state of the real La Liga seasons it did not see', () => {
  it('checks hundreds of goals, the red cards and the late two-goal leads of the test matches', () => {
    const { checked } = trained.report.viewer_properties;
    expect(trained.report.data).toMatchObject({ kind: 'statsbomb', synthetic: false });
    expect(trained.report.data.test_matches).toBeGreaterThan(100);
    expect(checked.goal).toBeGreaterThan(400);
    expect(checked.red_card).toBeGreaterThan(20);
    expect(checked.late_lead).toBeGreaterThan(500);
  });

  it('never lowers a scorer’s win probability at a goal, never raises a punished side’s at a red card, and gives a late two-goal lead more than 0.85', () => {
    const viewer = trained.report.viewer_properties;
    const listed = viewer.listed.map((v) => `${v.property}: match ${v.match_id} at ${v.minute}' — ${v.detail}`).join('\n');
    expect(viewer.violations, listed).toEqual({ goal: 0, red_card: 0, late_lead: 0 });
    expect(viewer.listed).toEqual([]);
  });

  it('keeps beating the references while doing so, and reports the result classifier it replaced on the same states', () => {
    const { metrics, viewer_violations_by_model: byModel } = trained.report;
    expect(metrics.random_forest.rps).toBeLessThan(metrics.score_time_logistic.rps);
    expect(metrics.random_forest.rps).toBeLessThan(metrics.class_prior.rps);
    expect(typeof metrics.outcome_classifier.rps).toBe('number');
    expect(Object.keys(byModel.outcome_classifier).sort()).toEqual(['goal', 'late_lead', 'red_card']);
    // A red card moves the rates through the man-advantage factors, measured on the training states.
    expect(trained.report.man_advantage.down).toBeLessThan(1);
    expect(trained.report.man_advantage.up).toBeGreaterThan(1);
  });
});
