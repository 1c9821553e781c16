// The executors study on the compose cluster: the stack up with one-core worker containers, then
// the same training as the local study (bench:train --study cluster), its driver inside jupyter-lab
// against the stack's master, with 1, 2, … executors: each executor lands on a worker container of
// its own, so the executors talk over the container network as on a cluster of machines.
import os from 'node:os';
import { clusterDown, clusterUp, CONTAINER_ROOT, readLabFile, runInLab } from '../containers';
import type { Config } from '../config';
import { PitchstreamError } from '../errors';
import type { ScalingRow } from './executors-study';
import type { ExecutorsStudyReport, StudyRecord } from './scaling-view';

export interface ComposeScalingOptions {
  /** Executor counts, e.g. [1, 2, 3]; the stack gets enough workers for the largest. */
  executors: readonly number[];
  /** StatsBomb competition ids of the training corpus (as bench:train's --competition). */
  competitions: readonly number[];
  onProgress?: (line: string) => void;
}

/** The stack's master as the drivers in jupyter-lab reach it (docker-compose.yml's service name). */
const STACK_MASTER = 'spark://spark-master:7077';

/** Workers needed for the largest count of one-core executors, at the configured cores per worker. */
export function composeWorkersFor(executors: readonly number[], workerCores: number): number {
  return Math.ceil(Math.max(...executors) / workerCores);
}

/** Brings the stack up, runs the study inside jupyter-lab, always takes the stack down; rows labelled compose. */
export async function runComposeScalingStudy(config: Config, options: ComposeScalingOptions): Promise<{ rows: ScalingRow[]; record: StudyRecord }> {
  const say = options.onProgress ?? (() => undefined);
  const workers = composeWorkersFor(options.executors, config.clusterWorkerCores);
  say(`executors study on the compose cluster: ${workers} worker container(s) of ${config.clusterWorkerCores} core and ${config.clusterWorkerMemory}, on a machine of ${os.cpus().length} cores`);
  await clusterUp(config, { workers, onProgress: say });
  try {
    const report = `${CONTAINER_ROOT}/data/outputs/bench-train-compose.json`;
    const command = ['node', 'dist/bin/bench-train.js', '--study', 'cluster', '--master', STACK_MASTER, '--cluster-name', 'compose', '--executors', options.executors.join(','), '--competition', options.competitions.join(','), '--out', report];
    await runInLab(config, command, {}, say, 'compose');
    const inner = JSON.parse(await readLabFile(config, report)) as ExecutorsStudyReport;
    const rows = (inner.executors_study ?? []).filter((row): row is ScalingRow => row.cluster === 'compose');
    const innerRecord = inner.executors_study_methods?.compose;
    if (rows.length === 0 || !innerRecord) throw new PitchstreamError('JOB_FAILED', `the study inside jupyter-lab wrote no compose rows of executors_study into ${report}`);
    return {
      rows,
      record: {
        method: `${innerRecord.method}; the compose stack of docker-compose.yml with ${workers} spark-worker container(s) of ${config.clusterWorkerCores} core and ${config.clusterWorkerMemory} each, the driver in the jupyter-lab container (client mode), Kafka, the master and Prometheus beside them on the same ${os.cpus().length}-core machine`,
        at: innerRecord.at,
      },
    };
  } finally {
    await clusterDown(config, { onProgress: say });
  }
}
