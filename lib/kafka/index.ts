export {
  createKafkaClient,
  kafkaError,
  type Compression,
  type ConsumeOptions,
  type ConsumeResult,
  type ConsumedMessage,
  type EventProducer,
  type KafkaClient,
  type KafkaClientOptions,
  type KafkaTarget,
  type MessageBatch,
  type OutgoingMessage,
  type ProducerOptions,
  type TopicOptions,
} from './client';
export { brokerAnswersMetadata } from './health';
export { partitionForKey } from './partitions';
export { deleteScratchTopic } from './scratch-topic';
export {
  clientSecurityOptions,
  describeKafkaSecurity,
  kafkaSecurity,
  kafkaSecurityProblems,
  PLAINTEXT,
  sparkKafkaOptions,
  type KafkaSecurity,
} from './security';
