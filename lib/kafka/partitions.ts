// Which partition a key lands on: the Java client's default partitioner (murmur2 of the key, made positive,
// modulo the partition count), callable without a broker.
import { murmur2 } from '@platformatic/kafka';

/** The partition (0 … partitions − 1) the default partitioner gives a non-null key. */
export function partitionForKey(key: string | Buffer, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a whole number ≥ 1, got ${partitions}`);
  return (murmur2(typeof key === 'string' ? Buffer.from(key) : key) & 0x7fffffff) % partitions;
}
