// Builds the one frozen configuration: defaults → environment → explicit overrides, validated.
import path from 'node:path';
import { PitchstreamError } from '../errors';
import { projectRoot } from './paths';
import { SETTINGS, SETUP_VARIABLES, type Settings } from './settings';

export type Config = Readonly<Settings & { root: string }>;

const PATH_KEYS = ['home', 'statsbombData', 'outputs'] as const;

/** Edit distance, for "did you mean" hints on misspelt variables. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function knownVariables(): string[] {
  return [...SETTINGS.map((s) => s.variable), ...SETUP_VARIABLES.map((s) => s.variable)];
}

function checkUnknownVariables(env: NodeJS.ProcessEnv): void {
  const known = knownVariables();
  for (const name of Object.keys(env)) {
    if (!name.startsWith('PITCHSTREAM_') || known.includes(name)) continue;
    const closest = known
      .map((candidate) => ({ candidate, d: distance(name, candidate) }))
      .sort((x, y) => x.d - y.d)[0];
    const hint = closest && closest.d <= 4 ? ` Did you mean ${closest.candidate}?` : '';
    throw new PitchstreamError('CONFIG_UNKNOWN_VARIABLE', `Unknown variable ${name}.${hint}`, {
      fix: hint ? `Rename ${name} to ${closest!.candidate}.` : `Remove ${name}; the known variables are listed in the README.`,
      details: { variable: name, suggestion: closest?.candidate },
    });
  }
}

/**
 * Reads the configuration. `env` defaults to process.env; `overrides` win over both.
 * Relative paths are resolved against the project root.
 */
export function loadConfig(overrides: Partial<Settings> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  checkUnknownVariables(env);
  const root = projectRoot();
  const values: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const raw = env[setting.variable] ?? setting.default;
    values[setting.key] = raw === undefined ? undefined : setting.parse(raw.trim(), setting.variable);
  }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) values[key] = value;
  for (const key of PATH_KEYS) values[key] = path.resolve(root, String(values[key]));
  return Object.freeze({ ...(values as unknown as Settings), root });
}
