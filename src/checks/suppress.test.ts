import { describe, expect, it } from 'vitest';
import type { Finding, Suppression } from '../model/finding.js';
import { applySuppressions, isExpired, suppressionMatches } from './suppress.js';

const finding = (checkId: string, resourceArn: string): Finding => ({
  id: `${checkId}|${resourceArn}`,
  checkId,
  severity: 'high',
  status: 'fail',
  account: '111122223333',
  resourceArn,
  resourceType: 'AWS::IAM::User',
  message: 'm',
  evidence: {},
  remediation: 'r',
  compliance: [],
});
const s = (checkId: string, resource?: string, expires?: string): Suppression => ({
  checkId,
  reason: 'a reason of enough length',
  ...(resource !== undefined ? { resource } : {}),
  ...(expires !== undefined ? { expires } : {}),
});

describe('suppression matching', () => {
  it.each([
    [s('c'), 'c', 'arn:aws:iam::1:user/x', true],
    [s('c'), 'd', 'arn:aws:iam::1:user/x', false],
    [s('*', 'arn:aws:iam::1:*'), 'd', 'arn:aws:iam::1:user/x', true],
    [s('c', 'arn:aws:iam::*:user/ci-*'), 'c', 'arn:aws:iam::2:user/ci-bot', true],
    [s('c', 'arn:aws:iam::*:user/ci-*'), 'c', 'arn:aws:iam::2:user/automation/ci-bot', false],
    [s('c', 'arn:aws:iam::1:user/?'), 'c', 'arn:aws:iam::1:user/x', true],
    [s('c', 'arn:aws:iam::1:user/?'), 'c', 'arn:aws:iam::1:user/xy', false],
    // ARNs are case-sensitive: a suppression for Bob does not hide bob.
    [s('c', 'arn:aws:iam::1:user/Bob'), 'c', 'arn:aws:iam::1:user/bob', false],
  ])('%j on %s %s → %s', (sup, checkId, arn, expected) => {
    expect(suppressionMatches(sup, finding(checkId, arn))).toBe(expected);
  });

  it('a pathological glob completes quickly (no regex backtracking)', () => {
    const pattern = `${'*a'.repeat(200)}b`;
    const t = Date.now();
    expect(suppressionMatches(s('c', pattern), finding('c', 'a'.repeat(5000)))).toBe(false);
    expect(Date.now() - t).toBeLessThan(2000);
  });
});

describe('expiry', () => {
  it.each([
    ['2026-10-31', '2026-10-31T23:59:59Z', false],
    ['2026-10-31', '2026-11-01T00:00:00Z', true],
    ['2026-10-31T12:00:00Z', '2026-10-31T12:00:00Z', true],
    ['2026-10-31T12:00:00Z', '2026-10-31T11:59:59Z', false],
  ])('expires %s, now %s → expired %s', (expires, now, expected) => {
    expect(isExpired(s('c', undefined, expires), new Date(now))).toBe(expected);
  });

  it('an expired suppression stops suppressing and lists the findings it would match', () => {
    const findings = [finding('c', 'arn:1'), finding('c', 'arn:2'), finding('d', 'arn:1')];
    const r = applySuppressions(
      findings,
      [s('c', 'arn:1', '2020-01-01'), s('c', 'arn:2'), s('e')],
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(r.findings.map((f) => f.suppressed !== undefined)).toEqual([false, true, false]);
    expect(r.expired).toEqual([
      { suppression: s('c', 'arn:1', '2020-01-01'), index: 0, matchedFindings: ['c|arn:1'] },
    ]);
    expect(r.unused.map((u) => u.index)).toEqual([2]);
  });
});
