// Plays one synthetic match possession by possession and writes it in the StatsBomb shape:
// raw events, three-sixty frames, lineups and the match-list entry with the final score.
import { PERIOD_START_MINUTES } from '../data/event-model';
import type { RawEvent, RawFrame, RawFreezeFramePlayer, RawLineup, RawMatch, RawNamed } from '../data/statsbomb-types';
import { createRandom, type Random } from './random';
import { STARTERS, type SyntheticPlayer, type SyntheticTeam } from './teams';

/** The competition every synthetic match belongs to, so it can never pass for StatsBomb data. */
export const SYNTHETIC_COMPETITION = {
  competition_id: 9999,
  season_id: 1,
  country_name: 'Synthetic',
  competition_name: 'pitchstream synthetic',
  season_name: 'synthetic',
} as const;

export interface SyntheticMatch {
  match: RawMatch;
  events: RawEvent[];
  frames: RawFrame[];
  lineups: RawLineup[];
  home: SyntheticTeam;
  away: SyntheticTeam;
}

export interface SyntheticMatchOptions {
  matchId: number;
  seed: number;
  home: SyntheticTeam;
  away: SyntheticTeam;
  /** "YYYY-MM-DD". */
  matchDate: string;
  /** "HH:MM:SS.mmm". */
  kickOff: string;
}

const PLAY_PATTERNS = {
  regular: { id: 1, name: 'Regular Play' },
  freeKick: { id: 3, name: 'From Free Kick' },
  throwIn: { id: 4, name: 'From Throw In' },
  goalKick: { id: 7, name: 'From Goal Kick' },
  keeper: { id: 8, name: 'From Keeper' },
  kickOff: { id: 9, name: 'From Kick Off' },
} as const satisfies Record<string, RawNamed>;

const EVENT_TYPES = {
  ballReceipt: { id: 42, name: 'Ball Receipt*' },
  ballRecovery: { id: 2, name: 'Ball Recovery' },
  badBehaviour: { id: 24, name: 'Bad Behaviour' },
  block: { id: 6, name: 'Block' },
  carry: { id: 43, name: 'Carry' },
  clearance: { id: 9, name: 'Clearance' },
  dispossessed: { id: 3, name: 'Dispossessed' },
  dribble: { id: 14, name: 'Dribble' },
  dribbledPast: { id: 39, name: 'Dribbled Past' },
  duel: { id: 4, name: 'Duel' },
  foulCommitted: { id: 22, name: 'Foul Committed' },
  foulWon: { id: 21, name: 'Foul Won' },
  goalKeeper: { id: 23, name: 'Goal Keeper' },
  halfEnd: { id: 34, name: 'Half End' },
  halfStart: { id: 18, name: 'Half Start' },
  interception: { id: 10, name: 'Interception' },
  miscontrol: { id: 38, name: 'Miscontrol' },
  pass: { id: 30, name: 'Pass' },
  pressure: { id: 17, name: 'Pressure' },
  shot: { id: 16, name: 'Shot' },
  startingXi: { id: 35, name: 'Starting XI' },
} as const satisfies Record<string, RawNamed>;

const CARDS = { yellow: { id: 7, name: 'Yellow Card' }, red: { id: 5, name: 'Red Card' } } as const;

/** Where the next possession starts, in the coordinates of the team that has it (attacking to x = 120). */
interface PossessionStart {
  team: SyntheticTeam;
  pattern: RawNamed;
  location: [number, number];
}

type EventDetails = Omit<Partial<RawEvent>, 'type' | 'team'> & Record<string, unknown>;

function clampX(x: number): number {
  return Math.min(119.9, Math.max(0.1, Math.round(x * 10) / 10));
}

function clampY(y: number): number {
  return Math.min(79.9, Math.max(0.1, Math.round(y * 10) / 10));
}

/** The same spot seen by the other team (StatsBomb draws every team attacking left to right). */
function mirrored([x, y]: [number, number]): [number, number] {
  return [clampX(120 - x), clampY(80 - y)];
}

