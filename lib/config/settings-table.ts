// The README's table of configuration variables, rendered from the setting definitions.
import { SETTINGS, SETUP_VARIABLES } from './settings';

export function settingsTable(): string {
  const rows = [
    ...SETTINGS.map((s) => [s.variable, s.default ?? '(unset)', s.description]),
    ...SETUP_VARIABLES.map((s) => [s.variable, s.default, s.description]),
  ];
  return ['| Variable | Default | Meaning |', '|---|---|---|', ...rows.map(([v, d, m]) => `| \`${v}\` | \`${d}\` | ${m} |`)].join('\n');
}
