import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderGenerated } from '../../bin/docs';
import { projectRoot } from '../../lib/config';

describe('README.md', () => {
  const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');

  it('holds the generated configuration and error tables as lib defines them (run npm run docs)', () => {
    expect(readme).toBe(renderGenerated(readme));
  });

  it('shows the two commands and credits StatsBomb', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
    expect(readme).toMatch(/StatsBomb/);
  });
});
