// The system as containers, for real (`npm run test:containers`): the images built from the repo,
// the compose stack up with two Spark workers, notebook 03 run headless inside jupyter-lab against
// the cluster and the stack's Kafka, Prometheus scraping master and executors, Lab's token, and a
// `down` that leaves nothing behind. Nothing is mocked. Engine: podman + docker-compose here.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../lib/config';
import {
  clusterBuild,
  clusterDown,
  clusterUp,
  COMPOSE_PROJECT,
  runCommand,
  serviceStates,
  stackResources,
  withEngine,
  type ClusterEndpoints,
} from '../../lib/containers';
import { isPitchstreamError } from '../../lib/errors';
import { brokerAnswersMetadata } from '../../lib/kafka';
import { containerTestConfig, ensureContainerTools, ensureLocalBaseImage, LOCAL_BASE_IMAGE } from '../helpers/containers';

const log = (line: string) => process.stdout.write(`${line}\n`);
let config: Config;
let up: ClusterEndpoints;
const progress: string[] = [];

interface MasterJson {
  workers: Array<{ host: string; state: string; coresused: number }>;
  activeapps: Array<{ id: string; name: string }>;
  completedapps: Array<{ id: string; name: string }>;
}

async function masterJson(): Promise<MasterJson> {
  return (await (await fetch(`${up.sparkMasterUi}/json/`)).json()) as MasterJson;
}

