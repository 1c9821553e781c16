import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { notebookTitle, reportIndexHtml, reportScreenshots } from '../../../lib/reports';

describe('notebookTitle', () => {
  it('takes the first markdown heading of the notebook', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nb-')), 'x.ipynb');
    fs.writeFileSync(file, JSON.stringify({ cells: [{ cell_type: 'code', source: '# not a title' }, { cell_type: 'markdown', source: ['intro\n', '# Live statistics\n'] }] }));
    expect(notebookTitle(file)).toBe('Live statistics');
  });

  it('falls back to the file name when the notebook cannot be read', () => {
    expect(notebookTitle('/nowhere/03_Streaming.ipynb')).toBe('03_Streaming');
  });
});

describe('reportIndexHtml', () => {
  const html = reportIndexHtml(
    [
      { notebook: '02.ipynb', title: 'Training', status: 'passed', durationMs: 61_500, html: '/r/02.html' },
      { notebook: '03.ipynb', title: 'Streaming <live>', status: 'failed', durationMs: 2_000, error: 'NOTEBOOK_FAILED: boom' },
    ],
    'No StatsBomb data: SYNTHETIC matches.',
    new Date('2026-11-22T00:00:00Z'),
  );

  it('links each executed notebook and shows its outcome and time', () => {
    expect(html).toContain('<a href="02.html">Training</a>');
    expect(html).toContain('61.5 s');
    expect(html).toContain('passed');
  });

  it('shows a failure with its error, escaped', () => {
    expect(html).toContain('Streaming &lt;live&gt;');
    expect(html).toContain('NOTEBOOK_FAILED: boom');
  });

  it('says where the data came from and credits StatsBomb', () => {
    expect(html).toContain('SYNTHETIC matches');
    expect(html).toContain('StatsBomb open data');
  });
});

describe('reportIndexHtml with screenshots', () => {
  const runs = [{ notebook: '03.ipynb', title: 'Streaming', status: 'interrupted' as const, durationMs: 1_000 }];

  it('links the browser test\'s screenshots under a heading, and leaves the section out without any', () => {
    const html = reportIndexHtml(runs, 'note', new Date(0), ['screenshots/lab-live-03-a.png']);
    expect(html).toContain('<h2>Jupyter Lab in a browser</h2>');
    expect(html).toContain('<a href="screenshots/lab-live-03-a.png"><img src="screenshots/lab-live-03-a.png"');
    expect(html).toContain('<figcaption><small>lab-live-03-a</small>');
    expect(reportIndexHtml(runs, 'note', new Date(0))).not.toContain('Jupyter Lab in a browser');
  });

  it('shows a stopped notebook as interrupted', () => {
    expect(reportIndexHtml(runs, 'note', new Date(0))).toContain('>interrupted</span>');
  });
});

describe('reportScreenshots', () => {
  it('lists the PNG files of reports/screenshots in name order, relative to the report', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-report-'));
    try {
      expect(reportScreenshots(dir)).toEqual([]);
      fs.mkdirSync(path.join(dir, 'screenshots'));
      for (const name of ['b.png', 'a.png', 'notes.txt']) fs.writeFileSync(path.join(dir, 'screenshots', name), '');
      expect(reportScreenshots(dir)).toEqual(['screenshots/a.png', 'screenshots/b.png']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
