/**
 * The trust side of `sts:AssumeRole`, read from a role's compiled trust policy (and its account's
 * RCPs): does it admit callers only through their account, and does its answer depend on anything
 * of the caller beyond its account and kind?
 *
 * When a trust admits a caller only as a member of its account (`"AWS": "arn:aws:iam::A:root"` or
 * `"A"`), AWS requires both sides to allow: the trust policy, and the caller's identity policies
 * (with its boundary and SCPs), in the same account as across accounts. The graph then asks the
 * engine about each side on its own (the caller side once per caller, the trust side once per role
 * and caller class) and takes both. A trust that may name a caller itself (its ARN, a role, `*`,
 * NotPrincipal) lets a same-account caller in without an identity policy, so such roles are asked
 * about with the caller's whole set and the trust together, as before.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html
 */
import { getCatalog } from '../../catalog/index.js';
import type { NamedPolicy, PrincipalSet } from '../../model/policy.js';
import {
  type CompiledPolicyData,
  type CompiledStatement,
  compileNamedPolicy,
  statementsForAction,
} from '../../policy/evaluate/compile.js';
import { isCallerKey } from './scope.js';

export interface TrustShape {
  /** A statement may admit a caller by its own ARN, a role ARN, `*` or NotPrincipal (or could not be read). */
  readonly direct: boolean;
  /** The answer may differ between callers of one account and kind (ARNs named, caller keys read). */
  readonly perCaller: boolean;
}

function readsCaller(keys: readonly string[]): boolean {
  return keys.some(isCallerKey);
}

function namesCallers(s: CompiledStatement): boolean {
  const p = s.principal;
  return p === undefined || p.arns.size > 0 || p.roles.size > 0;
}

let assumeIndex: number | undefined;

function assumeStatements(policy: CompiledPolicyData): readonly CompiledStatement[] {
  assumeIndex ??= getCatalog().lookupAction('sts:AssumeRole')?.index ?? -1;
  if (assumeIndex < 0) return policy.statements;
  return statementsForAction(policy, assumeIndex).all;
}

const DIRECT: TrustShape = Object.freeze({ direct: true, perCaller: true });
const trustCache = new WeakMap<NamedPolicy, TrustShape>();

/** The shape of a role's trust policy for `sts:AssumeRole`. */
export function trustShape(trust: NamedPolicy): TrustShape {
  let shape = trustCache.get(trust);
  if (!shape) {
    const compiled = compileNamedPolicy(trust);
    if (compiled.incomplete) shape = DIRECT;
    else {
      let direct = false;
      let perCaller = false;
      for (const s of assumeStatements(compiled)) {
        if (s.notPrincipal || s.principal === undefined) {
          direct = true;
          perCaller = true;
          continue;
        }
        if (!s.deny && (s.principal.wildcard || namesCallers(s))) direct = true;
        if (namesCallers(s) || readsCaller(s.contextKeys)) perCaller = true;
      }
      shape = direct || perCaller ? { direct, perCaller } : CLASS_LEVEL;
    }
    trustCache.set(trust, shape);
  }
  return shape;
}

const CLASS_LEVEL: TrustShape = Object.freeze({ direct: false, perCaller: false });
const rcpCache = new WeakMap<readonly (readonly NamedPolicy[])[], boolean>();

/** Do an account's RCPs (for `sts:AssumeRole`) read anything that differs between callers of one account? */
export function rcpPerCaller(levels: readonly (readonly NamedPolicy[])[]): boolean {
  let per = rcpCache.get(levels);
  if (per === undefined) {
    per = false;
    for (const level of levels) {
      for (const p of level) {
        const compiled = compileNamedPolicy(p);
        if (compiled.incomplete) per = true;
        for (const s of assumeStatements(compiled)) {
          if (s.notPrincipal || (s.principal !== undefined && !s.principal.wildcard)) per = true;
          if (readsCaller(s.contextKeys)) per = true;
        }
      }
    }
    rcpCache.set(levels, per);
  }
  return per;
}

const contentKeys = new WeakMap<NamedPolicy, string>();
let unreadable = 0;

/**
 * A key equal for two trust policies that say the same thing (statement by statement, positions
 * and names aside), so roles with identical trust policies share the trust side's answers. A policy
 * the parser could not read completely gets a key of its own.
 */
export function trustContentKey(trust: NamedPolicy): string {
  let key = contentKeys.get(trust);
  if (key === undefined) {
    if (compileNamedPolicy(trust).incomplete) key = `unreadable:${unreadable++}`;
    else {
      const p = trust.policy;
      key = JSON.stringify([
        p.variablesEnabled,
        p.statements.map((s) => [
          s.effect,
          s.action ?? null,
          s.notAction ?? null,
          s.resource ?? null,
          s.notResource ?? null,
          principalKey(s.principal),
          principalKey(s.notPrincipal),
          s.conditions.map((c) => [c.operator, c.key, c.values]),
        ]),
      ]);
    }
    contentKeys.set(trust, key);
  }
  return key;
}

function principalKey(p: PrincipalSet | undefined): unknown {
  return p === undefined ? null : [p.wildcard, p.aws, p.service, p.federated, p.canonicalUser];
}
