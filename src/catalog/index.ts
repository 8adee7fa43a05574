export type {
  AccessLevel,
  ActionInfo,
  ActionSet,
  Catalog,
  ConditionKeyInfo,
  PatternExpansion,
  ResourceTypeInfo,
} from './types.js';

import type { Catalog } from './types.js';

/** The process-wide catalogue, loaded on first use (synchronously; about 70 ms). */
export function getCatalog(): Catalog {
  throw new Error('not implemented yet (catalog helper)');
}
