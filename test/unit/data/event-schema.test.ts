import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_FIELDS, eventJsonSchema, eventSchemaPath, eventSchemaText } from '../../../lib/data';

describe('the event contract as JSON Schema', () => {
  it('matches the committed contracts/event.schema.json (run `npm run contracts` after changing the field table)', () => {
    expect(fs.readFileSync(eventSchemaPath(), 'utf8')).toBe(eventSchemaText());
  });

  it('lists every field of the table once, in order, all required, nullable ones admitting null', () => {
    const schema = eventJsonSchema() as { properties: Record<string, { type: unknown }>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(EVENT_FIELDS.map((field) => field.name));
    expect(schema.required).toEqual(EVENT_FIELDS.map((field) => field.name));
    for (const field of EVENT_FIELDS)
      expect(Array.isArray(schema.properties[field.name]!.type) && (schema.properties[field.name]!.type as string[]).includes('null')).toBe(field.nullable);
  });
});
