import { globMatch } from '../catalog/glob.js';
import type { Finding, Suppression } from '../model/finding.js';

/** A suppression whose `expires` has passed: it no longer suppresses and the report says so. */
export interface ExpiredSuppression {
  readonly suppression: Suppression;
  /** Index in the configuration's `suppressions` list (for pointing at it). */
  readonly index: number;
  /** Findings it would still match: they are reported as ordinary findings again. */
  readonly matchedFindings: readonly string[];
}

export interface SuppressionResult {
  readonly findings: readonly Finding[];
  readonly expired: readonly ExpiredSuppression[];
  /** Active suppressions that matched nothing (stale configuration worth cleaning up). */
  readonly unused: readonly { readonly suppression: Suppression; readonly index: number }[];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * When a suppression stops suppressing, in epoch ms. A date without a time (`2026-12-31`) is valid
 * through the end of that day in UTC; a full timestamp is exact. Undefined: never expires.
 */
export function expiryOf(s: Suppression): number | undefined {
  if (s.expires === undefined) return undefined;
  if (DATE_ONLY.test(s.expires)) return Date.parse(`${s.expires}T00:00:00Z`) + 24 * 60 * 60 * 1000;
  return Date.parse(s.expires);
}

export function isExpired(s: Suppression, now: Date): boolean {
  const end = expiryOf(s);
  // An unparsable date is rejected by config validation; if one gets here it must not suppress forever.
  return end !== undefined && (Number.isNaN(end) || now.getTime() >= end);
}

/**
 * Whether a suppression covers a finding: same check id (or `*`), and the finding's resource ARN
 * matches the suppression's glob (`*` any run, `?` one character; case-sensitive like ARNs). The glob
 * matcher is linear-backtracking, never a regex built from configuration text.
 */
export function suppressionMatches(s: Suppression, f: Finding): boolean {
  if (s.checkId !== '*' && s.checkId !== f.checkId) return false;
  return s.resource === undefined || globMatch(s.resource, f.resourceArn);
}

/**
 * Marks suppressed findings (they stay in the output with the suppression's reason) and lists
 * suppressions that have expired. The first active suppression that matches wins.
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  now: Date,
): SuppressionResult {
  const active: { s: Suppression; index: number; used: boolean }[] = [];
  const expired: { s: Suppression; index: number; matched: string[] }[] = [];
  suppressions.forEach((s, index) => {
    if (isExpired(s, now)) expired.push({ s, index, matched: [] });
    else active.push({ s, index, used: false });
  });
  const out = findings.map((f) => {
    for (const e of expired) if (suppressionMatches(e.s, f)) e.matched.push(f.id);
    for (const a of active) {
      if (suppressionMatches(a.s, f)) {
        a.used = true;
        return { ...f, suppressed: a.s };
      }
    }
    return f;
  });
  return {
    findings: out,
    expired: expired.map((e) => ({ suppression: e.s, index: e.index, matchedFindings: e.matched })),
    unused: active.filter((a) => !a.used).map((a) => ({ suppression: a.s, index: a.index })),
  };
}
