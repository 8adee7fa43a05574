import type { PolicyIssue } from '../../../model/issue.js';
import { hasVariables } from '../../match/index.js';
import { type OperatorFamily, operatorFamily } from '../support/condition-operators.js';
import {
  isBase64Value,
  isBoolValue,
  isDateValue,
  isNumericValue,
  parseCidr,
} from '../support/condition-values.js';
import { conditionPath, makeIssue } from '../support/issue.js';
import type { LintRule } from '../types.js';

const CHECKS: Partial<
  Record<OperatorFamily, { readonly valid: (v: string) => boolean; readonly expected: string }>
> = {
  Numeric: { valid: isNumericValue, expected: 'a number' },
  Date: {
    valid: isDateValue,
    expected: 'an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ) or epoch seconds',
  },
  Bool: { valid: isBoolValue, expected: 'true or false' },
  Null: { valid: isBoolValue, expected: 'true or false' },
  Binary: { valid: isBase64Value, expected: 'base64-encoded bytes' },
  IpAddress: { valid: (v) => parseCidr(v) !== undefined, expected: 'an IPv4 or IPv6 address or CIDR range' },
};

export const conditionValueInvalidForOperator: LintRule = {
  code: 'condition-value-invalid-for-operator',
  severity: 'WARNING',
  title: 'Condition value does not parse for its operator',
  description:
    'A Numeric, Date, Bool, Null, BinaryEquals or IpAddress condition has a value that is not a number, ' +
    'date, boolean, base64 string or CIDR range. Such a value never compares as intended.',
  fix: 'Write the value in the form the operator expects.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
  accessAnalyzerCode: 'TYPE_MISMATCH_NUMBER',
  relatedAccessAnalyzerCodes: [
    'TYPE_MISMATCH_DATE',
    'TYPE_MISMATCH_BOOLEAN',
    'TYPE_MISMATCH_IP_RANGE',
    'TYPE_MISMATCH_STRING',
  ],
  check(policy) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      for (const clause of statement.conditions) {
        const family = operatorFamily(clause.baseOperator);
        const check = family ? CHECKS[family] : undefined;
        if (!check) continue;
        // Variables in non-string operators are a different mistake; do not double-report.
        const bad = clause.values.find((v) => !hasVariables(v) && !check.valid(v));
        if (bad === undefined) continue;
        issues.push(
          makeIssue(
            this,
            conditionPath(statement, clause),
            clause.pos,
            `${clause.operator} on "${clause.key}" expects ${check.expected}, not "${bad.slice(0, 100)}".`,
            `Replace "${bad.slice(0, 100)}" with ${check.expected}.`,
          ),
        );
      }
    }
    return issues;
  },
};
