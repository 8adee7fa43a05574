import type { PolicyIssue } from '../../../model/issue.js';
import { globsOverlap, toPieces } from '../support/glob-overlap.js';
import { makeIssue, valuePath, valuePos } from '../support/issue.js';
import type { LintRule } from '../types.js';

function isLiteral(value: string): boolean {
  return !value.includes('*') && !value.includes('?') && !value.includes('${');
}

/** `pattern` matches the literal `value` (a literal against a glob: the overlap test is exact). */
function covers(pattern: string, value: string): boolean {
  return globsOverlap(toPieces(pattern, true), toPieces(value, false)) === true;
}

export const redundantResource: LintRule = {
  code: 'redundant-resource',
  severity: 'SUGGESTION',
  title: 'Redundant resource',
  description:
    "A Resource or NotResource value repeats another value, or is an exact ARN that another value's " +
    'wildcard already matches. Removing it changes nothing.',
  fix: 'Remove the redundant value (or the wildcard, if only the listed resources were meant).',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html',
  accessAnalyzerCode: 'REDUNDANT_RESOURCE',
  check(policy) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      for (const element of ['Resource', 'NotResource'] as const) {
        const values = (element === 'Resource' ? statement.resource : statement.notResource) ?? [];
        if (values.length > 500) continue;
        values.forEach((value, i) => {
          const coverIndex = values.findIndex(
            (other, j) =>
              j !== i &&
              ((other === value && j < i) || (other !== value && isLiteral(value) && covers(other, value))),
          );
          if (coverIndex === -1) return;
          issues.push(
            makeIssue(
              this,
              valuePath(statement, element, i),
              valuePos(statement, element, i),
              `"${value}" is redundant: "${values[coverIndex]}" already covers it.`,
              `Remove "${value}".`,
            ),
          );
        });
      }
    }
    return issues;
  },
};
