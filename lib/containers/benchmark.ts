// `npm run bench:containers`: what the compose stack costs on this machine: a cold build of its
// images, their size on disk (layers shared between images counted once), and the time from a warm
// `up` (images present) to every service healthy.
import os from 'node:os';
import type { Config } from '../config';
import { buildImages, clusterDown, clusterUp, withEngine } from './cluster';
import { runCommand, type ContainerEngine } from './engine';
import { GPU_IMAGE, IMAGE_PREFIX, STACK_IMAGES } from './images';

export interface ContainersBenchmark {
  cold_build_s: number;
  images_total_mb: number;
  images_mb: Record<string, number>;
  warm_up_healthy_s: number;
  /** Not measured yet (see note): null, never a guess. */
  cluster_vs_local_rate_ratio: number | null;
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

export async function benchContainers(config: Config, say: (line: string) => void): Promise<ContainersBenchmark> {
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
  await clusterDown(config, { onProgress: say });
  return {
    cold_build_s: Math.round(build.seconds),
    images_total_mb: build.size.total,
    images_mb: build.size.each,
    warm_up_healthy_s: Math.round(warm * 10) / 10,
    cluster_vs_local_rate_ratio: null,
    note: 'cluster_vs_local_rate_ratio is not measured yet: the stats job at a sustained rate on the 2-worker compose cluster against local[2] needs the bench:stream ladder run inside jupyter-lab, which this benchmark does not do yet.',
    engine: build.engine,
    machine: { cores: os.cpus().length, memory_gib: Math.round(os.totalmem() / 2 ** 30), load_average_1m_at_end: Math.round(os.loadavg()[0]! * 100) / 100 },
    method:
      'cold build: every pitchstream image removed (the base image kept), then `cluster build` of kafka, spark, jupyter-lab and prometheus; size: the layers of those four images, each once; warm up: `cluster up --workers 2` with the images present, from the call until every service is healthy (engine, compose and health checks included).',
  };
}
