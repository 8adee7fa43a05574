/** Builders for engine tests: policies go through the real parser, so positions and issues are real. */
import type { PolicyType } from '../../model/policy.js';
import { parsePolicy } from '../parse/index.js';
import type { EvaluablePolicy } from './compile.js';

export const ACCT = '111122223333';
export const OTHER = '444455556666';
export const MGMT = '999988887777';
export const USER = `arn:aws:iam::${ACCT}:user/alice`;
export const ROLE = `arn:aws:iam::${ACCT}:role/app/AppRole`;
export const SESSION = `arn:aws:sts::${ACCT}:assumed-role/AppRole/job-1`;
export const FED = `arn:aws:sts::${ACCT}:federated-user/bob`;
export const OTHER_USER = `arn:aws:iam::${OTHER}:user/carol`;
export const BUCKET = 'arn:aws:s3:::amzn-s3-demo-bucket';
export const OBJECT = `${BUCKET}/reports/q1.csv`;
export const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export type StatementInput = Record<string, unknown>;

/** A policy of the given type; throws if the parser reports an ERROR (unless `allowErrors`). */
export function policy(
  name: string,
  type: PolicyType,
  statements: readonly StatementInput[],
  options: { version?: string | null; allowErrors?: boolean } = {},
): EvaluablePolicy {
  const doc: Record<string, unknown> = { Statement: statements };
  if (options.version !== null) doc.Version = options.version ?? '2012-10-17';
  const text = JSON.stringify(doc, null, 2);
  const parsed = parsePolicy(text, { type });
  if (!parsed.policy) throw new Error(`test policy ${name} did not parse: ${JSON.stringify(parsed.issues)}`);
  if (!parsed.ok && !options.allowErrors) {
    throw new Error(`test policy ${name} has errors: ${parsed.issues.map((i) => i.message).join('; ')}`);
  }
  return { name, policy: parsed.policy, issues: parsed.issues };
}

export function allow(
  action: string | string[],
  resource: string | string[] = '*',
  extra: StatementInput = {},
): StatementInput {
  return { Effect: 'Allow', Action: action, Resource: resource, ...extra };
}

export function deny(
  action: string | string[],
  resource: string | string[] = '*',
  extra: StatementInput = {},
): StatementInput {
  return { Effect: 'Deny', Action: action, Resource: resource, ...extra };
}

export const ALLOW_ALL = allow('*');
