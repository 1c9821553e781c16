import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config';
import { isPitchstreamError } from '../../../lib/errors';
import { requireGpuReady } from '../../../lib/spark/gpu-check';
import { submitJob } from '../../../lib/spark/submit-job';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-gpu-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A folder holding a tiny nvidia-smi that prints `output`, for PATH. */
function fakeNvidiaSmi(name: string, output: string): string {
  const bin = path.join(dir, name);
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'nvidia-smi'), `#!/bin/sh\nprintf '${output}'\n`, { mode: 0o755 });
  return bin;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('requireGpuReady', () => {
  const jar = path.join(dir, 'rapids.jar');

  it('refuses gpu mode when nvidia-smi is not on PATH', async () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const error = await rejection(requireGpuReady({ rapidsJar: jar, env: { PATH: empty } }));
    expect(isPitchstreamError(error, 'GPU_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('nvidia-smi is not on PATH');
  });

  it('refuses gpu mode when nvidia-smi lists no GPU', async () => {
    const error = await rejection(requireGpuReady({ rapidsJar: jar, env: { PATH: fakeNvidiaSmi('none', '') } }));
    expect(isPitchstreamError(error, 'GPU_UNAVAILABLE')).toBe(true);
  });

  it('refuses gpu mode when the RAPIDS jar is missing, naming its path', async () => {
    const error = await rejection(requireGpuReady({ rapidsJar: jar, env: { PATH: fakeNvidiaSmi('one', '0, NVIDIA H100\\n') } }));
    expect(isPitchstreamError(error, 'RAPIDS_MISSING')).toBe(true);
    expect((error as Error).message).toContain(jar);
  });

  it('accepts a listed GPU and an installed jar', async () => {
    fs.writeFileSync(jar, '');
    await expect(requireGpuReady({ rapidsJar: jar, env: { PATH: path.join(dir, 'one') } })).resolves.toBeUndefined();
  });
});

describe('submitJob in gpu mode', () => {
  it('fails before launching anything when the GPU or the RAPIDS jar is missing', async () => {
    const home = path.join(dir, 'home');
    const config = loadConfig({ mode: 'gpu', home }, {});
    const error = await rejection(submitJob('smoke_kafka_to_arrow', [], { config }));
    expect(isPitchstreamError(error) && ['GPU_UNAVAILABLE', 'RAPIDS_MISSING'].includes(error.code)).toBe(true);
    expect(fs.existsSync(path.join(home, 'logs'))).toBe(false);
  });
});
