// The PySpark jobs' own unit tests (test/python, unittest; some start a local Spark session), run by
// vitest so that `npm test` covers both languages.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installPaths, loadConfig, projectRoot, versions } from '../../lib/config';

describe('test/python (unittest)', () => {
  it('passes every test of the jobs package', () => {
    const root = projectRoot();
    const python = installPaths(loadConfig().home, versions()).python;
    const run = spawnSync(python, ['-m', 'unittest', 'discover', '-s', path.join('test', 'python')], {
      cwd: root,
      env: { ...process.env, PYTHONPATH: path.join(root, 'jobs'), PYTHONWARNINGS: 'ignore::ResourceWarning' },
      encoding: 'utf8',
      timeout: 600_000,
    });
    // unittest writes its report to stderr: the last lines hold the failures and the summary.
    const report = `${run.stdout}${run.stderr}`
      .split('\n')
      .filter((line) => !/ WARN |log4j|setLogLevel/.test(line))
      .slice(-80)
      .join('\n');
    expect(run.status, report).toBe(0);
    const ran = /Ran (\d+) tests?/.exec(run.stderr);
    expect(Number(ran?.[1] ?? 0), report).toBeGreaterThanOrEqual(50);
    expect(run.stderr).toMatch(/\nOK/);
  }, 660_000);
});
