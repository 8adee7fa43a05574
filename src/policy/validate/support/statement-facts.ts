import type { ActionInfo, ActionSet, Catalog, PatternExpansion } from '../../../catalog/index.js';
import type { SourcePosition } from '../../../model/issue.js';
import type { Statement } from '../../../model/policy.js';
import { valuePos } from './issue.js';

/** One value of `Action` / `NotAction` with what the catalogue says about it. */
export interface ActionEntry {
  readonly value: string;
  readonly index: number;
  readonly pos: SourcePosition;
  readonly hasWildcard: boolean;
  readonly expansion: PatternExpansion;
  /** Set for a value without wildcards that names a known action. */
  readonly info?: ActionInfo;
}

export interface StatementFacts {
  readonly actions: readonly ActionEntry[];
  readonly notActions: readonly ActionEntry[];
  /**
   * Union of what the `Action` values match, or undefined when the statement uses `NotAction` or
   * has no `Action` (then "which actions" is not a short list and per-action rules stay silent).
   */
  readonly actionSet?: ActionSet;
  /** Every `Action` value names a known service and matches at least one action. */
  readonly actionsFullyKnown: boolean;
}

export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

function entries(catalog: Catalog, statement: Statement, element: 'Action' | 'NotAction'): ActionEntry[] {
  const values = element === 'Action' ? statement.action : statement.notAction;
  if (values === undefined) return [];
  return values.map((value, index) => {
    const wildcard = hasWildcard(value);
    const expansion = catalog.expandActionPattern(value);
    const info = wildcard ? undefined : catalog.lookupAction(value);
    const base = { value, index, pos: valuePos(statement, element, index), hasWildcard: wildcard, expansion };
    return info === undefined ? base : { ...base, info };
  });
}

export function computeStatementFacts(catalog: Catalog, statement: Statement): StatementFacts {
  const actions = entries(catalog, statement, 'Action');
  const notActions = entries(catalog, statement, 'NotAction');
  if (statement.action === undefined) return { actions, notActions, actionsFullyKnown: false };
  let set = catalog.emptySet();
  let known = true;
  for (const entry of actions) {
    set = set.union(entry.expansion.set);
    if (entry.expansion.unknownService || entry.expansion.matchedNothing || entry.expansion.set.isEmpty())
      known = false;
  }
  return { actions, notActions, actionSet: set, actionsFullyKnown: known };
}

/** Every action in the set, as catalogue entries. Only call with sets known to be small-ish. */
export function actionInfos(catalog: Catalog, set: ActionSet): ActionInfo[] {
  const out: ActionInfo[] = [];
  for (const index of set.indices()) out.push(catalog.actionByIndex(index));
  return out;
}
