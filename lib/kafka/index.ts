export {
  createKafkaClient,
  kafkaError,
  PRODUCER_ENGINES,
  type Compression,
  type ConsumeOptions,
  type ConsumeResult,
  type ConsumedMessage,
  type EventProducer,
  type KafkaClient,
  type KafkaClientOptions,
  type MessageBatch,
  type OutgoingMessage,
  type ProducerEngine,
  type ProducerOptions,
  type TopicOptions,
} from './client';
export { brokerAnswersMetadata } from './health';
export { partitionForKey } from './partitions';
export { deleteScratchTopic } from './scratch-topic';
