// notebooks/04_Streaming_Inferencia_LWP.ipynb headless: the real stack in a private home, a small synthetic model
// trained by the notebook itself, synthetic matches streamed for a bounded time, then the run without the model.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../lib/config';
import type { NotebookDocument } from '../../lib/jupyter';
import { executeNotebook } from '../../lib/jupyter';
import { stopKafkaBroker } from '../../lib/stack';
import { freePort } from '../helpers/free-port';
import { isolatedHome } from '../integration/streaming-home';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-notebook-04-'));
const home = isolatedHome();
let kafka = { port: 0, controller: 0 };

afterAll(async () => {
  // The notebook stops the broker it started; this only cleans up after a failed run.
  await stopKafkaBroker(loadConfig({ home: home.home, kafkaPort: kafka.port || 9092, kafkaControllerPort: kafka.controller || 9093 })).catch(() => false);
  fs.rmSync(work, { recursive: true, force: true });
  home.remove();
});

describe('notebooks/04_Streaming_Inferencia_LWP.ipynb', () => {
  const notebook = path.join(projectRoot(), 'notebooks', '04_Streaming_Inferencia_LWP.ipynb');

  it('is committed without outputs, with its parameters in a tagged cell', () => {
    const document = JSON.parse(fs.readFileSync(notebook, 'utf8')) as NotebookDocument;
    expect(document.metadata.kernelspec).toEqual({ name: 'tslab', display_name: 'TypeScript', language: 'typescript' });
    expect(document.cells.flatMap((cell) => cell.outputs ?? [])).toEqual([]);
    expect(document.cells.some((cell) => cell.metadata.tags?.includes('parameters'))).toBe(true);
  });

  it('trains a small model when there is none, streams for a bounded time and shows the probability chart, the table and the latency comparison', async () => {
    kafka = { port: await freePort(), controller: await freePort() };
    const run = await executeNotebook(notebook, {
      outputPath: path.join(work, '04-executed.ipynb'),
      env: {
        PITCHSTREAM_HOME: home.home,
        PITCHSTREAM_OUTPUTS: path.join(work, 'outputs'),
        PITCHSTREAM_KAFKA_PORT: String(kafka.port),
        PITCHSTREAM_KAFKA_CONTROLLER_PORT: String(kafka.controller),
        SPARK_MASTER: 'local[2]',
        STATSBOMB_DATA: path.join(work, 'no-statsbomb-here'),
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
