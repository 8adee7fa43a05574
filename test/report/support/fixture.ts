/**
 * A small, hand-written audit result and report context covering what every format must show:
 * each severity, an undecided finding, a suppressed one, policy evidence with a source line, an
 * escalation path, external principals, facts with an access key id, and a third-party trust.
 * `inject` puts attacker-controlled text into every place account data reaches.
 */
import type { AuditResult } from '../../../src/checks/audit.js';
import { DEFAULT_CONFIG } from '../../../src/model/config.js';
import type { CheckMetadata, Finding } from '../../../src/model/finding.js';
import type { ReportContext } from '../../../src/report/context.js';

export const FIXED_NOW = new Date('2026-11-01T00:00:00.000Z');
const A = '111122223333';
const B = '444455556666';

export type Text = (s: string) => string;
const same: Text = (s) => s;

export function fixtureChecks(t: Text = same): CheckMetadata[] {
  const meta = (
    id: string,
    severity: CheckMetadata['severity'],
    extra: Partial<CheckMetadata> = {},
  ): CheckMetadata => ({
    id,
    title: t(`Title of ${id}`),
    severity,
    description: t(`What ${id} looks for.`),
    risk: t(`Why ${id} matters.`),
    remediation: t(`How to fix ${id}.`),
    references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html'],
    compliance: { 'cis-aws': ['1.4'], soc2: ['CC6.1'] },
    resourceType: 'AWS::IAM::User',
    ...extra,
  });
  return [
    meta('access-key-not-rotated', 'medium', { compliance: { 'cis-aws': ['1.14'], 'pci-dss': ['8.3.9'] } }),
    meta('privilege-escalation', 'critical', { resourceType: 'AWS::IAM::User', tags: ['escalation'] }),
    meta('resource-public', 'high', { resourceType: 'AWS::S3::Bucket', compliance: { soc2: ['CC6.6'] } }),
    meta('missing-owner-tag', 'low', { compliance: {} }),
    meta('support-role-missing', 'info', {
      resourceType: 'AWS::::Account',
      compliance: { 'cis-aws': ['1.17'] },
    }),
    meta('role-trust-foreign-no-external-id', 'high', { resourceType: 'AWS::IAM::Role' }),
  ];
}

export function fixtureResult(t: Text = same): AuditResult {
  const alice = `arn:aws:iam::${A}:user/${t('alice')}`;
  const deploy = `arn:aws:iam::${A}:role/${t('deploy')}`;
  const admin = `arn:aws:iam::${A}:role/${t('admin')}`;
  const vendor = `arn:aws:iam::${A}:role/${t('vendor-audit')}`;
  const findings: Finding[] = [
    {
      id: 'a1b2c3d4e5f600000001',
      checkId: 'privilege-escalation',
      severity: 'critical',
      status: 'fail',
      account: A,
      resourceArn: alice,
      resourceType: 'AWS::IAM::User',
      principal: alice,
      message: t('alice can become admin in 2 steps'),
      evidence: {
        path: [
          {
            from: alice,
            to: deploy,
            technique: 'sts-assumerole',
            actions: ['sts:AssumeRole'],
            explanation: t('alice may assume deploy'),
          },
          {
            from: deploy,
            to: admin,
            technique: 'iam-passrole-lambda',
            actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
            explanation: t('deploy can run a function as admin'),
          },
        ],
        policies: [
          {
            policy: t('alice-inline'),
            source: `account-data/${A}/us-east-1/iam-get-account-authorization-details.json#UserDetailList[0].UserPolicyList[0]`,
            statement: 0,
            sid: t('AssumeDeploy'),
            line: 42,
            column: 9,
          },
        ],
      },
      remediation: t('Remove sts:AssumeRole on deploy from alice.'),
      compliance: ['cis-aws:1.4', 'soc2:CC6.1'],
    },
    {
      id: 'a1b2c3d4e5f600000002',
      checkId: 'resource-public',
      severity: 'high',
      status: 'fail',
      account: B,
      resourceArn: `arn:aws:s3:::${t('public-bucket')}`,
      resourceType: 'AWS::S3::Bucket',
      message: t('Anyone can s3:GetObject on the bucket'),
      evidence: {
        policies: [
          {
            policy: t('bucket policy'),
            source: `account-data/${B}/us-east-1/s3-get-bucket-policy/${t('public-bucket')}`,
            statement: 0,
            sid: t('PublicRead'),
            line: 1,
            column: 38,
          },
        ],
        externalPrincipals: ['*'],
        actions: ['s3:GetObject'],
      },
      remediation: t('Remove the public statement.'),
      compliance: ['soc2:CC6.6'],
    },
    {
      id: 'a1b2c3d4e5f600000003',
      checkId: 'role-trust-foreign-no-external-id',
      severity: 'high',
      status: 'fail',
      account: A,
      resourceArn: vendor,
      resourceType: 'AWS::IAM::Role',
      principal: vendor,
      message: t('Account 999988887777 can assume vendor-audit without an ExternalId'),
      evidence: { externalPrincipals: ['arn:aws:iam::999988887777:root'], actions: ['sts:AssumeRole'] },
      remediation: t('Require sts:ExternalId.'),
      compliance: ['cis-aws:1.4', 'soc2:CC6.1'],
    },
    {
      id: 'a1b2c3d4e5f600000004',
      checkId: 'access-key-not-rotated',
      severity: 'medium',
      status: 'fail',
      account: A,
      resourceArn: alice,
      resourceType: 'AWS::IAM::User',
      principal: alice,
      message: t('alice: access key AKIAIOSFODNN7EXAMPLE created 2025-01-10 (659 days)'),
      evidence: {
        facts: {
          accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          key1AgeDays: 659,
          credentialReport: `account-data/${A}/us-east-1/iam-get-credential-report.json:3`,
          [t('note')]: t('fact value'),
        },
      },
      remediation: t('Rotate the key.'),
      compliance: ['cis-aws:1.14', 'pci-dss:8.3.9'],
    },
    {
      id: 'a1b2c3d4e5f600000005',
      checkId: 'missing-owner-tag',
      severity: 'low',
      status: 'fail',
      account: A,
      resourceArn: deploy,
      resourceType: 'AWS::IAM::Role',
      principal: deploy,
      message: t('deploy has no owner tag'),
      evidence: {},
      remediation: t('Tag it.'),
      compliance: [],
      suppressed: {
        checkId: 'missing-owner-tag',
        resource: `arn:aws:iam::${A}:role/*`,
        reason: t('Roles are owned by the platform team'),
        owner: t('platform@example.com'),
        expires: '2027-01-01',
      },
    },
    {
      id: 'a1b2c3d4e5f600000006',
      checkId: 'support-role-missing',
      severity: 'info',
      status: 'unknown',
      account: B,
      resourceArn: `arn:aws:iam::${B}:root`,
      resourceType: 'AWS::::Account',
      message: t('No authorization details for the account: cannot decide'),
      evidence: {},
      remediation: t('Collect the account.'),
      compliance: ['cis-aws:1.17'],
    },
  ];
  return {
    now: FIXED_NOW,
    config: DEFAULT_CONFIG,
    checks: fixtureChecks(t),
    findings,
    expiredSuppressions: [],
    unusedSuppressions: [],
    checkErrors: [],
  };
}

