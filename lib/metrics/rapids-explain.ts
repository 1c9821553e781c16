// RAPIDS Accelerator explain output (spark.rapids.sql.explain=NOT_ON_GPU or ALL) in a driver log:
// which operators ran on the GPU and which fell back to the CPU, and why. Pure.
//
// The plugin logs a tree, two spaces of indent per level, one line per operator or expression:
//   <indicator><kind> <ClassName> <what happens>
// indicator: * will run on GPU · ! cannot run on GPU because … · @ could run on GPU but its plan
// stays on the CPU · $ not on GPU for cost · # will be removed. kind: Exec, Expression, Scan,
// Partitioning, Output, … (as RapidsMeta.print writes them).

export type GpuPlacement = 'gpu' | 'cpu' | 'removed';

export interface RapidsExplainLine {
  /** Exec, Expression, Scan, Partitioning, … */
  kind: string;
  /** The Spark class replaced or not (ProjectExec, Alias, …). */
  operator: string;
  placement: GpuPlacement;
  indicator: '*' | '!' | '@' | '$' | '#';
  /** Why it stays on the CPU (after "because"), or what the plugin says. */
  reason: string;
  /** Depth in the plan tree (0 = root of one explain block). */
  depth: number;
}

const LOG_HEADER = /^\d{2,4}[/-]\d{2}[/-]\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\s+[A-Z]+\s+[\w$.]+:\s?/;
// Older plugins wrote "! <Class> …" without the kind; the kind is then Exec.
const EXPLAIN_LINE = /^( *)([*!@$#])([A-Za-z_]*) ?<([^>]+)> (.*)$/;

function placementOf(indicator: RapidsExplainLine['indicator']): GpuPlacement {
  if (indicator === '*') return 'gpu';
  if (indicator === '#') return 'removed';
  return 'cpu';
}

function reasonOf(indicator: RapidsExplainLine['indicator'], text: string): string {
  const because = /cannot run on GPU because (.*)$/.exec(text);
  if (because) return because[1]!;
  if (indicator === '@') return `${text} (its plan stays on the CPU)`;
  return text;
}

/** Every explain line in a log text (other log lines are ignored). */
export function parseRapidsExplain(log: string): RapidsExplainLine[] {
  const lines: RapidsExplainLine[] = [];
  for (const raw of log.split(/\r?\n/)) {
    const match = EXPLAIN_LINE.exec(raw.replace(LOG_HEADER, ''));
    if (!match) continue;
    const indicator = match[2] as RapidsExplainLine['indicator'];
    lines.push({ kind: match[3] || 'Exec', operator: match[4]!, placement: placementOf(indicator), indicator, reason: reasonOf(indicator, match[5]!), depth: match[1]!.length / 2 });
  }
  return lines;
}

export interface GpuPlacementRow {
  kind: string;
  operator: string;
  /** How often the plugin reported it on the GPU / on the CPU (each planned batch reports again). */
  onGpu: number;
  onCpu: number;
  removed: number;
  /** Distinct reasons for the CPU fallbacks. */
  reasons: string[];
}

/** One row per kind + operator, fallbacks first. `kinds` defaults to plan operators (Exec, Scan, Output…), not expressions. */
export function gpuPlacementTable(lines: readonly RapidsExplainLine[], kinds?: readonly string[]): GpuPlacementRow[] {
  const rows = new Map<string, GpuPlacementRow>();
  for (const line of lines) {
    if (kinds ? !kinds.includes(line.kind) : line.kind === 'Expression') continue;
    const key = `${line.kind} ${line.operator}`;
    const row = rows.get(key) ?? { kind: line.kind, operator: line.operator, onGpu: 0, onCpu: 0, removed: 0, reasons: [] };
    if (line.placement === 'gpu') row.onGpu += 1;
    else if (line.placement === 'removed') row.removed += 1;
    else {
      row.onCpu += 1;
      if (!row.reasons.includes(line.reason)) row.reasons.push(line.reason);
    }
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.onCpu - a.onCpu || a.operator.localeCompare(b.operator));
}
