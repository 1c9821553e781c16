// Monitoring for real: promtool checks every generated Prometheus configuration; then a real
// Prometheus (loopback, temporary folder) scrapes the local standalone master and worker and a
// running stream_match_stats job on them, and every panel of the Grafana dashboard is run through
// /api/v1/query. A renamed Spark metric empties a panel, and this test names it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../lib/config';
import { preloadSynthetic, SYNTHETIC_WATERMARK } from '../../lib/benchmarks';
import { DASHBOARD_PANELS, liveStreamingFigure, liveStreamingFigures, prometheusConfigYaml, queryRange, SCRAPE_SITES } from '../../lib/monitoring';
import { startKafkaBroker, stopKafkaBroker } from '../../lib/stack/kafka-broker';
import { startSparkStandalone, stopSparkStandalone } from '../../lib/stack/spark-standalone';
import { startMatchStats, type MatchStatsRun } from '../../lib/streaming';
import { freePort } from '../helpers/free-port';
import { ensurePrometheus } from '../helpers/prometheus';
import { isolatedHome } from './streaming-home';

const log = (line: string) => process.stdout.write(`${line}\n`);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-monitoring-'));
const home = isolatedHome();
let config: Config;
let prometheus: ChildProcess | undefined;
let prometheusUrl = '';
let run: MatchStatsRun | undefined;

