// `npm run bench:containers`: what the compose stack costs on this machine: a cold build of its
// images, their size on disk (layers shared between images counted once), the time from a warm
// `up` (images present) to every service healthy, and the stats job's sustained rate on the
// 2-worker cluster against local[2]. Both rates come from the same bench:stream ladder (its throughput
// part): once inside jupyter-lab against the stack's Spark master and Kafka, once on the host.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config';
import { buildImages, clusterDown, clusterUp, withEngine } from './cluster';
import { readLabFile, runInLab, runStreamed } from './lab-exec';
import { CONTAINER_ROOT } from './build-context';
import { runCommand, type ContainerEngine } from './engine';
import { GPU_IMAGE, IMAGE_PREFIX, STACK_IMAGES } from './images';

/** One rate ladder as bench:stream reports it (the fields this benchmark reads). */
interface StreamLadderReport {
  spark_master: string;
  max_sustainable_events_per_s: number;
  limit_reached: boolean;
  steps: Array<{ offered_events_per_s: number; process_events_per_s: number; batch_duration_p95_ms: number | null; sustained: boolean }>;
  load_average: { start: number[]; end: number[] };
  method: string;
}

/** The rate ladder both sides climb (bench:stream's throughput part, given through its BENCH_* variables). */
export interface LadderOptions {
  /** Offered rates, events/s, in climbing order. */
  rates: readonly number[];
  /** Seconds measured per rate. */
  stepS: number;
  /** Seconds of warm-up before each measurement. */
  warmUpS: number;
}

/** It starts low: the cluster on one 2-core machine sustained less than 512 events/s, where local[2] climbs past 8,192. */
export const DEFAULT_LADDER: LadderOptions = {
  rates: [128, 256, 512, 1024, 2048, 3072, 4096, 6144, 8192, 12288, 16384, 24576, 32768],
  stepS: 60,
  warmUpS: 30,
};

function ladderVariables(ladder: LadderOptions): Record<string, string> {
  return {
    BENCH_RATES: ladder.rates.join(','),
    BENCH_STEP_S: String(ladder.stepS),
    BENCH_WARM_UP_S: String(ladder.warmUpS),
    // Throughput only: latency is bench:stream's own figure.
    BENCH_LATENCY_TRIGGERS_MS: '',
  };
}

export interface ContainersBenchmark {
  cold_build_s: number;
  images_total_mb: number;
  images_mb: Record<string, number>;
  warm_up_healthy_s: number;
  /** Sustained rate on the 2-worker compose cluster over local[2]; null when local[2] sustained no rate. */
  cluster_vs_local_rate_ratio: number | null;
  cluster_sustained_events_per_s: number;
  local_sustained_events_per_s: number;
  cluster_stream: StreamLadderReport;
  local_stream: StreamLadderReport;
  note: string;
  engine: string;
  machine: { cores: number; memory_gib: number; load_average_1m_at_end: number };
  method: string;
}

const UNITS: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };

/** Bytes of a size as engines print it ("4.1 kB", "813 MB", "0 B"). */
export function parseSize(text: string): number {
  const match = /^([\d.]+)\s*([kKMG]?B)$/.exec(text.trim());
  if (!match) throw new Error(`unreadable size "${text}"`);
  return Number(match[1]) * UNITS[match[2]!]!;
}

/**
 * Megabytes of the images on disk, each layer once: layers are told apart by when and by which
 * instruction they were created (image history rows of a shared layer are identical in both images).
 */
export async function imagesSize(engine: ContainerEngine, images: readonly string[]): Promise<{ total: number; each: Record<string, number> }> {
  const layers = new Map<string, number>();
  const each: Record<string, number> = {};
  for (const image of images) {
    const history = await runCommand(engine.cli, ['history', '--no-trunc', '--format', '{{.CreatedAt}}\t{{.Size}}\t{{.CreatedBy}}', image], engine.env);
    let size = 0;
    for (const row of history.stdout.split('\n').filter(Boolean)) {
      const [created = '', bytes = '0 B', by = ''] = row.split('\t');
      const value = parseSize(bytes);
      size += value;
      layers.set(`${created}\t${by}`, value);
    }
    each[image] = Math.round(size / 1e6);
  }
  return { total: Math.round([...layers.values()].reduce((a, b) => a + b, 0) / 1e6), each };
}

async function removeStackImages(engine: ContainerEngine): Promise<void> {
  const listed = await runCommand(engine.cli, ['images', '--format', '{{.Repository}}:{{.Tag}}'], engine.env);
  const ours = new Set([...STACK_IMAGES, GPU_IMAGE].map((t) => `${IMAGE_PREFIX}${t}:`));
  const images = listed.stdout.split('\n').filter((name) => [...ours].some((prefix) => name.startsWith(prefix)));
  if (images.length) await runCommand(engine.cli, ['rmi', '-f', ...images], engine.env, 300_000);
  await runCommand(engine.cli, ['image', 'prune', '-f'], engine.env, 300_000);
}

