// Progress of a running Spark application from its driver's REST API (/api/v1/applications/<appId>/stages).
export interface StageInfo {
  stageId: number;
  attemptId: number;
  name: string;
  /** ACTIVE, COMPLETE, PENDING, FAILED or SKIPPED, as Spark names them. */
  status: string;
  numTasks: number;
  numCompleteTasks: number;
  numActiveTasks: number;
  numFailedTasks: number;
}

export interface StageProgress {
  stagesTotal: number;
  stagesDone: number;
  tasksTotal: number;
  tasksDone: number;
  tasksActive: number;
  /** Name of the newest active stage (what the job is doing now), if any. */
  activeStage: string | undefined;
  /** Share of known tasks done, 0..1 (the total grows as the job plans new stages). */
  fraction: number;
}

/** Sums the stage list the REST API returns; skipped stages count as done with their tasks. */
export function summarizeStages(stages: readonly StageInfo[]): StageProgress {
  let tasksTotal = 0;
  let tasksDone = 0;
  let tasksActive = 0;
  let stagesDone = 0;
  let active: StageInfo | undefined;
  for (const stage of stages) {
    const done = stage.status === 'COMPLETE' || stage.status === 'SKIPPED';
    tasksTotal += stage.numTasks;
    tasksDone += done ? stage.numTasks : stage.numCompleteTasks;
    tasksActive += stage.numActiveTasks;
    if (done) stagesDone += 1;
    if (stage.status === 'ACTIVE' && (active === undefined || stage.stageId > active.stageId)) active = stage;
  }
  return {
    stagesTotal: stages.length,
    stagesDone,
    tasksTotal,
    tasksDone,
    tasksActive,
    activeStage: active?.name,
    fraction: tasksTotal === 0 ? 0 : tasksDone / tasksTotal,
  };
}

/** The stages of an application; undefined when the driver does not answer (not started yet, or gone). */
export async function fetchStages(uiUrl: string, appId: string, timeoutMs = 2_000): Promise<StageInfo[] | undefined> {
  try {
    const response = await fetch(`${uiUrl.replace(/\/$/, '')}/api/v1/applications/${encodeURIComponent(appId)}/stages`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return undefined;
    return (await response.json()) as StageInfo[];
  } catch {
    return undefined;
  }
}

export interface WatchProgressOptions {
  intervalMs?: number;
}

export interface ProgressWatch {
  /** Stops polling; resolves with the last progress seen. */
  stop(): Promise<StageProgress | undefined>;
}

/**
 * Polls the job's stages every intervalMs (default 1000) once its app id and UI address are known,
 * and hands each summary to onProgress. Polling errors are ignored (the driver may be starting or ending).
 */
export function watchStageProgress(
  job: { appId: Promise<string>; uiUrl: Promise<string | undefined> },
  onProgress: (progress: StageProgress) => void,
  options: WatchProgressOptions = {},
): ProgressWatch {
  const intervalMs = options.intervalMs ?? 1_000;
  let stopped = false;
  let last: StageProgress | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    let app: [string, string | undefined];
    try {
      app = await Promise.all([job.appId, job.uiUrl]);
    } catch {
      return;
    }
    const [appId, uiUrl] = app;
    if (uiUrl === undefined) return;
    while (!stopped) {
      const stages = await fetchStages(uiUrl, appId);
      if (stages !== undefined && !stopped) {
        last = summarizeStages(stages);
        onProgress(last);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, intervalMs);
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await loop;
      return last;
    },
  };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A progress bar as HTML (for a notebook display that is updated in place). */
export function progressBarHtml(progress: StageProgress | undefined, label = 'Spark'): string {
  const percent = Math.round((progress?.fraction ?? 0) * 100);
  const detail = progress
    ? `${progress.tasksDone}/${progress.tasksTotal} tasks, ${progress.stagesDone}/${progress.stagesTotal} stages${progress.activeStage ? ` — ${escape(progress.activeStage.slice(0, 60))}` : ''}`
    : 'waiting for the Spark driver…';
  return (
    `<div class="pitchstream-progress" style="font-family:sans-serif;font-size:12px">` +
    `<div>${escape(label)}: ${percent}% · ${detail}</div>` +
    `<div style="background:#eee;width:400px;height:10px"><div style="background:#2a7ae2;height:10px;width:${percent}%"></div></div></div>`
  );
}

/** A progress bar as one line of text: [#####.....] 50% 10/20 tasks. */
export function progressBarText(progress: StageProgress | undefined, width = 30): string {
  const fraction = progress?.fraction ?? 0;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${progress ? `${progress.tasksDone}/${progress.tasksTotal} tasks` : 'waiting'}`;
}
