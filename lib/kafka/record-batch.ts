// Kafka record batches (magic 2), encoded straight into one growing Buffer: no object or Buffer per record.
// Layout from the Kafka protocol guide ("Record Batch"): a 61-byte header, then records with varint fields.
import zlib from 'node:zlib';
import { crc32c } from './crc32c';

/** What a record batch carries for an idempotent producer; producerId −1 when not idempotent. */
export interface BatchIdentity {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
}

export type BatchCompression = 'none' | 'gzip';

const HEADER_BYTES = 61;
const CRC_OFFSET = 17;
const ATTRIBUTES_OFFSET = 21;
/** Most bytes a varint of a 32-bit number takes. */
const MAX_VARINT_BYTES = 5;

function zigzag32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

/** Bytes of the varint of a non-negative 32-bit number. */
function varintBytes(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  let bytes = 5;
  for (let rest = Math.floor(value / 2 ** 35); rest > 0; rest = Math.floor(rest / 128)) bytes += 1;
  return bytes;
}

/** Appends records for one partition, then seals them into a record batch. */
export class RecordBatchWriter {
  private buffer: Buffer;
  private offset = HEADER_BYTES;
  private count = 0;
  private firstTimestampMs = 0;
  private maxTimestampMs = 0;
  /** Where the last record began, and the figures before it, for undoLast. */
  private undo = { offset: HEADER_BYTES, maxTimestampMs: 0 };

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(Math.max(initialBytes, HEADER_BYTES + 64));
  }

  get records(): number {
    return this.count;
  }

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }

  private varint(value: number): void {
    // value: a zigzag-encoded, non-negative number below 2^53.
    while (value > 0x7f) {
      this.buffer[this.offset++] = (value & 0x7f) | 0x80;
      value = value > 0xffffffff ? Math.floor(value / 128) : value >>> 7;
    }
    this.buffer[this.offset++] = value;
  }

  /** Appends one record (key null for none; timestampMs the record's time, epoch ms); returns the value's bytes. */
  append(key: string | Buffer | null, value: string | Buffer, timestampMs: number): number {
    this.undo.offset = this.offset;
    this.undo.maxTimestampMs = this.maxTimestampMs;
    if (this.count === 0) this.firstTimestampMs = this.maxTimestampMs = timestampMs;
    else if (timestampMs > this.maxTimestampMs) this.maxTimestampMs = timestampMs;
    const keyBytes = key === null ? -1 : typeof key === 'string' ? Buffer.byteLength(key) : key.length;
    const timestampDelta = timestampMs - this.firstTimestampMs;
    const zigzagTimestamp = timestampDelta >= 0 ? timestampDelta * 2 : -timestampDelta * 2 - 1;
    // A string's UTF-8 length is known only once written: write it where a varint of its UTF-16 length would
    // put it (a string of n units takes n to 3n bytes), and move it in the rare case the varint is longer.
    const maxValueBytes = typeof value === 'string' ? 3 * value.length : value.length;
    this.ensure(8 * MAX_VARINT_BYTES + Math.max(keyBytes, 0) + maxValueBytes);
    // The same guess for the body's length, which comes first: the body moves only if its varint is longer or shorter.
    const guessValueVarint = varintBytes(zigzag32(value.length));
    const guessBody =
      1 + varintBytes(zigzagTimestamp) + varintBytes(zigzag32(this.count)) + varintBytes(zigzag32(keyBytes)) + Math.max(keyBytes, 0) + guessValueVarint + value.length + 1;
    const lengthAt = this.offset;
    const guessLengthVarint = varintBytes(zigzag32(guessBody));
    this.offset += guessLengthVarint;
    const bodyAt = this.offset;
    this.buffer[this.offset++] = 0; // attributes
    this.varint(zigzagTimestamp);
    this.varint(zigzag32(this.count)); // offset delta
    this.varint(zigzag32(keyBytes));
    if (key !== null) this.offset += typeof key === 'string' ? this.buffer.write(key, this.offset) : key.copy(this.buffer, this.offset);
    let valueBytes: number;
    if (typeof value === 'string') {
      const guessVarint = guessValueVarint;
      const valueAt = this.offset + guessVarint;
      valueBytes = this.buffer.write(value, valueAt);
      const varint = varintBytes(zigzag32(valueBytes));
      if (varint !== guessVarint) this.buffer.copy(this.buffer, this.offset + varint, valueAt, valueAt + valueBytes);
      this.varint(zigzag32(valueBytes));
      this.offset += valueBytes;
    } else {
      this.varint(zigzag32(value.length));
      valueBytes = value.copy(this.buffer, this.offset);
      this.offset += valueBytes;
    }
    this.buffer[this.offset++] = 0; // no headers
    const bodyBytes = this.offset - bodyAt;
    const end = this.offset;
    const lengthVarint = varintBytes(zigzag32(bodyBytes));
    if (lengthVarint !== guessLengthVarint) this.buffer.copy(this.buffer, lengthAt + lengthVarint, bodyAt, end);
    this.offset = lengthAt;
    this.varint(zigzag32(bodyBytes));
    this.offset += bodyBytes;
    this.count += 1;
    return valueBytes;
  }

  /** Takes back the record appended last (once). */
  undoLast(): void {
    if (this.count === 0 || this.undo.offset === this.offset) throw new RangeError('no record to take back');
    this.offset = this.undo.offset;
    this.maxTimestampMs = this.undo.maxTimestampMs;
    this.count -= 1;
  }

  /** The finished batch: a view of this writer's buffer (append nothing after sealing). */
  seal(identity: BatchIdentity, compression: BatchCompression = 'none'): Buffer {
    if (this.count === 0) throw new RangeError('a record batch needs at least one record');
    let end = this.offset;
    if (compression === 'gzip') {
      const compressed = zlib.gzipSync(this.buffer.subarray(HEADER_BYTES, this.offset));
      this.offset = HEADER_BYTES;
      this.ensure(compressed.length);
      compressed.copy(this.buffer, HEADER_BYTES);
      end = HEADER_BYTES + compressed.length;
      this.offset = end;
    }
    const b = this.buffer;
    b.writeBigInt64BE(0n, 0); // base offset: the broker assigns it
    b.writeInt32BE(end - 12, 8); // batch length: the bytes after this field
    b.writeInt32BE(-1, 12); // partition leader epoch: none (producer side)
    b.writeInt8(2, 16); // magic
    b.writeInt16BE(compression === 'gzip' ? 1 : 0, ATTRIBUTES_OFFSET); // codec; create time; not transactional
    b.writeInt32BE(this.count - 1, 23); // last offset delta
    b.writeBigInt64BE(BigInt(this.firstTimestampMs), 27);
    b.writeBigInt64BE(BigInt(this.maxTimestampMs), 35);
    b.writeBigInt64BE(identity.producerId, 43);
    b.writeInt16BE(identity.producerEpoch, 51);
    b.writeInt32BE(identity.baseSequence, 53);
    b.writeInt32BE(this.count, 57);
    b.writeUInt32BE(crc32c(b, ATTRIBUTES_OFFSET, end), CRC_OFFSET);
    return b.subarray(0, end);
  }

}