async function prometheusSeries(query: string): Promise<Array<Record<string, string>>> {
  const response = await fetch(`${up.prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { data: { result: Array<{ metric: Record<string, string> }> } };
  return body.data.result.map((r) => r.metric);
}

/** Where the engine keeps a named volume of the stack, read from the host. */
async function volumePath(volume: string): Promise<string> {
  return withEngine(config, async (engine) => {
    const result = await runCommand(engine.cli, ['volume', 'inspect', `${COMPOSE_PROJECT}_${volume}`, '--format', '{{.Mountpoint}}'], engine.env);
    return result.stdout.trim();
  });
}

beforeAll(async () => {
  await ensureContainerTools(log);
  config = containerTestConfig();
  // The podman settings file is written when the engine opens; open it once before the base image.
  await withEngine(config, async () => undefined);
  await ensureLocalBaseImage(config, log);
  await clusterDown(config, { onProgress: log }); // a stack left by an earlier run
  await clusterBuild(config, { onProgress: log });
  up = await clusterUp(config, { workers: 2, onProgress: (line) => (progress.push(line), log(line)) });
}, 1_800_000);

afterAll(async () => {
  if (config) await clusterDown(config, { onProgress: log });
}, 300_000);

describe('the compose stack on podman', () => {
  it('is up with every service healthy and two Spark workers registered with the master', async () => {
    const states = await withEngine(config, serviceStates);
    expect(states.map((s) => s.service).sort()).toEqual(['jupyter-lab', 'kafka', 'prometheus', 'spark-master', 'spark-worker', 'spark-worker']);
    for (const state of states) expect(state, state.container).toMatchObject({ status: 'running', health: 'healthy' });
    const master = await masterJson();
    expect(master.workers.filter((w) => w.state === 'ALIVE')).toHaveLength(2);
  });

  it('asks Jupyter Lab for its token: refused without it, served with it', async () => {
    const base = up.labUrl.split('/lab/')[0]!;
    expect((await fetch(`${base}/api/status`)).status).toBe(403);
    expect((await fetch(`${base}/api/status?token=wrong-token-wrong-token`)).status).toBe(403);
    expect((await fetch(`${base}/api/status?token=${up.labToken}`)).status).toBe(200);
  });

  it('runs notebook 03 inside jupyter-lab on the cluster: executors on both workers, charts in the notebook, outputs on the host', async () => {
    const executed = '/opt/pitchstream/data/outputs/03-cluster-test.ipynb';
    const notebook = withEngine(config, async (engine) => {
      const container = (await serviceStates(engine)).find((s) => s.service === 'jupyter-lab')!.container;
      return runCommand(
        engine.cli,
        ['exec', container, 'jupyter', 'nbconvert', '--to', 'notebook', '--execute', 'notebooks/03_Streaming_Estadisticas.ipynb', '--ExecutePreprocessor.timeout=900', '--output', executed],
        engine.env,
        1_200_000,
      );
    });
    // While the job runs: the master lists it, both workers have cores in use (its executors), and
    // Prometheus has series of the master and of the application's executors.
    let busyWorkers = 0;
    let appName = '';
    let executorIds = new Set<string>();
    let masterSeries = 0;
    let running = true;
    void notebook.finally(() => (running = false));
    while (running) {
      const master = await masterJson().catch(() => undefined);
      if (master?.activeapps.length) {
        appName = master.activeapps[0]!.name;
        busyWorkers = Math.max(busyWorkers, master.workers.filter((w) => w.coresused > 0).length);
        const executors = await prometheusSeries('{job="spark-executors", __name__=~"metrics_executor_.*"}');
        for (const series of executors) if (series.executor_id && series.executor_id !== 'driver') executorIds.add(series.executor_id);
        masterSeries = Math.max(masterSeries, (await prometheusSeries('metrics_master_aliveWorkers_Value')).length);
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    const result = await notebook;
    expect(result.exitCode, result.stderr.slice(-3000)).toBe(0);
    expect(appName).toBe('stream_match_stats');
    expect(busyWorkers).toBe(2);
    expect(executorIds.size).toBeGreaterThanOrEqual(2);
    expect(masterSeries).toBe(1);
    const master = await masterJson();
    expect(master.completedapps.map((a) => a.name)).toContain('stream_match_stats');

    // The executed notebook and the job's Arrow outputs, read from the host through the volume.
    const data = await volumePath('data');
    const saved = JSON.parse(fs.readFileSync(path.join(data, 'outputs', '03-cluster-test.ipynb'), 'utf8')) as {
      cells: Array<{ outputs?: Array<{ output_type: string; data?: Record<string, unknown>; text?: string | string[] }> }>;
    };
    const outputs = saved.cells.flatMap((c) => c.outputs ?? []);
    expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
    const charts = outputs.filter((o) => Object.values(o.data ?? {}).some((v) => String(v).includes('Plotly.newPlot') || String(v).includes('plotly')));
    expect(charts.length).toBeGreaterThan(0);
    const text = outputs.map((o) => [o.text ?? ''].flat().join('')).join('\n');
    expect(text).toContain('Kafka at kafka:9092');
    const run = /outputs in (\/opt\/pitchstream\/data\/outputs\/match-stats-[\w-]+)/.exec(text)?.[1];
    expect(run, 'the notebook names its run folder').toBeTruthy();
    const stats = path.join(data, path.relative('/opt/pitchstream/data', run!), 'stats');
    const arrowFiles = fs.readdirSync(stats, { recursive: true }).map(String).filter((f) => f.endsWith('.arrow'));
    expect(arrowFiles.length).toBeGreaterThan(0);
  }, 1_500_000);

  it('publishes Kafka to the host as well: a client on the host gets the broker advertised for the host', async () => {
    const port = Number(up.kafkaBootstrap.split(':')[1]);
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1' }, () => (socket.destroy(), resolve()));
      socket.once('error', reject);
    });
    expect(await brokerAnswersMetadata(up.kafkaBootstrap, 10_000)).toBe(true);
  });

  it('validates the GPU profile (the RAPIDS worker with an NVIDIA device reservation and the gpu conf) and the monitoring profile', async () => {
    const result = await withEngine(config, async (engine) => {
      const [command, ...prefix] = engine.compose;
      return runCommand(command!, [...prefix, '-p', COMPOSE_PROJECT, '-f', path.join(config.root, 'docker-compose.yml'), '--env-file', path.join(config.home, 'containers', 'compose.env'), '--profile', 'gpu', 'config'], engine.env);
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('spark-worker-gpu');
    expect(result.stdout).toMatch(/driver: nvidia/);
    expect(result.stdout).toMatch(/PITCHSTREAM_MODE: gpu/);
    expect(result.stdout).toMatch(/pitchstream-spark-rapids:/);

    // The monitoring profile: Grafana (its image comes from a registry, so it is not started here)
    // after a healthy Prometheus, with the provisioned datasource mounted.
    const monitoring = await withEngine(config, async (engine) => {
      const [command, ...prefix] = engine.compose;
      return runCommand(command!, [...prefix, '-p', COMPOSE_PROJECT, '-f', path.join(config.root, 'docker-compose.yml'), '--env-file', path.join(config.home, 'containers', 'compose.env'), '--profile', 'monitoring', 'config'], engine.env);
    });
    expect(monitoring.exitCode, monitoring.stderr).toBe(0);
    expect(monitoring.stdout).toMatch(/grafana:[\s\S]*condition: service_healthy/);
    expect(monitoring.stdout).toContain('/etc/grafana/provisioning');
    expect(monitoring.stdout).toContain('/var/lib/grafana/dashboards/pitchstream');
    expect(fs.existsSync(path.join(config.root, 'monitoring', 'grafana', 'pitchstream.json'))).toBe(true);
    expect(fs.readFileSync(path.join(config.root, 'containers', 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')).toContain('http://prometheus:9090');
  });

  it('down leaves no container, network or volume; a second up reuses the built images', async () => {
    const down = await clusterDown(config, { onProgress: log });
    expect(down.removedContainers.length).toBe(6);
    expect(down.leftovers).toEqual([]);
    expect(await withEngine(config, stackResources)).toEqual([]);

    // A port taken by something else: refused before anything starts, naming the variable.
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(config.clusterLabPort, '127.0.0.1', () => resolve()));
    try {
      await clusterUp(config, { workers: 1 });
      expect.unreachable();
    } catch (error) {
      expect(isPitchstreamError(error, 'PORT_IN_USE')).toBe(true);
      expect(String((error as Error).message)).toContain(String(config.clusterLabPort));
      expect((error as { fix: string }).fix).toContain('PITCHSTREAM_CLUSTER_LAB_PORT');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    expect(await withEngine(config, stackResources)).toEqual([]);

    const lines: string[] = [];
    up = await clusterUp(config, { workers: 1, onProgress: (line) => lines.push(line) });
    expect(lines.filter((l) => l.includes(': building'))).toEqual([]);
    expect(lines.filter((l) => l.includes('built already'))).toHaveLength(4);
    expect((await masterJson()).workers.filter((w) => w.state === 'ALIVE')).toHaveLength(1);
    const again = await clusterDown(config);
    expect(again.leftovers).toEqual([]);
  }, 600_000);

  it('a service that fails to start: up names it, shows its last log lines and the fix; down clears the stack and nothing else', async () => {
    // A container the user started by hand, with a name much like the stack's: nothing may touch it.
    const byHand = 'pitchstream-by-hand';
    await withEngine(config, (engine) => runCommand(engine.cli, ['run', '-d', '--name', byHand, LOCAL_BASE_IMAGE, 'sleep', '600'], engine.env));
    try {
      // Kafka's JVM starts with a 128m heap: a 16m maximum makes it refuse to start.
      const broken = { ...config, clusterKafkaHeap: '16m' };
      const started = Date.now();
      let failure: unknown;
      await clusterUp(broken, { workers: 1 }).catch((error: unknown) => (failure = error));
      expect(isPitchstreamError(failure, 'CONTAINER_UNHEALTHY'), String(failure)).toBe(true);
      const error = failure as { message: string; fix: string; details: { service: string } };
      expect(error.details.service).toBe('kafka');
      expect(error.message).toMatch(/service kafka \(.+\) exited/);
      expect(error.message).toMatch(/heap size/i); // the JVM's own line, from the container's log
      expect(error.fix).toContain('PITCHSTREAM_CLUSTER_KAFKA_HEAP');
      expect(error.fix).toContain('npm run cluster -- logs kafka');
      // Reported as soon as Kafka exits, not after the health timeout, and compose was stopped.
      expect(Date.now() - started).toBeLessThan(180_000);
      expect(execFileSync('ps', ['-eo', 'args']).toString()).not.toMatch(/docker-compose .*-p pitchstream .*\bup\b/);

      const down = await clusterDown(config);
      expect(down.leftovers).toEqual([]);
      const mine = await withEngine(config, (engine) => runCommand(engine.cli, ['inspect', '--format', '{{.State.Status}}', byHand], engine.env));
      expect(mine.stdout.trim()).toBe('running');
    } finally {
      await withEngine(config, (engine) => runCommand(engine.cli, ['rm', '-f', '-t', '0', byHand], engine.env));
    }
  }, 600_000);

  it('a build that cannot reach its registry: names the image, the registry and the fix, and keeps the built images', async () => {
    // The RAPIDS image fetches its jar from the Maven repository; here one where nothing listens.
    let failure: unknown;
    await clusterBuild({ ...config, mavenRepository: 'http://127.0.0.1:9/maven2' }, { gpu: true }).catch((error: unknown) => (failure = error));
    expect(isPitchstreamError(failure, 'IMAGE_BUILD_FAILED'), String(failure)).toBe(true);
    const error = failure as { message: string; fix: string; details: { image: string; log: string } };
    expect(error.details.image).toMatch(/pitchstream-spark-rapids:/);
    expect(error.message).toMatch(/127\.0\.0\.1/);
    expect(error.fix).toContain('could not reach a registry');
    expect(error.fix).toContain('http://127.0.0.1:9/maven2');
    expect(fs.existsSync(error.details.log)).toBe(true);
    // The stack's images stay; the failed one is not there, and no build container is left.
    const lines: string[] = [];
    await clusterBuild(config, { onProgress: (line) => lines.push(line) });
    expect(lines.filter((l) => l.includes('built already'))).toHaveLength(4);
    const leftovers = await withEngine(config, (engine) => runCommand(engine.cli, ['ps', '-a', '--external', '--format', '{{.Image}} {{.Names}}'], engine.env));
    expect(leftovers.stdout.split('\n').filter((l) => l.includes('spark-rapids') || l.includes('working-container'))).toEqual([]);
  }, 600_000);
});
