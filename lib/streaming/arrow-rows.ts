// Arrow tables as plain row objects: int64 values become numbers (every count and epoch-ms value fits).
import type { Table } from 'apache-arrow';

export type PlainValue = number | string | boolean | null;

function plain(value: unknown): PlainValue {
  if (typeof value === 'bigint') return Number(value);
  if (value === undefined) return null;
  return value as PlainValue;
}

export function tableRows(table: Table): Record<string, PlainValue>[] {
  const names = table.schema.fields.map((field) => field.name);
  const columns = names.map((name) => table.getChild(name)!);
  const rows: Record<string, PlainValue>[] = [];
  for (let i = 0; i < table.numRows; i += 1) {
    const row: Record<string, PlainValue> = {};
    names.forEach((name, c) => {
      row[name] = plain(columns[c]!.get(i));
    });
    rows.push(row);
  }
  return rows;
}
