import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStatsBomb, type MatchEvent } from '../../../lib/data';
import { createTeam, generateMatch, writeSyntheticDataset } from '../../../lib/synthetic';
import { SAMPLE_DIR, SAMPLE_MISSING_REASON } from '../data/statsbomb-sample';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-synthetic-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function filesOf(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files.set(path.relative(dir, file), fs.readFileSync(file));
    }
  return files;
}

/** Per-match figures, counted from normalized events the same way for real and synthetic matches. */
function matchRates(events: MatchEvent[]): Record<string, number> {
  const shots = events.filter((event) => event.type === 'Shot' && event.period < 5);
  return {
    events: events.length,
    passes: events.filter((event) => event.type === 'Pass').length,
    shots: shots.length,
    xg: shots.reduce((sum, event) => sum + event.shot_xg!, 0),
    goals: shots.filter((event) => event.shot_outcome === 'Goal').length + events.filter((event) => event.type === 'Own Goal For').length,
    cards: events.filter((event) => event.card !== null).length,
  };
}

function meanAndSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return { mean, sd: Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1)) };
}

describe('synthetic datasets', () => {
  it('are byte-identical for the same seed and differ for another seed', () => {
    const [first, second, other] = [tempDir(), tempDir(), tempDir()];
    writeSyntheticDataset(first, { matches: 2, seed: 11 });
    writeSyntheticDataset(second, { matches: 2, seed: 11 });
    writeSyntheticDataset(other, { matches: 2, seed: 12 });
    const [firstFiles, secondFiles, otherFiles] = [filesOf(first), filesOf(second), filesOf(other)];
    expect([...firstFiles.keys()].sort()).toEqual([...secondFiles.keys()].sort());
    for (const [name, bytes] of firstFiles) expect(bytes.equals(secondFiles.get(name)!), name).toBe(true);
    expect(firstFiles.get(path.join('events', '9000001.json.gz'))!.equals(otherFiles.get(path.join('events', '9000001.json.gz'))!)).toBe(false);
  });

  it('are read by the StatsBomb reader as complete, labelled matches', async () => {
    const dir = tempDir();
    const dataset = writeSyntheticDataset(dir, { matches: 3, seed: 5 });
    const reader = openStatsBomb(dir);
    expect(await reader.competitions()).toEqual([expect.objectContaining({ competition_name: 'pitchstream synthetic', synthetic: true })]);
    let read = 0;
    for await (const { match, events } of reader.matchEvents()) {
      const generated = dataset.matches[read]!;
      expect(match).toMatchObject({ competitionName: 'pitchstream synthetic', synthetic: true, eventsAvailable: true });
      expect(events.every((event) => event.synthetic)).toBe(true);
      expect(events.map((event) => event.index)).toEqual(events.map((_, position) => position + 1));
      expect(events.filter((event) => event.freeze_frame !== null).length).toBe(generated.frames.length);
      const goalsBy = (teamId: number): number => events.filter((event) => event.shot_outcome === 'Goal' && event.team_id === teamId).length;
      expect([goalsBy(match.homeTeamId), goalsBy(match.awayTeamId)]).toEqual([match.homeScore, match.awayScore]);
      for (const period of [1, 2]) {
        const times = events.filter((event) => event.period === period).map((event) => Date.parse(event.event_time));
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }
      expect((await reader.lineups(match.matchId)).map((team) => team.team_id)).toEqual([match.homeTeamId, match.awayTeamId]);
      read += 1;
    }
    expect(read).toBe(3);
  });

  it('give stronger teams more shots, more xG and more goals', () => {
    const strong = createTeam(1, 'Strong', 0.9);
    const weak = createTeam(2, 'Weak', 0.2);
    const totals = { strongGoals: 0, weakGoals: 0, strongXg: 0, weakXg: 0, strongShots: 0, weakShots: 0 };
    for (let seed = 1; seed <= 30; seed += 1) {
      const { match, events } = generateMatch({ matchId: seed, seed, home: seed % 2 ? strong : weak, away: seed % 2 ? weak : strong, matchDate: '2030-01-01', kickOff: '20:00:00.000' });
      const strongIsHome = match.home_team.home_team_id === strong.id;
      totals.strongGoals += strongIsHome ? match.home_score : match.away_score;
      totals.weakGoals += strongIsHome ? match.away_score : match.home_score;
      for (const event of events.filter((candidate) => candidate.type.name === 'Shot')) {
        const side = event.team.id === strong.id ? 'strong' : 'weak';
        totals[`${side}Shots`] += 1;
        totals[`${side}Xg`] += event.shot!.statsbomb_xg;
      }
    }
    expect(totals.strongShots).toBeGreaterThan(1.5 * totals.weakShots);
    expect(totals.strongXg).toBeGreaterThan(2 * totals.weakXg);
    expect(totals.strongGoals).toBeGreaterThan(totals.weakGoals);
  });

  it.skipIf(SAMPLE_MISSING_REASON !== undefined)('have per-match rates within one standard deviation of 30 real matches', async () => {
    const realRates: Record<string, number>[] = [];
    for await (const { events } of openStatsBomb(SAMPLE_DIR).matchEvents()) {
      realRates.push(matchRates(events));
      if (realRates.length === 30) break;
    }
    const dir = tempDir();
    writeSyntheticDataset(dir, { matches: 20, seed: 2024 });
    const syntheticRates: Record<string, number>[] = [];
    for await (const { events } of openStatsBomb(dir).matchEvents()) syntheticRates.push(matchRates(events));
    for (const figure of Object.keys(realRates[0]!)) {
      const real = meanAndSd(realRates.map((rates) => rates[figure]!));
      const synthetic = meanAndSd(syntheticRates.map((rates) => rates[figure]!));
      expect(synthetic.mean, `${figure}: synthetic mean ${synthetic.mean.toFixed(2)}, real ${real.mean.toFixed(2)} ± ${real.sd.toFixed(2)}`).toBeGreaterThanOrEqual(real.mean - real.sd);
      expect(synthetic.mean, `${figure}: synthetic mean ${synthetic.mean.toFixed(2)}, real ${real.mean.toFixed(2)} ± ${real.sd.toFixed(2)}`).toBeLessThanOrEqual(real.mean + real.sd);
    }
  });
});
