export { brokerProperties, prepareDataDir, resetKafkaData, startKafkaBroker, stopKafkaBroker, type KafkaBrokerInfo, type SecuredListeners } from './kafka-broker';
export { makeLoopbackCertificates, type LoopbackCertificates } from './loopback-certificates';
export { startKafkaCluster, type KafkaCluster, type KafkaClusterNode, type KafkaClusterOptions } from './kafka-cluster';
export { canConnect, isPortFree, requireFreePort, waitUntil } from './ports';
export { isAlive, isOurs, listServices, readService, serviceMarker, startService, stopService, type ServiceRecord } from './processes';
export { runningServices, stackDown, stackStatus, stackUp, type ServiceStatus, type StackDownOptions, type StackEndpoints, type StackUpOptions } from './stack';
export { readMasterState, sparkStandaloneStatus, startSparkStandalone, stopSparkStandalone, type SparkStandaloneInfo } from './spark-standalone';
