// One description of Kafka security, read from the configuration and turned into our client's options, Spark's
// Kafka source options and the doctor's findings; the password never appears in what is printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config';
import { CHECKS } from '../../../lib/doctor';
import { isPitchstreamError } from '../../../lib/errors';
import { clientSecurityOptions, describeKafkaSecurity, kafkaError, kafkaSecurity, kafkaSecurityProblems, sparkKafkaOptions } from '../../../lib/kafka';
import { healthyFacts } from '../doctor/fixture-facts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-security-'));
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const caFile = path.join(dir, 'ca.pem');
fs.writeFileSync(caFile, PEM);
const notPem = path.join(dir, 'ca.txt');
fs.writeFileSync(notPem, 'hello\n');

const env = (extra: Record<string, string>) => loadConfig({}, { KAFKA_BOOTSTRAP: 'kafka.example.org:9093', ...extra });

describe('Kafka security from the configuration', () => {
  it('is PLAINTEXT by default, and for the embedded broker whatever the variables say', () => {
    expect(kafkaSecurity(loadConfig({}, {}))).toEqual({ protocol: 'PLAINTEXT' });
    expect(kafkaSecurity(loadConfig({}, { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'u' }))).toEqual({ protocol: 'PLAINTEXT' });
  });

  it('reads SASL_SSL with its mechanism, credentials and CA', () => {
    const config = env({ KAFKA_SECURITY_PROTOCOL: 'sasl_ssl', KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'ana', KAFKA_SASL_PASSWORD: 's3cret', KAFKA_SSL_CA_FILE: caFile });
    const security = kafkaSecurity(config);
    expect(security).toEqual({ protocol: 'SASL_SSL', sasl: { mechanism: 'SCRAM-SHA-256', username: 'ana', password: 's3cret' }, tls: { caFile, certFile: undefined, keyFile: undefined } });
    expect(kafkaSecurityProblems(security)).toEqual([]);
    expect(describeKafkaSecurity(security)).toBe(`SASL_SSL, SCRAM-SHA-256 as ana, CA ${caFile}`);
    expect(clientSecurityOptions(security)).toEqual({ tls: { ca: Buffer.from(PEM) }, sasl: { mechanism: 'SCRAM-SHA-256', username: 'ana', password: 's3cret' } });
  });

  it.each([
    [{ KAFKA_SECURITY_PROTOCOL: 'TLS' }, 'KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, got "TLS"'],
    [{ KAFKA_SASL_MECHANISM: 'GSSAPI' }, 'KAFKA_SASL_MECHANISM must be PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, got "GSSAPI"'],
  ])('refuses %j, naming the variable and the values it takes', (variables, message) => {
    let caught: unknown;
    try {
      env(variables);
    } catch (error) {
      caught = error;
    }
    expect(isPitchstreamError(caught, 'CONFIG_INVALID')).toBe(true);
    expect((caught as Error).message).toBe(message);
  });

  it('lists every problem before anything connects: missing credentials, unreadable or non-PEM files, a certificate without its key', () => {
    const security = kafkaSecurity(
      env({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SSL_CA_FILE: path.join(dir, 'missing.pem'), KAFKA_SSL_CERT_FILE: notPem }),
    );
    expect(kafkaSecurityProblems(security)).toEqual([
      'KAFKA_SASL_USERNAME is empty, and SASL_SSL needs a user name',
      'KAFKA_SASL_PASSWORD is empty, and SASL_SSL needs a password',
      `KAFKA_SSL_CA_FILE=${path.join(dir, 'missing.pem')} does not exist or cannot be read by this user`,
      `KAFKA_SSL_CERT_FILE=${notPem} is not a PEM file (no -----BEGIN … ----- line)`,
      'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together (a client certificate and its key), but only one is set',
    ]);
  });

  it("gives Spark's Kafka source the same security, certificates as PEM text (executors need no file)", () => {
    const security = kafkaSecurity(env({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_USERNAME: 'a"b', KAFKA_SASL_PASSWORD: 'p\\w', KAFKA_SSL_CA_FILE: caFile }));
    expect(sparkKafkaOptions(security)).toEqual({
      'kafka.security.protocol': 'SASL_SSL',
      'kafka.sasl.mechanism': 'PLAIN',
      'kafka.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="a\\"b" password="p\\\\w";',
      'kafka.ssl.truststore.type': 'PEM',
      'kafka.ssl.truststore.certificates': PEM,
    });
    expect(sparkKafkaOptions({ protocol: 'PLAINTEXT' })).toEqual({});
    expect(sparkKafkaOptions({ protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' } })['kafka.sasl.jaas.config']).toBe(
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";',
    );
  });

  it('maps client failures to errors that name the listener and never the password', () => {
    const security = kafkaSecurity(env({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'ana', KAFKA_SASL_PASSWORD: 's3cret', KAFKA_SSL_CA_FILE: caFile }));
    const target = { bootstrap: 'kafka.example.org:9093', security };
    const auth = kafkaError('list topics', target, new Error('SASL authentication failed: Authentication failed during authentication due to invalid credentials'));
    expect(auth.code).toBe('KAFKA_AUTH_FAILED');
    expect(auth.message).toContain('kafka.example.org:9093 (SASL_SSL, SCRAM-SHA-512 as ana');
    const tls = kafkaError('list topics', target, Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }));
    expect(tls.code).toBe('KAFKA_TLS_FAILED');
    const down = kafkaError('list topics', target, Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:9093'), { code: 'ECONNREFUSED' }));
    expect(down.code).toBe('KAFKA_UNREACHABLE');
    for (const error of [auth, tls, down]) expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain('s3cret');
  });
});

describe('the doctor check kafka.security', () => {
  const check = CHECKS.find((candidate) => candidate.id === 'kafka.security')!;
  const withKafka = (kafka: Partial<ReturnType<typeof healthyFacts>['kafka']>) => {
    const facts = healthyFacts({}, 'cpu');
    return { ...facts, kafka: { ...facts.kafka, ...kafka } };
  };

  it('passes a complete configuration, fails on problems, and warns on variables the embedded broker ignores', () => {
    expect(check.run(withKafka({})).status).toBe('ok');
    const failed = check.run(withKafka({ security: 'SASL_SSL, SCRAM-SHA-512 as (no user)', securityProblems: ['KAFKA_SASL_USERNAME is empty, and SASL_SSL needs a user name'] }));
    expect(failed.status).toBe('fail');
    expect(failed.message).toContain('KAFKA_SASL_USERNAME is empty');
    const ignored = check.run(withKafka({ securityIgnored: ['KAFKA_SECURITY_PROTOCOL'] }));
    expect(ignored.status).toBe('warn');
    expect(ignored.fix).toContain('KAFKA_BOOTSTRAP');
  });
});
