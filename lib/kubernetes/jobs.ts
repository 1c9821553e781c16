// The jobs pitchstream runs on Kubernetes, by their short names, and their arguments inside a pod:
// the same argument builders trainLwp, startMatchStats and startLwpStream use, given pod paths.
import path from 'node:path';
import { CONTAINER_ROOT } from '../containers/build-context';
import { statefulStreamingConf, type SparkConf } from '../spark';
import { lwpStreamArguments, LWP_STREAM_JOB } from '../inference/lwp-stream-job';
import { matchStatsArguments, MATCH_STATS_JOB } from '../streaming/match-stats-job';
import { PREPARED_EVENTS_DIR, PREPARED_MATCHES_FILE } from '../training/prepare-events';
import { trainLwpArguments } from '../training/train-lwp';

export const KUBERNETES_JOB_NAMES = ['train', 'stats', 'lwp'] as const;
export type KubernetesJobName = (typeof KUBERNETES_JOB_NAMES)[number];

/** Where the three volumes are mounted in the driver and executor pods. */
export const POD_MOUNTS = { data: '/data', models: '/models', outputs: '/outputs' } as const;
export type VolumeName = keyof typeof POD_MOUNTS;

export interface KubernetesJobInput {
  /** Kafka bootstrap servers as the pods reach them (stream jobs). */
  bootstrap: string;
  topic: string;
  /** The run's name: its folder under the outputs volume. */
  run: string;
}

export interface KubernetesJob {
  name: KubernetesJobName;
  /** jobs/<job>.py */
  job: string;
  description: string;
  /** Streaming jobs run until stopped (restarted on failure); the training ends by itself. */
  streaming: boolean;
  /** The volumes the job mounts, and whether it writes to them. */
  volumes: Partial<Record<VolumeName, 'read' | 'write'>>;
  arguments(input: KubernetesJobInput): string[];
  /** Spark settings the job adds on top of the profile, as its local starter adds them. */
  conf(master: string): SparkConf;
}

const MODEL_DIR = path.posix.join(POD_MOUNTS.models, 'lwp_model');

export const KUBERNETES_JOBS: Readonly<Record<KubernetesJobName, KubernetesJob>> = {
  train: {
    name: 'train',
    job: 'train_lwp',
    description: `trains the LWP model from the input prepared under ${POD_MOUNTS.data}/training (events/, matches.ndjson) into ${MODEL_DIR}`,
    streaming: false,
    volumes: { data: 'read', models: 'write', outputs: 'write' },
    arguments: (input) =>
      trainLwpArguments({
        eventsDir: path.posix.join(POD_MOUNTS.data, 'training', PREPARED_EVENTS_DIR),
        matchesFile: path.posix.join(POD_MOUNTS.data, 'training', PREPARED_MATCHES_FILE),
        modelDir: MODEL_DIR,
        trainingDir: path.posix.join(POD_MOUNTS.outputs, input.run, 'training'),
        schemaFile: path.posix.join(CONTAINER_ROOT, 'contracts', 'event.schema.json'),
        prepareSeconds: 0,
        dataLabel: `prepared input on the data volume (${POD_MOUNTS.data}/training)`,
      }),
    conf: () => ({}),
  },
  stats: {
    name: 'stats',
    job: MATCH_STATS_JOB,
    description: 'computes the 1-minute window statistics per match and team from the Kafka topic',
    streaming: true,
    volumes: { outputs: 'write' },
    arguments: (input) => matchStatsArguments({ bootstrap: input.bootstrap, topic: input.topic }, path.posix.join(POD_MOUNTS.outputs, input.run)),
    conf: (master) => statefulStreamingConf(master),
  },
  lwp: {
    name: 'lwp',
    job: LWP_STREAM_JOB,
    description: `applies the model at ${MODEL_DIR} to the Kafka topic: live win probabilities per match`,
    streaming: true,
    volumes: { models: 'read', outputs: 'write' },
    arguments: (input) => lwpStreamArguments({ bootstrap: input.bootstrap, topic: input.topic, modelDir: MODEL_DIR }, path.posix.join(POD_MOUNTS.outputs, input.run)),
    conf: (master) => statefulStreamingConf(master),
  },
};
