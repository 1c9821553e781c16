// Reading what a job's Python runtime reports: its PITCHSTREAM_APP line, its error file, tracebacks.
import fs from 'node:fs';

export const APP_LINE_PREFIX = 'PITCHSTREAM_APP ';

export interface AppInfo {
  appId: string;
  uiUrl: string | undefined;
}

/** What the runtime writes to --error-file on an uncaught exception (or what the log shows). */
export interface PythonError {
  /** Qualified exception type, e.g. "ValueError" or "pyspark.errors.exceptions.captured.AnalysisException". */
  type: string;
  message: string;
  traceback: string;
}

/** The application line printed right after the session starts, or undefined for any other line. */
export function parseAppLine(line: string): AppInfo | undefined {
  const start = line.indexOf(APP_LINE_PREFIX);
  if (start === -1) return undefined;
  try {
    const record = JSON.parse(line.slice(start + APP_LINE_PREFIX.length)) as { appId?: unknown; uiUrl?: unknown };
    if (typeof record.appId !== 'string') return undefined;
    return { appId: record.appId, uiUrl: typeof record.uiUrl === 'string' ? record.uiUrl : undefined };
  } catch {
    return undefined;
  }
}

const TRACEBACK_START = 'Traceback (most recent call last):';
// A line of Spark's log4j pattern (yy/MM/dd HH:mm:ss) or of PySpark's JSON logging ends a message.
const LOG_LINE = /^(\d{2}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} |\{"ts": )/;

/** The last Python traceback block of a driver log: the frames and the exception's message. */
export function extractPythonTraceback(log: string): string | undefined {
  const lines = log.split(/\r?\n/);
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i -= 1)
    if (lines[i]!.startsWith(TRACEBACK_START)) {
      start = i;
      break;
    }
  if (start === -1) return undefined;
  let end = start + 1;
  while (end < lines.length && /^\s/.test(lines[end]!)) end += 1; // frames: indented
  while (end < lines.length && lines[end]!.trim() !== '' && !LOG_LINE.test(lines[end]!)) end += 1; // exception lines
  return lines.slice(start, end).join('\n');
}

/** Exception type and message from a traceback's final "Type: message" part. */
export function parsePythonTraceback(traceback: string): PythonError {
  const lines = traceback.split('\n');
  let first = lines.findIndex((line, i) => i > 0 && !/^\s/.test(line));
  if (first === -1) first = lines.length - 1;
  const head = lines[first] ?? '';
  const colon = head.indexOf(': ');
  const type = colon === -1 ? head.trim() : head.slice(0, colon);
  const message = [colon === -1 ? '' : head.slice(colon + 2), ...lines.slice(first + 1)].join('\n').trim();
  return { type, message, traceback };
}

/** The runtime's error file, if the job wrote one. */
export function readErrorFile(file: string): PythonError | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const record = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const name = String(record.type ?? 'Exception');
    const module = typeof record.module === 'string' && record.module !== 'builtins' ? `${record.module}.` : '';
    return { type: `${module}${name}`, message: String(record.message ?? ''), traceback: String(record.traceback ?? '') };
  } catch {
    return undefined;
  }
}
