// Prometheus text exposition (what Spark's PrometheusServlet serves): parsed into samples. Pure apart from scrapePrometheus.

export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses `name{label="v",…} value [timestamp]` lines; comments and malformed lines are skipped. */
export function parsePrometheusText(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[label[1]!] = label[2]!.replace(/\\(.)/g, '$1');
    const value = Number(match[3]);
    if (!Number.isNaN(value)) samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

export interface PrometheusScrape {
  url: string;
  ok: boolean;
  text: string;
  samples: PrometheusSample[];
}

/** GET a Prometheus endpoint of the driver (…/metrics/prometheus/, …/metrics/executors/prometheus/). */
export async function scrapePrometheus(url: string, timeoutMs = 3_000): Promise<PrometheusScrape> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = response.ok ? await response.text() : '';
    return { url, ok: response.ok, text, samples: parsePrometheusText(text) };
  } catch {
    return { url, ok: false, text: '', samples: [] };
  }
}
