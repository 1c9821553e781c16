// Spark .conf profiles: parse `key value` files, merge base → profile → overrides, write the result.
import fs from 'node:fs';
import path from 'node:path';
import { PitchstreamError } from '../errors';
import type { Config, Mode } from '../config';

/** One setting and where it came from ("file:line", or the name of an override layer). */
export interface SparkConfEntry {
  key: string;
  value: string;
  source: string;
}

/** The effective configuration: key → value, in the order keys first appeared. */
export type SparkConf = Readonly<Record<string, string>>;

/** Values for the {{name}} placeholders of .conf files (root, home, rapidsJar). */
export type SparkConfVariables = Readonly<Record<string, string>>;

const KEY = /^[A-Za-z0-9_.\-]+$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z]\w*)\s*\}\}/g;

function invalid(source: string, problem: string): PitchstreamError {
  return new PitchstreamError('SPARK_CONF_INVALID', `${source}: ${problem}`, { details: { source } });
}

/** Parses a Spark .conf text: `key value` per line, `#` comments, blank lines. Errors name file:line. */
export function parseSparkConf(text: string, file: string): SparkConfEntry[] {
  const entries: SparkConfEntry[] = [];
  const firstLine = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const source = `${file}:${index + 1}`;
    const match = /^(\S+)\s+(\S.*)$/.exec(line);
    if (!match) throw invalid(source, `expected "key value" (whitespace between them), got "${line}"`);
    const [, key, value] = match as unknown as [string, string, string];
    if (!KEY.test(key)) throw invalid(source, `"${key}" is not a Spark setting name (letters, digits, . _ -)`);
    const previous = firstLine.get(key);
    if (previous !== undefined) throw invalid(source, `${key} is already set on line ${previous}`);
    firstLine.set(key, index + 1);
    entries.push({ key, value: value.trim(), source });
  });
  return entries;
}

export function readSparkConfFile(file: string): SparkConfEntry[] {
  if (!fs.existsSync(file))
    throw new PitchstreamError('SPARK_CONF_INVALID', `Spark configuration file ${file} does not exist`, {
      fix: 'Restore the file from git (spark-conf/ is part of the repository).',
      details: { file },
    });
  return parseSparkConf(fs.readFileSync(file, 'utf8'), file);
}

/** Settings given in code (options, config) as a layer named `source`. */
export function confEntries(settings: Readonly<Record<string, string>>, source: string): SparkConfEntry[] {
  return Object.entries(settings).map(([key, value]) => {
    if (!KEY.test(key)) throw invalid(source, `"${key}" is not a Spark setting name (letters, digits, . _ -)`);
    return { key, value, source };
  });
}

function expand(entry: SparkConfEntry, variables: SparkConfVariables): string {
  return entry.value.replace(PLACEHOLDER, (_, name: string) => {
    const value = variables[name];
    if (value === undefined)
      throw invalid(entry.source, `unknown placeholder {{${name}}} (known: ${Object.keys(variables).join(', ')})`);
    return value;
  });
}

/** Merges layers in order (a later layer wins) and expands {{placeholders}}. Pure. */
export function mergeSparkConf(layers: readonly SparkConfEntry[][], variables: SparkConfVariables): SparkConf {
  const merged: Record<string, string> = {};
  for (const layer of layers) for (const entry of layer) merged[entry.key] = expand(entry, variables);
  return Object.freeze(merged);
}

/** A properties file spark-submit reads (java.util.Properties: backslashes escaped). */
export function formatSparkConf(conf: SparkConf, header: string): string {
  const comment = header
    .split('\n')
    .map((line) => `# ${line}`)
    .join('\n');
  const lines = Object.entries(conf).map(([key, value]) => `${key} ${value.replace(/\\/g, '\\\\')}`);
  return `${comment}\n${lines.join('\n')}\n`;
}

/** Fixed driver ports when the executors connect back to a driver in a container (client mode). */
export const DRIVER_PORT = 7078;
export const DRIVER_BLOCK_MANAGER_PORT = 7079;

/**
 * Settings lib derives from the config, layered after the profile: the first UI port to try and,
 * when the driver runs in a container (PITCHSTREAM_SPARK_DRIVER_HOST), the name and fixed ports
 * the executors reach it by; it listens on every interface of its container.
 */
export function configSparkSettings(config: Pick<Config, 'sparkUiPort' | 'sparkDriverHost'>): Record<string, string> {
  const settings: Record<string, string> = { 'spark.ui.port': String(config.sparkUiPort) };
  if (config.sparkDriverHost) {
    settings['spark.driver.host'] = config.sparkDriverHost;
    settings['spark.driver.bindAddress'] = '0.0.0.0';
    settings['spark.driver.port'] = String(DRIVER_PORT);
    settings['spark.blockManager.port'] = String(DRIVER_BLOCK_MANAGER_PORT);
  }
  return settings;
}

/** The folder of the conf profiles in the repository. */
export function sparkConfDir(root: string): string {
  return path.join(root, 'spark-conf');
}

export interface EffectiveSparkConfOptions {
  root: string;
  mode: Mode;
  variables: SparkConfVariables;
  /** Layers after the profile, in order, e.g. settings derived from the config, then the caller's. */
  overrides?: readonly SparkConfEntry[][];
}

/** spark-defaults.conf, then <mode>.conf, then the overrides: the configuration a job runs with. */
export function effectiveSparkConf(options: EffectiveSparkConfOptions): SparkConf {
  const dir = sparkConfDir(options.root);
  return mergeSparkConf(
    [
      readSparkConfFile(path.join(dir, 'spark-defaults.conf')),
      readSparkConfFile(path.join(dir, `${options.mode}.conf`)),
      ...(options.overrides ?? []),
    ],
    options.variables,
  );
}
