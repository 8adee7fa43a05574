import type { PrincipalUsageReport } from '../activity/usage/report.js';
import type { OrgSnapshot } from '../model/account.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckOutcome } from './types.js';

/**
 * Checks are synchronous; reading the activity store is not. `leastpriv audit --activity FILE`
 * computes `unusedPermissionsFromActivity(...)` first and attaches it to the snapshot here; the check
 * reads it back. A WeakMap keyed by the snapshot object keeps AuditConfig unchanged and lets the data
 * go with the snapshot. Without attached activity the check produces nothing.
 */
const ACTIVITY = new WeakMap<OrgSnapshot, ReadonlyMap<string, PrincipalUsageReport>>();

export function attachActivityUsage(
  snapshot: OrgSnapshot,
  usage: ReadonlyMap<string, PrincipalUsageReport>,
): void {
  ACTIVITY.set(snapshot, usage);
}

export function activityUsageOf(
  snapshot: OrgSnapshot,
): ReadonlyMap<string, PrincipalUsageReport> | undefined {
  return ACTIVITY.get(snapshot);
}

/** Below this many granted-but-unused actions a principal is already close to least privilege. */
const MIN_UNUSED = 1;
const TOP_SERVICES = 5;

export const meta: CheckMetadata = {
  id: 'unused-permissions',
  title: 'Permissions granted but not used in the activity window',
  severity: 'low',
  description:
    'For every user and role with CloudTrail activity in the window (`leastpriv audit --activity FILE`, the last `thresholds.unusedDays` days), the IAM actions its identity policies grant that none of its events exercised. Actions are compared at action level: CloudTrail events are mapped to the IAM actions that authorised them. Principals with no activity at all are left to the unused-user and unused-role checks.',
  risk: 'Every granted permission a principal does not use is blast radius without benefit: if its credentials leak, or its code is subverted, the attacker inherits what was granted, not what was needed.',
  remediation:
    'Generate a policy from what was used (`leastpriv trail policy PRINCIPAL --snapshot DIR --db FILE`), review the resources it lists, attach it, and remove the broader policies. Keep rarely used actions (yearly jobs, break-glass) that the window could not see.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html',
  ],
  compliance: {
    soc2: ['CC6.1', 'CC6.3'],
    iso27001: ['A.5.15', 'A.8.2'],
    'pci-dss': ['7.2.1', '7.2.2'],
    hipaa: ['164.308(a)(4)'],
  },
  resourceType: 'AWS::IAM::Principal',
  tags: ['least-privilege', 'unused', 'activity'],
};

function resourceType(kind: PrincipalUsageReport['kind']): string {
  return kind === 'role' ? 'AWS::IAM::Role' : kind === 'user' ? 'AWS::IAM::User' : 'AWS::::Account';
}

export const unusedPermissions: Check = {
  meta,
  run({ snapshot }) {
    const usage = ACTIVITY.get(snapshot);
    if (!usage) return [];
    const out: CheckOutcome[] = [];
    for (const r of usage.values()) {
      if (r.kind === 'root') continue;
      const c = r.comparison;
      if (c.grantedUnused.length < MIN_UNUSED) continue;
      const top = c.byService
        .filter((s) => s.unused > 0)
        .slice(0, TOP_SERVICES)
        .map((s) => `${s.service} ${s.unused}`);
      out.push({
        status: 'fail',
        account: r.account,
        resourceArn: r.principal,
        resourceType: resourceType(r.kind),
        principal: r.principal,
        message: `${r.kind} ${r.name} used ${c.used} of ${c.granted} granted actions since ${r.since?.slice(0, 10) ?? 'the start of the activity'}; ${c.grantedUnused.length} unused (${top.join(', ')})`,
        evidence: {
          actions: c.grantedUnused.slice(0, 100),
          facts: {
            granted: c.granted,
            used: c.used,
            grantedUnused: c.grantedUnused.length,
            usedNotGranted: c.usedNotGranted.length,
            events: r.activity.events,
            since: r.since ?? null,
            firstEvent: r.activity.firstEvent ?? null,
            lastEvent: r.activity.lastEvent ?? null,
            incomplete: r.incomplete.length > 0 ? r.incomplete.join('; ') : null,
          },
        },
      });
    }
    return out;
  },
};
