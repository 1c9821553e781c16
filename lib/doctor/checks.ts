// The doctor's checks: pure functions from the gathered facts to one diagnosis each.
import type { SparkConf } from '../spark/spark-conf';
import { compareVersions, formatSize, majorMinor, parseSize } from './sizes';
import type { CheckResult, CheckStatus, DoctorFacts } from './types';

export interface DoctorCheck {
  id: string;
  /** One line for the README and `pitchstream doctor --list`. */
  title: string;
  run(facts: DoctorFacts): CheckResult;
}

const RAPIDS_PLUGIN = 'com.nvidia.spark.SQLPlugin';
const DEFAULT_OVERHEAD_MIN = 384 * 1024 ** 2;
const NATIVE_HEADROOM = 384 * 1024 ** 2;
const HOST_WARN_FRACTION = 0.85;
/** Memory of the local standalone master and worker daemons (lib/stack/spark-standalone.ts). */
const STANDALONE_DAEMONS = 2 * 256 * 1024 ** 2;

function result(id: string, status: CheckStatus, message: string, fix = ''): CheckResult {
  return { id, status, message, fix };
}

function isGpuKey(key: string): boolean {
  return /^spark\.(plugins|rapids\..+|(executor|task|worker|driver)\.resource\.gpu\..+|kryo\.registrator|(driver|executor)\.extraClassPath)$/.test(key);
}

