import { describe, expect, it } from 'vitest';
import { sourceMatches, sourceTeamNames } from '../../../lib/producer';
import { generateSyntheticDataset } from '../../../lib/synthetic';

describe('sourceTeamNames', () => {
  it('names the teams of synthetic matches with their generated names, as the producer sends them', async () => {
    const dataset = generateSyntheticDataset({ matches: 2, seed: 5 });
    const names = await sourceTeamNames({ kind: 'synthetic', matches: 2, seed: 5 });
    for (const { match } of dataset.matches) {
      expect(names.get(match.home_team.home_team_id)).toBe(match.home_team.home_team_name);
      expect(names.get(match.away_team.away_team_id)).toBe(match.away_team.away_team_name);
    }
    expect([...names.values()].every((name) => name.length > 0 && !/^team \d+$/.test(name))).toBe(true);
  });

  it('lists the same matches as the feed would send, without loading events', async () => {
    const matches = await sourceMatches({ kind: 'synthetic', matches: 3, seed: 1 });
    expect(matches.map((match) => match.matchId)).toEqual([9_000_001, 9_000_002, 9_000_003]);
  });
});
