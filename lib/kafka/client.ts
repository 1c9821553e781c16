// pitchstream's small Kafka interface. kafkajs (unmaintained since 2023) stays behind it, so it
// can be swapped without touching callers; tests run it against our Kafka 4 broker.
import crypto from 'node:crypto';
import { CompressionTypes, Kafka, Partitioners, logLevel, type Admin, type Message, type Producer } from 'kafkajs';
import { PitchstreamError } from '../errors';
import { partitionForKey } from './partitions';
import { createPlatformaticProducer } from './platformatic-producer';
import { createWireProducer, KafkaProtocolError, type BrokerAddress, type TopicLayout, type WireBatch } from './wire-producer';

export type Compression = 'none' | 'gzip';

export const PRODUCER_ENGINES = ['wire', 'kafkajs', 'platformatic'] as const;
export type ProducerEngine = (typeof PRODUCER_ENGINES)[number];

export interface OutgoingMessage {
  key: string | Buffer | null;
  value: string | Buffer;
  /** Epoch milliseconds; the broker's time when absent. */
  timestampMs?: number;
}

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: bigint;
  key: string | null;
  value: Buffer;
  timestampMs: number;
}

export interface TopicOptions {
  partitions?: number;
  retentionMs?: number;
}

export interface ConsumeOptions {
  /** Resolve as soon as this many messages arrived. */
  expected?: number;
  /** Upper bound on the whole wait. */
  timeoutMs: number;
  /** Resolve after this long without a new message (once at least one arrived). */
  idleMs?: number;
}

export interface ConsumeResult {
  messages: ConsumedMessage[];
  timedOut: boolean;
}

export interface ProducerOptions {
  /**
   * 'wire' (default): pitchstream's own produce path (lib/kafka/wire-producer.ts), record batches encoded in one pass;
   * 'kafkajs': kafkajs's producer, about 2.5 times the CPU per event;
   * 'platformatic': @platformatic/kafka's producer (lib/kafka/platformatic-producer.ts).
   */
  engine?: ProducerEngine;
  compression?: Compression;
  /** Idempotent (default true): no duplicates on retries; one request in flight per lane. */
  idempotent?: boolean;
  /** Requests in flight per connection; only when idempotent is false (default 5). */
  maxInFlightRequests?: number;
  /**
   * Parallel producers (default 1), each with its own connection and producer id, each owning the
   * partitions p with p % lanes === lane: batches go to the broker in parallel while every key
   * still goes through one producer, in order. Needs keyed messages.
   */
  lanes?: number;
}

/** Messages for one topic, sent together by EventProducer.sendBatch; the wire engine encodes each as it is added. */
export interface MessageBatch {
  readonly topic: string;
  /** Messages in the batch. */
  readonly count: number;
  /**
   * Adds a keyed message for a partition (give the partition partitionForKey gives its key, so every key keeps one
   * partition); returns the value's bytes, or −1 when that partition's share would pass the batch's byte limit
   * (nothing added; the batch's first message always goes in). The message time is the batch's creation time.
   */
  add(key: string | Buffer, value: string | Buffer, partition: number): number;
}

export interface EventProducer {
  /** Sends a batch with acks=all; resolves when the broker has accepted every message. */
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  /** A batch for sendBatch; maxPartitionBytes bounds the value bytes of each partition's share. */
  createBatch(topic: string, maxPartitionBytes: number): MessageBatch;
  /** Sends a batch from createBatch (once) with acks=all; resolves when the broker has accepted every message. */
  sendBatch(batch: MessageBatch): Promise<void>;
  close(): Promise<void>;
}

export interface KafkaClient {
  readonly bootstrap: string;
  createTopic(topic: string, options?: TopicOptions): Promise<boolean>;
  deleteTopic(topic: string): Promise<void>;
  listTopics(): Promise<string[]>;
  createProducer(options?: ProducerOptions): Promise<EventProducer>;
  /** How many partitions a topic has (from the broker's metadata). */
  partitionCount(topic: string): Promise<number>;
  consumeAll(topic: string, options: ConsumeOptions): Promise<ConsumeResult>;
  close(): Promise<void>;
}

