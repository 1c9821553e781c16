// The doctor's checks on the original system's documented broken configurations (seeds 000/001),
// and on pitchstream's own cpu and gpu profiles, which must pass.
import { describe, expect, it } from 'vitest';
import { CHECKS, runChecks, type CheckResult, type DoctorFacts } from '../../../lib/doctor';
import { effectiveSparkConf } from '../../../lib/spark/spark-conf';
import { fixtureFacts, healthyFacts, root, variables } from './fixture-facts';

function check(facts: DoctorFacts, id: string): CheckResult {
  const found = runChecks(facts).find((r) => r.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

function problems(facts: DoctorFacts): CheckResult[] {
  return runChecks(facts).filter((r) => r.status === 'fail' || r.status === 'warn');
}

describe('the doctor on the original system’s broken configurations', () => {
  it('diagnoses task GPU amount 1.0 with 4 executor cores as starving cores (seed 001 #9, 000 attempt 2)', () => {
    const r = check(fixtureFacts('gpu-task-amount-starves.conf'), 'gpu.task-arithmetic');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('spark.task.resource.gpu.amount 1');
    expect(r.message).toContain('spark.executor.cores 4');
    expect(r.message).toMatch(/limits each executor to 1 running task\(s\), 3 core\(s\) starve/);
    expect(r.fix).toContain('spark.task.resource.gpu.amount 0.25');
  });

  it('diagnoses task GPU amount 0.25 without spark.cores.max as two executors on one GPU (seed 000 attempt 1)', () => {
    const facts = fixtureFacts('gpu-task-amount-multiple-executors.conf');
    expect(check(facts, 'gpu.task-arithmetic').status).toBe('ok');
    const r = check(facts, 'resources.executor-count');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('spark.cores.max is unset');
    expect(r.message).toContain('= 2 executor(s)');
    expect(r.message).toContain('offer 1 GPU(s)');
    expect(r.fix).toContain('spark.cores.max 4');
  });

  it('diagnoses 2 × 12 GB executors and a 6 GB driver on a 16 GB host (seed 001 #3)', () => {
    const facts = fixtureFacts('memory-oversubscribed.conf');
    const r = check(facts, 'memory.host');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('2 executor(s) × (spark.executor.memory 12g');
    expect(r.message).toContain('spark.driver.memory 6g');
    expect(r.message).toContain('host memory 16.0 GiB');
    expect(check(facts, 'resources.executor-count')).toMatchObject({ status: 'ok', message: expect.stringContaining('= 2 executor(s)') });
  });

  it('diagnoses a worker without GPU resources (seed 001 #4)', () => {
    const r = check(fixtureFacts('worker-without-gpu.conf'), 'gpu.worker-resources');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('spark.worker.resource.gpu.amount is unset');
    expect(r.message).toContain('spark.worker.resource.gpu.discoveryScript is unset');
    expect(r.fix).toContain('spark.worker.resource.gpu.amount 1');
  });

  it('diagnoses pandas 2 with PySpark 3.3 (seed 001 #2), although pyspark 3.3 declared only pandas ≥ 1.0.5', () => {
    const r = check(fixtureFacts('pandas2-pyspark33.conf'), 'python.pandas-pyarrow');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('pandas 2.0.3 with pyspark 3.3.1');
    expect(r.message).toContain('iteritems');
  });

  it('diagnoses code that overrides the shared profile with RAPIDS settings (seed 001 #6, #8)', () => {
    const facts = fixtureFacts('notebook-overrides-gpu.conf');
    const r = check(facts, 'conf.overrides');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('options.conf sets spark.rapids.sql.enabled=true');
    expect(r.message).toContain('options.conf sets spark.plugins=com.nvidia.spark.SQLPlugin');
    expect(r.message).toContain('contradicting the cpu profile');
    expect(r.fix).toContain('PITCHSTREAM_MODE');
    expect(check(facts, 'conf.profile-keys').status).toBe('fail');
  });

  it('diagnoses executors dying because the pinned pool does not fit the memory overhead (seed 000, 001 #5)', () => {
    const r = check(fixtureFacts('executors-dying-overhead.conf'), 'memory.overhead');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('spark.rapids.memory.pinnedPool.size 2G');
    expect(r.message).toContain('spark.executor.memoryOverhead unset');
    expect(r.message).toContain('819 MiB');
    expect(r.fix).toContain('spark.executor.memoryOverhead to at least 2432m');
  });

  it('diagnoses a "cpu" run switched by commenting lines, which still asks for GPUs (seed 000 sed switch)', () => {
    const r = check(fixtureFacts('cpu-by-commenting.conf'), 'conf.profile-keys');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('spark.executor.resource.gpu.amount=1');
    expect(r.message).toContain('spark.task.resource.gpu.amount=0.1');
    expect(r.fix).toContain('PITCHSTREAM_MODE=gpu');
  });

  it('diagnoses a "gpu" run with the plugin commented out as a silent CPU run', () => {
    const r = check(fixtureFacts('gpu-by-commenting.conf'), 'conf.profile-keys');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('lacks spark.plugins=com.nvidia.spark.SQLPlugin');
  });

  it('warns that the original final task GPU amount 0.1 with 4 cores limits nothing (seed 000 final)', () => {
    const facts = fixtureFacts('final-gpu-task-0.1.conf');
    const r = check(facts, 'gpu.task-arithmetic');
    expect(r.status).toBe('warn');
    expect(r.message).toContain('= 10 concurrent task(s) per executor, spark.executor.cores 4 / spark.task.cpus 1 = 4');
    expect(r.fix).toContain('spark.task.resource.gpu.amount 0.25');
    expect(problems(facts).filter((p) => p.status === 'fail')).toEqual([]);
  });

  it('diagnoses spark.executor.cores above spark.cores.max', () => {
    const r = check(fixtureFacts('executor-cores-over-cores-max.conf'), 'resources.executor-count');
    expect(r).toMatchObject({ status: 'fail' });
    expect(r.message).toContain('spark.executor.cores 4 exceeds spark.cores.max 2');
  });

  it('diagnoses an executor larger than the worker offers', () => {
    const r = check(fixtureFacts('executor-bigger-than-worker.conf'), 'memory.worker');
    expect(r.status).toBe('fail');
    expect(r.message).toContain("spark.executor.memory 4g exceeds the largest worker's 2.0 GiB");
  });

  it('diagnoses pyspark 4.0.0 driving the original Spark 3.3.1 cluster', () => {
    const r = check(fixtureFacts('cluster-spark-3.3.conf'), 'versions.pyspark-cluster');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('pyspark 4.0.0 drives a cluster running Spark 3.3.1');
  });

  it('diagnoses a Kafka connector built for Scala 2.12 / Spark 3.3.1', () => {
    const r = check(fixtureFacts('connector-scala-2.12.conf'), 'versions.connector-jars');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('spark-sql-kafka-0-10_2.12-3.3.1.jar');
    expect(r.message).toContain('Spark 4.0.0 / Scala 2.13');
  });

  it('diagnoses a RAPIDS jar for Scala 2.12 on the class path', () => {
    const r = check(fixtureFacts('rapids-jar-scala-2.12.conf'), 'gpu.rapids-jar');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('rapids-4-spark_2.12-23.12.0.jar');
  });

  it('diagnoses a discovery script that is not executable', () => {
    const r = check(fixtureFacts('discovery-script-not-executable.conf'), 'gpu.discovery-script');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('spark.executor.resource.gpu.discoveryScript /opt/spark/getGpusResources.sh is not executable');
    expect(r.fix).toContain('chmod +x /opt/spark/getGpusResources.sh');
  });
});

describe('the doctor on pitchstream’s own profiles', () => {
  const cpu = effectiveSparkConf({ root, mode: 'cpu', variables });
  const gpu = effectiveSparkConf({ root, mode: 'gpu', variables });
  const standalone = {
    master: 'spark://127.0.0.1:7077',
    cluster: { kind: 'standalone' as const, onThisHost: true, sparkVersion: '4.0.0', versionSource: 'master UI', workers: [{ cores: 2, memoryMb: 2048, gpus: 1 }], workersSource: 'config' as const },
  };

  it('passes the cpu profile on a local and on a standalone master', () => {
    expect(problems(healthyFacts(cpu, 'cpu'))).toEqual([]);
    expect(problems(healthyFacts(cpu, 'cpu', standalone))).toEqual([]);
  });

  it('passes the gpu profile, reporting the hardware checks as skipped with the reason', () => {
    for (const facts of [healthyFacts(gpu, 'gpu'), healthyFacts(gpu, 'gpu', standalone)]) {
      expect(problems(facts)).toEqual([]);
      const results = runChecks(facts);
      expect(results.find((r) => r.id === 'gpu.nvidia-smi')).toMatchObject({ status: 'skipped', message: expect.stringContaining('nvidia-smi is not on PATH') });
      expect(results.find((r) => r.id === 'gpu.rapids-jar')).toMatchObject({ status: 'skipped', message: expect.stringContaining('is not installed') });
      expect(results.find((r) => r.id === 'gpu.task-arithmetic')?.status).toBe('ok');
    }
  });

  it('fails the gpu profile for a real gpu run on a machine without nvidia-smi', () => {
    const r = check(healthyFacts(gpu, 'gpu', { hardwareRequired: true }), 'gpu.nvidia-smi');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('PITCHSTREAM_MODE=gpu, but nvidia-smi is not on PATH');
  });

  it('passes the gpu profile with a GPU and the jar present', () => {
    const facts = healthyFacts(gpu, 'gpu', { hardwareRequired: true, gpu: { nvidiaSmi: 'found', gpus: ['0, NVIDIA H100'], detail: '' }, rapidsJar: { path: variables.rapidsJar, exists: true } });
    expect(runChecks(facts).filter((r) => r.status !== 'ok' && r.status !== 'skipped')).toEqual([]);
    expect(check(facts, 'gpu.nvidia-smi').status).toBe('ok');
  });

  it('gives every check an id, and every failure a fix', () => {
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
    const all = ['gpu-task-amount-starves.conf', 'memory-oversubscribed.conf', 'worker-without-gpu.conf', 'notebook-overrides-gpu.conf'].flatMap((f) => runChecks(fixtureFacts(f)));
    for (const r of all.filter((x) => x.status === 'fail' || x.status === 'warn')) expect(r.fix.length).toBeGreaterThan(10);
  });
});
