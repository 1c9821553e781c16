// A secured Kafka cluster as analysts meet one: a real broker with a TLS listener and a SASL/SCRAM-SHA-512 over
// TLS listener (a CA and certificates made here with openssl, a user created with Kafka's storage tool). The
// producer, the admin and consumer client and the streaming stats job all go through the secured listeners with
// one configuration; a wrong password and an untrusted certificate each get a clear error naming the listener.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../lib/config';
import { diagnose } from '../../lib/doctor';
import { normalizeEvents, toMatchInfo, type MatchEvent } from '../../lib/data';
import { isPitchstreamError } from '../../lib/errors';
import { createKafkaClient, kafkaSecurity, type KafkaSecurity } from '../../lib/kafka';
import { produceEvents } from '../../lib/producer';
import { generateSyntheticDataset } from '../../lib/synthetic';
import { startKafkaBroker, stopKafkaBroker } from '../../lib/stack/kafka-broker';
import { makeLoopbackCertificates } from '../../lib/stack/loopback-certificates';
import { intakeTotals, readIntake, readMatchStats, startMatchStats } from '../../lib/streaming';
import { anyFreePorts } from '../../lib/stack/ports';
import { isolatedHome } from './streaming-home';

const EVENTS = 20_000;
const USER = { name: 'analyst', password: 'pitch-side-secret-42' };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-kafka-security-'));
const home = isolatedHome();
let plainConfig: Config;
let ssl: string;
let saslSsl: string;
let caFile: string;
let otherCaFile: string;

/** The configuration an analyst would set for the SASL_SSL listener. */
function saslConfig(password = USER.password): Config {
  return loadConfig({
    home: home.home,
    sparkMaster: 'local[2]',
    kafkaBootstrap: saslSsl,
    kafkaSecurityProtocol: 'SASL_SSL',
    kafkaSaslMechanism: 'SCRAM-SHA-512',
    kafkaSaslUsername: USER.name,
    kafkaSaslPassword: password,
    kafkaSslCaFile: caFile,
  });
}

/** The first `count` events of synthetic matches (SYNTHETIC data, the contract's fields), match after match. */
function syntheticEvents(count: number): MatchEvent[] {
  const events = generateSyntheticDataset({ matches: 8, seed: 11 }).matches.flatMap(({ match, events: raw, frames }) =>
    normalizeEvents(toMatchInfo(match, true), raw, frames),
  );
  expect(events.length).toBeGreaterThanOrEqual(count);
  return events.slice(0, count);
}

/** Produce options for a few synthetic matches (bootstrap and outputDir set by the caller). */
function syntheticMessages(topic: string): Parameters<typeof produceEvents>[0] {
  return { bootstrap: '', topic, outputDir: '', source: { kind: 'synthetic', matches: 6, seed: 11 }, rate: { kind: 'max' }, rounds: 1 };
}

beforeAll(async () => {
  const { caFile: ca, keystorePem: keystore } = makeLoopbackCertificates(path.join(work, 'broker'));
  caFile = ca;
  // A CA that signed nothing this broker holds: its clients must refuse the broker's certificate.
  otherCaFile = makeLoopbackCertificates(path.join(work, 'other')).caFile;
  const [kafkaPort, kafkaControllerPort, sslPort, saslSslPort] = await anyFreePorts(4);
  plainConfig = loadConfig({ home: home.home, sparkMaster: 'local[2]', kafkaPort, kafkaControllerPort });
  const broker = await startKafkaBroker(plainConfig, { secured: { keystorePem: keystore, sslPort: sslPort!, saslSslPort: saslSslPort!, scramUsers: [USER] } });
  ssl = broker.secured!.ssl;
  saslSsl = broker.secured!.saslSsl;
});

