import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isPitchstreamError, PitchstreamError } from '../../../lib/errors';
import { describeData, hyperParameterArgs, prepareTrainingEvents, trainingSplitError, type TrainingMatchRow } from '../../../lib/training';
import { SAMPLE_DIR, SAMPLE_MISSING_REASON } from '../data/statsbomb-sample';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-prepare-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const lines = (dir: string): string[] =>
  fs
    .readdirSync(dir)
    .sort()
    .flatMap((file) => zlib.gunzipSync(fs.readFileSync(path.join(dir, file))).toString('utf8').split('\n').filter(Boolean));

describe('hyperParameterArgs', () => {
  it('turns options into the job flags', () => {
    expect(hyperParameterArgs({ numTrees: 50, maxDepth: 6, split: 'season', testSeasons: 2 })).toEqual([
      '--num-trees', '50', '--max-depth', '6', '--split', 'season', '--test-seasons', '2',
    ]);
    expect(hyperParameterArgs({})).toEqual([]);
  });

  it('names the option, the expectation and the value it received', () => {
    const error = (() => {
      try {
        hyperParameterArgs({ testFraction: 1.5 });
      } catch (e) {
        return e;
      }
    })();
    expect(isPitchstreamError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toBe('trainLwp option testFraction must be in (0, 1), got 1.5');
    expect(() => hyperParameterArgs({ numTrees: 0 })).toThrow('numTrees must be an integer ≥ 1, got 0');
    expect(() => hyperParameterArgs({ calibrationFraction: 0 })).toThrow('calibrationFraction must be in (0, 1), got 0');
    expect(() => hyperParameterArgs({ calibration: 'isotonic' as never })).toThrow(`calibration must be 'logistic' or 'none', got "isotonic"`);
  });

  it('passes the calibration settings to the job', () => {
    expect(hyperParameterArgs({ calibration: 'none' })).toEqual(['--calibration', 'none']);
    expect(hyperParameterArgs({ calibration: 'logistic', calibrationFraction: 0.3, calibrationRegParam: 0.001 })).toEqual([
      '--calibration', 'logistic', '--calibration-fraction', '0.3', '--calibration-reg-param', '0.001',
    ]);
  });
});

describe('trainingSplitError', () => {
  it("turns the job's TrainingSplitError into TRAINING_SPLIT_INVALID with the job's message, and leaves other failures alone", () => {
    const failed = new PitchstreamError('JOB_FAILED', 'job train_lwp failed', {
      details: { errorType: 'pitchstream_jobs.lwp_training.TrainingSplitError', errorMessage: 'the split leaves calibration without a match', logPath: '/l' },
    });
    const translated = trainingSplitError(failed) as PitchstreamError;
    expect(translated.code).toBe('TRAINING_SPLIT_INVALID');
    expect(translated.message).toBe('the split leaves calibration without a match');
    expect(translated.cause).toBe(failed);
    expect(translated.fix).toMatch(/calibrationFraction/);
    const other = new PitchstreamError('JOB_FAILED', 'boom', { details: { errorType: 'ValueError' } });
    expect(trainingSplitError(other)).toBe(other);
  });
});

describe('prepareTrainingEvents', () => {
  it('writes synthetic matches as contract records in whole-match part files, with a labelled matches table', async () => {
    const prepared = await prepareTrainingEvents({ kind: 'synthetic', matches: 3, seed: 4 }, { outDir: path.join(work, 'synthetic'), parts: 2 });
    expect(prepared).toMatchObject({ synthetic: true, matches: 3, competitionIds: [9999] });
    expect(fs.readdirSync(prepared.eventsDir).sort()).toEqual(['events-00.ndjson.gz', 'events-01.ndjson.gz']);
    const events = lines(prepared.eventsDir).map((line) => JSON.parse(line) as { match_id: number; synthetic: boolean });
    expect(events.length).toBe(prepared.events);
    expect(events.every((event) => event.synthetic)).toBe(true);
    // A match never straddles two files.
    const fileOf = new Map<number, string>();
    for (const file of fs.readdirSync(prepared.eventsDir))
      for (const line of zlib.gunzipSync(fs.readFileSync(path.join(prepared.eventsDir, file))).toString('utf8').split('\n').filter(Boolean)) {
        const id = (JSON.parse(line) as { match_id: number }).match_id;
        expect(fileOf.get(id) ?? file).toBe(file);
        fileOf.set(id, file);
      }
    const matches = fs.readFileSync(prepared.matchesFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as TrainingMatchRow);
    expect(matches.map((m) => m.synthetic)).toEqual([true, true, true]);
    expect(describeData(prepared)).toBe('SYNTHETIC: 3 matches from the pitchstream generator');
  });

  it.skipIf(SAMPLE_MISSING_REASON !== undefined)('selects real matches by competition, season and count per season', async () => {
    const prepared = await prepareTrainingEvents(
      { kind: 'statsbomb', dir: SAMPLE_DIR, competitionIds: [11], seasonIds: [42, 90], matchesPerSeason: 1 },
      { outDir: path.join(work, 'real'), threeSixty: false },
    );
    expect(prepared.synthetic).toBe(false);
    expect(prepared.seasons.map((s) => [s.seasonName, s.matches])).toEqual([['2019/2020', 1], ['2020/2021', 1]]);
    const matches = fs.readFileSync(prepared.matchesFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as TrainingMatchRow);
    expect(matches.every((m) => m.competition_id === 11 && Number.isInteger(m.home_score))).toBe(true);
    expect(describeData(prepared)).toMatch(/^StatsBomb open data: competitions 11, 2 matches, seasons 2019\/2020–2020\/2021$/);
  });

  it.skipIf(SAMPLE_MISSING_REASON !== undefined)('fails with TRAINING_DATA_EMPTY naming a competition that is not there', async () => {
    await expect(prepareTrainingEvents({ kind: 'statsbomb', dir: SAMPLE_DIR, competitionIds: [424242] }, { outDir: path.join(work, 'none') })).rejects.toMatchObject({
      code: 'TRAINING_DATA_EMPTY',
    });
  });
});
