// notebooks/03_Streaming_Estadisticas.ipynb headless: the real stack in a private home, synthetic matches, a bounded watch.
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

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-notebook-03-'));
const home = isolatedHome();
let kafka = { port: 0, controller: 0 };

afterAll(async () => {
  // The notebook stops the broker it started; this only cleans up after a failed run.
  await stopKafkaBroker(loadConfig({ home: home.home, kafkaPort: kafka.port || 9092, kafkaControllerPort: kafka.controller || 9093 })).catch(() => false);
  fs.rmSync(work, { recursive: true, force: true });
  home.remove();
});

describe('notebooks/03_Streaming_Estadisticas.ipynb', () => {
  const notebook = path.join(projectRoot(), 'notebooks', '03_Streaming_Estadisticas.ipynb');

  it('is committed without outputs, with its parameters in a tagged cell', () => {
    const document = JSON.parse(fs.readFileSync(notebook, 'utf8')) as NotebookDocument;
    expect(document.metadata.kernelspec).toEqual({ name: 'tslab', display_name: 'TypeScript', language: 'typescript' });
    expect(document.cells.flatMap((cell) => cell.outputs ?? [])).toEqual([]);
    expect(document.cells.some((cell) => cell.metadata.tags?.includes('parameters'))).toBe(true);
  });

  it('runs headless on synthetic data for a bounded time, leaving live charts, the progress chart and no error', async () => {
    kafka = { port: await freePort(), controller: await freePort() };
    const run = await executeNotebook(notebook, {
      outputPath: path.join(work, '03-executed.ipynb'),
      env: {
        PITCHSTREAM_HOME: home.home,
        PITCHSTREAM_OUTPUTS: path.join(work, 'outputs'),
        PITCHSTREAM_KAFKA_PORT: String(kafka.port),
        PITCHSTREAM_KAFKA_CONTROLLER_PORT: String(kafka.controller),
        SPARK_MASTER: 'local[2]',
        STATSBOMB_DATA: path.join(work, 'no-statsbomb-here'),
        STREAM_DURATION_S: '40',
        STREAM_RATE: '300',
      },
      // Starting Spark's JVM on a busy 2-core machine can take over a minute (the submit cell).
      cellTimeoutMs: 180_000,
      timeoutMs: 220_000,
    });
    expect(run.summary.errorOutputs).toBe(0);
    expect(run.summary.failures).toEqual([]);
    const executed = fs.readFileSync(run.outputPath, 'utf8');
    for (const chart of ['passes-live', 'possession-live', 'progress-live']) expect(executed).toContain(`id=\\"${chart}\\"`);
    expect(executed).toContain('SYNTHETIC data');
    expect(executed).toContain('Latest window');
    expect(executed).toMatch(/stopped by duration; producer: \d+ events; job: stopped/);
  }, 240_000);
});
