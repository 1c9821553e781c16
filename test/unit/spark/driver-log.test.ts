import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPythonTraceback, parseAppLine, parsePythonTraceback, readErrorFile } from '../../../lib/spark/driver-log';

// Real driver logs of spark-submit runs (Spark 4.0.0, Python 3.11), kept as fixtures.
const logs = path.join(__dirname, '..', '..', 'fixtures', 'jobs', 'logs');
const failLog = fs.readFileSync(path.join(logs, 'fail_on_purpose.driver.log'), 'utf8');
const analysisLog = fs.readFileSync(path.join(logs, 'analysis_exception.driver.log'), 'utf8');

describe('extractPythonTraceback', () => {
  it('cuts the traceback of a plain Python exception out of the driver log', () => {
    const traceback = extractPythonTraceback(failLog)!;
    expect(traceback.startsWith('Traceback (most recent call last):')).toBe(true);
    expect(traceback).toContain('in explode');
    expect(traceback.split('\n').at(-1)).toBe('ValueError: deliberate failure for the test');
    expect(traceback).not.toContain('PITCHSTREAM_APP');
  });

  it('keeps the whole multi-line message of a Spark AnalysisException and none of the JSON log line', () => {
    const traceback = extractPythonTraceback(analysisLog)!;
    expect(traceback).toContain("'Project ['nope]");
    expect(traceback).toContain('+- Range (0, 3, step=1, splits=Some(4))');
    expect(traceback).not.toContain('"level": "ERROR"');
  });

  it('finds nothing in a log without a traceback', () => {
    expect(extractPythonTraceback('WARNING: Using incubator modules\nall good\n')).toBeUndefined();
  });
});

describe('parsePythonTraceback', () => {
  it('splits the final line into the qualified type and the message', () => {
    const error = parsePythonTraceback(extractPythonTraceback(analysisLog)!);
    expect(error.type).toBe('pyspark.errors.exceptions.captured.AnalysisException');
    expect(error.message).toMatch(/^\[UNRESOLVED_COLUMN\.WITH_SUGGESTION\].*\n'Project \['nope\]/);
  });
});

describe('parseAppLine', () => {
  it('reads the application id and UI address of the runtime line', () => {
    expect(parseAppLine('PITCHSTREAM_APP {"appId": "local-1795307704294", "uiUrl": "http://localhost:4040"}')).toEqual({
      appId: 'local-1795307704294',
      uiUrl: 'http://localhost:4040',
    });
  });

  it('accepts a line without UI and ignores every other line', () => {
    expect(parseAppLine('PITCHSTREAM_APP {"appId": "app-1", "uiUrl": null}')).toEqual({ appId: 'app-1', uiUrl: undefined });
    expect(parseAppLine('26/11/22 00:35:03 WARN Utils: something')).toBeUndefined();
    expect(parseAppLine('PITCHSTREAM_APP {not json')).toBeUndefined();
  });
});

describe('readErrorFile', () => {
  it('qualifies the type with its module, except for builtins', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-error-'));
    const builtin = path.join(dir, 'a.json');
    const spark = path.join(dir, 'b.json');
    fs.writeFileSync(builtin, JSON.stringify({ type: 'ValueError', module: 'builtins', message: 'm', traceback: 't' }));
    fs.writeFileSync(spark, JSON.stringify({ type: 'AnalysisException', module: 'pyspark.errors', message: 'm', traceback: 't' }));
    expect(readErrorFile(builtin)).toEqual({ type: 'ValueError', message: 'm', traceback: 't' });
    expect(readErrorFile(spark)?.type).toBe('pyspark.errors.AnalysisException');
    expect(readErrorFile(path.join(dir, 'missing.json'))).toBeUndefined();
    fs.rmSync(dir, { recursive: true });
  });
});
