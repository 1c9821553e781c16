// pitchstream's Grafana dashboard, built from DASHBOARD_PANELS and typed with Grafana's own dashboard
// schema (@grafana/schema, a development dependency: only its types are used, so the typecheck is
// the schema check). The compose stack's Grafana provisions the generated JSON
// (monitoring/grafana/pitchstream.json); any other Grafana imports it and picks its Prometheus.
import type { Dashboard, Panel, RowPanel } from '@grafana/schema';
import { DASHBOARD_PANELS, type DashboardPanel, type PanelGroup } from './dashboard-panels';

export const DASHBOARD_UID = 'pitchstream-spark';
/** The dashboard's datasource variable: the provisioned Prometheus, or the one a user picks on import. */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const GROUP_ORDER: readonly PanelGroup[] = ['Streaming', 'Executors', 'Driver', 'Cluster', 'Containers'];
const WIDTH = 8;
const HEIGHT = 8;

function timeseries(panel: DashboardPanel, id: number, x: number, y: number): Panel {
  return {
    id,
    type: 'timeseries',
    title: panel.title,
    description: panel.needs ? `${panel.description} Needs cAdvisor (container metrics).` : panel.description,
    datasource: DATASOURCE,
    gridPos: { x, y, w: WIDTH, h: HEIGHT },
    fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
    options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi', sort: 'none' } },
    targets: [{ refId: 'A', datasource: DATASOURCE, expr: panel.expr, legendFormat: panel.legend }],
  };
}

export function grafanaDashboard(): Dashboard {
  const panels: Array<Panel | RowPanel> = [];
  let id = 1;
  let y = 0;
  for (const group of GROUP_ORDER) {
    const members = DASHBOARD_PANELS.filter((p) => p.group === group);
    if (members.length === 0) continue;
    panels.push({ id: id++, type: 'row', title: group, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] });
    y += 1;
    members.forEach((panel, i) => {
      panels.push(timeseries(panel, id++, (i % 3) * WIDTH, y + Math.floor(i / 3) * HEIGHT));
    });
    y += Math.ceil(members.length / 3) * HEIGHT;
  }
  return {
    uid: DASHBOARD_UID,
    title: 'pitchstream: Spark jobs and streaming queries',
    description: "Spark's PrometheusServlet metrics of pitchstream's jobs (lib/monitoring). Data: StatsBomb open data.",
    tags: ['pitchstream', 'spark', 'streaming'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 41,
    refresh: '5s',
    time: { from: 'now-30m', to: 'now' },
    timezone: 'browser',
    annotations: { list: [] },
    links: [],
    templating: {
      list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', current: { text: 'Prometheus', value: 'pitchstream-prometheus' }, hide: 0, options: [] }],
    },
    panels,
  };
}

/** The dashboard file: the JSON Grafana provisions or imports. */
export function grafanaDashboardJson(): string {
  return `${JSON.stringify(grafanaDashboard(), null, 2)}\n`;
}
