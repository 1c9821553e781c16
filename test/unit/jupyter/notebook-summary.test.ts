import { describe, expect, it } from 'vitest';
import { sourceHead, summarizeNotebook, type NotebookCell, type NotebookDocument } from '../../../lib/jupyter/notebook-summary';

function code(source: string, outputs: NotebookCell['outputs'] = [], metadata: NotebookCell['metadata'] = {}): NotebookCell {
  return { cell_type: 'code', source, metadata, outputs };
}

function notebook(...cells: NotebookCell[]): NotebookDocument {
  return { cells, metadata: {} };
}

describe('summarizeNotebook', () => {
  it('counts cells, outputs and display outputs per mime type', () => {
    const summary = summarizeNotebook(
      notebook(
        { cell_type: 'markdown', source: ['# Title'], metadata: {} },
        code('a', [{ output_type: 'stream', name: 'stdout', text: ['1\n'] }]),
        code('b', [
          { output_type: 'display_data', data: { 'text/html': ['<b>x</b>'], 'text/plain': 'x' } },
          { output_type: 'display_data', data: { 'text/html': '<i>y</i>' } },
        ]),
      ),
    );
    expect(summary).toEqual({
      cells: 3,
      codeCells: 2,
      skippedCells: 0,
      outputs: 3,
      displayOutputs: { 'text/html': 2, 'text/plain': 1 },
      errorOutputs: 0,
      failures: [],
    });
  });

  it('reports the cell the run marked as failed with what it wrote to stderr, and counts skipped cells', () => {
    const summary = summarizeNotebook(
      notebook(
        code('ok()', [{ output_type: 'stream', name: 'stderr', text: 'a warning\n' }]),
        code('throw new Error("boom")', [{ output_type: 'stream', name: 'stderr', text: ['Error: boom\n', '    at x\n'] }], {
          pitchstream: { failed: true },
        }),
        code('after()', [], { tags: ['pitchstream-skipped'] }),
      ),
    );
    expect(summary.failures).toEqual([{ cellIndex: 1, sourceHead: 'throw new Error("boom")', errorText: 'Error: boom\n    at x' }]);
    expect(summary.skippedCells).toBe(1);
  });

  it('reports error outputs with ename, evalue and the traceback without colour codes', () => {
    const summary = summarizeNotebook(
      notebook(code('1/0', [{ output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['\u001b[31mline 1\u001b[0m'] }])),
    );
    expect(summary.errorOutputs).toBe(1);
    expect(summary.failures[0]?.errorText).toBe('ZeroDivisionError: division by zero\nline 1');
  });
});

describe('sourceHead', () => {
  it('keeps the first lines of a long cell and marks the cut', () => {
    expect(sourceHead(code(['1\n', '2\n', '3\n', '4\n'].join('')), 2)).toBe('1\n2\n…');
  });
});
