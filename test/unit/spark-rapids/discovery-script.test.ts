// The GPU discovery script that the gpu profile gives workers and executors, run with a fake
// nvidia-smi on PATH (no GPU on the machines that run the tests).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../lib/config';

const script = path.join(projectRoot(), 'spark-rapids', 'getGpusResources.sh');
let dirs: string[] = [];

function withFakeNvidiaSmi(output: string | undefined) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-nvidia-smi-'));
  dirs.push(dir);
  if (output !== undefined) {
    fs.writeFileSync(path.join(dir, 'nvidia-smi'), `#!/bin/sh\n[ "$*" = "--query-gpu=index --format=csv,noheader" ] || exit 9\nprintf '${output}'\n`, { mode: 0o755 });
  }
  return spawnSync(script, [], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin` } });
}

afterEach(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe('spark-rapids/getGpusResources.sh', () => {
  it('prints the GPU resource JSON Spark expects, one address per GPU that nvidia-smi lists', () => {
    const run = withFakeNvidiaSmi('0\\n 1\\n');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ name: 'gpu', addresses: ['0', '1'] });
  });

  it('fails with a message when nvidia-smi lists no GPU', () => {
    const run = withFakeNvidiaSmi('');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('lists no GPU');
  });

  it('fails with a message when nvidia-smi is not on PATH', () => {
    const run = withFakeNvidiaSmi(undefined);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('nvidia-smi not found');
  });
});
