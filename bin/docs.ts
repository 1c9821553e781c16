// `npm run docs`: rewrites the generated tables in README.md (configuration and errors) and the
// generated monitoring files (Prometheus configurations, Grafana dashboard) from their definitions
// in lib, so neither drifts from the code.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, projectRoot, settingsTable } from '../lib/config';
import { errorsTable } from '../lib/errors';
import { prometheusConfigYaml, SCRAPE_SITES } from '../lib/monitoring';
import { grafanaDashboardJson } from '../lib/monitoring/grafana-dashboard';

export const GENERATED_TABLES: Record<string, () => string> = {
  configuration: settingsTable,
  errors: errorsTable,
};

/** Files written whole from lib (relative to the project root): the defaults, not this shell's variables. */
export function generatedFiles(): Record<string, string> {
  const config = loadConfig({}, {});
  const files: Record<string, string> = {};
  for (const site of SCRAPE_SITES) files[path.join('monitoring', 'prometheus', `${site}.yml`)] = prometheusConfigYaml(site, { config });
  files[path.join('monitoring', 'grafana', 'pitchstream.json')] = grafanaDashboardJson();
  return files;
}

/** Replaces the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export function renderGenerated(readme: string): string {
  let text = readme;
  for (const [name, render] of Object.entries(GENERATED_TABLES)) {
    const pattern = new RegExp(`(<!-- generated:${name} -->)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!pattern.test(text)) throw new Error(`README.md lacks the markers for the generated table "${name}"`);
    text = text.replace(pattern, `$1\n${render()}\n$2`);
  }
  return text;
}

if (require.main === module) {
  const file = path.join(projectRoot(), 'README.md');
  fs.writeFileSync(file, renderGenerated(fs.readFileSync(file, 'utf8')));
  process.stdout.write(`updated the generated tables in ${file}\n`);
  for (const [relative, text] of Object.entries(generatedFiles())) {
    const target = path.join(projectRoot(), relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    process.stdout.write(`wrote ${relative}\n`);
  }
}
