// `npm run bench:train`: the whole La Liga corpus from raw JSON to an evaluated LWP model, timed,
// plus the executors study; writes reports/bench-train.json. Parses flags and prints; the work is lib's.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { loadConfig, type Config } from '../lib/config';
import { isPitchstreamError, PitchstreamError } from '../lib/errors';
import { startSparkStandalone, stopSparkStandalone, sparkStandaloneStatus } from '../lib/stack';
import {
  newRunName,
  prepareTrainingEvents,
  runClusterScalingStudy,
  runComposeScalingStudy,
  runExecutorsStudy,
  SCALING_CLUSTERS,
  samplePeakRss,
  trainLwp,
  type ExecutorsStudyReport,
  type PeakSampler,
  type ScalingCluster,
  type ScalingRow,
  type StudyRecord,
  type TrainingSource,
  withExecutorsStudy,
} from '../lib/training';

const USAGE = `usage: npm run bench:train -- [--competition 11] [--masters local[1],local[2]] [--cluster] [--no-study] [--calibration none|logistic] [--out reports/bench-train.json]
       npm run bench:train -- --study cluster|compose [--executors 1,2,3,4] [--competition 11] [--out reports/bench-train.json]
  --calibration  the saved model: the forest alone (none, the default) or with its logistic calibrator
  --masters   the masters study after the main run: the same training under each master (masters_study)
  --cluster   also run the masters study on the local standalone cluster (started for the bench, stopped after if it was not running)
  --study cluster  only the executors study: the same training on the local standalone cluster with 1, 2, … executors of
              one core each (the worker offers as many cores); with --master spark://… on that running master instead
  --study compose  the same study on the compose stack (npm run cluster): as many one-core worker containers as the
              largest executor count, the driver inside jupyter-lab; the stack is taken down after
  Each study writes its rows into executors_study (labelled by cluster), keeping the report's other keys and the
  other cluster's rows.`;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      competition: { type: 'string', default: '11' },
      masters: { type: 'string', default: 'local[1],local[2]' },
      cluster: { type: 'boolean', default: false },
      'no-study': { type: 'boolean', default: false },
      study: { type: 'string' },
      executors: { type: 'string', default: '1,2,3,4' },
      master: { type: 'string' },
      // Set by --study compose for the study it runs inside jupyter-lab.
      'cluster-name': { type: 'string', default: 'local standalone' },
      calibration: { type: 'string', default: 'none' },
      out: { type: 'string', default: path.join('reports', 'bench-train.json') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return say(USAGE);
  if (values.calibration !== 'none' && values.calibration !== 'logistic')
    throw new PitchstreamError('CONFIG_INVALID', `--calibration must be none or logistic, got ${JSON.stringify(values.calibration)}`, { fix: USAGE });
  const config = loadConfig();
  const run = newRunName('bench-train');
  const source = { kind: 'statsbomb' as const, dir: config.statsbombData, competitionIds: values.competition.split(',').map(Number) };
  const out = path.resolve(config.root, values.out);
  if (values.study !== undefined) {
    const executors = parseExecutors(values.executors);
    if (values.study === 'cluster') return clusterStudy(config, source, run, executors, values.master, clusterName(values['cluster-name']), out);
    if (values.study === 'compose') return composeStudy(config, source.competitionIds, executors, out);
    throw new PitchstreamError('CONFIG_INVALID', `--study must be cluster or compose, got ${JSON.stringify(values.study)}`, { fix: USAGE });
  }
  const master = values.master ?? 'local[2]';
  say(`bench:train — ${source.dir}, competitions ${source.competitionIds.join(',')}, master ${master}`);

  let sampler: PeakSampler | undefined;
  const startedMs = Date.now();
  const main = await trainLwp({
    config,
    source,
    run,
    master,
    calibration: values.calibration,
    onJob: (job) => {
      sampler = samplePeakRss(job.pid);
      say(`job ${job.job} started (pid ${job.pid}); driver log ${job.logPath}`);
    },
  });
  const peakRssBytes = sampler?.stop() ?? 0;
  const totalS = (Date.now() - startedMs) / 1000;
  const { report, prepared } = main;
  const t = report.timings;
  say(`prepared ${prepared.matches} matches, ${prepared.events} events in ${t.load_prepare_s.toFixed(1)} s`);
  say(`load ${t.load_s.toFixed(1)} s · features ${t.features_s.toFixed(1)} s · fit ${t.fit_s.toFixed(1)} s · evaluate ${t.evaluate_s.toFixed(1)} s · total ${totalS.toFixed(1)} s`);
  const m = report.metrics;
  const u = m.random_forest_uncalibrated;
  say(`RPS model ${m.random_forest.rps.toFixed(4)} · result classifier forest ${m.outcome_classifier.rps.toFixed(4)} · score-time ${m.score_time_logistic.rps.toFixed(4)} · class prior ${m.class_prior.rps.toFixed(4)} · ECE ${m.random_forest.ece.toFixed(4)}`);
  say(`calibration ${report.calibration.method} on ${report.calibration.matches} held-out training matches · uncalibrated → saved: ` +
    `RPS ${u.rps.toFixed(4)} → ${m.random_forest.rps.toFixed(4)} · log loss ${u.log_loss.toFixed(4)} → ${m.random_forest.log_loss.toFixed(4)} · ` +
    `ECE ${u.ece.toFixed(4)} → ${m.random_forest.ece.toFixed(4)} · ECE final 10 min ${u.ece_final_10min.toFixed(4)} → ${m.random_forest.ece_final_10min.toFixed(4)}`);
  const viewer = report.viewer_properties;
  say(`viewer properties on the test states: ` +
    (['goal', 'red_card', 'late_lead'] as const).map((p) => `${p} ${viewer.violations[p]} broken of ${viewer.checked[p]}`).join(' · '));
  for (const broken of viewer.listed.slice(0, 10)) say(`  ${broken.property}: match ${broken.match_id} at ${broken.minute}' — ${broken.detail}`);
  const classifierBroken = report.viewer_violations_by_model.outcome_classifier;
  say(`  (result classifier forest on the same states: ${(['goal', 'red_card', 'late_lead'] as const).map((p) => `${p} ${classifierBroken[p]}`).join(' · ')} broken)`);
  const men = report.man_advantage;
  say(`man advantage: goals to come × ${men.down.toFixed(3)} a man down, × ${men.up.toFixed(3)} a man up (${men.down_states} training states)`);

  let study: Awaited<ReturnType<typeof runExecutorsStudy>>['rows'] = [];
  if (!values['no-study']) {
    const masters = values.masters.split(',').filter(Boolean);
    let startedCluster = false;
    if (values.cluster) {
      const before = await sparkStandaloneStatus(config);
      const info = await startSparkStandalone(config);
      startedCluster = !(before.masterRunning && before.workerRunning);
      masters.push(info.masterUrl);
    }
    try {
      const result = await runExecutorsStudy({
        config,
        masters,
        prepared,
        run: `${run}-study`,
        onRow: (row) => say(`study ${row.master}: cores ${row.cores}, fit ${row.fit_s.toFixed(1)} s, job ${row.job_s.toFixed(1)} s, RPS ${row.rps.toFixed(4)}`),
      });
      study = result.rows;
    } finally {
      if (startedCluster) await stopSparkStandalone(config);
    }
  }

  const { executors_study: earlierStudy, executors_study_methods: earlierMethods } = previousReport(out) as ExecutorsStudyReport;
  const bench = {
    created_at: new Date().toISOString(),
    data: report.data.description,
    total_s: totalS,
    matches: prepared.matches,
    events: prepared.events,
    states: report.data.states,
    train_matches: report.data.train_matches,
    forest_train_matches: report.data.forest_train_matches,
    calibration_matches: report.data.calibration_matches,
    test_matches: report.data.test_matches,
    test_seasons: report.data.test_seasons,
    split: report.split.mode,
    master: report.master,
    timings_s: { load: t.load_s, load_prepare: t.load_prepare_s, load_spark: t.load_spark_s, features: t.features_s, fit: t.fit_s, evaluate: t.evaluate_s, write: t.write_s },
    job_wall_s: main.job.durationMs / 1000,
    events_per_s: prepared.events / (t.load_s + t.features_s),
    peak_memory: {
      process_group_rss_bytes: peakRssBytes,
      executors: report.executors,
    },
    rps_model: m.random_forest.rps,
    rps_score_time_baseline: m.score_time_logistic.rps,
    rps_class_prior: m.class_prior.rps,
    rps_improvement_vs_score_time: m.random_forest.rps_improvement_vs_score_time_logistic,
    rps_outcome_classifier: m.outcome_classifier.rps,
    ece: m.random_forest.ece,
    ece_final_10min: m.random_forest.ece_final_10min,
    log_loss: m.random_forest.log_loss,
    accuracy: m.random_forest.accuracy,
    f1_weighted: m.random_forest.f1_weighted,
    // The same forest before its calibrator, on the same test matches.
    calibration: report.calibration,
    rps_uncalibrated: u.rps,
    ece_uncalibrated: u.ece,
    ece_final_10min_uncalibrated: u.ece_final_10min,
    log_loss_uncalibrated: u.log_loss,
    accuracy_uncalibrated: u.accuracy,
    f1_weighted_uncalibrated: u.f1_weighted,
    metrics: m,
    viewer_properties: report.viewer_properties,
    viewer_violations_by_model: report.viewer_violations_by_model,
    man_advantage: report.man_advantage,
    hyper_parameters: report.hyper_parameters,
    masters_study: study,
    // The executors study on the cluster (`--study cluster`) is kept from an earlier report.
    ...(earlierStudy === undefined ? {} : { executors_study: earlierStudy, executors_study_methods: earlierMethods }),
    training_dir: main.trainingDir,
    model_dir: main.modelDir,
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(bench, null, 2) + '\n');
  say(`wrote ${out}`);
}

