/**
 * How an external-access probe fills each condition key. Keys fall into classes by who controls
 * their value: facts of the caller the engine derives itself, facts an outsider cannot forge (its
 * organization, the source of a service request, the network it comes from), narrowing keys that
 * hold only for some outsiders (source IP, ExternalId, federated token claims), and everything else,
 * which the caller controls (request parameters, tags it sets, TLS) and which the probe fills with
 * the values the policy names, the worst case.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
import type { Policy } from '../../model/policy.js';

export type KeyClass =
  | 'derived'
  | 'principal-org'
  | 'source'
  | 'network'
  | 'source-ip'
  | 'external-id'
  | 'resource-org'
  | 'caller-account'
  | 'userid'
  | 'claim'
  | 'free';

const CLASSES: ReadonlyMap<string, KeyClass> = new Map<string, KeyClass>([
  ['aws:principalarn', 'derived'],
  ['aws:principalaccount', 'derived'],
  ['aws:principaltype', 'derived'],
  ['aws:username', 'derived'],
  ['aws:principalisawsservice', 'derived'],
  ['aws:principalservicename', 'derived'],
  ['aws:resourceaccount', 'derived'],
  ['aws:principalorgid', 'principal-org'],
  ['aws:principalorgpaths', 'principal-org'],
  ['aws:sourceaccount', 'source'],
  ['aws:sourcearn', 'source'],
  ['aws:sourceowner', 'source'],
  ['aws:sourceorgid', 'source'],
  ['aws:sourceorgpaths', 'source'],
  ['aws:sourcevpc', 'network'],
  ['aws:sourcevpce', 'network'],
  ['aws:sourcevpcarn', 'network'],
  ['aws:vpcsourceip', 'network'],
  ['aws:sourceip', 'source-ip'],
  ['sts:externalid', 'external-id'],
  ['aws:resourceorgid', 'resource-org'],
  ['aws:resourceorgpaths', 'resource-org'],
  ['kms:calleraccount', 'caller-account'],
  ['aws:userid', 'userid'],
]);

/** `token.actions.githubusercontent.com:sub`, `accounts.google.com:aud`, `saml:aud`: claims of a federated token. */
function isClaimKey(key: string): boolean {
  const colon = key.indexOf(':');
  if (colon <= 0) return false;
  const namespace = key.slice(0, colon);
  return namespace === 'saml' || namespace.includes('.');
}

export function keyClass(lowerKey: string): KeyClass {
  return CLASSES.get(lowerKey) ?? (isClaimKey(lowerKey) ? 'claim' : 'free');
}

/** One condition clause's key with the operator family and the values written, as the probe needs them. */
export interface KeyUse {
  readonly key: string;
  readonly operators: ReadonlySet<string>;
  readonly values: readonly string[];
  readonly negated: boolean;
}

const NEGATED = new Set([
  'stringnotequals',
  'stringnotequalsignorecase',
  'stringnotlike',
  'arnnotequals',
  'arnnotlike',
  'notipaddress',
  'numericnotequals',
]);

const VALUES_PER_KEY = 16;

/** Every condition key the policy reads (lower-cased), with its operators and written values. */
export function keyUses(policy: Policy): Map<string, KeyUse> {
  const acc = new Map<string, { operators: Set<string>; values: string[]; negated: boolean }>();
  for (const s of policy.statements) {
    for (const c of s.conditions) {
      const key = c.key.toLowerCase();
      let entry = acc.get(key);
      if (!entry) {
        entry = { operators: new Set(), values: [], negated: false };
        acc.set(key, entry);
      }
      const op = c.baseOperator.toLowerCase();
      entry.operators.add(op);
      if (NEGATED.has(op)) entry.negated = true;
      for (const v of c.values) {
        if (entry.values.length >= VALUES_PER_KEY) break;
        if (!entry.values.includes(v)) entry.values.push(v);
      }
    }
  }
  const out = new Map<string, KeyUse>();
  for (const [key, e] of acc)
    out.set(key, { key, operators: e.operators, values: e.values, negated: e.negated });
  return out;
}

/** A concrete value a `*`/`?` pattern matches: wildcards filled in, policy variables left as written. */
export function instantiate(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') out += 'probe';
    else if (ch === '?') out += 'x';
    else out += ch;
  }
  return out;
}

/** A value no policy names: satisfies negated operators. */
export const OTHER_VALUE = 'leastpriv-probe-other';

/** Candidate values of a caller-controlled key: what the policy names (instantiated), and something else. */
export function freeValues(use: KeyUse): string[] {
  const out: string[] = [];
  const add = (v: string): void => {
    if (!out.includes(v)) out.push(v);
  };
  if (use.operators.has('bool')) {
    add('true');
    add('false');
    return out;
  }
  for (const v of use.values.slice(0, 4)) {
    add(instantiate(v));
    if ([...use.operators].some((op) => op.startsWith('numeric'))) {
      const n = Number(v);
      if (Number.isFinite(n)) {
        add(String(n - 1));
        add(String(n + 1));
      }
    }
  }
  add(OTHER_VALUE);
  return out;
}
