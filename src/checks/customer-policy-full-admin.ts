import { policyEvidence } from '../analysis/access/evidence.js';
import { statementOnAllResources, statementWords } from '../analysis/access/policy-actions.js';
import { packedEquals, packedOf } from '../analysis/access/word-sets.js';
import { getCatalog } from '../catalog/index.js';
import type { Account } from '../model/account.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckContext, CheckOutcome } from './types.js';

const meta: CheckMetadata = {
  id: 'customer-policy-full-admin',
  title: 'Customer-managed policy allows full "*:*" administrative privileges and is attached',
  severity: 'high',
  description:
    'Customer-managed policies in use (attached to a user, group or role) with an Allow statement for every action (`"Action": "*"`, or patterns that expand to every action) on `"Resource": "*"`. Conditions do not exempt a statement: the benchmark asks for no such grant at all.',
  risk: 'Anything the policy is attached to can do everything in the account; it is easy to attach to one more principal without noticing what it grants.',
  remediation:
    'Replace the statement with the actions and resources the attached principals need, or detach the policy (`aws iam list-entities-for-policy --policy-arn ARN`, then `aws iam detach-user-policy` / `detach-group-policy` / `detach-role-policy`). Where full administrator access is truly needed, use the AWS managed AdministratorAccess on one MFA-protected role.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    'CIS AWS Foundations Benchmark v3.0.0, 1.16 "Ensure IAM policies that allow full *:* administrative privileges are not attached" (numbering of v3.0.0)',
  ],
  compliance: {
    'cis-aws': ['1.16'],
    soc2: ['CC6.1', 'CC6.3'],
    iso27001: ['A.5.15', 'A.8.2'],
    'pci-dss': ['7.2.1', '7.2.2'],
    hipaa: ['164.308(a)(4)'],
  },
  resourceType: 'AWS::IAM::Policy',
  tags: ['admin', 'cis'],
};

/** Managed-policy ARNs some user, group or role of the account has attached. */
function attachedArns(account: Account): Set<string> {
  const out = new Set<string>();
  for (const p of [...account.users.values(), ...account.groups.values(), ...account.roles.values()])
    for (const a of p.attachedPolicies) out.add(a.arn);
  return out;
}

export const customerPolicyFullAdmin: Check = {
  meta,
  run(ctx: CheckContext): CheckOutcome[] {
    const out: CheckOutcome[] = [];
    const full = packedOf(getCatalog().fullSet());
    for (const account of ctx.snapshot.accounts.values()) {
      const attached = attachedArns(account);
      for (const mp of account.managedPolicies.values()) {
        if (mp.awsManaged) continue;
        if (!attached.has(mp.arn) && !(mp.attachmentCount !== undefined && mp.attachmentCount > 0)) continue;
        const doc = mp.document;
        if (!doc) {
          out.push({
            status: 'unknown',
            account: account.id,
            resourceArn: mp.arn,
            message: `policy ${mp.name} is attached but its document is not in the snapshot`,
          });
          continue;
        }
        const hits = doc.policy.statements.filter(
          (s) => s.effect === 'Allow' && statementOnAllResources(s) && packedEquals(statementWords(s), full),
        );
        if (hits.length === 0) continue;
        out.push({
          status: 'fail',
          account: account.id,
          resourceArn: mp.arn,
          message: `customer-managed policy ${mp.name} allows every action on every resource${hits.some((s) => s.conditions.length > 0) ? ' (under a condition)' : ''} and is attached`,
          evidence: { policies: hits.map((s) => policyEvidence(doc, s)), actions: ['*'] },
        });
      }
    }
    return out;
  },
};