function previousReport(file: string): Record<string, unknown> {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
}

function clusterName(flag: string): ScalingCluster {
  const known = SCALING_CLUSTERS.find((cluster) => cluster === flag);
  if (!known) throw new PitchstreamError('CONFIG_INVALID', `--cluster-name must be one of ${SCALING_CLUSTERS.join(', ')}, got ${JSON.stringify(flag)}`, { fix: USAGE });
  return known;
}

function parseExecutors(flag: string): number[] {
  const executors = flag.split(',').map(Number);
  if (executors.length === 0 || executors.some((n) => !Number.isInteger(n) || n < 1) || !executors.includes(1))
    throw new PitchstreamError('CONFIG_INVALID', `--executors must be whole numbers ≥ 1 including 1 (the baseline), got ${JSON.stringify(flag)}`, { fix: USAGE });
  return executors;
}

/** Writes a study's rows and record into the report, keeping its other keys and the other clusters' rows. */
function writeStudy(out: string, cluster: ScalingCluster, rows: readonly ScalingRow[], record: StudyRecord): void {
  for (const row of rows) say(`${cluster}, executors ${row.executors}: ${row.seconds.toFixed(1)} s, speed-up ${row.speedup.toFixed(2)}, efficiency ${row.efficiency.toFixed(2)}`);
  const report = withExecutorsStudy(previousReport(out), cluster, rows, record);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  say(`wrote the ${cluster} rows of executors_study into ${out}`);
}

