import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema, configJsonSchemaText } from './json-schema.js';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');

describe('docs/config-schema.json', () => {
  it('is current (regenerate with `npx tsx scripts/generate-config-schema.ts`)', async () => {
    expect(await readFile(join(docs, 'config-schema.json'), 'utf8')).toBe(configJsonSchemaText());
  });

  // The published schema and the validator agree on the cases an editor would flag.
  it.each([
    [
      'ownerTagKey: team\nsuppressions:\n  - checkId: x\n    reason: a long enough reason\n    expires: 2026-12-31\n',
      true,
    ],
    ['suppressions:\n  - checkId: x\n    reason: short\n', false],
    ['thresholds:\n  keyMaxAge: 3\n', false],
    ["trustedAccounts: ['1234']\n", false],
  ])('validates %j → %s', (text, valid) => {
    const ajv = new Ajv2020({ strict: false });
    expect(ajv.validate(configJsonSchema(), parse(text))).toBe(valid);
  });
});
