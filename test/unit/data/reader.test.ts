import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStatsBomb, type MatchInfo } from '../../../lib/data';
import { isPitchstreamError, type PitchstreamError } from '../../../lib/errors';
import { SAMPLE_DIR, SAMPLE_MISSING_REASON } from './statsbomb-sample';

async function rejection(promise: Promise<unknown>): Promise<PitchstreamError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isPitchstreamError(error)) throw new Error(`expected a PitchstreamError, got ${String(error)}`);
  return error;
}

describe.skipIf(SAMPLE_MISSING_REASON !== undefined)('reading the real StatsBomb sample', () => {
  const reader = openStatsBomb(SAMPLE_DIR);

  it('counts the events of several matches as the sample README lists them', async () => {
    const expectedCounts: Record<number, number> = { 15946: 3762, 3773585: 4214, 3835319: 3431, 3844384: 4350, 3895052: 3739 };
    for (const [matchId, count] of Object.entries(expectedCounts)) expect((await reader.events(Number(matchId))).length).toBe(count);
  });

  it('gives final scores, teams and kick-off of a listed match', async () => {
    const match = await reader.match(3835319);
    expect(match).toMatchObject({ homeTeamName: "England Women's", awayTeamName: "Austria Women's", homeScore: 1, awayScore: 0, matchDate: '2022-07-06', synthetic: false, eventsAvailable: true });
    expect(new Date(match.kickOffMs).toISOString()).toBe(`2022-07-06T${match.kickOff}Z`);
  });

  it('marks listed matches without an events file as not available instead of failing', async () => {
    const listed: MatchInfo[] = [];
    for await (const match of reader.matches()) listed.push(match);
    const available = listed.filter((match) => match.eventsAvailable);
    expect(available.length).toBe(fs.readdirSync(path.join(SAMPLE_DIR, 'events')).length);
    const missing = listed.find((match) => !match.eventsAvailable)!;
    const error = await rejection(reader.events(missing.matchId));
    expect(error.code).toBe('DATA_NOT_FOUND');
    expect(error.message).toContain(`events/${missing.matchId}.json`);
  });

  it('merges every three-sixty frame whose event exists into that event', async () => {
    const [events, frames] = await Promise.all([reader.events(3835319), reader.threeSixty(3835319)]);
    const eventIds = new Set(events.map((event) => event.id));
    const withFrame = events.filter((event) => event.freeze_frame !== null);
    expect(withFrame.length).toBe(frames.filter((frame) => eventIds.has(frame.event_uuid)).length);
    expect(withFrame.length).toBe(7);
    for (const event of withFrame) expect(event.visible_area!.length).toBeGreaterThan(0);
    expect(events.filter((event) => event.visible_area !== null).length).toBe(7);
  });

  it('keeps event_time non-decreasing within each period over 40 matches', async () => {
    let matchesRead = 0;
    let adjustedEvents = 0;
    let eventsRead = 0;
    for await (const { match, events } of reader.matchEvents()) {
      const latestByPeriod = new Map<number, number>();
      for (const event of events) {
        const eventMs = Date.parse(event.event_time);
        expect(eventMs).toBeGreaterThanOrEqual(latestByPeriod.get(event.period) ?? -Infinity);
        latestByPeriod.set(event.period, eventMs);
        if (eventMs !== match.kickOffMs + periodStartMs(event.period) + timestampMs(event.timestamp)) adjustedEvents += 1;
      }
      eventsRead += events.length;
      matchesRead += 1;
      if (matchesRead === 40) break;
    }
    expect(matchesRead).toBe(40);
    expect(adjustedEvents / eventsRead).toBeLessThan(0.001);
  });

  it('keeps the raw values of passes, carries and shots in the normalized record', async () => {
    const [raw, events] = await Promise.all([reader.rawEvents(3835319), reader.events(3835319)]);
    const shot = raw.find((event) => event.type.name === 'Shot')!;
    const normalizedShot = events.find((event) => event.id === shot.id)!;
    expect(normalizedShot.shot_xg).toBe(shot.shot!.statsbomb_xg);
    expect(normalizedShot.end_location).toEqual(shot.shot!.end_location.slice(0, 2));
    const incompletePass = raw.find((event) => event.pass?.outcome !== undefined)!;
    expect(events[incompletePass.index - 1]!.pass_outcome).toBe(incompletePass.pass!.outcome!.name);
    const completedPass = raw.find((event) => event.type.name === 'Pass' && event.pass!.outcome === undefined)!;
    expect(events[completedPass.index - 1]).toMatchObject({ pass_outcome: null, pass_length: completedPass.pass!.length });
  });

  it('reads lineups and competitions', async () => {
    const lineups = await reader.lineups(3835319);
    expect(lineups.map((team) => team.team_name).sort()).toEqual(["Austria Women's", "England Women's"]);
    expect((await reader.competitions()).some((competition) => competition.competition_id === 11)).toBe(true);
  });
});

