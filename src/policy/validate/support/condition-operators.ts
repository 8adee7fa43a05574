/**
 * The condition operators AWS documents, grouped by the data type they compare.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

const FAMILY_BY_OPERATOR: ReadonlyMap<string, OperatorFamily> = new Map(
  (
    [
      ['StringEquals', 'String'],
      ['StringNotEquals', 'String'],
      ['StringEqualsIgnoreCase', 'String'],
      ['StringNotEqualsIgnoreCase', 'String'],
      ['StringLike', 'String'],
      ['StringNotLike', 'String'],
      ['NumericEquals', 'Numeric'],
      ['NumericNotEquals', 'Numeric'],
      ['NumericLessThan', 'Numeric'],
      ['NumericLessThanEquals', 'Numeric'],
      ['NumericGreaterThan', 'Numeric'],
      ['NumericGreaterThanEquals', 'Numeric'],
      ['DateEquals', 'Date'],
      ['DateNotEquals', 'Date'],
      ['DateLessThan', 'Date'],
      ['DateLessThanEquals', 'Date'],
      ['DateGreaterThan', 'Date'],
      ['DateGreaterThanEquals', 'Date'],
      ['Bool', 'Bool'],
      ['BinaryEquals', 'Binary'],
      ['IpAddress', 'IpAddress'],
      ['NotIpAddress', 'IpAddress'],
      ['ArnEquals', 'Arn'],
      ['ArnLike', 'Arn'],
      ['ArnNotEquals', 'Arn'],
      ['ArnNotLike', 'Arn'],
      ['Null', 'Null'],
    ] as const
  ).map(([name, family]) => [name.toLowerCase(), family]),
);

export const KNOWN_OPERATORS: readonly string[] = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
];

/** Looked up case-insensitively: a wrong-case operator is not reported as unknown here. */
export function operatorFamily(baseOperator: string): OperatorFamily | undefined {
  return FAMILY_BY_OPERATOR.get(baseOperator.toLowerCase());
}

/**
 * The operator family a condition key's documented type calls for (`ArrayOf...` keys use the
 * element type). Undefined for types this linter does not know.
 */
export function familyForKeyType(type: string): OperatorFamily | undefined {
  const base = type.startsWith('ArrayOf') ? type.slice('ArrayOf'.length) : type;
  switch (base.toLowerCase()) {
    case 'string':
      return 'String';
    case 'numeric':
    case 'long':
    case 'integer':
      return 'Numeric';
    case 'date':
      return 'Date';
    case 'bool':
    case 'boolean':
      return 'Bool';
    case 'binary':
      return 'Binary';
    case 'ipaddress':
      return 'IpAddress';
    case 'arn':
      return 'Arn';
    default:
      return undefined;
  }
}

export function isMultiValuedType(type: string): boolean {
  return type.startsWith('ArrayOf');
}

/** Closest known operator by edit distance, for "did you mean". */
export function suggestOperator(name: string): string | undefined {
  const lower = name.toLowerCase().slice(0, 64);
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of KNOWN_OPERATORS) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
