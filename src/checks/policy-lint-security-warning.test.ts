import { describe, expect, it } from 'vitest';
import { policyLintSecurityWarning } from './policy-lint-security-warning.js';
import { runCheck, verdicts } from './testing/run-check.js';
import {
  allow,
  deny,
  FIXTURE_ACCOUNT,
  SnapshotBuilder,
  statements,
  trustAws,
  trustService,
} from './testing/snapshot-builder.js';

const arn = (kind: string, name: string): string => `arn:aws:iam::${FIXTURE_ACCOUNT}:${kind}/${name}`;
void [allow, deny, statements, trustAws, trustService];

describe('policy-lint-security-warning', () => {
  it('fails for an attached policy allowing NotAction and an inline PassRole on *, passes for a clean policy', async () => {
    const s = await new SnapshotBuilder()
      .policy('legacy', statements({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }))
      .policy('clean', allow('s3:GetObject', 'arn:aws:s3:::b/*'))
      .user('u', { attached: ['legacy', 'clean'] })
      .role('ci', { trust: trustAws(FIXTURE_ACCOUNT), inline: { pass: allow('iam:PassRole') } })
      .build();
    expect(verdicts(runCheck(policyLintSecurityWarning, s))).toEqual({
      [arn('policy', 'legacy')]: 'fail',
      [arn('role', 'ci')]: 'fail',
    });
  });
});
