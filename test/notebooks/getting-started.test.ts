import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, versions } from '../../lib/config';
import { isPitchstreamError, type PitchstreamError } from '../../lib/errors';
import { executeNotebook, notebookToHtml, type NotebookDocument } from '../../lib/jupyter';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-notebooks-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A tslab notebook with one code cell per source. */
function writeNotebook(name: string, sources: string[]): string {
  const file = path.join(work, name);
  const cells = sources.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source }));
  const kernelspec = { name: 'tslab', display_name: 'TypeScript', language: 'typescript' };
  fs.writeFileSync(file, JSON.stringify({ cells, metadata: { kernelspec }, nbformat: 4, nbformat_minor: 5 }));
  return file;
}

async function failure(promise: Promise<unknown>): Promise<PitchstreamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isPitchstreamError(error)) throw new Error(`expected a PitchstreamError, got ${String(error)}`);
  return error;
}

describe('notebooks/01_Getting_Started.ipynb', () => {
  const notebook = path.join(projectRoot(), 'notebooks', '01_Getting_Started.ipynb');

  it('is committed without outputs and runs on the tslab kernel', () => {
    const document = JSON.parse(fs.readFileSync(notebook, 'utf8')) as NotebookDocument;
    expect(document.metadata.kernelspec).toEqual({ name: 'tslab', display_name: 'TypeScript', language: 'typescript' });
    expect(document.cells.flatMap((cell) => cell.outputs ?? [])).toEqual([]);
  });

  it('runs headless without errors and shows the configuration and pinned versions as HTML', async () => {
    const run = await executeNotebook(notebook, {
      outputPath: path.join(work, 'getting-started.ipynb'),
      env: { REPORT_TITLE: 'Headless <test> run' },
      timeoutMs: 110_000,
    });
    expect(run.summary.errorOutputs).toBe(0);
    expect(run.summary.failures).toEqual([]);
    expect(run.summary.displayOutputs['text/html']).toBeGreaterThanOrEqual(1);
    // Signed, as if a person had run it: Lab runs its charts' scripts when the copy is reopened.
    expect(run.trusted).toBe(true);
    const executed = fs.readFileSync(run.outputPath, 'utf8');
    expect(executed).toContain(`<td>Apache Spark</td><td>${versions().spark}</td>`);
    // The parameter reached the notebook through the environment, escaped on its way into HTML.
    expect(executed).toContain('Headless &lt;test&gt; run');

    const html = await notebookToHtml(run.outputPath, path.join(work, 'getting-started.html'));
    expect(fs.readFileSync(html, 'utf8')).toContain(versions().kafka);
  });
});

describe('executeNotebook', () => {
  it('rejects with NOTEBOOK_FAILED naming the cell and the thrown message, and keeps the partial copy', async () => {
    const notebook = writeNotebook('throws.ipynb', [
      'console.log("first cell ran");',
      'throw new Error("the pitch is flooded");',
      'console.log("never printed");',
    ]);
    const outputPath = path.join(work, 'throws-run.ipynb');
    const error = await failure(executeNotebook(notebook, { outputPath, timeoutMs: 110_000 }));
    expect(error.code).toBe('NOTEBOOK_FAILED');
    expect(error.message).toContain('throws.ipynb failed in cell 1');
    expect(error.message).toContain('throw new Error("the pitch is flooded");');
    expect(error.message).toContain('Error: the pitch is flooded');
    expect(error.message).toContain(outputPath);

    const partial = JSON.parse(fs.readFileSync(outputPath, 'utf8')) as NotebookDocument;
    expect(JSON.stringify(partial.cells[0]?.outputs)).toContain('first cell ran');
    expect(partial.cells[2]?.outputs).toEqual([]);
    expect(partial.cells[2]?.metadata.tags).toEqual(['pitchstream-skipped']);
  });

  it("rejects with NOTEBOOK_FAILED carrying the compiler's message when a cell does not type-check", async () => {
    const notebook = writeNotebook('type-error.ipynb', ['const goals: number = "two";']);
    const error = await failure(executeNotebook(notebook, { outputPath: path.join(work, 'type-error-run.ipynb'), timeoutMs: 110_000 }));
    expect(error.code).toBe('NOTEBOOK_FAILED');
    expect(error.message).toContain("Type 'string' is not assignable to type 'number'");
  });

  it('rejects with NOTEBOOK_TIMEOUT naming the cell when a cell runs past cellTimeoutMs', async () => {
    const notebook = writeNotebook('slow.ipynb', ['await new Promise((resolve) => setTimeout(resolve, 60_000));']);
    const error = await failure(executeNotebook(notebook, { outputPath: path.join(work, 'slow-run.ipynb'), cellTimeoutMs: 2_000, timeoutMs: 110_000 }));
    expect(error.code).toBe('NOTEBOOK_TIMEOUT');
    expect(error.message).toContain('CellTimeoutError');
    expect(error.message).toContain('setTimeout(resolve, 60_000)');
  });

  it('rejects with NOTEBOOK_NOT_FOUND naming a notebook that does not exist', async () => {
    const error = await failure(executeNotebook(path.join(work, 'missing.ipynb')));
    expect(error.code).toBe('NOTEBOOK_NOT_FOUND');
    expect(error.message).toContain('missing.ipynb');
  });
});