/**
 * --study cluster: the training with 1, 2, … executors on the local standalone cluster (started
 * here unless running), or with --master on a standalone master that is already up (the compose
 * study runs this inside jupyter-lab).
 */
async function clusterStudy(
  config: Config,
  source: Extract<TrainingSource, { kind: 'statsbomb' }>,
  run: string,
  executors: number[],
  givenMaster: string | undefined,
  cluster: ScalingCluster,
  out: string,
): Promise<void> {
  if (givenMaster !== undefined && !givenMaster.startsWith('spark://'))
    throw new PitchstreamError('CONFIG_INVALID', `--master of the executors study must be a standalone master (spark://host:port), got ${JSON.stringify(givenMaster)}`, { fix: USAGE });
  const most = Math.max(...executors);
  let clusterConfig = config;
  let where: string;
  if (givenMaster === undefined) {
    const before = await sparkStandaloneStatus(config);
    const workerCores = before.state?.workers.filter((worker) => worker.state === 'ALIVE').reduce((sum, worker) => sum + worker.cores, 0);
    if (before.masterRunning && workerCores !== undefined && workerCores < most)
      throw new PitchstreamError('CONFIG_INVALID', `the running local standalone cluster offers ${workerCores} cores, and the study asks for ${most} executors of one core`, {
        fix: 'Stop it (npm run stack -- down) so that the study starts its own, or pass fewer --executors.',
      });
    // One worker offering a core per executor (more cores than the machine has: the study shows what that costs).
    clusterConfig = { ...config, sparkWorkerCores: Math.max(config.sparkWorkerCores, most), sparkWorkerMemory: `${most + 1}g` };
    where = `the local standalone cluster (one worker, ${clusterConfig.sparkWorkerCores} cores offered, on a ${os.cpus().length}-core machine)`;
  } else where = `the standalone master ${givenMaster}`;
  say(`executors study on ${where}: ${executors.join(', ')} executor(s) of 1 core and 1g`);
  const prepared = await prepareTrainingEvents(source, { outDir: path.join(config.outputs, run, 'input') });
  say(`prepared ${prepared.matches} matches, ${prepared.events} events`);
  let startedHere = false;
  let master = givenMaster;
  if (master === undefined) {
    const before = await sparkStandaloneStatus(clusterConfig);
    master = (await startSparkStandalone(clusterConfig)).masterUrl;
    startedHere = !(before.masterRunning && before.workerRunning);
  }
  let rows: ScalingRow[];
  try {
    rows = await runClusterScalingStudy({
      config: clusterConfig,
      master,
      cluster,
      executors,
      prepared,
      run: `${run}-executors`,
      onRow: (row) => {
        say(`  ${row.executors} executor(s) (${row.executors_granted} granted): job ${row.seconds.toFixed(1)} s, features ${row.features_s.toFixed(1)} s, fit ${row.fit_s.toFixed(1)} s`);
        if (row.executors_granted < row.executors) say(`  warning: the master granted ${row.executors_granted} of ${row.executors} executors (too few free cores or memory): this row measures fewer executors than it names`);
      },
    });
  } finally {
    if (startedHere) await stopSparkStandalone(clusterConfig);
  }
  writeStudy(out, cluster, rows, {
    method: `the same training (${prepared.matches} matches of competition ${(source.competitionIds ?? []).join(',')}, same split and seed) on ${where}, spark.executor.cores 1 and spark.cores.max N; seconds: wall time of the training job; speed-up against 1 executor; efficiency = speed-up / N`,
    at: new Date().toISOString(),
  });
}

/** --study compose: the same study on the compose stack, its driver inside jupyter-lab. */
async function composeStudy(config: Config, competitions: number[], executors: number[], out: string): Promise<void> {
  const { rows, record } = await runComposeScalingStudy(config, { executors, competitions, onProgress: say });
  writeStudy(out, 'compose', rows, record);
}

main().catch((error: unknown) => {
  process.stderr.write(`${isPitchstreamError(error) ? error.describe() : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