/** The ladder inside jupyter-lab: the driver there, executors on the workers, the stack's Kafka. */
async function clusterLadder(config: Config, ladder: LadderOptions, say: (line: string) => void): Promise<StreamLadderReport> {
  const report = `${CONTAINER_ROOT}/data/outputs/bench-stream-cluster.json`;
  await runInLab(config, ['node', 'dist/bin/bench-stream.js'], { ...ladderVariables(ladder), BENCH_REPORT: report }, say, 'cluster');
  return JSON.parse(await readLabFile(config, report)) as StreamLadderReport;
}

/** The same ladder on the host with local[2]: driver and executor threads in one JVM, the embedded Kafka. */
async function localLadder(config: Config, ladder: LadderOptions, say: (line: string) => void): Promise<StreamLadderReport> {
  const report = path.join(config.root, 'reports', 'bench-stream-local2.json');
  const env: NodeJS.ProcessEnv = { ...process.env, ...ladderVariables(ladder), BENCH_REPORT: report, SPARK_MASTER: 'local[2]' };
  delete env.KAFKA_BOOTSTRAP;
  await runStreamed(process.execPath, [path.join(config.root, 'dist', 'bin', 'bench-stream.js')], env, say, 'local[2]');
  return JSON.parse(fs.readFileSync(report, 'utf8')) as StreamLadderReport;
}

export async function benchContainers(config: Config, say: (line: string) => void, ladder: LadderOptions = DEFAULT_LADDER): Promise<ContainersBenchmark> {
  await clusterDown(config, { onProgress: say });
  const build = await withEngine(config, async (engine) => {
    say('removing the stack images for a cold build (the base image stays) …');
    await removeStackImages(engine);
    const started = Date.now();
    const tag = await buildImages(engine, config, { onProgress: say });
    const seconds = (Date.now() - started) / 1000;
    const size = await imagesSize(engine, STACK_IMAGES.map((t) => `${IMAGE_PREFIX}${t}:${tag}`));
    return { seconds, size, engine: `${engine.kind} (${engine.compose.join(' ')})` };
  });
  const started = Date.now();
  await clusterUp(config, { workers: 2, onProgress: say });
  const warm = (Date.now() - started) / 1000;
  let cluster: StreamLadderReport;
  try {
    say(`the stats job's rate ladder on the 2-worker cluster (${config.clusterWorkerCores} core, ${config.clusterWorkerMemory} each), inside jupyter-lab …`);
    cluster = await clusterLadder(config, ladder, say);
  } finally {
    await clusterDown(config, { onProgress: say });
  }
  say('the same ladder on the host with local[2] (the stack is down) …');
  const local = await localLadder(config, ladder, say);
  const ratio = local.max_sustainable_events_per_s > 0 ? Math.round((cluster.max_sustainable_events_per_s / local.max_sustainable_events_per_s) * 1000) / 1000 : null;
  return {
    cold_build_s: Math.round(build.seconds),
    images_total_mb: build.size.total,
    images_mb: build.size.each,
    warm_up_healthy_s: Math.round(warm * 10) / 10,
    cluster_vs_local_rate_ratio: ratio,
    cluster_sustained_events_per_s: cluster.max_sustainable_events_per_s,
    local_sustained_events_per_s: local.max_sustainable_events_per_s,
    cluster_stream: cluster,
    local_stream: local,
    note:
      'On one 2-core machine the cluster is not expected to win: it runs the master, two worker daemons, two executor JVMs, the driver (in jupyter-lab) and Kafka on the same two cores, and every batch crosses the container network (shuffle between executors, results to the driver), where local[2] runs driver and executor threads in one JVM. The ladders climb in steps: the true limits lie between the last sustained rate and the next.',
    engine: build.engine,
    machine: { cores: os.cpus().length, memory_gib: Math.round(os.totalmem() / 2 ** 30), load_average_1m_at_end: Math.round(os.loadavg()[0]! * 100) / 100 },
    method:
      'cold build: every pitchstream image removed (the base image kept), then `cluster build` of kafka, spark, jupyter-lab and prometheus; size: the layers of those four images, each once; warm up: `cluster up --workers 2` with the images present, from the call until every service is healthy (engine, compose and health checks included); ' +
      `rates: bench:stream's throughput ladder (rates ${ladder.rates.join(',')} events/s, ${ladder.warmUpS} s warm-up + ${ladder.stepS} s measured per step), first inside jupyter-lab against spark://spark-master:7077 and the stack's Kafka, then, with the stack down, on the host with local[2] and the embedded Kafka; ratio = cluster's highest sustained rate / local[2]'s.`,
  };
}
