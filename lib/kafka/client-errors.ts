// Client failures in pitchstream's terms: the error codes callers act on, and which failures a send can recover from.
import { PitchstreamError } from '../errors';
import { describeKafkaSecurity, PLAINTEXT, type KafkaSecurity } from './security';

/** What a client failure carries: its code, its cause, and (after retries, or one per broker) the errors it gathers. */
interface ClientFailure {
  code?: unknown;
  cause?: unknown;
  errors?: unknown[];
  canRetry?: boolean;
  hasStaleMetadata?: boolean;
}

/** The failure and every error nested in it (causes and gathered errors), depth first, each once. */
function nestedErrors(error: unknown, seen = new Set<unknown>()): unknown[] {
  if (error === null || error === undefined || seen.has(error)) return [];
  seen.add(error);
  const { cause, errors } = error as ClientFailure;
  return [error, ...[cause, ...(Array.isArray(errors) ? errors : [])].flatMap((inner) => nestedErrors(inner, seen))];
}

/** Every message and code in a client failure, outermost first. */
export function errorTexts(error: unknown): string[] {
  return nestedErrors(error).map((inner) => {
    if (!(inner instanceof Error)) return String(inner);
    const { code } = inner as ClientFailure;
    return `${inner.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${inner.message}`;
  });
}

/**
 * True when every innermost error of a failed send may pass later on fresh metadata: the broker is gone, the
 * leader moved, a request timed out (errors that gather others are judged by those).
 */
export function recoverableOnFreshMetadata(error: unknown): boolean {
  const leaves = nestedErrors(error).filter((inner) => !((inner as ClientFailure).errors?.length ?? 0));
  return (
    leaves.length > 0 &&
    leaves.every((leaf) => {
      const failure = leaf as ClientFailure;
      return failure.code === 'PLT_KFK_NETWORK' || failure.code === 'PLT_KFK_TIMEOUT' || failure.hasStaleMetadata === true || failure.canRetry === true;
    })
  );
}

/** Where a client connects: the bootstrap list and the security of its listener. */
export interface KafkaTarget {
  bootstrap: string;
  security: KafkaSecurity;
}

const TLS_FAILURE = /certificate|self[- ]signed|unable to verify|UNABLE_TO_|CERT_|ERR_SSL|ERR_TLS|wrong version number|packet length too long|EPROTO|Client network socket disconnected before secure TLS/i;
const AUTH_FAILURE = /SASL|authentication|AUTHENTICATION_FAILED|ILLEGAL_SASL_STATE|UNSUPPORTED_SASL_MECHANISM/i;
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|Connection (to .* )?timed out|Cannot connect|PLT_KFK_NETWORK/i;

/** Maps a client failure to our errors: refused credentials, a failed TLS handshake, no broker, or a failed request. */
export function kafkaError(action: string, target: KafkaTarget | string, error: unknown): PitchstreamError {
  const { bootstrap, security } = typeof target === 'string' ? { bootstrap: target, security: PLAINTEXT } : target;
  const listener = security.protocol === 'PLAINTEXT' ? bootstrap : `${bootstrap} (${describeKafkaSecurity(security)})`;
  const texts = errorTexts(error);
  const text = texts[0] ?? 'unknown error';
  const all = texts.join(' | ');
  const details = { bootstrap, securityProtocol: security.protocol };
  if (security.sasl && AUTH_FAILURE.test(all))
    return new PitchstreamError('KAFKA_AUTH_FAILED', `${action}: the Kafka listener at ${listener} refused the credentials (${all})`, { cause: error, details });
  if (TLS_FAILURE.test(all))
    return new PitchstreamError(
      'KAFKA_TLS_FAILED',
      security.tls
        ? `${action}: the TLS handshake with the Kafka listener at ${listener} failed (${all})`
        : `${action}: the Kafka listener at ${listener} answered with TLS, or broke the connection, and ${security.protocol} speaks none (${all})`,
      { cause: error, details },
    );
  if (UNREACHABLE.test(all))
    return new PitchstreamError('KAFKA_UNREACHABLE', `${action}: no Kafka broker answers at ${listener} (${text})`, { cause: error, details });
  return new PitchstreamError('KAFKA_REQUEST_FAILED', `${action} failed at ${listener}: ${all}`, { cause: error, details });
}
