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

import { IamDataCatalog } from './catalog.js';
import { iamDataVersion } from './iam-data-files.js';
import { loadActions } from './load-actions.js';
import type { Catalog } from './types.js';

let instance: Catalog | undefined;

/** The process-wide catalogue, loaded on first use (synchronously; about 70 ms). */
export function getCatalog(): Catalog {
  instance ??= new IamDataCatalog(loadActions(), iamDataVersion());
  return instance;
}

/** iam-data's version, without loading the catalogue (for `leastpriv --version`). */
export function catalogDataVersion(): string {
  return iamDataVersion();
}
