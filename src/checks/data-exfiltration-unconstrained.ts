import type { RiskCategory } from '../analysis/access/categories.js';
import { actionsEvidence, listSome } from '../analysis/access/describe.js';
import { accessFacts, categoryActionNames } from '../analysis/access/facts.js';
import { SENSITIVE_ACTIONS_SOURCE } from '../analysis/access/sensitive-actions-data.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckContext, CheckOutcome } from './types.js';

export const SENSITIVE_ACTIONS_REFERENCE = `${SENSITIVE_ACTIONS_SOURCE.repository} (commit ${SENSITIVE_ACTIONS_SOURCE.commit.slice(0, 12)}, ${SENSITIVE_ACTIONS_SOURCE.license})`;

/**
 * One check per risk category: users and roles whose customer-managed or inline policies grant
 * actions of the category on `*` (after boundary and SCPs), counting only actions that accept a
 * narrower `Resource`. Administrators are left to the admin checks.
 */
export function categoryCheck(meta: CheckMetadata, category: RiskCategory, noun: string): Check {
  return {
    meta,
    run(ctx: CheckContext): CheckOutcome[] {
      const out: CheckOutcome[] = [];
      for (const f of accessFacts(ctx.snapshot).principals) {
        if (f.admin?.kind === 'full') continue;
        const words = f.categoryWords.get(category);
        if (!words) continue;
        const actions = categoryActionNames(words);
        const s = f.entry.subject;
        out.push({
          status: 'fail',
          account: s.accountId,
          resourceArn: s.arn,
          resourceType: s.kind === 'user' ? 'AWS::IAM::User' : 'AWS::IAM::Role',
          principal: s.arn,
          message: `${s.kind} ${s.name} may ${noun} on any resource: ${listSome(actions)} on *`,
          evidence: actionsEvidence(f.entry, actions, words),
        });
      }
      return out;
    },
  };
}

const meta: CheckMetadata = {
  id: 'data-exfiltration-unconstrained',
  title: 'Data-read actions without resource constraints',
  severity: 'medium',
  description:
    'Users and roles whose customer-managed or inline policies allow reading data on `Resource: "*"` (s3:GetObject, secretsmanager:GetSecretValue, ssm:GetParameters, dynamodb:Scan, …: the DataAccess category of the sensitive-IAM-actions list plus Cloudsplaining\'s data-exfiltration actions), after boundary and SCPs. Only actions that accept a narrower resource count; log reads are left out.',
  risk: 'A leaked credential or a compromised workload can read every bucket, secret, parameter or table in the account, not only the ones it works with.',
  remediation:
    'Name the buckets, secrets, parameters and tables in `Resource` (e.g. `arn:aws:secretsmanager:REGION:ACCOUNT:secret:app/*`), or add a condition such as `aws:ResourceTag/team`. Update with `aws iam put-role-policy` / `create-policy-version`.',
  references: [
    SENSITIVE_ACTIONS_REFERENCE,
    'https://github.com/salesforce/cloudsplaining (risk categories)',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html',
  ],
  compliance: {
    soc2: ['CC6.1', 'CC6.3', 'CC6.7'],
    iso27001: ['A.5.15', 'A.8.2'],
    'pci-dss': ['7.2.1', '7.2.2'],
    hipaa: ['164.308(a)(4)', '164.312(a)(1)'],
  },
  resourceType: 'AWS::IAM::Principal',
  tags: ['cloudsplaining', 'least-privilege'],
};

export const dataExfiltrationUnconstrained: Check = categoryCheck(meta, 'data-exfiltration', 'read data');
