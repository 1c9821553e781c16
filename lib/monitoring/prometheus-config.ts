// Prometheus' scrape configuration for Spark's PrometheusServlet endpoints, for the three places
// pitchstream runs: the local stack (this machine), the compose stack (containers) and Kubernetes
// (pods found through the API, by Spark's pod labels and by prometheus.io/* annotations).
// The endpoint paths are read from spark-conf/metrics.properties, the one place Spark learns them.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Config } from '../config';
import { sparkConfDir } from '../spark/spark-conf';

export type ScrapeSite = 'local' | 'compose' | 'kubernetes';
export const SCRAPE_SITES: readonly ScrapeSite[] = ['local', 'compose', 'kubernetes'];

/** Which Spark process serves an endpoint. */
type Server = 'driver' | 'master' | 'worker';

export interface SparkEndpoint {
  job: string;
  path: string;
  server: Server;
  what: string;
}

/** Every `<instance>.sink.prometheusServlet.path` of a metrics.properties text ('*' = the default). */
export function servletPaths(text: string): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([\w*]+)\.sink\.prometheusServlet\.path\s*=\s*(\S+)\s*$/.exec(line);
    if (match) paths[match[1]!] = match[2]!;
  }
  return paths;
}

/** Spark's endpoints as this project's metrics.properties serves them. */
export function sparkEndpoints(root: string): SparkEndpoint[] {
  const file = path.join(sparkConfDir(root), 'metrics.properties');
  const paths = servletPaths(fs.readFileSync(file, 'utf8'));
  const pathOf = (instance: string): string => {
    const found = paths[instance] ?? paths['*'];
    if (!found) throw new Error(`${file}: no prometheusServlet path for ${instance} (nor for *)`);
    return found;
  };
  return [
    { job: 'spark-driver', path: pathOf('driver'), server: 'driver', what: "the driver's metrics: JVM, DAG scheduler, streaming queries" },
    // Spark serves the executors' metrics from the driver's UI (spark.ui.prometheus.enabled): a fixed path.
    { job: 'spark-executors', path: '/metrics/executors/prometheus', server: 'driver', what: "every executor's metrics, served by the driver" },
    { job: 'spark-master', path: pathOf('master'), server: 'master', what: 'the standalone master: workers, applications' },
    { job: 'spark-applications', path: pathOf('applications'), server: 'master', what: 'the applications the master runs' },
    { job: 'spark-workers', path: pathOf('worker'), server: 'worker', what: 'each standalone worker: cores and memory in use' },
  ];
}

/** A job's Spark UI takes the first free port from sparkUiPort on: a few jobs at once are found. */
const DRIVER_UI_PORTS = 4;
const SCRAPE_INTERVAL = '5s';

type ScrapeConfig = Record<string, unknown>;

function localJobs(endpoints: readonly SparkEndpoint[], config: Pick<Config, 'sparkUiPort' | 'sparkMasterUiPort' | 'sparkWorkerUiPort'>): ScrapeConfig[] {
  const targets: Record<Server, string[]> = {
    driver: Array.from({ length: DRIVER_UI_PORTS }, (_, i) => `127.0.0.1:${config.sparkUiPort + i}`),
    master: [`127.0.0.1:${config.sparkMasterUiPort}`],
    worker: [`127.0.0.1:${config.sparkWorkerUiPort}`],
  };
  return endpoints.map((e) => ({ job_name: e.job, metrics_path: e.path, static_configs: [{ targets: targets[e.server] }] }));
}

function composeJobs(endpoints: readonly SparkEndpoint[]): ScrapeConfig[] {
  return endpoints.map((e) => {
    if (e.server === 'worker')
      // Workers scaled with --workers N (and the GPU worker) are found by their service names.
      return { job_name: e.job, metrics_path: e.path, dns_sd_configs: [{ names: ['spark-worker', 'spark-worker-gpu'], type: 'A', port: 8081, refresh_interval: '15s' }] };
    // The driver of every job runs in jupyter-lab (client mode).
    const targets = e.server === 'driver' ? Array.from({ length: DRIVER_UI_PORTS }, (_, i) => `jupyter-lab:${4040 + i}`) : ['spark-master:8080'];
    return { job_name: e.job, metrics_path: e.path, static_configs: [{ targets }] };
  });
}

/** Pod metadata as labels of every series: which application, namespace and pod it came from. */
const POD_LABELS = [
  { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
  { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
  { source_labels: ['__meta_kubernetes_pod_label_spark_app_name'], target_label: 'spark_app' },
];

function kubernetesJobs(endpoints: readonly SparkEndpoint[]): ScrapeConfig[] {
  // On Kubernetes there is no standalone master or worker: the drivers' pods (label spark-role=driver,
  // set by Spark) serve their own and their executors' metrics on the UI port 4040.
  const driverJobs = endpoints
    .filter((e) => e.server === 'driver')
    .map((e) => ({
      job_name: e.job,
      metrics_path: e.path,
      kubernetes_sd_configs: [{ role: 'pod' }],
      relabel_configs: [
        { source_labels: ['__meta_kubernetes_pod_label_spark_role'], regex: 'driver', action: 'keep' },
        { source_labels: ['__meta_kubernetes_pod_ip'], regex: '(.+)', replacement: '$1:4040', target_label: '__address__' },
        ...POD_LABELS,
      ],
    }));
  // Any other pod that asks for it: prometheus.io/scrape "true", with prometheus.io/path and /port.
  const annotated = {
    job_name: 'kubernetes-pods',
    kubernetes_sd_configs: [{ role: 'pod' }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], regex: 'true', action: 'keep' },
      { source_labels: ['__meta_kubernetes_pod_label_spark_role'], regex: 'driver', action: 'drop' },
      { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], regex: '(.+)', target_label: '__metrics_path__' },
      {
        source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
        regex: '([^:]+)(?::\\d+)?;(\\d+)',
        replacement: '$1:$2',
        target_label: '__address__',
      },
      ...POD_LABELS,
    ],
  };
  return [...driverJobs, annotated];
}

export interface PrometheusConfigOptions {
  config: Pick<Config, 'root' | 'sparkUiPort' | 'sparkMasterUiPort' | 'sparkWorkerUiPort'>;
}

/** The scrape configuration of a site, as an object (Prometheus' configuration file format). */
export function prometheusConfig(site: ScrapeSite, options: PrometheusConfigOptions): Record<string, unknown> {
  const endpoints = sparkEndpoints(options.config.root);
  const jobs = site === 'local' ? localJobs(endpoints, options.config) : site === 'compose' ? composeJobs(endpoints) : kubernetesJobs(endpoints);
  return {
    global: { scrape_interval: SCRAPE_INTERVAL, evaluation_interval: SCRAPE_INTERVAL },
    scrape_configs: [...jobs, { job_name: 'prometheus', static_configs: [{ targets: ['localhost:9090'] }] }],
  };
}

const HEADERS: Record<ScrapeSite, string> = {
  local: 'the local stack on this machine (npm start; SPARK_MASTER=local[*] or the local standalone master and worker), with the default ports',
  compose: 'the compose stack (npm run cluster -- up); built into the prometheus image',
  kubernetes: "Kubernetes: Spark's driver pods (label spark-role=driver) and pods annotated prometheus.io/scrape: \"true\"",
};

/** The configuration file of a site, with a header saying where it comes from. */
export function prometheusConfigYaml(site: ScrapeSite, options: PrometheusConfigOptions): string {
  return `# Prometheus scrape configuration for ${HEADERS[site]}.\n# Generated from lib/monitoring (npm run docs): do not edit.\n${stringify(prometheusConfig(site, options), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
