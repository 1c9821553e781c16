// One TCP connection to a Kafka broker: size-prefixed requests (header v1), responses matched by correlation id.
// Only what the wire producer needs (InitProducerId v1, Produce v7: both non-flexible versions that Kafka 4 still serves).
import net from 'node:net';

export class WireConnectionError extends Error {
  override name = 'KafkaConnectionError';
}

export interface WireConnection {
  readonly address: string;
  /** Sends one request; resolves with the response body (after the correlation id). */
  request(apiKey: number, apiVersion: number, body: Buffer[], timeoutMs: number): Promise<Buffer>;
  readonly closed: boolean;
  close(): void;
}

interface Pending {
  resolve(body: Buffer): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** A Kafka string (int16 length, bytes); null as length −1. */
export function kafkaString(value: string | null): Buffer {
  if (value === null) return Buffer.from([0xff, 0xff]);
  const bytes = Buffer.from(value, 'utf8');
  const out = Buffer.allocUnsafe(2 + bytes.length);
  out.writeInt16BE(bytes.length, 0);
  bytes.copy(out, 2);
  return out;
}

/** Opens a connection; rejects with the socket's error (ECONNREFUSED, …) or after connectTimeoutMs. */
export function openWireConnection(host: string, port: number, clientId: string, connectTimeoutMs: number): Promise<WireConnection> {
  const address = `${host}:${port}`;
  const clientIdBytes = kafkaString(clientId);
  return new Promise((resolveOpen, rejectOpen) => {
    const socket = net.connect({ host, port, noDelay: true });
    const pending = new Map<number, Pending>();
    let correlationId = 0;
    let closed = false;
    let chunks: Buffer[] = [];
    let buffered = 0;

    const failAll = (error: Error): void => {
      closed = true;
      for (const entry of pending.values()) {
        clearTimeout(entry.timer);
        entry.reject(error);
      }
      pending.clear();
    };

    const connectTimer = setTimeout(() => {
      socket.destroy(new WireConnectionError(`Connection timeout: ${address} did not answer within ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);

    socket.once('connect', () => {
      clearTimeout(connectTimer);
      resolveOpen(connection);
    });
    socket.on('error', (error) => {
      clearTimeout(connectTimer);
      const wrapped = new WireConnectionError(`connection to ${address} failed: ${error.message}`, { cause: error });
      failAll(wrapped);
      rejectOpen(wrapped);
    });
    socket.on('close', () => failAll(new WireConnectionError(`connection to ${address} closed`)));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      buffered += chunk.length;
      let data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
      let at = 0;
      while (data.length - at >= 4) {
        const size = data.readInt32BE(at);
        if (data.length - at - 4 < size) break;
        const id = data.readInt32BE(at + 4);
        const body = data.subarray(at + 8, at + 4 + size);
        at += 4 + size;
        const entry = pending.get(id);
        if (entry) {
          pending.delete(id);
          clearTimeout(entry.timer);
          entry.resolve(body);
        }
      }
      data = data.subarray(at);
      chunks = data.length > 0 ? [data] : [];
      buffered = data.length;
    });

    const connection: WireConnection = {
      address,
      get closed() {
        return closed;
      },
      request(apiKey, apiVersion, body, timeoutMs) {
        if (closed) return Promise.reject(new WireConnectionError(`connection to ${address} closed`));
        correlationId = (correlationId + 1) & 0x7fffffff;
        const id = correlationId;
        const header = Buffer.allocUnsafe(4 + 8);
        const size = 8 + clientIdBytes.length + body.reduce((sum, part) => sum + part.length, 0);
        header.writeInt32BE(size, 0);
        header.writeInt16BE(apiKey, 4);
        header.writeInt16BE(apiVersion, 6);
        header.writeInt32BE(id, 8);
        return new Promise<Buffer>((resolve, reject) => {
          const timer = setTimeout(() => {
            pending.delete(id);
            reject(new WireConnectionError(`request timed out: ${address} did not answer within ${timeoutMs} ms`));
            socket.destroy();
          }, timeoutMs);
          pending.set(id, { resolve, reject, timer });
          socket.cork();
          socket.write(header);
          socket.write(clientIdBytes);
          for (const part of body) socket.write(part);
          socket.uncork();
        });
      },
      close() {
        closed = true;
        socket.end();
        socket.destroy();
      },
    };
  });
}
