import { describe, expect, it } from 'vitest';
import { jupyterEnvironment } from '../../../lib/jupyter/environment';

describe('jupyterEnvironment', () => {
  const env = jupyterEnvironment('/p/.pitchstream/venv', '/p/.pitchstream', '/usr/bin:/bin');

  it('puts the venv first on PATH', () => {
    expect(env.PATH).toBe('/p/.pitchstream/venv/bin:/usr/bin:/bin');
  });

  it("reads kernels from the venv and keeps config, data and runtime files out of the user's Jupyter folders", () => {
    expect(env).toMatchObject({
      JUPYTER_PATH: '/p/.pitchstream/venv/share/jupyter',
      JUPYTER_PREFER_ENV_PATH: '1',
      JUPYTER_CONFIG_DIR: '/p/.pitchstream/jupyter/config',
      JUPYTER_DATA_DIR: '/p/.pitchstream/jupyter/data',
      JUPYTER_RUNTIME_DIR: '/p/.pitchstream/jupyter/runtime',
    });
  });
});
