// Synthetic teams: ids, names, a strength from 0 (weak) to 1 (strong), and a squad of 16 players.
import type { RawNamed } from '../data/statsbomb-types';
import type { Random } from './random';

export interface SyntheticPlayer {
  id: number;
  name: string;
  jerseyNumber: number;
  position: RawNamed;
}

export interface SyntheticTeam {
  id: number;
  name: string;
  /** 0 (weak) to 1 (strong): drives pass completion, shot rate and the xG of each shot. */
  strength: number;
  /** 16 players: the first 11 start (goalkeeper first), the other 5 are substitutes. */
  players: SyntheticPlayer[];
}

/** The positions of a 4-3-3, goalkeeper first, with StatsBomb's position ids. */
const FORMATION_433: readonly RawNamed[] = [
  { id: 1, name: 'Goalkeeper' },
  { id: 2, name: 'Right Back' },
  { id: 3, name: 'Right Center Back' },
  { id: 5, name: 'Left Center Back' },
  { id: 6, name: 'Left Back' },
  { id: 10, name: 'Center Defensive Midfield' },
  { id: 13, name: 'Right Center Midfield' },
  { id: 15, name: 'Left Center Midfield' },
  { id: 17, name: 'Right Wing' },
  { id: 21, name: 'Left Wing' },
  { id: 23, name: 'Center Forward' },
];

export const SQUAD_SIZE = 16;
export const STARTERS = 11;

/** A team with the given id; players get ids teamId * 100 + 1.. so they never collide across teams. */
export function createTeam(id: number, name: string, strength: number): SyntheticTeam {
  const players = Array.from({ length: SQUAD_SIZE }, (_, slot) => ({
    id: id * 100 + slot + 1,
    name: `${name} Player ${slot + 1}`,
    jerseyNumber: slot + 1,
    position: FORMATION_433[slot % STARTERS]!,
  }));
  return { id, name, strength, players };
}

/** A league of `count` teams with seeded strengths between 0.15 and 0.9. */
export function createLeague(count: number, random: Random, firstTeamId = 9001): SyntheticTeam[] {
  return Array.from({ length: count }, (_, slot) =>
    createTeam(firstTeamId + slot, `Synthetic Team ${slot + 1}`, Math.round(random.between(0.15, 0.9) * 1000) / 1000),
  );
}
