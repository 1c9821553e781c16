// The pinned versions from versions.json, typed, for lib and the doctor.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './paths';

export interface Versions {
  spark: string;
  scala: string;
  kafka: string;
  rapids: string;
  log4j: string;
  /** npm of the jupyter-lab image (Debian's is too old for the lock file's overrides). */
  npm: string;
  mavenRepository: string;
  python: Record<string, string>;
  /** Python packages only the tests use (installed by `npm test`'s set-up). */
  pythonTests: Record<string, string>;
  prerequisites: { node: string; python: string; java: string };
}

let cached: Versions | undefined;

export function versions(): Versions {
  cached ??= JSON.parse(fs.readFileSync(path.join(projectRoot(), 'versions.json'), 'utf8')) as Versions;
  return cached;
}
