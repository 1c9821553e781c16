// The event producer on @platformatic/kafka, a maintained pure-TypeScript client (idempotent producer, TLS, SASL).
// Lanes: one client per lane, each with its own connections and producer id, owning the partitions p with
// p % lanes === lane, so batches go to the broker in parallel while every key still goes through one producer,
// in order. Idempotence (producer id, sequence numbers, retries) is the client's; re-sends on fresh metadata after
// a broker crash are ours (sendWithRecovery).
import { Producer, type MessageToProduce } from '@platformatic/kafka';
import type { EventProducer, MessageBatch, OutgoingMessage } from './client';
import { recoverableOnFreshMetadata } from './client-errors';
import { partitionForKey } from './partitions';

/** Where and how the client connects: brokers, retries, timeouts (and security, when set). */
export interface ClientConnection {
  bootstrapBrokers: string[];
  retries: number;
  retryDelay: number | ((client: unknown, operation: string, attempt: number) => number);
  connectTimeout: number;
  requestTimeout: number;
}

export interface PlatformaticProducerOptions {
  clientId: string;
  connection: ClientConnection;
  idempotent: boolean;
  /** Requests in flight per connection when not idempotent (an idempotent producer keeps one). */
  maxInFlightRequests: number;
  compression: 'none' | 'gzip';
  lanes: number;
  /** A topic's partition count, for keyed messages sent without a partition across lanes. */
  partitionCount(topic: string): Promise<number>;
}

type Outgoing = MessageToProduce<Buffer, Buffer, Buffer, Buffer>;

/**
 * How long a send keeps going, per configured retry, after the client gave up on a broker that stopped answering:
 * the client retries that same broker, while after a crash the cluster moves the partition to another leader (Kafka
 * fences a silent broker after its session timeout, 9 s by default) and a restarted single broker takes seconds to
 * come back. With the default 10 retries: 20 s more; with retries: 1 (fail fast), 2 s.
 */
const RECOVERY_MS_PER_RETRY = 2_000;
const RECOVERY_PAUSE_MS = [250, 500, 1_000, 2_000] as const;

/**
 * Sends on one lane, and after a recoverable failure sends again, on fresh metadata, the messages of the partitions
 * the broker did not acknowledge. The client advances a partition's sequence number only on success, so the re-sent
 * batch carries the same producer id and sequence: a broker that already holds it (written before the leader died,
 * acknowledgement lost) answers with the original offset instead of appending it twice.
 */
async function sendWithRecovery(lane: Producer<Buffer, Buffer, Buffer, Buffer>, messages: Outgoing[], recoveryMs: number): Promise<void> {
  const deadline = Date.now() + recoveryMs;
  let pending = messages;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await lane.send({ messages: pending });
      return;
    } catch (error) {
      if (!recoverableOnFreshMetadata(error) || Date.now() > deadline) throw error;
      const produced = new Set(((error as { produced?: { offsets?: { topic: string; partition: number }[] } }).produced?.offsets ?? []).map((o) => `${o.topic}:${o.partition}`));
      pending = pending.filter((message) => !produced.has(`${message.topic}:${message.partition}`));
      if (pending.length === 0) return;
      lane.clearMetadata();
      await new Promise((resolve) => setTimeout(resolve, RECOVERY_PAUSE_MS[Math.min(attempt, RECOVERY_PAUSE_MS.length - 1)]));
    }
  }
}

/** Value bytes per request that send() keeps under: a broker refuses a batch over its message.max.bytes (1 MiB by default). */
const SEND_CHUNK_BYTES = 900_000;

/** Consecutive runs of messages of at most SEND_CHUNK_BYTES value bytes (a larger single message goes alone), in order. */
function chunksByBytes(messages: Outgoing[]): Outgoing[][] {
  const chunks: Outgoing[][] = [];
  let current: Outgoing[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.value?.length ?? 0;
    if (current.length > 0 && bytes + size > SEND_CHUNK_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The batch keeps the messages (the client serializes them when sent), each with its partition. */
interface PlatformaticBatch extends MessageBatch {
  readonly messages: Outgoing[];
}

const toBuffer = (data: string | Buffer): Buffer => (typeof data === 'string' ? Buffer.from(data) : data);

export async function createPlatformaticProducer(options: PlatformaticProducerOptions): Promise<EventProducer> {
  const lanes = Array.from(
    { length: options.lanes },
    (_, lane) =>
      new Producer<Buffer, Buffer, Buffer, Buffer>({
        clientId: `${options.clientId}-lane-${lane}`,
        ...options.connection,
        idempotent: options.idempotent,
        maxInflights: options.idempotent ? 1 : options.maxInFlightRequests,
        acks: -1,
        compression: options.compression,
        autocreateTopics: false,
      }),
  );
  const partitionsByTopic = new Map<string, number>();
  const recoveryMs = options.connection.retries * RECOVERY_MS_PER_RETRY;

  async function sendInLanes(messages: Outgoing[]): Promise<void> {
    if (lanes.length === 1) {
      await sendWithRecovery(lanes[0]!, messages, recoveryMs);
      return;
    }
    const perLane: Outgoing[][] = lanes.map(() => []);
    for (const message of messages) perLane[message.partition! % lanes.length]!.push(message);
    await Promise.all(perLane.map((laneMessages, lane) => (laneMessages.length > 0 ? sendWithRecovery(lanes[lane]!, laneMessages, recoveryMs) : undefined)));
  }

  async function send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    let partitions = partitionsByTopic.get(topic);
    if (partitions === undefined) partitionsByTopic.set(topic, (partitions = await options.partitionCount(topic)));
    const outgoing = messages.map((m): Outgoing => {
      if (m.key === null && lanes.length > 1) throw new RangeError(`a producer with ${lanes.length} lanes needs keyed messages (topic ${topic})`);
      return {
        topic,
        key: m.key === null ? undefined : toBuffer(m.key),
        value: toBuffer(m.value),
        // The Java client's partitioner (murmur2): a key lands where Kafka's other clients put it.
        partition: m.key === null ? 0 : partitionForKey(m.key, partitions),
        timestamp: m.timestampMs === undefined ? undefined : BigInt(m.timestampMs),
      };
    });
    // One request after the other: each key keeps its order.
    for (const chunk of chunksByBytes(outgoing)) await sendInLanes(chunk);
  }

  function createBatch(topic: string, maxPartitionBytes: number): PlatformaticBatch {
    const bytesByPartition = new Map<number, number>();
    const timestamp = BigInt(Date.now());
    const messages: Outgoing[] = [];
    return {
      topic,
      messages,
      get count() {
        return messages.length;
      },
      add(key, value, partition) {
        const bytes = toBuffer(value);
        const partitionBytes = (bytesByPartition.get(partition) ?? 0) + bytes.length;
        if (messages.length > 0 && partitionBytes > maxPartitionBytes) return -1;
        bytesByPartition.set(partition, partitionBytes);
        messages.push({ topic, key: toBuffer(key), value: bytes, partition, timestamp });
        return bytes.length;
      },
    };
  }

  return {
    send,
    createBatch,
    async sendBatch(batch) {
      const messages = (batch as Partial<PlatformaticBatch>).messages;
      if (messages === undefined) throw new RangeError("sendBatch takes a batch made by this producer's createBatch");
      await sendInLanes(messages);
    },
    async close() {
      await Promise.all(lanes.map((lane) => lane.close()));
    },
  };
}
