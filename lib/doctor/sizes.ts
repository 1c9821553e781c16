// JVM memory sizes ("512m", "2g", "1024") and version strings, as the checks compare them. Pure.

const UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * Bytes of a Spark size. `defaultUnit` is what a bare number means: Spark reads
 * spark.executor.memory and memoryOverhead in MiB, RAPIDS reads pinnedPool.size in bytes.
 * Undefined for an empty or malformed value.
 */
export function parseSize(value: string | undefined, defaultUnit: 'b' | 'm' = 'm'): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt])?(?:i?b)?\s*$/i.exec(value);
  if (!match) return undefined;
  const unit = (match[2] ?? defaultUnit).toLowerCase();
  return Math.round(Number(match[1]) * UNITS[unit]!);
}

/** "12.0 GiB", "384 MiB": sizes in messages. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}

/** Numeric parts of a version ("3.3.1" → [3, 3, 1], "26.08.1" → [26, 8, 1]); non-numeric tails are ignored. */
export function versionParts(version: string): number[] {
  return version
    .split(/[.+-]/)
    .map((part) => /^\d+/.exec(part)?.[0])
    .filter((part): part is string => part !== undefined)
    .map(Number);
}

/** <0, 0, >0 like a comparator; missing parts count as 0 ("2.0" equals "2.0.0"). */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** "4.0" of "4.0.1". */
export function majorMinor(version: string): string {
  return versionParts(version).slice(0, 2).join('.');
}
