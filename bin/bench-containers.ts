// `npm run bench:containers`: the compose stack's cold build, image size, warm start and rate against local[2]; writes
// reports/bench-containers.json. Parses flags and prints; the work is lib's.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { benchContainers } from '../lib/containers';
import { isPitchstreamError } from '../lib/errors';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: path.join('reports', 'bench-containers.json') } } });
  const result = await benchContainers(loadConfig(), (line) => process.stdout.write(`${line}\n`));
  fs.mkdirSync(path.dirname(values.out), { recursive: true });
  fs.writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\ncold build ${result.cold_build_s} s; images ${result.images_total_mb} MB in all; warm up → healthy ${result.warm_up_healthy_s} s; stats job sustained ${result.cluster_sustained_events_per_s}/s on the 2-worker cluster, ${result.local_sustained_events_per_s}/s on local[2] (ratio ${result.cluster_vs_local_rate_ratio ?? 'n/a'})\nwritten: ${values.out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`\nbench:containers: ${isPitchstreamError(error) ? error.describe() : error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
