export { brokerProperties, prepareDataDir, resetKafkaData, startKafkaBroker, stopKafkaBroker, type KafkaBrokerInfo } from './kafka-broker';
export { canConnect, isPortFree, requireFreePort, waitUntil } from './ports';
export { isAlive, isOurs, listServices, readService, serviceMarker, startService, stopService, type ServiceRecord } from './processes';
export { runningServices, stackDown, stackStatus, stackUp, type ServiceStatus, type StackDownOptions, type StackEndpoints, type StackUpOptions } from './stack';
export { readMasterState, sparkStandaloneStatus, startSparkStandalone, stopSparkStandalone, type SparkStandaloneInfo } from './spark-standalone';
