// Renders rows as an HTML table for notebooks (tslab.display.html), every value escaped.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '<td><em>unset</em></td>';
  return `<td>${escapeHtml(typeof value === 'object' ? JSON.stringify(value) : String(value))}</td>`;
}

/** One row per object; the columns are the keys of the first row unless given. */
export function htmlTable(rows: ReadonlyArray<Record<string, unknown>>, columns?: readonly string[]): string {
  const keys = columns ?? Object.keys(rows[0] ?? {});
  const head = keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('');
  const body = rows.map((row) => `<tr>${keys.map((k) => cell(row[k])).join('')}</tr>`).join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}
