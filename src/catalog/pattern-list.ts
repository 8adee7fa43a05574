import { ActionSetBuilder } from './action-set.js';
import type { ActionSet, Catalog } from './types.js';

export interface PatternListExpansion {
  /** Union of every pattern's matches. */
  readonly set: ActionSet;
  /** Patterns whose service part names no known service, as written. */
  readonly unknownService: readonly string[];
  /** Patterns for a known service that match none of its actions, as written. */
  readonly matchedNothing: readonly string[];
}

/** Expands an `Action`/`NotAction` list into one set, keeping the patterns that matched nothing. */
export function expandActionPatterns(catalog: Catalog, patterns: readonly string[]): PatternListExpansion {
  const builder = new ActionSetBuilder(catalog.actionCount);
  const unknownService: string[] = [];
  const matchedNothing: string[] = [];
  for (const pattern of patterns) {
    const expansion = catalog.expandActionPattern(pattern);
    if (expansion.unknownService) unknownService.push(pattern);
    else if (expansion.matchedNothing) matchedNothing.push(pattern);
    else builder.addSet(expansion.set);
  }
  return { set: builder.build(), unknownService, matchedNothing };
}
