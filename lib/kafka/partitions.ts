// Which partition a key lands on: kafkajs's default partitioner (murmur2, as the Java client), callable without a broker.
import { Partitioners, type PartitionMetadata } from 'kafkajs';

const defaultPartitioner = Partitioners.DefaultPartitioner();
const metadataByCount = new Map<number, PartitionMetadata[]>();

function partitionMetadata(partitions: number): PartitionMetadata[] {
  let metadata = metadataByCount.get(partitions);
  if (metadata === undefined) {
    metadata = Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      offlineReplicas: [],
      partitionErrorCode: 0,
    }));
    metadataByCount.set(partitions, metadata);
  }
  return metadata;
}

/** The partition (0 … partitions − 1) the default partitioner gives a non-null key. */
export function partitionForKey(key: string | Buffer, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a whole number ≥ 1, got ${partitions}`);
  return defaultPartitioner({ topic: '', partitionMetadata: partitionMetadata(partitions), message: { key, value: null } });
}
