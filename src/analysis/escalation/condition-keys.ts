/**
 * Which request keys the snapshot can know, which the attacker chooses, and which it cannot know,
 * and — for the last two — values that make a condition clause hold or fail. The graph evaluates
 * every request first with only known keys; when that is not allowed, it asks the engine again
 * with attacker-favourable values for the clauses of the statements that could apply. An edge
 * that holds only with a value for an unknowable key (the caller's IP, MFA, time) is conditional.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
import type { ConditionClause } from '../../model/policy.js';

/** Keys the graph supplies (or the engine derives) from the snapshot itself. */
const KNOWN_PREFIXES = ['aws:principaltag/', 'aws:resourcetag/', 'iam:resourcetag/'];
const KNOWN = new Set([
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principaltype',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalisawsservice',
  'aws:principalservicename',
  'aws:resourceaccount',
  'aws:resourceorgid',
  'aws:resourceorgpaths',
  'aws:username',
  'aws:userid',
  'iam:passedtoservice',
  'iam:policyarn',
]);

/** Keys whose value is a parameter of the attacker's own request. */
const CHOSEN_PREFIXES = ['aws:requesttag/'];
const CHOSEN = new Set([
  'aws:tagkeys',
  'aws:securetransport',
  'aws:requestedregion',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'iam:associatedresourcearn',
  'sts:rolesessionname',
  'sts:transitivetagkeys',
  'sts:sourceidentity',
  'iam:permissionsboundary',
]);

export type KeyClass = 'known' | 'chosen' | 'unknowable';

export function classifyKey(key: string): KeyClass {
  const k = key.toLowerCase();
  if (KNOWN.has(k) || KNOWN_PREFIXES.some((p) => k.startsWith(p))) return 'known';
  if (CHOSEN.has(k) || CHOSEN_PREFIXES.some((p) => k.startsWith(p))) return 'chosen';
  // Service-specific keys of the actions in our techniques describe the request the attacker
  // makes (instance type, function runtime, ...); sts, saml and oidc keys describe credentials.
  const service = k.slice(0, k.indexOf(':'));
  if (service !== 'aws' && service !== 'sts' && !k.includes('saml') && !k.includes('amr')) {
    if (!service.includes('.') && service !== 'accounts.google.com') return 'chosen';
  }
  return 'unknowable';
}

const NEGATED = /^(StringNot|NumericNot|DateNot|NotIpAddress|ArnNot)/i;

/** A value that makes the clause's positive form (no `Not`) hold, from its own values. */
function inside(base: string, values: readonly string[]): string | undefined {
  const v = values[0];
  if (v === undefined) return undefined;
  const op = base.toLowerCase();
  if (op.startsWith('ipaddress') || op.startsWith('notipaddress')) return v.split('/')[0];
  if (op.startsWith('numeric')) return numericInside(op, values);
  if (op.startsWith('date')) return dateInside(op, values);
  if (op.startsWith('bool')) return v;
  // String and ARN operators: instantiate wildcards (policy values are short; no regex).
  if (v.includes('${')) return undefined;
  return v.replaceAll('*', 'x').replaceAll('?', 'x');
}

/** A value that makes the clause's positive form fail. */
function outside(base: string, values: readonly string[]): string | undefined {
  const v = values[0];
  if (v === undefined) return undefined;
  const op = base.toLowerCase();
  if (op.startsWith('ipaddress') || op.startsWith('notipaddress')) {
    for (const candidate of ['192.0.2.123', '198.51.100.77', '2001:db8::7']) {
      if (!values.some((c) => c.split('/')[0] === candidate)) return candidate;
    }
    return undefined;
  }
  if (op.startsWith('numeric')) return numericOutside(op, values);
  if (op.startsWith('date')) return dateOutside(op, values);
  if (op.startsWith('bool')) return v.toLowerCase() === 'true' ? 'false' : 'true';
  return 'leastpriv-no-such-value';
}

function num(values: readonly string[]): number | undefined {
  const n = Number(values[0]);
  return Number.isFinite(n) ? n : undefined;
}

function numericInside(op: string, values: readonly string[]): string | undefined {
  const n = num(values);
  if (n === undefined) return undefined;
  if (op.startsWith('numericlessthanequals') || op.startsWith('numericgreaterthanequals')) return String(n);
  if (op.startsWith('numericlessthan')) return String(n - 1);
  if (op.startsWith('numericgreaterthan')) return String(n + 1);
  return String(n);
}

function numericOutside(op: string, values: readonly string[]): string | undefined {
  const n = num(values);
  if (n === undefined) return undefined;
  if (op.startsWith('numericlessthanequals')) return String(n + 1);
  if (op.startsWith('numericgreaterthanequals')) return String(n - 1);
  if (op.startsWith('numericlessthan') || op.startsWith('numericgreaterthan')) return String(n);
  return String(n + 1);
}

function dateOf(values: readonly string[]): number | undefined {
  const v = values[0];
  if (v === undefined) return undefined;
  const epoch = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  return Number.isFinite(epoch) ? epoch : undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function dateInside(op: string, values: readonly string[]): string | undefined {
  const t = dateOf(values);
  if (t === undefined) return undefined;
  if (op.startsWith('datelessthanequals') || op.startsWith('dategreaterthanequals')) return iso(t);
  if (op.startsWith('datelessthan')) return iso(t - 1000);
  if (op.startsWith('dategreaterthan')) return iso(t + 1000);
  return iso(t);
}

function dateOutside(op: string, values: readonly string[]): string | undefined {
  const t = dateOf(values);
  if (t === undefined) return undefined;
  if (op.startsWith('datelessthanequals')) return iso(t + 1000);
  if (op.startsWith('dategreaterthanequals')) return iso(t - 1000);
  if (op.startsWith('datelessthan') || op.startsWith('dategreaterthan')) return iso(t);
  return iso(t + 1000);
}

/**
 * A request value for the clause's key that makes the clause hold (`want` true) or fail, or
 * `null` for "leave the key out", or undefined when no such value can be derived.
 */
export function valueFor(clause: ConditionClause, want: boolean): string | null | undefined {
  const base = clause.baseOperator;
  if (base.toLowerCase() === 'null') {
    const wantsAbsent = clause.values[0]?.toLowerCase() === 'true';
    return wantsAbsent === want ? null : 'leastpriv-present';
  }
  const negated = NEGATED.test(base);
  const holdPositive = negated ? !want : want;
  const positiveBase = negated ? base.replace(/Not/i, '') : base;
  return holdPositive ? inside(positiveBase, clause.values) : outside(positiveBase, clause.values);
}
