// The event producer's own produce path: record batches encoded in one pass (record-batch.ts) and sent with
// Produce v7 over plain sockets. kafkajs builds an object and a Buffer per record and groups messages in quadratic
// time, which bounded the producer near 40,000 events/s; kafkajs still serves metadata, admin and consumers.
//
// Idempotence as in the Java client: one producer id per lane (InitProducerId), a sequence number per partition,
// one request in flight per lane, and a failed request re-sent with the very same batches (same sequences), so
// the broker drops what it already has. A lane whose request failed for good refuses further sends.
import { partitionForKey } from './partitions';
import { RecordBatchWriter, type BatchCompression } from './record-batch';
import { kafkaString, openWireConnection, WireConnectionError, type WireConnection } from './wire-connection';

const API_PRODUCE = 0;
const PRODUCE_VERSION = 7;
const API_INIT_PRODUCER_ID = 22;
const INIT_PRODUCER_ID_VERSION = 1;
const SEQUENCE_LIMIT = 2 ** 31;

/** Kafka error codes the producer meets, with whether a retry can help. */
const ERRORS: Record<number, { name: string; retriable: boolean }> = {
  3: { name: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true },
  5: { name: 'LEADER_NOT_AVAILABLE', retriable: true },
  6: { name: 'NOT_LEADER_OR_FOLLOWER', retriable: true },
  7: { name: 'REQUEST_TIMED_OUT', retriable: true },
  10: { name: 'MESSAGE_TOO_LARGE', retriable: false },
  13: { name: 'NETWORK_EXCEPTION', retriable: true },
  14: { name: 'COORDINATOR_LOAD_IN_PROGRESS', retriable: true },
  15: { name: 'COORDINATOR_NOT_AVAILABLE', retriable: true },
  16: { name: 'NOT_COORDINATOR', retriable: true },
  18: { name: 'RECORD_LIST_TOO_LARGE', retriable: false },
  19: { name: 'NOT_ENOUGH_REPLICAS', retriable: true },
  20: { name: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', retriable: true },
  2: { name: 'CORRUPT_MESSAGE', retriable: true },
  29: { name: 'TOPIC_AUTHORIZATION_FAILED', retriable: false },
  45: { name: 'OUT_OF_ORDER_SEQUENCE_NUMBER', retriable: false },
  47: { name: 'INVALID_PRODUCER_EPOCH', retriable: false },
  56: { name: 'KAFKA_STORAGE_ERROR', retriable: true },
  59: { name: 'UNKNOWN_PRODUCER_ID', retriable: false },
  87: { name: 'INVALID_RECORD', retriable: false },
};
/** The broker already holds this batch (a re-send after a lost response): success. */
const DUPLICATE_SEQUENCE_NUMBER = 46;

export class KafkaProtocolError extends Error {
  override name = 'KafkaProtocolError';
  constructor(
    message: string,
    readonly code: number,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

function protocolError(action: string, code: number): KafkaProtocolError {
  const known = ERRORS[code];
  return new KafkaProtocolError(`${action}: ${known?.name ?? 'error'} (Kafka error code ${code})`, code, known?.retriable ?? false);
}

export interface BrokerAddress {
  host: string;
  port: number;
}

export interface TopicLayout {
  partitions: number;
  /** The broker that leads each partition, by partition number. */
  leaders: BrokerAddress[];
}

export interface WireProducerOptions {
  clientId: string;
  /** Brokers to ask for producer ids (the bootstrap list). */
  bootstrap: BrokerAddress[];
  /** The topic's partitions and their leaders; refresh asks the cluster again (after a leader error). */
  layout(topic: string, refresh: boolean): Promise<TopicLayout>;
  idempotent: boolean;
  /** Requests in flight per lane when not idempotent (idempotent lanes keep one). */
  maxInFlightRequests: number;
  compression: BatchCompression;
  lanes: number;
  retries: number;
  initialRetryMs: number;
  maxRetryMs: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface WireMessage {
  key: string | Buffer | null;
  value: string | Buffer;
  timestampMs?: number;
}

/** Messages encoded as they are added, sent together by sendBatch. */
export interface WireBatch {
  readonly topic: string;
  /** Messages in the batch. */
  readonly count: number;
  /**
   * Encodes a message for a partition now (the caller need not keep it); returns its value's bytes, or −1 when
   * that partition's share would pass maxPartitionBytes (then nothing is added; the batch's first message always is).
   */
  add(key: string | Buffer | null, value: string | Buffer, partition: number, timestampMs?: number): number;
}

export interface WireProducer {
  send(topic: string, messages: readonly WireMessage[]): Promise<void>;
  createBatch(topic: string, maxPartitionBytes: number): WireBatch;
  sendBatch(batch: WireBatch): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function retryDelayMs(options: WireProducerOptions, attempt: number): number {
  const base = Math.min(options.initialRetryMs * 2 ** attempt, options.maxRetryMs);
  return base * (0.8 + 0.4 * Math.random());
}

function isRetriable(error: unknown): boolean {
  return error instanceof WireConnectionError || (error instanceof KafkaProtocolError && error.retriable);
}

interface Lane {
  producerId: bigint;
  producerEpoch: number;
  sequences: Map<string, number>;
  connections: Map<string, Promise<WireConnection>>;
  /** Sends wait here for a free slot (one for an idempotent lane). */
  slots: number;
  waiting: Array<() => void>;
  failure: unknown;
}

function produceRequest(topic: string, timeoutMs: number, batches: ReadonlyMap<number, Buffer>): Buffer[] {
  const head = Buffer.allocUnsafe(2 + 2 + 4 + 4);
  kafkaString(null).copy(head, 0); // transactional id
  head.writeInt16BE(-1, 2); // acks = all
  head.writeInt32BE(timeoutMs, 4);
  head.writeInt32BE(1, 8); // one topic
  const parts: Buffer[] = [head, kafkaString(topic)];
  const count = Buffer.allocUnsafe(4);
  count.writeInt32BE(batches.size, 0);
  parts.push(count);
  for (const [partition, batch] of batches) {
    const prefix = Buffer.allocUnsafe(8);
    prefix.writeInt32BE(partition, 0);
    prefix.writeInt32BE(batch.length, 4);
    parts.push(prefix, batch);
  }
  return parts;
}

/** Produce v7 response: the error code of every partition. */
function produceResponse(body: Buffer): Map<number, number> {
  const errors = new Map<number, number>();
  let at = 0;
  const topics = body.readInt32BE(at);
  at += 4;
  for (let t = 0; t < topics; t += 1) {
    at += 2 + body.readInt16BE(at); // topic name
    const partitions = body.readInt32BE(at);
    at += 4;
    for (let p = 0; p < partitions; p += 1) {
      errors.set(body.readInt32BE(at), body.readInt16BE(at + 4));
      at += 4 + 2 + 8 + 8 + 8; // index, error, base offset, log append time, log start offset
    }
  }
  return errors;
}

/** Connects the lanes (a producer id each when idempotent) and returns the producer. */
export async function createWireProducer(options: WireProducerOptions): Promise<WireProducer> {
  const key = (address: BrokerAddress): string => `${address.host}:${address.port}`;
  const allConnections = new Set<Promise<WireConnection>>();

  function connection(lane: Lane, address: BrokerAddress): Promise<WireConnection> {
    const id = key(address);
    const existing = lane.connections.get(id);
    if (existing) return existing.then((open) => (open.closed ? reconnect() : open), reconnect);
    return reconnect();
    function reconnect(): Promise<WireConnection> {
      const opened = openWireConnection(address.host, address.port, options.clientId, options.connectTimeoutMs);
      opened.catch(() => undefined);
      lane.connections.set(id, opened);
      allConnections.add(opened);
      return opened;
    }
  }

  /** Runs body until it succeeds, a non-retriable error comes, or the retries are spent. */
  async function withRetries<T>(body: (attempt: number) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await body(attempt);
      } catch (error) {
        if (!isRetriable(error) || attempt >= options.retries) throw error;
        await sleep(retryDelayMs(options, attempt));
      }
    }
  }

  async function initLane(lane: Lane): Promise<void> {
    if (!options.idempotent) return;
    await withRetries(async (attempt) => {
      const broker = options.bootstrap[attempt % options.bootstrap.length]!;
      const open = await connection(lane, broker);
      const body = Buffer.allocUnsafe(6);
      body.writeInt16BE(-1, 0); // no transactional id
      body.writeInt32BE(60_000, 2); // transaction timeout (unused without transactions)
      const answer = await open.request(API_INIT_PRODUCER_ID, INIT_PRODUCER_ID_VERSION, [body], options.requestTimeoutMs);
      const errorCode = answer.readInt16BE(4);
      if (errorCode !== 0) throw protocolError('InitProducerId', errorCode);
      lane.producerId = answer.readBigInt64BE(6);
      lane.producerEpoch = answer.readInt16BE(14);
    });
  }

  const lanes: Lane[] = Array.from({ length: options.lanes }, () => ({
    producerId: -1n,
    producerEpoch: -1,
    sequences: new Map(),
    connections: new Map(),
    slots: options.idempotent ? 1 : options.maxInFlightRequests,
    waiting: [],
    failure: undefined,
  }));
  await Promise.all(lanes.map(initLane));

  async function acquire(lane: Lane): Promise<void> {
    if (lane.slots > 0) {
      lane.slots -= 1;
      return;
    }
    await new Promise<void>((resolve) => lane.waiting.push(resolve));
  }

  function release(lane: Lane): void {
    const next = lane.waiting.shift();
    if (next) next();
    else lane.slots += 1;
  }

  /** Sends one lane's share: a sealed batch per partition, re-sent unchanged until every partition is in. */
  async function sendLane(lane: Lane, topic: string, writers: Map<number, RecordBatchWriter>, layout: TopicLayout): Promise<void> {
    await acquire(lane);
    try {
      if (lane.failure !== undefined) throw lane.failure;
      const pending = new Map<number, Buffer>();
      for (const [partition, writer] of writers) {
        const sequenceKey = `${topic}/${partition}`;
        const baseSequence = options.idempotent ? (lane.sequences.get(sequenceKey) ?? 0) : -1;
        if (options.idempotent) lane.sequences.set(sequenceKey, (baseSequence + writer.records) % SEQUENCE_LIMIT);
        pending.set(partition, writer.seal({ producerId: lane.producerId, producerEpoch: lane.producerEpoch, baseSequence }, options.compression));
      }
      let current = layout;
      await withRetries(async (attempt) => {
        if (attempt > 0) current = await options.layout(topic, true);
        const byLeader = new Map<string, { address: BrokerAddress; batches: Map<number, Buffer> }>();
        for (const [partition, batch] of pending) {
          const address = current.leaders[partition]!;
          const group = byLeader.get(key(address)) ?? { address, batches: new Map() };
          group.batches.set(partition, batch);
          byLeader.set(key(address), group);
        }
        let retriable: KafkaProtocolError | undefined;
        await Promise.all(
          [...byLeader.values()].map(async ({ address, batches }) => {
            const open = await connection(lane, address);
            const answer = await open.request(API_PRODUCE, PRODUCE_VERSION, produceRequest(topic, options.requestTimeoutMs, batches), options.requestTimeoutMs);
            for (const [partition, errorCode] of produceResponse(answer)) {
              if (errorCode === 0 || errorCode === DUPLICATE_SEQUENCE_NUMBER) {
                pending.delete(partition);
                continue;
              }
              const error = protocolError(`produce to ${topic} partition ${partition}`, errorCode);
              if (!error.retriable) throw error;
              retriable = error;
            }
          }),
        );
        if (pending.size > 0) throw retriable ?? new KafkaProtocolError(`produce to ${topic}: the broker did not answer for every partition`, -1, true);
      });
    } catch (error) {
      // Sequences of this lane are now uncertain: no later batch may follow.
      lane.failure ??= error;
      throw error;
    } finally {
      release(lane);
    }
  }

  let roundRobin = 0;
  // The partition of a key Buffer, remembered per partition count (callers reuse one Buffer per key).
  const partitionOfKey = new Map<number, WeakMap<Buffer, number>>();
  function partitionFor(messageKey: string | Buffer, partitions: number): number {
    if (typeof messageKey === 'string') return partitionForKey(messageKey, partitions);
    let known = partitionOfKey.get(partitions);
    if (known === undefined) partitionOfKey.set(partitions, (known = new WeakMap()));
    let partition = known.get(messageKey);
    if (partition === undefined) known.set(messageKey, (partition = partitionForKey(messageKey, partitions)));
    return partition;
  }

  interface Shares {
    writers: Map<number, RecordBatchWriter>;
    bytes: Map<number, number>;
  }
  const sharesOf = new WeakMap<WireBatch, Shares>();

  function createBatch(topic: string, maxPartitionBytes: number, writerBytes = 64 * 1024): WireBatch {
    const batchTimestampMs = Date.now();
    const shares: Shares = { writers: new Map(), bytes: new Map() };
    let count = 0;
    const batch: WireBatch = {
      topic,
      get count() {
        return count;
      },
      add(messageKey, value, partition, timestampMs = batchTimestampMs) {
        let writer = shares.writers.get(partition);
        if (writer === undefined) shares.writers.set(partition, (writer = new RecordBatchWriter(writerBytes)));
        const valueBytes = writer.append(messageKey, value, timestampMs);
        const partitionBytes = (shares.bytes.get(partition) ?? 0) + valueBytes;
        if (count > 0 && partitionBytes > maxPartitionBytes) {
          writer.undoLast();
          return -1;
        }
        shares.bytes.set(partition, partitionBytes);
        count += 1;
        return valueBytes;
      },
    };
    sharesOf.set(batch, shares);
    return batch;
  }

  async function sendBatch(batch: WireBatch): Promise<void> {
    const shares = sharesOf.get(batch);
    if (shares === undefined) throw new RangeError('sendBatch takes a batch made by this producer\'s createBatch');
    sharesOf.delete(batch); // a batch goes once
    if (batch.count === 0) return;
    const layout = await options.layout(batch.topic, false);
    const perLane: Array<Map<number, RecordBatchWriter>> = lanes.map(() => new Map());
    for (const [partition, writer] of shares.writers) {
      if (!Number.isInteger(partition) || partition < 0 || partition >= layout.partitions)
        throw new RangeError(`partition ${partition} does not exist: ${batch.topic} has ${layout.partitions} partitions`);
      if (writer.records > 0) perLane[partition % lanes.length]!.set(partition, writer);
    }
    await Promise.all(perLane.map((writers, index) => (writers.size > 0 ? sendLane(lanes[index]!, batch.topic, writers, layout) : undefined)));
  }

  return {
    createBatch: (topic, maxPartitionBytes) => createBatch(topic, maxPartitionBytes),
    sendBatch,
    async send(topic, messages) {
      if (messages.length === 0) return;
      const layout = await options.layout(topic, false);
      const first = messages[0]!.value;
      const guessBytes = (first.length + 64) * Math.ceil(messages.length / layout.partitions) + 1_024;
      const batch = createBatch(topic, Infinity, Math.min(guessBytes, 4 << 20));
      for (const message of messages) {
        let partition: number;
        if (message.key !== null) partition = partitionFor(message.key, layout.partitions);
        else if (lanes.length === 1) partition = roundRobin++ % layout.partitions;
        else throw new RangeError(`a producer with ${lanes.length} lanes needs keyed messages (topic ${topic})`);
        batch.add(message.key, message.value, partition, message.timestampMs);
      }
      await sendBatch(batch);
    },
    async close() {
      const opened = await Promise.allSettled(allConnections);
      for (const result of opened) if (result.status === 'fulfilled') result.value.close();
      allConnections.clear();
    },
  };
}
