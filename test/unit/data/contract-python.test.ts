import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installPaths, loadConfig, projectRoot, versions } from '../../../lib/config';
import { eventSchemaPath, openStatsBomb, type MatchEvent } from '../../../lib/data';
import { SAMPLE_DIR, SAMPLE_MISSING_REASON } from './statsbomb-sample';

const python = installPaths(loadConfig().home, versions()).python;
const skipReason = SAMPLE_MISSING_REASON ?? (fs.existsSync(python) ? undefined : `the project venv is not set up (${python} is missing)`);
if (skipReason) console.warn(`Skipping the Python contract test: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('the event contract read by PySpark', () => {
  it('parses real events with a 360 frame through from_json and gives back every field unchanged', async () => {
    const events = await openStatsBomb(SAMPLE_DIR).events(3835319);
    const framed = events.filter((event) => event.freeze_frame !== null);
    const shot = events.find((event) => event.type === 'Shot')!;
    const startingEleven = events[0]!;
    const sample: MatchEvent[] = [...framed, shot, startingEleven];
    expect(framed.length).toBeGreaterThan(0);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-contract-'));
    try {
      const eventsFile = path.join(dir, 'events.jsonl');
      fs.writeFileSync(eventsFile, sample.map((event) => JSON.stringify(event)).join('\n'));
      const output = execFileSync(python, [path.join(projectRoot(), 'test', 'python', 'contract_roundtrip.py'), eventSchemaPath(), eventsFile], {
        encoding: 'utf8',
        timeout: 90_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const { schema, rows } = JSON.parse(output) as { schema: string; rows: MatchEvent[] };
      expect(schema).toContain('event_time:timestamp');
      expect(schema).toContain('freeze_frame:array<struct<location:array<double>,teammate:boolean,actor:boolean,keeper:boolean>>');
      expect(rows).toEqual(sample);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