afterAll(async () => {
  await stopKafkaBroker(plainConfig);
  home.remove();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('a Kafka cluster behind TLS and SASL', () => {
  it('produces and consumes through the TLS listener with the configured CA', async () => {
    const security: KafkaSecurity = { protocol: 'SSL', tls: { caFile } };
    const topic = `secured-ssl-${Date.now()}`;
    const options = syntheticMessages(topic);
    const summary = await produceEvents({ ...options, bootstrap: ssl, outputDir: path.join(work, 'ssl-producer'), partitions: 2, kafka: { security } }).done;
    expect(summary.events).toBeGreaterThan(0);
    const client = createKafkaClient(ssl, { security });
    try {
      const { messages, timedOut } = await client.consumeAll(topic, { expected: summary.events, timeoutMs: 60_000 });
      expect(timedOut).toBe(false);
      expect(messages).toHaveLength(summary.events);
    } finally {
      await client.close();
    }
  });

  it(`streams ${EVENTS.toLocaleString('en')} events through SASL/SCRAM over TLS: producer, client and the stats job, one configuration`, async () => {
    const config = saslConfig();
    const security = kafkaSecurity(config);
    expect(security).toMatchObject({ protocol: 'SASL_SSL', sasl: { mechanism: 'SCRAM-SHA-512', username: USER.name } });
    // The doctor checks the settings before a submit, and never prints the password.
    const doctor = await diagnose({ config, network: 'local', probeStack: false });
    const check = doctor.results.find((result) => result.id === 'kafka.security')!;
    expect(check.status).toBe('ok');
    expect(JSON.stringify(doctor)).not.toContain(USER.password);

    const topic = `secured-sasl-${Date.now()}`;
    const client = createKafkaClient(saslSsl, { security });
    try {
      await client.createTopic(topic, { partitions: 2 });
      const producer = await client.createProducer({ lanes: 2 });
      const events = syntheticEvents(EVENTS);
      for (let i = 0; i < events.length; i += 2_000)
        await producer.send(topic, events.slice(i, i + 2_000).map((event) => ({ key: String(event.match_id), value: JSON.stringify(event) })));
      await producer.close();
      const { messages } = await client.consumeAll(topic, { expected: EVENTS, timeoutMs: 60_000 });
      expect(messages).toHaveLength(EVENTS);
    } finally {
      await client.close();
    }

    const outputDir = path.join(work, 'sasl-stats');
    const run = await startMatchStats({ bootstrap: saslSsl, topic, outputDir, config, availableNow: true, maxOffsetsPerTrigger: 10_000, timeoutMs: 240_000 });
    expect((await run.wait()).outcome).toBe('succeeded');
    expect(intakeTotals(readIntake(outputDir))).toEqual({ records: EVENTS, good: EVENTS, malformed: 0 });
    expect(readMatchStats(outputDir).length).toBeGreaterThan(0);
    // The password went to the job in its environment, not on its command line or into its log.
    expect(fs.readFileSync(run.job.logPath, 'utf8')).not.toContain(USER.password);
  }, 300_000);

  it('names the listener and the credentials when the password is wrong (KAFKA_AUTH_FAILED)', async () => {
    const client = createKafkaClient(saslSsl, { security: kafkaSecurity(saslConfig('not-the-password')), retries: 0 });
    const error = await client.listTopics().catch((caught: unknown) => caught);
    await client.close();
    expect(isPitchstreamError(error, 'KAFKA_AUTH_FAILED')).toBe(true);
    expect((error as Error).message).toContain(saslSsl);
    expect((error as Error).message).toContain(`SCRAM-SHA-512 as ${USER.name}`);
    expect((error as Error).message).not.toContain('not-the-password');
  });

  it('names the listener when its certificate is not signed by the configured CA (KAFKA_TLS_FAILED)', async () => {
    const client = createKafkaClient(ssl, { security: { protocol: 'SSL', tls: { caFile: otherCaFile } }, retries: 0 });
    const error = await client.listTopics().catch((caught: unknown) => caught);
    await client.close();
    expect(isPitchstreamError(error, 'KAFKA_TLS_FAILED')).toBe(true);
    expect((error as Error).message).toContain(ssl);
    expect((error as Error).message).toContain(`CA ${otherCaFile}`);
  });
});
