import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../model/config.js';
import type { CheckMetadata, Finding } from '../model/finding.js';
import { audit } from './audit.js';
import { findingId } from './finding-id.js';
import { compareFindings, runChecks, selectChecks, UnknownCheckError } from './run.js';
import { FIXTURE_NOW, SnapshotBuilder } from './testing/snapshot-builder.js';
import type { Check, CheckOutcome } from './types.js';

const meta = (
  id: string,
  severity: CheckMetadata['severity'],
  compliance: CheckMetadata['compliance'] = {},
): CheckMetadata => ({
  id,
  title: id,
  severity,
  description: 'd',
  risk: 'r',
  remediation: `fix ${id}`,
  references: [],
  compliance,
  resourceType: 'AWS::IAM::User',
});

const fixed = (m: CheckMetadata, outcomes: readonly CheckOutcome[]): Check => ({
  meta: m,
  run: () => outcomes,
});
const out = (account: string, resourceArn: string, extra: Partial<CheckOutcome> = {}): CheckOutcome => ({
  status: 'fail',
  account,
  resourceArn,
  message: 'm',
  ...extra,
});

describe('finding ids', () => {
  it('are stable, 20 hex characters, and differ by check, resource and discriminator', () => {
    const id = findingId('root-access-keys', 'arn:aws:iam::111122223333:root');
    expect(id).toMatch(/^[0-9a-f]{20}$/);
    expect(findingId('root-access-keys', 'arn:aws:iam::111122223333:root')).toBe(id);
    // Pinned (sha256 of "root-access-keys\0arn:aws:iam::111122223333:root"): a change here breaks
    // every user's tickets and baselines that refer to finding ids.
    expect(id).toBe('fc12a7a65883849cc3ad');
    expect(findingId('root-access-keys', 'arn:aws:iam::111122223333:root', '')).toBe(id);
    const all = new Set([
      id,
      findingId('root-mfa-disabled', 'arn:aws:iam::111122223333:root'),
      findingId('root-access-keys', 'arn:aws:iam::444455556666:root'),
      findingId('root-access-keys', 'arn:aws:iam::111122223333:root', '1'),
      findingId('a', 'b:c'),
      findingId('a:b', 'c'),
    ]);
    expect(all.size).toBe(6);
  });
});

describe('runChecks', () => {
  const snapshotP = new SnapshotBuilder().user('u').build();

  it('orders by severity, check id, account, resource ARN whatever order checks report in', async () => {
    const snapshot = await snapshotP;
    const checks = [
      fixed(meta('b-low', 'low'), [out('2', 'arn:b'), out('1', 'arn:z'), out('1', 'arn:a')]),
      fixed(meta('a-low', 'low'), [out('9', 'arn:a')]),
      fixed(meta('z-critical', 'critical'), [out('5', 'arn:q')]),
    ];
    const result = runChecks(checks, { snapshot, config: DEFAULT_CONFIG, now: FIXTURE_NOW });
    expect(result.findings.map((f) => `${f.checkId} ${f.account} ${f.resourceArn}`)).toEqual([
      'z-critical 5 arn:q',
      'a-low 9 arn:a',
      'b-low 1 arn:a',
      'b-low 1 arn:z',
      'b-low 2 arn:b',
    ]);
    const reversed = runChecks([...checks].reverse(), { snapshot, config: DEFAULT_CONFIG, now: FIXTURE_NOW });
    expect(reversed.findings).toEqual(result.findings);
  });

  it('fills severity, remediation, resource type and compliance ids from the metadata', async () => {
    const snapshot = await snapshotP;
    const m = meta('c', 'high', { 'cis-aws': ['1.4'], soc2: ['CC6.1', 'CC6.2'] });
    const [f] = runChecks([fixed(m, [out('1', 'arn:x', { principal: 'p' })])], {
      snapshot,
      config: DEFAULT_CONFIG,
      now: FIXTURE_NOW,
    }).findings;
    expect(f).toEqual<Finding>({
      id: findingId('c', 'arn:x'),
      checkId: 'c',
      severity: 'high',
      status: 'fail',
      account: '1',
      resourceArn: 'arn:x',
      resourceType: 'AWS::IAM::User',
      principal: 'p',
      message: 'm',
      evidence: {},
      remediation: 'fix c',
      compliance: ['cis-aws:1.4', 'soc2:CC6.1', 'soc2:CC6.2'],
    });
  });

  it('keeps one finding per id, a failure winning over unknown', async () => {
    const snapshot = await snapshotP;
    const r = runChecks(
      [fixed(meta('c', 'high'), [out('1', 'arn:x', { status: 'unknown' }), out('1', 'arn:x')])],
      {
        snapshot,
        config: DEFAULT_CONFIG,
        now: FIXTURE_NOW,
      },
    );
    expect(r.findings.map((f) => f.status)).toEqual(['fail']);
  });

  it('a check that throws yields unknown per account (never a silent pass) and the error', async () => {
    const snapshot = await snapshotP;
    const boom: Check = {
      meta: meta('boom', 'high'),
      run: () => {
        throw new Error('bug');
      },
    };
    const r = runChecks([boom], { snapshot, config: DEFAULT_CONFIG, now: FIXTURE_NOW });
    expect(r.errors).toEqual([{ checkId: 'boom', message: 'bug' }]);
    expect(r.findings.map((f) => [f.status, f.resourceArn])).toEqual([
      ['unknown', 'arn:aws:iam::111122223333:root'],
    ]);
  });
});

