// Prometheus and promtool for the monitoring test: Debian's `prometheus` package (both binaries),
// installed here when the test runs as root. Its package would start a daemon on :9090; a
// policy-rc.d that refuses keeps apt from starting anything.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

const POLICY = '/usr/sbin/policy-rc.d';

export function ensurePrometheus(log: (line: string) => void): void {
  const works = (command: string) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
  if (works('prometheus') && works('promtool')) return;
  if (process.getuid?.() !== 0) throw new Error('the monitoring test needs Prometheus and promtool: apt-get install prometheus (as root)');
  log('installing prometheus (prometheus, promtool) with apt-get …');
  const hadPolicy = fs.existsSync(POLICY);
  if (!hadPolicy) fs.writeFileSync(POLICY, '#!/bin/sh\n# pitchstream test set-up: start no service while installing.\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'prometheus'], { stdio: 'inherit', env }).status !== 0) {
      execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
      execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'prometheus'], { stdio: 'inherit', env });
    }
  } finally {
    if (!hadPolicy) fs.rmSync(POLICY, { force: true });
  }
}
