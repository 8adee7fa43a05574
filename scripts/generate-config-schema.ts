/**
 * Writes docs/config-schema.json from the zod schema in src/config/schema.ts.
 *   npx tsx scripts/generate-config-schema.ts
 * src/config/json-schema.test.ts fails when the committed file is out of date.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configJsonSchemaText } from '../src/config/json-schema.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'config-schema.json');
await writeFile(out, configJsonSchemaText());
process.stderr.write(`wrote ${out}\n`);
