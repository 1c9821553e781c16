// The pure views of a training report the notebook shows: model labels, the metrics table, the calibration curve.
import { describe, expect, it } from 'vitest';
import { calibrationCurveTraces, LWP_MODELS, lwpModelLabel, metricsTableRows, type CalibrationBinRow, type LwpMetricRow, type TrainingReport } from '../../../lib/training';

function reportWith(method: 'logistic' | 'none', rows: LwpMetricRow[]): TrainingReport {
  const metrics = Object.fromEntries(LWP_MODELS.map((model, i) => [model, { rps_minutes_0_90: 0.1 + i / 100 }]));
  return { calibration: { method, inputs: [], fraction: 0.2, reg_param: 0.01, matches: 10, states: 900 }, metricRows: rows, metrics } as unknown as TrainingReport;
}

describe('lwpModelLabel', () => {
  it('says which forest is saved and whether it is calibrated', () => {
    const calibrated = reportWith('logistic', []);
    expect(lwpModelLabel('random_forest', calibrated)).toBe('random forest, calibrated (saved)');
    expect(lwpModelLabel('random_forest_uncalibrated', calibrated)).toBe('random forest, uncalibrated');
    const plain = reportWith('none', []);
    expect(lwpModelLabel('random_forest', plain)).toBe('random forest (saved)');
    expect(lwpModelLabel('random_forest_uncalibrated', plain)).toBe('random forest, uncalibrated (= saved)');
    expect(lwpModelLabel('outcome_classifier', plain)).toBe('result classifier forest');
  });
});

describe('metricsTableRows', () => {
  it('puts every model in a column with its interval, and the calibration gains under the saved model', () => {
    const rows = metricsTableRows(
      reportWith('logistic', [
        { model: 'random_forest', metric: 'ece', value: 0.02, ci_low: 0.015, ci_high: 0.025 },
        { model: 'random_forest_uncalibrated', metric: 'ece', value: 0.04, ci_low: 0.03, ci_high: 0.05 },
        { model: 'random_forest', metric: 'ece_improvement_vs_random_forest_uncalibrated', value: 0.02, ci_low: 0.01, ci_high: 0.03 },
      ]),
    );
    expect(Object.keys(rows[0]!)).toEqual(['metric', 'random forest, calibrated (saved)', 'random forest, uncalibrated', 'result classifier forest', 'score-and-time logistic', 'class prior']);
    const ece = rows.find((row) => row.metric === 'ece')!;
    expect(ece['random forest, calibrated (saved)']).toBe('0.0200 [0.0150, 0.0250]');
    expect(ece['random forest, uncalibrated']).toBe('0.0400 [0.0300, 0.0500]');
    expect(ece['class prior']).toBe('');
    expect(rows.find((row) => row.metric === 'ECE gain vs uncalibrated forest')).toEqual({
      metric: 'ECE gain vs uncalibrated forest',
      'random forest, calibrated (saved)': '0.0200 [0.0100, 0.0300]',
    });
    expect(rows.find((row) => row.metric === 'rps, mean over minutes 0-90')!['class prior']).toBe('0.1400');
  });
});

describe('calibrationCurveTraces', () => {
  it('draws the diagonal, then one line per model and outcome with its bins in order', () => {
    const bin = (model: CalibrationBinRow['model'], outcome: string, b: number, forecast: number, observed: number): CalibrationBinRow => ({
      model, outcome, class_index: 0, bin: b, bin_low: b / 10, bin_high: (b + 1) / 10, states: 5, mean_forecast: forecast, observed_frequency: observed,
    });
    const traces = calibrationCurveTraces(
      [bin('random_forest', 'home_win', 7, 0.75, 0.7), bin('random_forest', 'home_win', 2, 0.25, 0.3), bin('score_time_logistic', 'home_win', 1, 0.1, 0.2)],
      reportWith('logistic', []),
    );
    expect(traces.map((trace) => trace.name)).toEqual([
      'perfect',
      'random forest, uncalibrated · home_win', 'random forest, uncalibrated · draw', 'random forest, uncalibrated · away_win',
      'random forest, calibrated (saved) · home_win', 'random forest, calibrated (saved) · draw', 'random forest, calibrated (saved) · away_win',
    ]);
    expect(traces[4]).toMatchObject({ x: [0.25, 0.75], y: [0.3, 0.7], line: { dash: 'solid' } });
    expect(traces[1]).toMatchObject({ x: [], line: { dash: 'dash' } });
  });
});
