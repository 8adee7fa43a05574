import { describe, expect, it } from 'vitest';
import { resourcePublic } from './resource-public.js';
import { runCheck, verdicts } from './testing/run-check.js';
import { resourceArn, SnapshotBuilder, statements } from './testing/snapshot-builder.js';

const getObject = (bucket: string, extra: Record<string, unknown> = {}) =>
  statements({
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${bucket}/*`,
    ...extra,
  });

describe('resource-public', () => {
  // What counts as public for S3, and how RestrictPublicBuckets limits a public policy:
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
  it('fails a bucket anyone can read, a queue anyone can write, and reports an IP-restricted grant with its range', async () => {
    const snapshot = await new SnapshotBuilder()
      .resource('s3', 'open-bucket', { policy: getObject('open-bucket') })
      .resource('sqs', 'open-queue', {
        policy: statements({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sqs:SendMessage',
          Resource: '*',
        }),
      })
      .resource('s3', 'office-bucket', {
        policy: getObject('office-bucket', {
          Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } },
        }),
      })
      .build();
    const findings = runCheck(resourcePublic, snapshot);
    expect(verdicts(findings)).toEqual({
      'arn:aws:s3:::open-bucket': 'fail',
      [resourceArn('sqs', 'open-queue')]: 'fail',
      'arn:aws:s3:::office-bucket': 'fail',
    });
    const office = findings.find((f) => f.resourceArn === 'arn:aws:s3:::office-bucket');
    expect(office?.message).toContain('198.51.100.0/24');
    expect(office?.evidence.externalPrincipals).toEqual(['*']);
  });

  it('passes policies narrowed to the organization, a VPC endpoint, the owner, and buckets with RestrictPublicBuckets', async () => {
    const snapshot = await new SnapshotBuilder()
      .resource('s3', 'org-bucket', {
        policy: getObject('org-bucket', {
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-fixture1' } },
        }),
      })
      .resource('s3', 'vpce-bucket', {
        policy: getObject('vpce-bucket', { Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0abc' } } }),
      })
      .resource('s3', 'blocked-bucket', {
        policy: getObject('blocked-bucket'),
        publicAccessBlock: { RestrictPublicBuckets: true, BlockPublicPolicy: true },
      })
      .resource('sqs', 'own-queue', {
        policy: statements({
          Effect: 'Allow',
          Principal: { AWS: '111122223333' },
          Action: 'sqs:*',
          Resource: '*',
        }),
      })
      .resource('s3', 'deny-only', {
        policy: statements({
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: 'arn:aws:s3:::deny-only/*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      })
      .build();
    expect(runCheck(resourcePublic, snapshot)).toEqual([]);
  });
});
