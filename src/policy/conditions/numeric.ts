/**
 * Numeric operators over integers and decimals. No policy variables.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric
 */
import { type ConditionOperator, negate } from './operator.js';

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * `[+-]digits[.digits][e[+-]digits]` or `[+-].digits...`; anything else (empty, hex, spaces, `Infinity`)
 * is not a number, so a comparison with it never succeeds. Parsed without allocation.
 */
export function parseDecimal(text: string): number | undefined {
  let i = 0;
  const n = text.length;
  if (i < n && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++;
  let digits = 0;
  while (i < n && isDigit(text.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < n && text.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return undefined;
  // An exponent, because JSON numbers in policy text (`"s3:max-keys": 1e3`) arrive as their JSON text.
  if (i < n && (text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69)) {
    i++;
    if (i < n && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++;
    const from = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === from) return undefined;
  }
  if (i !== n) return undefined;
  return Number(text);
}

function numeric(
  name: string,
  compare: (request: number, policy: number) => boolean,
  phrase: { yes: string; no: string },
): ConditionOperator<number, number> {
  return {
    name,
    valueType: 'numeric',
    negated: false,
    variables: false,
    compileValue: parseDecimal,
    parseRequest: parseDecimal,
    matches: (r, p) => compare(r, p),
    phrase,
    expects: 'a number',
  };
}

export const NumericEquals = numeric('NumericEquals', (r, p) => r === p, {
  yes: 'equals',
  no: 'does not equal',
});
export const NumericNotEquals = negate(NumericEquals, 'NumericNotEquals');
export const NumericLessThan = numeric('NumericLessThan', (r, p) => r < p, {
  yes: 'is less than',
  no: 'is not less than',
});
export const NumericLessThanEquals = numeric('NumericLessThanEquals', (r, p) => r <= p, {
  yes: 'is at most',
  no: 'is greater than',
});
export const NumericGreaterThan = numeric('NumericGreaterThan', (r, p) => r > p, {
  yes: 'is greater than',
  no: 'is not greater than',
});
export const NumericGreaterThanEquals = numeric('NumericGreaterThanEquals', (r, p) => r >= p, {
  yes: 'is at least',
  no: 'is less than',
});

export const NUMERIC_OPERATORS: readonly ConditionOperator[] = [
  NumericEquals,
  NumericNotEquals,
  NumericLessThan,
  NumericLessThanEquals,
  NumericGreaterThan,
  NumericGreaterThanEquals,
] as readonly ConditionOperator[];
