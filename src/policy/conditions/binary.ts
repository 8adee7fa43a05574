/**
 * BinaryEquals: the policy holds base64; the request value (also base64 text here) is compared
 * byte for byte. No policy variables.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals
 */
import type { ConditionOperator } from './operator.js';

function isBase64Char(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}

/** Canonical base64 of the decoded bytes, or undefined for text that is not strict base64. */
export function canonicalBase64(text: string): string | undefined {
  if (text.length === 0 || text.length % 4 !== 0) return undefined;
  let end = text.length;
  if (text.charCodeAt(end - 1) === 61) end--;
  if (text.charCodeAt(end - 1) === 61) end--;
  for (let i = 0; i < end; i++) if (!isBase64Char(text.charCodeAt(i))) return undefined;
  return Buffer.from(text, 'base64').toString('base64');
}

export const BinaryEquals: ConditionOperator<string, string> = {
  name: 'BinaryEquals',
  valueType: 'binary',
  negated: false,
  variables: false,
  compileValue: canonicalBase64,
  // Canonical text already: no decoding needed (the common case allocates nothing).
  parseRequest: (raw) => raw,
  matches: (r, p) => r === p || canonicalBase64(r) === p,
  phrase: { yes: 'equals', no: 'does not equal' },
  expects: 'base64',
};

export const BINARY_OPERATORS: readonly ConditionOperator[] = [BinaryEquals] as readonly ConditionOperator[];
