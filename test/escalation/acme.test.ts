/**
 * The example organization's escalation rows (examples/acme/README.md) found, and its documented
 * noise not flagged: the checks run through the framework on the loaded snapshot.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canReach, principalsReaching } from '../../src/analysis/escalation/index.js';
import { privilegeEscalationSelf } from '../../src/checks/privilege-escalation-self.js';
import { privilegeEscalationToAdmin } from '../../src/checks/privilege-escalation-to-admin.js';
import { runCheck, verdicts } from '../../src/checks/testing/run-check.js';
import { loadSnapshot } from '../../src/collect/index.js';
import type { OrgSnapshot } from '../../src/model/account.js';

let snapshot: OrgSnapshot;
beforeAll(async () => {
  ({ snapshot } = await loadSnapshot([path.resolve(import.meta.dirname, '..', '..', 'examples', 'acme')]));
});

const planted: readonly [string, string, number][] = [
  // row 8: CreateAccessKey/CreateLoginProfile on * reaches terraform-org (admin)
  ['arn:aws:iam::204815939271:user/automation/helpdesk-bot', 'iam-004', 1],
  // row 22: UpdateAssumeRolePolicy on * reaches an admin role
  ['arn:aws:iam::573628190442:role/platform/observability-admin', 'iam-012', 1],
  // row 53: support-readonly -> ops-admin
  ['arn:aws:iam::861204557319:role/support-readonly', 'sts-001', 1],
  // row 54: readonly group -> support-readonly -> ops-admin
  ['arn:aws:iam::861204557319:group/readonly', 'sts-001', 2],
  // row 30: ops-self-service (AttachUserPolicy on ${aws:username}) makes its group's members admins
  ['arn:aws:iam::573628190442:group/operations', 'iam-008', 1],
];

const noise: readonly string[] = [
  'arn:aws:iam::438019276655:role/security/security-tooling',
  'arn:aws:iam::573628190442:role/ci/platform-github-deployer',
  'arn:aws:iam::573628190442:role/ci/platform-deployer',
  'arn:aws:iam::573628190442:role/platform/platform-api-task',
  'arn:aws:iam::861204557319:role/service-role/data-etl-glue',
  'arn:aws:iam::204815939271:role/security/acme-security-audit',
  'arn:aws:iam::573628190442:role/vendor/datadog-integration',
];

describe('example organization', () => {
  it.each(planted)('%s reaches admin by %s in %i step(s)', (arn, technique, hops) => {
    const p = canReach(snapshot, arn);
    expect(p?.hops.map((h) => h.technique).at(-1)).toBe(technique);
    expect(p?.hops.length).toBe(hops);
    expect(p?.conditional).toBe(false);
  });

  it('reports the planted principals with privilege-escalation-to-admin and none of the noise', () => {
    const v = verdicts(runCheck(privilegeEscalationToAdmin, snapshot));
    for (const [arn] of planted) expect(v[arn], arn).toBe('fail');
    for (const arn of noise) expect(v[arn], arn).toBeUndefined();
  });

  it('does not report administrators as escalating', () => {
    const v = verdicts(runCheck(privilegeEscalationToAdmin, snapshot));
    expect(v['arn:aws:iam::204815939271:user/automation/terraform-org']).toBeUndefined();
    expect(v['arn:aws:iam::861204557319:role/ops-admin']).toBeUndefined();
  });

  it('reports the self-service group with privilege-escalation-self', () => {
    const v = verdicts(runCheck(privilegeEscalationSelf, snapshot));
    expect(v['arn:aws:iam::573628190442:group/operations']).toBe('fail');
    // release-bot may rewrite any customer policy, including release-artifacts-read attached to it.
    expect(v['arn:aws:iam::861204557319:user/automation/release-bot']).toBe('fail');
    expect(Object.keys(v)).toHaveLength(2);
  });

  it('lists every principal that can reach admin, shortest path first', () => {
    const all = principalsReaching(snapshot, 'admin');
    const lengths = all.map((p) => p.hops.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    expect(all.map((p) => p.principal)).toContain(
      'arn:aws:iam::573628190442:user/automation/ci-deployer-legacy',
    );
  });

  it('keeps an MFA-conditioned trust as a conditional edge, not a path', () => {
    const edges = principalsReaching(snapshot, 'arn:aws:iam::729354810066:role/acme-support-access');
    expect(edges.length).toBeGreaterThan(0);
    expect(
      edges.every((p) => p.conditional && p.conditions.some((c) => c.includes('aws:MultiFactorAuthPresent'))),
    ).toBe(true);
  });
});
