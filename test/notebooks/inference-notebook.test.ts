// notebooks/04_Streaming_Inferencia_LWP.ipynb headless: the real stack in a private home, a small synthetic model
// trained by the notebook itself, synthetic matches streamed for a bounded time, then the run without the model.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/config';
import { executeNotebook } from '../../lib/jupyter';
import { expectCommittedWithoutOutputs, notebookSandbox } from '../helpers/notebook-sandbox';

const sandbox = notebookSandbox('notebook-04');
const work = sandbox.work;

afterAll(() => sandbox.cleanup());

describe('notebooks/04_Streaming_Inferencia_LWP.ipynb', () => {
  const notebook = path.join(projectRoot(), 'notebooks', '04_Streaming_Inferencia_LWP.ipynb');

  it('is committed without outputs, with its parameters in a tagged cell', () => expectCommittedWithoutOutputs(notebook));

  it('trains a small model when there is none, streams for a bounded time and shows the probability chart, the table and the latency comparison', async () => {
    const run = await executeNotebook(notebook, {
      outputPath: path.join(work, '04-executed.ipynb'),
      env: {
        ...(await sandbox.env()),
        LWP_MODEL_DIR: path.join(work, 'model'),
        LWP_SYNTHETIC_TRAINING_MATCHES: '24',
        LWP_DURATION_S: '35',
        LWP_COMPARE_S: '20',
        LWP_RATE: '400',
      },
      timeoutMs: 520_000,
      cellTimeoutMs: 360_000,
    });
    expect(run.summary.errorOutputs).toBe(0);
    expect(run.summary.failures).toEqual([]);
    const executed = fs.readFileSync(run.outputPath, 'utf8');
    expect(executed).toContain('id=\\"lwp-live\\"');
    expect(executed).toContain('P(home win)');
    expect(executed).toContain('SYNTHETIC data');
    expect(executed).toContain('Current matches');
    expect(executed).toContain('without model (features only)');
    expect(executed).toMatch(/stopped by duration; producer: \d+ events; job: stopped/);
    expect(fs.existsSync(path.join(work, 'model', 'metadata.json'))).toBe(true);
  }, 540_000);
});
