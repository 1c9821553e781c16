// The build context of the images: the project files they need, the set-up's jars, and the Spark and
// Kafka configuration rendered for the paths inside the containers. Assembled afresh under
// PITCHSTREAM_HOME/containers/context so that nothing else of the working tree (data, venv,
// node_modules, reports) is sent to the engine; its content hash is the images' tag.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { installPaths, versions, type Config, type Mode } from '../config';
import { PitchstreamError } from '../errors';
import { effectiveSparkConf, formatSparkConf } from '../spark/spark-conf';
import { prometheusConfigYaml } from '../monitoring';
import { rapidsJarPath } from '../spark/gpu-check';
import { BROKER_LOG4J2, containerBrokerProperties } from '../stack/kafka-broker';
import { buildArgs, readDockerfile } from './images';

/** Where the project lives in every image (the same path everywhere, so run folders resolve alike). */
export const CONTAINER_ROOT = '/opt/pitchstream';
export const CONTAINER_HOME = `${CONTAINER_ROOT}/.pitchstream`;
export const CONTAINER_KAFKA_DATA = '/var/lib/kafka/data';

/** Project files and folders the images copy (relative to the project root). */
const PROJECT_FILES = [
  'versions.json',
  'package.json',
  'package-lock.json',
  'jobs',
  'contracts',
  'spark-conf',
  'spark-rapids',
  'dist',
  path.join('lib', 'jupyter', 'lab-settings'),
  'notebooks',
];
/** Never part of an image: caches, checkpoints, and the browser test's scratch notebooks. */
const SKIPPED = /(^|\/)(__pycache__|\.ipynb_checkpoints)(\/|$)|\.pyc$|browser-check-[^/]*\.ipynb$/;

export interface BuildContext {
  dir: string;
  /** Image tag: the Spark version and a hash of everything that goes into the images. */
  tag: string;
}

function copyTree(from: string, to: string, relative: string): void {
  if (SKIPPED.test(relative)) return;
  const stat = fs.statSync(from);
  if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from).sort()) copyTree(path.join(from, entry), path.join(to, entry), `${relative}/${entry}`);
  } else {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    fs.chmodSync(to, stat.mode & 0o777);
  }
}

/** Jars are large and never edited: hard links, or copies across file systems. */
function linkJars(from: string, to: string, what: string): void {
  if (!fs.existsSync(from))
    throw new PitchstreamError('SETUP_MISSING', `${what} are not installed (${from} is missing)`, { fix: 'Run npm run setup.' });
  fs.mkdirSync(to, { recursive: true });
  for (const jar of fs.readdirSync(from).filter((f) => f.endsWith('.jar'))) {
    try {
      fs.linkSync(path.join(from, jar), path.join(to, jar));
    } catch {
      fs.copyFileSync(path.join(from, jar), path.join(to, jar));
    }
  }
}

/** The Spark configuration of the daemons and executors in the containers, one file per mode. */
export function containerSparkConf(root: string, mode: Mode): string {
  const conf = effectiveSparkConf({
    root,
    mode,
    variables: { root: CONTAINER_ROOT, home: CONTAINER_HOME, rapidsJar: rapidsJarPath(CONTAINER_HOME, versions()) },
  });
  return formatSparkConf(conf, `Spark configuration of the compose stack's master and workers (mode ${mode}), rendered by lib/containers.`);
}

/** Hash of every file under dir, by relative path and content (jars by name and size). */
function hashTree(dir: string, extra: string): string {
  const hash = crypto.createHash('sha256').update(extra);
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(current, entry.name);
      const relative = path.relative(dir, file);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.jar')) hash.update(`${relative}\0${fs.statSync(file).size}\0`);
      else hash.update(`${relative}\0${fs.statSync(file).mode & 0o777}\0`).update(fs.readFileSync(file));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 12);
}

export function buildContextDir(config: Config): string {
  return path.join(config.home, 'containers', 'context');
}

/** Assembles the build context; fails with the set-up hint when the jars or the built lib are missing. */
export function assembleBuildContext(config: Config, baseImage: string): BuildContext {
  const dir = buildContextDir(config);
  const pinned = versions();
  const paths = installPaths(config.home, pinned);
  if (!fs.existsSync(path.join(config.root, 'dist', 'bin', 'pitchstream.js')))
    throw new PitchstreamError('SETUP_MISSING', 'the TypeScript build (dist/) is missing', { fix: 'Run npm run setup.' });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of PROJECT_FILES) copyTree(path.join(config.root, entry), path.join(dir, 'project', entry), entry);
  linkJars(paths.kafkaJars, path.join(dir, 'jars', `kafka-${pinned.kafka}`), `Kafka ${pinned.kafka} jars`);
  linkJars(paths.sparkKafkaJars, path.join(dir, 'jars', `spark-kafka-${pinned.spark}`), `Spark ${pinned.spark} Kafka connector jars`);
  const containers = path.join(config.root, 'containers');
  copyTree(path.join(containers, 'entrypoints'), path.join(dir, 'entrypoints'), 'entrypoints');
  fs.mkdirSync(path.join(dir, 'prometheus'));
  fs.writeFileSync(path.join(dir, 'prometheus', 'prometheus.yml'), prometheusConfigYaml('compose', { config }));
  fs.mkdirSync(path.join(dir, 'ca'));
  fs.writeFileSync(path.join(dir, 'ca', 'README'), 'Extra CA certificates of the image builds (PITCHSTREAM_BUILD_CA_CERTS), as extra-ca.crt.\n');
  if (config.buildCaCerts) {
    if (!fs.existsSync(config.buildCaCerts))
      throw new PitchstreamError('CONFIG_INVALID', `PITCHSTREAM_BUILD_CA_CERTS names ${config.buildCaCerts}, which does not exist`, {
        fix: 'Point it at a PEM file of CA certificates, or unset it.',
      });
    fs.copyFileSync(config.buildCaCerts, path.join(dir, 'ca', 'extra-ca.crt'));
  }
  fs.mkdirSync(path.join(dir, 'kafka'));
  fs.writeFileSync(path.join(dir, 'kafka', 'server.properties'), containerBrokerProperties({ dataDir: CONTAINER_KAFKA_DATA }));
  fs.writeFileSync(path.join(dir, 'kafka', 'log4j2.properties'), BROKER_LOG4J2);
  fs.mkdirSync(path.join(dir, 'spark'));
  for (const mode of ['cpu', 'gpu'] as const) fs.writeFileSync(path.join(dir, 'spark', `spark-${mode}.conf`), containerSparkConf(config.root, mode));
  const recipe = `${readDockerfile(config.root)}\n${JSON.stringify(buildArgs(pinned, baseImage))}`;
  return { dir, tag: `${pinned.spark}-${hashTree(dir, recipe)}` };
}
