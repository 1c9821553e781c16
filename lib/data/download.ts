// Downloads a chosen subset of StatsBomb open data into the open-data layout: each file is written
// to <name>.part, resumed with Range requests, retried with backoff, validated, then renamed.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { loadConfig } from '../config';
import { isPitchstreamError, PitchstreamError } from '../errors';
import { expectArray, expectRecords, findDataFile, parseJsonText, readJsonFile } from './data-file';
import { COMPETITION_KEYS, EVENT_KEYS, FRAME_KEYS, LINEUP_KEYS, MATCH_KEYS } from './record-keys';
import { withRetry } from './retry';
import type { RawMatch } from './statsbomb-types';

export const STATSBOMB_OPEN_DATA_URL = 'https://raw.githubusercontent.com/statsbomb/open-data/master/data';

/** Error codes of a network that cannot reach the server at all: no retries on the first file. */
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH']);

export interface SeasonSelection {
  competitionId: number;
  seasonId: number;
}

export interface DownloadProgress {
  /** Path of the file being downloaded, relative to the data folder (e.g. events/15946.json). */
  file: string;
  filesDone: number;
  /** Grows once the match lists are read and the matches are known. */
  filesTotal: number;
  /** Bytes received over the network in this run. */
  bytesReceived: number;
}

export interface DownloadOptions {
  /** Competition-seasons whose match lists, events and lineups to download. */
  seasons: SeasonSelection[];
  /** Only these matches of the chosen seasons (default: all of them). */
  matchIds?: number[];
  /** Data folder (default: config.statsbombData, i.e. STATSBOMB_DATA or data/statsbomb). */
  dir?: string;
  /** Where the open-data `data/` folder is served (default: StatsBomb's GitHub repository). */
  baseUrl?: string;
  /** Also download three-sixty files where they exist (default true; a 404 means the match has none). */
  threeSixty?: boolean;
  /** Retries per file after the first attempt (default 4). */
  retries?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Time limit of one request, body included (default 120 s). */
  requestTimeoutMs?: number;
  onProgress?: (progress: DownloadProgress) => void;
}

export interface DownloadResult {
  dir: string;
  /** Files fetched in this run, relative to dir. */
  downloaded: string[];
  /** Files that were already there and were kept. */
  alreadyPresent: string[];
  /** Matches for which the server has no three-sixty file. */
  withoutThreeSixty: number[];
  bytesReceived: number;
}

interface FileRequest {
  /** Relative path without extension, e.g. "events/15946". */
  base: string;
  keys: readonly string[];
  optional: boolean;
}

