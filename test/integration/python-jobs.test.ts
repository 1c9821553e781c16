// The PySpark jobs' own unit tests (test/python, unittest; some start a local Spark session), run by
// vitest so that `npm test` covers both languages. Run asynchronously: a synchronous child of more
// than a minute blocks the test worker, whose reports to vitest then time out.
import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installPaths, loadConfig, projectRoot, versions } from '../../lib/config';

describe('test/python (unittest)', () => {
  it('passes every test of the jobs package', async () => {
    const root = projectRoot();
    const python = installPaths(loadConfig().home, versions()).python;
    const run = await execa(python, ['-m', 'unittest', 'discover', '-s', path.join('test', 'python')], {
      cwd: root,
      env: { PYTHONPATH: path.join(root, 'jobs'), PYTHONWARNINGS: 'ignore::ResourceWarning' },
      reject: false,
      stripFinalNewline: false,
      timeout: 600_000,
    });
    // unittest writes its report to stderr: the last lines hold the failures and the summary.
    const report = `${run.stdout}${run.stderr}`
      .split('\n')
      .filter((line) => !/ WARN |log4j|setLogLevel/.test(line))
      .slice(-80)
      .join('\n');
    expect(run.exitCode, report).toBe(0);
    const ran = /Ran (\d+) tests?/.exec(run.stderr);
    expect(Number(ran?.[1] ?? 0), report).toBeGreaterThanOrEqual(50);
    expect(run.stderr).toMatch(/\nOK/);
  }, 660_000);
});
