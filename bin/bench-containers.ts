// `npm run bench:containers`: the compose stack's cold build, image size, warm start and rate against local[2]; writes
// reports/bench-containers.json. Parses flags and prints; the work is lib's.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { benchContainers, DEFAULT_LADDER, type LadderOptions } from '../lib/containers';
import { isPitchstreamError } from '../lib/errors';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: path.join('reports', 'bench-containers.json') },
      rates: { type: 'string', default: DEFAULT_LADDER.rates.join(',') },
      'step-s': { type: 'string', default: String(DEFAULT_LADDER.stepS) },
      'warm-up-s': { type: 'string', default: String(DEFAULT_LADDER.warmUpS) },
    },
  });
  const rates = values.rates.split(',').map(Number);
  if (rates.length === 0 || rates.some((rate) => !Number.isInteger(rate) || rate < 1)) throw new Error(`--rates must be whole numbers ≥ 1, comma-separated, got "${values.rates}"`);
  const seconds = (flag: string, value: string): number => {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) throw new Error(`--${flag} must be a number of seconds > 0, got "${value}"`);
    return number;
  };
  const ladder: LadderOptions = { rates, stepS: seconds('step-s', values['step-s']), warmUpS: seconds('warm-up-s', values['warm-up-s']) };
  const result = await benchContainers(loadConfig(), (line) => process.stdout.write(`${line}\n`), ladder);
  fs.mkdirSync(path.dirname(values.out), { recursive: true });
  fs.writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\ncold build ${result.cold_build_s} s; images ${result.images_total_mb} MB in all; warm up → healthy ${result.warm_up_healthy_s} s; stats job sustained ${result.cluster_sustained_events_per_s}/s on the 2-worker cluster, ${result.local_sustained_events_per_s}/s on local[2] (ratio ${result.cluster_vs_local_rate_ratio ?? 'n/a'})\nwritten: ${values.out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`\nbench:containers: ${isPitchstreamError(error) ? error.describe() : error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
