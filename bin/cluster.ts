// `npm run cluster -- up|status|down|logs|build`: the compose stack (Kafka, Spark master and workers,
// Jupyter Lab, Prometheus; Grafana with --monitoring). Argument parsing and printing only.
import { parseArgs } from 'node:util';
import type { Config } from '../lib/config';
import { clusterBuild, clusterDown, clusterLogs, clusterStatus, clusterUp } from '../lib/containers';

export const CLUSTER_USAGE = `usage:
  pitchstream cluster up [--workers N] [--monitoring]
                              build the images that are missing, start the stack, wait until healthy
  pitchstream cluster status  every container of the stack with its health
  pitchstream cluster logs <service> [--lines N]
                              the last lines of a service's containers (e.g. spark-worker)
  pitchstream cluster down    remove every container, network and volume of the stack
  pitchstream cluster build [--gpu]
                              build the images only (--gpu: also spark-rapids)`;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function runCluster(config: Config, argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workers: { type: 'string' },
      monitoring: { type: 'boolean', default: false },
      gpu: { type: 'boolean', default: false },
      lines: { type: 'string', default: '50' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [action, service] = positionals;
  if (values.help || !action) return say(CLUSTER_USAGE);
  switch (action) {
    case 'up': {
      const workers = values.workers === undefined ? undefined : Number(values.workers);
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) throw new Error(`--workers must be a positive whole number, got "${values.workers}"`);
      const up = await clusterUp(config, { workers, monitoring: values.monitoring, onProgress: say });
      say(`\nJupyter Lab:     ${up.labUrl}`);
      say(`Spark master UI: ${up.sparkMasterUi} (${up.workers} worker${up.workers === 1 ? '' : 's'})`);
      say(`Prometheus:      ${up.prometheus}`);
      if (up.grafana) say(`Grafana:         ${up.grafana}`);
      say(`Kafka (host):    ${up.kafkaBootstrap} (containers: kafka:9092)`);
      say('Remove it all with: npm run cluster -- down');
      return;
    }
    case 'status': {
      const states = await clusterStatus(config);
      if (states.length === 0) return say('the stack is down (start it with: npm run cluster -- up)');
      for (const s of states) say(`${s.container.padEnd(32)} ${s.status.padEnd(9)} ${s.health || '(no health check)'}`);
      return;
    }
    case 'logs':
      if (!service) throw new Error(`cluster logs needs a service name\n${CLUSTER_USAGE}`);
      return say(await clusterLogs(config, service, Number(values.lines)));
    case 'down': {
      const down = await clusterDown(config, { onProgress: say });
      say(down.removedContainers.length ? `removed ${down.removedContainers.length} containers, the stack's network and volumes` : 'the stack was not running');
      if (down.leftovers.length) {
        process.exitCode = 1;
        say(`still there: ${down.leftovers.join(', ')}`);
      }
      return;
    }
    case 'build':
      say(`images tagged ${await clusterBuild(config, { gpu: values.gpu, onProgress: say })}`);
      return;
    default:
      throw new Error(`unknown cluster action "${action}"\n${CLUSTER_USAGE}`);
  }
}
