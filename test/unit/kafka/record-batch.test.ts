// Our record batch encoder, read back by kafkajs's decoder (an independent implementation of the same format).
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../lib/kafka/crc32c';
import { RecordBatchWriter } from '../../../lib/kafka/record-batch';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<{
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  records: { key: Buffer | null; value: Buffer; timestamp: string; offset: string }[];
}>;

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

function text(next: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) {
    const pick = next();
    out += pick < 0.9 ? String.fromCharCode(32 + Math.floor(next() * 90)) : pick < 0.97 ? 'é' : pick < 0.99 ? '€' : '😀';
  }
  return out;
}

describe('record batches', () => {
  it('computes CRC-32C (check value of "123456789")', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.from('xx123456789yy'), 2, 11)).toBe(0xe3069283);
  });

  it.each(['none', 'gzip'] as const)('encodes records that kafkajs decodes back unchanged (compression %s)', async (compression) => {
    const next = random(compression === 'none' ? 1 : 2);
    // Lengths around the varint steps (64 and 8,192 bytes) and multi-byte characters make the encoder move bytes.
    const lengths = [0, 5, 63, 64, 65, 700, 4_095, 8_191, 8_192, 9_000, 70_000];
    for (let trial = 0; trial < 20; trial += 1) {
      const writer = new RecordBatchWriter(64);
      const expected: { key: string | null; value: string; timestampMs: number }[] = [];
      const startMs = 1_700_000_000_000 + Math.floor(next() * 1e6);
      const count = 1 + Math.floor(next() * 60);
      for (let i = 0; i < count; i += 1) {
        const value = text(next, lengths[Math.floor(next() * lengths.length)]!);
        const key = next() < 0.2 ? null : next() < 0.5 ? `k${i}` : Buffer.from(text(next, Math.floor(next() * 300)));
        const timestampMs = startMs + Math.floor((next() - 0.3) * 1e5); // earlier than the first too
        writer.append(key, next() < 0.3 ? Buffer.from(value) : value, timestampMs);
        expected.push({ key: key === null ? null : key.toString(), value, timestampMs });
      }
      const batch = writer.seal({ producerId: 1_234_567_890_123n, producerEpoch: 3, baseSequence: 77 }, compression);
      expect(batch.readUInt32BE(17)).toBe(crc32c(batch, 21));
      const decoded = await decodeRecordBatch(new Decoder(batch));
      expect({ producerId: decoded.producerId, producerEpoch: decoded.producerEpoch, firstSequence: decoded.firstSequence }).toEqual({
        producerId: '1234567890123',
        producerEpoch: 3,
        firstSequence: 77,
      });
      expect(
        decoded.records.map((record) => ({ key: record.key === null ? null : record.key.toString(), value: record.value.toString(), timestampMs: Number(record.timestamp) })),
      ).toEqual(expected);
      expect(decoded.records.map((record) => Number(record.offset))).toEqual(expected.map((_, i) => i));
    }
  });

  it('refuses to seal an empty batch', () => {
    expect(() => new RecordBatchWriter().seal({ producerId: -1n, producerEpoch: -1, baseSequence: -1 })).toThrow(/at least one record/);
  });
});
