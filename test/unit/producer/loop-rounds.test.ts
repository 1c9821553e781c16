import { describe, expect, it } from 'vitest';
import type { MatchEvent } from '../../../lib/data';
import { eventForRound, isoTimeUtc, roundEventId, roundShiftMs, uuidV5 } from '../../../lib/producer';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('loop rounds', () => {
  it('computes RFC 4122 uuid v5 (the DNS namespace example of Python\'s uuid module)', () => {
    const dns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');
    expect(uuidV5('python.org', dns)).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('keeps ids in round 0 and gives every later round its own stable uuid v5', () => {
    const id = '9f6b2c1e-1234-4abc-8def-0123456789ab';
    expect(roundEventId(id, 0)).toBe(id);
    const ids = [1, 2, 3].map((round) => roundEventId(id, round));
    ids.forEach((roundId) => expect(roundId).toMatch(UUID_V5));
    expect(new Set([id, ...ids]).size).toBe(4);
    expect(roundEventId(id, 2)).toBe(ids[1]);
  });

  it('shifts round r by r times the span of the data set plus the gap', () => {
    expect(roundShiftMs(0, 5_000, 1_000)).toBe(0);
    expect(roundShiftMs(3, 5_000, 1_000)).toBe(18_000);
  });

  it('writes event times exactly as Date#toISOString does, leap days and far years included', () => {
    const samples = [0, -1, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, 253_402_300_799_999, 253_402_300_800_000, -30_610_224_000_001, -62_198_755_200_000];
    for (let i = 0; i < 20_000; i += 1) samples.push(Math.floor(Math.sin(i + 1) * 1e13) + i);
    for (const ms of samples) expect(isoTimeUtc(ms)).toBe(new Date(ms).toISOString());
  });

  it('changes only round, id and event_time of a replayed event, and keeps the contract order of its fields', () => {
    const event = { match_id: 7, round: 0, id: 'e1', index: 1, event_time: '2020-01-01T00:00:00.000Z' } as unknown as MatchEvent;
    expect(eventForRound(event, 0, 0)).toBe(event);
    expect(eventForRound(event, 1, 61_000)).toEqual({ ...event, round: 1, id: roundEventId('e1', 1), event_time: '2020-01-01T00:01:01.000Z' });
    expect(Object.keys(eventForRound(event, 1, 61_000))).toEqual(Object.keys(event));
    // An event handed in without its round (a caller's own records) is sent as round 0.
    expect(eventForRound({ ...event, round: null }, 0, 0).round).toBe(0);
  });
});
