import type { PolicyIssue } from '../../../model/issue.js';
import { makeIssue, valuePath, valuePos } from '../support/issue.js';
import type { LintRule } from '../types.js';

/** https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html */
const PARTITIONS = new Set([
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
]);

function isOpen(segment: string): boolean {
  return segment.includes('*') || segment.includes('?') || segment.includes('${');
}

/** Why the value is not usable as a Resource, or undefined when it is fine. */
export function arnProblem(value: string): { message: string; fix: string } | undefined {
  if (value === '*') return undefined;
  if (!value.startsWith('arn:')) {
    if (value.toLowerCase().startsWith('arn:'))
      return { message: `"${value}" must start with lower-case "arn:".`, fix: 'Write the prefix as arn:.' };
    return {
      message: `"${value}" is neither "*" nor an ARN.`,
      fix: 'Use "*" or a full ARN: arn:partition:service:region:account:resource.',
    };
  }
  const parts = value.split(':');
  if (parts.length < 6) {
    // "arn:aws:s3:::*" has 6; a trailing wildcard can stand for the rest only when it is in the last part given.
    const last = parts[parts.length - 1] ?? '';
    if (last.includes('*')) return undefined;
    return {
      message: `"${value}" has ${parts.length} of the 6 ARN fields (arn:partition:service:region:account:resource).`,
      fix: 'Add the missing fields; leave region or account empty where the service does not use them.',
    };
  }
  const partition = parts[1]!;
  const service = parts[2]!;
  if (!isOpen(partition) && !PARTITIONS.has(partition)) {
    return {
      message: `"${partition}" in "${value}" is not an AWS partition.`,
      fix: 'Use aws, aws-cn or aws-us-gov (or another AWS partition).',
    };
  }
  if (service === '')
    return {
      message: `"${value}" has an empty service field.`,
      fix: 'Put the service prefix (e.g. s3) in the third field.',
    };
  if (!isOpen(service) && service !== service.toLowerCase()) {
    return {
      message: `The service "${service}" in "${value}" must be lower case.`,
      fix: `Write it as ${service.toLowerCase()}.`,
    };
  }
  return undefined;
}

export const invalidArn: LintRule = {
  code: 'invalid-arn',
  severity: 'ERROR',
  title: 'Invalid resource ARN',
  description:
    'A Resource or NotResource value must be "*" or an ARN arn:partition:service:region:account:resource with ' +
    'a known partition and a lower-case service prefix. Anything else matches no resource.',
  fix: 'Use "*" or a full ARN.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html',
  accessAnalyzerCode: 'MISSING_ARN_FIELD',
  relatedAccessAnalyzerCodes: ['INVALID_ARN_PREFIX', 'INVALID_PARTITION', 'INVALID_ARN_SERVICE_CASE'],
  check(policy) {
    const issues: PolicyIssue[] = [];
    for (const statement of policy.statements) {
      for (const element of ['Resource', 'NotResource'] as const) {
        const values = element === 'Resource' ? statement.resource : statement.notResource;
        values?.forEach((value, i) => {
          const problem = arnProblem(value);
          if (problem) {
            issues.push(
              makeIssue(
                this,
                valuePath(statement, element, i),
                valuePos(statement, element, i),
                problem.message,
                problem.fix,
              ),
            );
          }
        });
      }
    }
    return issues;
  },
};
