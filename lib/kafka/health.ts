// Is a broker there? A metadata round-trip, bounded in time, that never throws.
import { Kafka, logLevel } from 'kafkajs';

export async function brokerAnswersMetadata(bootstrap: string, timeoutMs: number): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'pitchstream-health',
    brokers: bootstrap.split(','),
    connectionTimeout: Math.min(timeoutMs, 3_000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const timer = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  const probe = (async () => {
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  })();
  return Promise.race([probe, timer]);
}
