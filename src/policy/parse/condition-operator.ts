import type { SetOperator } from '../../model/policy.js';
import { quote } from './issues.js';

/**
 * Splits a condition operator such as `ForAnyValue:StringLikeIfExists` into its parts. Only the
 * syntax is checked here: whether `StringLike` is a real operator is for the linter and the
 * condition engine, which own the list of operators.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */

export type ParsedOperator =
  | {
      readonly ok: true;
      readonly baseOperator: string;
      readonly setOperator?: SetOperator;
      readonly ifExists: boolean;
    }
  | { readonly ok: false; readonly reason: string };

const IF_EXISTS = 'ifexists';

export function parseConditionOperator(operator: string): ParsedOperator {
  if (operator.length === 0) return { ok: false, reason: 'the condition operator is empty' };
  let rest = operator;
  let setOperator: SetOperator | undefined;
  const colon = operator.indexOf(':');
  if (colon !== -1) {
    const prefix = operator.slice(0, colon).toLowerCase();
    if (prefix === 'foranyvalue') setOperator = 'ForAnyValue';
    else if (prefix === 'forallvalues') setOperator = 'ForAllValues';
    else {
      return {
        ok: false,
        reason: `${quote(`${operator.slice(0, colon)}:`)} is not a set operator prefix (use ForAnyValue: or ForAllValues:)`,
      };
    }
    rest = operator.slice(colon + 1);
  }
  if (!isOperatorName(rest)) {
    return { ok: false, reason: `${quote(rest)} is not an operator name (letters and digits only)` };
  }
  let ifExists = false;
  if (rest.length > IF_EXISTS.length && rest.slice(-IF_EXISTS.length).toLowerCase() === IF_EXISTS) {
    ifExists = true;
    rest = rest.slice(0, -IF_EXISTS.length);
  } else if (rest.toLowerCase() === IF_EXISTS) {
    return { ok: false, reason: 'IfExists needs an operator before it (e.g. StringEqualsIfExists)' };
  }
  return setOperator === undefined
    ? { ok: true, baseOperator: rest, ifExists }
    : { ok: true, baseOperator: rest, setOperator, ifExists };
}

function isOperatorName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!ok) return false;
  }
  return true;
}