function formatTimestamp(clockMs: number): string {
  const pad = (value: number, width: number): string => String(value).padStart(width, '0');
  const hours = Math.floor(clockMs / 3_600_000);
  const minutes = Math.floor(clockMs / 60_000) % 60;
  const seconds = Math.floor(clockMs / 1000) % 60;
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(clockMs % 1000, 3)}`;
}

class MatchSimulation {
  readonly events: RawEvent[] = [];
  readonly frames: RawFrame[] = [];
  readonly goals = new Map<number, number>();
  readonly cards: { player: SyntheticPlayer; card: RawNamed; period: number; clockMs: number }[] = [];
  private period = 1;
  private clockMs = 0;
  private periodEndMs = 0;
  private possession = 0;
  private possessionTeam: SyntheticTeam;
  private pattern: RawNamed = PLAY_PATTERNS.kickOff;

  constructor(
    private readonly random: Random,
    private readonly home: SyntheticTeam,
    private readonly away: SyntheticTeam,
  ) {
    this.possessionTeam = home;
  }

  play(): void {
    for (const team of [this.home, this.away])
      this.emit(EVENT_TYPES.startingXi, team, undefined, undefined, {
        duration: 0,
        tactics: {
          formation: 433,
          lineup: team.players.slice(0, STARTERS).map((player) => ({ player: { id: player.id, name: player.name }, position: player.position, jersey_number: player.jerseyNumber })),
        },
      });
    this.playPeriod(1, this.home);
    this.playPeriod(2, this.away);
  }

  private opponent(team: SyntheticTeam): SyntheticTeam {
    return team === this.home ? this.away : this.home;
  }

  private advance(seconds: number): void {
    this.clockMs += Math.round(seconds * 1000);
  }

  private emit(type: RawNamed, team: SyntheticTeam, player: SyntheticPlayer | undefined, location: [number, number] | undefined, details: EventDetails = {}): RawEvent {
    const event: RawEvent = {
      id: this.random.uuid(),
      index: this.events.length + 1,
      period: this.period,
      timestamp: formatTimestamp(this.clockMs),
      minute: PERIOD_START_MINUTES[this.period]! + Math.floor(this.clockMs / 60_000),
      second: Math.floor(this.clockMs / 1000) % 60,
      type,
      possession: this.possession,
      possession_team: { id: this.possessionTeam.id, name: this.possessionTeam.name },
      play_pattern: this.pattern,
      team: { id: team.id, name: team.name },
      ...(player ? { player: { id: player.id, name: player.name }, position: player.position } : {}),
      ...(location ? { location } : {}),
      ...details,
    };
    this.events.push(event);
    return event;
  }

  private outfieldPlayer(team: SyntheticTeam): SyntheticPlayer {
    return team.players[this.random.integer(1, STARTERS - 1)]!;
  }

  private forward(team: SyntheticTeam): SyntheticPlayer {
    return this.random.chance(0.7) ? team.players[this.random.integer(STARTERS - 3, STARTERS - 1)]! : this.outfieldPlayer(team);
  }

  private playPeriod(period: number, kickOffTeam: SyntheticTeam): void {
    this.period = period;
    this.clockMs = 0;
    this.periodEndMs = Math.round(this.random.between(46, 50) * 60_000);
    for (const team of [kickOffTeam, this.opponent(kickOffTeam)]) this.emit(EVENT_TYPES.halfStart, team, undefined, undefined, { duration: 0 });
    let next: PossessionStart = { team: kickOffTeam, pattern: PLAY_PATTERNS.kickOff, location: [60, 40] };
    while (this.clockMs < this.periodEndMs) next = this.playPossession(next);
    for (const team of [kickOffTeam, this.opponent(kickOffTeam)]) this.emit(EVENT_TYPES.halfEnd, team, undefined, undefined, { duration: 0 });
  }

  /** Plays passes, carries and duels until the ball changes hands; returns the next possession. */
  private playPossession(start: PossessionStart): PossessionStart {
    this.possession += 1;
    this.possessionTeam = start.team;
    this.pattern = start.pattern;
    const attack = start.team;
    const defense = this.opponent(attack);
    const edge = attack.strength - defense.strength;
    let location = start.location;
    while (this.clockMs < this.periodEndMs) {
      const passer = this.outfieldPlayer(attack);
      const end: [number, number] = [clampX(location[0] + this.random.normal(4 + 3 * edge, 13)), clampY(location[1] + this.random.normal(0, 15))];
      const completed = this.random.chance(0.83 + 0.08 * edge - (end[0] > 100 ? 0.2 : 0));
      const flightSeconds = this.random.between(0.5, 2.2);
      if (this.random.chance(0.36)) this.emit(EVENT_TYPES.pressure, defense, this.outfieldPlayer(defense), mirrored(location), { duration: this.random.between(0.3, 2) });
      const recipient = this.outfieldPlayer(attack);
      const outcome = completed ? undefined : this.random.chance(0.75) ? { id: 9, name: 'Incomplete' } : { id: 75, name: 'Out' };
      const pass = this.emit(EVENT_TYPES.pass, attack, passer, location, {
        duration: flightSeconds,
        pass: {
          ...(completed ? { recipient: { id: recipient.id, name: recipient.name } } : {}),
          length: Math.round(Math.hypot(end[0] - location[0], end[1] - location[1]) * 1e6) / 1e6,
          angle: Math.round(Math.atan2(end[1] - location[1], end[0] - location[0]) * 1e6) / 1e6,
          end_location: end,
          ...(outcome ? { outcome } : {}),
        },
      });
      this.addFrame(pass, location);
      this.advance(flightSeconds);
      if (outcome?.name === 'Out') {
        this.advance(this.random.between(6, 25));
        return { team: defense, pattern: PLAY_PATTERNS.throwIn, location: mirrored([end[0], end[1] < 40 ? 0.1 : 79.9]) };
      }
      if (outcome) {
        if (this.random.chance(0.9)) this.emit(EVENT_TYPES.ballReceipt, attack, recipient, end, { ball_receipt: { outcome: { id: 9, name: 'Incomplete' } } });
        return this.regain(defense, mirrored(end));
      }
      this.emit(EVENT_TYPES.ballReceipt, attack, recipient, end);
      location = end;
      if (this.random.chance(0.88)) {
        const carryEnd: [number, number] = [clampX(location[0] + this.random.normal(3, 5)), clampY(location[1] + this.random.normal(0, 4))];
        const carrySeconds = this.random.between(0.5, 4.5);
        this.emit(EVENT_TYPES.carry, attack, recipient, location, { duration: carrySeconds, carry: { end_location: carryEnd } });
        this.advance(carrySeconds);
        location = carryEnd;
      }
      const next = this.threat(attack, defense, recipient, location, edge);
      if (next) return next;
    }
    return { team: defense, pattern: PLAY_PATTERNS.kickOff, location: [60, 40] };
  }

  /** What may happen to the ball carrier: a shot, a foul, a duel, a dribble or a loss; undefined when play goes on. */
  private threat(attack: SyntheticTeam, defense: SyntheticTeam, carrier: SyntheticPlayer, location: [number, number], edge: number): PossessionStart | undefined {
    const shotHazard = (location[0] >= 102 ? 0.14 : location[0] >= 88 ? 0.045 : location[0] >= 75 ? 0.008 : 0) * Math.exp(edge);
    if (this.random.chance(shotHazard)) return this.shoot(attack, defense, location, edge);
    if (this.random.chance(0.028)) {
      this.foul(defense, attack, carrier, location);
      return undefined;
    }
    if (this.random.chance(0.06)) {
      const won = this.random.chance(0.55 - 0.1 * edge);
      this.emit(EVENT_TYPES.duel, defense, this.outfieldPlayer(defense), mirrored(location), {
        duel: { type: { id: 11, name: 'Tackle' }, outcome: won ? { id: 4, name: 'Won' } : { id: 16, name: 'Success In Play' } },
      });
      if (won) return this.regain(defense, mirrored(location));
    }
    if (this.random.chance(0.04)) {
      const beaten = this.random.chance(0.6 + 0.1 * edge);
      this.emit(EVENT_TYPES.dribble, attack, carrier, location, { dribble: { outcome: beaten ? { id: 8, name: 'Complete' } : { id: 9, name: 'Incomplete' } } });
      if (beaten) this.emit(EVENT_TYPES.dribbledPast, defense, this.outfieldPlayer(defense), mirrored(location));
      else return this.regain(defense, mirrored(location));
    }
    if (this.random.chance(0.035)) {
      this.emit(this.random.chance(0.5) ? EVENT_TYPES.dispossessed : EVENT_TYPES.miscontrol, attack, carrier, location);
      return this.regain(defense, mirrored(location));
    }
    if (this.random.chance(0.0015)) this.bookForBehaviour(defense);
    return undefined;
  }

  private regain(team: SyntheticTeam, location: [number, number]): PossessionStart {
    const kind = this.random.pick([EVENT_TYPES.ballRecovery, EVENT_TYPES.ballRecovery, EVENT_TYPES.interception, EVENT_TYPES.clearance]);
    this.emit(kind, team, this.outfieldPlayer(team), location);
    this.advance(this.random.between(0.3, 1.5));
    return { team, pattern: PLAY_PATTERNS.regular, location };
  }

  private foul(offenders: SyntheticTeam, victims: SyntheticTeam, victim: SyntheticPlayer, location: [number, number]): void {
    const offender = this.outfieldPlayer(offenders);
    const card = this.random.chance(0.14) ? CARDS.yellow : this.random.chance(0.01) ? CARDS.red : undefined;
    this.emit(EVENT_TYPES.foulCommitted, offenders, offender, mirrored(location), card ? { foul_committed: { card } } : {});
    this.emit(EVENT_TYPES.foulWon, victims, victim, location);
    if (card) this.cards.push({ player: offender, card, period: this.period, clockMs: this.clockMs });
    this.advance(this.random.between(12, 40));
    this.pattern = PLAY_PATTERNS.freeKick;
  }

  private bookForBehaviour(team: SyntheticTeam): void {
    const player = this.outfieldPlayer(team);
    this.emit(EVENT_TYPES.badBehaviour, team, player, undefined, { bad_behaviour: { card: CARDS.yellow } });
    this.cards.push({ player, card: CARDS.yellow, period: this.period, clockMs: this.clockMs });
  }

  private shoot(attack: SyntheticTeam, defense: SyntheticTeam, location: [number, number], edge: number): PossessionStart {
    const xg = Math.round(Math.min(0.95, Math.exp(this.random.normal(Math.log(0.06) + 0.5 * edge + 0.035 * (location[0] - 105), 0.85))) * 1e8) / 1e8;
    const scored = this.random.chance(xg);
    const miss = this.random.next();
    const outcome: RawNamed = scored ? { id: 97, name: 'Goal' } : miss < 0.3 ? { id: 100, name: 'Saved' } : miss < 0.57 ? { id: 96, name: 'Blocked' } : miss < 0.9 ? { id: 98, name: 'Off T' } : { id: 101, name: 'Wayward' };
    const onTarget = outcome.name === 'Goal' || outcome.name === 'Saved';
    const endLocation = outcome.name === 'Blocked'
      ? [clampX(location[0] + 2), location[1]]
      : [120, onTarget ? clampY(this.random.between(36.2, 43.8)) : clampY(this.random.chance(0.5) ? this.random.between(25, 35.9) : this.random.between(44.1, 55)), Math.round(this.random.between(0.2, 2.6) * 10) / 10];
    const shot = this.emit(EVENT_TYPES.shot, attack, this.forward(attack), location, {
      duration: this.random.between(0.2, 1.5),
      shot: { statsbomb_xg: xg, end_location: endLocation, type: { id: 87, name: 'Open Play' }, outcome, technique: { id: 93, name: 'Normal' }, body_part: { id: 40, name: 'Right Foot' } },
    });
    this.addFrame(shot, location);
    this.advance(this.random.between(0.5, 1.5));
    if (scored) {
      this.goals.set(attack.id, (this.goals.get(attack.id) ?? 0) + 1);
      this.advance(this.random.between(40, 80));
      return { team: defense, pattern: PLAY_PATTERNS.kickOff, location: [60, 40] };
    }
    if (outcome.name === 'Saved') {
      this.emit(EVENT_TYPES.goalKeeper, defense, defense.players[0]!, [clampX(120 - 118.5), 40], { goalkeeper: { type: { id: 33, name: 'Shot Saved' } } });
      this.advance(this.random.between(3, 8));
      return { team: defense, pattern: PLAY_PATTERNS.keeper, location: [6, 40] };
    }
    if (outcome.name === 'Blocked') {
      this.emit(EVENT_TYPES.block, defense, this.outfieldPlayer(defense), mirrored(location));
      return this.regain(defense, mirrored(location));
    }
    this.advance(this.random.between(10, 30));
    return { team: defense, pattern: PLAY_PATTERNS.goalKick, location: [6, 40] };
  }

  /** A three-sixty frame for an event: actor, the teammates and opponents in view, and the camera's polygon. */
  private addFrame(event: RawEvent, [x, y]: [number, number]): void {
    const players: RawFreezeFramePlayer[] = [{ teammate: true, actor: true, keeper: false, location: [x, y] }];
    const inView = (centre: number, spread: number): [number, number] => [clampX(centre + this.random.normal(0, spread)), clampY(this.random.between(2, 78))];
    const teammates = this.random.integer(5, 9);
    const opponents = this.random.integer(6, 10);
    for (let slot = 0; slot < teammates; slot += 1) players.push({ teammate: true, actor: false, keeper: false, location: inView(x - 8, 18) });
    for (let slot = 0; slot < opponents; slot += 1) players.push({ teammate: false, actor: false, keeper: false, location: inView(x + 8, 18) });
    if (x > 70) players.push({ teammate: false, actor: false, keeper: true, location: [clampX(this.random.between(114, 119.5)), clampY(this.random.between(36, 44))] });
    const left = clampX(x - 35);
    const right = clampX(x + 35);
    this.frames.push({ event_uuid: event.id, visible_area: [left, 79.9, right, 79.9, clampX(x + 20), 0.1, clampX(x - 20), 0.1, left, 79.9], freeze_frame: players });
  }
}

function matchListEntry(options: SyntheticMatchOptions, homeScore: number, awayScore: number): RawMatch {
  const team = (side: 'home' | 'away', value: SyntheticTeam): Record<string, unknown> => ({
    [`${side}_team_id`]: value.id,
    [`${side}_team_name`]: value.name,
    [`${side}_team_gender`]: 'male',
    [`${side}_team_group`]: null,
    country: { id: 0, name: 'Synthetic' },
    managers: [],
  });
  return {
    match_id: options.matchId,
    match_date: options.matchDate,
    kick_off: options.kickOff,
    competition: { competition_id: SYNTHETIC_COMPETITION.competition_id, country_name: SYNTHETIC_COMPETITION.country_name, competition_name: SYNTHETIC_COMPETITION.competition_name },
    season: { season_id: SYNTHETIC_COMPETITION.season_id, season_name: SYNTHETIC_COMPETITION.season_name },
    home_team: team('home', options.home) as RawMatch['home_team'],
    away_team: team('away', options.away) as RawMatch['away_team'],
    home_score: homeScore,
    away_score: awayScore,
    match_status: 'available',
    match_status_360: 'available',
    metadata: { data_version: '1.1.0', synthetic: true, generator_seed: options.seed },
    synthetic: true,
  };
}

function lineup(team: SyntheticTeam, simulation: MatchSimulation): RawLineup {
  return {
    team_id: team.id,
    team_name: team.name,
    lineup: team.players.map((player, slot) => ({
      player_id: player.id,
      player_name: player.name,
      player_nickname: null,
      jersey_number: player.jerseyNumber,
      country: { id: 0, name: 'Synthetic' },
      cards: simulation.cards
        .filter((booking) => booking.player === player)
        .map((booking) => ({ time: formatTimestamp(booking.clockMs).slice(3, 8), card_type: booking.card.name, period: booking.period })),
      positions: slot < STARTERS ? [{ position_id: player.position.id, position: player.position.name, from: '00:00', to: null, from_period: 1, to_period: null, start_reason: 'Starting XI', end_reason: 'Final Whistle' }] : [],
    })),
  };
}

/** One complete synthetic match; the same options (seed included) give the same match, byte for byte. */
export function generateMatch(options: SyntheticMatchOptions): SyntheticMatch {
  const simulation = new MatchSimulation(createRandom(options.seed), options.home, options.away);
  simulation.play();
  const homeScore = simulation.goals.get(options.home.id) ?? 0;
  const awayScore = simulation.goals.get(options.away.id) ?? 0;
  return {
    match: matchListEntry(options, homeScore, awayScore),
    events: simulation.events,
    frames: simulation.frames,
    lineups: [lineup(options.home, simulation), lineup(options.away, simulation)],
    home: options.home,
    away: options.away,
  };
}
