// `pitchstream produce …`: parses the produce flags, runs produceEvents, prints a line a second and the summary.
import crypto from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../lib/config';
import { PitchstreamError } from '../lib/errors';
import { DEFAULT_EVENTS_PER_SECOND, DEFAULT_PARTITIONS, DEFAULT_TOPIC, formatProduceProgress, produceEvents, type ProduceOptions, type ProduceSummary } from '../lib/producer';

export const PRODUCE_USAGE = `usage: pitchstream produce [options]
input (one of):
  --data <dir>               StatsBomb open-data folder (default STATSBOMB_DATA)
    --matches <id,id…>       only these matches
    --competition <id> --season <id>
    --limit <n>              at most n matches
  --synthetic <n> [--seed <s>]  n synthetic matches made in memory (seed default 1)
pace (one of):
  --rate <events/s>          fixed rate (default ${DEFAULT_EVENTS_PER_SECOND})
  --rate max                 as fast as the broker takes them
  --speed <factor>           match-clock replay, all matches kick off together (60: 90 minutes in 90 s)
loop:
  --loop                     replay forever; --rounds <n> replays n times (round r ≥ 1: new ids, later times)
  --loop-gap-ms <ms>         event-time gap between rounds (default 60000)
Kafka:
  --topic <name>             default ${DEFAULT_TOPIC}
  --partitions <n>           when the topic is created (default ${DEFAULT_PARTITIONS})
  --retention-ms <ms>        retention.ms when the topic is created (broker default otherwise)
  --compression none|gzip    default none
  --batch-events <n>         most events per produce request (default 4000)
  --lanes <n>                parallel idempotent producers, each owning a share of the partitions (default 1)
  --concurrent-matches <n>   fixed/max rate: send n matches side by side (default 1, one after another)
other:
  --on-bad-file skip|fail    a truncated or malformed file: skip it with a warning (default) or stop
  --out <dir>                where manifest.json goes (default PITCHSTREAM_OUTPUTS/produce-<time>)
Ctrl-C or SIGTERM stops gracefully: what was handed to Kafka is flushed, totals are printed.`;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function flagError(flag: string, expected: string, received: string): PitchstreamError {
  return new PitchstreamError('CONFIG_INVALID', `--${flag} must be ${expected}, got "${received}"`, { fix: `Correct --${flag}.\n${PRODUCE_USAGE}` });
}

function number(flag: string, raw: string | undefined, integer: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw flagError(flag, integer ? 'a whole number ≥ 1' : 'a number > 0', raw);
  return value;
}

function runId(): string {
  return `produce-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${crypto.randomBytes(2).toString('hex')}`;
}

