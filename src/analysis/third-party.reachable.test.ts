/**
 * `actionsReachable` decides actions by class (actions the same statements name), services by
 * one request per set of statements matching their unlisted action, and a statement's
 * single-statement actions at once. These tests hold it to the plain definition it must equal:
 * every action of every Allow statement asked one by one (an action no statement names narrowly
 * by the service's unlisted action name, on `*`; otherwise on each of the statement's first three
 * resources), with the engine's decision, counted per service and level in the order allowed.
 */
import { describe, expect, it } from 'vitest';
import { getCatalog } from '../catalog/index.js';
import {
  allow,
  deny,
  FIXTURE_ACCOUNT,
  FIXTURE_ROOT_ID,
  type PolicyDocument,
  SnapshotBuilder,
  statements,
  trustAws,
} from '../checks/testing/snapshot-builder.js';
import type { OrgSnapshot, RolePrincipal } from '../model/account.js';
import { compilePolicySet, evaluate } from '../policy/evaluate/index.js';
import { statementActions } from './access/policy-actions.js';
import { policiesForPrincipal } from './policy-set.js';
import { actionsReachable } from './third-party.js';

const VENDOR = '999988887777';

function isWide(pattern: string): boolean {
  return pattern === '*' || pattern.endsWith(':*');
}

/** The definition, one engine request per action and resource (no classes, no sharing). */
function reference(snapshot: OrgSnapshot, role: RolePrincipal): unknown {
  const catalog = getCatalog();
  const { set, missing } = policiesForPrincipal(snapshot, role);
  const managementAccount = snapshot.organization?.managementAccountId;
  const compiled = compilePolicySet(set, managementAccount ? { managementAccount } : {});
  const region = snapshot.accounts.get(role.accountId)?.regions[0] ?? 'us-east-1';
  const ask = (action: string, resource: string): boolean =>
    evaluate(compiled, {
      principal: role.arn,
      action,
      resource,
      resourceAccount: role.accountId,
      context: { 'aws:PrincipalArn': role.arn, 'aws:RequestedRegion': region },
    }) === 'Allowed';
  const named = new Set<number>();
  for (const list of [set.identity ?? [], set.boundary ?? [], ...(set.scp ?? []), ...(set.rcp ?? [])])
    for (const policy of list)
      for (const st of policy.policy.statements)
        for (const p of [...(st.action ?? []), ...(st.notAction ?? [])])
          if (!isWide(p)) for (const i of catalog.expandActionPattern(p).set.indices()) named.add(i);
  const allowed: number[] = [];
  const seen = new Set<number>();
  for (const policy of set.identity ?? []) {
    for (const st of policy.policy.statements) {
      if (st.effect !== 'Allow') continue;
      const resources = (st.resource ?? ['*'])
        .slice(0, 3)
        .map((r) => (r === '*' ? r : r.replace(/[*?]/g, 'x')));
      for (const i of statementActions(st).indices()) {
        if (seen.has(i)) continue;
        const info = catalog.actionByIndex(i);
        const ok = named.has(i)
          ? resources.some((r) => ask(info.fullName, r))
          : ask(`${info.service}:LeastprivProbeUnlistedAction`, '*') ||
            resources.some((r) => ask(info.fullName, r));
        if (ok) {
          seen.add(i);
          allowed.push(i);
        }
      }
    }
  }
  const byService = new Map<string, Record<string, number>>();
  for (const i of allowed) {
    const info = catalog.actionByIndex(i);
    const levels = byService.get(info.service) ?? {};
    byService.set(info.service, levels);
    levels[info.accessLevel] = (levels[info.accessLevel] ?? 0) + 1;
  }
  const total = (levels: Record<string, number>): number => Object.values(levels).reduce((a, b) => a + b, 0);
  const services = [...byService]
    .sort(([an, a], [bn, b]) => total(b) - total(a) || (an < bn ? -1 : an > bn ? 1 : 0))
    .map(([service, levels]) => ({ service, levels }));
  return { totalActions: allowed.length, services, incomplete: missing.length > 0 };
}

interface Case {
  readonly name: string;
  readonly inline: Readonly<Record<string, PolicyDocument>>;
  readonly boundary?: PolicyDocument;
  readonly scp?: PolicyDocument;
  readonly rcp?: PolicyDocument;
}

