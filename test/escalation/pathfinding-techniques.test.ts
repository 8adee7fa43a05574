/**
 * Every covered pathfinding.cloud technique, built as a minimal principal holding exactly the
 * required permissions (plus the technique's prerequisites), is detected with its id; look-alikes
 * that cannot be exploited (an explicit Deny of one required action, a deny-all, a Resource that
 * excludes the target, a condition that cannot hold) are not.
 * Evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * Role trust and same-account rules: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * iam:PassRole and iam:PassedToService: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canReach, escalationGraph } from '../../src/analysis/escalation/index.js';
import { NOT_COVERED, TECHNIQUES, type Technique } from '../../src/analysis/escalation/techniques.js';
import {
  FIXTURE_ACCOUNT as ACCT,
  allow,
  deny,
  type PolicyDocument,
  SnapshotBuilder,
  statements,
  trustAws,
  trustService,
} from '../../src/checks/testing/snapshot-builder.js';
import type { OrgSnapshot } from '../../src/model/account.js';

const ATTACKER = `arn:aws:iam::${ACCT}:user/attacker`;
const ATTACKER_ROLE = `arn:aws:iam::${ACCT}:role/attacker`;

/** Techniques on the caller's own role need a role as the attacker. */
const attackerOf = (t: Technique): string =>
  t.kind === 'self' && t.via === 'identity' && t.required[0]!.action.includes('Role')
    ? ATTACKER_ROLE
    : ATTACKER;
const VICTIM_USER = `arn:aws:iam::${ACCT}:user/victim`;
const VICTIM_ROLE = `arn:aws:iam::${ACCT}:role/victim-role`;
const CUSTOMER_POLICY = `arn:aws:iam::${ACCT}:policy/app-policy`;

type Variant = 'exploitable' | 'deny-one' | 'deny-all' | 'wrong-resource' | 'impossible-condition';

function resourceFor(t: Technique, r: Technique['required'][number], variant: Variant): string {
  if (variant === 'wrong-resource' && r.resource !== 'self' && !(typeof r.resource === 'object')) {
    return r.resource === 'target-policy'
      ? `arn:aws:iam::${ACCT}:policy/unrelated`
      : `arn:aws:iam::${ACCT}:role/unrelated`;
  }
  if (variant === 'wrong-resource' && r.resource === 'self') return `arn:aws:iam::${ACCT}:user/someone-else`;
  switch (r.resource) {
    case 'self':
      return attackerOf(t);
    case 'target':
      return t.kind === 'user'
        ? VICTIM_USER
        : t.kind === 'group'
          ? `arn:aws:iam::${ACCT}:group/admins`
          : t.kind === 'self'
            ? `arn:aws:iam::${ACCT}:group/team`
            : VICTIM_ROLE;
    case 'target-policy':
      return CUSTOMER_POLICY;
    case 'passed-role':
      return VICTIM_ROLE;
    default:
      return variant === 'wrong-resource'
        ? `arn:aws:iam::${ACCT}:role/not-a-${r.action.split(':')[0]}-resource`
        : '*';
  }
}

function attackerPolicy(t: Technique, variant: Variant): PolicyDocument {
  const grants = t.required.map((r) => ({
    Effect: 'Allow',
    Action: r.action,
    Resource: resourceFor(t, r, variant),
    ...(variant === 'impossible-condition'
      ? { Condition: { StringEquals: { 'aws:PrincipalAccount': '999999999999' } } }
      : {}),
  }));
  const extra: Record<string, unknown>[] = [];
  if (t.needsInstanceProfile)
    extra.push({
      Effect: 'Allow',
      Action: ['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile'],
      Resource: '*',
    });
  if (variant === 'deny-one') extra.push({ Effect: 'Deny', Action: t.required[0]!.action, Resource: '*' });
  if (variant === 'deny-all') extra.push({ Effect: 'Deny', Action: '*', Resource: '*' });
  return statements(...grants, ...extra);
}

