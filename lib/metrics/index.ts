// Metrics of job runs: Spark REST API, Prometheus, streaming progress and RAPIDS explain, stored with the run.
export {
  collectRunMetrics,
  readRunMetrics,
  runTotals,
  writeRunMetrics,
  type CollectRunMetricsOptions,
  type RunMetrics,
  type RunMetricsCollector,
  type RunSample,
  type RunTotals,
} from './collect-run-metrics';
export { parsePrometheusText, scrapePrometheus, type PrometheusSample, type PrometheusScrape } from './prometheus';
export { gpuPlacementTable, parseRapidsExplain, type GpuPlacement, type GpuPlacementRow, type RapidsExplainLine } from './rapids-explain';
export { runMetricsHtml, runMetricsSummary, type MetricRow } from './run-metrics-report';
export {
  fetchSparkJson,
  readSparkApp,
  sparkTimeMs,
  toExecutorMetrics,
  toJobMetrics,
  toStageMetrics,
  type ExecutorMetrics,
  type JobMetrics,
  type SparkAppSnapshot,
  type StageMetrics,
} from './spark-rest';
export { parseProgressJsonLines, readProgressDir, summarizeStreaming, type StreamingBatch, type StreamingSummary } from './streaming-progress';