/** Maps a kafkajs failure to our errors: unreachable broker vs a failed request. */
export function kafkaError(action: string, bootstrap: string, error: unknown): PitchstreamError {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const cause = error instanceof Error ? (error as Error & { cause?: unknown }).cause : undefined;
  const causeText = cause instanceof Error ? `${cause.name}: ${cause.message}` : '';
  if (/ECONNREFUSED|ENOTFOUND|Connection timeout|KafkaJSConnectionError|connect/i.test(`${text} ${causeText}`))
    return new PitchstreamError('KAFKA_UNREACHABLE', `${action}: no Kafka broker answers at ${bootstrap} (${text})`, {
      cause: error,
      details: { bootstrap },
    });
  return new PitchstreamError('KAFKA_REQUEST_FAILED', `${action} failed at ${bootstrap}: ${text}`, {
    cause: error,
    details: { bootstrap },
  });
}

async function guarded<T>(action: string, bootstrap: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof PitchstreamError) throw error;
    throw kafkaError(action, bootstrap, error);
  }
}

export interface KafkaClientOptions {
  clientId?: string;
  /** Bounded retries: a dead broker is reported after these, not retried forever. */
  retries?: number;
  connectionTimeoutMs?: number;
}

const REQUEST_TIMEOUT_MS = 30_000;
const INITIAL_RETRY_MS = 200;
const MAX_RETRY_MS = 5_000;

function brokerAddress(entry: string): BrokerAddress {
  const at = entry.lastIndexOf(':');
  const port = Number(entry.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port)) throw new RangeError(`a bootstrap entry must be host:port, got ${JSON.stringify(entry)}`);
  return { host: entry.slice(0, at).replace(/^\[|\]$/g, ''), port };
}

