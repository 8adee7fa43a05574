// Run by `npm run build` after tsc: writes dist/catalog/actions-index.json, the compact action table
// getCatalog() reads instead of parsing iam-data's per-service files on every CLI run
// (src/catalog/compact-actions.ts). It is rebuilt from the installed iam-data each build.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/catalog/', import.meta.url);
const { loadActions } = await import(new URL('load-actions.js', dist).href);
const { toCompact, fromCompact } = await import(new URL('compact-actions.js', dist).href);
const { iamDataVersion } = await import(new URL('iam-data-files.js', dist).href);
const { COMPACT_INDEX_FILE } = await import(new URL('index.js', dist).href);

const version = iamDataVersion();
const compact = toCompact(loadActions(), version);
const text = JSON.stringify(compact);
if (fromCompact(JSON.parse(text), version) === undefined)
  throw new Error('the compact catalogue does not read back');
const target = fileURLToPath(new URL(COMPACT_INDEX_FILE, dist));
writeFileSync(target, text);
console.log(
  `catalogue index: ${compact.service.length} actions, ${(text.length / 1024).toFixed(0)} KB -> ${target}`,
);
