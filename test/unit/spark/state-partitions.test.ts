import { describe, expect, it } from 'vitest';
import { LOCAL_CHECKPOINT_CONF, localMasterCores, statefulStreamingConf } from '../../../lib/spark';

describe('localMasterCores', () => {
  it('reads the cores of local masters and knows none for a cluster', () => {
    expect(localMasterCores('local', 8)).toBe(1);
    expect(localMasterCores('local[3]', 8)).toBe(3);
    expect(localMasterCores('local[*]', 8)).toBe(8);
    expect(localMasterCores('local[2,4]', 8)).toBe(2);
    expect(localMasterCores('spark://127.0.0.1:7077', 8)).toBeUndefined();
    expect(localMasterCores('k8s://https://cluster:6443', 8)).toBeUndefined();
  });
});

describe('statefulStreamingConf', () => {
  it('gives a local stateful job one shuffle partition per core, keeping the rest of conf', () => {
    expect(statefulStreamingConf('local[*]', { 'spark.driver.memory': '2g' }, 2)).toEqual({
      ...LOCAL_CHECKPOINT_CONF,
      'spark.sql.shuffle.partitions': '2',
      'spark.driver.memory': '2g',
    });
  });

  it('leaves an explicit partition count and cluster masters to the profile', () => {
    expect(statefulStreamingConf('local[*]', { 'spark.sql.shuffle.partitions': '8' }, 2)).toEqual({ ...LOCAL_CHECKPOINT_CONF, 'spark.sql.shuffle.partitions': '8' });
    expect(statefulStreamingConf('spark://127.0.0.1:7077', {}, 2)).toEqual(LOCAL_CHECKPOINT_CONF);
  });

  it('writes checkpoints without forking Hadoop shell commands, unless conf chooses otherwise', () => {
    expect(LOCAL_CHECKPOINT_CONF['spark.hadoop.fs.file.impl']).toBe('org.apache.hadoop.fs.RawLocalFileSystem');
    const mine = { 'spark.hadoop.fs.file.impl': 'org.apache.hadoop.fs.LocalFileSystem' };
    expect(statefulStreamingConf('local[2]', mine)['spark.hadoop.fs.file.impl']).toBe('org.apache.hadoop.fs.LocalFileSystem');
  });
});