export function createKafkaClient(bootstrap: string, options: KafkaClientOptions = {}): KafkaClient {
  const clientId = options.clientId ?? 'pitchstream';
  const retries = options.retries ?? 5;
  const connectionTimeoutMs = options.connectionTimeoutMs ?? 3_000;
  const kafka = new Kafka({
    clientId,
    brokers: bootstrap.split(','),
    connectionTimeout: connectionTimeoutMs,
    requestTimeout: REQUEST_TIMEOUT_MS,
    retry: { retries, initialRetryTime: INITIAL_RETRY_MS, maxRetryTime: MAX_RETRY_MS },
    logLevel: logLevel.NOTHING,
  });
  const closers = new Set<() => Promise<void>>();
  let admin: Admin | undefined;
  const producers = new Set<Producer>();

  async function getAdmin(): Promise<Admin> {
    if (!admin) {
      const created = kafka.admin();
      await created.connect();
      admin = created;
    }
    return admin;
  }

  async function partitionCount(topic: string): Promise<number> {
    const metadata = await (await getAdmin()).fetchTopicMetadata({ topics: [topic] });
    return metadata.topics[0]?.partitions.length ?? 0;
  }

  /** A topic's partitions and the address of each one's leader, from kafkajs's metadata. */
  async function topicLayout(topic: string): Promise<TopicLayout> {
    const connected = await getAdmin();
    const [metadata, cluster] = await Promise.all([connected.fetchTopicMetadata({ topics: [topic] }), connected.describeCluster()]);
    const hosts = new Map(cluster.brokers.map((broker) => [broker.nodeId, { host: broker.host, port: broker.port }]));
    const partitions = metadata.topics[0]?.partitions ?? [];
    if (partitions.length === 0) throw new KafkaProtocolError(`topic ${topic} has no partitions in the metadata`, 3, true);
    const leaders: BrokerAddress[] = [];
    for (const partition of partitions) {
      const leader = hosts.get(partition.leader);
      if (leader === undefined) throw new KafkaProtocolError(`partition ${partition.partitionId} of ${topic} has no live leader`, 5, true);
      leaders[partition.partitionId] = leader;
    }
    return { partitions: partitions.length, leaders };
  }

  async function createOwnProducer(producerOptions: ProducerOptions, idempotent: boolean, lanes: number): Promise<EventProducer> {
    const layouts = new Map<string, Promise<TopicLayout>>();
    const producer = await createWireProducer({
      clientId,
      bootstrap: bootstrap.split(',').map(brokerAddress),
      layout: (topic, refresh) => {
        let layout = layouts.get(topic);
        if (layout === undefined || refresh) {
          layout = topicLayout(topic);
          layout.catch(() => layouts.delete(topic));
          layouts.set(topic, layout);
        }
        return layout;
      },
      idempotent,
      maxInFlightRequests: producerOptions.maxInFlightRequests ?? 5,
      compression: producerOptions.compression ?? 'none',
      lanes,
      retries,
      initialRetryMs: INITIAL_RETRY_MS,
      maxRetryMs: MAX_RETRY_MS,
      connectTimeoutMs: connectionTimeoutMs,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    });
    const close = (): Promise<void> => producer.close();
    closers.add(close);
    return {
      send: (topic, messages) => guarded(`produce to ${topic}`, bootstrap, () => producer.send(topic, messages)),
      createBatch: (topic, maxPartitionBytes) => producer.createBatch(topic, maxPartitionBytes),
      sendBatch: (batch) => guarded(`produce to ${batch.topic}`, bootstrap, () => producer.sendBatch(batch as WireBatch)),
      close: async () => {
        closers.delete(close);
        await close();
      },
    };
  }

  async function createMaintainedProducer(producerOptions: ProducerOptions, idempotent: boolean, lanes: number): Promise<EventProducer> {
    const producer = await createPlatformaticProducer({
      clientId,
      bootstrap: bootstrap.split(','),
      idempotent,
      compression: producerOptions.compression ?? 'none',
      lanes,
      retries,
      retryDelayMs: INITIAL_RETRY_MS,
      connectTimeoutMs: connectionTimeoutMs,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      partitionCount,
    });
    const close = (): Promise<void> => producer.close();
    closers.add(close);
    return {
      send: (topic, messages) => guarded(`produce to ${topic}`, bootstrap, () => producer.send(topic, messages)),
      createBatch: (topic, maxPartitionBytes) => producer.createBatch(topic, maxPartitionBytes),
      sendBatch: (batch) => guarded(`produce to ${batch.topic}`, bootstrap, () => producer.sendBatch(batch)),
      close: async () => {
        closers.delete(close);
        await close();
      },
    };
  }

  return {
    bootstrap,

    createTopic: (topic, topicOptions = {}) =>
      guarded(`create topic ${topic}`, bootstrap, async () => {
        const configEntries =
          topicOptions.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(topicOptions.retentionMs) }];
        const created = await (await getAdmin()).createTopics({
          topics: [{ topic, numPartitions: topicOptions.partitions ?? 4, replicationFactor: 1, configEntries }],
          waitForLeaders: false,
        });
        // Wait for every partition's leader ourselves: kafkajs's waitForLeaders gives up after a few quick tries
        // (UNKNOWN_TOPIC_OR_PARTITION) when the broker is slow to publish a new topic on a loaded machine.
        const deadline = Date.now() + REQUEST_TIMEOUT_MS;
        for (let attempt = 0; ; attempt += 1) {
          try {
            await topicLayout(topic);
            return created;
          } catch (error) {
            if (Date.now() > deadline) throw error;
            await new Promise((resolve) => setTimeout(resolve, Math.min(INITIAL_RETRY_MS * 2 ** attempt, 1_000)));
          }
        }
      }),

    deleteTopic: (topic) =>
      guarded(`delete topic ${topic}`, bootstrap, async () => {
        await (await getAdmin()).deleteTopics({ topics: [topic], timeout: 10_000 });
      }),

    listTopics: () => guarded('list topics', bootstrap, async () => (await getAdmin()).listTopics()),

    createProducer: (producerOptions = {}) =>
      guarded('connect producer', bootstrap, async () => {
        const idempotent = producerOptions.idempotent ?? true;
        const lanes = producerOptions.lanes ?? 1;
        if (!Number.isInteger(lanes) || lanes < 1) throw new RangeError(`lanes must be a whole number ≥ 1, got ${lanes}`);
        const engine = producerOptions.engine ?? 'wire';
        if (engine === 'wire') return createOwnProducer(producerOptions, idempotent, lanes);
        if (engine === 'platformatic') return createMaintainedProducer(producerOptions, idempotent, lanes);
        // Idempotent + one request in flight: no duplicates, per-partition order kept on retries.
        const created = Array.from({ length: lanes }, () =>
          kafka.producer({
            idempotent,
            maxInFlightRequests: idempotent ? 1 : (producerOptions.maxInFlightRequests ?? 5),
            createPartitioner: Partitioners.DefaultPartitioner,
          }),
        );
        await Promise.all(created.map((producer) => producer.connect()));
        created.forEach((producer) => producers.add(producer));
        const compression = producerOptions.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
        const partitionsByTopic = new Map<string, number>();

        const sendThrough = (producer: Producer, topic: string, messages: Message[]) =>
          producer.send({ topic, acks: -1, compression, messages });

        const toMessage = (m: OutgoingMessage, partition?: number): Message => ({
          key: m.key,
          value: m.value,
          partition,
          timestamp: m.timestampMs === undefined ? undefined : String(m.timestampMs),
        });

        async function sendInLanes(topic: string, messages: OutgoingMessage[]): Promise<void> {
          let partitions = partitionsByTopic.get(topic);
          if (partitions === undefined) {
            partitions = await partitionCount(topic);
            partitionsByTopic.set(topic, partitions);
          }
          const perLane: Message[][] = created.map(() => []);
          for (const m of messages) {
            if (m.key === null) throw new RangeError(`a producer with ${lanes} lanes needs keyed messages (topic ${topic})`);
            const partition = partitionForKey(m.key, partitions);
            perLane[partition % lanes]!.push(toMessage(m, partition));
          }
          await Promise.all(perLane.map((laneMessages, lane) => (laneMessages.length ? sendThrough(created[lane]!, topic, laneMessages) : undefined)));
        }

        /** kafkajs takes messages, not bytes: the batch keeps them, each with its partition. */
        function createBatch(topic: string, maxPartitionBytes: number): MessageBatch & { messages: Message[] } {
          const bytesByPartition = new Map<number, number>();
          const timestamp = String(Date.now());
          const messages: Message[] = [];
          return {
            topic,
            messages,
            get count() {
              return messages.length;
            },
            add(key, value, partition) {
              const valueBytes = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
              const partitionBytes = (bytesByPartition.get(partition) ?? 0) + valueBytes;
              if (messages.length > 0 && partitionBytes > maxPartitionBytes) return -1;
              bytesByPartition.set(partition, partitionBytes);
              messages.push({ key, value, partition, timestamp });
              return valueBytes;
            },
          };
        }

        async function sendBatch(batch: MessageBatch & { messages?: Message[] }): Promise<void> {
          if (batch.messages === undefined) throw new RangeError('sendBatch takes a batch made by this producer\'s createBatch');
          const perLane: Message[][] = created.map(() => []);
          for (const message of batch.messages) perLane[message.partition! % lanes]!.push(message);
          await Promise.all(perLane.map((laneMessages, lane) => (laneMessages.length ? sendThrough(created[lane]!, batch.topic, laneMessages) : undefined)));
        }

        return {
          createBatch,
          sendBatch: (batch) => guarded(`produce to ${batch.topic}`, bootstrap, () => sendBatch(batch)),
          send: (topic, messages) =>
            guarded(`produce to ${topic}`, bootstrap, async () => {
              if (lanes === 1) await sendThrough(created[0]!, topic, messages.map((m) => toMessage(m)));
              else await sendInLanes(topic, messages);
            }),
          close: async () => {
            created.forEach((producer) => producers.delete(producer));
            await Promise.all(created.map((producer) => producer.disconnect()));
          },
        };
      }),

    partitionCount: (topic) => guarded(`read the metadata of ${topic}`, bootstrap, () => partitionCount(topic)),

    consumeAll: (topic, consumeOptions) =>
      guarded(`consume ${topic}`, bootstrap, async () => {
        const consumer = kafka.consumer({ groupId: `pitchstream-read-${crypto.randomUUID()}` });
        const messages: ConsumedMessage[] = [];
        try {
          await consumer.connect();
          await consumer.subscribe({ topic, fromBeginning: true });
          let lastArrival = Date.now();
          let finish: (timedOut: boolean) => void = () => undefined;
          const done = new Promise<boolean>((resolve) => (finish = resolve));
          await consumer.run({
            eachBatch: async ({ batch }) => {
              for (const m of batch.messages)
                messages.push({
                  topic: batch.topic,
                  partition: batch.partition,
                  offset: BigInt(m.offset),
                  key: m.key ? m.key.toString() : null,
                  value: m.value ?? Buffer.alloc(0),
                  timestampMs: Number(m.timestamp),
                });
              lastArrival = Date.now();
              if (consumeOptions.expected !== undefined && messages.length >= consumeOptions.expected) finish(false);
            },
          });
          const started = Date.now();
          const timer = setInterval(() => {
            const now = Date.now();
            if (now - started > consumeOptions.timeoutMs) finish(true);
            else if (consumeOptions.idleMs !== undefined && messages.length > 0 && now - lastArrival > consumeOptions.idleMs)
              finish(false);
          }, 100);
          const timedOut = await done;
          clearInterval(timer);
          return { messages, timedOut };
        } finally {
          await consumer.disconnect().catch(() => undefined);
        }
      }),

    close: async () => {
      await Promise.all([...closers].map((close) => close().catch(() => undefined)));
      closers.clear();
      await Promise.all([...producers].map((p) => p.disconnect().catch(() => undefined)));
      producers.clear();
      await admin?.disconnect().catch(() => undefined);
      admin = undefined;
    },
  };
}
