#!/usr/bin/env node
// `npm run bench:producer`: the producer's top speed into the local broker, with and without 360 frames, per
// producer setting, with the CPU it used; writes reports/bench-producer.json. A benchmark, not a test.
// Real events come from --data <dir> or STATSBOMB_DATA (e.g. ../shared/statsbomb/data).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../lib/config';
import { normalizeEvents, openStatsBomb, toMatchInfo, type MatchInfo } from '../lib/data';
import { isPitchstreamError } from '../lib/errors';
import { createKafkaClient } from '../lib/kafka';
import { generateSyntheticDataset } from '../lib/synthetic';
import { produceEvents, type MatchEvents, type ProduceOptions } from '../lib/producer';
import { makeLoopbackCertificates, runningServices, startKafkaBroker, stopKafkaBroker } from '../lib/stack';
import { anyFreePorts } from '../lib/stack/ports';

/** Real matches without three-sixty data: about 100,000 events. */
const REAL_MATCHES = 28;
const SYNTHETIC_MATCHES = 12;
const CLOCK_TICKS_PER_S = 100;

interface Variant {
  name: string;
  settings: Pick<ProduceOptions, 'kafka' | 'idempotent' | 'lanes' | 'maxInFlightRequests' | 'compression' | 'batchEvents' | 'concurrentMatches'>;
}

/** The first four also run with frames. */
const VARIANTS: Variant[] = [
  { name: 'idempotent, acks=all, 1 lane, 1 match at a time (the default)', settings: {} },
  { name: 'idempotent, acks=all, 1 lane, 4 matches side by side', settings: { concurrentMatches: 4 } },
  { name: 'idempotent, acks=all, 2 lanes, 4 matches side by side', settings: { lanes: 2, concurrentMatches: 4 } },
  { name: 'idempotent, acks=all, 4 lanes, 8 matches side by side', settings: { lanes: 4, concurrentMatches: 8, batchEvents: 8_000 } },
  { name: 'not idempotent, acks=all, 5 in flight, 4 matches side by side', settings: { idempotent: false, maxInFlightRequests: 5, concurrentMatches: 4 } },
  { name: 'idempotent, acks=all, 2 lanes, 4 matches side by side, gzip', settings: { lanes: 2, concurrentMatches: 4, compression: 'gzip' } },
];

/** The Kafka client the producer runs on; the comparison that chose it is in the README ("Producing events"). */
const CLIENT_PACKAGE = '@platformatic/kafka';

interface RunFigures {
  variant: string;
  data: string;
  events: number;
  megabytes: number;
  seconds: number;
  events_per_s: number;
  mb_per_s: number;
  producer_cores: number;
  /** Producer CPU (user + system, all threads) per event, in microseconds: the figure least moved by other load. */
  producer_cpu_us_per_event: number;
  broker_cores: number | null;
  broker_cpu_us_per_event: number | null;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** CPU seconds a process used so far (Linux /proc), or null when it cannot be read. */
function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}

async function measure(bootstrap: string, brokerPid: number | undefined, variant: Variant, data: string, matches: MatchEvents[], rounds: number): Promise<RunFigures> {
  const topic = `bench-producer-${Date.now()}`;
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-bench-'));
  const brokerBefore = processCpuSeconds(brokerPid);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    const summary = await produceEvents({
      bootstrap,
      topic,
      outputDir,
      source: { kind: 'events', label: data, matches },
      rate: { kind: 'max' },
      rounds,
      ...variant.settings,
    }).done;
    const seconds = (performance.now() - started) / 1_000;
    const cpu = process.cpuUsage(cpuBefore);
    const brokerAfter = processCpuSeconds(brokerPid);
    const sendSeconds = (summary.lastSendAtMs! - summary.firstSendAtMs!) / 1_000;
    const figures: RunFigures = {
      variant: variant.name,
      data,
      events: summary.events,
      megabytes: summary.valueBytes / 1e6,
      seconds,
      events_per_s: Math.round(summary.achievedEventsPerSecond!),
      mb_per_s: Number(((summary.valueBytes / 1e6) * (summary.achievedEventsPerSecond! / summary.events)).toFixed(2)),
      producer_cores: Number(((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)),
      producer_cpu_us_per_event: Number(((cpu.user + cpu.system) / summary.events).toFixed(1)),
      broker_cores: brokerBefore === null || brokerAfter === null ? null : Number(((brokerAfter - brokerBefore) / seconds).toFixed(2)),
      broker_cpu_us_per_event: brokerBefore === null || brokerAfter === null ? null : Number((((brokerAfter - brokerBefore) * 1e6) / summary.events).toFixed(1)),
    };
    say(
      `  ${variant.name.padEnd(58)} ${figures.events_per_s.toLocaleString('en').padStart(9)} ev/s  ${figures.mb_per_s.toFixed(1).padStart(6)} MB/s  ` +
        `producer ${figures.producer_cores} cores (${figures.producer_cpu_us_per_event} µs/event), broker ${figures.broker_cores ?? 'n/a'} cores  (${summary.events.toLocaleString('en')} events, sends over ${sendSeconds.toFixed(2)} s)`,
    );
    return figures;
  } finally {
    const client = createKafkaClient(bootstrap, { security: variant.settings.kafka?.security });
    await client.deleteTopic(topic).catch(() => undefined);
    await client.close();
    fs.rmSync(outputDir, { recursive: true, force: true });
  }
}

