export { ACCESS_LEVELS, normaliseAccessLevel } from './access-level.js';
export { expandActionPatterns, type PatternListExpansion } from './pattern-list.js';
export type {
  AccessLevel,
  ActionInfo,
  ActionSet,
  Catalog,
  ConditionKeyInfo,
  PatternExpansion,
  ResourceTypeInfo,
} from './types.js';

import { readFileSync } from 'node:fs';
import { IamDataCatalog } from './catalog.js';
import { fromCompact } from './compact-actions.js';
import { iamDataVersion } from './iam-data-files.js';
import { type LoadedActions, loadActions } from './load-actions.js';
import type { Catalog } from './types.js';

let instance: Catalog | undefined;

/** Where the build writes the compact action table (beside this module in dist/). */
export const COMPACT_INDEX_FILE = 'actions-index.json';

/**
 * The process-wide catalogue, loaded on first use (synchronously): from the compact index the build
 * wrote for this iam-data version (about 20 ms), else from iam-data's own files (about 200 ms).
 */
export function getCatalog(): Catalog {
  if (instance === undefined) {
    const version = iamDataVersion();
    instance = new IamDataCatalog(compactActions(version) ?? loadActions(), version);
  }
  return instance;
}

function compactActions(version: string): LoadedActions | undefined {
  let text: string;
  try {
    text = readFileSync(new URL(`./${COMPACT_INDEX_FILE}`, import.meta.url), 'utf8');
  } catch {
    return undefined; // not built (running from source): read iam-data
  }
  try {
    return fromCompact(JSON.parse(text), version);
  } catch {
    return undefined;
  }
}

/** iam-data's version, without loading the catalogue (for `leastpriv --version`). */
export function catalogDataVersion(): string {
  return iamDataVersion();
}