function periodStartMs(period: number): number {
  return [0, 0, 45, 90, 105, 120][period]! * 60_000;
}

function timestampMs(timestamp: string): number {
  const [hours, minutes, seconds] = timestamp.split(':').map(Number);
  return Math.round((hours! * 3600 + minutes! * 60 + seconds!) * 1000);
}

describe('reading a broken or missing data folder', () => {
  let dir: string;
  const matchList = [{ match_id: 1, match_date: '2024-01-01', kick_off: '20:00:00.000', competition: { competition_id: 9, competition_name: 'Test' }, season: { season_id: 1, season_name: '2024' }, home_team: { home_team_id: 10, home_team_name: 'Home' }, away_team: { away_team_id: 20, away_team_name: 'Away' }, home_score: 0, away_score: 0 }];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-data-'));
    fs.mkdirSync(path.join(dir, 'matches', '9'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'events'));
    fs.writeFileSync(path.join(dir, 'matches', '9', '1.json'), JSON.stringify(matchList));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fails on a missing folder with the path and how to set STATSBOMB_DATA', () => {
    const missing = path.join(dir, 'nowhere');
    try {
      openStatsBomb(missing);
      expect.unreachable('openStatsBomb should have failed');
    } catch (error) {
      expect(isPitchstreamError(error, 'DATA_NOT_FOUND')).toBe(true);
      expect((error as PitchstreamError).message).toContain(missing);
      expect((error as PitchstreamError).fix).toContain('STATSBOMB_DATA');
    }
  });

  it('names the missing file when competitions.json is absent', async () => {
    const error = await rejection(openStatsBomb(dir).competitions());
    expect(error.code).toBe('DATA_NOT_FOUND');
    expect(error.message).toContain(path.join(dir, 'competitions.json'));
  });

  it('names the file and the decompressed length of a truncated gzip file', async () => {
    const whole = zlib.gzipSync(JSON.stringify([{ id: 'x' }]).repeat(1));
    const file = path.join(dir, 'events', '1.json.gz');
    fs.writeFileSync(file, whole.subarray(0, whole.length - 6));
    const error = await rejection(openStatsBomb(dir).events(1));
    expect(error.code).toBe('DATA_MALFORMED');
    expect(error.message).toContain(file);
    expect(error.message).toContain('gzip');
  });

  it('names the file, position, line and column of invalid JSON', async () => {
    const file = path.join(dir, 'events', '1.json');
    fs.writeFileSync(file, '[\n  {"id": "a",\n   "index": 1 "period": 1}\n]');
    const error = await rejection(openStatsBomb(dir).events(1));
    expect(error.code).toBe('DATA_MALFORMED');
    expect(error.message).toContain(file);
    expect(error.details).toMatchObject({ file, line: 3, position: 30 });
  });

  it('names the file and the end of the text when JSON is cut off', async () => {
    const file = path.join(dir, 'events', '1.json');
    const text = '[{"id": "a", "index": 1';
    fs.writeFileSync(file, text);
    const error = await rejection(openStatsBomb(dir).events(1));
    expect(error.details).toMatchObject({ file, position: text.length, line: 1 });
  });

  it('names the record and the key when an event lacks a key every event has', async () => {
    const file = path.join(dir, 'events', '1.json');
    const event = { id: 'a', index: 1, period: 1, timestamp: '00:00:00.000', minute: 0, second: 0, type: { id: 35, name: 'Starting XI' }, team: { id: 10, name: 'Home' }, possession: 1, possession_team: { id: 10, name: 'Home' }, play_pattern: { id: 1, name: 'Regular Play' } };
    const { possession_team: _dropped, ...incomplete } = event;
    fs.writeFileSync(file, JSON.stringify([event, incomplete]));
    const error = await rejection(openStatsBomb(dir).events(1));
    expect(error.code).toBe('DATA_MALFORMED');
    expect(error.message).toBe(`${file}: record [1] has no "possession_team.id"`);
  });

  it('refuses an events file that is not an array', async () => {
    const file = path.join(dir, 'events', '1.json');
    fs.writeFileSync(file, '{"id": "a"}');
    const error = await rejection(openStatsBomb(dir).events(1));
    expect(error.code).toBe('DATA_MALFORMED');
    expect(error.message).toContain(`${file} must hold a JSON array`);
  });

  it('prefers the plain file when both .json and .json.gz exist', async () => {
    fs.writeFileSync(path.join(dir, 'events', '1.json'), '[]');
    fs.writeFileSync(path.join(dir, 'events', '1.json.gz'), 'not gzip');
    expect(await openStatsBomb(dir).events(1)).toEqual([]);
  });
});
