import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPOSURE_CHECKS } from '../../checks/registry-exposure.js';
import { runCheck } from '../../checks/testing/run-check.js';
import { loadSnapshot } from '../../collect/index.js';
import type { OrgSnapshot } from '../../model/account.js';
import type { Finding } from '../../model/finding.js';

const ACME = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'acme');
const NOW = new Date('2026-11-01T00:00:00Z');

/** Planted problems of examples/acme/README.md this group's checks must find (README id → our id). */
const PLANTED: readonly [string, string][] = [
  [
    'service-trust-confused-deputy',
    'arn:aws:iam::204815939271:role/service-role/cloudtrail-logs-to-cloudwatch',
  ],
  ['unused-user', 'arn:aws:iam::204815939271:user/jorge.alvarez'],
  ['unused-services', 'arn:aws:iam::573628190442:role/legacy-jenkins-ec2'],
  ['role-trust-foreign-no-external-id', 'arn:aws:iam::573628190442:role/vendor/acme-legacy-vendor-audit'],
  ['unused-role', 'arn:aws:iam::573628190442:role/vendor/acme-legacy-vendor-audit'],
  ['unused-role', 'arn:aws:iam::573628190442:role/migration-2024-role'],
  ['resource-public', 'arn:aws:s3:::acme-prod-marketing-assets'],
  ['resource-cross-account', 'arn:aws:s3:::acme-prod-partner-exchange'],
  ['resource-cross-account', 'arn:aws:kms:eu-west-1:573628190442:key/d947bffe-d587-4b23-bfa0-acadbb3a342f'],
  ['resource-public', 'arn:aws:sqs:eu-west-1:573628190442:order-events'],
  ['service-trust-confused-deputy', 'arn:aws:lambda:eu-west-1:573628190442:function:image-resizer'],
  [
    'resource-cross-account',
    'arn:aws:secretsmanager:eu-west-1:573628190442:secret:prod/vendor/sftp-credentials-heePNd',
  ],
  ['role-trust-public', 'arn:aws:iam::861204557319:role/temp-debug-role'],
  ['unused-role', 'arn:aws:iam::861204557319:role/temp-debug-role'],
  ['unused-role', 'arn:aws:iam::861204557319:role/service-role/poc-sagemaker-role'],
  ['access-analyzer-disabled', 'arn:aws:iam::729354810066:root'],
  ['unused-role', 'arn:aws:iam::729354810066:role/service-role/hackday-2025-bot'],
];

/** The README's documented noise: none of this group's checks may flag these. */
const NOISE: readonly string[] = [
  'arn:aws:iam::204815939271:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
  'arn:aws:iam::204815939271:role/security/acme-security-audit',
  'arn:aws:iam::204815939271:role/service-role/config-delivery',
  'arn:aws:s3:::acme-billing-reports-204815939271',
  'arn:aws:iam::438019276655:role/security/security-tooling',
  'arn:aws:iam::438019276655:role/service-role/config-recorder',
  'arn:aws:iam::438019276655:role/vendor/siem-log-reader',
  'arn:aws:s3:::acme-org-cloudtrail-logs',
  'arn:aws:kms:eu-west-1:438019276655:key/1ab3d54c-a600-48de-8364-ac887f361cb7',
  'arn:aws:iam::573628190442:role/platform/platform-api-task',
  'arn:aws:iam::573628190442:role/ci/platform-github-deployer',
  'arn:aws:iam::573628190442:role/vendor/datadog-integration',
  'arn:aws:iam::573628190442:role/ci/platform-deployer',
  'arn:aws:s3:::acme-prod-app-data',
  'arn:aws:s3:::acme-prod-internal-reports',
  'arn:aws:s3:::acme-shared-artifacts',
  'arn:aws:kms:eu-west-1:573628190442:key/18a0754f-e6e0-41ff-b592-d1f609787165',
  'arn:aws:sqs:eu-west-1:573628190442:order-events-fanout',
  'arn:aws:sns:eu-west-1:573628190442:prod-order-notifications',
  'arn:aws:sns:eu-west-1:573628190442:prod-s3-object-events',
  'arn:aws:lambda:eu-west-1:573628190442:function:order-api-authorizer',
  'arn:aws:ecr:eu-west-1:573628190442:repository/payments/api',
  'arn:aws:secretsmanager:eu-west-1:573628190442:secret:prod/payments/stripe-api-key-bpqnZT',
  'arn:aws:secretsmanager:eu-west-1:573628190442:secret:prod/db/replica-credentials-ahRKlE',
  'arn:aws:iam::861204557319:role/vendor/datadog-integration',
  'arn:aws:iam::861204557319:role/service-role/data-etl-glue',
  'arn:aws:s3:::acme-dev-data-lake',
  'arn:aws:sqs:eu-west-1:861204557319:dev-test-queue',
];

describe('exposure and usage checks on examples/acme', () => {
  let findings: Finding[] = [];
  beforeAll(async () => {
    const { snapshot }: { snapshot: OrgSnapshot } = await loadSnapshot([ACME]);
    findings = EXPOSURE_CHECKS.flatMap((check) => runCheck(check, snapshot, { now: NOW }));
  }, 60_000);

  it.each(PLANTED)('finds planted %s on %s', (checkId, arn) => {
    expect(
      findings.filter((f) => f.checkId === checkId && f.resourceArn === arn).map((f) => f.status),
    ).toContain('fail');
  });

  it.each(NOISE)('does not flag documented noise %s', (arn) => {
    expect(findings.filter((f) => f.resourceArn === arn).map((f) => f.checkId)).toEqual([]);
  });

  it('reports nothing as unknown on a complete snapshot', () => {
    expect(findings.filter((f) => f.status === 'unknown')).toEqual([]);
  });
});
