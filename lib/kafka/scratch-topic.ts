import { createKafkaClient } from './client';

/**
 * Deletes a topic that a run created for itself (a benchmark step, a latency run), so that repeated
 * runs do not fill the broker's disk. A failure is a warning, not an error: the run's figures stand.
 */
export async function deleteScratchTopic(bootstrap: string, topic: string): Promise<void> {
  const client = createKafkaClient(bootstrap);
  try {
    await client.deleteTopic(topic);
  } catch (error) {
    console.warn(`could not delete topic ${topic} (delete it with Kafka's kafka-topics.sh, or npm run stack -- reset-kafka): ${String(error)}`);
  } finally {
    await client.close();
  }
}
