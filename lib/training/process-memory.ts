// Peak resident memory of a process group (a spark-submit JVM with its Python workers), sampled from /proc (Linux).
import fs from 'node:fs';

/** Resident bytes of every process whose process group is pgid; 0 where /proc is not readable. */
export function processGroupRssBytes(pgid: number): number {
  let total = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (in parentheses): state ppid pgrp … rss is field 24 (1-based).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      total += Number(fields[21]) * 4096;
    } catch {
      // The process ended between readdir and read.
    }
  }
  return total;
}

export interface PeakSampler {
  /** Stops sampling; the highest total seen, in bytes. */
  stop(): number;
}

/** Samples processGroupRssBytes(pgid) every intervalMs (default 500) and keeps the peak. */
export function samplePeakRss(pgid: number, intervalMs = 500): PeakSampler {
  let peak = processGroupRssBytes(pgid);
  const timer = setInterval(() => (peak = Math.max(peak, processGroupRssBytes(pgid))), intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
