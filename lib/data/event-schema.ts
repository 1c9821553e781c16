// Writes the event contract as JSON Schema (contracts/event.schema.json), the file the PySpark side reads.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';
import { EVENT_FIELDS, type FieldType } from './event-contract';

type JsonSchema = Record<string, unknown>;

const POINT_SCHEMA: JsonSchema = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 };

const TYPE_SCHEMAS: Record<FieldType, JsonSchema> = {
  integer: { type: 'integer', format: 'int32' },
  number: { type: 'number', format: 'double' },
  string: { type: 'string' },
  boolean: { type: 'boolean' },
  timestamp: { type: 'string', format: 'date-time' },
  point: POINT_SCHEMA,
  numbers: { type: 'array', items: { type: 'number', format: 'double' } },
  freeze_frame: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        location: POINT_SCHEMA,
        teammate: { type: 'boolean' },
        actor: { type: 'boolean' },
        keeper: { type: 'boolean' },
      },
      required: ['location', 'teammate', 'actor', 'keeper'],
      additionalProperties: false,
    },
  },
};

/** Where the committed schema lives. */
export function eventSchemaPath(): string {
  return path.join(projectRoot(), 'contracts', 'event.schema.json');
}

/** The JSON Schema of one normalized event; properties keep the contract's field order. */
export function eventJsonSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const field of EVENT_FIELDS) {
    const base = TYPE_SCHEMAS[field.type];
    const type = field.nullable ? [base.type, 'null'] : base.type;
    properties[field.name] = { ...base, type, description: field.description };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://pitchstream.local/contracts/event.schema.json',
    title: 'pitchstream event',
    description: 'One normalized StatsBomb event. Generated from lib/data/event-contract.ts by `npm run contracts`; do not edit.',
    type: 'object',
    properties,
    required: EVENT_FIELDS.map((field) => field.name),
    additionalProperties: false,
  };
}

/** The schema file's exact text (2-space JSON and a final newline). */
export function eventSchemaText(): string {
  return `${JSON.stringify(eventJsonSchema(), null, 2)}\n`;
}

/** Writes contracts/event.schema.json (or `file`) and returns its path. */
export function writeEventSchema(file: string = eventSchemaPath()): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, eventSchemaText());
  return file;
}
