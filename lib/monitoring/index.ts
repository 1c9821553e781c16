// Watching the jobs: Prometheus' scrape configuration for Spark's endpoints (local, compose,
// Kubernetes) and the panels of the Grafana dashboard. The dashboard's JSON builder
// (grafana-dashboard.ts) is imported directly: it is typed with a development dependency.
export { DASHBOARD_PANELS, type DashboardPanel, type PanelGroup } from './dashboard-panels';
export {
  prometheusConfig,
  prometheusConfigYaml,
  SCRAPE_SITES,
  servletPaths,
  sparkEndpoints,
  type PrometheusConfigOptions,
  type ScrapeSite,
  type SparkEndpoint,
} from './prometheus-config';
export {
  LIVE_PANEL_TITLES,
  liveStreamingFigure,
  liveStreamingFigures,
  prometheusGraphUrl,
  queryRange,
  type LiveStreamingFigures,
  type PanelSeries,
  type RangeOptions,
  type Series,
} from './prometheus-api';
