import { describe, expect, it } from 'vitest';
import { passesTimelineFigure, possessionTimelineFigure, type TeamWindowStats } from '../../../lib/streaming';

const MINUTE = 60_000;
const KICK_OFF = Date.parse('2030-08-01T20:00:00Z');

/** Home and away rows of one match-minute window; only what the timelines read is set. */
function windowRows(matchId: number, startMs: number): TeamWindowStats[] {
  return [1, 2].map((teamId) => ({ matchId, teamId, windowStartMs: startMs, windowEndMs: startMs + MINUTE, passes: teamId, possessionShare: 0.5 }) as TeamWindowStats);
}

describe('the live timelines of notebook 03', () => {
  // Round 1 of a looping producer: the same 95-minute match again, 96 minutes (span + gap) later;
  // its first event falls 40 s into a minute, so its first window starts before the replay does.
  const step = 96 * MINUTE - 40_000;
  const rows = [
    ...Array.from({ length: 95 }, (_, m) => windowRows(7, KICK_OFF + m * MINUTE)).flat(),
    ...Array.from({ length: 31 }, (_, m) => windowRows(7, KICK_OFF + 95 * MINUTE + m * MINUTE)).flat(),
  ];

  it('without a replay step, runs every window since the match\'s first along one axis', () => {
    const figure = passesTimelineFigure(rows, new Map([[1, 'Home FC'], [2, 'Away FC']]));
    expect(figure.data).toHaveLength(2);
    expect(figure.data[0]!.name).toBe('Home FC (match 7)');
    expect(Math.max(...(figure.data[0]!.x as number[]))).toBe(125);
  });

  it('with the producer\'s replay step, shows each match\'s latest replay on its own match clock', () => {
    const figure = passesTimelineFigure(rows, new Map([[1, 'Home FC'], [2, 'Away FC']]), { replayStepMs: step });
    const home = figure.data[0]!;
    expect(home.name).toBe('Home FC (match 7, replay 2)');
    const x = home.x as number[];
    expect(x).toHaveLength(31);
    expect(x[0]).toBe(0); // the window that began 20 s before the replay counts as its minute 0
    expect(Math.max(...x)).toBeLessThan(31);
    expect((figure.layout?.xaxis as { title: { text: string } }).title.text).toMatch(/latest replay/);
    expect(possessionTimelineFigure(rows, undefined, { replayStepMs: step }).data[0]!.name).toBe('team 1 (match 7, replay 2)');
  });
});
