import { describe, expect, it } from 'vitest';
import { isPitchstreamError } from '../../../lib/errors';
import { batchIdOf, matchStatsArguments } from '../../../lib/streaming';

describe('matchStatsArguments', () => {
  it('turns the options into the job arguments', () => {
    expect(
      matchStatsArguments({ bootstrap: 'h:1', windowMinutes: 2, slideMinutes: 1, maxOffsetsPerTrigger: 500, availableNow: true, watermarkDelay: '5 minutes' }, '/out'),
    ).toEqual([
      '--bootstrap', 'h:1', '--output', '/out', '--topic', 'statsbomb-360-events',
      '--max-offsets-per-trigger', '500', '--watermark-delay', '5 minutes', '--available-now', '--window-minutes', '2', '--slide-minutes', '1',
    ]);
  });

  it('names the option, what was expected and what came', () => {
    for (const options of [{ maxOffsetsPerTrigger: 1.5 }, { windowMinutes: 0 }, { slideMinutes: 3 }, { watermarkDelay: 'soon' }, { triggerMs: -1 }]) {
      let error: unknown;
      try {
        matchStatsArguments({ bootstrap: 'h:1', ...options }, '/out');
      } catch (caught) {
        error = caught;
      }
      expect(isPitchstreamError(error, 'CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toContain(Object.keys(options)[0]!);
    }
  });
});

describe('batchIdOf', () => {
  it('reads the batch id of a batch file and ignores temporary files', () => {
    expect(batchIdOf('/x/stats/batch-0000000042.arrow')).toBe(42);
    expect(batchIdOf('.batch-0000000042.arrow.tmp-7')).toBeUndefined();
  });
});