describe('selectChecks', () => {
  const all = [
    fixed(meta('root-mfa', 'critical', { 'cis-aws': ['1.5'] }), []),
    fixed(meta('root-keys', 'critical', { 'cis-aws': ['1.4'], soc2: ['CC6.1'] }), []),
    fixed(meta('unused-role', 'low', { soc2: ['CC6.2'] }), []),
  ];
  const ids = (c: readonly Check[]) => c.map((x) => x.meta.id);
  it.each([
    [{}, ['root-keys', 'root-mfa', 'unused-role']],
    [{ only: ['root-*'] }, ['root-keys', 'root-mfa']],
    [{ only: ['root-*'], skip: ['root-mfa'] }, ['root-keys']],
    [{ compliance: 'cis-aws' as const }, ['root-keys', 'root-mfa']],
    [{ compliance: 'soc2' as const, skip: ['unused-*'] }, ['root-keys']],
  ])('%j selects %j', (selection, expected) => {
    expect(ids(selectChecks(all, selection))).toEqual(expected);
  });
  it('rejects ids and globs that name no check', () => {
    expect(() => selectChecks(all, { only: ['root-mfa', 'nope'], skip: ['x-*'] })).toThrow(UnknownCheckError);
    expect(() => selectChecks(all, { only: ['nope'] })).toThrow(/unknown checks?: nope/);
  });
});

describe('audit', () => {
  it('applies suppressions, reports expired ones and summarises a framework per control', async () => {
    const snapshot = await new SnapshotBuilder().build();
    const catalogue = [
      fixed(meta('keys', 'high', { 'cis-aws': ['1.14'] }), [
        out('1', 'arn:aws:iam::1:user/a'),
        out('1', 'arn:aws:iam::1:user/b'),
      ]),
      fixed(meta('mfa', 'high', { 'cis-aws': ['1.10', '1.2'] }), [
        out('1', 'arn:aws:iam::1:user/c', { status: 'unknown' }),
      ]),
      fixed(meta('other', 'low', { 'cis-aws': ['1.9'] }), []),
    ];
    const config = {
      ...DEFAULT_CONFIG,
      suppressions: [
        { checkId: 'keys', resource: 'arn:aws:iam::1:user/a', reason: 'accepted risk until migration' },
        {
          checkId: 'keys',
          resource: 'arn:aws:iam::1:user/*',
          reason: 'expired exception here',
          expires: '2026-10-31',
        },
      ],
    };
    const r = audit(snapshot, config, { now: FIXTURE_NOW, catalogue, selection: { compliance: 'cis-aws' } });
    expect(r.findings.map((f) => [f.resourceArn, f.suppressed?.reason ?? null])).toEqual([
      ['arn:aws:iam::1:user/a', 'accepted risk until migration'],
      ['arn:aws:iam::1:user/b', null],
      ['arn:aws:iam::1:user/c', null],
    ]);
    expect(r.expiredSuppressions.map((e) => [e.index, e.matchedFindings.length])).toEqual([[1, 2]]);
    expect(r.compliance?.controls.map((c) => [c.control, c.status, c.failed, c.suppressed])).toEqual([
      ['1.2', 'unknown', 0, 0],
      ['1.9', 'pass', 0, 0],
      ['1.10', 'unknown', 0, 0],
      ['1.14', 'fail', 1, 1],
    ]);
  });

  it('is deterministic: two runs give identical results', async () => {
    const snapshot = await new SnapshotBuilder().build();
    const catalogue = [fixed(meta('x', 'high'), [out('1', 'arn:b'), out('1', 'arn:a')])];
    const a = audit(snapshot, DEFAULT_CONFIG, { now: FIXTURE_NOW, catalogue });
    const b = audit(snapshot, DEFAULT_CONFIG, { now: FIXTURE_NOW, catalogue });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect([...a.findings].sort(compareFindings)).toEqual(a.findings);
  });
});
