// The doctor: gather facts, run every check, report; and the gate submitJob runs before a launch.
import { htmlTable } from '../jupyter/html-table';
import { PitchstreamError } from '../errors';
import { runChecks } from './checks';
import { gatherDoctorFacts, type DoctorInput } from './facts';
import type { CheckResult, DoctorFacts, DoctorReport } from './types';

/** A report from check results: ok when nothing failed (warnings and skips do not block). */
export function doctorReport(facts: Pick<DoctorFacts, 'mode' | 'master'>, results: CheckResult[]): DoctorReport {
  const failures = results.filter((r) => r.status === 'fail');
  return { mode: facts.mode, master: facts.master, results, ok: failures.length === 0, failures, warnings: results.filter((r) => r.status === 'warn') };
}

/** Checks the effective configuration and the environment (see CHECKS for the list). */
export async function diagnose(input: DoctorInput): Promise<DoctorReport> {
  const facts = await gatherDoctorFacts(input);
  return doctorReport(facts, runChecks(facts));
}

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skipped: 'skip' } as const;

/** Plain text for the command line: one line per check, then cause and fix under each problem. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines = [`pitchstream doctor — mode ${report.mode}, master ${report.master}`];
  for (const r of report.results) {
    lines.push(`${MARK[r.status]}  ${r.id.padEnd(26)} ${r.message}`);
    if ((r.status === 'fail' || r.status === 'warn') && r.fix) lines.push(`${' '.repeat(32)}fix: ${r.fix}`);
  }
  lines.push(
    report.ok
      ? `\n${report.warnings.length ? `no failure, ${report.warnings.length} warning(s)` : 'all checks passed'}`
      : `\n${report.failures.length} failure(s): ${report.failures.map((f) => f.id).join(', ')}`,
  );
  return lines.join('\n');
}

/** The report as an HTML table for notebooks. */
export function doctorReportHtml(report: DoctorReport): string {
  return htmlTable(report.results.map((r) => ({ check: r.id, status: r.status, message: r.message, fix: r.fix })));
}

/** DOCTOR_FAILED naming every failed check with its cause and fix. */
export function doctorFailure(report: DoctorReport): PitchstreamError {
  const list = report.failures.map((f) => `- ${f.id}: ${f.message}\n  fix: ${f.fix}`).join('\n');
  return new PitchstreamError('DOCTOR_FAILED', `the doctor found ${report.failures.length} problem(s) with the ${report.mode} configuration for ${report.master}:\n${list}`, {
    fix: report.failures.map((f) => f.fix).join(' '),
    details: { failures: report.failures, mode: report.mode, master: report.master },
  });
}

/**
 * The gate submitJob runs before every launch: the same checks, only local probes (no remote
 * master, no Kafka metadata round-trip, no port scan). Throws DOCTOR_FAILED on any failure;
 * returns the report (warnings included) otherwise.
 */
export async function runDoctorBeforeSubmit(input: Pick<DoctorInput, 'config' | 'master' | 'conf'>): Promise<DoctorReport> {
  const report = await diagnose({ ...input, network: 'local', probeStack: false });
  if (!report.ok) throw doctorFailure(report);
  return report;
}
