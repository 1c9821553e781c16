// Plotly charts as self-contained HTML for notebooks (tslab display) and exported reports:
// the library is embedded once (no CDN: reports open offline), each chart is a div + a script.
import crypto from 'node:crypto';
import fs from 'node:fs';

export type DataSource = 'statsbomb' | 'synthetic' | 'pitchstream';

export interface Figure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
}

export interface FigureOptions {
  /** Whose data the chart shows: StatsBomb is credited, synthetic data is labelled as such. */
  source: DataSource;
  heightPx?: number;
  /** A stable element id, so a live-updating display replaces the same chart. */
  id?: string;
}

const SOURCE_NOTE: Record<DataSource, string> = {
  statsbomb: 'Data: StatsBomb open data',
  synthetic: 'SYNTHETIC data (pitchstream generator), not real matches',
  pitchstream: 'Source: pitchstream run metrics',
};

let library: string | undefined;

/** A <script> defining window.Plotly; display it once per notebook, before any chart. */
export function plotlyLibraryHtml(): string {
  library ??= fs.readFileSync(require.resolve('plotly.js-dist-min'), 'utf8');
  // "</script" cannot occur inside an inline script; the minified bundle is checked for it.
  return `<script type="text/javascript">if (!window.Plotly) {${library.replace(/<\/script/gi, '<\\/script')}}</script>`;
}

/** The figure as HTML; the source note is added as an annotation under the plot. */
export function figureHtml(figure: Figure, options: FigureOptions): string {
  const id = options.id ?? `chart-${crypto.randomBytes(6).toString('hex')}`;
  const layout = {
    margin: { t: 50, r: 20, b: 85, l: 60 },
    ...figure.layout,
    height: options.heightPx ?? 380,
    annotations: [
      ...(((figure.layout?.annotations as unknown[]) ?? []) as unknown[]),
      // Under the x axis title, in pixels from the plot's bottom edge (a paper fraction would move with the height).
      { text: SOURCE_NOTE[options.source], xref: 'paper', yref: 'paper', x: 0, y: 0, yanchor: 'top', yshift: -62, showarrow: false, font: { size: 10, color: '#666' } },
    ],
  };
  const spec = JSON.stringify({ data: figure.data, layout }).replace(/</g, '\\u003c');
  return `<div id="${id}" class="pitchstream-chart" data-source="${options.source}"></div>
<script type="text/javascript">(function(){var s=${spec};function draw(){Plotly.react("${id}",s.data,s.layout,{displaylogo:false,responsive:true});}
if (window.Plotly) draw(); else document.getElementById("${id}").textContent="Run the chart-library cell first (plotlyLibraryHtml).";})();</script>`;
}
