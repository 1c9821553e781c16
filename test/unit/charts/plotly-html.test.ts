import { describe, expect, it } from 'vitest';
import { figureHtml, plotlyLibraryHtml } from '../../../lib/charts';

describe('figureHtml', () => {
  const figure = { data: [{ type: 'scatter', x: [1, 2], y: [3, 4], name: '</script><b>x' }], layout: { title: { text: 'Passes' } } };

  it('renders a div and a Plotly call carrying the figure', () => {
    const html = figureHtml(figure, { source: 'statsbomb', id: 'c1' });
    expect(html).toContain('<div id="c1"');
    expect(html).toContain('Plotly.react("c1"');
    expect(html).toContain('"title":{"text":"Passes"}');
  });

  it('credits StatsBomb on charts of its data and labels synthetic data', () => {
    expect(figureHtml(figure, { source: 'statsbomb' })).toContain('Data: StatsBomb open data');
    expect(figureHtml(figure, { source: 'synthetic' })).toContain('SYNTHETIC data');
  });

  it('cannot be broken out of by text inside the data', () => {
    const html = figureHtml(figure, { source: 'pitchstream', id: 'c2' });
    expect(html.match(/<\/script>/g)).toHaveLength(1);
  });
});

describe('plotlyLibraryHtml', () => {
  it('embeds the Plotly bundle once, guarded, with no early script end', () => {
    const html = plotlyLibraryHtml();
    expect(html.startsWith('<script')).toBe(true);
    expect(html).toContain('if (!window.Plotly)');
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html.length).toBeGreaterThan(1_000_000);
  });
});
