// pitchstream's small Kafka interface, on @platformatic/kafka (a maintained pure-TypeScript client, chosen on
// bench:producer's measurements: see the README). The client stays behind this interface, so it can be swapped
// without touching callers; tests run it against our Kafka 4 broker.
import crypto from 'node:crypto';
import { Admin, Consumer, MessagesStreamModes, type Message } from '@platformatic/kafka';
import { loadConfig } from '../config';
import { PitchstreamError } from '../errors';
import { createPlatformaticProducer } from './platformatic-producer';
import { errorTexts, kafkaError, type KafkaTarget } from './client-errors';
import { clientSecurityOptions, kafkaSecurity, type KafkaSecurity } from './security';

export { kafkaError, type KafkaTarget } from './client-errors';

export type Compression = 'none' | 'gzip';

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
  /** Copies of each partition (default 1: the embedded broker is one node; 3 on a production cluster). */
  replicationFactor?: number;
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

/** Messages for one topic, sent together by EventProducer.sendBatch. */
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
  /** The node id leading each partition (by partition number; −1 while none does), from fresh metadata. */
  partitionLeaders(topic: string): Promise<number[]>;
  consumeAll(topic: string, options: ConsumeOptions): Promise<ConsumeResult>;
  close(): Promise<void>;
}

async function guarded<T>(action: string, target: KafkaTarget, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof PitchstreamError) throw error;
    throw kafkaError(action, target, error);
  }
}

export interface KafkaClientOptions {
  clientId?: string;
  /** TLS and SASL; default: the configured one (kafkaSecurity(loadConfig()): PLAINTEXT unless KAFKA_BOOTSTRAP and KAFKA_SECURITY_PROTOCOL say otherwise). */
  security?: KafkaSecurity;
  /** Bounded retries: a dead broker is reported after these, not retried forever. */
  retries?: number;
  connectionTimeoutMs?: number;
}

const REQUEST_TIMEOUT_MS = 30_000;
const RETRY_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 2_000;
/**
 * Default retries: with the delays doubling from 250 ms to at most 2 s, 10 retries wait about 16 s, longer than a
 * cluster takes to elect a new leader for a crashed broker's partitions (Kafka's broker session timeout: 9 s).
 */
const DEFAULT_RETRIES = 10;

/** Exponential back-off between retries of one operation. */
const retryDelay = (_client: unknown, _operation: string, attempt: number): number => Math.min(RETRY_DELAY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS);
const TOPIC_ALREADY_EXISTS = /TOPIC_ALREADY_EXISTS|already exists/i;

