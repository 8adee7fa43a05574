import { isServiceLinked, servicesGrantedWholesale, unusedServices } from '../analysis/unused.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'unused-services',
  title: 'Whole services granted but not used for the unused-days threshold',
  severity: 'low',
  description:
    'A user or role that holds whole services (`service:*` or `*`, as the engine decides after denies, boundaries and SCPs) that it has not used for `thresholds.unusedDays` days (90 by default), according to IAM service last-accessed data. Grants of some actions of a service (read-only policies such as SecurityAudit) are not reported. The finding lists the unused services held wholesale.',
  risk: 'Permissions a principal never uses are pure risk: if its credentials or workload are compromised, the attacker gets them all. Removing them is the core of least privilege.',
  remediation:
    'Replace broad policies with ones covering the services actually used (listed in the evidence): generate a policy from CloudTrail activity with IAM Access Analyzer (`aws accessanalyzer start-policy-generation`), or write one by hand, attach it, and detach the broad policy (`aws iam detach-role-policy` / `detach-user-policy`).',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#remove-credentials',
  ],
  compliance: {
    soc2: ['CC6.3'],
    iso27001: ['A.5.15', 'A.8.2'],
    'pci-dss': ['7.2.4', '7.2.5'],
    hipaa: ['164.308(a)(4)'],
  },
  resourceType: 'AWS::IAM::Principal',
  tags: ['unused', 'least-privilege'],
};

export const unusedServicesCheck: Check = {
  meta,
  run({ snapshot, config, now }) {
    const days = config.thresholds.unusedDays;
    const out: CheckOutcome[] = [];
    for (const account of snapshot.accounts.values()) {
      for (const p of [...account.users.values(), ...account.roles.values()]) {
        if (p.kind === 'role' && isServiceLinked(p)) continue;
        const u = unusedServices(account, p.arn, now, days);
        if (u.status !== 'known' || u.unused.length === 0) continue;
        const writable = servicesGrantedWholesale(snapshot, p, u.unused, account.regions[0] ?? 'us-east-1');
        if (writable.length === 0) continue;
        const shown =
          writable.length > 8
            ? `${writable.slice(0, 8).join(', ')} and ${writable.length - 8} more`
            : writable.join(', ');
        out.push({
          account: account.id,
          resourceArn: p.arn,
          resourceType: p.kind === 'user' ? 'AWS::IAM::User' : 'AWS::IAM::Role',
          principal: p.arn,
          status: 'fail',
          message: `${p.name} holds ${writable.length} whole services (of ${u.granted} granted) it has not used in ${days} days: ${shown}`,
          evidence: {
            facts: {
              thresholdDays: days,
              grantedServices: u.granted,
              usedServices: u.used.join(', '),
              unusedServicesHeldWholesale: writable.join(', '),
            },
          },
        });
      }
    }
    return out;
  },
};
