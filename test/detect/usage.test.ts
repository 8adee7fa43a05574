import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCloudTrail } from '../../src/activity/ingest.js';
import { ActivityDb } from '../../src/activity/store.js';
import { mapEventToActions } from '../../src/activity/usage/event-action.js';
import { grantedActions } from '../../src/activity/usage/granted.js';
import { generatePolicy } from '../../src/activity/usage/policy.js';
import {
  type PrincipalUsageReport,
  principalUsage,
  resolveIdentity,
  unusedPermissionsFromActivity,
} from '../../src/activity/usage/report.js';
import { getCatalog } from '../../src/catalog/index.js';
import { runCheck } from '../../src/checks/testing/run-check.js';
import {
  allow,
  SnapshotBuilder,
  statements,
  trustService,
} from '../../src/checks/testing/snapshot-builder.js';
import { attachActivityUsage, unusedPermissions } from '../../src/checks/unused-permissions.js';
import type { Identity, OrgSnapshot } from '../../src/model/account.js';
import { validatePolicy } from '../../src/policy/validate/index.js';

const ACCOUNT = '111122223333';

function mapped(source: string, name: string): string[] | string {
  const m = mapEventToActions(source, name);
  return m.kind === 'actions' ? m.actions.map((a) => a.fullName) : m.kind;
}

describe('CloudTrail event → IAM action', () => {
  it.each([
    // Same name, service prefix from the event source.
    ['iam.amazonaws.com', 'CreateAccessKey', ['iam:CreateAccessKey']],
    ['ec2.amazonaws.com', 'DescribeInstances', ['ec2:DescribeInstances']],
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html (host monitoring, prefix cloudwatch)
    ['monitoring.amazonaws.com', 'GetMetricData', ['cloudwatch:GetMetricData']],
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonses.html (host email, prefix ses)
    ['email.amazonaws.com', 'SendEmail', ['ses:SendEmail']],
    // Lambda event names carry the API version: https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html
    ['lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', ['lambda:UpdateFunctionCode']],
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
    ['s3.amazonaws.com', 'ListObjectsV2', ['s3:ListBucket']],
    ['s3.amazonaws.com', 'HeadObject', ['s3:GetObject']],
    ['s3.amazonaws.com', 'CopyObject', ['s3:GetObject', 's3:PutObject']],
    ['s3.amazonaws.com', 'DeleteBucketEncryption', ['s3:PutEncryptionConfiguration']],
    ['s3.amazonaws.com', 'ListBuckets', ['s3:ListAllMyBuckets']],
    // Case differs between API and action (PutBucketCors vs s3:PutBucketCORS): matched case-insensitively.
    ['s3.amazonaws.com', 'PutBucketCors', ['s3:PutBucketCORS']],
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html: no permission needed
    ['sts.amazonaws.com', 'GetCallerIdentity', 'not-authorized-by-iam'],
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html: not signed with AWS credentials
    ['sts.amazonaws.com', 'AssumeRoleWithSAML', 'not-authorized-by-iam'],
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
    ['signin.amazonaws.com', 'ConsoleLogin', 'not-authorized-by-iam'],
    ['example.invalid', 'Foo', 'unknown'],
    ['iam.amazonaws.com', 'NoSuchApiCall', 'unknown'],
  ] as const)('%s %s', (source, name, expected) => {
    expect(mapped(source, name)).toEqual(expected);
  });
});

function ev(
  name: string,
  source: string,
  extra: Record<string, unknown> = {},
  who: Record<string, unknown> = {
    type: 'IAMUser',
    arn: `arn:aws:iam::${ACCOUNT}:user/app`,
    userName: 'app',
    accountId: ACCOUNT,
  },
  time = '2026-10-20T10:00:00Z',
): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    eventID: `${name}-${Math.random().toString(36).slice(2)}`,
    eventTime: time,
    eventSource: source,
    eventName: name,
    eventType: 'AwsApiCall',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '203.0.113.5',
    userAgent: 'aws-cli/2',
    recipientAccountId: ACCOUNT,
    userIdentity: who,
    ...extra,
  };
}

