// Doctor facts for unit tests: a healthy machine, changed by a fixture's `#!` directives.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, versions, type Mode } from '../../../lib/config';
import type { DoctorFacts, FileFacts, WorkerFacts } from '../../../lib/doctor';
import { parseSize } from '../../../lib/doctor';
import { rapidsJarPath } from '../../../lib/spark/gpu-check';
import { confEntries, mergeSparkConf, parseSparkConf, type SparkConf, type SparkConfEntry } from '../../../lib/spark/spark-conf';

export const root = projectRoot();
export const home = path.join(root, '.pitchstream');
export const rapidsJar = rapidsJarPath(home, versions());
export const variables = { root, home, rapidsJar };
const GiB = 1024 ** 3;
const script = path.join(root, 'spark-rapids', 'getGpusResources.sh');
const metricsConf = path.join(root, 'spark-conf', 'metrics.properties');

/** A healthy environment around `conf` (no GPU hardware: hardware checks skip). */
export function healthyFacts(conf: SparkConf, mode: Mode, extra: Partial<DoctorFacts> = {}): DoctorFacts {
  return {
    mode,
    hardwareRequired: false,
    master: 'local[*]',
    conf,
    profile: conf,
    overrides: [],
    host: { memoryBytes: 16 * GiB, cores: 8 },
    python: { pyspark: '4.0.0', pandas: '2.3.3', pyarrow: '21.0.0', numpy: '2.3.5' },
    pysparkMinimums: { pandas: '2.0.0', pyarrow: '11.0.0', numpy: '1.21' },
    pinned: { spark: '4.0.0', scala: '2.13', rapids: versions().rapids },
    connectorJars: ['spark-sql-kafka-0-10_2.13-4.0.0.jar', 'spark-token-provider-kafka-0-10_2.13-4.0.0.jar', 'kafka-clients-3.9.0.jar'],
    connectorDir: path.join(home, 'jars', 'spark-kafka-4.0.0'),
    rapidsJar: { path: rapidsJar, exists: false },
    gpu: { nvidiaSmi: 'absent', gpus: [], detail: 'not on PATH' },
    files: { [script]: { exists: true, executable: true }, [metricsConf]: { exists: true, executable: false } },
    cluster: { kind: 'local', onThisHost: true, sparkVersion: undefined, versionSource: 'local master', workers: [], workersSource: 'unknown' },
    kafka: { bootstrap: '127.0.0.1:9092', reachable: true, security: 'PLAINTEXT', securityProblems: [], securityIgnored: [] },
    ports: [{ port: 9092, purpose: 'Kafka broker', variable: 'PITCHSTREAM_KAFKA_PORT', free: false, ours: true }],
    ...extra,
  };
}

function keyValues(words: string[]): Record<string, string> {
  return Object.fromEntries(words.map((word) => word.split('=') as [string, string]));
}

/** Facts for test/fixtures/doctor/<name>.conf: its settings as the shared profile, its `#!` lines as the environment. */
export function fixtureFacts(name: string): DoctorFacts {
  const file = path.join(root, 'test', 'fixtures', 'doctor', name);
  const text = fs.readFileSync(file, 'utf8');
  const profile = mergeSparkConf([parseSparkConf(text, name)], variables);
  let mode: Mode = 'cpu';
  let master = 'local[*]';
  const overrides: SparkConfEntry[] = [];
  const workers: WorkerFacts[] = [];
  const files: Record<string, FileFacts> = {};
  const connectors: string[] = [];
  let facts = healthyFacts(profile, mode);
  let python = { ...facts.python };
  let minimums = { ...facts.pysparkMinimums };
  let host = facts.host;
  let sparkVersion: string | undefined;
  for (const line of text.split('\n')) {
    const match = /^#!\s*(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, directive, rest] = match as unknown as [string, string, string];
    const words = rest.trim().split(/\s+/);
    switch (directive) {
      case 'mode':
        mode = words[0] as Mode;
        break;
      case 'master':
        master = words[0]!;
        break;
      case 'host':
        host = { ...host, memoryBytes: parseSize(keyValues(words).memory)! };
        break;
      case 'worker': {
        const w = keyValues(words);
        workers.push({ cores: Number(w.cores), memoryMb: parseSize(w.memory)! / 1024 ** 2, gpus: Number(w.gpus ?? 0) });
        break;
      }
      case 'cluster':
        sparkVersion = keyValues(words).version;
        break;
      case 'python':
        python = { ...python, ...keyValues(words) };
        break;
      case 'minimums':
        minimums = keyValues(words);
        break;
      case 'connector':
        connectors.push(words[0]!);
        break;
      case 'override':
        overrides.push(...confEntries({ [words[0]!]: words.slice(1).join(' ') }, 'options.conf'));
        break;
      case 'file':
        files[words[0]!] = { exists: words[1] !== 'missing', executable: words[1] !== 'not-executable' && words[1] !== 'missing' };
        break;
      default:
        throw new Error(`${name}: unknown directive #! ${directive}`);
    }
  }
  const standalone = master.startsWith('spark://');
  facts = healthyFacts(mergeSparkConf([[...parseSparkConf(text, name)], overrides], variables), mode, {
    master,
    profile,
    overrides,
    host,
    python,
    pysparkMinimums: minimums,
    files: { ...facts.files, ...files },
    ...(connectors.length ? { connectorJars: connectors } : {}),
    cluster: standalone
      ? { kind: 'standalone', onThisHost: true, sparkVersion, versionSource: sparkVersion ? 'master UI http://127.0.0.1:8080' : 'master UI does not answer', workers, workersSource: 'config' }
      : facts.cluster,
  });
  return facts;
}
