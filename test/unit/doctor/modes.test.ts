// Modes: PITCHSTREAM_MODE picks the profile; notebooks never carry Spark settings.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config';
import { doctorConf } from '../../../lib/doctor';
import { root, rapidsJar } from './fixture-facts';

describe('mode selection', () => {
  it('gives the cpu mode no RAPIDS plugin and no GPU resource', () => {
    const config = loadConfig({}, { PITCHSTREAM_MODE: 'cpu' });
    const { conf } = doctorConf({ config }, config.mode, rapidsJar);
    expect(config.mode).toBe('cpu');
    expect(conf['spark.plugins']).toBeUndefined();
    expect(Object.keys(conf).filter((key) => /rapids|resource\.gpu|extraClassPath/.test(key))).toEqual([]);
    expect(conf['spark.metrics.conf']).toBe(path.join(root, 'spark-conf', 'metrics.properties'));
  });

  it('gives the gpu mode every key of its profile on top of the same base', () => {
    const config = loadConfig({}, { PITCHSTREAM_MODE: 'gpu' });
    const { conf } = doctorConf({ config }, config.mode, rapidsJar);
    expect(conf).toMatchObject({
      'spark.plugins': 'com.nvidia.spark.SQLPlugin',
      'spark.rapids.sql.enabled': 'true',
      'spark.rapids.sql.explain': 'NOT_ON_GPU',
      'spark.rapids.memory.pinnedPool.size': '2g',
      'spark.executor.memoryOverhead': '2560m',
      'spark.executor.resource.gpu.amount': '1',
      'spark.task.resource.gpu.amount': '0.5',
      'spark.executor.cores': '2',
      'spark.driver.extraClassPath': rapidsJar,
      'spark.executor.extraClassPath': rapidsJar,
      'spark.executor.resource.gpu.discoveryScript': path.join(root, 'spark-rapids', 'getGpusResources.sh'),
      'spark.worker.resource.gpu.amount': '1',
      'spark.worker.resource.gpu.discoveryScript': path.join(root, 'spark-rapids', 'getGpusResources.sh'),
      'spark.driver.memory': '1g',
      'spark.metrics.conf': path.join(root, 'spark-conf', 'metrics.properties'),
    });
    expect(Number(conf['spark.task.resource.gpu.amount']) * Number(conf['spark.executor.cores'])).toBe(1);
  });
});

describe('notebooks', () => {
  const dir = path.join(root, 'notebooks');
  const notebooks = fs.readdirSync(dir).filter((file) => file.endsWith('.ipynb'));

  it('exist to be scanned', () => {
    expect(notebooks.length).toBeGreaterThan(0);
  });

  it.each(notebooks)('%s holds no Spark setting in its cells', (file) => {
    const notebook = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
    const offending = notebook.cells
      .filter((cell) => cell.cell_type === 'code')
      .flatMap((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source).split('\n'))
      .filter((line) => /['"`]spark\.[a-z]+\.[\w.]+['"`]|SparkConf|--conf\b|\.config\(\s*['"`]spark\./.test(line));
    expect(offending).toEqual([]);
  });
});
