// `npm run k8s -- render|apply|status|logs|delete`: the jobs on Kubernetes with the Spark Operator.
// Argument parsing and printing only; lib/kubernetes renders and drives kubectl.
import { parseArgs } from 'node:util';
import type { Config, Mode } from '../lib/config';
import { PitchstreamError } from '../lib/errors';
import {
  applicationName,
  applicationStatus,
  applyManifests,
  DEFAULT_NAMESPACE,
  deleteApplication,
  driverLogs,
  KUBERNETES_JOB_NAMES,
  KUBERNETES_JOBS,
  manifestsYaml,
  renderManifests,
  VOLUME_CLAIMS,
  type KubernetesJobName,
} from '../lib/kubernetes';

export const K8S_USAGE = `usage:
  pitchstream k8s render <job> [--executors N] [--mode cpu|gpu] [--image IMAGE] [--namespace NS]
                               [--bootstrap HOST:PORT] [--topic NAME] [--run NAME]
                              print the job's manifests (namespace, service account and RBAC,
                              volume claims, SparkApplication) as YAML; needs no cluster
  pitchstream k8s apply <job> [same options]
                              render and kubectl apply them
  pitchstream k8s status <job> [--namespace NS]
                              the operator's state of the job and of its executors
  pitchstream k8s logs <job> [--lines N] [--namespace NS]
                              the last lines of the job's driver pod
  pitchstream k8s delete <job> [--namespace NS]
                              delete the SparkApplication (volumes and RBAC stay)

jobs:
${KUBERNETES_JOB_NAMES.map((name) => `  ${name.padEnd(6)} ${KUBERNETES_JOBS[name].description}`).join('\n')}

volumes (ReadWriteMany claims in the namespace):
${Object.entries(VOLUME_CLAIMS).map(([volume, claim]) => `  ${claim.claim.padEnd(20)} ${claim.holds} (${volume})`).join('\n')}`;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function usageError(problem: string): PitchstreamError {
  return new PitchstreamError('CONFIG_INVALID', problem, { fix: `See \`npm run k8s -- --help\`.\n${K8S_USAGE}` });
}

function jobName(value: string | undefined): KubernetesJobName {
  if (!value) throw usageError('name a job: train, stats or lwp');
  if (!(KUBERNETES_JOB_NAMES as readonly string[]).includes(value)) throw usageError(`unknown job "${value}" (jobs: ${KUBERNETES_JOB_NAMES.join(', ')})`);
  return value as KubernetesJobName;
}

function wholeNumber(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1) throw usageError(`--${option} must be a whole number ≥ 1, got "${value}"`);
  return number;
}

export async function runK8s(config: Config, argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      executors: { type: 'string' },
      mode: { type: 'string' },
      image: { type: 'string' },
      namespace: { type: 'string', default: DEFAULT_NAMESPACE },
      bootstrap: { type: 'string' },
      topic: { type: 'string' },
      run: { type: 'string' },
      lines: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [action, job] = positionals;
  if (values.help || !action) return say(K8S_USAGE);
  const mode = (values.mode ?? config.mode) as Mode;
  if (mode !== 'cpu' && mode !== 'gpu') throw usageError(`--mode must be cpu or gpu, got "${values.mode}"`);
  const render = (name: KubernetesJobName) =>
    renderManifests(name, {
      root: config.root,
      home: config.home,
      mode,
      executors: wholeNumber('executors', values.executors, 2),
      namespace: values.namespace,
      ...(values.image ? { image: values.image } : {}),
      ...(values.bootstrap ? { bootstrap: values.bootstrap } : {}),
      ...(values.topic ? { topic: values.topic } : {}),
      ...(values.run ? { run: values.run } : {}),
    });
  const application = applicationName;
  switch (action) {
    case 'render': {
      const name = jobName(job);
      process.stdout.write(manifestsYaml(render(name), `pitchstream ${name} (${KUBERNETES_JOBS[name].job}, mode ${mode}): kubectl apply -f <this file>, with the Spark Operator installed.`));
      return;
    }
    case 'apply': {
      const name = jobName(job);
      for (const line of await applyManifests(render(name))) say(line);
      say(`follow it with: npm run k8s -- status ${name}   (driver log: npm run k8s -- logs ${name})`);
      return;
    }
    case 'status': {
      const name = jobName(job);
      const status = await applicationStatus(application(name), values.namespace);
      if (!status) return say(`no SparkApplication ${application(name)} in namespace ${values.namespace} (start it with: npm run k8s -- apply ${name})`);
      say(`${status.name}: ${status.state}${status.driverPod ? ` (driver pod ${status.driverPod})` : ''}`);
      for (const [pod, state] of Object.entries(status.executors)) say(`  ${pod.padEnd(48)} ${state}`);
      if (status.error) say(`error: ${status.error}`);
      return;
    }
    case 'logs':
      return say(await driverLogs(application(jobName(job)), values.namespace, wholeNumber('lines', values.lines, 100)));
    case 'delete': {
      const name = jobName(job);
      say((await deleteApplication(application(name), values.namespace)) ? `deleted ${application(name)}` : `there was no ${application(name)} in namespace ${values.namespace}`);
      return;
    }
    default:
      throw usageError(`unknown k8s action "${action}"`);
  }
}
