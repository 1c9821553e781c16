// The driver's Spark REST API (<uiUrl>/api/v1/applications/<appId>/…): fetched, then flattened. Pure apart from fetchSparkJson.
const REQUEST_TIMEOUT_MS = 3_000;

/** GET a JSON document from the driver UI; undefined when it does not answer or answers non-2xx. */
export async function fetchSparkJson<T>(url: string, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    if (!response.ok) return undefined;
    return (await response.json()) as T;
  } catch {
    return undefined;
  }
}

/** Spark's REST time stamps ("2026-11-22T00:12:34.567GMT") as epoch ms; undefined when absent. */
export function sparkTimeMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const parsed = Date.parse(value.replace(/GMT$/, 'Z'));
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** The fields of /jobs entries that pitchstream reads. */
export interface RawSparkJob {
  jobId: number;
  name?: string;
  status: string;
  submissionTime?: string;
  completionTime?: string;
  numTasks?: number;
  numFailedTasks?: number;
  stageIds?: number[];
}

export interface RawSparkStage {
  stageId: number;
  attemptId: number;
  name?: string;
  status: string;
  numTasks?: number;
  submissionTime?: string;
  firstTaskLaunchedTime?: string;
  completionTime?: string;
  executorRunTime?: number;
  executorCpuTime?: number;
  jvmGcTime?: number;
  inputBytes?: number;
  outputBytes?: number;
  shuffleReadBytes?: number;
  shuffleWriteBytes?: number;
  memoryBytesSpilled?: number;
  diskBytesSpilled?: number;
}

export interface RawSparkExecutor {
  id: string;
  hostPort?: string;
  isActive?: boolean;
  totalCores?: number;
  activeTasks?: number;
  failedTasks?: number;
  completedTasks?: number;
  totalTasks?: number;
  totalDuration?: number;
  totalGCTime?: number;
  totalInputBytes?: number;
  totalShuffleRead?: number;
  totalShuffleWrite?: number;
  memoryUsed?: number;
  maxMemory?: number;
  diskUsed?: number;
  peakMemoryMetrics?: Record<string, number>;
}

export interface JobMetrics {
  jobId: number;
  name: string;
  status: string;
  /** completion − submission; for a running job, until the snapshot. */
  durationMs: number | undefined;
  numTasks: number;
  numFailedTasks: number;
}

export interface StageMetrics {
  stageId: number;
  attemptId: number;
  name: string;
  status: string;
  numTasks: number;
  durationMs: number | undefined;
  /** Σ task run time over the stage's tasks. */
  taskTimeMs: number;
  executorCpuTimeNs: number;
  gcTimeMs: number;
  inputBytes: number;
  outputBytes: number;
  shuffleReadBytes: number;
  shuffleWriteBytes: number;
  memorySpilledBytes: number;
  diskSpilledBytes: number;
}

export interface ExecutorMetrics {
  id: string;
  hostPort: string;
  active: boolean;
  cores: number;
  completedTasks: number;
  failedTasks: number;
  /** Σ task time on this executor. */
  taskTimeMs: number;
  gcTimeMs: number;
  inputBytes: number;
  shuffleReadBytes: number;
  shuffleWriteBytes: number;
  /** Storage memory in use / available for storage. */
  memoryUsedBytes: number;
  maxMemoryBytes: number;
  diskUsedBytes: number;
  /** Peak JVM heap and off-heap use (peakMemoryMetrics), when Spark reports them. */
  peakJvmHeapBytes: number | undefined;
  peakJvmOffHeapBytes: number | undefined;
}

const n = (value: number | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export function toJobMetrics(raw: RawSparkJob, nowMs: number): JobMetrics {
  const start = sparkTimeMs(raw.submissionTime);
  const end = sparkTimeMs(raw.completionTime) ?? (raw.status === 'RUNNING' ? nowMs : undefined);
  return {
    jobId: raw.jobId,
    name: raw.name ?? '',
    status: raw.status,
    durationMs: start !== undefined && end !== undefined ? end - start : undefined,
    numTasks: n(raw.numTasks),
    numFailedTasks: n(raw.numFailedTasks),
  };
}

export function toStageMetrics(raw: RawSparkStage, nowMs: number): StageMetrics {
  const start = sparkTimeMs(raw.firstTaskLaunchedTime) ?? sparkTimeMs(raw.submissionTime);
  const end = sparkTimeMs(raw.completionTime) ?? (raw.status === 'ACTIVE' ? nowMs : undefined);
  return {
    stageId: raw.stageId,
    attemptId: raw.attemptId,
    name: raw.name ?? '',
    status: raw.status,
    numTasks: n(raw.numTasks),
    durationMs: start !== undefined && end !== undefined ? end - start : undefined,
    taskTimeMs: n(raw.executorRunTime),
    executorCpuTimeNs: n(raw.executorCpuTime),
    gcTimeMs: n(raw.jvmGcTime),
    inputBytes: n(raw.inputBytes),
    outputBytes: n(raw.outputBytes),
    shuffleReadBytes: n(raw.shuffleReadBytes),
    shuffleWriteBytes: n(raw.shuffleWriteBytes),
    memorySpilledBytes: n(raw.memoryBytesSpilled),
    diskSpilledBytes: n(raw.diskBytesSpilled),
  };
}

export function toExecutorMetrics(raw: RawSparkExecutor): ExecutorMetrics {
  return {
    id: raw.id,
    hostPort: raw.hostPort ?? '',
    active: raw.isActive ?? true,
    cores: n(raw.totalCores),
    completedTasks: n(raw.completedTasks),
    failedTasks: n(raw.failedTasks),
    taskTimeMs: n(raw.totalDuration),
    gcTimeMs: n(raw.totalGCTime),
    inputBytes: n(raw.totalInputBytes),
    shuffleReadBytes: n(raw.totalShuffleRead),
    shuffleWriteBytes: n(raw.totalShuffleWrite),
    memoryUsedBytes: n(raw.memoryUsed),
    maxMemoryBytes: n(raw.maxMemory),
    diskUsedBytes: n(raw.diskUsed),
    peakJvmHeapBytes: raw.peakMemoryMetrics?.JVMHeapMemory,
    peakJvmOffHeapBytes: raw.peakMemoryMetrics?.JVMOffHeapMemory,
  };
}

export interface SparkAppSnapshot {
  /** When the snapshot was taken (epoch ms). */
  atMs: number;
  jobs: JobMetrics[];
  stages: StageMetrics[];
  executors: ExecutorMetrics[];
}

/** One snapshot of the application: /jobs, /stages and /allexecutors. Undefined when the UI does not answer. */
export async function readSparkApp(uiUrl: string, appId: string, timeoutMs?: number): Promise<SparkAppSnapshot | undefined> {
  const base = `${uiUrl.replace(/\/$/, '')}/api/v1/applications/${encodeURIComponent(appId)}`;
  const [jobs, stages, executors] = await Promise.all([
    fetchSparkJson<RawSparkJob[]>(`${base}/jobs`, timeoutMs),
    fetchSparkJson<RawSparkStage[]>(`${base}/stages`, timeoutMs),
    fetchSparkJson<RawSparkExecutor[]>(`${base}/allexecutors`, timeoutMs),
  ]);
  if (!jobs || !stages || !executors) return undefined;
  const atMs = Date.now();
  return {
    atMs,
    jobs: jobs.map((job) => toJobMetrics(job, atMs)),
    stages: stages.map((stage) => toStageMetrics(stage, atMs)),
    executors: executors.map(toExecutorMetrics),
  };
}