function networkCode(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function isRetriable(error: unknown): boolean {
  if (isPitchstreamError(error)) return error.details.retriable === true;
  return true;
}

/** One line of text for a progress callback: files, megabytes and the current file. */
export function formatProgress(progress: DownloadProgress): string {
  const width = 20;
  const filled = progress.filesTotal === 0 ? 0 : Math.round((progress.filesDone / progress.filesTotal) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${progress.filesDone}/${progress.filesTotal} files, ${(progress.bytesReceived / 1e6).toFixed(1)} MB  ${progress.file}`;
}

/** A progress callback that redraws one line on a terminal stream (default stderr). */
export function progressBar(stream: NodeJS.WritableStream = process.stderr): (progress: DownloadProgress) => void {
  return (progress) => stream.write(`\r${formatProgress(progress)}\u001b[K`);
}

/** Downloads the chosen seasons (and matches) into the data folder; files already there are kept. */
export async function downloadStatsBomb(options: DownloadOptions): Promise<DownloadResult> {
  const dir = path.resolve(options.dir ?? loadConfig().statsbombData);
  const baseUrl = (options.baseUrl ?? STATSBOMB_OPEN_DATA_URL).replace(/\/+$/, '');
  const result: DownloadResult = { dir, downloaded: [], alreadyPresent: [], withoutThreeSixty: [], bytesReceived: 0 };
  let filesDone = 0;
  let filesTotal = 1 + options.seasons.length;
  let serverReached = false;

  const report = (file: string): void => options.onProgress?.({ file, filesDone, filesTotal, bytesReceived: result.bytesReceived });

  async function request(url: string, offset: number): Promise<Response> {
    try {
      const response = await fetch(url, {
        headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
        signal: AbortSignal.timeout(options.requestTimeoutMs ?? 120_000),
      });
      serverReached = true;
      return response;
    } catch (cause) {
      const code = networkCode(cause);
      if (!serverReached && code !== undefined && OFFLINE_CODES.has(code))
        throw new PitchstreamError('DATA_UNREACHABLE', `Cannot reach ${new URL(url).origin} (${code}) to download ${url}`, {
          cause,
          fix: `This machine looks offline. Point STATSBOMB_DATA at a local copy of the open-data "data" folder (e.g. STATSBOMB_DATA=../shared/statsbomb/data), or pass baseUrl to a reachable mirror.`,
          details: { url, code },
        });
      throw cause;
    }
  }

  /** One attempt: resumes the .part file, then validates and renames it. Returns false for an optional file the server lacks. */
  async function attempt(file: FileRequest, url: string, target: string): Promise<boolean> {
    const part = `${target}.part`;
    const offset = fs.existsSync(part) ? fs.statSync(part).size : 0;
    const response = await request(url, offset);
    if (response.status === 404 && file.optional) return false;
    if (response.status !== 416) {
      if (response.status !== 200 && response.status !== 206)
        throw new PitchstreamError('DATA_DOWNLOAD_FAILED', `GET ${url} answered HTTP ${response.status}`, {
          details: { url, status: response.status, retriable: response.status === 429 || response.status >= 500 },
        });
      const resumed = response.status === 206 && (response.headers.get('content-range') ?? '').startsWith(`bytes ${offset}-`);
      if (response.body === null) throw new PitchstreamError('DATA_DOWNLOAD_FAILED', `GET ${url} answered without a body`, { details: { url, retriable: true } });
      await pipeline(
        Readable.fromWeb(response.body as ReadableStream<Uint8Array>),
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            result.bytesReceived += chunk.length;
            report(file.base);
            yield chunk;
          }
        },
        fs.createWriteStream(part, { flags: resumed ? 'a' : 'w' }),
      );
    }
    try {
      const label = `${url} (saved as ${part})`;
      expectRecords(expectArray(parseJsonText(fs.readFileSync(part, 'utf8'), label), label), file.keys, label);
    } catch (error) {
      fs.rmSync(part, { force: true });
      throw error;
    }
    fs.renameSync(part, target);
    return true;
  }

  async function download(file: FileRequest): Promise<boolean> {
    const existing = findDataFile(path.join(dir, file.base));
    if (existing !== undefined) {
      result.alreadyPresent.push(path.relative(dir, existing));
      filesDone += 1;
      report(file.base);
      return true;
    }
    const url = `${baseUrl}/${file.base}.json`;
    const target = path.join(dir, `${file.base}.json`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    let present: boolean;
    try {
      present = await withRetry(() => attempt(file, url, target), {
        retries: options.retries,
        initialDelayMs: options.initialDelayMs,
        maxDelayMs: options.maxDelayMs,
        isRetriable,
      });
    } catch (error) {
      if (isPitchstreamError(error)) throw error;
      throw new PitchstreamError('DATA_DOWNLOAD_FAILED', `Downloading ${url} failed after ${(options.retries ?? 4) + 1} attempts: ${(error as Error).message}`, {
        cause: error,
        details: { url, file: `${target}.part` },
      });
    }
    if (present) result.downloaded.push(`${file.base}.json`);
    filesDone += 1;
    report(file.base);
    return present;
  }

  const readList = async (base: string): Promise<unknown> => readJsonFile(findDataFile(path.join(dir, base))!);

  await download({ base: 'competitions', keys: COMPETITION_KEYS, optional: false });
  const wanted = options.matchIds === undefined ? undefined : new Set(options.matchIds);
  const matchIds: number[] = [];
  for (const { competitionId, seasonId } of options.seasons) {
    const base = `matches/${competitionId}/${seasonId}`;
    await download({ base, keys: MATCH_KEYS, optional: false });
    const listed = (await readList(base)) as RawMatch[];
    for (const match of listed) if (wanted === undefined || wanted.has(match.match_id)) matchIds.push(match.match_id);
  }
  const unlisted = [...(wanted ?? [])].filter((matchId) => !matchIds.includes(matchId));
  if (unlisted.length > 0)
    throw new PitchstreamError('DATA_NOT_FOUND', `Matches ${unlisted.join(', ')} are not in the match lists of the chosen seasons`, {
      fix: 'Add the competition-season of each match to `seasons`, or drop the match id.',
      details: { matchIds: unlisted },
    });
  filesTotal += matchIds.length * (options.threeSixty === false ? 2 : 3);
  for (const matchId of matchIds) {
    await download({ base: `events/${matchId}`, keys: EVENT_KEYS, optional: false });
    await download({ base: `lineups/${matchId}`, keys: LINEUP_KEYS, optional: false });
    if (options.threeSixty !== false && !(await download({ base: `three-sixty/${matchId}`, keys: FRAME_KEYS, optional: true })))
      result.withoutThreeSixty.push(matchId);
  }
  return result;
}
