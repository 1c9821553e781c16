import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchStages, progressBarHtml, progressBarText, summarizeStages, watchStageProgress, type StageInfo, type StageProgress } from '../../../lib/spark-rest';

const stage = (stageId: number, status: string, numTasks: number, numCompleteTasks: number, numActiveTasks = 0): StageInfo => ({
  stageId,
  attemptId: 0,
  name: `stage ${stageId} <at> line`,
  status,
  numTasks,
  numCompleteTasks,
  numActiveTasks,
  numFailedTasks: 0,
});

describe('summarizeStages', () => {
  it('counts complete and skipped stages as done and takes the newest active stage', () => {
    const progress = summarizeStages([stage(0, 'COMPLETE', 4, 4), stage(1, 'SKIPPED', 2, 0), stage(2, 'ACTIVE', 4, 1, 2), stage(3, 'ACTIVE', 2, 0, 1), stage(4, 'PENDING', 6, 0)]);
    expect(progress).toEqual({ stagesTotal: 5, stagesDone: 2, tasksTotal: 18, tasksDone: 7, tasksActive: 3, activeStage: 'stage 3 <at> line', fraction: 7 / 18 });
  });

  it('is empty before the first stage', () => {
    expect(summarizeStages([])).toMatchObject({ tasksTotal: 0, fraction: 0, activeStage: undefined });
  });
});

describe('progress bars', () => {
  const half: StageProgress = { stagesTotal: 2, stagesDone: 1, tasksTotal: 10, tasksDone: 5, tasksActive: 2, activeStage: 'fit <RF>', fraction: 0.5 };
  it('draws text', () => {
    expect(progressBarText(half, 10)).toBe('[#####.....] 50% 5/10 tasks');
    expect(progressBarText(undefined, 4)).toBe('[....] 0% waiting');
  });
  it('draws escaped HTML', () => {
    const html = progressBarHtml(half, 'train <job>');
    expect(html).toContain('train &lt;job&gt;: 50% · 5/10 tasks, 1/2 stages — fit &lt;RF&gt;');
    expect(html).toContain('width:50%');
  });
});

describe('fetchStages and watchStageProgress against a fake driver REST API', () => {
  let server: http.Server;
  let url: string;
  let calls = 0;
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      calls += 1;
      if (request.url !== '/api/v1/applications/local-1/stages') return void response.writeHead(404).end();
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify([stage(0, 'COMPLETE', 2, 2), stage(1, 'ACTIVE', 2, calls > 2 ? 1 : 0, 1)]));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads the stages of an application, and undefined for an unknown one or a dead driver', async () => {
    expect((await fetchStages(url, 'local-1'))?.length).toBe(2);
    expect(await fetchStages(url, 'local-2')).toBeUndefined();
    expect(await fetchStages('http://127.0.0.1:1', 'local-1', 500)).toBeUndefined();
  });

  it('polls until stopped and returns the last progress', async () => {
    const seen: StageProgress[] = [];
    const watch = watchStageProgress({ appId: Promise.resolve('local-1'), uiUrl: Promise.resolve(url) }, (p) => seen.push(p), { intervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const last = await watch.stop();
    const count = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(seen.length).toBe(count);
    expect(count).toBeGreaterThanOrEqual(2);
    expect(last).toMatchObject({ tasksTotal: 4, tasksDone: 3 });
  });

  it('does nothing when the job has no UI', async () => {
    const watch = watchStageProgress({ appId: Promise.resolve('local-1'), uiUrl: Promise.resolve(undefined) }, () => {
      throw new Error('never called');
    });
    expect(await watch.stop()).toBeUndefined();
  });
});
