import { SENSITIVE_SERVICES, serviceActionSet } from '../analysis/access/categories.js';
import { listSome } from '../analysis/access/describe.js';
import { grantEvidenceWords, grantsOfWords, policyEvidence } from '../analysis/access/evidence.js';
import { accessFacts } from '../analysis/access/facts.js';
import { statementWords } from '../analysis/access/policy-actions.js';
import { packedIsSubset, packedOf, packedUnion } from '../analysis/access/word-sets.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckContext, CheckOutcome } from './types.js';

const meta: CheckMetadata = {
  id: 'service-wide-wildcard',
  title: 'Every action of a sensitive service on every resource',
  severity: 'high',
  description: `Users and roles that may perform every action of a sensitive service (${SENSITIVE_SERVICES.join(', ')}) on \`*\`, after boundary and SCPs: \`s3:*\`, \`kms:*\` and the like, or grants such as NotAction that amount to them. Decided on the engine's action sets, so \`s3:*\` written as a list of patterns counts too. Administrators are reported by the admin checks instead; service-linked roles are AWS's.`,
  risk: 'A service-wide grant includes the destructive and permission-changing actions of the service (kms:ScheduleKeyDeletion, s3:PutBucketPolicy, secretsmanager:PutResourcePolicy) on every resource, not just the reads the principal needs.',
  remediation:
    'Replace `service:*` with the actions the principal uses (service last-accessed data and CloudTrail show them; `leastpriv access PRINCIPAL --snapshot DIR` lists the grants) and name the resources in `Resource`.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html',
  ],
  compliance: {
    soc2: ['CC6.1', 'CC6.3'],
    iso27001: ['A.5.15', 'A.8.2'],
    'pci-dss': ['7.2.1', '7.2.2'],
    hipaa: ['164.308(a)(4)', '164.312(a)(1)'],
  },
  resourceType: 'AWS::IAM::Principal',
  tags: ['wildcard', 'least-privilege'],
};

export const serviceWideWildcard: Check = {
  meta,
  run(ctx: CheckContext): CheckOutcome[] {
    const out: CheckOutcome[] = [];
    for (const f of accessFacts(ctx.snapshot).principals) {
      if (f.admin?.kind === 'full' || f.wildcardServices.length === 0) continue;
      const s = f.entry.subject;
      const wildcards = f.wildcardServices.map((svc) => `${svc}:*`);
      const sets = f.wildcardServices.map((svc) => packedOf(serviceActionSet(svc)));
      const witness = packedUnion(sets);
      // Cite the statements that grant a whole service on `*`, not every read that touches one.
      const whole = grantsOfWords(f.entry.layers.identity, witness).filter(
        (g) => g.kind === 'all' && sets.some((set) => packedIsSubset(set, statementWords(g.statement))),
      );
      out.push({
        status: 'fail',
        account: s.accountId,
        resourceArn: s.arn,
        resourceType: s.kind === 'user' ? 'AWS::IAM::User' : 'AWS::IAM::Role',
        principal: s.arn,
        message: `${s.kind} ${s.name} may perform every action of ${listSome(wildcards, 6)} on *`,
        evidence: {
          policies:
            whole.length > 0
              ? whole.map((g) => policyEvidence(g.policy, g.statement))
              : grantEvidenceWords(f.entry.layers.identity, witness),
          actions: wildcards,
        },
      });
    }
    return out;
  },
};