const roleSession = {
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/worker/i-123`,
  accountId: ACCOUNT,
  sessionContext: {
    sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/worker`, userName: 'worker' },
  },
};

describe('granted actions (action-level evaluation)', () => {
  let snapshot: OrgSnapshot;
  beforeAll(async () => {
    snapshot = await new SnapshotBuilder()
      .user('app', {
        inline: {
          s3: statements(
            {
              Effect: 'Allow',
              Action: ['s3:Get*', 's3:ListBucket'],
              Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'],
            },
            { Effect: 'Deny', Action: 's3:GetObjectAcl', Resource: '*' },
            {
              Effect: 'Deny',
              Action: 's3:GetObjectTagging',
              Resource: '*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ),
        },
      })
      .user('bounded', { inline: { all: allow('*') }, boundary: 'Boundary' })
      .policy('Boundary', allow(['sqs:*']))
      .build();
  });

  function identity(name: string): Identity {
    const r = resolveIdentity(snapshot, name);
    if ('error' in r) throw new Error(r.error);
    return r;
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
  it('counts an Allow scoped to resources as granted and removes unconditional denies only', () => {
    const g = grantedActions(snapshot, identity('app'));
    const has = (a: string) => g.set.has(getCatalog().lookupAction(a)?.index ?? -1);
    expect(has('s3:GetObject')).toBe(true);
    expect(has('s3:ListBucket')).toBe(true);
    expect(has('s3:GetObjectAcl')).toBe(false);
    // A conditional Deny does not remove the action everywhere.
    expect(has('s3:GetObjectTagging')).toBe(true);
    expect(has('s3:PutObject')).toBe(false);
  });

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
  it('intersects with the permissions boundary', () => {
    const g = grantedActions(snapshot, identity('bounded'));
    const services = new Set([...g.set.indices()].map((i) => getCatalog().actionByIndex(i).service));
    expect([...services]).toEqual(['sqs']);
  });
});

describe('granted versus used from the activity store', () => {
  let dir: string;
  let dbPath: string;
  let snapshot: OrgSnapshot;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'leastpriv-usage-'));
    dbPath = path.join(dir, 'activity.duckdb');
    const events = [
      ev('GetObject', 's3.amazonaws.com', {
        requestParameters: { bucketName: 'data', key: 'reports/a.csv' },
        eventCategory: 'Data',
      }),
      ev('ListObjectsV2', 's3.amazonaws.com', { requestParameters: { bucketName: 'data' } }),
      ev(
        'ListObjectsV2',
        's3.amazonaws.com',
        { requestParameters: { bucketName: 'data' } },
        undefined,
        '2026-10-21T10:00:00Z',
      ),
      // Denied: attempted, not used.
      ev('PutObject', 's3.amazonaws.com', {
        requestParameters: { bucketName: 'data', key: 'x' },
        errorCode: 'AccessDenied',
      }),
      // Used but not granted by the snapshot's policies (a resource policy, or a missing policy).
      ev('GetParameter', 'ssm.amazonaws.com', { requestParameters: { name: '/app/db' } }),
      ev('GetCallerIdentity', 'sts.amazonaws.com'),
      // Too old for the window.
      ev(
        'GetBucketPolicy',
        's3.amazonaws.com',
        { requestParameters: { bucketName: 'data' } },
        undefined,
        '2026-01-01T00:00:00Z',
      ),
      // The role's session events belong to the role.
      ev('DescribeInstances', 'ec2.amazonaws.com', {}, roleSession),
      ev(
        'SendMessage',
        'sqs.amazonaws.com',
        { requestParameters: { queueUrl: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/jobs` } },
        roleSession,
      ),
    ];
    writeFileSync(path.join(dir, 'events.json'), JSON.stringify({ Records: events }));
    await ingestCloudTrail([path.join(dir, 'events.json')], { dbPath, threads: 0 });
    snapshot = await new SnapshotBuilder()
      .user('app', {
        inline: {
          s3: allow(['s3:Get*', 's3:List*', 's3:PutObject'], ['arn:aws:s3:::data', 'arn:aws:s3:::data/*']),
        },
      })
      .role('worker', {
        trust: trustService('ec2.amazonaws.com'),
        attached: ['AmazonEC2ReadOnlyAccess'],
        inline: { q: allow('sqs:SendMessage') },
      })
      .policy('AmazonEC2ReadOnlyAccess', allow(['ec2:Describe*']))
      .user('idle', { inline: { all: allow('s3:*') } })
      .build();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function usageOf(
    name: string,
    since = new Date('2026-10-01T00:00:00Z'),
  ): Promise<PrincipalUsageReport> {
    const identity = resolveIdentity(snapshot, name);
    if ('error' in identity) throw new Error(identity.error);
    const db = await ActivityDb.openReadOnly(dbPath);
    try {
      return await principalUsage(db, snapshot, identity, { since });
    } finally {
      db.close();
    }
  }

  it('splits a user’s activity into used, denied and skipped, within the window', async () => {
    const r = await usageOf('app');
    expect(r.activity.used.map((u) => u.action)).toEqual([
      's3:GetObject',
      's3:ListBucket',
      'ssm:GetParameter',
    ]);
    expect(r.activity.used.find((u) => u.action === 's3:ListBucket')?.count).toBe(2);
    expect(r.activity.denied.map((d) => d.action)).toEqual(['s3:PutObject']);
    expect(r.activity.skipped.map((s) => s.eventName)).toEqual(['GetCallerIdentity']);
    expect(r.comparison.usedNotGranted).toEqual(['ssm:GetParameter']);
    expect(r.comparison.grantedUnused).toContain('s3:PutObject');
    expect(r.comparison.grantedUnused).toContain('s3:GetBucketPolicy');
    expect(r.comparison.grantedUnused).not.toContain('s3:GetObject');
  });

  it('attributes role-session events to the role', async () => {
    const r = await usageOf('worker');
    expect(r.activity.used.map((u) => u.action)).toEqual(['ec2:DescribeInstances', 'sqs:SendMessage']);
    expect(r.comparison.usedNotGranted).toEqual([]);
  });

  it('generates a policy that lints without errors and names the resources the events used', async () => {
    const r = await usageOf('app');
    const policy = generatePolicy(r.activity);
    const result = validatePolicy(JSON.stringify(policy), { type: 'identity' });
    expect(result.issues.filter((i) => i.severity === 'ERROR')).toEqual([]);
    const s3 = policy.Statement.filter((s) => s.Action.some((a) => a.startsWith('s3:')));
    expect(s3.flatMap((s) => s.Resource).sort()).toEqual([
      'arn:aws:s3:::data',
      'arn:aws:s3:::data/reports/a.csv',
    ]);
    const worker = generatePolicy((await usageOf('worker')).activity);
    expect(
      validatePolicy(JSON.stringify(worker), { type: 'identity' }).issues.filter(
        (i) => i.severity === 'ERROR',
      ),
    ).toEqual([]);
    expect(worker.Statement.find((s) => s.Action.includes('sqs:SendMessage'))?.Resource).toEqual([
      `arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs`,
    ]);
    expect(worker.Statement.find((s) => s.Action.includes('ec2:DescribeInstances'))?.Resource).toEqual(['*']);
  });

  it('feeds the unused-permissions check through precomputed activity', async () => {
    const usage = await unusedPermissionsFromActivity(dbPath, snapshot, {
      since: new Date('2026-10-01T00:00:00Z'),
    });
    expect([...usage.keys()]).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/worker`,
      `arn:aws:iam::${ACCOUNT}:user/app`,
    ]);
    expect(runCheck(unusedPermissions, snapshot)).toEqual([]);
    attachActivityUsage(snapshot, usage);
    const findings = runCheck(unusedPermissions, snapshot);
    expect(findings.map((f) => f.resourceArn).sort()).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/worker`,
      `arn:aws:iam::${ACCOUNT}:user/app`,
    ]);
    const app = findings.find((f) => f.resourceArn.endsWith(':user/app'));
    expect(app?.evidence.facts?.used).toBe(3);
    expect(app?.evidence.facts?.usedNotGranted).toBe(1);
  });
});
