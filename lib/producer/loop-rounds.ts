// Loop rounds: round r ≥ 1 re-sends the data set with new event ids and event times moved past the previous round.
import crypto from 'node:crypto';
import type { MatchEvent } from '../data';

/** Namespace of the uuid v5 ids of replayed events (fixed: the same event and round always get the same id). */
export const ROUND_ID_NAMESPACE = '6f1c2b8e-4d3a-5e7f-9b0c-2a1d4e6f8b3c';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

const NAMESPACE_BYTES = uuidBytes(ROUND_ID_NAMESPACE);

/** Namespace bytes followed by the name, reused between calls (names of replayed events are short). */
let scratch = Buffer.alloc(256);

/** RFC 4122 uuid v5 of a name in a namespace. */
export function uuidV5(name: string, namespace: Buffer = NAMESPACE_BYTES): string {
  const length = namespace.length + Buffer.byteLength(name, 'utf8');
  if (length > scratch.length) scratch = Buffer.alloc(2 * length);
  namespace.copy(scratch, 0);
  scratch.write(name, namespace.length, 'utf8');
  // One-shot hash: no Hash object per event.
  const hash = crypto.hash('sha1', scratch.subarray(0, length), 'buffer');
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id an event carries in round r: its own in round 0, uuid v5 of "<id>:r<round>" after. */
export function roundEventId(id: string, round: number): string {
  return round === 0 ? id : uuidV5(`${id}:r${round}`);
}

/** How far round r moves event times: r × (span of the data set + gap). */
export function roundShiftMs(round: number, dataSpanMs: number, gapMs: number): number {
  return round * (dataSpanMs + gapMs);
}

/** The event as round r sends it: the same record, with the round's id and shifted event_time. */
export function eventForRound(event: MatchEvent, round: number, shiftMs: number): MatchEvent {
  if (round === 0) return event;
  return { ...event, id: roundEventId(event.id, round), event_time: new Date(Date.parse(event.event_time) + shiftMs).toISOString() };
}
