import { describe, expect, it } from 'vitest';
import { runCheck, verdicts } from './testing/run-check.js';
import { SnapshotBuilder } from './testing/snapshot-builder.js';
import { unusedUser } from './unused-user.js';

const ARN = (name: string) => `arn:aws:iam::111122223333:user/${name}`;

// Credential report columns: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
describe('unused-user (now 2026-11-01, threshold 90 days)', () => {
  it('fails a user whose password and key were last used long ago, and an old user who never used either', async () => {
    const snapshot = await new SnapshotBuilder()
      .user('left', {
        credentials: {
          createdAt: '2023-01-01T00:00:00Z',
          password: { lastUsed: '2026-03-01T00:00:00Z' },
          keys: [{ lastRotated: '2023-01-01T00:00:00Z', lastUsed: '2026-02-01T00:00:00Z' }],
        },
      })
      .user('ghost', {
        credentials: {
          createdAt: '2025-01-01T00:00:00Z',
          keys: [{ lastRotated: '2025-01-01T00:00:00Z', lastUsed: 'no_information' }],
        },
      })
      .build();
    expect(verdicts(runCheck(unusedUser, snapshot))).toEqual({
      [ARN('left')]: 'fail',
      [ARN('ghost')]: 'fail',
    });
  });

  it('passes a user active through a key only, and a new user', async () => {
    const snapshot = await new SnapshotBuilder()
      .user('bot', {
        credentials: {
          createdAt: '2023-01-01T00:00:00Z',
          keys: [{ lastRotated: '2026-09-01T00:00:00Z', lastUsed: '2026-10-31T00:00:00Z' }],
        },
      })
      .user('newcomer', {
        credentials: { createdAt: '2026-10-20T00:00:00Z', password: { lastUsed: 'no_information' } },
      })
      .build();
    expect(runCheck(unusedUser, snapshot)).toEqual([]);
  });

  it('is unknown, not passing, without a credential report', async () => {
    const snapshot = await new SnapshotBuilder().user('someone').withoutCredentialReport().build();
    expect(runCheck(unusedUser, snapshot).map((f) => f.status)).toEqual(['unknown']);
  });
});
