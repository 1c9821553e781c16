// Reads the Arrow IPC files the PySpark jobs write (file or stream format).
import fs from 'node:fs';
import { tableFromIPC, type Table } from 'apache-arrow';
import { PitchstreamError } from '../errors';

export function readArrowFile(file: string): Table {
  if (!fs.existsSync(file))
    throw new PitchstreamError('OUTPUT_INVALID', `Arrow output ${file} does not exist`, { details: { file } });
  try {
    return tableFromIPC(fs.readFileSync(file));
  } catch (error) {
    throw new PitchstreamError('OUTPUT_INVALID', `${file} is not a valid Arrow IPC file: ${(error as Error).message}`, {
      cause: error,
      details: { file },
    });
  }
}

/** A column as plain JavaScript values (bigint for int64 columns). */
export function columnValues<T = unknown>(table: Table, name: string): T[] {
  const column = table.getChild(name);
  if (!column)
    throw new PitchstreamError('OUTPUT_INVALID', `Arrow table has no column "${name}" (columns: ${table.schema.fields.map((f) => f.name).join(', ')})`);
  return column.toArray() as unknown as T[];
}
