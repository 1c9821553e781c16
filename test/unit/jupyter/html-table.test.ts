import { describe, expect, it } from 'vitest';
import { htmlTable } from '../../../lib/jupyter/html-table';

describe('htmlTable', () => {
  it('renders one row per object with the keys of the first row as columns', () => {
    expect(htmlTable([{ a: 1, b: 'x' }, { a: 2, b: undefined }])).toBe(
      '<table>\n<thead><tr><th>a</th><th>b</th></tr></thead>\n<tbody>\n' +
        '<tr><td>1</td><td>x</td></tr>\n<tr><td>2</td><td><em>unset</em></td></tr>\n</tbody>\n</table>',
    );
  });

  it('escapes markup in values so text never becomes HTML', () => {
    expect(htmlTable([{ v: '<script>"&' }])).toContain('<td>&lt;script&gt;&quot;&amp;</td>');
  });
});
