import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../lib/stack/processes';
import { labStatus, startLab, stopLab } from '../../lib/jupyter';
import { freePort } from '../helpers/free-port';

describe('Jupyter Lab', () => {
  afterAll(async () => {
    await stopLab();
  });

  it('answers only requests carrying its token, and leaves no process behind once stopped', async () => {
    const port = await freePort();
    const lab = await startLab({ port, startupTimeoutMs: 60_000 });
    expect(lab.url).toBe(`http://127.0.0.1:${port}/lab/tree/notebooks?token=${lab.token}`);
    expect(labStatus()).toMatchObject({ running: true, pid: lab.pid, port });

    const status = `http://127.0.0.1:${port}/api/status`;
    const anonymous = await fetch(status, { signal: AbortSignal.timeout(5_000) });
    expect([401, 403]).toContain(anonymous.status);
    const authorized = await fetch(status, { headers: { Authorization: `token ${lab.token}` }, signal: AbortSignal.timeout(5_000) });
    expect(authorized.status).toBe(200);

    // What a person opens: the notebooks and the executed copies under reports/, without the news pop-up.
    const api = (route: string) =>
      fetch(`http://127.0.0.1:${port}${route}`, { headers: { Authorization: `token ${lab.token}` }, signal: AbortSignal.timeout(10_000) });
    const root = (await (await api('/api/contents/')).json()) as { content: { name: string }[] };
    expect(root.content.map((entry) => entry.name)).toEqual(expect.arrayContaining(['notebooks', 'reports']));
    const notebooks = (await (await api('/api/contents/notebooks')).json()) as { content: { name: string }[] };
    expect(notebooks.content.map((entry) => entry.name)).toContain('02_Entrenamiento_Modelo_LWP.ipynb');
    const notification = (await (await api('/lab/api/settings/@jupyterlab/apputils-extension:notification')).json()) as {
      schema: { properties: { fetchNews: { default: string }; checkForUpdates: { default: boolean } } };
    };
    expect(notification.schema.properties.fetchNews.default).toBe('false');
    expect(notification.schema.properties.checkForUpdates.default).toBe(false);
    const start = await fetch(`http://127.0.0.1:${port}/?token=${lab.token}`, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    expect(start.headers.get('location')).toMatch(/\/lab\/tree\/notebooks/);

    expect(await stopLab()).toBe(true);
    expect(isAlive(lab.pid)).toBe(false);
    expect(labStatus()).toBeUndefined();
  });

  it('refuses a port that is taken, naming PITCHSTREAM_LAB_PORT', async () => {
    const net = await import('node:net');
    const port = await freePort();
    const server = net.createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      await expect(startLab({ port })).rejects.toMatchObject({ code: 'PORT_IN_USE', fix: expect.stringContaining('PITCHSTREAM_LAB_PORT') });
    } finally {
      server.close();
    }
  });
});