interface QueryAnswer {
  status: string;
  error?: string;
  data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

async function query(expr: string): Promise<QueryAnswer> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return (await response.json()) as QueryAnswer;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

beforeAll(async () => {
  await ensurePrometheus(log);
  config = loadConfig({
    home: home.home,
    kafkaPort: await freePort(),
    kafkaControllerPort: await freePort(),
    sparkMasterPort: await freePort(),
    sparkMasterUiPort: await freePort(),
    sparkWorkerUiPort: await freePort(),
    sparkUiPort: await freePort(),
  });
}, 300_000);

afterAll(async () => {
  if (run) await run.stop().catch(() => undefined);
  if (prometheus?.pid) {
    try {
      process.kill(-prometheus.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  if (config) {
    await stopSparkStandalone(config);
    await stopKafkaBroker(config);
  }
  home.remove();
  fs.rmSync(scratch, { recursive: true, force: true });
}, 120_000);

describe('Prometheus configurations', () => {
  it('each generated one passes promtool check config, the committed files included', () => {
    for (const site of SCRAPE_SITES) {
      const committed = path.join(config.root, 'monitoring', 'prometheus', `${site}.yml`);
      const rendered = path.join(scratch, `${site}.yml`);
      fs.writeFileSync(rendered, prometheusConfigYaml(site, { config }));
      for (const file of [committed, rendered]) {
        const check = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8' });
        const output = `${check.stdout}${check.stderr}`;
        // Debian builds Prometheus without Kubernetes service discovery: its promtool cannot read
        // kubernetes_sd_configs. Only that file, only for that reason, is left to a full build.
        if (site === 'kubernetes' && /field kubernetes_sd_configs not found/.test(output)) {
          log(`promtool here lacks Kubernetes discovery (Debian's build): ${file} not checked`);
          continue;
        }
        expect(check.status, `${file}: ${output}`).toBe(0);
      }
    }
  });
});

describe('the dashboard on a real Prometheus', () => {
  it('answers every panel query while a streaming job runs on the standalone cluster (cAdvisor panels skipped by name)', async () => {
    const kafkaBootstrap = (await startKafkaBroker(config)).bootstrap;
    const cluster = await startSparkStandalone(config);
    const topic = 'monitoring-test';
    const events = await preloadSynthetic(kafkaBootstrap, topic, 30_000, path.join(scratch, 'preload'));
    log(`preloaded ${events} synthetic events`);
    // A few thousand events per 2-s batch: the job runs for a minute or more, with state and executors.
    run = await startMatchStats({
      bootstrap: kafkaBootstrap,
      topic,
      outputDir: path.join(scratch, 'run'),
      maxOffsetsPerTrigger: 1_000,
      triggerMs: 2_000,
      watermarkDelay: SYNTHETIC_WATERMARK,
      config,
      master: cluster.masterUrl,
    });

    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    const configFile = path.join(scratch, 'prometheus.yml');
    fs.writeFileSync(configFile, prometheusConfigYaml('local', { config }));
    const logFile = fs.openSync(path.join(scratch, 'prometheus.log'), 'a');
    prometheus = spawn(
      'prometheus',
      [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(scratch, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`],
      { detached: true, stdio: ['ignore', logFile, logFile] },
    );
    fs.closeSync(logFile);

    // Two scrapes of the executors after the streaming query has reported batches.
    await waitUntil('Prometheus ready', async () => (await fetch(`${prometheusUrl}/-/ready`)).ok, 60_000);
    await waitUntil(
      'a streaming query reported to the driver endpoint',
      async () => ((await query('{__name__=~"metrics_.+_driver_spark_streaming_.+_latency_Value"}')).data?.result.length ?? 0) > 0,
      180_000,
    );
    await waitUntil(
      'two scrapes of executors with tasks',
      async () => ((await query('count_over_time(metrics_executor_totalTasks_total{executor_id!="driver"}[5m]) >= 2')).data?.result.length ?? 0) > 0,
      120_000,
    );
    const targets = (await (await fetch(`${prometheusUrl}/api/v1/targets`)).json()) as { data: { activeTargets: Array<{ labels: { job: string }; health: string }> } };
    const up = new Set(targets.data.activeTargets.filter((t) => t.health === 'up').map((t) => t.labels.job));
    expect([...up].sort()).toEqual(expect.arrayContaining(['spark-applications', 'spark-driver', 'spark-executors', 'spark-master', 'spark-workers']));

    // Metrics arrive on different clocks: task counters with each task, peak memory (the JVM heap
    // panel) only with an executor's heartbeat (every 10 s, later on a busy machine). So the panels
    // get until a deadline to fill, and those still empty then are named.
    const skipped = DASHBOARD_PANELS.filter((p) => p.needs === 'cadvisor').map((p) => p.title);
    const emptyPanels = async (): Promise<string[]> => {
      const empty: string[] = [];
      for (const panel of DASHBOARD_PANELS.filter((p) => !p.needs)) {
        const answer = await query(panel.expr);
        expect(answer.status, `${panel.title}: ${answer.error}`).toBe('success');
        if ((answer.data?.result.length ?? 0) === 0) empty.push(panel.title);
      }
      return empty;
    };
    const fillDeadline = Date.now() + 90_000;
    let empty = await emptyPanels();
    while (empty.length > 0 && Date.now() < fillDeadline) {
      log(`  waiting for data in: ${empty.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      empty = await emptyPanels();
    }
    expect(empty, 'panels without data').toEqual([]);
    // Not applicable locally (no cAdvisor), and said so by name.
    expect(skipped).toEqual(['CPU by pod', 'Memory by pod', 'Spark share of machine memory', 'Spark share of machine CPU']);

    // The streaming panels carry the application and the query as labels.
    const input = await query(DASHBOARD_PANELS.find((p) => p.title === 'Input rate')!.expr);
    expect(input.data!.result.map((r) => [r.metric.app, r.metric.query])).toContainEqual(['stream_match_stats', 'match_stats']);

    // What notebook 03 draws live: the same panels over Prometheus' range API, for this job only.
    const live = await liveStreamingFigures(prometheusUrl, 'stream_match_stats', { minutes: 10, stepS: 5 });
    expect(live.empty, live.emptyHint).toEqual([]);
    for (const { panel, series } of live.panels) {
      expect(series.every((one) => one.labels.app === 'stream_match_stats'), panel.title).toBe(true);
      expect(series.flatMap((one) => one.points).length, panel.title).toBeGreaterThan(0);
    }
    expect(liveStreamingFigure(live).data.map((trace) => trace.name)).toEqual(expect.arrayContaining(['Input rate (match_stats)', 'Process rate (match_stats)', 'Batch duration (match_stats)']));
    // An application Prometheus never saw: empty panels, named, with where to look.
    const unknown = await liveStreamingFigures(prometheusUrl, 'no_such_app');
    expect(unknown.empty).toEqual(['Input rate', 'Process rate', 'Batch duration']);
    expect(unknown.emptyHint).toMatch(/no data yet for no_such_app .*\/targets/);

    await run.stop();
    run = undefined;
  }, 600_000);

  it('says PROMETHEUS_UNREACHABLE when nothing listens, and PROMETHEUS_QUERY_FAILED for a query Prometheus refuses', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    await expect(queryRange(closed, 'up', { startMs: Date.now() - 60_000, endMs: Date.now(), stepS: 5 })).rejects.toMatchObject({
      code: 'PROMETHEUS_UNREACHABLE',
      message: expect.stringContaining(`no Prometheus answers at ${closed}`),
      fix: expect.stringContaining('monitoring/prometheus/local.yml'),
    });
    await expect(queryRange(prometheusUrl, 'sum(', { startMs: Date.now() - 60_000, endMs: Date.now(), stepS: 5 })).rejects.toMatchObject({ code: 'PROMETHEUS_QUERY_FAILED' });
  });
});
