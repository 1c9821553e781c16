// pitchstream's small Kafka interface. kafkajs (unmaintained since 2023) stays behind it, so it
// can be swapped without touching callers; tests run it against our Kafka 4 broker.
import crypto from 'node:crypto';
import { CompressionTypes, Kafka, Partitioners, logLevel, type Admin, type Producer } from 'kafkajs';
import { PitchstreamError } from '../errors';

export type Compression = 'none' | 'gzip';

export interface OutgoingMessage {
  key: string | null;
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

export interface EventProducer {
  /** Sends a batch with acks=all; resolves when the broker has accepted every message. */
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface KafkaClient {
  readonly bootstrap: string;
  createTopic(topic: string, options?: TopicOptions): Promise<boolean>;
  deleteTopic(topic: string): Promise<void>;
  listTopics(): Promise<string[]>;
  createProducer(options?: { compression?: Compression }): Promise<EventProducer>;
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

export function createKafkaClient(bootstrap: string, options: KafkaClientOptions = {}): KafkaClient {
  const kafka = new Kafka({
    clientId: options.clientId ?? 'pitchstream',
    brokers: bootstrap.split(','),
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: 30_000,
    retry: { retries: options.retries ?? 5, initialRetryTime: 200, maxRetryTime: 5_000 },
    logLevel: logLevel.NOTHING,
  });
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

  return {
    bootstrap,

    createTopic: (topic, topicOptions = {}) =>
      guarded(`create topic ${topic}`, bootstrap, async () => {
        const configEntries =
          topicOptions.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(topicOptions.retentionMs) }];
        return (await getAdmin()).createTopics({
          topics: [{ topic, numPartitions: topicOptions.partitions ?? 4, replicationFactor: 1, configEntries }],
          waitForLeaders: true,
        });
      }),

    deleteTopic: (topic) =>
      guarded(`delete topic ${topic}`, bootstrap, async () => {
        await (await getAdmin()).deleteTopics({ topics: [topic], timeout: 10_000 });
      }),

    listTopics: () => guarded('list topics', bootstrap, async () => (await getAdmin()).listTopics()),

    createProducer: (producerOptions = {}) =>
      guarded('connect producer', bootstrap, async () => {
        // Idempotent + one request in flight: no duplicates, per-partition order kept on retries.
        const producer = kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          createPartitioner: Partitioners.DefaultPartitioner,
        });
        await producer.connect();
        producers.add(producer);
        const compression = producerOptions.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
        return {
          send: (topic, messages) =>
            guarded(`produce to ${topic}`, bootstrap, async () => {
              await producer.send({
                topic,
                acks: -1,
                compression,
                messages: messages.map((m) => ({
                  key: m.key,
                  value: m.value,
                  timestamp: m.timestampMs === undefined ? undefined : String(m.timestampMs),
                })),
              });
            }),
          close: async () => {
            producers.delete(producer);
            await producer.disconnect();
          },
        };
      }),

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
      await Promise.all([...producers].map((p) => p.disconnect().catch(() => undefined)));
      producers.clear();
      await admin?.disconnect().catch(() => undefined);
      admin = undefined;
    },
  };
}
