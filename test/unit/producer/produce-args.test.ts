import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProduceArgs } from '../../../bin/produce';
import { loadConfig } from '../../../lib/config';
import { isPitchstreamError } from '../../../lib/errors';

const config = loadConfig({ kafkaPort: 19092 }, {});

describe('produce arguments', () => {
  it('defaults to the StatsBomb folder of the config at 4,096 events/s into statsbomb-360-events, once', () => {
    const options = parseProduceArgs([], config);
    expect(options).toMatchObject({
      bootstrap: '127.0.0.1:19092',
      source: { kind: 'statsbomb', dir: config.statsbombData },
      rate: { kind: 'fixed', eventsPerSecond: 4_096 },
      topic: 'statsbomb-360-events',
      rounds: 1,
      onBadFile: 'skip',
      compression: 'none',
    });
    expect(path.dirname(options.outputDir)).toBe(config.outputs);
    expect(path.basename(options.outputDir)).toMatch(/^produce-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
  });

  it('reads the selection, pace, loop and Kafka flags', () => {
    const options = parseProduceArgs(
      ['--data', 'x', '--competition', '11', '--season', '90', '--limit', '3', '--speed', '60', '--loop', '--partitions', '8', '--retention-ms', '3600000', '--compression', 'gzip', '--on-bad-file', 'fail', '--lanes', '2', '--out', 'o'],
      config,
    );
    expect(options).toMatchObject({
      source: { kind: 'statsbomb', dir: path.resolve('x'), competitionId: 11, seasonId: 90, limit: 3 },
      rate: { kind: 'match-clock', speed: 60 },
      rounds: Infinity,
      partitions: 8,
      retentionMs: 3_600_000,
      compression: 'gzip',
      onBadFile: 'fail',
      lanes: 2,
      outputDir: path.resolve('o'),
    });
    expect(parseProduceArgs(['--matches', '15946, 15956', '--rate', 'max', '--rounds', '3'], config)).toMatchObject({
      source: { matchIds: [15946, 15956] },
      rate: { kind: 'max' },
      rounds: 3,
    });
    expect(parseProduceArgs(['--synthetic', '4', '--seed', '9'], config).source).toEqual({ kind: 'synthetic', matches: 4, seed: 9 });
  });

  it.each([
    [['--rate', 'fast'], '--rate must be a number > 0, got "fast"'],
    [['--rate', '100', '--speed', '60'], '--speed must be used without --rate'],
    [['--synthetic', '2', '--data', 'x'], '--synthetic must be used without --data'],
    [['--competition', '11'], '--competition must be given with --competition/--season as a pair'],
    [['--on-bad-file', 'ignore'], '--on-bad-file must be skip or fail, got "ignore"'],
    [['--matches', '1,x'], '--matches must be a whole number ≥ 1, got "x"'],
    [['--loop', '--rounds', '2'], '--rounds must be used without --loop'],
  ])('rejects %j, naming the flag, what it expects and what came', (argv, message) => {
    let caught: unknown;
    try {
      parseProduceArgs(argv, config);
    } catch (error) {
      caught = error;
    }
    expect(isPitchstreamError(caught, 'CONFIG_INVALID')).toBe(true);
    expect((caught as Error).message).toContain(message);
  });
});
