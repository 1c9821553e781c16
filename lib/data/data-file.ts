// Finds and reads one StatsBomb file (.json or .json.gz) and names the file and position when it is broken.
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { PitchstreamError } from '../errors';

const gunzip = promisify(zlib.gunzip);

/** The path of `<base>.json` or `<base>.json.gz` (plain first), or undefined when neither exists. */
export function findDataFile(base: string): string | undefined {
  for (const candidate of [`${base}.json`, `${base}.json.gz`]) if (fs.existsSync(candidate)) return candidate;
  return undefined;
}

/** Like findDataFile, but a missing file is a DATA_NOT_FOUND error that names both candidates. */
export function requireDataFile(base: string, what: string): string {
  const file = findDataFile(base);
  if (file === undefined)
    throw new PitchstreamError('DATA_NOT_FOUND', `${what} not found: neither ${base}.json nor ${base}.json.gz exists`, {
      details: { file: `${base}.json` },
    });
  return file;
}

/** Line and column (both from 1) of a character offset in a text. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

/** How many bytes a damaged gzip stream yields before it breaks (0 when even the header is bad). */
function decompressedPrefixLength(bytes: Buffer): number {
  try {
    return zlib.gunzipSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).length;
  } catch {
    return 0;
  }
}

async function decompress(file: string, bytes: Buffer): Promise<Buffer> {
  try {
    return await gunzip(bytes);
  } catch (cause) {
    const readableBytes = decompressedPrefixLength(bytes);
    throw new PitchstreamError(
      'DATA_MALFORMED',
      `${file} is not a complete gzip stream (${(cause as Error).message}): ${bytes.length} compressed bytes, ` +
        `only the first ${readableBytes} decompressed bytes could be read`,
      { cause, details: { file, decompressedBytes: readableBytes } },
    );
  }
}

/** Parses JSON text; a syntax error names the file, the character position, line and column. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const reported = /at position (\d+)/.exec((cause as Error).message);
    const position = reported ? Number(reported[1]) : text.length;
    const { line, column } = lineAndColumn(text, position);
    throw new PitchstreamError(
      'DATA_MALFORMED',
      `${file} is not valid JSON at position ${position} (line ${line}, column ${column}): ${(cause as Error).message}`,
      { cause, details: { file, position, line, column } },
    );
  }
}

/** Reads and parses one .json or .json.gz file. */
export async function readJsonFile(file: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (cause) {
    throw new PitchstreamError('DATA_NOT_FOUND', `Cannot read ${file}: ${(cause as Error).message}`, { cause, details: { file } });
  }
  const text = (file.endsWith('.gz') ? await decompress(file, bytes) : bytes).toString('utf8');
  return parseJsonText(text, file);
}

/** Fails with DATA_MALFORMED unless the parsed file is an array. */
export function expectArray(value: unknown, file: string): unknown[] {
  if (!Array.isArray(value))
    throw new PitchstreamError('DATA_MALFORMED', `${file} must hold a JSON array, got ${value === null ? 'null' : typeof value}`, {
      details: { file },
    });
  return value;
}

function valueAt(record: unknown, keyPath: string): unknown {
  let value = record;
  for (const key of keyPath.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Checks that every record of a parsed array has the given keys (dotted paths, e.g. "type.name");
 * the error names the file, the record's position in the array and the missing key.
 */
export function expectRecords<T>(records: unknown[], keyPaths: readonly string[], file: string): T[] {
  records.forEach((record, position) => {
    const missing = keyPaths.find((keyPath) => valueAt(record, keyPath) === undefined);
    if (missing !== undefined)
      throw new PitchstreamError('DATA_MALFORMED', `${file}: record [${position}] has no "${missing}"`, {
        details: { file, record: position, key: missing },
      });
  });
  return records as T[];
}
