/**
 * "Admin": a principal that can do everything. Asked of the engine as a handful of probe
 * actions across services, each on `*`, in any region the account uses (the caller picks the
 * region, so a region-restricting SCP does not make an administrator less of one). A principal
 * is admin only if every probe is allowed; conditional when some probe holds only under an
 * unknowable condition.
 */
import { getCatalog } from '../../catalog/index.js';
import type { NamedPolicy } from '../../model/policy.js';
import { compileNamedPolicy, statementsForAction } from '../../policy/evaluate/compile.js';
import type { CompiledPolicySet, PolicySet } from '../../policy/evaluate/index.js';
import { parsePolicy } from '../../policy/parse/index.js';
import { classifyKey } from './condition-keys.js';
import { decide, type Verdict } from './decide.js';
import type { Subject } from './subjects.js';

/** Write actions of unrelated services; AdministratorAccess allows all, power-user policies do not. */
export const ADMIN_PROBES: readonly string[] = [
  'iam:CreateRole',
  'iam:AttachRolePolicy',
  'iam:PutUserPolicy',
  'ec2:RunInstances',
  's3:PutBucketPolicy',
  'lambda:CreateFunction',
  'kms:CreateKey',
  'dynamodb:DeleteTable',
  'secretsmanager:GetSecretValue',
];

export interface AdminState {
  readonly admin: boolean;
  readonly conditions: readonly string[];
}

const NOT_ADMIN: AdminState = Object.freeze({ admin: false, conditions: [] });

export function regionsOf(subject: Subject): readonly string[] {
  const regions = subject.account.regions.filter((r) => r !== 'global');
  return regions.length > 0 ? regions.slice(0, 3) : ['us-east-1'];
}

/**
 * The probes in the order most likely to fail first: whoever reaches this has IAM write actions
 * (the graph asks only then), so a service outside IAM is where a non-administrator stops.
 */
const FAIL_FAST: readonly number[] = [...ADMIN_PROBES.keys()].sort(
  (a, b) =>
    Number(ADMIN_PROBES[a]!.startsWith('iam:')) - Number(ADMIN_PROBES[b]!.startsWith('iam:')) || b - a,
);

export function adminWith(
  subject: Subject,
  compiled: CompiledPolicySet,
  set: PolicySet<NamedPolicy>,
): AdminState {
  const found: Verdict[] = [];
  const contexts = regionsOf(subject).map((region) => ({
    ...subject.context,
    'aws:RequestedRegion': region,
  }));
  for (const i of FAIL_FAST) {
    const action = ADMIN_PROBES[i]!;
    let best: Verdict | undefined;
    for (const context of contexts) {
      const v = decide(compiled, set, {
        principal: subject.caller,
        action,
        resource: '*',
        resourceAccount: subject.accountId,
        context,
      });
      if (v.allowed && (best === undefined || v.conditions.length < best.conditions.length)) best = v;
      if (best && best.conditions.length === 0) break;
    }
    if (!best) return NOT_ADMIN;
    found[i] = best;
  }
  // Conditions in the probes' own order, whatever order they were asked in.
  const conditions = new Set<string>();
  for (const v of found) for (const c of v.conditions) conditions.add(c);
  return { admin: true, conditions: [...conditions] };
}

let adminPolicy: NamedPolicy | undefined;

/** `AdministratorAccess` as the techniques attach or write it. */
export function grantedAdminPolicy(): NamedPolicy {
  if (!adminPolicy) {
    const parsed = parsePolicy(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
      {
        type: 'identity',
      },
    );
    if (!parsed.policy) throw new Error('the built-in administrator policy does not parse');
    adminPolicy = { name: 'AdministratorAccess (added by the technique)', policy: parsed.policy };
  }
  return adminPolicy;
}

/** A trust policy that names one principal: what iam:UpdateAssumeRolePolicy would write. */
export function trustNaming(principalArn: string): NamedPolicy {
  const parsed = parsePolicy(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: principalArn }, Action: 'sts:AssumeRole' }],
    }),
    { type: 'trust' },
  );
  if (!parsed.policy) throw new Error('a generated trust policy does not parse');
  return { name: `trust rewritten to name ${principalArn}`, policy: parsed.policy };
}

const matters = new WeakMap<NamedPolicy, boolean>();
let probeIndices: readonly number[] | undefined;

/**
 * Can an identity policy change the admin probes' answers once AdministratorAccess sits beside it?
 * Only through a Deny, a statement the engine may not be able to read, or a condition on a key the
 * attacker chooses or the snapshot cannot know (those feed the favourable retries in decide.ts).
 * Its other Allows add nothing to an Allow of everything, so a policy for which this is false can be
 * left out of the question without changing any answer.
 */
export function mattersBesideAdmin(policy: NamedPolicy): boolean {
  let m = matters.get(policy);
  if (m === undefined) {
    const catalog = getCatalog();
    probeIndices ??= ADMIN_PROBES.map((a) => catalog.lookupAction(a)?.index ?? -1);
    const compiled = compileNamedPolicy(policy);
    m = compiled.incomplete || probeIndices.includes(-1);
    const raw = policy.policy.statements;
    for (const index of probeIndices) {
      if (m) break;
      for (const st of statementsForAction(compiled, index).all) {
        if (st.deny || (raw[st.index]?.conditions ?? []).some((c) => classifyKey(c.key) !== 'known')) {
          m = true;
          break;
        }
      }
    }
    matters.set(policy, m);
  }
  return m;
}