export function fixtureContext(t: Text = same): ReportContext {
  const alice = `arn:aws:iam::${A}:user/${t('alice')}`;
  const deploy = `arn:aws:iam::${A}:role/${t('deploy')}`;
  const admin = `arn:aws:iam::${A}:role/${t('admin')}`;
  const vendor = `arn:aws:iam::${A}:role/${t('vendor-audit')}`;
  return {
    accounts: [
      { id: A, name: t('Acme Prod'), alias: t('acme-prod'), management: true },
      { id: B, name: t('Acme Data') },
    ],
    principals: [
      {
        arn: alice,
        name: t('alice'),
        kind: 'user',
        account: A,
        human: true,
        humanReason: t('console password'),
        tags: [[t('team'), t('payments')]],
        groups: [t('developers')],
        policies: [t('alice-inline')],
        credentials: {
          passwordEnabled: true,
          passwordLastUsed: '2026-10-30T10:00:00Z',
          mfaActive: false,
          accessKeys: [
            {
              slot: 1,
              id: 'AKIAIOSFODNN7EXAMPLE',
              active: true,
              lastRotated: '2025-01-10T08:00:00Z',
              lastUsed: null,
            },
          ],
        },
        access: [
          {
            service: 's3',
            levels: { List: 3, Read: 20, Write: 5 },
            conditional: 2,
            lastAccessed: '2026-10-01T00:00:00Z',
          },
          { service: 'sts', levels: { Write: 1 }, lastAccessed: null },
        ],
      },
      {
        arn: deploy,
        name: t('deploy'),
        kind: 'role',
        account: A,
        human: false,
        humanReason: t('service trust'),
        tags: [],
        roleCategory: 'service',
        lastUsed: '2026-10-29T00:00:00Z',
      },
      {
        arn: admin,
        name: t('admin'),
        kind: 'role',
        account: A,
        human: false,
        tags: [],
        roleCategory: 'same-account',
        lastUsed: null,
      },
      {
        arn: vendor,
        name: t('vendor-audit'),
        kind: 'role',
        account: A,
        human: false,
        tags: [[t('vendor'), t('Audit Co')]],
        roleCategory: 'cross-account',
        trust: {
          sameAccount: false,
          otherAccounts: ['999988887777'],
          services: [],
          federated: [],
          anyone: false,
          conditional: false,
        },
      },
      {
        arn: `arn:aws:iam::${B}:root`,
        name: '<root_account>',
        kind: 'root',
        account: B,
        human: true,
        tags: [],
      },
    ],
    thirdParty: [
      {
        roleArn: vendor,
        roleName: t('vendor-audit'),
        account: A,
        trustedAccount: '999988887777',
        trustedAccountName: t('Audit Co'),
        externalId: false,
        conditional: false,
        access: t('SecurityAudit'),
        lastUsed: null,
      },
    ],
  };
}
