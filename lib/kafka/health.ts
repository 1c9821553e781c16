// Is a broker there? A metadata round-trip, bounded in time, that never throws.
import { Admin } from '@platformatic/kafka';
import { clientSecurityOptions, PLAINTEXT, type KafkaSecurity } from './security';

export async function brokerAnswersMetadata(bootstrap: string, timeoutMs: number, security: KafkaSecurity = PLAINTEXT): Promise<boolean> {
  const admin = new Admin({
    ...clientSecurityOptions(security),
    clientId: 'pitchstream-health',
    bootstrapBrokers: bootstrap.split(','),
    connectTimeout: Math.min(timeoutMs, 3_000),
    requestTimeout: timeoutMs,
    retries: 0,
  });
  const timer = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  const probe = (async () => {
    try {
      const metadata = await admin.metadata({ topics: [] });
      return metadata.brokers.size > 0;
    } catch {
      return false;
    }
  })();
  try {
    return await Promise.race([probe, timer]);
  } finally {
    await admin.close().catch(() => undefined);
  }
}