async function realMatchesWithoutFrames(dir: string): Promise<MatchEvents[]> {
  const reader = openStatsBomb(dir);
  const withFrames = new Set(fs.readdirSync(path.join(reader.dir, 'three-sixty')).map((name) => Number.parseInt(name, 10)));
  const picked: MatchInfo[] = [];
  for await (const match of reader.matches()) {
    if (match.eventsAvailable && !withFrames.has(match.matchId)) picked.push(match);
    if (picked.length === REAL_MATCHES) break;
  }
  return Promise.all(picked.map(async (match) => ({ match, events: await reader.events(match.matchId) })));
}

function syntheticMatchesWithFrames(): MatchEvents[] {
  return generateSyntheticDataset({ matches: SYNTHETIC_MATCHES, seed: 7 }).matches.map(({ match, events, frames }) => {
    const info = toMatchInfo(match, true);
    return { match: info, events: normalizeEvents(info, events, frames) };
  });
}

/** --data <dir>, else STATSBOMB_DATA. */
function dataDir(config: Config): string {
  const flag = process.argv.indexOf('--data');
  return flag >= 0 && process.argv[flag + 1] ? path.resolve(process.argv[flag + 1]!) : config.statsbombData;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const loadAtStart = os.loadavg()[0];
  const ours = !config.kafkaBootstrap && !runningServices(config).has('kafka');
  say(config.kafkaBootstrap ? `using the Kafka cluster at ${config.kafkaBootstrap}` : 'starting (or reusing) the embedded Kafka broker …');
  // The embedded broker this benchmark starts also gets a TLS listener (a CA made for the run), for events_per_s_tls.
  const certificates = ours ? makeLoopbackCertificates(fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-bench-tls-'))) : undefined;
  const [sslPort, saslSslPort] = await anyFreePorts(2);
  const broker = await startKafkaBroker(config, certificates ? { secured: { keystorePem: certificates.keystorePem, sslPort: sslPort!, saslSslPort: saslSslPort!, scramUsers: [] } } : {});
  try {
    const real = await realMatchesWithoutFrames(dataDir(config));
    const synthetic = syntheticMatchesWithFrames();
    const count = (matches: MatchEvents[]) => matches.reduce((sum, m) => sum + m.events.length, 0);
    const framed = synthetic.reduce((sum, m) => sum + m.events.filter((e) => e.freeze_frame !== null).length, 0);
    const realLabel = `${real.length} real StatsBomb matches without 360 data (${count(real).toLocaleString('en')} events), 3 rounds`;
    const syntheticLabel = `${synthetic.length} synthetic matches (${count(synthetic).toLocaleString('en')} events, ${framed.toLocaleString('en')} with 360 freeze frames), 3 rounds`;
    say(`warming up (one round, not counted) …`);
    await measure(broker.bootstrap, broker.record?.pid, VARIANTS[0]!, realLabel, real, 1);
    say(`events without frames: ${realLabel}`);
    const withoutFrames: RunFigures[] = [];
    for (const variant of VARIANTS) withoutFrames.push(await measure(broker.bootstrap, broker.record?.pid, variant, realLabel, real, 3));
    say(`events with frames: ${syntheticLabel}`);
    const withFrames: RunFigures[] = [];
    for (const variant of VARIANTS.slice(0, 4)) withFrames.push(await measure(broker.bootstrap, broker.record?.pid, variant, syntheticLabel, synthetic, 3));

    // The best plaintext setting again, over TLS (same data, same broker).
    const bestPlain = withoutFrames.filter((r) => !r.variant.startsWith('not idempotent')).sort((a, b) => b.events_per_s - a.events_per_s)[0]!;
    const bestVariant = VARIANTS.find((variant) => variant.name === bestPlain.variant)!;
    if (broker.secured) say(`over the TLS listener (${broker.secured.ssl}), the best setting above:`);
    const tlsRun =
      broker.secured && certificates
        ? await measure(
            broker.secured.ssl,
            broker.record?.pid,
            { name: `${bestVariant.name}, over TLS`, settings: { ...bestVariant.settings, kafka: { security: { protocol: 'SSL', tls: { caFile: certificates.caFile } } } } },
            realLabel,
            real,
            3,
          )
        : undefined;
    const defaultRun = withoutFrames[0]!;
    // The headline figure: idempotent runs of the default engine.
    const best = (runs: RunFigures[]) =>
      runs.filter((r) => !r.variant.startsWith('not idempotent')).sort((a, b) => b.events_per_s - a.events_per_s)[0]!;
    const bestWithout = best(withoutFrames);
    const bestWith = best(withFrames);
    const report = {
      date: new Date().toISOString(),
      what: 'pitchstream producer, as fast as possible (rate max), acks=all, into the embedded single-node Kafka broker on the same machine',
      events_per_s: bestWithout.events_per_s,
      events_per_s_setting: bestWithout.variant,
      events_per_s_default_setting: defaultRun.events_per_s,
      mb_per_s: bestWithout.mb_per_s,
      events_per_s_with_frames: bestWith.events_per_s,
      events_per_s_with_frames_setting: bestWith.variant,
      mb_per_s_with_frames: bestWith.mb_per_s,
      with_frames_data:
        'synthetic matches from lib/synthetic (the real sample has 360 frames for one match only); every synthetic event with a three-sixty frame carries its freeze_frame and visible_area',
      producer_cores: bestWithout.producer_cores,
      producer_cpu_us_per_event: bestWithout.producer_cpu_us_per_event,
      broker_cores: bestWithout.broker_cores,
      broker_cpu_us_per_event: bestWithout.broker_cpu_us_per_event,
      client: { name: CLIENT_PACKAGE, version: (JSON.parse(fs.readFileSync(path.join(config.root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies[CLIENT_PACKAGE] },
      // Only the client still in the project is measured; the run that compared it with the hand-written produce
      // path and kafkajs (both removed since) is in the README, with the commit that re-runs it.
      clients: { platformatic: { events_per_s: bestWithout.events_per_s, producer_cpu_us_per_event: bestWithout.producer_cpu_us_per_event, setting: bestWithout.variant } },
      target_events_per_s: 100_000,
      events_per_s_tls: tlsRun?.events_per_s ?? null,
      events_per_s_tls_setting: tlsRun?.variant ?? 'not measured: the benchmark measures TLS only on the embedded broker it starts itself',
      producer_cpu_us_per_event_tls: tlsRun?.producer_cpu_us_per_event ?? null,
      target_events_per_s_tls: 70_000,
      runs: [...withoutFrames, ...(tlsRun ? [tlsRun] : []), ...withFrames],
      machine: {
        cpus: os.cpus().length,
        cpu_model: os.cpus()[0]?.model ?? 'unknown',
        memory_gb: Number((os.totalmem() / 2 ** 30).toFixed(1)),
        platform: `${os.platform()} ${os.release()}`,
        node: process.version,
        load_average_1m_at_start: loadAtStart,
        load_average_1m_at_end: os.loadavg()[0],
      },
    };
    const file = path.join(config.root, 'reports', 'bench-producer.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    say(
      `\n${report.events_per_s.toLocaleString('en')} events/s without frames (${report.events_per_s_setting}), ${report.events_per_s_with_frames.toLocaleString('en')} with frames, ` +
        `${report.events_per_s_tls === null ? 'TLS not measured' : `${report.events_per_s_tls.toLocaleString('en')} over TLS`}`,
    );
    say(`report: ${path.relative(process.cwd(), file)}`);
  } finally {
    if (ours) await stopKafkaBroker(config);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\nbench-producer: ${isPitchstreamError(error) ? error.describe() : error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
