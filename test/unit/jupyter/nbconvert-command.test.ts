import { describe, expect, it } from 'vitest';
import { nbconvertError } from '../../../lib/jupyter/execute-notebook';
import { executeArgs, htmlArgs } from '../../../lib/jupyter/nbconvert-command';

describe('executeArgs', () => {
  const args = executeArgs({
    notebookPath: '/p/notebooks/a.ipynb',
    outputPath: '/p/reports/a-run.ipynb',
    configFile: '/p/lib/jupyter/nbconvert_config.py',
    cellTimeoutMs: 90_500,
    startupTimeoutMs: 60_000,
  });

  it('executes on the tslab kernel with the stop-at-first-failure configuration', () => {
    expect(args.slice(0, 6)).toEqual(['nbconvert', '--config', '/p/lib/jupyter/nbconvert_config.py', '--to', 'notebook', '--execute']);
    expect(args).toContain('--allow-errors');
    expect(args).toContain('--ExecutePreprocessor.kernel_name=tslab');
  });

  it('gives nbconvert its timeouts in whole seconds, rounded up', () => {
    expect(args).toContain('--ExecutePreprocessor.timeout=91');
    expect(args).toContain('--ExecutePreprocessor.startup_timeout=60');
  });

  it('splits the output path into the folder and the name nbconvert expects, notebook last', () => {
    expect(args.slice(-5)).toEqual(['--output-dir', '/p/reports', '--output', 'a-run', '/p/notebooks/a.ipynb']);
  });
});

describe('htmlArgs', () => {
  it('converts to html into the folder and name of the html path', () => {
    expect(htmlArgs('/r/a.ipynb', '/r/html/a.html')).toEqual(['nbconvert', '--to', 'html', '--output-dir', '/r/html', '--output', 'a', '/r/a.ipynb']);
  });
});

describe('nbconvertError', () => {
  it("keeps nbconvert's final exception and drops the traceback above it", () => {
    const stderr = [
      'Traceback (most recent call last):',
      '  File "client.py", line 856, in _async_handle_timeout',
      'nbclient.exceptions.CellTimeoutError: A cell timed out while it was being executed, after 3 seconds.',
      'Here is a preview of the cell contents:',
      'await sleep(60_000);',
    ].join('\n');
    expect(nbconvertError(stderr)).toBe(
      'nbclient.exceptions.CellTimeoutError: A cell timed out while it was being executed, after 3 seconds.\nHere is a preview of the cell contents:\nawait sleep(60_000);',
    );
  });

  it('falls back to the last lines when no exception is named', () => {
    expect(nbconvertError('a\n\nb\n')).toBe('a\nb');
  });
});
