import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installPaths, projectRoot, versions } from '../../../lib/config';
import { isPitchstreamError } from '../../../lib/errors';
import { jobsPackageZip, listJobs, resolveJob } from '../../../lib/spark/job-files';

const root = projectRoot();
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-zip-'));
afterAll(() => fs.rmSync(cache, { recursive: true, force: true }));

describe('resolveJob', () => {
  it('finds a job by its file name under jobs/', () => {
    expect(resolveJob(root, 'smoke_kafka_to_arrow')).toEqual({
      name: 'smoke_kafka_to_arrow',
      entry: path.join(root, 'jobs', 'smoke_kafka_to_arrow.py'),
    });
  });

  it('fails with JOB_NOT_FOUND listing the available jobs', () => {
    let error: unknown;
    try {
      resolveJob(root, 'no_such_job');
    } catch (caught) {
      error = caught;
    }
    expect(isPitchstreamError(error, 'JOB_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('smoke_kafka_to_arrow');
    expect(listJobs(root)).toContain('smoke_kafka_to_arrow');
  });

  it('accepts a script outside jobs/, named after its file', () => {
    expect(resolveJob(root, { file: 'test/fixtures/jobs/fail_on_purpose.py' }).name).toBe('fail_on_purpose');
  });
});

describe('jobsPackageZip', () => {
  it('zips pitchstream_jobs so that Python can import it, and reuses the zip while nothing changes', () => {
    const python = installPaths(path.join(root, '.pitchstream'), versions()).python;
    const zip = jobsPackageZip(root, cache, python);
    expect(jobsPackageZip(root, cache, python)).toBe(zip);
    const imported = execFileSync(python, ['-c', 'import sys; sys.path.insert(0, sys.argv[1]); import pitchstream_jobs; print(pitchstream_jobs.__file__)', zip], {
      encoding: 'utf8',
    });
    expect(imported.trim()).toBe(path.join(zip, 'pitchstream_jobs', '__init__.py'));
  });
});
