import { beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../collect/index.js';
import type { OrgSnapshot } from '../model/account.js';
import type { Finding } from '../model/finding.js';
import { ACCESS_CHECKS } from './registry-access.js';
import { runCheck } from './testing/run-check.js';

const ACME = new URL('../../examples/acme', import.meta.url).pathname;

// Planted problems of examples/acme/README.md that the access checks own (README id → ours).
const PLANTED: readonly (readonly [string, string])[] = [
  ['customer-policy-full-admin', 'arn:aws:iam::204815939271:policy/acme-ops-full-access'],
  ['iam-group-admin', 'arn:aws:iam::204815939271:group/ops-admins'],
  ['iam-user-direct-policies', 'arn:aws:iam::204815939271:user/automation/terraform-org'],
  ['iam-user-admin', 'arn:aws:iam::204815939271:user/automation/terraform-org'],
  ['credentials-exposure-unconstrained', 'arn:aws:iam::204815939271:user/automation/helpdesk-bot'],
  ['iam-user-inline-policy', 'arn:aws:iam::204815939271:user/automation/helpdesk-bot'],
  ['workload-role-admin', 'arn:aws:iam::573628190442:role/legacy-jenkins-ec2'],
  ['workload-role-admin', 'arn:aws:iam::573628190442:role/service-role/ops-automation-lambda-role'],
  ['service-wide-wildcard', 'arn:aws:iam::573628190442:role/checkout/app-config-reader'],
  ['data-exfiltration-unconstrained', 'arn:aws:iam::573628190442:role/checkout/app-config-reader'],
  ['service-wide-wildcard', 'arn:aws:iam::573628190442:role/service-role/payments-encryption-helper'],
  [
    'resource-exposure-unconstrained',
    'arn:aws:iam::573628190442:role/service-role/payments-encryption-helper',
  ],
  ['resource-exposure-unconstrained', 'arn:aws:iam::573628190442:role/platform/bucket-admin-automation'],
  ['missing-owner-tag', 'arn:aws:iam::573628190442:role/vendor/acme-legacy-vendor-audit'],
  ['missing-owner-tag', 'arn:aws:iam::573628190442:role/migration-2024-role'],
  ['service-wide-wildcard', 'arn:aws:iam::573628190442:role/migration-2024-role'],
  ['iam-user-admin', 'arn:aws:iam::573628190442:user/jane.ops'],
  ['iam-user-direct-policies', 'arn:aws:iam::573628190442:user/jane.ops'],
  ['iam-user-direct-policies', 'arn:aws:iam::573628190442:user/automation/ci-deployer-legacy'],
  ['iam-user-inline-policy', 'arn:aws:iam::573628190442:user/automation/legacy-backup'],
  ['missing-owner-tag', 'arn:aws:iam::573628190442:user/automation/legacy-backup'],
  ['iam-role-admin', 'arn:aws:iam::861204557319:role/ops-admin'],
  ['policy-lint-security-warning', 'arn:aws:iam::861204557319:policy/acme-legacy-poweruser'],
  ['policy-lint-security-warning', 'arn:aws:iam::861204557319:policy/ci/ci-pipeline-policy'],
  ['service-wide-wildcard', 'arn:aws:iam::861204557319:role/data/analytics-adhoc-role'],
  ['data-exfiltration-unconstrained', 'arn:aws:iam::861204557319:role/data/data-export-worker'],
  ['missing-owner-tag', 'arn:aws:iam::861204557319:role/temp-debug-role'],
  ['missing-owner-tag', 'arn:aws:iam::861204557319:role/service-role/poc-sagemaker-role'],
  ['iam-user-inline-policy', 'arn:aws:iam::861204557319:user/olga.ivanova'],
  ['missing-owner-tag', 'arn:aws:iam::861204557319:user/automation/ci-test-user'],
  ['iam-user-direct-policies', 'arn:aws:iam::861204557319:user/data-analyst-contractor'],
  ['iam-user-inline-policy', 'arn:aws:iam::861204557319:user/automation/release-bot'],
  ['missing-owner-tag', 'arn:aws:iam::729354810066:role/service-role/hackday-2025-bot'],
];

// Noise of the README: no access finding at all, except the admin findings it says are expected.
const NOISE: readonly (readonly [string, readonly string[]])[] = [
  ['arn:aws:iam::204815939271:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport', []],
  [
    'arn:aws:iam::204815939271:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_ViewOnlyAccess_c879a9e2d22c7eee',
    [],
  ],
  ['arn:aws:iam::204815939271:role/security/acme-security-audit', []],
  ['arn:aws:iam::204815939271:role/acme-support-access', []],
  ['arn:aws:iam::204815939271:role/emergency/break-glass-admin', ['iam-role-admin']],
  ['arn:aws:iam::204815939271:role/service-role/config-delivery', []],
  ['arn:aws:iam::438019276655:role/OrganizationAccountAccessRole', ['iam-role-admin']],
  ['arn:aws:iam::438019276655:role/security/security-tooling', []],
  ['arn:aws:iam::438019276655:role/service-role/config-recorder', []],
  ['arn:aws:iam::438019276655:role/vendor/siem-log-reader', []],
  ['arn:aws:iam::438019276655:user/automation/siem-forwarder', []],
  ['arn:aws:iam::573628190442:role/platform/platform-api-task', []],
  ['arn:aws:iam::573628190442:role/service-role/prod-platform-stream-processor-role', []],
  ['arn:aws:iam::573628190442:role/ci/platform-github-deployer', []],
  ['arn:aws:iam::573628190442:role/vendor/datadog-integration', []],
  ['arn:aws:iam::573628190442:role/ci/platform-deployer', []],
  ['arn:aws:iam::573628190442:user/automation/ci-artifacts-uploader', []],
  ['arn:aws:iam::861204557319:role/vendor/datadog-integration', []],
  ['arn:aws:iam::861204557319:role/service-role/data-etl-glue', []],
  ['arn:aws:iam::861204557319:policy/acme-developer-access', []],
];

describe('the access checks on the example organization', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const snapshot: OrgSnapshot = (await loadSnapshot([ACME])).snapshot;
    findings = ACCESS_CHECKS.flatMap((c) => runCheck(c, snapshot));
  });

  it.each(PLANTED)('%s finds %s', (checkId, arn) => {
    expect(
      findings.filter((f) => f.checkId === checkId && f.resourceArn === arn && f.status === 'fail'),
    ).not.toHaveLength(0);
  });

  it.each(NOISE)('%s is not flagged beyond %j', (arn, expected) => {
    const ids = [...new Set(findings.filter((f) => f.resourceArn === arn).map((f) => f.checkId))].sort();
    expect(ids).toEqual([...expected].sort());
  });

  it('members of developers (acme-developer-access) are not flagged by the category checks', () => {
    const dev = findings.filter((f) => f.resourceArn === 'arn:aws:iam::861204557319:user/tom.becker');
    expect(dev.map((f) => f.checkId)).toEqual([]);
  });

  it('every check has evidence citing a policy statement for its admin and category findings', () => {
    for (const f of findings.filter(
      (x) => x.checkId.endsWith('-admin') || x.checkId.endsWith('-unconstrained'),
    ))
      expect(f.evidence.policies?.length ?? 0).toBeGreaterThan(0);
  });
});
