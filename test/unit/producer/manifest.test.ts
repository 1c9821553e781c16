import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createManifestTally, manifestChecksum, writeManifest, type ManifestFile } from '../../../lib/producer';

describe('the manifest', () => {
  it('checksums ids as sha256 over each id followed by a newline, in order', () => {
    expect(manifestChecksum(['a', 'b'])).toBe(crypto.createHash('sha256').update('a\nb\n').digest('hex'));
    expect(manifestChecksum(['a', 'b'])).not.toBe(manifestChecksum(['b', 'a']));
    expect(manifestChecksum([])).toBe(crypto.createHash('sha256').digest('hex'));
  });

  it('tallies each match across batches: count, first and last event time, checksum of its ids', () => {
    const tally = createManifestTally();
    tally.add(7, false, ['a', 'b'], ['2020-01-01T00:00:00.000Z', '2020-01-01T00:00:01.000Z']);
    tally.add(8, true, ['x'], ['2030-01-01T00:00:00.000Z']);
    tally.add(7, false, ['c'], ['2020-01-01T00:00:02.000Z']);
    tally.add(7, false, [], []);
    expect(tally.matches()).toEqual([
      { match_id: 7, synthetic: false, events: 3, first_event_time: '2020-01-01T00:00:00.000Z', last_event_time: '2020-01-01T00:00:02.000Z', ids_sha256: manifestChecksum(['a', 'b', 'c']) },
      { match_id: 8, synthetic: true, events: 1, first_event_time: '2030-01-01T00:00:00.000Z', last_event_time: '2030-01-01T00:00:00.000Z', ids_sha256: manifestChecksum(['x']) },
    ]);
    // Reading the figures does not end the running hash.
    tally.add(8, true, ['y'], ['2030-01-01T00:00:01.000Z']);
    expect(tally.matches()[1]!.ids_sha256).toBe(manifestChecksum(['x', 'y']));
  });

  it('writes manifest.json into the output folder, creating it', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-manifest-')), 'run');
    const manifest = { status: 'completed', topic: 't', events: 0, matches: [] } as unknown as ManifestFile;
    const file = writeManifest(dir, manifest);
    expect(file).toBe(path.join(dir, 'manifest.json'));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(manifest);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});
