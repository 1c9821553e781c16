// The README's catalogue of errors, rendered from the error codes.
import { ERROR_CODES } from './codes';

export function errorsTable(): string {
  return [
    '| Error | What happened | Fix |',
    '|---|---|---|',
    ...Object.entries(ERROR_CODES).map(([code, e]) => `| \`${code}\` | ${e.summary} | ${e.fix} |`),
  ].join('\n');
}
