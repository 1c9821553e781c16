#!/usr/bin/env node
// The command line: `npm run stack -- up|down|status|reset-kafka`, `npm run cluster -- …`, `npm run k8s -- …`, `npm run lab`, `npm start`.
// It only parses arguments and prints; the work is done by lib.
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../lib/config';
import { isPitchstreamError } from '../lib/errors';
import { resetKafkaData, stackDown, stackStatus, stackUp } from '../lib/stack';
import { runCluster } from './cluster';
import { runDoctor } from './doctor';
import { runK8s } from './k8s';
import { runLab } from './lab';
import { runMainJob } from './main-job';
import { runProduce } from './produce';

const USAGE = `usage:
  pitchstream stack up [--cluster]   start Kafka (and with --cluster the local Spark master + worker)
  pitchstream stack down             stop every process the stack started
  pitchstream stack status           what runs, on which ports, with URLs
  pitchstream stack reset-kafka      delete the embedded broker's data (topics are lost)
  pitchstream lab                    Jupyter Lab with the tslab kernel (token auth on)
  pitchstream cluster up|status|logs|down|build
                                     the stack as containers: Kafka, Spark cluster, Lab, Prometheus (--help)
  pitchstream k8s render|apply|status|logs|delete <job>
                                     the jobs on Kubernetes with the Spark Operator (--help)
  pitchstream produce [options]      replay StatsBomb (or synthetic) events into Kafka (--help)
  pitchstream doctor [options]       check the Spark configuration and the environment (--help)
  pitchstream start [--cluster] [--keep-running|--exit]
                                     the main job: stack up, smoke pipeline, report`;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function stack(config: Config, action: string | undefined, cluster: boolean): Promise<void> {
  switch (action) {
    case 'up': {
      const endpoints = await stackUp(config, { cluster, onProgress: say });
      say(`\nKafka bootstrap: ${endpoints.kafkaBootstrap}`);
      say(`Spark master:    ${endpoints.sparkMaster}`);
      if (endpoints.sparkMasterUi) say(`Spark master UI: ${endpoints.sparkMasterUi}`);
      if (endpoints.sparkWorkerUi) say(`Spark worker UI: ${endpoints.sparkWorkerUi}`);
      say('Stop everything with: npm run stack -- down');
      return;
    }
    case 'down': {
      const stopped = await stackDown(config, { onProgress: say });
      say(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing was running');
      return;
    }
    case 'status': {
      const services = stackStatus(config);
      if (services.length === 0) say('nothing is running (start with: npm run stack -- up)');
      for (const s of services) {
        const ports = Object.entries(s.ports).map(([k, v]) => `${k}:${v}`).join(' ');
        const urls = Object.values(s.urls).join(' ');
        say(`${s.running ? 'running' : 'DEAD   '}  ${s.service.padEnd(13)} pid ${String(s.pid).padEnd(7)} ${ports.padEnd(28)} ${urls}`);
        if (!s.running) say(`         its log: ${s.log} (clear with: npm run stack -- down)`);
      }
      say(`Spark jobs run on ${config.sparkMaster}${config.sparkMaster.startsWith('local') ? ' (embedded; each job shows its UI from :' + config.sparkUiPort + ')' : ''}`);
      if (config.kafkaBootstrap) say(`Kafka: external cluster at ${config.kafkaBootstrap}`);
      return;
    }
    case 'reset-kafka':
      say(`deleted ${resetKafkaData(config)}`);
      return;
    default:
      throw new Error(`unknown stack action "${action ?? ''}"\n${USAGE}`);
  }
}

async function main(argv: string[]): Promise<void> {
  // Sub-commands with their own options parse the rest of the line themselves.
  if (argv[0] === 'produce') return runProduce(loadConfig(), argv.slice(1));
  if (argv[0] === 'cluster') return runCluster(loadConfig(), argv.slice(1));
  if (argv[0] === 'k8s') return runK8s(loadConfig(), argv.slice(1));
  if (argv[0] === 'doctor') {
    process.exitCode = await runDoctor(loadConfig(), argv.slice(1));
    return;
  }
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      cluster: { type: 'boolean', default: false },
      'keep-running': { type: 'boolean' },
      exit: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, action] = positionals;
  if (values.help || !command) {
    say(USAGE);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'stack':
      return stack(config, action, values.cluster);
    case 'lab':
      return runLab(config);
    case 'start': {
      // Interactive: keep the stack up to explore until Ctrl-C. Headless: stop when done.
      const keepRunning = values.exit ? false : (values['keep-running'] ?? Boolean(process.stdin.isTTY));
      return runMainJob(config, { cluster: values.cluster, keepRunning });
    }
    default:
      throw new Error(`unknown command "${command}"\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (isPitchstreamError(error)) process.stderr.write(`\npitchstream: ${error.describe()}\n`);
  else process.stderr.write(`\npitchstream: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
