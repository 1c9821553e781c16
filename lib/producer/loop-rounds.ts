// Loop rounds: round r ≥ 1 re-sends the data set with new event ids and event times moved past the previous round.
import crypto from 'node:crypto';
import type { MatchEvent } from '../data';

/** Namespace of the uuid v5 ids of replayed events (fixed: the same event and round always get the same id). */
export const ROUND_ID_NAMESPACE = '6f1c2b8e-4d3a-5e7f-9b0c-2a1d4e6f8b3c';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

const NAMESPACE_BYTES = uuidBytes(ROUND_ID_NAMESPACE);

/** Namespace bytes followed by the name, reused between calls, with a view per total length. */
let scratch = Buffer.alloc(256);
let scratchNamespace: Buffer | undefined;
let views = new Map<number, Buffer>();

/** RFC 4122 uuid v5 of a name in a namespace. */
export function uuidV5(name: string, namespace: Buffer = NAMESPACE_BYTES): string {
  const length = namespace.length + Buffer.byteLength(name, 'utf8');
  if (length > scratch.length) {
    scratch = Buffer.alloc(2 * length);
    scratchNamespace = undefined;
  }
  if (scratchNamespace !== namespace) {
    namespace.copy(scratch, 0);
    scratchNamespace = namespace;
    views = new Map();
  }
  scratch.write(name, namespace.length, 'utf8');
  let view = views.get(length);
  if (view === undefined) views.set(length, (view = scratch.subarray(0, length)));
  // One-shot hash to hex: no Hash object or Buffer per event. Then version 5 and the RFC 4122 variant.
  const hex = crypto.hash('sha1', view, 'hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The id an event carries in round r: its own in round 0, uuid v5 of "<id>:r<round>" after. */
export function roundEventId(id: string, round: number): string {
  return round === 0 ? id : uuidV5(`${id}:r${round}`);
}

/** How far round r moves event times: r × (span of the data set + gap). */
export function roundShiftMs(round: number, dataSpanMs: number, gapMs: number): number {
  return round * (dataSpanMs + gapMs);
}

/** Reused to format shifted event times (no Date per event). */
const shifted = new Date(0);

/** The event as round r sends it: the same record, with the round's id and shifted event_time. */
export function eventForRound(event: MatchEvent, round: number, shiftMs: number): MatchEvent {
  if (round === 0) return event;
  shifted.setTime(Date.parse(event.event_time) + shiftMs);
  return { ...event, id: roundEventId(event.id, round), event_time: shifted.toISOString() };
}