const BUCKET = 'arn:aws:s3:::logs';

// Evaluation logic (deny first, boundaries, SCPs and RCPs all must allow):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// NotAction: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
const CASES: readonly Case[] = [
  {
    name: 'everything, with a resource-scoped deny on one service',
    inline: { all: allow('*'), no: deny('s3:*', `${BUCKET}/*`) },
  },
  {
    name: 'narrow read patterns beside a conditional wildcard',
    inline: {
      read: allow(['s3:Get*', 's3:List*', 'ec2:Describe*', 'iam:Get*']),
      any: allow('*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    },
  },
  {
    name: 'NotAction with a narrow deny inside it',
    inline: {
      most: statements({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }),
      no: deny(['ec2:TerminateInstances', 'ec2:Delete*']),
    },
  },
  {
    name: 'a narrow pattern that also matches the unlisted probe name',
    inline: { s3: allow(['s3:*', 'dynamodb:*']), no: deny('s3:L*'), some: allow('s3:L*', BUCKET) },
  },
  {
    // `s3:Le*` names no catalog action but matches the unlisted name, so s3 is allowed wholesale.
    name: 'a pattern that matches only the unlisted probe name',
    inline: {
      bucket: allow('s3:*', BUCKET, { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
      le: allow('s3:Le*'),
      db: allow('dynamodb:*', '*'),
    },
  },
  {
    name: 'sts and kms, each with a deny',
    inline: {
      sts: allow(['sts:*', 'kms:*']),
      no: deny(['sts:AssumeRole', 'kms:Decrypt']),
    },
  },
  {
    name: 'the same actions on different resources in different statements',
    inline: {
      a: allow(['s3:GetObject', 's3:PutObject'], [`${BUCKET}/a/*`, `${BUCKET}/b?/*`]),
      b: allow(['s3:GetObject', 's3:DeleteObject'], `${BUCKET}/c/*`),
      c: allow('s3:PutObject', '*', { Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }),
      d: allow('lambda:InvokeFunction', 'arn:aws:lambda:*:*:function:x*'),
    },
  },
  {
    name: 'a permissions boundary narrower than the identity policy',
    inline: { all: allow('*') },
    boundary: allow(['s3:*', 'ec2:Describe*', 'sts:AssumeRole']),
  },
  {
    name: 'an SCP deny and an RCP deny',
    inline: { all: allow(['*']), more: allow(['s3:GetObject', 'dynamodb:GetItem'], '*') },
    scp: deny(['dynamodb:*', 'ec2:Run*']),
    rcp: statements({ Effect: 'Deny', Principal: '*', Action: ['s3:PutObject', 'sqs:*'], Resource: '*' }),
  },
];

describe('actionsReachable equals one engine request per action and resource', () => {
  it.each(CASES)('$name', async (c) => {
    const builder = new SnapshotBuilder().account(FIXTURE_ACCOUNT);
    if (c.boundary) builder.policy('edge', c.boundary);
    if (c.scp) builder.scp({ name: 'guard', document: c.scp, targets: [FIXTURE_ROOT_ID] });
    if (c.rcp) builder.rcp({ name: 'rguard', document: c.rcp, targets: [FIXTURE_ROOT_ID] });
    builder.role('vendor', {
      trust: trustAws(VENDOR),
      inline: c.inline,
      ...(c.boundary ? { boundary: 'edge' } : {}),
    });
    // A second role with the same statements in another order: classes are per role.
    builder.role('vendor-reversed', {
      trust: trustAws(VENDOR),
      inline: Object.fromEntries(Object.entries(c.inline).reverse()),
      ...(c.boundary ? { boundary: 'edge' } : {}),
    });
    const snapshot = await builder.build();
    const account = snapshot.accounts.get(FIXTURE_ACCOUNT);
    for (const name of ['vendor', 'vendor-reversed']) {
      const role = [...(account?.roles.values() ?? [])].find((r) => r.name === name);
      if (!role) throw new Error(`fixture role ${name} missing`);
      // JSON text, so the order of services and of each service's levels counts too.
      expect(JSON.stringify(actionsReachable(snapshot, role))).toBe(
        JSON.stringify(reference(snapshot, role)),
      );
    }
  });
});
