import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../collect/index.js';
import type { StoredPolicy } from '../model/account.js';
import { lintPolicy } from '../policy/validate/index.js';
import { policyLintSecurityWarning, securityLint } from './policy-lint-security-warning.js';
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

  it('lints with the SECURITY_WARNING rules only, reporting exactly what the full linter reports at that level', async () => {
    const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
    const { snapshot } = await loadSnapshot([path.join(repoRoot, 'examples', 'acme')]);
    const policies: StoredPolicy[] = [];
    for (const account of snapshot.accounts.values()) {
      for (const mp of account.managedPolicies.values())
        if (mp.document && !mp.awsManaged) policies.push(mp.document);
      for (const p of [...account.users.values(), ...account.groups.values(), ...account.roles.values()])
        policies.push(...p.inlinePolicies);
    }
    let warned = 0;
    for (const p of policies.filter((x) => x.readable)) {
      const expected = lintPolicy(p.policy, { type: 'identity' }).filter(
        (i) => i.severity === 'SECURITY_WARNING',
      );
      expect(securityLint(p.policy), p.name).toEqual(expected);
      if (expected.length > 0) warned++;
    }
    expect(warned).toBeGreaterThanOrEqual(3);
  });
});
