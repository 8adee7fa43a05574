import { ARN_OPERATORS } from './arn.js';
import { BINARY_OPERATORS } from './binary.js';
import { BOOL_OPERATORS } from './bool.js';
import { DATE_OPERATORS } from './date.js';
import { IP_OPERATORS } from './ip.js';
import { NUMERIC_OPERATORS } from './numeric.js';
import type { ConditionOperator } from './operator.js';
import { STRING_OPERATORS } from './string.js';

/** Every base operator except Null (handled in compile.ts), keyed by lower-cased name. */
export const OPERATORS: ReadonlyMap<string, ConditionOperator> = new Map(
  [
    ...STRING_OPERATORS,
    ...NUMERIC_OPERATORS,
    ...DATE_OPERATORS,
    ...BOOL_OPERATORS,
    ...BINARY_OPERATORS,
    ...IP_OPERATORS,
    ...ARN_OPERATORS,
  ].map((op) => [op.name.toLowerCase(), op]),
);

export function findOperator(baseOperator: string): ConditionOperator | undefined {
  return OPERATORS.get(baseOperator.toLowerCase());
}
