// The panels of pitchstream's Grafana dashboard: those of the seeds (files 003 and 004, Spark on
// Kubernetes watched with Prometheus) and the streaming panels they lacked. Each panel is one PromQL
// query over the series of prometheus-config.ts; the real-Prometheus test runs every one of them.
//
// Metric names: Spark prefixes the driver's metrics with spark.metrics.namespace, which
// spark-defaults.conf sets to the application's name (`metrics_stream_match_stats_driver_…`), and
// each streaming query's with its name (`…_spark_streaming_match_stats_inputRate_total_Value`,
// spark.sql.streaming.metricsEnabled). label_replace turns both into labels (app, query).

export type PanelGroup = 'Streaming' | 'Executors' | 'Driver' | 'Cluster' | 'Containers';

export interface DashboardPanel {
  title: string;
  group: PanelGroup;
  expr: string;
  /** Grafana unit id (short, bytes, s, ms, percent, percentunit, reqps…). */
  unit: string;
  /** Series label(s) in the legend. */
  legend: string;
  description: string;
  /** Needs cAdvisor (container metrics: Kubernetes' kubelet, or a cAdvisor next to the compose stack). */
  needs?: 'cadvisor';
}

/** A driver metric of every application, with its app name as a label. */
function driverMetric(suffix: string): string {
  return `label_replace({__name__=~"metrics_.+_driver_${suffix}"}, "app", "$1", "__name__", "metrics_(.+)_driver_${suffix}")`;
}

/** A streaming-query gauge of every application, with app and query names as labels. */
function streamingMetric(metric: string): string {
  const name = `metrics_(.+)_driver_spark_streaming_(.+)_${metric}_Value`;
  return `label_replace(label_replace({__name__=~"metrics_.+_driver_spark_streaming_.+_${metric}_Value"}, "app", "$1", "__name__", "${name}"), "query", "$2", "__name__", "${name}")`;
}

const EXECUTORS = 'executor_id!="driver"';

