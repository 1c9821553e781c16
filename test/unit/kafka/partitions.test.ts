// The partition a key lands on must be the one Kafka's other clients give it (the Java client's murmur2
// partitioner): Spark and any other producer then agree with ours. The expected partitions below were computed
// with kafkajs 2.2.4's DefaultPartitioner, an independent implementation of the Java client's partitioner.
import { describe, expect, it } from 'vitest';
import { partitionForKey } from '../../../lib/kafka';

const KEYS = ['15946', '15956', '3869685', 'a', '', 'kafka', 'match-303470'];
const EXPECTED: Record<number, number[]> = {
  1: [0, 0, 0, 0, 0, 0, 0],
  3: [2, 0, 0, 1, 0, 1, 1],
  4: [1, 3, 3, 0, 1, 0, 1],
  12: [5, 3, 3, 4, 9, 4, 1],
};

describe('partitionForKey', () => {
  it.each(Object.entries(EXPECTED))('gives the Java client’s partition over %s partitions', (partitions, expected) => {
    expect(KEYS.map((key) => partitionForKey(key, Number(partitions)))).toEqual(expected);
    expect(KEYS.map((key) => partitionForKey(Buffer.from(key), Number(partitions)))).toEqual(expected);
  });

  it('refuses a partition count that is not a whole number ≥ 1', () => {
    expect(() => partitionForKey('k', 0)).toThrow(/whole number ≥ 1, got 0/);
    expect(() => partitionForKey('k', 2.5)).toThrow(RangeError);
  });
});
