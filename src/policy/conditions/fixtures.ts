/** Builds condition clauses from operator text for tests (the parser does this for real policies). */
import { NO_POSITION } from '../../model/issue.js';
import type { ConditionClause, SetOperator } from '../../model/policy.js';

export function clauseOf(operator: string, key: string, values: readonly string[]): ConditionClause {
  let base = operator;
  let setOperator: SetOperator | undefined;
  const colon = base.indexOf(':');
  if (colon !== -1) {
    const prefix = base.slice(0, colon);
    if (prefix === 'ForAnyValue' || prefix === 'ForAllValues') setOperator = prefix;
    base = base.slice(colon + 1);
  }
  const ifExists = base.endsWith('IfExists');
  if (ifExists) base = base.slice(0, -'IfExists'.length);
  return {
    operator,
    baseOperator: base,
    ...(setOperator === undefined ? {} : { setOperator }),
    ifExists,
    key,
    values,
    pos: NO_POSITION,
    keyPos: NO_POSITION,
  };
}
