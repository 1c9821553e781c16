// `npm run cluster -- up|status|down|logs|build`: the compose stack of docker-compose.yml on the
// engine of engine.ts. up builds the images that are missing, starts the stack with N workers,
// waits until every service is healthy (printing each as it gets there) and returns the URLs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { SETTINGS, versions, type Config, type Settings } from '../config';
import { PitchstreamError } from '../errors';
import { requireFreePort } from '../stack/ports';
import { sleep } from '../stack/processes';
import { assembleBuildContext } from './build-context';
import { containerLimits, openEngine, runCommand, type ContainerEngine } from './engine';
import { GPU_IMAGE, IMAGE_PREFIX, STACK_IMAGES, buildArgs, defaultBaseImage, dockerfilePath, imageName, readDockerfile, type ImageTarget } from './images';

/** The compose project: every container, network and volume of the stack carries its name. */
export const COMPOSE_PROJECT = 'pitchstream';
const PROJECT_LABEL = `label=com.docker.compose.project=${COMPOSE_PROJECT}`;
const HEALTH_POLL_MS = 2_000;
/** A cold stack starts seven JVMs and Lab; on two cores that takes well over the per-process timeout. */
const MIN_HEALTH_TIMEOUT_MS = 240_000;

export interface ClusterOptions {
  /** Spark workers (default PITCHSTREAM_CLUSTER_WORKERS). */
  workers?: number;
  /** Also the `monitoring` profile (Grafana); its image comes from a registry. */
  monitoring?: boolean;
  onProgress?: (line: string) => void;
}

export interface ClusterEndpoints {
  labUrl: string;
  labToken: string;
  sparkMasterUi: string;
  prometheus: string;
  grafana?: string;
  kafkaBootstrap: string;
  workers: number;
  imageTag: string;
}

export interface ServiceState {
  container: string;
  service: string;
  /** running, exited, created … */
  status: string;
  /** healthy, unhealthy, starting, or '' without a health check. */
  health: string;
}

function clusterDir(config: Config): string {
  return path.join(config.home, 'containers');
}

function envFile(config: Config): string {
  return path.join(clusterDir(config), 'compose.env');
}

