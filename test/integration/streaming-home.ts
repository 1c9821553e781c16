// A private PITCHSTREAM_HOME for the streaming tests: the set-up's venv and jars are linked in, while the
// pid files, logs and broker data are the test's own, so a suite that brings the shared stack down
// (or starts its own broker) meanwhile cannot stop or reuse this test's broker.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../lib/config';

export function isolatedHome(): { home: string; remove: () => void } {
  const shared = loadConfig().home;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-home-'));
  for (const entry of ['venv', 'jars']) fs.symlinkSync(path.join(shared, entry), path.join(home, entry));
  return { home, remove: () => fs.rmSync(home, { recursive: true, force: true }) };
}