export function createKafkaClient(bootstrap: string, options: KafkaClientOptions = {}): KafkaClient {
  const clientId = options.clientId ?? 'pitchstream';
  const retries = options.retries ?? DEFAULT_RETRIES;
  const connectionTimeoutMs = options.connectionTimeoutMs ?? 3_000;
  const brokers = bootstrap.split(',');
  const security = options.security ?? kafkaSecurity(loadConfig());
  const target: KafkaTarget = { bootstrap, security };
  const connection = {
    ...clientSecurityOptions(security),
    bootstrapBrokers: brokers,
    retries,
    retryDelay,
    connectTimeout: connectionTimeoutMs,
    requestTimeout: REQUEST_TIMEOUT_MS,
  };
  const closers = new Set<() => Promise<void>>();
  let admin: Admin | undefined;

  function getAdmin(): Admin {
    admin ??= new Admin({ clientId: `${clientId}-admin`, ...connection });
    return admin;
  }

  /** A topic's partition count from fresh metadata; 0 when a partition has no leader yet. */
  async function partitionsWithLeaders(topic: string): Promise<number> {
    const metadata = await getAdmin().metadata({ topics: [topic], forceUpdate: true });
    const partitions = metadata.topics.get(topic)?.partitions ?? [];
    return partitions.length > 0 && partitions.every((partition) => partition !== undefined && partition.leader >= 0) ? partitions.length : 0;
  }

  async function partitionCount(topic: string): Promise<number> {
    const metadata = await getAdmin().metadata({ topics: [topic] });
    return metadata.topics.get(topic)?.partitionsCount ?? 0;
  }

  return {
    bootstrap,

    createTopic: (topic, topicOptions = {}) =>
      guarded(`create topic ${topic}`, target, async () => {
        const configs = topicOptions.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(topicOptions.retentionMs) }];
        let created = true;
        try {
          await getAdmin().createTopics({ topics: [topic], partitions: topicOptions.partitions ?? 4, replicas: topicOptions.replicationFactor ?? 1, configs });
        } catch (error) {
          if (!errorTexts(error).some((text) => TOPIC_ALREADY_EXISTS.test(text))) throw error;
          created = false;
        }
        // Wait for every partition's leader: a broker on a loaded machine is slow to publish a new topic.
        const deadline = Date.now() + REQUEST_TIMEOUT_MS;
        for (let attempt = 0; ; attempt += 1) {
          try {
            if ((await partitionsWithLeaders(topic)) > 0) return created;
          } catch (error) {
            if (Date.now() > deadline) throw error;
          }
          if (Date.now() > deadline) throw new Error(`topic ${topic} has partitions without a leader after ${REQUEST_TIMEOUT_MS / 1_000} s`);
          await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_DELAY_MS * 2 ** attempt, 1_000)));
        }
      }),

    deleteTopic: (topic) =>
      guarded(`delete topic ${topic}`, target, async () => {
        await getAdmin().deleteTopics({ topics: [topic] });
      }),

    listTopics: () => guarded('list topics', target, () => getAdmin().listTopics()),

    createProducer: (producerOptions = {}) =>
      guarded('connect producer', target, async () => {
        const lanes = producerOptions.lanes ?? 1;
        if (!Number.isInteger(lanes) || lanes < 1) throw new RangeError(`lanes must be a whole number ≥ 1, got ${lanes}`);
        const producer = await createPlatformaticProducer({
          clientId,
          connection,
          idempotent: producerOptions.idempotent ?? true,
          maxInFlightRequests: producerOptions.maxInFlightRequests ?? 5,
          compression: producerOptions.compression ?? 'none',
          lanes,
          partitionCount,
        });
        const close = (): Promise<void> => producer.close();
        closers.add(close);
        return {
          send: (topic, messages) => guarded(`produce to ${topic}`, target, () => producer.send(topic, messages)),
          createBatch: (topic, maxPartitionBytes) => producer.createBatch(topic, maxPartitionBytes),
          sendBatch: (batch) => guarded(`produce to ${batch.topic}`, target, () => producer.sendBatch(batch)),
          close: async () => {
            closers.delete(close);
            await close();
          },
        };
      }),

    partitionCount: (topic) => guarded(`read the metadata of ${topic}`, target, () => partitionCount(topic)),

    partitionLeaders: (topic) =>
      guarded(`read the metadata of ${topic}`, target, async () => {
        const metadata = await getAdmin().metadata({ topics: [topic], forceUpdate: true });
        return (metadata.topics.get(topic)?.partitions ?? []).map((partition) => partition?.leader ?? -1);
      }),

    consumeAll: (topic, consumeOptions) =>
      guarded(`consume ${topic}`, target, async () => {
        // A group of its own, read from the earliest offset: every message of the topic, whoever read it before.
        const consumer = new Consumer({ clientId: `${clientId}-reader`, groupId: `pitchstream-read-${crypto.randomUUID()}`, ...connection });
        const messages: ConsumedMessage[] = [];
        try {
          const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false });
          let lastArrival = Date.now();
          let finish: (timedOut: boolean) => void = () => undefined;
          let fail: (error: unknown) => void = () => undefined;
          const done = new Promise<boolean>((resolve, reject) => {
            finish = resolve;
            fail = reject;
          });
          stream.on('data', (m: Message) => {
            messages.push({
              topic: m.topic,
              partition: m.partition,
              offset: m.offset,
              key: m.key && m.key.length > 0 ? m.key.toString() : null,
              value: m.value ?? Buffer.alloc(0),
              timestampMs: Number(m.timestamp),
            });
            lastArrival = Date.now();
            if (consumeOptions.expected !== undefined && messages.length >= consumeOptions.expected) finish(false);
          });
          stream.on('error', (error: unknown) => fail(error));
          const started = Date.now();
          const timer = setInterval(() => {
            const now = Date.now();
            if (now - started > consumeOptions.timeoutMs) finish(true);
            else if (consumeOptions.idleMs !== undefined && messages.length > 0 && now - lastArrival > consumeOptions.idleMs) finish(false);
          }, 100);
          try {
            const timedOut = await done;
            return { messages, timedOut };
          } finally {
            clearInterval(timer);
            await new Promise<void>((resolve) => stream.close(() => resolve()));
          }
        } finally {
          await new Promise<void>((resolve) => consumer.close(true, () => resolve()));
        }
      }),

    close: async () => {
      await Promise.all([...closers].map((close) => close().catch(() => undefined)));
      closers.clear();
      await admin?.close().catch(() => undefined);
      admin = undefined;
    },
  };
}
