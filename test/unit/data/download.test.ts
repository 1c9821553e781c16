import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadStatsBomb, openStatsBomb, type DownloadProgress } from '../../../lib/data';
import { isPitchstreamError, type PitchstreamError } from '../../../lib/errors';
import { freePort } from '../../helpers/free-port';
import { SAMPLE_DIR, SAMPLE_MISSING_REASON } from './statsbomb-sample';

type Fault = 'server-error' | 'cut-mid-body' | 'invalid-json';

interface TestServer {
  baseUrl: string;
  /** Requests seen, as "<path> <Range header or ->". */
  requests: string[];
  /** Faults to inject, consumed one per request to that path. */
  faults: Map<string, Fault[]>;
  close(): Promise<void>;
}

/** Serves a folder over HTTP on 127.0.0.1 with Range support and injected faults. */
async function serveFolder(root: string): Promise<TestServer> {
  const requests: string[] = [];
  const faults = new Map<string, Fault[]>();
  const server = http.createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url!, 'http://localhost').pathname).replace(/^\/data\//, '');
    const range = request.headers.range;
    requests.push(`${urlPath} ${range ?? '-'}`);
    const fault = faults.get(urlPath)?.shift();
    const file = path.join(root, urlPath);
    if (fault === 'server-error') return void response.writeHead(500).end('busy');
    if (!fs.existsSync(file)) return void response.writeHead(404).end('not found');
    const body = fault === 'invalid-json' ? Buffer.from('[{"id": "a", "index": 1,') : fs.readFileSync(file);
    if (fault === 'cut-mid-body') {
      response.writeHead(200, { 'content-length': body.length });
      // Cut only once the half has had time to reach the client (an immediate destroy can lose it).
      response.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => response.socket?.destroy(), 100));
      return;
    }
    const start = range ? Number(/^bytes=(\d+)-$/.exec(range)![1]) : 0;
    if (start >= body.length) return void response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
    if (start > 0) response.writeHead(206, { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, 'content-length': body.length - start });
    else response.writeHead(200, { 'content-length': body.length });
    response.end(body.subarray(start));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${port}/data`,
    requests,
    faults,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const MATCHES = [3835319, 3835320];

/** A remote folder in the open-data layout (plain .json, as on GitHub) made from real sample files. */
function makeRemote(root: string): void {
  const copy = (from: string, to: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
    const bytes = fs.readFileSync(path.join(SAMPLE_DIR, from));
    fs.writeFileSync(path.join(root, to), from.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes);
  };
  copy('competitions.json', 'competitions.json');
  copy('matches/53/106.json', 'matches/53/106.json');
  for (const matchId of MATCHES)
    for (const kind of ['events', 'lineups']) copy(`${kind}/${matchId}.json.gz`, `${kind}/${matchId}.json`);
  copy('three-sixty/3835319.json.gz', 'three-sixty/3835319.json');
}

async function rejection(promise: Promise<unknown>): Promise<PitchstreamError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  if (!isPitchstreamError(error)) throw new Error(`expected a PitchstreamError, got ${String(error)}`);
  return error;
}

describe.skipIf(SAMPLE_MISSING_REASON !== undefined)('downloading StatsBomb open data from a local server', () => {
  let work: string;
  let server: TestServer;
  let target: string;
  const quickRetries = { retries: 3, initialDelayMs: 10, maxDelayMs: 50 };

  beforeEach(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-download-'));
    makeRemote(path.join(work, 'remote'));
    server = await serveFolder(path.join(work, 'remote'));
    target = path.join(work, 'statsbomb');
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('retries a 500, resumes a cut connection with a Range request, and leaves files the reader reads', async () => {
    server.faults.set('events/3835319.json', ['server-error']);
    server.faults.set('lineups/3835319.json', ['cut-mid-body']);
    const progress: DownloadProgress[] = [];
    const result = await downloadStatsBomb({
      dir: target, baseUrl: server.baseUrl, seasons: [{ competitionId: 53, seasonId: 106 }], matchIds: MATCHES,
      onProgress: (update) => progress.push(update), ...quickRetries,
    });

    expect(server.requests.filter((line) => line.startsWith('events/3835319.json'))).toEqual(['events/3835319.json -', 'events/3835319.json -']);
    const lineupRequests = server.requests.filter((line) => line.startsWith('lineups/3835319.json'));
    expect(lineupRequests).toHaveLength(2);
    expect(lineupRequests[1]).toMatch(/^lineups\/3835319\.json bytes=[1-9]\d*-$/);
    for (const file of result.downloaded) expect(fs.readFileSync(path.join(target, file)).equals(fs.readFileSync(path.join(work, 'remote', file))), file).toBe(true);
    expect(result.downloaded).toHaveLength(2 + 2 * MATCHES.length + 1);
    expect(result.withoutThreeSixty).toEqual([3835320]);
    expect(fs.readdirSync(path.join(target, 'lineups')).filter((name) => name.endsWith('.part'))).toEqual([]);

    const last = progress.at(-1)!;
    expect(last.filesDone).toBe(last.filesTotal);
    expect(last.bytesReceived).toBe(result.bytesReceived);
    expect((await openStatsBomb(target).events(3835319)).filter((event) => event.freeze_frame !== null)).toHaveLength(7);
  });

  it('keeps the files it already has on a second run', async () => {
    const options = { dir: target, baseUrl: server.baseUrl, seasons: [{ competitionId: 53, seasonId: 106 }], matchIds: [3835320], ...quickRetries };
    await downloadStatsBomb(options);
    const again = await downloadStatsBomb(options);
    expect(again.downloaded).toEqual([]);
    expect(again.alreadyPresent).toEqual(['competitions.json', 'matches/53/106.json', 'events/3835320.json', 'lineups/3835320.json']);
  });

  it('refuses an invalid JSON body with DATA_MALFORMED naming the URL, and keeps no partial file', async () => {
    server.faults.set('events/3835320.json', ['invalid-json']);
    const error = await rejection(downloadStatsBomb({ dir: target, baseUrl: server.baseUrl, seasons: [{ competitionId: 53, seasonId: 106 }], matchIds: [3835320], ...quickRetries }));
    expect(error.code).toBe('DATA_MALFORMED');
    expect(error.message).toContain(`${server.baseUrl}/events/3835320.json`);
    expect(error.message).toMatch(/position \d+ \(line 1, column \d+\)/);
    expect(fs.readdirSync(path.join(target, 'events'))).toEqual([]);
  });

  it('gives up after a bounded number of retries when the server keeps failing', async () => {
    server.faults.set('competitions.json', ['server-error', 'server-error', 'server-error', 'server-error']);
    const error = await rejection(downloadStatsBomb({ dir: target, baseUrl: server.baseUrl, seasons: [], ...quickRetries }));
    expect(error.code).toBe('DATA_DOWNLOAD_FAILED');
    expect(error.details).toMatchObject({ status: 500 });
    expect(server.requests).toHaveLength(4);
  });
});

describe('downloading while offline', () => {
  it('fails fast with DATA_UNREACHABLE and a fix that points STATSBOMB_DATA at a local copy', async () => {
    const closedPort = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-offline-'));
    try {
      const startedMs = Date.now();
      const error = await rejection(downloadStatsBomb({ dir, baseUrl: `http://127.0.0.1:${closedPort}/data`, seasons: [{ competitionId: 11, seasonId: 90 }], initialDelayMs: 5_000 }));
      expect(Date.now() - startedMs).toBeLessThan(2_000);
      expect(error.code).toBe('DATA_UNREACHABLE');
      expect(error.details).toMatchObject({ code: 'ECONNREFUSED' });
      expect(error.fix).toContain('STATSBOMB_DATA');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails fast when the host name does not resolve', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-offline-'));
    try {
      const error = await rejection(downloadStatsBomb({ dir, baseUrl: 'http://statsbomb.invalid/data', seasons: [], initialDelayMs: 5_000 }));
      expect(error.code).toBe('DATA_UNREACHABLE');
      expect(error.message).toContain('statsbomb.invalid');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
