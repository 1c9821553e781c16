import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, versions } from '../../../lib/config';
import { isPitchstreamError } from '../../../lib/errors';
import { rapidsJarPath } from '../../../lib/spark/gpu-check';
import { confEntries, effectiveSparkConf, formatSparkConf, mergeSparkConf, parseSparkConf } from '../../../lib/spark/spark-conf';

const root = projectRoot();
const home = path.join(root, '.pitchstream');
const variables = { root, home, rapidsJar: rapidsJarPath(home, versions()) };

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('parseSparkConf', () => {
  it('reads key-whitespace-value lines and skips comments and blank lines', () => {
    const entries = parseSparkConf('# comment\n\nspark.a   1\n  spark.b\tsome value with spaces  \n', 'x.conf');
    expect(entries).toEqual([
      { key: 'spark.a', value: '1', source: 'x.conf:3' },
      { key: 'spark.b', value: 'some value with spaces', source: 'x.conf:4' },
    ]);
  });

  it('names the file and line of a key without a value', () => {
    const error = thrown(() => parseSparkConf('spark.a 1\nspark.b=2\n', 'profile.conf'));
    expect(isPitchstreamError(error, 'SPARK_CONF_INVALID')).toBe(true);
    expect((error as Error).message).toContain('profile.conf:2');
  });

  it('rejects a key set twice in one file, naming both lines', () => {
    const error = thrown(() => parseSparkConf('spark.a 1\n\nspark.a 2\n', 'dup.conf'));
    expect((error as Error).message).toMatch(/dup\.conf:3: spark\.a is already set on line 1/);
  });
});

describe('mergeSparkConf', () => {
  it('lets a later layer win and expands placeholders', () => {
    const merged = mergeSparkConf(
      [parseSparkConf('spark.a 1\nspark.dir {{root}}/x\n', 'base.conf'), confEntries({ 'spark.a': '2' }, 'override')],
      { root: '/r' },
    );
    expect(merged).toEqual({ 'spark.a': '2', 'spark.dir': '/r/x' });
  });

  it('names the line of an unknown placeholder', () => {
    const error = thrown(() => mergeSparkConf([parseSparkConf('spark.a 1\nspark.b {{nope}}\n', 'p.conf')], { root: '/r' }));
    expect(isPitchstreamError(error, 'SPARK_CONF_INVALID')).toBe(true);
    expect((error as Error).message).toContain('p.conf:2: unknown placeholder {{nope}}');
  });

  it('writes a properties file that parses back to the same settings', () => {
    const conf = { 'spark.a': '1', 'spark.path': 'C:\\tmp\\x' };
    const text = formatSparkConf(conf, 'header\nsecond line');
    expect(text).toContain('spark.path C:\\\\tmp\\\\x');
    expect(parseSparkConf(text, 'written.conf').map((e) => e.key)).toEqual(['spark.a', 'spark.path']);
  });
});

describe('the profiles in spark-conf/', () => {
  const cpu = effectiveSparkConf({ root, mode: 'cpu', variables });
  const gpu = effectiveSparkConf({ root, mode: 'gpu', variables });

  it('give cpu the small-machine base and nothing of RAPIDS', () => {
    expect(cpu['spark.driver.memory']).toBe('1g');
    expect(cpu['spark.sql.shuffle.partitions']).toBe('4');
    expect(cpu['spark.sql.session.timeZone']).toBe('UTC');
    expect(cpu['spark.ui.showConsoleProgress']).toBe('false');
    expect(cpu['spark.eventLog.enabled']).toBe('false');
    expect(cpu['spark.plugins']).toBeUndefined();
    expect(Object.keys(cpu).filter((key) => key.includes('rapids') || key.includes('resource.gpu'))).toEqual([]);
  });

  it('give gpu every RAPIDS key on top of the same base', () => {
    expect(gpu).toMatchObject({
      'spark.plugins': 'com.nvidia.spark.SQLPlugin',
      'spark.rapids.sql.enabled': 'true',
      'spark.rapids.sql.explain': 'NOT_ON_GPU',
      'spark.executor.resource.gpu.amount': '1',
      'spark.executor.resource.gpu.discoveryScript': path.join(root, 'spark-rapids', 'getGpusResources.sh'),
      'spark.driver.extraClassPath': variables.rapidsJar,
      'spark.executor.extraClassPath': variables.rapidsJar,
      'spark.driver.memory': '1g',
    });
    expect(gpu['spark.rapids.memory.pinnedPool.size']).toMatch(/^\d+[mg]$/);
    expect(variables.rapidsJar).toContain(`rapids-4-spark_${versions().scala}-${versions().rapids}.jar`);
  });

  it('give each gpu task 1 / executor cores of the GPU', () => {
    expect(Number(gpu['spark.task.resource.gpu.amount']) * Number(gpu['spark.executor.cores'])).toBe(1);
  });

  it('point at files that exist: the discovery script (executable) and metrics.properties', () => {
    fs.accessSync(gpu['spark.executor.resource.gpu.discoveryScript']!, fs.constants.X_OK);
    expect(fs.existsSync(cpu['spark.metrics.conf']!)).toBe(true);
  });
});
