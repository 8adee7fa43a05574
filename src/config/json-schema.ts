import { z } from 'zod';
import { configSchema } from './schema.js';

/**
 * The published JSON Schema of `.leastpriv.yaml` (docs/config-schema.json), generated from the zod
 * schema so the two cannot drift. `io: 'input'`: what a user writes, where every setting is optional.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return {
    $schema: schema.$schema,
    title: 'leastpriv audit configuration (.leastpriv.yaml)',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

/** The file's exact text: 2-space JSON and a final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
