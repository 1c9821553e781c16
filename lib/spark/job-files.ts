// The Python side of a job on disk: entry scripts under jobs/, and the shared package as a zip.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PitchstreamError } from '../errors';
import { installPaths, requireInstalled, versions } from '../config';

/** A job by name (jobs/<name>.py) or by file (fixtures, scripts outside jobs/). */
export type JobRef = string | { file: string };

export interface ResolvedJob {
  name: string;
  entry: string;
}

const PACKAGE = 'pitchstream_jobs';
const JOB_NAME = /^[a-z][a-z0-9_]*$/;

export function jobsDir(root: string): string {
  return path.join(root, 'jobs');
}

/** Names of the runnable jobs: jobs/*.py, without private (_*) files. */
export function listJobs(root: string): string[] {
  const dir = jobsDir(root);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.py') && !file.startsWith('_'))
    .map((file) => file.slice(0, -'.py'.length))
    .sort();
}

/** The entry script of a job; JOB_NOT_FOUND lists the jobs there are. */
export function resolveJob(root: string, job: JobRef): ResolvedJob {
  if (typeof job !== 'string') {
    const entry = path.resolve(root, job.file);
    if (!fs.existsSync(entry) || !entry.endsWith('.py'))
      throw new PitchstreamError('JOB_NOT_FOUND', `job file ${entry} does not exist or is not a .py file`, {
        fix: 'Pass the path of an existing Python entry script.',
        details: { file: entry },
      });
    return { name: path.basename(entry, '.py'), entry };
  }
  const available = listJobs(root);
  if (!JOB_NAME.test(job) || !available.includes(job))
    throw new PitchstreamError('JOB_NOT_FOUND', `no job named "${job}" in jobs/ (available: ${available.join(', ') || 'none'})`, {
      fix: `Use one of: ${available.join(', ')}.`,
      details: { job, available },
    });
  return { name: job, entry: path.join(jobsDir(root), `${job}.py`) };
}

/** The package's .py files, relative to jobs/, in a stable order (for the content hash). */
function packageFiles(dir: string, prefix: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((item): string[] => {
      if (item.isDirectory()) return item.name === '__pycache__' ? [] : packageFiles(path.join(dir, item.name), `${prefix}${item.name}/`);
      return item.name.endsWith('.py') ? [`${prefix}${item.name}`] : [];
    });
}

// Python's own zipfile writes the archive: the format is the one its importer reads.
const ZIP_SCRIPT = 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n    for name in sys.argv[3:]: z.write(sys.argv[2] + "/" + name, name)';

/**
 * The shared package jobs/pitchstream_jobs as a zip for --py-files, cached under
 * <cacheDir>/pitchstream_jobs-<content hash>.zip (rebuilt only when a .py file changes).
 */
export function jobsPackageZip(root: string, cacheDir: string, python: string): string {
  const source = path.join(jobsDir(root), PACKAGE);
  if (!fs.existsSync(path.join(source, '__init__.py')))
    throw new PitchstreamError('SETUP_MISSING', `the job package ${source} is missing (no __init__.py)`, {
      fix: 'Restore jobs/pitchstream_jobs from git.',
      details: { file: source },
    });
  const names = packageFiles(source, `${PACKAGE}/`);
  const hash = crypto.createHash('sha256');
  for (const name of names) hash.update(name).update('\0').update(fs.readFileSync(path.join(jobsDir(root), name))).update('\0');
  const zip = path.join(cacheDir, `${PACKAGE}-${hash.digest('hex').slice(0, 16)}.zip`);
  if (fs.existsSync(zip)) return zip;
  fs.mkdirSync(cacheDir, { recursive: true });
  const temporary = `${zip}.tmp-${process.pid}`;
  // stdio piped: by default execFileSync copies the child's stderr, even an empty one, to ours, and
  // a notebook shows that as an (empty) error box; a failure carries it in its message instead.
  execFileSync(python, ['-c', ZIP_SCRIPT, temporary, jobsDir(root), ...names], { stdio: ['ignore', 'pipe', 'pipe'] });
  fs.renameSync(temporary, zip);
  return zip;
}

/** The Kafka connector jars of the set-up (what Spark does not ship), sorted: every job gets them. */
export function kafkaConnectorJars(home: string): string[] {
  const dir = installPaths(home, versions()).sparkKafkaJars;
  requireInstalled(dir, `Spark ${versions().spark} Kafka connector jars`);
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.jar'))
    .sort()
    .map((file) => path.join(dir, file));
}