/** The produce options a command line asks for (everything but the signal and callbacks). */
export function parseProduceArgs(argv: string[], config: Config): ProduceOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      matches: { type: 'string' },
      competition: { type: 'string' },
      season: { type: 'string' },
      limit: { type: 'string' },
      synthetic: { type: 'string' },
      seed: { type: 'string' },
      rate: { type: 'string' },
      speed: { type: 'string' },
      loop: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      'loop-gap-ms': { type: 'string' },
      topic: { type: 'string' },
      partitions: { type: 'string' },
      'retention-ms': { type: 'string' },
      compression: { type: 'string' },
      'batch-events': { type: 'string' },
      lanes: { type: 'string' },
      'concurrent-matches': { type: 'string' },
      'on-bad-file': { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values.synthetic !== undefined && (values.data ?? values.matches ?? values.competition ?? values.limit) !== undefined)
    throw flagError('synthetic', 'used without --data, --matches, --competition or --limit', values.synthetic);
  if (values.rate !== undefined && values.speed !== undefined) throw flagError('speed', 'used without --rate', values.speed);
  if (values.loop && values.rounds !== undefined) throw flagError('rounds', 'used without --loop', values.rounds);
  if ((values.competition === undefined) !== (values.season === undefined))
    throw flagError(values.competition === undefined ? 'season' : 'competition', 'given with --competition/--season as a pair', values.competition ?? values.season ?? '');
  const matchIds = values.matches?.split(',').map((id) => number('matches', id.trim(), true)!);
  const source: ProduceOptions['source'] =
    values.synthetic !== undefined
      ? { kind: 'synthetic', matches: number('synthetic', values.synthetic, true)!, seed: Number(values.seed ?? '1') }
      : {
          kind: 'statsbomb',
          dir: path.resolve(values.data ?? config.statsbombData),
          matchIds,
          competitionId: number('competition', values.competition, true),
          seasonId: number('season', values.season, true),
          limit: number('limit', values.limit, true),
        };
  if (values.seed !== undefined && !Number.isInteger(Number(values.seed))) throw flagError('seed', 'a whole number', values.seed);
  const rate: ProduceOptions['rate'] =
    values.speed !== undefined
      ? { kind: 'match-clock', speed: number('speed', values.speed, false)! }
      : values.rate === 'max'
        ? { kind: 'max' }
        : { kind: 'fixed', eventsPerSecond: number('rate', values.rate, false) ?? DEFAULT_EVENTS_PER_SECOND };
  const onBadFile = values['on-bad-file'] ?? 'skip';
  if (onBadFile !== 'skip' && onBadFile !== 'fail') throw flagError('on-bad-file', 'skip or fail', onBadFile);
  const compression = values.compression ?? 'none';
  if (compression !== 'none' && compression !== 'gzip') throw flagError('compression', 'none or gzip', compression);
  return {
    bootstrap: config.kafkaBootstrap ?? `127.0.0.1:${config.kafkaPort}`,
    source,
    outputDir: path.resolve(values.out ?? path.join(config.outputs, runId())),
    topic: values.topic ?? DEFAULT_TOPIC,
    partitions: number('partitions', values.partitions, true),
    retentionMs: number('retention-ms', values['retention-ms'], true),
    compression,
    rate,
    rounds: values.loop ? Infinity : (number('rounds', values.rounds, true) ?? 1),
    loopGapMs: number('loop-gap-ms', values['loop-gap-ms'], true),
    onBadFile,
    batchEvents: number('batch-events', values['batch-events'], true),
    lanes: number('lanes', values.lanes, true),
    concurrentMatches: number('concurrent-matches', values['concurrent-matches'], true),
  };
}

function describeSummary(summary: ProduceSummary): string[] {
  const seconds = summary.durationMs / 1_000;
  return [
    `${summary.status}: ${summary.events.toLocaleString('en')} events (${(summary.valueBytes / 1e6).toFixed(1)} MB) from ${summary.matches} matches to ${summary.topic} in ${seconds.toFixed(1)} s`,
    `  rounds completed: ${summary.roundsCompleted}`,
    `  achieved rate:    ${summary.achievedEventsPerSecond === null ? 'n/a' : `${Math.round(summary.achievedEventsPerSecond).toLocaleString('en')} events/s`} (first to last send)`,
    `  skipped files:    ${summary.skippedFiles.length}${summary.skippedFiles.map((s) => `\n    ${s.file ?? `match ${s.matchId}`}`).join('')}`,
    `  manifest:         ${summary.manifestPath}`,
  ];
}

/** `pitchstream produce …`: runs until done or Ctrl-C/SIGTERM (a second signal exits at once). */
export async function runProduce(config: Config, argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) return say(PRODUCE_USAGE);
  const options = parseProduceArgs(argv, config);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) process.exit(130);
    say(`\n${signal}: stopping, flushing what was handed to Kafka … (again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  say(`producing to ${options.topic} at ${options.bootstrap} …`);
  const handle = produceEvents({
    ...options,
    signal: controller.signal,
    onProgress: (stats) => say(formatProduceProgress(stats)),
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
  });
  try {
    describeSummary(await handle.done).forEach(say);
  } catch (error) {
    const manifestPath = error instanceof PitchstreamError ? error.details.manifestPath : undefined;
    if (typeof manifestPath === 'string') say(`manifest of what was sent before the failure: ${manifestPath}`);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
