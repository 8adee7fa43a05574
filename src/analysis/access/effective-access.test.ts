import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { getCatalog } from '../../catalog/index.js';
import {
  allow,
  deny,
  FIXTURE_OTHER_ACCOUNT,
  FIXTURE_ROOT_ID,
  SnapshotBuilder,
  statements,
} from '../../checks/testing/snapshot-builder.js';
import { loadSnapshot } from '../../collect/index.js';
import type { Identity, OrgSnapshot } from '../../model/account.js';
import { compilePolicySet, evaluate } from '../../policy/evaluate/index.js';
import { policiesForPrincipal } from '../policy-set.js';
import { mayPerform } from './effective-access.js';
import { evaluationOptions } from './layers.js';
import { accessModel, effectiveAccessOf } from './model.js';

const catalog = getCatalog();
const idx = (name: string): number => {
  const info = catalog.lookupAction(name);
  if (!info) throw new Error(`unknown action ${name}`);
  return info.index;
};

async function accessOf(b: SnapshotBuilder, arnSuffix: string) {
  const snapshot = await b.build();
  const entry = accessModel(snapshot).principals.find((e) => e.subject.arn.endsWith(arnSuffix));
  if (!entry) throw new Error(`no principal ${arnSuffix}`);
  return effectiveAccessOf(entry);
}

// Evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
describe('effective access follows the layers of AWS policy evaluation', () => {
  it('an unconditional Allow on * is allowed on every resource', async () => {
    const a = await accessOf(
      new SnapshotBuilder().user('u', { inline: { p: allow('s3:GetObject') } }),
      ':user/u',
    );
    expect(a.allowedOnAll.has(idx('s3:GetObject'))).toBe(true);
    expect(a.possible.has(idx('s3:PutObject'))).toBe(false);
  });

  it('a grant on named resources is scoped, one with a condition is conditional', async () => {
    const a = await accessOf(
      new SnapshotBuilder().user('u', {
        inline: {
          p: statements(
            { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
            {
              Effect: 'Allow',
              Action: 's3:PutObject',
              Resource: '*',
              Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
            },
          ),
        },
      }),
      ':user/u',
    );
    expect(a.scoped.has(idx('s3:GetObject'))).toBe(true);
    expect(a.onAll.has(idx('s3:GetObject'))).toBe(false);
    expect(a.conditional.has(idx('s3:PutObject'))).toBe(true);
  });

  it('an unconditional Deny on * removes the action; a scoped Deny only marks it restricted', async () => {
    const a = await accessOf(
      new SnapshotBuilder().user('u', {
        inline: {
          p: allow(['s3:GetObject', 's3:PutObject']),
          d: statements(
            { Effect: 'Deny', Action: 's3:PutObject', Resource: '*' },
            { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secret/*' },
          ),
        },
      }),
      ':user/u',
    );
    expect(a.possible.has(idx('s3:PutObject'))).toBe(false);
    expect(a.onAll.has(idx('s3:GetObject'))).toBe(true);
    expect(a.allowedOnAll.has(idx('s3:GetObject'))).toBe(false);
    expect(a.restricted.has(idx('s3:GetObject'))).toBe(true);
  });

  // Boundaries: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
  it('a permissions boundary limits the identity grant to the intersection', async () => {
    const a = await accessOf(
      new SnapshotBuilder()
        .policy('edge', allow('s3:*'))
        .user('u', { attached: ['AdministratorAccess'], boundary: 'edge' }),
      ':user/u',
    );
    expect(a.onAll.has(idx('s3:GetObject'))).toBe(true);
    expect(a.possible.has(idx('iam:CreateUser'))).toBe(false);
  });

  // SCPs: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
  it('an SCP deny applies in member accounts, not in the management account', async () => {
    const b = new SnapshotBuilder()
      .user('boss', { attached: ['AdministratorAccess'] })
      .scp({ name: 'no-iam-users', document: deny('iam:CreateUser'), targets: [FIXTURE_ROOT_ID] })
      // Every level needs an Allow of its own (AWS attaches FullAWSAccess to each by default).
      .scp({ name: 'account-full', document: allow('*'), targets: [FIXTURE_OTHER_ACCOUNT] })
      .account(FIXTURE_OTHER_ACCOUNT)
      .user('member', { attached: ['AdministratorAccess'] });
    const snapshot = await b.build();
    const model = accessModel(snapshot);
    const mgmt = model.principals.find((e) => e.subject.name === 'boss');
    const member = model.principals.find((e) => e.subject.name === 'member');
    if (!mgmt || !member) throw new Error('fixture');
    expect(effectiveAccessOf(mgmt).possible.has(idx('iam:CreateUser'))).toBe(true);
    expect(effectiveAccessOf(member).possible.has(idx('iam:CreateUser'))).toBe(false);
    expect(mayPerform(member.layers, idx('iam:CreateUser'))).toBe(false);
    expect(mayPerform(member.layers, idx('iam:CreateRole'))).toBe(true);
  });
});

const ACME = new URL('../../../examples/acme', import.meta.url).pathname;

describe('the summary agrees with the engine on the example organization', () => {
  let snapshot: OrgSnapshot;
  beforeAll(async () => {
    snapshot = (await loadSnapshot([ACME])).snapshot;
  });

  function decide(identity: Identity, action: string, resource: string) {
    const set = compilePolicySet(policiesForPrincipal(snapshot, identity).set, evaluationOptions(snapshot));
    return evaluate(set, { principal: identity.arn, action, resource, resourceAccount: identity.accountId });
  }

  it('every action allowed on all resources is Allowed by evaluate; every action outside `possible` is not', () => {
    const principals = accessModel(snapshot).principals;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: principals.length - 1 }),
        fc.integer({ min: 0, max: 1 << 30 }),
        (pi, seed) => {
          const entry = principals[pi];
          if (!entry) return;
          const identity = entry.subject as Identity;
          const access = effectiveAccessOf(entry);
          const allowed = [...access.allowedOnAll.indices()];
          const excluded = access.possible.complement();
          const probes = [`arn:aws:s3:::leastpriv-probe-${seed}`, '*'];
          for (let k = 0; k < 5 && allowed.length > 0; k++) {
            const i = allowed[(seed + k * 7919) % allowed.length] as number;
            expect(decide(identity, catalog.actionByIndex(i).fullName, '*')).toBe('Allowed');
          }
          const excludedList = [...excluded.indices()];
          for (let k = 0; k < 5 && excludedList.length > 0; k++) {
            const i = excludedList[(seed + k * 104729) % excludedList.length] as number;
            for (const r of probes)
              expect(decide(identity, catalog.actionByIndex(i).fullName, r)).not.toBe('Allowed');
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
