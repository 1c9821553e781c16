import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../../bin/docs';
import { projectRoot } from '../../../lib/config';
import { DASHBOARD_PANELS, prometheusConfig, servletPaths, sparkEndpoints } from '../../../lib/monitoring';
import { DASHBOARD_UID, grafanaDashboard } from '../../../lib/monitoring/grafana-dashboard';

const root = projectRoot();

describe('the generated monitoring files', () => {
  it('are committed as lib renders them (run npm run docs)', () => {
    for (const [relative, text] of Object.entries(generatedFiles())) expect(fs.readFileSync(path.join(root, relative), 'utf8'), relative).toBe(text);
  });
});

describe('the Prometheus scrape jobs', () => {
  it('take the servlet paths from spark-conf/metrics.properties', () => {
    expect(servletPaths('*.sink.prometheusServlet.path=/a\nmaster.sink.prometheusServlet.path = /m\n# x.sink.prometheusServlet.path=/no')).toEqual({ '*': '/a', master: '/m' });
    const byJob = Object.fromEntries(sparkEndpoints(root).map((e) => [e.job, e.path]));
    expect(byJob).toEqual({
      'spark-driver': '/metrics/prometheus',
      'spark-executors': '/metrics/executors/prometheus',
      'spark-master': '/metrics/master/prometheus',
      'spark-applications': '/metrics/applications/prometheus',
      'spark-workers': '/metrics/prometheus',
    });
  });

  it('point at the configured local ports, the compose services, and the driver pods on Kubernetes', () => {
    const config = { root, sparkUiPort: 5050, sparkMasterUiPort: 6060, sparkWorkerUiPort: 7070 };
    const jobs = (site: 'local' | 'compose' | 'kubernetes') => (prometheusConfig(site, { config }).scrape_configs as Array<Record<string, unknown>>);
    const local = JSON.stringify(jobs('local'));
    for (const target of ['127.0.0.1:5050', '127.0.0.1:5053', '127.0.0.1:6060', '127.0.0.1:7070']) expect(local).toContain(target);
    const compose = JSON.stringify(jobs('compose'));
    for (const target of ['jupyter-lab:4040', 'spark-master:8080', 'spark-worker', 'spark-worker-gpu']) expect(compose).toContain(target);
    const kubernetes = jobs('kubernetes');
    expect(kubernetes.map((j) => j.job_name)).toEqual(['spark-driver', 'spark-executors', 'kubernetes-pods', 'prometheus']);
    expect(JSON.stringify(kubernetes)).toContain('__meta_kubernetes_pod_annotation_prometheus_io_scrape');
  });
});

describe('the Grafana dashboard', () => {
  const dashboard = grafanaDashboard();
  const panels = (dashboard.panels ?? []).filter((p) => p.type !== 'row') as Array<{ id: number; title?: string; gridPos?: { x: number; y: number; w: number; h: number }; targets?: Array<Record<string, unknown>> }>;

  it("holds every panel once, with its query, on the dashboard's Prometheus variable", () => {
    expect(dashboard.uid).toBe(DASHBOARD_UID);
    expect(panels.map((p) => p.title)).toEqual(expect.arrayContaining(DASHBOARD_PANELS.map((p) => p.title)));
    expect(panels).toHaveLength(DASHBOARD_PANELS.length);
    for (const panel of panels) {
      const definition = DASHBOARD_PANELS.find((p) => p.title === panel.title)!;
      expect(panel.targets?.[0]).toMatchObject({ expr: definition.expr, datasource: { type: 'prometheus', uid: '${datasource}' } });
    }
    expect(dashboard.templating?.list?.[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
    const ids = (dashboard.panels ?? []).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lays the panels out without overlap, within 24 columns', () => {
    const cells = new Set<string>();
    for (const panel of dashboard.panels ?? []) {
      const { x, y, w, h } = panel.gridPos!;
      expect(x + w).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++) for (let j = y; j < y + h; j++) {
        expect(cells.has(`${i},${j}`), `${panel.title} overlaps at ${i},${j}`).toBe(false);
        cells.add(`${i},${j}`);
      }
    }
  });

  it('has the streaming panels the seeds lacked and the seeds\' executor panels', () => {
    const titles = DASHBOARD_PANELS.map((p) => p.title);
    for (const title of ['Input rate', 'Process rate', 'Batch duration', 'State rows', 'Watermark lag']) expect(titles).toContain(title);
    for (const expr of ['metrics_executor_totalGCTime_seconds_total', 'metrics_executor_JVMHeapMemory_bytes', 'metrics_executor_usedOnHeapStorageMemory_bytes', 'metrics_executor_completedTasks_total'])
      expect(DASHBOARD_PANELS.some((p) => p.expr.includes(expr))).toBe(true);
  });
});
