// The Spark image's entry point in a Kubernetes pod: Spark on Kubernetes starts the driver and
// executor containers with `driver …` / `executor` and SPARK_* variables. Run here with stand-ins
// for spark-submit and java that print what they were given.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../lib/config';

const entrypoint = path.join(projectRoot(), 'containers', 'entrypoints', 'spark.sh');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-entrypoint-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sparkHome = path.join(dir, 'spark');
fs.mkdirSync(path.join(sparkHome, 'bin'), { recursive: true });
const printArgs = '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n';
fs.writeFileSync(path.join(sparkHome, 'bin', 'spark-submit'), `#!/bin/sh\necho spark-submit\n${printArgs.split('\n').slice(1).join('\n')}`, { mode: 0o755 });
fs.mkdirSync(path.join(dir, 'bin'));
fs.writeFileSync(path.join(dir, 'bin', 'java'), `#!/bin/sh\necho java\n${printArgs.split('\n').slice(1).join('\n')}`, { mode: 0o755 });

function run(args: string[], env: Record<string, string>) {
  const result = spawnSync('sh', [entrypoint, ...args], { encoding: 'utf8', env: { PATH: `${dir}/bin:/usr/bin:/bin`, SPARK_HOME: sparkHome, ...env } });
  return { status: result.status, lines: result.stdout.trim().split('\n'), stderr: result.stderr };
}

describe('containers/entrypoints/spark.sh in a Kubernetes pod', () => {
  it('driver: spark-submit in client mode on the pod address, with the arguments Spark gave', () => {
    const result = run(['driver', '--properties-file', '/opt/spark/conf/spark.properties', '--class', 'org.apache.spark.deploy.PythonRunner', 'local:///opt/pitchstream/jobs/stream_lwp.py', '--bootstrap', 'k:9092'], {
      SPARK_DRIVER_BIND_ADDRESS: '10.1.2.3',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.lines).toEqual([
      'spark-submit',
      '--conf',
      'spark.driver.bindAddress=10.1.2.3',
      '--deploy-mode',
      'client',
      '--properties-file',
      '/opt/spark/conf/spark.properties',
      '--class',
      'org.apache.spark.deploy.PythonRunner',
      'local:///opt/pitchstream/jobs/stream_lwp.py',
      '--bootstrap',
      'k:9092',
    ]);
  });

  it("executor: Spark's executor backend with the heap, the Java options in order, and the pod's identity", () => {
    const result = run(['executor'], {
      SPARK_EXECUTOR_MEMORY: '1024m',
      SPARK_JAVA_OPT_0: '-Dspark.driver.port=7078',
      SPARK_JAVA_OPT_10: '-Dspark.tenth=x y',
      SPARK_JAVA_OPT_2: '-Dspark.second=2',
      SPARK_DRIVER_URL: 'spark://CoarseGrainedScheduler@driver-svc:7078',
      SPARK_EXECUTOR_ID: '3',
      SPARK_EXECUTOR_CORES: '2',
      SPARK_APPLICATION_ID: 'spark-abc',
      SPARK_EXECUTOR_POD_IP: '10.1.2.4',
      SPARK_RESOURCE_PROFILE_ID: '0',
      SPARK_EXECUTOR_POD_NAME: 'pitchstream-lwp-exec-3',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.lines).toEqual([
      'java',
      '-Xms1024m',
      '-Xmx1024m',
      '-Dspark.driver.port=7078',
      '-Dspark.second=2',
      '-Dspark.tenth=x y',
      '-cp',
      `${sparkHome}/jars/*`,
      'org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend',
      '--driver-url',
      'spark://CoarseGrainedScheduler@driver-svc:7078',
      '--executor-id',
      '3',
      '--cores',
      '2',
      '--app-id',
      'spark-abc',
      '--hostname',
      '10.1.2.4',
      '--resourceProfileId',
      '0',
      '--podName',
      'pitchstream-lwp-exec-3',
    ]);
  });

  it('driver without the variables Spark sets: stops and names it', () => {
    const result = run(['driver', 'x.py'], {});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/SPARK_DRIVER_BIND_ADDRESS: set by Spark on Kubernetes/);
  });
});
