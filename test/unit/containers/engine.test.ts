import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config';
import { openEngine } from '../../../lib/containers';
import { isPitchstreamError } from '../../../lib/errors';
import { configSparkSettings } from '../../../lib/spark';

describe('openEngine', () => {
  const path0 = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path0;
  });

  for (const engine of ['auto', 'docker', 'podman'] as const) {
    it(`names the missing engine and how to install one (PITCHSTREAM_CONTAINER_ENGINE=${engine})`, async () => {
      // A PATH with neither docker, podman nor docker-compose on it.
      const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-engine-'));
      process.env.PATH = `${empty}:/usr/bin/does-not-exist`;
      try {
        await openEngine(loadConfig({ containerEngine: engine }, {}));
        expect.unreachable();
      } catch (error) {
        expect(isPitchstreamError(error, 'CONTAINER_ENGINE_MISSING')).toBe(true);
        expect((error as { fix: string }).fix).toMatch(/Docker|podman/);
      } finally {
        fs.rmSync(empty, { recursive: true, force: true });
      }
    });
  }
});

describe('configSparkSettings', () => {
  it('gives a driver in a container its name and fixed ports, and binds it to every interface', () => {
    const config = loadConfig({ sparkDriverHost: 'jupyter-lab' }, {});
    expect(configSparkSettings(config)).toEqual({
      'spark.ui.port': '4040',
      'spark.driver.host': 'jupyter-lab',
      'spark.driver.bindAddress': '0.0.0.0',
      'spark.driver.port': '7078',
      'spark.blockManager.port': '7079',
    });
  });

  it('leaves the driver to Spark when it runs on the host', () => {
    expect(configSparkSettings(loadConfig({}, {}))).toEqual({ 'spark.ui.port': '4040' });
  });
});
