/**
 * Writes docs/checks.md from the metadata of every registered check.
 *   npx tsx scripts/generate-checks-doc.ts
 * src/checks/catalogue.test.ts fails when the committed file is out of date.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChecksDoc } from '../src/checks/checks-doc.js';
import { ALL_CHECKS } from '../src/checks/registry.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'checks.md');
await writeFile(out, renderChecksDoc(ALL_CHECKS));
process.stderr.write(`wrote ${out} (${ALL_CHECKS.length} checks)\n`);