async function build(t: Technique, variant: Variant): Promise<OrgSnapshot> {
  const b = new SnapshotBuilder().withoutOrganization();
  b.policy('app-policy', allow('s3:GetObject', 'arn:aws:s3:::bucket/*'));
  b.policy('team-policy', allow('s3:ListBucket', 'arn:aws:s3:::bucket'));
  b.group('team', { attached: ['team-policy'] });
  b.group('admins', { attached: ['AdministratorAccess'] });
  const selfViaPolicy = t.required.some((r) => r.resource === 'target-policy') && t.kind === 'self';
  if (attackerOf(t) === ATTACKER_ROLE) {
    b.role('attacker', {
      trust: trustService('ec2.amazonaws.com'),
      inline: { escalation: attackerPolicy(t, variant) },
    });
  } else {
    b.user('attacker', {
      inline: { escalation: attackerPolicy(t, variant) },
      groups: ['team'],
      ...(selfViaPolicy ? { attached: ['app-policy'] } : {}),
      credentials: { password: false, keys: [] },
    });
  }
  b.user('victim', {
    attached: ['AdministratorAccess'],
    credentials: {
      password: t.id === 'iam-006' ? { lastUsed: 'no_information' } : false,
      keys:
        t.id === 'iam-003'
          ? [{ lastRotated: '2026-01-01T00:00:00Z' }, { lastRotated: '2026-02-01T00:00:00Z' }]
          : [],
    },
  });
  const services = t.services ?? [];
  b.role('victim-role', {
    trust:
      t.kind === 'passrole'
        ? trustService(services[0]!)
        : t.become === 'assume'
          ? trustAws(ACCT)
          : trustAws(`arn:aws:iam::${ACCT}:role/nobody`),
    attached: t.grantsAdmin ? ['app-policy'] : ['AdministratorAccess'],
    ...(t.needsInstanceProfile ? { instanceProfiles: [] } : {}),
  });
  return b.build();
}

/** For self techniques the attacker itself escalates; for the others it reaches the victim. */
function detected(snapshot: OrgSnapshot, t: Technique): boolean {
  const graph = escalationGraph(snapshot);
  const attacker = attackerOf(t);
  const edges = graph.out.get(attacker) ?? [];
  return edges.some((e) => e.technique === t.id) && canReach(snapshot, attacker) !== undefined;
}

const cases = TECHNIQUES.map((t) => [t.id, t] as const);

describe('pathfinding.cloud techniques', () => {
  it.each(cases)('%s is detected when the principal holds exactly its permissions', async (_id, t) => {
    expect(detected(await build(t, 'exploitable'), t)).toBe(true);
  });

  it.each(cases)('%s is not flagged with an explicit Deny of one required action', async (_id, t) => {
    expect(detected(await build(t, 'deny-one'), t)).toBe(false);
  });

  it.each(cases)('%s is not flagged under a deny-all statement', async (_id, t) => {
    expect(detected(await build(t, 'deny-all'), t)).toBe(false);
  });

  it.each(cases.filter(([, t]) => t.required.some((r) => typeof r.resource !== 'object')))(
    '%s is not flagged when the Resource excludes the target',
    async (_id, t) => {
      expect(detected(await build(t, 'wrong-resource'), t)).toBe(false);
    },
  );

  it.each(cases)('%s is not flagged when a known condition cannot hold', async (_id, t) => {
    expect(detected(await build(t, 'impossible-condition'), t)).toBe(false);
  });
});

const corpus = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'corpus',
  'privesc',
  'pathfinding-cloud',
);

describe.skipIf(!existsSync(corpus))('catalogue coverage (skipped: ../shared/corpus is absent)', () => {
  it('accounts for every pathfinding.cloud path: covered or listed as not covered with a reason', () => {
    const summary = JSON.parse(
      readFileSync(path.join(corpus, 'required-permissions-summary.json'), 'utf8'),
    ) as {
      id: string;
      required: string[];
    }[];
    const covered = new Set(TECHNIQUES.map((t) => t.id));
    const missing = summary
      .filter((p) => !covered.has(p.id) && NOT_COVERED[p.id] === undefined)
      .map((p) => p.id);
    expect(missing).toEqual([]);
    // Covered techniques require at least the catalogue's permissions.
    for (const p of summary) {
      const t = TECHNIQUES.find((x) => x.id === p.id);
      if (!t) continue;
      const ours = new Set(t.required.map((r) => r.action.toLowerCase()));
      expect(
        p.required.filter((a) => !ours.has(a.toLowerCase())),
        p.id,
      ).toEqual([]);
    }
  });
});
