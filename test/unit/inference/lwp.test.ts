// The pure parts of lib/inference: job arguments, the refused-model translation, rows → states, latency summary, views.
import { describe, expect, it } from 'vitest';
import { PitchstreamError } from '../../../lib/errors';
import {
  asModelMismatch,
  currentMatchesTableHtml,
  currentStates,
  lwpStateFromRow,
  lwpStreamArguments,
  quantile,
  summarizeLwpLatency,
  winProbabilityFigure,
  type LwpState,
} from '../../../lib/inference';
import type { QueryProgress } from '../../../lib/streaming';

function row(stateIndex: number, trigger: string, probabilities: [number, number, number] | null, extra: Record<string, number | string | null> = {}) {
  return {
    batch_id: 3, match_id: 7, replay: 0, state_index: stateIndex, trigger, clock: `${String(stateIndex).padStart(2, '0')}:00`,
    home_team_id: 1, away_team_id: 2, event_id: `e${stateIndex}`, event_index: stateIndex * 10, event_type: 'Pass', event_team_id: 1,
    event_time_ms: 1_000, kafka_timestamp_ms: 10_000 + stateIndex, state_emitted_ms: 10_400, written_ms: 10_500 + stateIndex * 10,
    minute: stateIndex, period: 1, home_goals: 0, away_goals: 0, home_red_cards: 0, away_red_cards: 0,
    ...(probabilities ? { p_home_win: probabilities[0], p_draw: probabilities[1], p_away_win: probabilities[2] } : {}),
    ...extra,
  };
}

describe('lwpStreamArguments', () => {
  it('passes the model folder, or --no-model when the model is null', () => {
    expect(lwpStreamArguments({ bootstrap: 'h:1', modelDir: '/m' }, '/out')).toEqual(['--bootstrap', 'h:1', '--output', '/out', '--topic', 'statsbomb-360-events', '--model-dir', '/m']);
    expect(lwpStreamArguments({ bootstrap: 'h:1', modelDir: null, availableNow: true, maxOffsetsPerTrigger: 500 }, '/out')).toEqual([
      '--bootstrap', 'h:1', '--output', '/out', '--topic', 'statsbomb-360-events', '--max-offsets-per-trigger', '500', '--available-now', '--no-model',
    ]);
  });

  it('names the option, what was expected and what was received', () => {
    expect(() => lwpStreamArguments({ bootstrap: 'h:1', modelDir: null, endTimeoutMs: 1.5 }, '/o')).toThrow(/endTimeoutMs must be a whole number ≥ 1, got 1.5/);
    expect(() => lwpStreamArguments({ bootstrap: 'h:1', modelDir: null, watermarkDelay: 'soon' }, '/o')).toThrow(/watermarkDelay must be an interval/);
    expect(() => lwpStreamArguments({ bootstrap: '', modelDir: null }, '/o')).toThrow(/bootstrap/);
  });
});

describe('asModelMismatch', () => {
  it("turns the job's LwpModelMismatchError into LWP_MODEL_MISMATCH with the job's message and leaves other failures alone", () => {
    const failed = new PitchstreamError('JOB_FAILED', 'job stream_lwp failed', {
      details: { errorType: 'pitchstream_jobs.lwp_inference.LwpModelMismatchError', errorMessage: 'features differ: missing [x]', logPath: '/l' },
    });
    const translated = asModelMismatch(failed, '/m') as PitchstreamError;
    expect(translated.code).toBe('LWP_MODEL_MISMATCH');
    expect(translated.message).toBe('features differ: missing [x]');
    expect(translated.cause).toBe(failed);
    const other = new PitchstreamError('JOB_FAILED', 'boom', { details: { errorType: 'ValueError' } });
    expect(asModelMismatch(other, '/m')).toBe(other);
  });
});

