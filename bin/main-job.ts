// `npm start`: bring the stack up, check it end to end (smoke pipeline), run notebooks 02 → 03 →
// 04 headless with short parameters, write the executed notebooks and an HTML report under
// reports/, and stop what it started (at once when headless, on Ctrl-C in a terminal).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../lib/config';
import { runNotebookReport } from '../lib/reports';
import { runSmokePipeline } from '../lib/smoke';
import { runningServices, stackDown, stackStatus, stackUp } from '../lib/stack';
import { isAlive } from '../lib/stack/processes';
import { describeWaitOutcome, stopRequest, waitForInterrupt } from './wait-for-interrupt';

export const MAIN_NOTEBOOKS = [
  '02_Entrenamiento_Modelo_LWP.ipynb',
  '03_Streaming_Estadisticas.ipynb',
  '04_Streaming_Inferencia_LWP.ipynb',
] as const;

/**
 * Short runs for the main job; a notebook's own defaults apply to everything not named here, and a
 * parameter set in the caller's environment wins (STREAM_DURATION_S=120 npm start).
 */
const SHORT_PARAMETERS: Record<string, string> = {
  STREAM_DURATION_S: '45',
  LWP_DURATION_S: '45',
};

function unlessSet(parameters: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(parameters).filter(([name]) => process.env[name] === undefined));
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function dataNote(config: Config): string {
  return fs.existsSync(path.join(config.statsbombData, 'competitions.json'))
    ? `Data: StatsBomb open data from ${config.statsbombData}.`
    : `No StatsBomb data at STATSBOMB_DATA=${config.statsbombData}: the notebooks run OFFLINE on SYNTHETIC matches (pitchstream's seeded generator), labelled as such in every chart.`;
}

export interface MainJobOptions {
  cluster: boolean;
  keepRunning: boolean;
}

/** The stack's running services, for the wait: one that dies ends it, with its log named. */
function stackWatch(config: Config): { what: string; alive: () => boolean }[] {
  return stackStatus(config)
    .filter((service) => service.running)
    .map((service) => ({ what: `${service.service} (log ${service.log})`, alive: () => isAlive(service.pid) }));
}

export async function runMainJob(config: Config, options: MainJobOptions): Promise<void> {
  const rel = (p: string) => path.relative(process.cwd(), p);
  // What already ran (e.g. `npm run stack -- up` earlier) is left running at the end.
  const alreadyRunning = runningServices(config);
  let failed = false;
  let finished = false; // the run's work was done; a stop during the keep-running wait is the expected end
  // Ctrl-C, SIGTERM or a closed terminal during the run: the running notebook is stopped (its
  // kernel shut down), the rest skipped, and the stack stopped below, as at the end.
  const stop = stopRequest();
  try {
    const endpoints = await stackUp(config, { cluster: options.cluster, onProgress: say });
    stop.throwIfRequested();
    const smoke = await runSmokePipeline(config, { bootstrap: endpoints.kafkaBootstrap, master: endpoints.sparkMaster, onProgress: say });
    say(`stack check passed: ${smoke.rows.toLocaleString('en')} messages Kafka → Spark → Arrow → TypeScript, checksum ${smoke.checksum} (${rel(smoke.arrowFile)})`);
    stop.throwIfRequested();

    const note = dataNote(config);
    say(`\n${note}`);
    const notebooks = MAIN_NOTEBOOKS.filter((name) => fs.existsSync(path.join(config.root, 'notebooks', name)));
    const outDir = path.join(config.root, 'reports');
    const report = await runNotebookReport({
      root: config.root,
      notebooks,
      outDir,
      env: { ...unlessSet(SHORT_PARAMETERS), ...(options.cluster ? { LWP_MASTER: endpoints.sparkMaster } : {}) },
      dataNote: note,
      onProgress: say,
      signal: stop.signal,
    });
    failed = !report.ok;
    say(`\nReport: ${rel(report.index)}`);
    for (const run of report.runs) say(`  ${run.status === 'passed' ? 'ok    ' : run.status === 'interrupted' ? 'STOPPED' : 'FAILED'} ${run.notebook}${run.html ? `  ${rel(run.html)}` : ''}`);
    for (const run of report.runs.filter((r) => r.error && r.status === 'failed')) say(`\n${run.notebook} failed:\n${run.error}`);
    stop.throwIfRequested();
    say(`Kafka: ${endpoints.kafkaBootstrap}${endpoints.sparkMasterUi ? `   Spark master UI: ${endpoints.sparkMasterUi}` : ''}`);
    finished = true;
    if (options.keepRunning) {
      say('\nThe stack stays up for exploring (npm run stack -- status; npm run lab). Press Ctrl-C to stop it.');
      // The stop request already listens for the signals; the wait adds the keep-alive and the watch of the services.
      const outcome = await waitForInterrupt({ watch: stackWatch(config), stop });
      if (outcome.reason === 'stopped') {
        process.stderr.write(`\n${outcome.what} stopped by itself.\n`);
        failed = true;
      }
    }
  } catch (error) {
    if (!stop.requested) throw error;
  } finally {
    if (stop.requested) say(`\n${describeWaitOutcome({ reason: 'signal', signal: stop.requested })}: stopping …`);
    say('\nstopping the stack …');
    const stopped = await stackDown(config, { keep: alreadyRunning });
    say(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing to stop');
    if (alreadyRunning.size) say(`left running (started before): ${[...alreadyRunning].join(', ')}`);
    // Only now: a second Ctrl-C while the stack stops must not kill the command half-way.
    stop.dispose();
  }
  // Stopped before its work was done: the shell's convention for a command ended by a signal.
  if (stop.requested && !finished) process.exitCode = 128 + (os.constants.signals[stop.requested] ?? 2);
  else if (failed) process.exitCode = 1;
}