/** Lab's token: PITCHSTREAM_LAB_TOKEN, else one made once and kept (readable by this user only). */
function labToken(config: Config): string {
  if (config.labToken) return config.labToken;
  const file = path.join(clusterDir(config), 'lab-token');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const token = crypto.randomBytes(24).toString('hex');
  fs.mkdirSync(clusterDir(config), { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** The variables docker-compose.yml reads, all from the config (the compose file has no defaults). */
export function composeVariables(config: Config, tag: string, limits: { nofile: number; nproc: number }, token: string): Record<string, string> {
  fs.mkdirSync(config.statsbombData, { recursive: true });
  return {
    PITCHSTREAM_IMAGE_PREFIX: IMAGE_PREFIX,
    PITCHSTREAM_IMAGE_TAG: tag,
    PITCHSTREAM_LAB_TOKEN: token,
    PITCHSTREAM_CLUSTER_LAB_PORT: String(config.clusterLabPort),
    PITCHSTREAM_CLUSTER_KAFKA_PORT: String(config.clusterKafkaPort),
    PITCHSTREAM_CLUSTER_SPARK_UI_PORT: String(config.clusterSparkUiPort),
    PITCHSTREAM_CLUSTER_PROMETHEUS_PORT: String(config.clusterPrometheusPort),
    PITCHSTREAM_CLUSTER_GRAFANA_PORT: String(config.clusterGrafanaPort),
    PITCHSTREAM_CLUSTER_WORKER_CORES: String(config.clusterWorkerCores),
    PITCHSTREAM_CLUSTER_WORKER_MEMORY: config.clusterWorkerMemory,
    PITCHSTREAM_CLUSTER_KAFKA_HEAP: config.clusterKafkaHeap,
    PITCHSTREAM_CLUSTER_STATSBOMB: config.statsbombData,
    PITCHSTREAM_NOFILE: String(limits.nofile),
    PITCHSTREAM_NPROC: String(limits.nproc),
  };
}

function writeEnvFile(config: Config, variables: Record<string, string>): string {
  const file = envFile(config);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const lines = Object.entries(variables).map(([k, v]) => `${k}=${v}`);
  fs.writeFileSync(file, `# Written by npm run cluster (lib/containers/cluster.ts); read by docker-compose.yml.\n${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

function composeArgs(config: Config, profiles: readonly string[], args: readonly string[]): string[] {
  return [
    '-p', COMPOSE_PROJECT,
    '-f', path.join(config.root, 'docker-compose.yml'),
    '--env-file', envFile(config),
    ...profiles.flatMap((p) => ['--profile', p]),
    ...args,
  ];
}

async function compose(engine: ContainerEngine, config: Config, profiles: readonly string[], args: readonly string[], timeoutMs = 600_000, signal?: AbortSignal) {
  const [command, ...prefix] = engine.compose;
  return runCommand(command!, [...prefix, ...composeArgs(config, profiles, args)], engine.env, timeoutMs, signal);
}

async function imageExists(engine: ContainerEngine, image: string): Promise<boolean> {
  return (await runCommand(engine.cli, ['image', 'inspect', image], engine.env)).exitCode === 0;
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Builds the images of the stack (and spark-rapids when asked) that the engine does not have yet. */
export async function buildImages(engine: ContainerEngine, config: Config, options: { gpu?: boolean; onProgress?: (line: string) => void } = {}): Promise<string> {
  const say = options.onProgress ?? (() => undefined);
  const baseImage = config.baseImage ?? defaultBaseImage(readDockerfile(config.root));
  const context = assembleBuildContext(config, baseImage);
  const args = buildArgs(versions(), baseImage, config.mavenRepository);
  const targets: ImageTarget[] = [...STACK_IMAGES, ...(options.gpu ? [GPU_IMAGE as ImageTarget] : [])];
  const logs = path.join(clusterDir(config), 'logs');
  fs.mkdirSync(logs, { recursive: true });
  for (const target of targets) {
    const image = imageName(target, context.tag);
    if (await imageExists(engine, image)) {
      say(`image ${image}: built already`);
      continue;
    }
    const log = path.join(logs, `build-${target}.log`);
    say(`image ${image}: building (log: ${log}) …`);
    const started = Date.now();
    const build = execa(
      engine.cli,
      ['build', '-f', dockerfilePath(config.root), '--target', target, ...Object.entries(args).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]), '-t', image, context.dir],
      { env: engine.env, reject: false, all: true, stdin: 'ignore', buffer: { all: true } },
    );
    const out = fs.createWriteStream(log);
    // Progress: the Dockerfile step lines (podman: "STEP 3/9: RUN …", docker: "#5 [spark 2/6] RUN …").
    build.all?.on('data', (chunk: Buffer) => {
      out.write(chunk);
      for (const line of chunk.toString().split('\n')) if (/^(\[\d+\/\d+\] )?STEP \d+\/\d+:|^#\d+ \[/.test(line)) say(`  ${target}: ${line.slice(0, 110)}`);
    });
    const result = await build;
    out.end();
    if (result.exitCode !== 0) {
      const text = String(result.all ?? '');
      // apt, pip, npm and curl (the RAPIDS jar from the Maven repository) each say it their own way.
      const offline =
        /Could not resolve|Temporary failure resolving|Failed to fetch|Network is unreachable|ConnectTimeout|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|No matching distribution|Failed to connect to|Couldn't connect to server|Connection refused/.test(text);
      throw new PitchstreamError('IMAGE_BUILD_FAILED', `building ${image} failed (exit ${result.exitCode}); ${log} ends with:\n${tail(text)}`, {
        fix: offline
          ? `The build of ${target} could not reach a registry (apt, PyPI, npm, or the Maven repository ${args.MAVEN_REPOSITORY}): give the engine network access, a proxy, or a reachable mirror (PITCHSTREAM_MAVEN_REPOSITORY for the Maven one), then run it again; images already built are kept.`
          : `Read ${log}; \`npm run cluster -- build\` retries only what is missing.`,
        details: { image, log, service: target },
      });
    }
    say(`image ${image}: built in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  return context.tag;
}

/** Containers of the stack with their state, from the engine (labels set by compose). */
export async function serviceStates(engine: ContainerEngine): Promise<ServiceState[]> {
  const listed = await runCommand(engine.cli, ['ps', '-a', '--filter', PROJECT_LABEL, '--format', '{{.Names}}'], engine.env);
  const names = listed.stdout.split('\n').map((n) => n.trim()).filter(Boolean);
  const states: ServiceState[] = [];
  for (const name of names) {
    const inspected = await runCommand(
      engine.cli,
      ['inspect', '--format', '{{index .Config.Labels "com.docker.compose.service"}}|{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}', name],
      engine.env,
    );
    if (inspected.exitCode !== 0) continue; // removed meanwhile
    const [service = '', status = '', health = ''] = inspected.stdout.trim().split('|');
    states.push({ container: name, service, status, health });
  }
  return states.sort((a, b) => a.container.localeCompare(b.container));
}

async function lastLogLines(engine: ContainerEngine, container: string, lines = 20): Promise<string> {
  const result = await runCommand(engine.cli, ['logs', '--tail', String(lines), container], engine.env);
  return tail(`${result.stdout}\n${result.stderr}`, lines) || '(no output)';
}

type ClusterPortKey = 'clusterLabPort' | 'clusterKafkaPort' | 'clusterSparkUiPort' | 'clusterPrometheusPort' | 'clusterGrafanaPort';

/**
 * Each service of the stack: the host port it publishes (a config key), and the settings that
 * shape it, named in the fix when it does not start. Variable names come from the settings table.
 */
const SERVICES: Record<string, { title: string; port?: ClusterPortKey; shapedBy: Array<keyof Settings>; needs?: string; monitoringOnly?: boolean }> = {
  'jupyter-lab': { title: 'Jupyter Lab', port: 'clusterLabPort', shapedBy: ['labToken', 'clusterLabPort', 'statsbombData'] },
  kafka: { title: 'Kafka', port: 'clusterKafkaPort', shapedBy: ['clusterKafkaHeap', 'clusterKafkaPort'] },
  'spark-master': { title: 'Spark master UI', port: 'clusterSparkUiPort', shapedBy: ['clusterSparkUiPort'] },
  'spark-worker': { title: 'Spark worker', shapedBy: ['clusterWorkerCores', 'clusterWorkerMemory'] },
  'spark-worker-gpu': { title: 'Spark GPU worker', shapedBy: [], needs: 'the NVIDIA Container Toolkit and a visible GPU (`nvidia-smi` on the host)' },
  prometheus: { title: 'Prometheus', port: 'clusterPrometheusPort', shapedBy: ['clusterPrometheusPort'] },
  grafana: { title: 'Grafana', port: 'clusterGrafanaPort', shapedBy: ['clusterGrafanaPort'], monitoringOnly: true },
};

function variableOf(key: keyof Settings): string {
  return SETTINGS.find((setting) => setting.key === key)!.variable;
}

/** The settings that shape a service: where to look when it does not start. */
function serviceSettings(service: string): string | undefined {
  const known = SERVICES[service];
  if (!known) return undefined;
  return [...known.shapedBy.map(variableOf), ...(known.needs ? [known.needs] : [])].join(', ');
}

async function unhealthy(engine: ContainerEngine, state: ServiceState, why: string): Promise<PitchstreamError> {
  const settings = serviceSettings(state.service);
  return new PitchstreamError('CONTAINER_UNHEALTHY', `service ${state.service} (${state.container}) ${why}; its last log lines:\n${await lastLogLines(engine, state.container)}`, {
    fix:
      `Read the log lines above (more: \`npm run cluster -- logs ${state.service}\`)${settings ? `; what shapes ${state.service}: ${settings}` : ''}. ` +
      'The failed containers stay for inspection: `npm run cluster -- down` removes them, then `up` again.',
    details: { service: state.service, container: state.container },
  });
}

/**
 * Waits until every container of the stack runs and is healthy. podman runs health checks from
 * systemd timers, which hosts without systemd lack, so here lib runs them (`podman healthcheck run`).
 */
export async function waitHealthy(
  engine: ContainerEngine,
  options: { timeoutMs: number; expected: number; onProgress?: (line: string) => void; stillStarting?: () => boolean; signal?: AbortSignal },
): Promise<ServiceState[]> {
  const say = options.onProgress ?? (() => undefined);
  const started = Date.now();
  const reported = new Set<string>();
  for (;;) {
    if (options.signal?.aborted) return [];
    const states = await serviceStates(engine);
    for (const state of states) {
      if (state.status === 'exited' || state.status === 'dead') throw await unhealthy(engine, state, `exited (${state.status})`);
      if (engine.kind === 'podman' && state.status === 'running' && state.health !== 'healthy' && state.health !== '') {
        await runCommand('podman', ['healthcheck', 'run', state.container], engine.env, 30_000);
      }
      if (state.status === 'running' && (state.health === 'healthy' || state.health === '') && !reported.has(state.container)) {
        reported.add(state.container);
        say(`  ${state.container}: healthy after ${Math.round((Date.now() - started) / 1000)} s`);
      }
    }
    const ready = states.filter((s) => s.status === 'running' && (s.health === 'healthy' || s.health === ''));
    if (ready.length >= options.expected && ready.length === states.length && !options.stillStarting?.()) return states;
    if (Date.now() - started > options.timeoutMs) {
      const late = states.find((s) => !ready.includes(s));
      if (late) throw await unhealthy(engine, late, `is not healthy after ${Math.round(options.timeoutMs / 1000)} s (health: ${late.health || late.status})`);
      throw new PitchstreamError('CONTAINER_UNHEALTHY', `only ${states.length} of ${options.expected} containers of the stack exist after ${Math.round(options.timeoutMs / 1000)} s`);
    }
    await sleep(HEALTH_POLL_MS);
  }
}

function endpoints(config: Config, token: string, workers: number, tag: string, monitoring: boolean): ClusterEndpoints {
  return {
    labUrl: `http://127.0.0.1:${config.clusterLabPort}/lab/tree/notebooks?token=${token}`,
    labToken: token,
    sparkMasterUi: `http://127.0.0.1:${config.clusterSparkUiPort}`,
    prometheus: `http://127.0.0.1:${config.clusterPrometheusPort}`,
    ...(monitoring ? { grafana: `http://127.0.0.1:${config.clusterGrafanaPort}` } : {}),
    kafkaBootstrap: `127.0.0.1:${config.clusterKafkaPort}`,
    workers,
    imageTag: tag,
  };
}

/** Host ports the stack publishes, with the variable that moves each. */
function publishedPorts(config: Config, monitoring: boolean): Array<[number, string, string]> {
  return Object.entries(SERVICES)
    .filter(([, service]) => service.port !== undefined && (monitoring || !service.monitoringOnly))
    .map(([name, service]) => [config[service.port!], `${service.title} (${name})`, variableOf(service.port!)]);
}

/** Opens the engine for the length of body, and always closes it. */
export async function withEngine<T>(config: Config, body: (engine: ContainerEngine) => Promise<T>): Promise<T> {
  const engine = await openEngine(config);
  try {
    return await body(engine);
  } finally {
    await engine.close();
  }
}

export async function clusterUp(config: Config, options: ClusterOptions = {}): Promise<ClusterEndpoints> {
  const say = options.onProgress ?? (() => undefined);
  const workers = options.workers ?? config.clusterWorkers;
  const monitoring = options.monitoring ?? false;
  const profiles = monitoring ? ['monitoring'] : [];
  return withEngine(config, async (engine) => {
    say(`container engine: ${engine.kind} (compose: ${engine.compose.join(' ')})`);
    const running = (await serviceStates(engine)).filter((s) => s.status === 'running');
    if (running.length === 0) for (const [port, purpose, variable] of publishedPorts(config, monitoring)) await requireFreePort(port, purpose, variable);
    const tag = await buildImages(engine, config, { onProgress: say });
    const token = labToken(config);
    writeEnvFile(config, composeVariables(config, tag, await containerLimits(), token));
    say(`starting the stack with ${workers} Spark worker${workers === 1 ? '' : 's'} …`);
    const started = Date.now();
    // Ended early when a service fails while compose still waits for it.
    const stopCompose = new AbortController();
    const up = compose(engine, config, profiles, ['up', '-d', '--scale', `spark-worker=${workers}`], 600_000, stopCompose.signal);
    let composeDone = false;
    void up.finally(() => {
      composeDone = true;
    });
    const expected = 4 + workers + (monitoring ? 1 : 0);
    const timeoutMs = Math.max(config.startupTimeoutMs, MIN_HEALTH_TIMEOUT_MS);
    // compose waits for the services its others depend on; meanwhile this loop runs podman's
    // health checks and reports. A compose that fails ends the wait with its own message.
    const stopWaiting = new AbortController();
    const health = waitHealthy(engine, { timeoutMs, expected, onProgress: say, stillStarting: () => !composeDone, signal: stopWaiting.signal });
    let result: Awaited<typeof up> | undefined;
    try {
      result = await Promise.race([up, health.then(() => undefined)]);
    } catch (error) {
      // A service exited or stayed unhealthy: compose would wait for it until its own timeout.
      stopCompose.abort();
      await up;
      throw error;
    }
    if (result && result.exitCode !== 0) {
      stopWaiting.abort();
      await health.catch(() => undefined);
      const states = await serviceStates(engine);
      const bad = states.find((s) => s.status !== 'running' || s.health === 'unhealthy') ?? states.find((s) => s.health !== 'healthy');
      if (bad) throw await unhealthy(engine, bad, `failed to start (compose: ${tail(result.stderr, 5)})`);
      throw new PitchstreamError('CONTAINER_UNHEALTHY', `compose up failed:\n${tail(`${result.stdout}\n${result.stderr}`)}`);
    }
    const composeResult = await up;
    if (composeResult.exitCode !== 0) throw new PitchstreamError('CONTAINER_UNHEALTHY', `compose up failed:\n${tail(`${composeResult.stdout}\n${composeResult.stderr}`)}`);
    await health;
    say(`stack healthy in ${Math.round((Date.now() - started) / 1000)} s`);
    return endpoints(config, token, workers, tag, monitoring);
  });
}

export async function clusterStatus(config: Config): Promise<ServiceState[]> {
  return withEngine(config, async (engine) => {
    const states = await serviceStates(engine);
    // Fresh health for podman (no systemd timers): run each check once.
    if (engine.kind === 'podman')
      for (const state of states) if (state.status === 'running' && state.health) await runCommand('podman', ['healthcheck', 'run', state.container], engine.env, 30_000);
    return engine.kind === 'podman' ? serviceStates(engine) : states;
  });
}

export async function clusterLogs(config: Config, service: string, lines = 50): Promise<string> {
  return withEngine(config, async (engine) => {
    const states = (await serviceStates(engine)).filter((s) => s.service === service);
    if (states.length === 0) {
      const known = [...new Set((await serviceStates(engine)).map((s) => s.service))];
      throw new PitchstreamError('CONFIG_INVALID', `no container of service "${service}" in the stack${known.length ? ` (services: ${known.join(', ')})` : ' (the stack is down)'}`);
    }
    const parts: string[] = [];
    for (const state of states) parts.push(`== ${state.container} (${state.status}${state.health ? `, ${state.health}` : ''}) ==\n${await lastLogLines(engine, state.container, lines)}`);
    return parts.join('\n');
  });
}

export interface DownResult {
  removedContainers: string[];
  leftovers: string[];
}

/** What of the stack the engine still holds: containers, networks, volumes (all by project label). */
export async function stackResources(engine: ContainerEngine): Promise<string[]> {
  const list = async (args: string[]): Promise<string[]> =>
    (await runCommand(engine.cli, args, engine.env)).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  return [
    ...(await list(['ps', '-a', '--filter', PROJECT_LABEL, '--format', '{{.Names}}'])).map((n) => `container ${n}`),
    ...(await list(['network', 'ls', '--filter', PROJECT_LABEL, '--format', '{{.Name}}'])).map((n) => `network ${n}`),
    ...(await list(['volume', 'ls', '--filter', PROJECT_LABEL, '--format', '{{.Name}}'])).map((n) => `volume ${n}`),
  ];
}

/** Removes every container, network and volume of the stack (images stay, for the next up). */
export async function clusterDown(config: Config, options: { onProgress?: (line: string) => void } = {}): Promise<DownResult> {
  const say = options.onProgress ?? (() => undefined);
  return withEngine(config, async (engine) => {
    const before = (await serviceStates(engine)).map((s) => s.container);
    if (fs.existsSync(envFile(config))) {
      say('stopping the stack …');
      const down = await compose(engine, config, ['gpu', 'monitoring'], ['down', '--volumes', '--remove-orphans', '--timeout', '20']);
      if (down.exitCode !== 0) say(`compose down: ${tail(down.stderr, 5)}`);
    }
    // Whatever compose left (or a stack whose env file is gone): remove it by its project label.
    for (const resource of await stackResources(engine)) {
      const [kind, name] = resource.split(' ') as [string, string];
      say(`removing ${resource} …`);
      if (kind === 'container') await runCommand(engine.cli, ['rm', '-f', '-v', name], engine.env);
      else await runCommand(engine.cli, [kind, 'rm', name], engine.env);
    }
    return { removedContainers: before, leftovers: await stackResources(engine) };
  });
}

/** `cluster build`: the images only (with --gpu also spark-rapids). */
export async function clusterBuild(config: Config, options: { gpu?: boolean; onProgress?: (line: string) => void } = {}): Promise<string> {
  return withEngine(config, (engine) => buildImages(engine, config, options));
}
