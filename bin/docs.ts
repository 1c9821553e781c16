// `npm run docs`: rewrites the generated tables in README.md (configuration and errors) from
// their definitions in lib, so the README never drifts from the code.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, settingsTable } from '../lib/config';
import { errorsTable } from '../lib/errors';

export const GENERATED_TABLES: Record<string, () => string> = {
  configuration: settingsTable,
  errors: errorsTable,
};

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
}
