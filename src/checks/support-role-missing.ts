import type { CheckMetadata } from '../model/finding.js';
import { gapFor, rootArnOf, unknownFor } from './credential-helpers.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'support-role-missing',
  title: 'No role for AWS Support',
  severity: 'low',
  description:
    'No IAM role in the account has the AWS managed policy `AWSSupportAccess` attached (`aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess` lists no role).',
  risk: 'Without a designated support role, opening and following AWS Support cases during an incident needs the root user or an administrator; a narrow role lets the incident team work with AWS Support without broad privileges.',
  remediation:
    'Create a role for the incident-response team and attach the policy: `aws iam create-role --role-name aws-support --assume-role-policy-document file://trust.json` (trust your identity provider or the security account, with MFA), then `aws iam attach-role-policy --role-name aws-support --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess`.',
  references: [
    'CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.16 Ensure a support role has been created to manage incidents with AWS Support',
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSSupportAccess.html',
    'https://docs.aws.amazon.com/awssupport/latest/user/accessing-support.html',
  ],
  compliance: {
    'cis-aws': ['1.16'],
    soc2: ['CC7.4'],
    hipaa: ['164.308(a)(6)'],
  },
  resourceType: 'AWS::::Account',
  tags: ['incident-response'],
};

export const supportRoleMissing: Check = {
  meta,
  run({ snapshot }) {
    const out: CheckOutcome[] = [];
    for (const account of snapshot.accounts.values()) {
      const arn = rootArnOf(account);
      const support = `arn:${account.partition}:iam::aws:policy/AWSSupportAccess`;
      const gap = gapFor(account, 'iam-get-account-authorization-details');
      const roles = [...account.roles.values()].filter((r) =>
        r.attachedPolicies.some((p) => p.arn === support),
      );
      if (roles.length > 0) continue;
      // A missing or truncated export may hold the role we did not see.
      if (gap) {
        out.push(unknownFor(account, arn, 'the authorization details are incomplete', gap));
        continue;
      }
      out.push({
        status: 'fail',
        account: account.id,
        resourceArn: arn,
        message: `No role in ${account.name ?? account.id} has AWSSupportAccess attached`,
        evidence: { facts: { policy: support, rolesChecked: account.roles.size } },
      });
    }
    return out;
  },
};
