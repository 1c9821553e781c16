// Where things are on disk: the project root and the folders the set-up fills.
import fs from 'node:fs';
import path from 'node:path';
import { PitchstreamError } from '../errors';

let cachedRoot: string | undefined;

/** The project root: the nearest folder above this file that holds versions.json. */
export function projectRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'versions.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`pitchstream: versions.json not found above ${__dirname}`);
    dir = parent;
  }
  cachedRoot = dir;
  return dir;
}

export interface InstallPaths {
  venv: string;
  python: string;
  sparkHome: string;
  kafkaJars: string;
  sparkKafkaJars: string;
  run: string;
  logs: string;
}

/** Paths of what `npm run setup` installs under the home folder, and of the stack's run state. */
export function installPaths(home: string, versions: { kafka: string; spark: string }): InstallPaths {
  const venv = path.join(home, 'venv');
  const lib = path.join(venv, 'lib');
  const pythonDir = fs.existsSync(lib) ? fs.readdirSync(lib).find((d) => d.startsWith('python')) : undefined;
  return {
    venv,
    python: path.join(venv, 'bin', 'python'),
    sparkHome: path.join(lib, pythonDir ?? 'python3', 'site-packages', 'pyspark'),
    kafkaJars: path.join(home, 'jars', `kafka-${versions.kafka}`),
    sparkKafkaJars: path.join(home, 'jars', `spark-kafka-${versions.spark}`),
    run: path.join(home, 'run'),
    logs: path.join(home, 'logs'),
  };
}

/** Fails with the set-up hint when something the set-up installs is missing. */
export function requireInstalled(file: string, what: string): string {
  if (!fs.existsSync(file))
    throw new PitchstreamError('SETUP_MISSING', `${what} is not installed (${file} is missing)`, { details: { file } });
  return file;
}
