// Where the shared real StatsBomb sample lives (../shared/statsbomb/data, never copied into the repo).
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../lib/config';

export const SAMPLE_DIR = path.resolve(projectRoot(), '..', 'shared', 'statsbomb', 'data');

/** Why tests on real data are skipped, or undefined when the sample is there. */
export const SAMPLE_MISSING_REASON = fs.existsSync(path.join(SAMPLE_DIR, 'competitions.json'))
  ? undefined
  : `the shared StatsBomb sample is not at ${SAMPLE_DIR}`;

if (SAMPLE_MISSING_REASON) console.warn(`Skipping tests on real StatsBomb data: ${SAMPLE_MISSING_REASON}`);