function number(conf: SparkConf, key: string): number | undefined {
  const value = conf[key];
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function rapidsEnabled(conf: SparkConf): boolean {
  return (conf['spark.plugins'] ?? '').includes(RAPIDS_PLUGIN) && conf['spark.rapids.sql.enabled'] !== 'false';
}

function bytes(conf: SparkConf, key: string, fallback: string, unit: 'b' | 'm' = 'm'): number {
  return parseSize(conf[key] ?? fallback, unit) ?? parseSize(fallback, unit)!;
}

function executorOverhead(conf: SparkConf): { bytes: number; explained: string } {
  const explicit = parseSize(conf['spark.executor.memoryOverhead']);
  if (explicit !== undefined) return { bytes: explicit, explained: `spark.executor.memoryOverhead ${conf['spark.executor.memoryOverhead']}` };
  const heap = bytes(conf, 'spark.executor.memory', '1g');
  const factor = number(conf, 'spark.executor.memoryOverheadFactor') ?? 0.1;
  const value = Math.max(DEFAULT_OVERHEAD_MIN, Math.round(heap * factor));
  return {
    bytes: value,
    explained: `spark.executor.memoryOverhead unset, so max(384 MiB, ${factor} × spark.executor.memory ${conf['spark.executor.memory'] ?? '1g'}) = ${formatSize(value)}`,
  };
}

/** Off-heap memory an executor needs besides its overhead allowance's JVM share: the RAPIDS pinned pool. */
function pinnedPool(facts: DoctorFacts): number {
  return facts.mode === 'gpu' && rapidsEnabled(facts.conf) ? bytes(facts.conf, 'spark.rapids.memory.pinnedPool.size', '0', 'b') : 0;
}

interface ExecutorPlan {
  executors: number;
  coresPerExecutor: number;
  explained: string;
}

/** How many executors a standalone master gives the application, and why. */
function standaloneExecutors(facts: DoctorFacts): ExecutorPlan {
  const { conf, cluster } = facts;
  const workerCores = cluster.workers.reduce((sum, worker) => sum + worker.cores, 0);
  const coresMax = number(conf, 'spark.cores.max') ?? number(conf, 'spark.deploy.defaultCores');
  const available = Math.min(coresMax ?? Number.POSITIVE_INFINITY, workerCores);
  const limit =
    coresMax === undefined
      ? `spark.cores.max is unset, so the application takes all ${workerCores} worker cores`
      : `spark.cores.max ${coresMax} (workers offer ${workerCores} cores)`;
  const perExecutor = number(conf, 'spark.executor.cores');
  if (perExecutor === undefined)
    return { executors: cluster.workers.length, coresPerExecutor: workerCores, explained: `${limit}; spark.executor.cores is unset: one executor per worker` };
  const packed = cluster.workers.reduce((sum, worker) => sum + Math.floor(worker.cores / perExecutor), 0);
  const executors = Math.min(Math.floor(available / perExecutor), packed);
  return { executors, coresPerExecutor: perExecutor, explained: `${limit} / spark.executor.cores ${perExecutor} = ${executors} executor(s)` };
}

const gpuOnly = (id: string, facts: DoctorFacts): CheckResult | undefined =>
  facts.mode === 'gpu' ? undefined : result(id, 'skipped', 'cpu mode: no GPU settings to check');

export const CHECKS: readonly DoctorCheck[] = [
  {
    id: 'conf.profile-keys',
    title: 'The effective configuration holds every key of its profile (gpu: RAPIDS plugin and GPU resources; cpu: none of them).',
    run(facts) {
      const id = 'conf.profile-keys';
      const { conf } = facts;
      if (facts.mode === 'cpu') {
        const gpuKeys = Object.keys(conf).filter((key) => isGpuKey(key) && !/extraClassPath$/.test(key));
        if (gpuKeys.length === 0) return result(id, 'ok', 'cpu profile: no RAPIDS plugin and no GPU resource keys');
        return result(
          id,
          'fail',
          `cpu mode, but the configuration sets ${gpuKeys.map((key) => `${key}=${conf[key]}`).join(', ')}: a cpu run would load RAPIDS or ask for GPUs`,
          `Remove ${gpuKeys.join(', ')} from the cpu configuration; to run on the GPU set PITCHSTREAM_MODE=gpu (spark-conf/gpu.conf holds these keys).`,
        );
      }
      const missing: string[] = [];
      if (!(conf['spark.plugins'] ?? '').includes(RAPIDS_PLUGIN)) missing.push(`spark.plugins=${RAPIDS_PLUGIN}`);
      if (conf['spark.rapids.sql.enabled'] === 'false') missing.push('spark.rapids.sql.enabled=true (it is false)');
      for (const key of ['spark.executor.resource.gpu.amount', 'spark.task.resource.gpu.amount', 'spark.rapids.sql.explain'])
        if (conf[key] === undefined) missing.push(key);
      for (const key of ['spark.driver.extraClassPath', 'spark.executor.extraClassPath'])
        if (!(conf[key] ?? '').includes(facts.rapidsJar.path)) missing.push(`${key} containing ${facts.rapidsJar.path}`);
      if (missing.length === 0) return result(id, 'ok', 'gpu profile: RAPIDS plugin, its jar on both class paths and the GPU resource keys are set');
      return result(
        id,
        'fail',
        `gpu mode, but the configuration lacks ${missing.join(', ')}: Spark would start without RAPIDS (a silent CPU run) or without GPUs`,
        'Restore spark-conf/gpu.conf from git (do not comment keys out to switch modes: PITCHSTREAM_MODE chooses the profile).',
      );
    },
  },
  {
    id: 'conf.overrides',
    title: 'Settings given in code (submitJob options.conf, notebooks) do not contradict the shared profile.',
    run(facts) {
      const id = 'conf.overrides';
      const owned = facts.overrides.filter((entry) => isGpuKey(entry.key) && entry.value !== facts.profile[entry.key]);
      if (owned.length > 0)
        return result(
          id,
          'fail',
          `${owned.map((e) => `${e.source} sets ${e.key}=${e.value}`).join('; ')}, contradicting the ${facts.mode} profile (${owned
            .map((e) => `${e.key}=${facts.profile[e.key] ?? 'unset'}`)
            .join(', ')}): GPU and RAPIDS settings belong to the profile, not to code`,
          `Remove ${owned.map((e) => e.key).join(', ')} from ${[...new Set(owned.map((e) => e.source))].join(', ')}; choose the profile with PITCHSTREAM_MODE=cpu|gpu and keep its keys in spark-conf/.`,
        );
      const sizing = facts.overrides.filter(
        (entry) =>
          /^spark\.(executor\.(memory|memoryOverhead|cores|instances)|driver\.memory|cores\.max|task\.cpus)$/.test(entry.key) &&
          facts.profile[entry.key] !== undefined &&
          entry.value !== facts.profile[entry.key],
      );
      if (sizing.length > 0)
        return result(
          id,
          'warn',
          `${sizing.map((e) => `${e.source} sets ${e.key}=${e.value} (profile: ${facts.profile[e.key]})`).join('; ')}: resource sizing set in code drifts from the shared configuration`,
          `Move ${sizing.map((e) => e.key).join(', ')} into spark-conf/ (spark-defaults.conf or the profile) unless this one job really needs it.`,
        );
      if (facts.overrides.length === 0) return result(id, 'ok', 'no settings given in code: the shared profile applies as it is');
      return result(id, 'ok', `settings given in code, none contradicting the profile: ${facts.overrides.map((e) => e.key).join(', ')}`);
    },
  },
  {
    id: 'gpu.executor-amount',
    title: 'One GPU per executor (spark.executor.resource.gpu.amount = 1).',
    run(facts) {
      const id = 'gpu.executor-amount';
      const skip = gpuOnly(id, facts);
      if (skip) return skip;
      const amount = number(facts.conf, 'spark.executor.resource.gpu.amount');
      if (amount === 1) return result(id, 'ok', 'spark.executor.resource.gpu.amount=1: one GPU per executor');
      return result(
        id,
        'fail',
        `spark.executor.resource.gpu.amount=${facts.conf['spark.executor.resource.gpu.amount'] ?? 'unset'}: the RAPIDS Accelerator needs exactly one GPU per executor`,
        'Set spark.executor.resource.gpu.amount 1 in spark-conf/gpu.conf; for more GPUs run more executors, not more GPUs per executor.',
      );
    },
  },
  {
    id: 'gpu.task-arithmetic',
    title: 'Concurrent tasks per executor: executor GPU amount / task GPU amount equals executor cores / task cpus.',
    run(facts) {
      const id = 'gpu.task-arithmetic';
      const skip = gpuOnly(id, facts);
      if (skip) return skip;
      const { conf } = facts;
      const executorGpu = number(conf, 'spark.executor.resource.gpu.amount') ?? 1;
      const taskGpu = number(conf, 'spark.task.resource.gpu.amount');
      const cores = number(conf, 'spark.executor.cores');
      const taskCpus = number(conf, 'spark.task.cpus') ?? 1;
      if (taskGpu === undefined || taskGpu <= 0)
        return result(id, 'fail', `spark.task.resource.gpu.amount=${conf['spark.task.resource.gpu.amount'] ?? 'unset'}: tasks would not be given a share of the GPU`, 'Set spark.task.resource.gpu.amount to 1 / spark.executor.cores (0.5 for 2 cores).');
      if (taskGpu > 1 && !Number.isInteger(taskGpu))
        return result(id, 'fail', `spark.task.resource.gpu.amount=${taskGpu}: a task amount above 1 must be a whole number`, 'Use 1 / spark.executor.cores, a fraction of one GPU.');
      if (cores === undefined)
        return result(id, 'warn', `spark.executor.cores is unset: an executor takes every core of its worker, so spark.task.resource.gpu.amount=${taskGpu} cannot be matched to the core count`, 'Set spark.executor.cores in spark-conf/gpu.conf and spark.task.resource.gpu.amount = 1 / that.');
      const gpuSlots = Math.floor(executorGpu / taskGpu + 1e-9);
      const cpuSlots = Math.floor(cores / taskCpus);
      const recommended = Number((executorGpu / cpuSlots).toFixed(4));
      const arithmetic = `spark.executor.resource.gpu.amount ${executorGpu} / spark.task.resource.gpu.amount ${taskGpu} = ${gpuSlots} concurrent task(s) per executor, spark.executor.cores ${cores} / spark.task.cpus ${taskCpus} = ${cpuSlots}`;
      if (gpuSlots < cpuSlots)
        return result(
          id,
          'fail',
          `${arithmetic}: the GPU share limits each executor to ${gpuSlots} running task(s), ${cpuSlots - gpuSlots} core(s) starve (streaming batches over several Kafka partitions queue up)`,
          `Set spark.task.resource.gpu.amount ${recommended} (= ${executorGpu} / ${cpuSlots}) so that every core can run a task on the shared GPU.`,
        );
      if (gpuSlots > cpuSlots)
        return result(
          id,
          'warn',
          `${arithmetic}: the GPU share allows more tasks than the cores can run, so spark.task.resource.gpu.amount ${taskGpu} does not limit anything and misstates each task's share`,
          `Set spark.task.resource.gpu.amount ${recommended} (= ${executorGpu} / ${cpuSlots}); limit GPU concurrency with spark.rapids.sql.concurrentGpuTasks instead.`,
        );
      return result(id, 'ok', `${arithmetic}: every core runs a task on the shared GPU`);
    },
  },
  {
    id: 'resources.executor-count',
    title: 'Executors the master will start (spark.cores.max / spark.executor.cores) fit the workers (cores, and one GPU each in gpu mode).',
    run(facts) {
      const id = 'resources.executor-count';
      const { conf, cluster } = facts;
      if (cluster.kind === 'local') return result(id, 'skipped', `${facts.master}: local master, one executor inside the driver JVM`);
      if (cluster.kind !== 'standalone' || cluster.workers.length === 0)
        return result(id, 'skipped', `${facts.master}: no worker facts (${cluster.workersSource}); executor count not checked`);
      const coresMax = number(conf, 'spark.cores.max');
      const perExecutor = number(conf, 'spark.executor.cores');
      const largestWorker = Math.max(...cluster.workers.map((worker) => worker.cores));
      if (perExecutor !== undefined && perExecutor > largestWorker)
        return result(id, 'fail', `spark.executor.cores ${perExecutor} exceeds the largest worker's ${largestWorker} cores: no executor can start ("Initial job has not accepted any resources")`, `Lower spark.executor.cores to ${largestWorker} or less, or give the worker more cores (PITCHSTREAM_SPARK_WORKER_CORES).`);
      if (perExecutor !== undefined && coresMax !== undefined && perExecutor > coresMax)
        return result(id, 'fail', `spark.executor.cores ${perExecutor} exceeds spark.cores.max ${coresMax}: no executor can start`, `Set spark.cores.max to a multiple of spark.executor.cores (${perExecutor}).`);
      const plan = standaloneExecutors(facts);
      const instances = number(conf, 'spark.executor.instances');
      const instancesNote =
        instances !== undefined && instances !== plan.executors
          ? ` (spark.executor.instances ${instances} does not bound executors on a standalone master; spark.cores.max does)`
          : '';
      if (facts.mode === 'gpu') {
        const perExecutorGpu = number(conf, 'spark.executor.resource.gpu.amount') ?? 1;
        const gpus = cluster.workers.reduce((sum, worker) => sum + worker.gpus, 0);
        if (plan.executors * perExecutorGpu > gpus)
          return result(
            id,
            'fail',
            `${plan.explained}, each asking spark.executor.resource.gpu.amount ${perExecutorGpu}, but the worker(s) offer ${gpus} GPU(s)${instancesNote}: executors compete for the GPU and die or wait`,
            `Set spark.cores.max ${Math.max(1, Math.floor(gpus / perExecutorGpu)) * plan.coresPerExecutor} (= GPUs × spark.executor.cores) so that the master starts one executor per GPU.`,
          );
      }
      if (coresMax !== undefined && perExecutor !== undefined && coresMax % perExecutor !== 0)
        return result(id, 'warn', `spark.cores.max ${coresMax} is not a multiple of spark.executor.cores ${perExecutor}: ${coresMax % perExecutor} core(s) are never used`, `Set spark.cores.max to ${Math.floor(coresMax / perExecutor) * perExecutor} or ${Math.ceil(coresMax / perExecutor) * perExecutor}.`);
      if (instancesNote) return result(id, 'warn', `${plan.explained}${instancesNote}`, `Size executors with spark.cores.max (= executors × spark.executor.cores) and drop spark.executor.instances.`);
      return result(id, 'ok', plan.explained);
    },
  },
  {
    id: 'memory.host',
    title: "Executors × (memory + overhead) + driver memory fit the host's memory (when the cluster runs on this host).",
    run(facts) {
      const id = 'memory.host';
      const { conf, cluster } = facts;
      const driver = bytes(conf, 'spark.driver.memory', '1g');
      const pinned = pinnedPool(facts);
      const parts: string[] = [`spark.driver.memory ${conf['spark.driver.memory'] ?? '1g (default)'}`];
      let total = driver;
      if (cluster.kind === 'local') {
        total += pinned;
        if (pinned > 0) parts.push(`pinned pool ${formatSize(pinned)}`);
      } else if (cluster.kind === 'standalone' && cluster.onThisHost) {
        const plan = standaloneExecutors(facts);
        const heap = bytes(conf, 'spark.executor.memory', '1g');
        const overhead = executorOverhead(conf).bytes;
        const pyspark = parseSize(conf['spark.executor.pyspark.memory']) ?? 0;
        const offHeap = conf['spark.memory.offHeap.enabled'] === 'true' ? parseSize(conf['spark.memory.offHeap.size'], 'b') ?? 0 : 0;
        const perExecutor = heap + overhead + pyspark + offHeap;
        total += plan.executors * perExecutor + STANDALONE_DAEMONS;
        parts.unshift(
          `${plan.executors} executor(s) × (spark.executor.memory ${conf['spark.executor.memory'] ?? '1g'} + overhead ${formatSize(overhead)}${pyspark ? ` + pyspark ${formatSize(pyspark)}` : ''}${offHeap ? ` + off-heap ${formatSize(offHeap)}` : ''}) = ${formatSize(plan.executors * perExecutor)}`,
        );
        parts.push(`master and worker daemons ${formatSize(STANDALONE_DAEMONS)}`);
      } else {
        return result(id, 'skipped', `${facts.master}: the executors run on other hosts; only the driver (${formatSize(driver)}) runs here`);
      }
      const sum = `${parts.join(' + ')} = ${formatSize(total)}, host memory ${formatSize(facts.host.memoryBytes)}`;
      if (total > facts.host.memoryBytes)
        return result(
          id,
          'fail',
          `${sum}: the JVMs ask for more than the machine has; executors get killed or never start`,
          'Lower spark.executor.memory or spark.driver.memory, or run fewer executors (spark.cores.max), until the sum fits the host with room for the OS.',
        );
      if (total > facts.host.memoryBytes * HOST_WARN_FRACTION)
        return result(id, 'warn', `${sum}: above ${HOST_WARN_FRACTION * 100}% of the host, little room for Kafka, Python workers and the OS`, 'Lower spark.executor.memory or spark.driver.memory.');
      return result(id, 'ok', sum);
    },
  },
  {
    id: 'memory.worker',
    title: 'spark.executor.memory fits in what a standalone worker offers.',
    run(facts) {
      const id = 'memory.worker';
      const { cluster, conf } = facts;
      if (cluster.kind !== 'standalone' || cluster.workers.length === 0) return result(id, 'skipped', `${facts.master}: no standalone worker to compare with`);
      const heap = bytes(conf, 'spark.executor.memory', '1g');
      const largest = Math.max(...cluster.workers.map((worker) => worker.memoryMb)) * 1024 ** 2;
      if (heap > largest)
        return result(id, 'fail', `spark.executor.memory ${conf['spark.executor.memory'] ?? '1g'} exceeds the largest worker's ${formatSize(largest)}: the master never launches an executor`, `Lower spark.executor.memory to ${formatSize(largest)} or less, or raise the worker's memory (PITCHSTREAM_SPARK_WORKER_MEMORY).`);
      return result(id, 'ok', `spark.executor.memory ${conf['spark.executor.memory'] ?? '1g'} fits the worker's ${formatSize(largest)}`);
    },
  },
  {
    id: 'memory.overhead',
    title: "The executor's memory overhead covers its off-heap needs (RAPIDS pinned pool), or executors die.",
    run(facts) {
      const id = 'memory.overhead';
      if (facts.cluster.kind === 'local') return result(id, 'skipped', `${facts.master}: local master, no separate executor process (memory.host counts the pinned pool)`);
      const overhead = executorOverhead(facts.conf);
      const pinned = pinnedPool(facts);
      if (pinned === 0) {
        if (overhead.bytes < DEFAULT_OVERHEAD_MIN)
          return result(id, 'warn', `${overhead.explained}: below Spark's own minimum of 384 MiB for JVM native memory`, 'Raise spark.executor.memoryOverhead to 384m or more.');
        return result(id, 'ok', `${overhead.explained}; no off-heap pool to hold`);
      }
      const needed = pinned + NATIVE_HEADROOM;
      if (overhead.bytes < needed)
        return result(
          id,
          'fail',
          `spark.rapids.memory.pinnedPool.size ${facts.conf['spark.rapids.memory.pinnedPool.size']} is allocated outside the heap, but ${overhead.explained}: the executor process outgrows its allowance and dies ("Command exited with code 1", "Lost executor")`,
          `Set spark.executor.memoryOverhead to at least ${Math.ceil(needed / 1024 ** 2)}m (pinned pool + 384 MiB), or shrink spark.rapids.memory.pinnedPool.size.`,
        );
      return result(id, 'ok', `${overhead.explained} covers the pinned pool ${formatSize(pinned)} + 384 MiB`);
    },
  },
  {
    id: 'gpu.worker-resources',
    title: 'In gpu mode the standalone worker advertises its GPU (spark.worker.resource.gpu.amount and discovery script).',
    run(facts) {
      const id = 'gpu.worker-resources';
      const skip = gpuOnly(id, facts);
      if (skip) return skip;
      if (facts.cluster.kind !== 'standalone') return result(id, 'skipped', `${facts.master}: not a standalone master, no worker to configure`);
      const gpus = facts.cluster.workers.reduce((sum, worker) => sum + worker.gpus, 0);
      if (gpus > 0) return result(id, 'ok', `the worker(s) advertise ${gpus} GPU(s) (${facts.cluster.workersSource === 'master' ? "master's report" : 'spark.worker.resource.gpu.amount'})`);
      const configured = facts.conf['spark.worker.resource.gpu.amount'];
      return result(
        id,
        'fail',
        facts.cluster.workersSource === 'master'
          ? `the running master reports no GPU on any worker: executors asking spark.executor.resource.gpu.amount ${facts.conf['spark.executor.resource.gpu.amount'] ?? 1} are never scheduled`
          : `spark.worker.resource.gpu.amount is ${configured ?? 'unset'} and spark.worker.resource.gpu.discoveryScript is ${facts.conf['spark.worker.resource.gpu.discoveryScript'] ?? 'unset'}: the worker offers no GPU, executors asking one are never scheduled`,
        'Set spark.worker.resource.gpu.amount 1 and spark.worker.resource.gpu.discoveryScript {{root}}/spark-rapids/getGpusResources.sh (spark-conf/gpu.conf), then restart the cluster: npm run stack -- down && npm run stack -- up --cluster.',
      );
    },
  },
  {
    id: 'gpu.discovery-script',
    title: 'The GPU discovery scripts named by the configuration exist and are executable.',
    run(facts) {
      const id = 'gpu.discovery-script';
      const skip = gpuOnly(id, facts);
      if (skip) return skip;
      const keys = ['spark.executor.resource.gpu.discoveryScript', 'spark.worker.resource.gpu.discoveryScript'].filter((key) => facts.conf[key] !== undefined);
      if (keys.length === 0)
        return result(id, 'fail', 'neither spark.executor.resource.gpu.discoveryScript nor spark.worker.resource.gpu.discoveryScript is set: Spark cannot find the GPU addresses', 'Set both to {{root}}/spark-rapids/getGpusResources.sh (spark-conf/gpu.conf).');
      const problems = keys.flatMap((key) => {
        const file = facts.conf[key]!;
        const state = facts.files[file];
        if (!state?.exists) return [`${key} ${file} does not exist`];
        if (!state.executable) return [`${key} ${file} is not executable`];
        return [];
      });
      if (problems.length > 0)
        return result(id, 'fail', `${problems.join('; ')}: executors fail at start-up while discovering GPUs`, `Restore spark-rapids/getGpusResources.sh from git and make it executable: chmod +x ${[...new Set(keys.map((k) => facts.conf[k]))].join(' ')}`);
      return result(id, 'ok', `${keys.map((key) => `${key} ${facts.conf[key]}`).join(', ')}: present and executable`);
    },
  },
  {
    id: 'gpu.nvidia-smi',
    title: 'In gpu mode nvidia-smi is on PATH and lists a GPU.',
    run(facts) {
      const id = 'gpu.nvidia-smi';
      const skip = gpuOnly(id, facts);
      if (skip) return skip;
      const { gpu } = facts;
      if (gpu.nvidiaSmi === 'found' && gpu.gpus.length > 0) return result(id, 'ok', `nvidia-smi lists ${gpu.gpus.join('; ')}`);
      const what = gpu.nvidiaSmi === 'absent' ? 'nvidia-smi is not on PATH (no NVIDIA driver here)' : gpu.nvidiaSmi === 'not-checked' ? 'nvidia-smi was not run' : `nvidia-smi found no usable GPU: ${gpu.detail}`;
      if (!facts.hardwareRequired) return result(id, 'skipped', `${what}: the gpu profile was checked without its hardware`);
      return result(id, 'fail', `PITCHSTREAM_MODE=gpu, but ${what}`, 'Run on a machine with an NVIDIA GPU and driver (nvidia-smi on PATH), or set PITCHSTREAM_MODE=cpu.');
    },
  },
  {
    id: 'gpu.rapids-jar',
    title: 'The RAPIDS jar is installed and built for the pinned Scala and RAPIDS versions.',
    run(facts) {
      const id = 'gpu.rapids-jar';
      const skip = gpuOnly(id, facts);
      if (skip) return skip;
      const { pinned } = facts;
      const classPath = [facts.conf['spark.driver.extraClassPath'], facts.conf['spark.executor.extraClassPath'], facts.conf['spark.jars']].join(':');
      const named = [...classPath.matchAll(/rapids-4-spark_(\d+\.\d+)-([\w.-]+?)\.jar/g)];
      const wrong = named.filter(([, scala, version]) => scala !== pinned.scala || version !== pinned.rapids);
      if (wrong.length > 0)
        return result(
          id,
          'fail',
          `the configuration puts ${wrong.map((m) => m[0]).join(', ')} on the class path, but Spark ${pinned.spark} runs Scala ${pinned.scala} and versions.json pins RAPIDS ${pinned.rapids}: the plugin fails to load`,
          `Use rapids-4-spark_${pinned.scala}-${pinned.rapids}.jar ({{rapidsJar}} in spark-conf/gpu.conf).`,
        );
      if (compareVersions(pinned.spark, '4.0.0') >= 0 && pinned.scala !== '2.13')
        return result(id, 'fail', `versions.json pins Spark ${pinned.spark} with Scala ${pinned.scala}: Spark 4 is built for Scala 2.13 only`, 'Set "scala": "2.13" in versions.json and run npm run setup.');
      if (facts.rapidsJar.exists) return result(id, 'ok', `${facts.rapidsJar.path} (Scala ${pinned.scala}, RAPIDS ${pinned.rapids}, for Spark ${pinned.spark})`);
      if (!facts.hardwareRequired) return result(id, 'skipped', `${facts.rapidsJar.path} is not installed (the set-up fetches it on GPU machines only): the gpu profile was checked without it`);
      return result(id, 'fail', `PITCHSTREAM_MODE=gpu, but the RAPIDS jar ${facts.rapidsJar.path} is missing`, `Run PITCHSTREAM_MODE=gpu npm run setup (it downloads rapids-4-spark_${pinned.scala}-${pinned.rapids}.jar), or set PITCHSTREAM_MODE=cpu.`);
    },
  },
  {
    id: 'versions.pyspark-cluster',
    title: "The venv's pyspark is the pinned Spark version and the cluster's Spark version.",
    run(facts) {
      const id = 'versions.pyspark-cluster';
      const pyspark = facts.python.pyspark;
      const { pinned, cluster } = facts;
      if (pyspark === undefined) return result(id, 'fail', 'pyspark is not installed in the project venv', 'Run npm run setup.');
      if (compareVersions(pyspark, pinned.spark) !== 0)
        return result(id, 'fail', `the venv has pyspark ${pyspark}, versions.json pins Spark ${pinned.spark}`, `Run npm run setup (it installs pyspark==${pinned.spark}).`);
      if (cluster.kind === 'local') return result(id, 'ok', `pyspark ${pyspark}: the local master runs this same pyspark`);
      if (cluster.sparkVersion === undefined) return result(id, 'skipped', `pyspark ${pyspark}; the cluster's Spark version is unknown (${cluster.versionSource})`);
      if (majorMinor(cluster.sparkVersion) !== majorMinor(pyspark))
        return result(
          id,
          'fail',
          `pyspark ${pyspark} drives a cluster running Spark ${cluster.sparkVersion} (${cluster.versionSource}): driver and executors must run the same Spark`,
          `Run the cluster on Spark ${pyspark} (npm run stack -- up --cluster starts one from the venv), or pin "spark": "${cluster.sparkVersion}" in versions.json and run npm run setup.`,
        );
      if (compareVersions(cluster.sparkVersion, pyspark) !== 0)
        return result(id, 'warn', `pyspark ${pyspark}, cluster Spark ${cluster.sparkVersion} (${cluster.versionSource}): same minor version, different patch`, `Align them: pin "spark": "${cluster.sparkVersion}" in versions.json, or upgrade the cluster.`);
      return result(id, 'ok', `pyspark ${pyspark} = cluster Spark ${cluster.sparkVersion} (${cluster.versionSource})`);
    },
  },
  {
    id: 'versions.connector-jars',
    title: 'The Spark Kafka connector jars are built for the pinned Spark and Scala.',
    run(facts) {
      const id = 'versions.connector-jars';
      const { pinned } = facts;
      const connectors = facts.connectorJars.map((file) => /^(spark-sql-kafka-0-10|spark-token-provider-kafka-0-10)_(\d+\.\d+)-(.+)\.jar$/.exec(file)).filter((m) => m !== null);
      const sql = connectors.find((m) => m[1] === 'spark-sql-kafka-0-10');
      if (!sql)
        return result(id, 'fail', `no spark-sql-kafka-0-10 jar in ${facts.connectorDir}: jobs cannot read Kafka`, 'Run npm run setup (it fetches the connector of versions.json).');
      const wrong = connectors.filter((m) => m[2] !== pinned.scala || m[3] !== pinned.spark);
      if (wrong.length > 0)
        return result(
          id,
          'fail',
          `${wrong.map((m) => m[0]).join(', ')} in ${facts.connectorDir} do not match Spark ${pinned.spark} / Scala ${pinned.scala}: the job fails with NoSuchMethodError or ClassNotFoundException when it reads Kafka`,
          `Delete ${facts.connectorDir} and run npm run setup (it fetches spark-sql-kafka-0-10_${pinned.scala}-${pinned.spark}).`,
        );
      return result(id, 'ok', `${connectors.map((m) => m[0]).join(', ')} match Spark ${pinned.spark} / Scala ${pinned.scala}`);
    },
  },
  {
    id: 'python.pandas-pyarrow',
    title: "pandas and pyarrow satisfy pyspark's own declared minimums and known incompatibilities.",
    run(facts) {
      const id = 'python.pandas-pyarrow';
      const { python, pysparkMinimums } = facts;
      const pyspark = python.pyspark;
      if (pyspark === undefined) return result(id, 'skipped', 'pyspark is not installed (versions.pyspark-cluster reports it)');
      const problems: string[] = [];
      for (const name of ['pandas', 'pyarrow']) {
        const installed = python[name];
        const minimum = pysparkMinimums[name];
        if (installed === undefined) problems.push(`${name} is not installed (pyspark ${pyspark} needs ${name} ≥ ${minimum ?? '?'} for Arrow transfers and pandas UDFs)`);
        else if (minimum !== undefined && compareVersions(installed, minimum) < 0) problems.push(`${name} ${installed} is older than pyspark ${pyspark}'s minimum ${minimum}`);
      }
      const pandas = python.pandas;
      if (pandas !== undefined && compareVersions(pandas, '2.0.0') >= 0 && compareVersions(pyspark, '3.4.0') < 0)
        problems.push(`pandas ${pandas} with pyspark ${pyspark}: pandas 2 removed DataFrame.iteritems, which pyspark before 3.4 calls ('DataFrame' object has no attribute 'iteritems')`);
      const pins = `pyspark ${pyspark}, pandas ${pandas ?? 'missing'}, pyarrow ${python.pyarrow ?? 'missing'}`;
      if (problems.length > 0)
        return result(id, 'fail', `${problems.join('; ')}`, `Install the versions pinned in versions.json with npm run setup (pyspark ${pyspark} declares pandas ≥ ${pysparkMinimums.pandas ?? '?'}, pyarrow ≥ ${pysparkMinimums.pyarrow ?? '?'}).`);
      return result(id, 'ok', `${pins}: within pyspark's declared minimums (pandas ≥ ${pysparkMinimums.pandas ?? '?'}, pyarrow ≥ ${pysparkMinimums.pyarrow ?? '?'})`);
    },
  },
  {
    id: 'metrics.prometheus',
    title: "The Spark UI and the PrometheusServlet are on, so run metrics can be collected.",
    run(facts) {
      const id = 'metrics.prometheus';
      const { conf } = facts;
      if (conf['spark.ui.enabled'] === 'false')
        return result(id, 'warn', 'spark.ui.enabled=false: no REST API and no Prometheus endpoint, run metrics cannot be collected', 'Remove spark.ui.enabled=false.');
      const file = conf['spark.metrics.conf'];
      if (file === undefined) return result(id, 'warn', 'spark.metrics.conf is unset: the driver serves no /metrics/prometheus/', 'Set spark.metrics.conf {{root}}/spark-conf/metrics.properties in spark-defaults.conf.');
      const state = facts.files[file];
      if (!state?.exists) return result(id, 'warn', `spark.metrics.conf ${file} does not exist: Spark starts without the PrometheusServlet`, 'Restore spark-conf/metrics.properties from git.');
      if (conf['spark.ui.prometheus.enabled'] === 'false')
        return result(id, 'warn', 'spark.ui.prometheus.enabled=false: /metrics/executors/prometheus/ is off', 'Remove spark.ui.prometheus.enabled=false.');
      return result(id, 'ok', `spark.metrics.conf ${file}; driver /metrics/prometheus/ and /metrics/executors/prometheus/ are served`);
    },
  },
  {
    id: 'kafka.reachable',
    title: 'The Kafka bootstrap address accepts connections.',
    run(facts) {
      const id = 'kafka.reachable';
      const { kafka } = facts;
      if (kafka.reachable === undefined) return result(id, 'skipped', `Kafka at ${kafka.bootstrap} was not probed`);
      if (kafka.reachable) return result(id, 'ok', `Kafka at ${kafka.bootstrap} accepts connections`);
      return result(id, 'warn', `nothing accepts connections at ${kafka.bootstrap}: jobs that read or write Kafka will fail`, 'Start the stack (npm run stack -- up) or point KAFKA_BOOTSTRAP at a running broker.');
    },
  },
  {
    id: 'kafka.security',
    title: 'The Kafka security settings are complete: protocol and mechanism known, credentials set, certificate files readable PEM.',
    run(facts) {
      const id = 'kafka.security';
      const { kafka } = facts;
      if (kafka.securityProblems.length > 0)
        return result(
          id,
          'fail',
          `Kafka security (${kafka.security}): ${kafka.securityProblems.join('; ')}`,
          'Correct the KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_* and KAFKA_SSL_* variables (README, "Secured Kafka clusters").',
        );
      if (kafka.securityIgnored.length > 0)
        return result(
          id,
          'warn',
          `${kafka.securityIgnored.join(', ')} set without KAFKA_BOOTSTRAP: the embedded broker has a plaintext listener only, so they are ignored`,
          'Set KAFKA_BOOTSTRAP to the secured cluster, or unset these variables.',
        );
      return result(id, 'ok', `Kafka clients connect with ${kafka.security}`);
    },
  },
  {
    id: 'ports.free',
    title: 'The ports the stack needs are free or held by the stack itself.',
    run(facts) {
      const id = 'ports.free';
      const taken = facts.ports.filter((port) => !port.free && !port.ours);
      if (facts.ports.length === 0) return result(id, 'skipped', 'no port to check');
      if (taken.length === 0)
        return result(id, 'ok', facts.ports.map((p) => `${p.port} (${p.purpose}) ${p.free ? 'free' : 'held by the stack'}`).join(', '));
      return result(
        id,
        'warn',
        `${taken.map((p) => `port ${p.port} (${p.purpose}, ${p.variable})`).join(', ')} in use by another process: the stack cannot start there`,
        `Stop the process on ${taken.map((p) => p.port).join(', ')} (ss -ltnp shows it) or move the stack with ${taken.map((p) => p.variable).join(', ')}.`,
      );
    },
  },
];

/** Every check on the facts, in a fixed order. Pure. */
export function runChecks(facts: DoctorFacts): CheckResult[] {
  return CHECKS.map((check) => {
    try {
      return check.run(facts);
    } catch (error) {
      return result(check.id, 'fail', `the check itself failed: ${(error as Error).message}`, 'Report this as a pitchstream bug, with the message.');
    }
  });
}
