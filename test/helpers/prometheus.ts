// Prometheus and promtool for the monitoring test: Debian's `prometheus` package (both binaries),
// installed here when the test runs as root. Its package would start a daemon on :9090; a
// policy-rc.d that refuses keeps apt from starting anything. apt runs asynchronously: a synchronous
// child of more than a minute blocks the test worker, whose reports to vitest then time out.
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import fs from 'node:fs';

const POLICY = '/usr/sbin/policy-rc.d';

export async function ensurePrometheus(log: (line: string) => void): Promise<void> {
  const works = (command: string) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
  if (works('prometheus') && works('promtool')) return;
  if (process.getuid?.() !== 0) throw new Error('the monitoring test needs Prometheus and promtool: apt-get install prometheus (as root)');
  log('installing prometheus (prometheus, promtool) with apt-get …');
  const hadPolicy = fs.existsSync(POLICY);
  if (!hadPolicy) fs.writeFileSync(POLICY, '#!/bin/sh\n# pitchstream test set-up: start no service while installing.\nexit 101\n', { mode: 0o755 });
  try {
    const options = { stdio: 'inherit', env: { DEBIAN_FRONTEND: 'noninteractive' } } as const;
    const install = ['install', '-y', '-q', '--no-install-recommends', 'prometheus'];
    if ((await execa('apt-get', install, { ...options, reject: false })).exitCode !== 0) {
      await execa('apt-get', ['update', '-q'], options);
      await execa('apt-get', install, options);
    }
  } finally {
    if (!hadPolicy) fs.rmSync(POLICY, { force: true });
  }
}
