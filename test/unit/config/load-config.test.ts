import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, projectRoot, SETTINGS } from '../../../lib/config';
import { isPitchstreamError } from '../../../lib/errors';

function capture(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('loadConfig', () => {
  it('uses the documented defaults when the environment sets nothing', () => {
    const config = loadConfig({}, {});
    expect(config.kafkaPort).toBe(9092);
    expect(config.sparkMaster).toBe('local[*]');
    expect(config.mode).toBe('cpu');
    expect(config.home).toBe(path.join(projectRoot(), '.pitchstream'));
    expect(config.kafkaBootstrap).toBeUndefined();
  });

  it('lets the environment override defaults and explicit overrides win over both', () => {
    const env = { PITCHSTREAM_KAFKA_PORT: '19092', SPARK_MASTER: 'spark://10.0.0.1:7077', KAFKA_BOOTSTRAP: 'broker:9092' };
    const config = loadConfig({ kafkaPort: 29092 }, env);
    expect(config.kafkaPort).toBe(29092);
    expect(config.sparkMaster).toBe('spark://10.0.0.1:7077');
    expect(config.kafkaBootstrap).toBe('broker:9092');
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({}, {}))).toBe(true);
  });

  it('names the variable and the value when a port is malformed', () => {
    const error = capture(() => loadConfig({}, { PITCHSTREAM_KAFKA_PORT: 'ninety' }));
    expect(isPitchstreamError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/PITCHSTREAM_KAFKA_PORT.*"ninety"/);
  });

  it('rejects a mode other than cpu or gpu', () => {
    expect(isPitchstreamError(capture(() => loadConfig({}, { PITCHSTREAM_MODE: 'tpu' })), 'CONFIG_INVALID')).toBe(true);
  });

  it('rejects an unknown PITCHSTREAM_ variable with a did-you-mean hint', () => {
    const error = capture(() => loadConfig({}, { PITCHSTREAM_KAFKA_PROT: '9092' }));
    expect(isPitchstreamError(error, 'CONFIG_UNKNOWN_VARIABLE')).toBe(true);
    expect((error as Error).message).toContain('Did you mean PITCHSTREAM_KAFKA_PORT?');
  });

  it('ignores variables outside its namespace', () => {
    expect(() => loadConfig({}, { HOME: '/root', SOME_OTHER_PORT: 'x' })).not.toThrow();
  });

  it('documents every setting with a variable and a description', () => {
    for (const setting of SETTINGS) {
      expect(setting.variable).toMatch(/^(PITCHSTREAM_|KAFKA_|SPARK_|STATSBOMB_)/);
      expect(setting.description.length).toBeGreaterThan(10);
    }
  });
});
