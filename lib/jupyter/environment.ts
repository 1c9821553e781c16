// The environment Jupyter runs in: the project venv first on PATH, and only the venv's kernels
// and pitchstream's own config and data folders (the user's global Jupyter is never read or written).
import path from 'node:path';
import { installPaths, requireInstalled, versions, type Config } from '../config';

export interface JupyterInstall {
  /** <venv>/bin/jupyter */
  jupyter: string;
  /** <venv>/bin/python */
  python: string;
  /** Environment variables for every Jupyter process pitchstream starts. */
  env: Record<string, string>;
}

/** Variables that confine Jupyter to the venv; pure, so the unit tests can check them. */
export function jupyterEnvironment(venv: string, home: string, basePath: string | undefined): Record<string, string> {
  const state = path.join(home, 'jupyter');
  return {
    PATH: [path.join(venv, 'bin'), basePath].filter((p) => p !== undefined && p !== '').join(path.delimiter),
    // Searched before the user's and the system's folders: the tslab kernel registered by the set-up.
    JUPYTER_PATH: path.join(venv, 'share', 'jupyter'),
    JUPYTER_PREFER_ENV_PATH: '1',
    // Replace ~/.jupyter and ~/.local/share/jupyter, so no user setting or kernel leaks in or out.
    JUPYTER_CONFIG_DIR: path.join(state, 'config'),
    JUPYTER_DATA_DIR: path.join(state, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(state, 'runtime'),
  };
}

/** The venv's Jupyter, checked to be installed, with its environment. */
export function jupyterInstall(config: Config): JupyterInstall {
  const paths = installPaths(config.home, versions());
  return {
    jupyter: requireInstalled(path.join(paths.venv, 'bin', 'jupyter'), 'Jupyter (in the project venv)'),
    python: requireInstalled(paths.python, 'Python (the project venv)'),
    env: jupyterEnvironment(paths.venv, config.home, process.env.PATH),
  };
}
