// The manifest of a run: per match what was acknowledged by the broker (count, first/last event time, checksum of ids in order).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface MatchManifest {
  match_id: number;
  synthetic: boolean;
  events: number;
  first_event_time: string | null;
  last_event_time: string | null;
  /** sha256 (hex) over the event ids in send order, each followed by "\n" (see manifestChecksum). */
  ids_sha256: string;
}

export interface ManifestFile {
  status: 'completed' | 'stopped' | 'failed';
  topic: string;
  bootstrap: string;
  source: unknown;
  rate: unknown;
  rounds_completed: number;
  events: number;
  value_bytes: number;
  started_at: string;
  ended_at: string;
  skipped_files: { match_id: number | null; file: string | null; message: string }[];
  error: string | null;
  /** In send order of each match's first event. */
  matches: MatchManifest[];
}

/** The checksum of a sequence of event ids, as the manifest writes it: compare with what a consumer read per key. */
export function manifestChecksum(ids: Iterable<string>): string {
  const hash = crypto.createHash('sha256');
  for (const id of ids) hash.update(`${id}\n`);
  return hash.digest('hex');
}

interface MatchTally {
  matchId: number;
  synthetic: boolean;
  events: number;
  firstEventTime: string | null;
  lastEventTime: string | null;
  hash: crypto.Hash;
}

export interface ManifestTally {
  /** Records acknowledged events of one match, in send order. */
  add(matchId: number, synthetic: boolean, ids: readonly string[], eventTimes: readonly string[]): void;
  matches(): MatchManifest[];
}

export function createManifestTally(): ManifestTally {
  const tallies = new Map<number, MatchTally>();
  return {
    add(matchId, synthetic, ids, eventTimes) {
      if (ids.length === 0) return;
      let tally = tallies.get(matchId);
      if (tally === undefined) {
        tally = { matchId, synthetic, events: 0, firstEventTime: eventTimes[0]!, lastEventTime: null, hash: crypto.createHash('sha256') };
        tallies.set(matchId, tally);
      }
      // One update per run of ids: the same bytes as one update per id, without a call and a string per event.
      tally.hash.update(`${ids.join('\n')}\n`);
      tally.events += ids.length;
      tally.lastEventTime = eventTimes[eventTimes.length - 1]!;
    },
    matches: () =>
      [...tallies.values()].map((tally) => ({
        match_id: tally.matchId,
        synthetic: tally.synthetic,
        events: tally.events,
        first_event_time: tally.firstEventTime,
        last_event_time: tally.lastEventTime,
        ids_sha256: tally.hash.copy().digest('hex'),
      })),
  };
}

/** Writes the manifest as pretty JSON; returns its path. */
export function writeManifest(outputDir: string, manifest: ManifestFile): string {
  fs.mkdirSync(outputDir, { recursive: true });
  const file = path.join(outputDir, 'manifest.json');
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}
