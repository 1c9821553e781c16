// `npm start`: bring the stack up, check it end to end (smoke pipeline), run notebooks 02 → 03 →
// 04 headless with short parameters, write the executed notebooks and an HTML report under
// reports/, and stop what it started (at once when headless, on Ctrl-C in a terminal).
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../lib/config';
import { runNotebookReport } from '../lib/reports';
import { runSmokePipeline } from '../lib/smoke';
import { runningServices, stackDown, stackUp } from '../lib/stack';
import { waitForInterrupt } from './wait-for-interrupt';

export const MAIN_NOTEBOOKS = [
  '02_Entrenamiento_Modelo_LWP.ipynb',
  '03_Streaming_Estadisticas.ipynb',
  '04_Streaming_Inferencia_LWP.ipynb',
] as const;

/** Short runs for the main job; a notebook's own defaults apply to everything not named here. */
const SHORT_PARAMETERS: Record<string, string> = {
  STREAM_DURATION_S: '45',
  LWP_STREAM_DURATION_S: '45',
};

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

export async function runMainJob(config: Config, options: MainJobOptions): Promise<void> {
  const rel = (p: string) => path.relative(process.cwd(), p);
  // What already ran (e.g. `npm run stack -- up` earlier) is left running at the end.
  const alreadyRunning = runningServices(config);
  let failed = false;
  try {
    const endpoints = await stackUp(config, { cluster: options.cluster, onProgress: say });
    const smoke = await runSmokePipeline(config, { bootstrap: endpoints.kafkaBootstrap, master: endpoints.sparkMaster, onProgress: say });
    say(`stack check passed: ${smoke.rows.toLocaleString('en')} messages Kafka → Spark → Arrow → TypeScript, checksum ${smoke.checksum} (${rel(smoke.arrowFile)})`);

    const note = dataNote(config);
    say(`\n${note}`);
    const notebooks = MAIN_NOTEBOOKS.filter((name) => fs.existsSync(path.join(config.root, 'notebooks', name)));
    const outDir = path.join(config.root, 'reports');
    const report = await runNotebookReport({
      root: config.root,
      notebooks,
      outDir,
      env: { ...SHORT_PARAMETERS, ...(options.cluster ? { LWP_MASTER: endpoints.sparkMaster } : {}) },
      dataNote: note,
      onProgress: say,
    });
    failed = !report.ok;
    say(`\nReport: ${rel(report.index)}`);
    for (const run of report.runs) say(`  ${run.status === 'passed' ? 'ok    ' : 'FAILED'} ${run.notebook}${run.html ? `  ${rel(run.html)}` : ''}`);
    for (const run of report.runs.filter((r) => r.error)) say(`\n${run.notebook} failed:\n${run.error}`);
    say(`Kafka: ${endpoints.kafkaBootstrap}${endpoints.sparkMasterUi ? `   Spark master UI: ${endpoints.sparkMasterUi}` : ''}`);
    if (options.keepRunning) {
      say('\nThe stack stays up for exploring (npm run stack -- status; npm run lab). Press Ctrl-C to stop it.');
      await waitForInterrupt();
    }
  } finally {
    say('\nstopping the stack …');
    const stopped = await stackDown(config, { keep: alreadyRunning });
    say(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing to stop');
    if (alreadyRunning.size) say(`left running (started before): ${[...alreadyRunning].join(', ')}`);
  }
  if (failed) process.exitCode = 1;
}
