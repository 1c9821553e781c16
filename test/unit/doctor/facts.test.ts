// Gathering the doctor's facts from this machine, and the gate submitJob runs before a launch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installPaths, loadConfig, versions } from '../../../lib/config';
import {
  gatherDoctorFacts,
  parseMasterUiVersion,
  readInstalledPackages,
  readPysparkMinimums,
  runDoctorBeforeSubmit,
  workerGpus,
} from '../../../lib/doctor';
import { isPitchstreamError, type PitchstreamError } from '../../../lib/errors';

const config = loadConfig({ sparkMaster: 'local[2]', mode: 'cpu' });
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-doctor-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('fact readers', () => {
  it("reads the minimums pyspark itself declares from the venv's pyspark/sql/pandas/utils.py", () => {
    const minimums = readPysparkMinimums(installPaths(config.home, versions()).sparkHome);
    // pyspark 4.1.1 (versions.json) asks for pandas ≥ 2.2.0 and pyarrow ≥ 15.0.0.
    expect(minimums).toMatchObject({ pandas: '2.2.0', pyarrow: '15.0.0' });
  });

  it('reads installed package versions from dist-info folder names', () => {
    for (const dir of ['pandas-2.0.3.dist-info', 'pyspark-3.3.1.dist-info', 'py4j-0.10.9.5.dist-info']) fs.mkdirSync(path.join(scratch, dir));
    expect(readInstalledPackages(scratch, ['pyspark', 'pandas', 'pyarrow'])).toEqual({ pyspark: '3.3.1', pandas: '2.0.3', pyarrow: undefined });
  });

  it("reads the Spark version from a standalone master's UI header (its /json/ has none)", () => {
    const header = '<a style="text-decoration: none" href="/">\n<img src="/static/spark-logo-77x50px-hd.png"/>\n<span class="version" style="margin-right: 15px;">4.0.0</span>\n</a>';
    expect(parseMasterUiVersion(header)).toBe('4.0.0');
    expect(parseMasterUiVersion('<html>no header</html>')).toBeUndefined();
  });

  it("counts a worker's GPUs in both shapes of the master's resources field", () => {
    expect(workerGpus({ gpu: { name: 'gpu', addresses: ['0', '1'] } })).toBe(2);
    expect(workerGpus([{ name: 'gpu', addresses: ['0'] }])).toBe(1);
    expect(workerGpus([])).toBe(0);
    expect(workerGpus(undefined)).toBe(0);
  });
});

describe('gatherDoctorFacts', () => {
  it('gathers the venv, jars and effective conf of this checkout without probing the stack', async () => {
    const facts = await gatherDoctorFacts({ config, probeStack: false, conf: { 'spark.sql.shuffle.partitions': '2' } });
    expect(facts.python.pyspark).toBe(versions().python.pyspark);
    expect(facts.conf['spark.sql.shuffle.partitions']).toBe('2');
    expect(facts.profile['spark.sql.shuffle.partitions']).toBe('4');
    expect(facts.overrides).toEqual([{ key: 'spark.sql.shuffle.partitions', value: '2', source: 'options.conf' }]);
    expect(facts.cluster).toMatchObject({ kind: 'local', onThisHost: true });
    expect(facts.gpu.nvidiaSmi).toBe('not-checked');
    expect(facts.kafka.reachable).toBeUndefined();
    expect(facts.host.memoryBytes).toBe(os.totalmem());
  });
});

describe('runDoctorBeforeSubmit', () => {
  it('lets a valid cpu run through with its report', async () => {
    const report = await runDoctorBeforeSubmit({ config });
    expect(report.ok).toBe(true);
    expect(report.failures).toEqual([]);
  });

  it('stops a run whose code forces RAPIDS onto the cpu profile with DOCTOR_FAILED naming check, keys and fix', async () => {
    const error = await runDoctorBeforeSubmit({ config, conf: { 'spark.rapids.sql.enabled': 'true' } }).then(
      () => undefined,
      (e: unknown) => e as PitchstreamError,
    );
    expect(isPitchstreamError(error, 'DOCTOR_FAILED')).toBe(true);
    expect(error!.message).toContain('conf.overrides: options.conf sets spark.rapids.sql.enabled=true');
    expect(error!.fix).toContain('PITCHSTREAM_MODE');
  });
});
