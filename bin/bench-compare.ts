#!/usr/bin/env node
// `npm run bench`: the CPU/GPU comparison report. The same recorded stream and the same training run
// through the baseline (the original's settings), the cpu profile and the gpu profile; writes
// reports/compare.md, compare.json and compare.html. Parses flags and prints; the work is lib's.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COMPARED_SETTINGS, runComparison } from '../lib/compare';
import { loadConfig } from '../lib/config';
import { isPitchstreamError, PitchstreamError } from '../lib/errors';
import type { EventSource } from '../lib/producer';
import { runningServices, stackDown, stackUp } from '../lib/stack';
import { defaultTrainingSource, type TrainingSource } from '../lib/training';

const USAGE = `usage: npm run bench -- [options]
  --stream-matches N     synthetic matches in the recorded stream (default 8, seed 11; ~3,500 events each, 360 frames included)
  --stream-statsbomb     record N real StatsBomb matches of STATSBOMB_DATA instead (La Liga, the first N)
  --batch-events N       most events per micro-batch, the same for every setting (default 4096)
  --train-data KIND      statsbomb (La Liga of STATSBOMB_DATA, all seasons: 518 matches in the shared copy) or
                         synthetic; default statsbomb when STATSBOMB_DATA holds La Liga, else synthetic
  --train-matches N      synthetic training matches (default 120)
  --trees N              Random Forest trees of the training runs (default 50)
  --no-training          stream only
  --settings LIST        comma-separated subset of ${COMPARED_SETTINGS.map((s) => s.id).join(',')} (default all)
  --out DIR              where compare.md/json/html go (default reports/)
  --keep                 keep the scratch outputs (stream runs, models) under PITCHSTREAM_OUTPUTS`;

const say = (line: string): void => void process.stdout.write(`${line}\n`);

function positive(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new PitchstreamError('CONFIG_INVALID', `--${name} must be a whole number ≥ 1, got ${JSON.stringify(raw)}`, { fix: `Run npm run bench -- --help for the options.` });
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'stream-matches': { type: 'string', default: '8' },
      'stream-statsbomb': { type: 'boolean', default: false },
      'batch-events': { type: 'string', default: '4096' },
      'train-matches': { type: 'string', default: '120' },
      'train-data': { type: 'string' },
      trees: { type: 'string', default: '50' },
      'no-training': { type: 'boolean', default: false },
      settings: { type: 'string' },
      out: { type: 'string', default: 'reports' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return say(USAGE);
  const config = loadConfig();
  const streamMatches = positive('stream-matches', values['stream-matches']);
  const settingIds = values.settings?.split(',').map((s) => s.trim()) ?? COMPARED_SETTINGS.map((s) => s.id);
  const unknown = settingIds.filter((id) => !COMPARED_SETTINGS.some((s) => s.id === id));
  if (unknown.length)
    throw new PitchstreamError('CONFIG_INVALID', `--settings: unknown setting ${unknown.join(', ')}`, { fix: `Use any of ${COMPARED_SETTINGS.map((s) => s.id).join(', ')}.` });

  const statsbomb = fs.existsSync(path.join(config.statsbombData, 'matches', '11'));
  if (values['stream-statsbomb'] && !statsbomb)
    throw new PitchstreamError('DATA_NOT_FOUND', `--stream-statsbomb needs La Liga data under STATSBOMB_DATA (${config.statsbombData})`, {
      fix: 'Point STATSBOMB_DATA at a StatsBomb open-data copy (e.g. ../shared/statsbomb/data) or leave out --stream-statsbomb.',
    });
  const streamSource: EventSource = values['stream-statsbomb']
    ? { kind: 'statsbomb', dir: config.statsbombData, competitionId: 11, limit: streamMatches }
    : { kind: 'synthetic', matches: streamMatches, seed: 11 };
  const streamDescription = values['stream-statsbomb']
    ? `StatsBomb open data, La Liga, the first ${streamMatches} matches`
    : `SYNTHETIC: ${streamMatches} matches from the pitchstream generator (seed 11), 360 frames on every event`;

  const trainData = values['train-data'] ?? (statsbomb ? 'statsbomb' : 'synthetic');
  if (trainData !== 'statsbomb' && trainData !== 'synthetic')
    throw new PitchstreamError('CONFIG_INVALID', `--train-data must be statsbomb or synthetic, got ${JSON.stringify(trainData)}`, { fix: 'Run npm run bench -- --help for the options.' });
  if (trainData === 'statsbomb' && !statsbomb)
    throw new PitchstreamError('DATA_NOT_FOUND', `--train-data statsbomb needs La Liga data under STATSBOMB_DATA (${config.statsbombData})`, {
      fix: 'Point STATSBOMB_DATA at a StatsBomb open-data copy (e.g. ../shared/statsbomb/data) or use --train-data synthetic.',
    });
  const trainingSource: TrainingSource =
    trainData === 'statsbomb' ? defaultTrainingSource(config) : { kind: 'synthetic', matches: positive('train-matches', values['train-matches']), seed: 2024 };

  const started = !runningServices(config).has('kafka') && config.kafkaBootstrap === undefined;
  const { kafkaBootstrap: bootstrap } = await stackUp(config);
  let workDir: string | undefined;
  try {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    workDir = path.resolve(config.outputs, `compare-${stamp}`);
    const files = await runComparison({
      config,
      bootstrap,
      streamSource,
      streamDescription,
      trainingSource,
      settings: COMPARED_SETTINGS.filter((s) => settingIds.includes(s.id)),
      maxEventsPerBatch: positive('batch-events', values['batch-events']),
      training: !values['no-training'],
      numTrees: positive('trees', values.trees),
      workDir,
      reportDir: path.resolve(config.root, values.out),
      onProgress: say,
    });
    say('');
    say(fs.readFileSync(files.markdownFile, 'utf8').split('\n## Settings')[0]!.trim());
    say('');
    say(`wrote ${files.markdownFile}, ${files.jsonFile}, ${files.chartFile}`);
  } finally {
    if (workDir && !values.keep) fs.rmSync(workDir, { recursive: true, force: true });
    if (started) await stackDown(config);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${isPitchstreamError(error) ? error.describe() : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
