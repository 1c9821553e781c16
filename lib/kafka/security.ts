// How pitchstream reaches a secured Kafka cluster (TLS, SASL): one description, read from the configuration, turned
// into the options of our client (producer, admin, consumers) and of Spark's Kafka source. Secrets are never part
// of what describeKafkaSecurity prints.
import fs from 'node:fs';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { SASLOptions } from '@platformatic/kafka';
import { SASL_MECHANISMS, type Config, type SaslMechanism, type SecurityProtocol } from '../config';

export interface KafkaSecurity {
  protocol: SecurityProtocol;
  /** With SASL_PLAINTEXT and SASL_SSL. */
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  /** With SSL and SASL_SSL: the CA that signed the brokers' certificates (else the system's), and a client certificate for mutual TLS. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

export const PLAINTEXT: KafkaSecurity = { protocol: 'PLAINTEXT' };

export const usesTls = (protocol: SecurityProtocol): boolean => protocol === 'SSL' || protocol === 'SASL_SSL';
export const usesSasl = (protocol: SecurityProtocol): boolean => protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';

/**
 * The security the configuration describes (KAFKA_SECURITY_PROTOCOL and the KAFKA_SASL_* / KAFKA_SSL_* variables)
 * for the cluster named by KAFKA_BOOTSTRAP. The embedded broker has a plaintext listener only: without
 * KAFKA_BOOTSTRAP this is PLAINTEXT (the doctor says so when security variables are set).
 */
export function kafkaSecurity(settings: Config): KafkaSecurity {
  if (!settings.kafkaBootstrap) return PLAINTEXT;
  const protocol = settings.kafkaSecurityProtocol;
  const security: KafkaSecurity = { protocol };
  if (usesSasl(protocol))
    security.sasl = { mechanism: settings.kafkaSaslMechanism, username: settings.kafkaSaslUsername ?? '', password: settings.kafkaSaslPassword ?? '' };
  if (usesTls(protocol)) security.tls = { caFile: settings.kafkaSslCaFile, certFile: settings.kafkaSslCertFile, keyFile: settings.kafkaSslKeyFile };
  return security;
}

/** What is wrong with a security description before anything connects: each entry names the variable and the fix. */
export function kafkaSecurityProblems(security: KafkaSecurity): string[] {
  const problems: string[] = [];
  if (security.sasl) {
    if (!SASL_MECHANISMS.includes(security.sasl.mechanism))
      problems.push(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}, got "${security.sasl.mechanism}"`);
    if (!security.sasl.username) problems.push(`KAFKA_SASL_USERNAME is empty, and ${security.protocol} needs a user name`);
    if (!security.sasl.password) problems.push(`KAFKA_SASL_PASSWORD is empty, and ${security.protocol} needs a password`);
  }
  const files: [string, string | undefined][] = [
    ['KAFKA_SSL_CA_FILE', security.tls?.caFile],
    ['KAFKA_SSL_CERT_FILE', security.tls?.certFile],
    ['KAFKA_SSL_KEY_FILE', security.tls?.keyFile],
  ];
  for (const [variable, file] of files) {
    if (file === undefined) continue;
    try {
      fs.accessSync(file, fs.constants.R_OK);
      if (!/-----BEGIN [A-Z ]+-----/.test(fs.readFileSync(file, 'utf8'))) problems.push(`${variable}=${file} is not a PEM file (no -----BEGIN … ----- line)`);
    } catch {
      problems.push(`${variable}=${file} does not exist or cannot be read by this user`);
    }
  }
  if ((security.tls?.certFile === undefined) !== (security.tls?.keyFile === undefined))
    problems.push('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together (a client certificate and its key), but only one is set');
  return problems;
}

/** The security as one line for logs and reports: protocol, mechanism, user and file names, never the password. */
export function describeKafkaSecurity(security: KafkaSecurity): string {
  const parts: string[] = [security.protocol];
  if (security.sasl) parts.push(`${security.sasl.mechanism} as ${security.sasl.username || '(no user)'}`);
  if (security.tls?.caFile) parts.push(`CA ${security.tls.caFile}`);
  if (security.tls?.certFile) parts.push(`client certificate ${security.tls.certFile}`);
  return parts.join(', ');
}

/** Options of our client (@platformatic/kafka): tls and sasl, with the files read now. */
export function clientSecurityOptions(security: KafkaSecurity): { tls?: TlsOptions; sasl?: SASLOptions } {
  const options: { tls?: TlsOptions; sasl?: SASLOptions } = {};
  if (usesTls(security.protocol)) {
    const tls: TlsOptions = {};
    if (security.tls?.caFile) tls.ca = fs.readFileSync(security.tls.caFile);
    if (security.tls?.certFile) tls.cert = fs.readFileSync(security.tls.certFile);
    if (security.tls?.keyFile) tls.key = fs.readFileSync(security.tls.keyFile);
    options.tls = tls;
  }
  if (security.sasl) options.sasl = { mechanism: security.sasl.mechanism, username: security.sasl.username, password: security.sasl.password };
  return options;
}

const LOGIN_MODULES: Record<SaslMechanism, string> = {
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
};

/** A JAAS option value in double quotes (backslash and quote escaped). */
const jaasQuoted = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Options of Spark's Kafka source (kafka.* consumer settings) for the same security. Secrets: pass them in the environment (submitJob does), never on a command line. */
export function sparkKafkaOptions(security: KafkaSecurity): Record<string, string> {
  if (security.protocol === 'PLAINTEXT') return {};
  const options: Record<string, string> = { 'kafka.security.protocol': security.protocol };
  if (security.sasl) {
    options['kafka.sasl.mechanism'] = security.sasl.mechanism;
    options['kafka.sasl.jaas.config'] =
      `${LOGIN_MODULES[security.sasl.mechanism]} required username=${jaasQuoted(security.sasl.username)} password=${jaasQuoted(security.sasl.password)};`;
  }
  // PEM text rather than file paths: the executors that read Kafka may run on other machines.
  if (security.tls?.caFile) {
    options['kafka.ssl.truststore.type'] = 'PEM';
    options['kafka.ssl.truststore.certificates'] = fs.readFileSync(security.tls.caFile, 'utf8');
  }
  if (security.tls?.certFile && security.tls.keyFile) {
    options['kafka.ssl.keystore.type'] = 'PEM';
    options['kafka.ssl.keystore.certificate.chain'] = fs.readFileSync(security.tls.certFile, 'utf8');
    options['kafka.ssl.keystore.key'] = fs.readFileSync(security.tls.keyFile, 'utf8');
  }
  return options;
}
