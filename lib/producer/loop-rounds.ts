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

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1_000 }, (_, n) => String(n).padStart(3, '0'));

/**
 * Epoch milliseconds as Date#toISOString writes them ("2023-08-19T16:30:01.095Z"), about three times faster for
 * years 1000–9999 (civil date from days as in Howard Hinnant's "chrono-compatible low-level date algorithms"); other
 * years go through Date.
 */
export function isoTimeUtc(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const shiftedDays = days + 719_468; // days from 0000-03-01
  const era = Math.floor(shiftedDays / 146_097);
  const dayOfEra = shiftedDays - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (!Number.isInteger(ms) || year < 1_000 || year > 9_999) return new Date(ms).toISOString();
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1_000);
  return `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1_000]}Z`;
}

/**
 * The event as round r sends it, its event time moved by shiftMs (the round's shift plus the match's place on the run's
 * time axis): the same record with the round number and the round's id.
 */
export function eventForRound(event: MatchEvent, round: number, shiftMs: number): MatchEvent {
  if (round === 0 && shiftMs === 0) return event.round === 0 ? event : { ...event, round: 0 };
  return { ...event, round, id: roundEventId(event.id, round), event_time: isoTimeUtc(Date.parse(event.event_time) + shiftMs) };
}