describe('states and latency', () => {
  it('reads a row into a state with its features apart and its probabilities when scored', () => {
    const state = lwpStateFromRow(row(4, 'goal', [0.5, 0.3, 0.2], { home_goals: 1 }));
    expect(state).toMatchObject({ matchId: 7, stateIndex: 4, trigger: 'goal', homeGoals: 1, probabilities: [0.5, 0.3, 0.2] });
    expect(Object.keys(state.features)).toEqual(['minute', 'period', 'home_goals', 'away_goals', 'home_red_cards', 'away_red_cards']);
    expect(lwpStateFromRow(row(4, 'minute', null)).probabilities).toBeNull();
  });

  it('computes quantiles by interpolation and summarizes batches and end-to-end latency', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10], 0.95)).toBe(10);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
    const progress = [0, 1, 2].map((i) => ({ numInputRows: i === 0 ? 0 : 1_000, timestampMs: i * 1_000, batchDurationMs: 500 + i * 100 }) as QueryProgress);
    const states = [0, 1, 2].map((i) => lwpStateFromRow(row(i, 'minute', [0.4, 0.3, 0.3])));
    const summary = summarizeLwpLatency(progress, states);
    expect(summary).toMatchObject({ batches: 2, events: 2_000, withModel: true, batchDurationP50Ms: 650 });
    expect(summary.eventsPerSecond).toBeCloseTo(2_000 / 1.7, 6);
    expect(summary.endToEndP50Ms).toBe(509);
  });
});

describe('views', () => {
  const states: LwpState[] = [row(0, 'minute', [0.4, 0.3, 0.3]), row(1, 'goal', [0.6, 0.25, 0.15], { home_goals: 1 }), row(2, 'minute', [0.62, 0.24, 0.14], { home_goals: 1 })].map(lwpStateFromRow);

  it('stacks P(home), P(draw), P(away) per match and marks the goal with the score', () => {
    const figure = winProbabilityFigure(states, new Map([[1, 'Home FC'], [2, 'Away FC']]));
    const areas = figure.data.filter((trace) => trace.stackgroup === 'match0');
    expect(areas.map((trace) => trace.name)).toEqual(['P(home win)', 'P(draw)', 'P(away win)']);
    expect(areas[0]!.y).toEqual([0.4, 0.6, 0.62]);
    const goals = figure.data.find((trace) => trace.name === 'goal')!;
    expect(goals.text).toEqual(['1-0']);
    expect(JSON.stringify(figure.layout)).toContain('Home FC – Away FC');
  });

  it('reads shoot-out states with their score, marks the kicks at their clock and shows the shoot-out score in the table', () => {
    const shootout = (stateIndex: number, trigger: string, clock: string, score: [number, number, number, number], pHome: number) => ({
      ...row(stateIndex, trigger, [pHome, 0, 1 - pHome], { home_goals: 1, away_goals: 1, minute: 120, period: 4 }),
      clock,
      home_shootout_goals: score[0], away_shootout_goals: score[1], home_shootout_kicks: score[2], away_shootout_kicks: score[3], p_home_wins_shootout: pHome,
    });
    const withShootout = [
      row(0, 'minute', [0.4, 0.3, 0.3]),
      row(1, 'goal', [0.6, 0.25, 0.15], { home_goals: 1 }),
      row(2, 'minute', [0.62, 0.24, 0.14], { home_goals: 1 }),
      shootout(3, 'shootout_start', '121:00', [0, 0, 0, 0], 0.5),
      shootout(4, 'shootout_kick', '121:40', [1, 0, 1, 0], 0.62),
    ].map((r) => lwpStateFromRow(r));
    expect(withShootout[1]!.shootout).toBeNull();
    expect(withShootout[4]!.shootout).toEqual({ homeGoals: 1, awayGoals: 0, homeKicks: 1, awayKicks: 0, pHomeWins: 0.62 });
    expect(Object.keys(withShootout[4]!.features)).not.toContain('p_home_wins_shootout');
    const kicks = winProbabilityFigure(withShootout).data.find((trace) => trace.name === 'shoot-out kick')!;
    expect(kicks.x).toEqual([121 + 40 / 60]);
    const html = currentMatchesTableHtml(withShootout);
    expect(html).toContain('1-1, pens 1-0');
    expect(html).toContain('shoot-out kick');
  });

  it('shows the newest state of each match in the table', () => {
    expect(currentStates(states).map((s) => s.stateIndex)).toEqual([2]);
    const html = currentMatchesTableHtml(states);
    expect(html).toContain('1-0');
    expect(html).toContain('0.62');
  });
});
