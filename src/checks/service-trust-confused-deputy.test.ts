import { describe, expect, it } from 'vitest';
import { serviceTrustConfusedDeputy } from './service-trust-confused-deputy.js';
import { runCheck, verdicts } from './testing/run-check.js';
import { resourceArn, SnapshotBuilder, statements, trustService } from './testing/snapshot-builder.js';

const invoke = (condition?: Record<string, unknown>) =>
  statements({
    Effect: 'Allow',
    Principal: { Service: 's3.amazonaws.com' },
    Action: 'lambda:InvokeFunction',
    Resource: '*',
    ...(condition ? { Condition: condition } : {}),
  });

describe('service-trust-confused-deputy', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
  it("fails a function any account's bucket can invoke and a CloudTrail role without a source condition", async () => {
    const snapshot = await new SnapshotBuilder()
      .resource('lambda', 'resizer', { policy: invoke() })
      .role('trail-to-logs', { trust: trustService('cloudtrail.amazonaws.com') })
      .build();
    expect(verdicts(runCheck(serviceTrustConfusedDeputy, snapshot))).toEqual({
      [resourceArn('lambda', 'resizer')]: 'fail',
      'arn:aws:iam::111122223333:role/trail-to-logs': 'fail',
    });
  });

  // iam:PassRole cannot pass a role to another account's resources: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
  it('passes source-conditioned grants, compute-service roles and service-linked roles', async () => {
    const snapshot = await new SnapshotBuilder()
      .resource('lambda', 'guarded', {
        policy: invoke({ StringEquals: { 'aws:SourceAccount': '111122223333' } }),
      })
      .role('config', {
        trust: trustService('config.amazonaws.com', {
          StringEquals: { 'aws:SourceAccount': '111122223333' },
        }),
      })
      .role('lambda-exec', { trust: trustService('lambda.amazonaws.com') })
      .role('AWSServiceRoleForCloudTrail', {
        path: '/aws-service-role/cloudtrail.amazonaws.com/',
        trust: trustService('cloudtrail.amazonaws.com'),
      })
      .build();
    expect(runCheck(serviceTrustConfusedDeputy, snapshot)).toEqual([]);
  });
});
