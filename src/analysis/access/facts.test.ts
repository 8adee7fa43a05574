import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg } from '../../../bench/generate-org.js';
import { getCatalog } from '../../catalog/index.js';
import { allow, deny, SnapshotBuilder, statements } from '../../checks/testing/snapshot-builder.js';
import { loadSnapshot } from '../../collect/index.js';
import type { OrgSnapshot } from '../../model/account.js';
import { adminStatus } from './admin.js';
import { categoryActions, type RiskCategory, SENSITIVE_SERVICES, serviceActionSet } from './categories.js';
import { effectiveAccess } from './effective-access.js';
import { accessFacts, categoryActionNames, type PrincipalAccessFacts } from './facts.js';
import { isServiceLinkedRole } from './layers.js';
import { type AccessEntry, accessModel } from './model.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CATEGORIES: readonly RiskCategory[] = [
  'credentials-exposure',
  'data-exfiltration',
  'resource-exposure',
  'infrastructure-modification',
];

/**
 * The facts as the set algebra of `effectiveAccess` and `adminStatus` defines them, one principal
 * at a time with immutable sets: the reference the word-level pass in facts.ts must agree with.
 */
function referenceFacts(entry: AccessEntry, withDetail: boolean) {
  const access = effectiveAccess(entry.layers);
  const admin = adminStatus(entry.subject, access);
  const catalog = getCatalog();
  const wildcardServices: string[] = [];
  const categories = new Map<RiskCategory, readonly string[]>();
  if (withDetail) {
    for (const service of SENSITIVE_SERVICES) {
      const set = serviceActionSet(service);
      if (!set.isEmpty() && set.isSubsetOf(access.onAll)) wildcardServices.push(service);
    }
    const owned = entry.layers.identity.filter((p) => p.kind !== 'aws-managed');
    const ownedOnAll =
      owned.length === 0 ? undefined : effectiveAccess({ ...entry.layers, identity: owned }).onAll;
    for (const category of ownedOnAll ? CATEGORIES : []) {
      const hit = categoryActions(category).intersect(ownedOnAll ?? access.onAll);
      if (hit.isEmpty()) continue;
      categories.set(category, [...hit.indices()].map((i) => catalog.actionByIndex(i).fullName).sort());
    }
  }
  return { admin, wildcardServices, categories: [...categories] };
}

function namedCategories(f: PrincipalAccessFacts): [RiskCategory, readonly string[]][] {
  return [...f.categoryWords].map(([category, words]) => [category, categoryActionNames(words)]);
}

function compareWithReference(snapshot: OrgSnapshot): number {
  const model = accessModel(snapshot);
  const facts = accessFacts(snapshot);
  const principals = model.principals.filter((e) => !isServiceLinkedRole(e.subject));
  expect(facts.principals.map((f) => f.entry.subject.arn)).toEqual(principals.map((e) => e.subject.arn));
  expect(facts.groups.map((f) => f.entry.subject.arn)).toEqual(model.groups.map((e) => e.subject.arn));
  let admins = 0;
  for (const [list, detail] of [
    [facts.principals, true],
    [facts.groups, false],
  ] as const) {
    for (const f of list) {
      const expected = referenceFacts(f.entry, detail);
      expect(
        { admin: f.admin, wildcardServices: f.wildcardServices, categories: namedCategories(f) },
        f.entry.subject.arn,
      ).toEqual(expected);
      if (f.admin) admins++;
    }
  }
  return admins;
}

describe('access facts agree with the effective-access set algebra', () => {
  it('on the example organization (admins, wildcards, categories, guardrails)', async () => {
    const { snapshot } = await loadSnapshot([path.join(repoRoot, 'examples', 'acme')]);
    expect(compareWithReference(snapshot)).toBeGreaterThan(0);
  });

  describe('on a synthetic organization (shared managed policies, boundaries, groups, SCPs)', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'leastpriv-facts-'));
      generateOrg({ users: 60, roles: 150, policies: 120, accounts: 2, out: dir, seed: 3 });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    it('every principal and group', async () => {
      const { snapshot } = await loadSnapshot([dir]);
      expect(compareWithReference(snapshot)).toBeGreaterThan(0);
    });
  });

  // Evaluation logic (deny wins, boundary and SCP intersect):
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
  it.each([
    ['full admin', { inline: { p: allow('*') } }, 'full'],
    ['admin with a carve-out by Deny', { inline: { p: allow('*'), d: deny('s3:*') } }, 'full'],
    [
      'conditional admin',
      {
        inline: {
          p: statements({
            Effect: 'Allow',
            Action: '*',
            Resource: '*',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          }),
        },
      },
      'full',
    ],
    ['self-escalation by policy attach', { inline: { p: allow('iam:AttachUserPolicy') } }, 'iam-write'],
    ['no admin', { inline: { p: allow('s3:GetObject') } }, undefined],
  ] as const)('%s', async (_name, user, kind) => {
    const snapshot = await new SnapshotBuilder().user('u', user).build();
    compareWithReference(snapshot);
    const f = accessFacts(snapshot).principals.find((p) => p.entry.subject.arn.endsWith(':user/u'));
    expect(f?.admin?.kind).toBe(kind);
  });

  it('principals with the same policies share one result, each keeps its own entry', async () => {
    const snapshot = await new SnapshotBuilder()
      .policy('shared', allow('s3:*'))
      .user('a', { attached: ['shared'] })
      .user('b', { attached: ['shared'] })
      .build();
    const [a, b] = accessFacts(snapshot).principals;
    expect(a?.entry.subject.name).toBe('a');
    expect(b?.entry.subject.name).toBe('b');
    expect(a?.wildcardServices).toEqual(['s3']);
    expect(a?.categoryWords).toBe(b?.categoryWords);
  });
});
