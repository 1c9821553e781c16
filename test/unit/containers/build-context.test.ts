import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPaths, loadConfig, projectRoot, versions, type Config } from '../../../lib/config';
import { assembleBuildContext, CONTAINER_ROOT, containerSparkConf } from '../../../lib/containers';
import { isPitchstreamError } from '../../../lib/errors';
import { parseSparkConf } from '../../../lib/spark';

describe('the Spark configuration of the containers', () => {
  for (const mode of ['cpu', 'gpu'] as const) {
    it(`is rendered for the container paths in ${mode} mode, with no placeholder left`, () => {
      const text = containerSparkConf(projectRoot(), mode);
      expect(text).not.toContain('{{');
      const conf = Object.fromEntries(parseSparkConf(text, 'rendered').map((e) => [e.key, e.value]));
      expect(conf['spark.metrics.conf']).toBe(`${CONTAINER_ROOT}/spark-conf/metrics.properties`);
      if (mode === 'gpu') {
        expect(conf['spark.plugins']).toBe('com.nvidia.spark.SQLPlugin');
        expect(conf['spark.worker.resource.gpu.discoveryScript']).toBe(`${CONTAINER_ROOT}/spark-rapids/getGpusResources.sh`);
        expect(conf['spark.executor.extraClassPath']).toBe(
          `${CONTAINER_ROOT}/.pitchstream/jars/rapids-${versions().rapids}/rapids-4-spark_${versions().scala}-${versions().rapids}.jar`,
        );
      } else expect(conf['spark.plugins']).toBeUndefined();
    });
  }
});

describe('assembleBuildContext', () => {
  let home: string;
  let config: Config;

  beforeAll(() => {
    // A home with the set-up's jar folders (empty jars will do: the context links them).
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-context-'));
    config = loadConfig({ home });
    const paths = installPaths(home, versions());
    for (const dir of [paths.kafkaJars, paths.sparkKafkaJars]) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'a.jar'), 'jar');
    }
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('holds what the Dockerfile copies, rendered configuration included, and nothing of data, venv or node_modules', () => {
    const context = assembleBuildContext(config, 'example/base:1');
    const has = (p: string) => fs.existsSync(path.join(context.dir, p));
    for (const p of ['project/dist/bin/pitchstream.js', 'project/jobs/stream_match_stats.py', 'project/notebooks', 'project/package-lock.json', 'project/spark-rapids/getGpusResources.sh', 'spark/spark-cpu.conf', 'spark/spark-gpu.conf', 'kafka/server.properties', 'kafka/log4j2.properties', 'entrypoints/spark.sh', 'prometheus/prometheus.yml', `jars/kafka-${versions().kafka}/a.jar`])
      expect(has(p), p).toBe(true);
    for (const p of ['project/node_modules', 'project/data', 'project/.pitchstream', 'venv']) expect(has(p), p).toBe(false);
    expect(fs.statSync(path.join(context.dir, 'project/spark-rapids/getGpusResources.sh')).mode & 0o111).not.toBe(0);
  });

  it('tags the images with the Spark version and a hash that changes with their content only', () => {
    const first = assembleBuildContext(config, 'example/base:1');
    expect(first.tag).toMatch(new RegExp(`^${versions().spark.replace(/\./g, '\\.')}-[0-9a-f]{12}$`));
    expect(assembleBuildContext(config, 'example/base:1').tag).toBe(first.tag);
    expect(assembleBuildContext(config, 'example/base:2').tag).not.toBe(first.tag);
  });

  it('takes extra CA certificates for the builds, and names a missing file', () => {
    const ca = path.join(home, 'extra.pem');
    fs.writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
    const context = assembleBuildContext({ ...config, buildCaCerts: ca }, 'example/base:1');
    expect(fs.readFileSync(path.join(context.dir, 'ca', 'extra-ca.crt'), 'utf8')).toContain('BEGIN CERTIFICATE');
    try {
      assembleBuildContext({ ...config, buildCaCerts: path.join(home, 'missing.pem') }, 'example/base:1');
      expect.unreachable();
    } catch (error) {
      expect(isPitchstreamError(error, 'CONFIG_INVALID')).toBe(true);
      expect(String(error)).toContain('PITCHSTREAM_BUILD_CA_CERTS');
    }
  });

  it('fails with the set-up hint when the set-up has not fetched the jars', () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-bare-'));
    try {
      assembleBuildContext(loadConfig({ home: bare }), 'example/base:1');
      expect.unreachable();
    } catch (error) {
      expect(isPitchstreamError(error, 'SETUP_MISSING')).toBe(true);
      expect((error as Error).message).toContain(`Kafka ${versions().kafka} jars`);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });
});
