// What the headless notebook tests share: a private home with free Kafka ports and no StatsBomb data
// (so notebooks run on labelled synthetic matches), the clean-up after a failed run, and the check
// that a notebook is committed without outputs and with a tagged parameters cell.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../../lib/config';
import type { NotebookDocument } from '../../lib/jupyter';
import { stopKafkaBroker } from '../../lib/stack';
import { isolatedHome } from '../integration/streaming-home';
import { freePort } from './free-port';

export interface NotebookSandbox {
  /** Scratch folder for the executed notebook and its outputs. */
  work: string;
  /** The environment a notebook run needs: private home and outputs, free broker ports, local[2], no StatsBomb data. */
  env(): Promise<Record<string, string>>;
  /** Stops a broker the notebook left behind (it stops its own when it succeeds), removes the scratch. */
  cleanup(): Promise<void>;
}

export function notebookSandbox(label: string): NotebookSandbox {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `pitchstream-${label}-`));
  const home = isolatedHome();
  let kafka = { port: 0, controller: 0 };
  return {
    work,
    async env() {
      kafka = { port: await freePort(), controller: await freePort() };
      return {
        PITCHSTREAM_HOME: home.home,
        PITCHSTREAM_OUTPUTS: path.join(work, 'outputs'),
        PITCHSTREAM_KAFKA_PORT: String(kafka.port),
        PITCHSTREAM_KAFKA_CONTROLLER_PORT: String(kafka.controller),
        SPARK_MASTER: 'local[2]',
        STATSBOMB_DATA: path.join(work, 'no-statsbomb-here'),
      };
    },
    async cleanup() {
      if (kafka.port) await stopKafkaBroker(loadConfig({ home: home.home, kafkaPort: kafka.port, kafkaControllerPort: kafka.controller })).catch(() => false);
      fs.rmSync(work, { recursive: true, force: true });
      home.remove();
    },
  };
}

/** Notebooks are committed as documents, not as results: tslab kernel, no outputs, a parameters cell, cell ids. */
export function expectCommittedWithoutOutputs(notebook: string): void {
  const document = JSON.parse(fs.readFileSync(notebook, 'utf8')) as NotebookDocument;
  expect(document.metadata.kernelspec).toEqual({ name: 'tslab', display_name: 'TypeScript', language: 'typescript' });
  expect(document.cells.flatMap((cell) => cell.outputs ?? [])).toEqual([]);
  expect(document.cells.some((cell) => cell.metadata.tags?.includes('parameters'))).toBe(true);
  // nbformat 4.5: every cell has an id of its own (Lab warns, and future nbformat fails, without).
  const ids = document.cells.map((cell) => (cell as { id?: string }).id);
  expect(ids.filter((id) => typeof id !== 'string' || id === '')).toEqual([]);
  expect(new Set(ids).size).toBe(ids.length);
}
