// The smoke pipeline: Kafka → Spark (through the Kafka connector) → Arrow → TypeScript, checked
// end to end. It proves the stack works and is the main job until the notebooks take over.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { columnValues, readArrowFile } from '../arrow';
import { PitchstreamError } from '../errors';
import { createKafkaClient } from '../kafka';
import { submitJob } from '../spark';

export interface SmokeOptions {
  bootstrap: string;
  /** Spark master for the job; config.sparkMaster when absent. */
  master?: string;
  messages?: number;
  /** Keep the topic afterwards (for exploring); tests delete it. */
  keepTopic?: boolean;
  onProgress?: (line: string) => void;
  onJobLog?: (line: string) => void;
  timeoutMs?: number;
}

export interface SmokeResult {
  runDir: string;
  topic: string;
  produced: number;
  rows: number;
  /** Sum of the values read back, and the sum of what was produced. */
  checksum: bigint;
  expectedChecksum: bigint;
  arrowFile: string;
  driverLog: string;
  appId: string | undefined;
  master: string;
  durationMs: { produce: number; job: number; total: number };
}

const BATCH = 2_000;

function runId(): string {
  return `smoke-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${crypto.randomBytes(2).toString('hex')}`;
}

export async function runSmokePipeline(config: Config, options: SmokeOptions): Promise<SmokeResult> {
  const say = options.onProgress ?? (() => undefined);
  const count = options.messages ?? 10_000;
  const started = Date.now();
  const id = runId();
  const runDir = path.join(config.outputs, id);
  fs.mkdirSync(runDir, { recursive: true });
  const topic = `pitchstream-${id}`;
  const arrowFile = path.join(runDir, 'messages.arrow');

  const kafka = createKafkaClient(options.bootstrap);
  let produceMs = 0;
  try {
    say(`creating topic ${topic} and producing ${count.toLocaleString('en')} messages …`);
    await kafka.createTopic(topic, { partitions: 4 });
    const producer = await kafka.createProducer();
    for (let first = 0; first < count; first += BATCH) {
      const batch = [];
      for (let i = first; i < Math.min(first + BATCH, count); i += 1) batch.push({ key: `k${i % 16}`, value: String(i) });
      await producer.send(topic, batch);
    }
    await producer.close();
    produceMs = Date.now() - started;

    const master = options.master ?? config.sparkMaster;
    say(`submitting smoke_kafka_to_arrow to ${master} …`);
    const jobStarted = Date.now();
    const job = await submitJob('smoke_kafka_to_arrow', ['--bootstrap', options.bootstrap, '--topic', topic, '--output', arrowFile], {
      config,
      master,
      timeoutMs: options.timeoutMs ?? 300_000,
      onLog: options.onJobLog,
    });
    job.uiUrl.then((url) => url && say(`Spark UI of the job: ${url}`)).catch(() => undefined);
    const result = await job.wait();
    const jobMs = Date.now() - jobStarted;

    const table = readArrowFile(arrowFile);
    const values = columnValues<bigint>(table, 'value');
    const checksum = values.reduce((sum, v) => sum + BigInt(v), 0n);
    const expectedChecksum = (BigInt(count) * BigInt(count - 1)) / 2n;
    if (table.numRows !== count || checksum !== expectedChecksum)
      throw new PitchstreamError(
        'OUTPUT_INVALID',
        `the smoke job read ${table.numRows} messages with checksum ${checksum}; ${count} with checksum ${expectedChecksum} were produced`,
        { details: { arrowFile, driverLog: result.logPath } },
      );
    say(`read back ${table.numRows.toLocaleString('en')} rows, checksum ${checksum} — matches what was produced`);
    return {
      runDir,
      topic,
      produced: count,
      rows: table.numRows,
      checksum,
      expectedChecksum,
      arrowFile,
      driverLog: result.logPath,
      appId: result.appId,
      master,
      durationMs: { produce: produceMs, job: jobMs, total: Date.now() - started },
    };
  } finally {
    if (!options.keepTopic) await kafka.deleteTopic(topic).catch(() => undefined);
    await kafka.close();
  }
}
