// What the container test needs on this machine kind: podman, docker-compose and mmdebstrap (from
// Debian, installed here when the test runs as root), and a local base image, because no image
// registry is reachable: `mmdebstrap --variant=minbase trixie` imported into podman (~30 s, once).
// The long steps run asynchronously: a synchronous child of more than a minute blocks the test
// worker, whose reports to vitest then time out.
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../lib/config';

export const LOCAL_BASE_IMAGE = 'localhost/pitchstream-base:trixie';
const TOOLS: Array<[command: string, args: string[], debianPackage: string]> = [
  ['podman', ['--version'], 'podman'],
  ['docker-compose', ['version'], 'docker-compose'],
  ['mmdebstrap', ['--version'], 'mmdebstrap'],
  ['runc', ['--version'], 'runc'],
];

function works(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

export async function ensureContainerTools(log: (line: string) => void): Promise<void> {
  const missing = TOOLS.filter(([command, args]) => !works(command, args)).map(([, , pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`the container test needs ${missing.join(', ')}: apt-get install ${missing.join(' ')} (as root)`);
  log(`installing ${missing.join(', ')} with apt-get …`);
  await execa('apt-get', ['install', '-y', '-q', ...missing], { stdio: 'inherit', env: { DEBIAN_FRONTEND: 'noninteractive' } });
}

/**
 * The configuration of the container test: this host's podman needs runc and cgroupfs (crun fails on
 * its hybrid cgroups, and there is no systemd), TLS to the registries goes through the host's CA
 * bundle, and the images build on the local base image. Variables set by the caller win.
 */
export function containerTestConfig(): Config {
  const env = process.env;
  const caBundle = '/etc/ssl/certs/ca-certificates.crt';
  return loadConfig({
    baseImage: env.PITCHSTREAM_BASE_IMAGE ?? LOCAL_BASE_IMAGE,
    podmanRuntime: env.PITCHSTREAM_PODMAN_RUNTIME ?? 'runc',
    podmanCgroupManager: env.PITCHSTREAM_PODMAN_CGROUP_MANAGER ?? 'cgroupfs',
    buildCaCerts: env.PITCHSTREAM_BUILD_CA_CERTS ?? (fs.existsSync(caBundle) ? caBundle : undefined),
    statsbombData: path.resolve('..', 'shared', 'statsbomb', 'data'),
  });
}

/** Imports the local base image unless podman has it (CONTAINERS_CONF: the stack's podman settings). */
export async function ensureLocalBaseImage(config: Config, log: (line: string) => void): Promise<void> {
  if (config.baseImage !== LOCAL_BASE_IMAGE) return;
  const env = { ...process.env, CONTAINERS_CONF: path.join(config.home, 'containers', 'containers.conf') };
  if (!fs.existsSync(env.CONTAINERS_CONF)) delete (env as Record<string, string | undefined>).CONTAINERS_CONF;
  if (spawnSync('podman', ['image', 'exists', LOCAL_BASE_IMAGE], { env }).status === 0) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-base-'));
  try {
    log(`making ${LOCAL_BASE_IMAGE} with mmdebstrap (Debian trixie, minbase) …`);
    const tar = path.join(dir, 'trixie.tar');
    await execa('mmdebstrap', ['--variant=minbase', 'trixie', tar, 'http://deb.debian.org/debian'], { stdio: 'inherit' });
    await execa('podman', ['import', tar, LOCAL_BASE_IMAGE], { stdio: 'inherit', env, extendEnv: false });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
