// `pitchstream doctor [--mode cpu|gpu] [--master URL] [--json] [--list]`: argument parsing and printing only.
import { parseArgs } from 'node:util';
import type { Config, Mode } from '../lib/config';
import { CHECKS, diagnose, formatDoctorReport } from '../lib/doctor';

export const DOCTOR_USAGE = `usage: pitchstream doctor [--mode cpu|gpu] [--master URL] [--json] [--list]
  checks the effective Spark configuration and the environment; exit code 1 on any failure.
  --mode    profile to check (default PITCHSTREAM_MODE); checking gpu from a cpu setting skips
            the hardware checks (nvidia-smi, RAPIDS jar) with the reason
  --master  Spark master to check against (default SPARK_MASTER)
  --json    the report as JSON
  --list    the checks the doctor runs`;

/** Runs the doctor for the CLI; returns the process exit code (0: no failure, 1: failures). */
export async function runDoctor(config: Config, argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { mode: { type: 'string' }, master: { type: 'string' }, json: { type: 'boolean' }, list: { type: 'boolean' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${DOCTOR_USAGE}\n`);
    return 0;
  }
  if (values.list) {
    for (const check of CHECKS) process.stdout.write(`${check.id.padEnd(26)} ${check.title}\n`);
    return 0;
  }
  if (values.mode !== undefined && values.mode !== 'cpu' && values.mode !== 'gpu') throw new Error(`--mode must be cpu or gpu, got "${values.mode}"\n${DOCTOR_USAGE}`);
  const report = await diagnose({ config, mode: values.mode as Mode | undefined, master: values.master, network: 'any' });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatDoctorReport(report)}\n`);
  return report.ok ? 0 : 1;
}