export const DASHBOARD_PANELS: readonly DashboardPanel[] = [
  // Streaming: what the seeds lacked.
  { title: 'Input rate', group: 'Streaming', expr: streamingMetric('inputRate_total'), unit: 'short', legend: '{{app}} {{query}}', description: 'Events per second arriving at each streaming query (Spark: inputRate-total).' },
  { title: 'Process rate', group: 'Streaming', expr: streamingMetric('processingRate_total'), unit: 'short', legend: '{{app}} {{query}}', description: 'Events per second each query processes (processingRate-total); below the input rate, a backlog grows.' },
  { title: 'Batch duration', group: 'Streaming', expr: streamingMetric('latency'), unit: 'ms', legend: '{{app}} {{query}}', description: 'Duration of the last micro-batch (Spark: latency).' },
  { title: 'State rows', group: 'Streaming', expr: streamingMetric('states_rowsTotal'), unit: 'short', legend: '{{app}} {{query}}', description: 'Rows in the state store (open windows per match and team).' },
  { title: 'State memory', group: 'Streaming', expr: streamingMetric('states_usedBytes'), unit: 'bytes', legend: '{{app}} {{query}}', description: 'Memory the state store uses.' },
  { title: 'Watermark lag', group: 'Streaming', expr: `time() - ${streamingMetric('eventTime_watermark')} / 1000`, unit: 's', legend: '{{app}} {{query}}', description: 'How far event time trails the clock: replays of old matches lag by their age; a live feed by the watermark delay.' },
  // Executors: the seeds' panels.
  {
    title: 'Completed tasks share',
    group: 'Executors',
    expr: `(sum by(executor_id) (increase(metrics_executor_completedTasks_total{${EXECUTORS}}[5m]))) / (sum by(executor_id) (metrics_executor_totalTasks_total{${EXECUTORS}}))`,
    unit: 'percentunit',
    legend: 'executor {{executor_id}}',
    description: 'Tasks completed in the last 5 minutes over all tasks of each executor.',
  },
  { title: 'Executor JVM heap', group: 'Executors', expr: 'sum by(executor_id) (metrics_executor_JVMHeapMemory_bytes)', unit: 'bytes', legend: 'executor {{executor_id}}', description: 'Heap used by each executor JVM (peak of the last heartbeat).' },
  { title: 'Storage memory on heap', group: 'Executors', expr: 'sum by(executor_id) (metrics_executor_usedOnHeapStorageMemory_bytes)', unit: 'bytes', legend: 'executor {{executor_id}}', description: 'Heap used for cached blocks.' },
  { title: 'Task load balance', group: 'Executors', expr: 'sum by(executor_id) (increase(metrics_executor_completedTasks_total[5m]))', unit: 'short', legend: 'executor {{executor_id}}', description: 'Tasks each executor completed in the last 5 minutes.' },
  { title: 'GC time', group: 'Executors', expr: 'sum by(executor_id) (metrics_executor_totalGCTime_seconds_total)', unit: 's', legend: 'executor {{executor_id}}', description: 'Time spent in garbage collection since the executor started.' },
  { title: 'Task duration', group: 'Executors', expr: 'sum by(executor_id) (metrics_executor_totalDuration_seconds_total)', unit: 's', legend: 'executor {{executor_id}}', description: 'Time spent running tasks since the executor started.' },
  { title: 'Total tasks', group: 'Executors', expr: 'sum by(executor_id) (metrics_executor_totalTasks_total)', unit: 'short', legend: 'executor {{executor_id}}', description: 'Tasks each executor has run.' },
  {
    title: 'GC share of task time',
    group: 'Executors',
    expr: '(sum by(executor_id) (metrics_executor_totalGCTime_seconds_total) / sum by(executor_id) (metrics_executor_totalDuration_seconds_total)) * 100',
    unit: 'percent',
    legend: 'executor {{executor_id}}',
    description: 'Garbage collection over task time: above ~10 %, executors need more memory.',
  },
  // Driver.
  { title: 'Driver JVM heap', group: 'Driver', expr: driverMetric('jvm_heap_used_Value'), unit: 'bytes', legend: '{{app}}', description: "Heap used by each application's driver." },
  // The standalone cluster (local or compose); absent on Kubernetes.
  { title: 'Workers alive', group: 'Cluster', expr: 'metrics_master_aliveWorkers_Value', unit: 'short', legend: '{{instance}}', description: 'Workers registered with the standalone master.' },
  { title: 'Cores used per worker', group: 'Cluster', expr: 'metrics_worker_coresUsed_Value', unit: 'short', legend: '{{instance}}', description: 'Cores each standalone worker gives to executors now.' },
  // Containers: from cAdvisor, which Kubernetes' kubelet serves (not the local stack).
  { title: 'CPU by pod', group: 'Containers', needs: 'cadvisor', expr: 'sum(rate(container_cpu_usage_seconds_total{pod=~".+"}[5m])) by (pod)', unit: 'short', legend: '{{pod}}', description: 'CPU cores each pod uses.' },
  { title: 'Memory by pod', group: 'Containers', needs: 'cadvisor', expr: 'sum(container_memory_usage_bytes{pod=~".+"}) by (pod)', unit: 'bytes', legend: '{{pod}}', description: 'Memory each pod uses.' },
  {
    title: 'Spark share of machine memory',
    group: 'Containers',
    needs: 'cadvisor',
    expr: 'sum(metrics_executor_JVMHeapMemory_bytes + metrics_executor_JVMOffHeapMemory_bytes) / sum(machine_memory_bytes)',
    unit: 'percentunit',
    legend: 'Spark',
    description: "Executors' JVM memory over the machines' memory.",
  },
  {
    title: 'Spark share of machine CPU',
    group: 'Containers',
    needs: 'cadvisor',
    expr: 'sum(rate(container_cpu_usage_seconds_total{pod=~".*(driver|exec).*"}[5m])) / sum(machine_cpu_cores)',
    unit: 'percentunit',
    legend: 'Spark',
    description: "Spark pods' CPU over the machines' cores.",
  },
];
