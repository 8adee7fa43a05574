import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ParseResult, parsePolicy } from './index.js';

/** Never throws, always an issues array, `ok` agrees with the issues, and no parser bug surfaced. */
function checkResult(result: ParseResult): void {
  expect(Array.isArray(result.issues)).toBe(true);
  expect(result.ok).toBe(!result.issues.some((issue) => issue.severity === 'ERROR'));
  expect(result.issues.map((issue) => issue.code)).not.toContain('internal-error');
  for (const statement of result.policy?.statements ?? []) {
    expect(['Allow', 'Deny']).toContain(statement.effect);
  }
}

const types = fc.constantFrom(
  undefined,
  'identity',
  'resource',
  'trust',
  'boundary',
  'session',
  'scp',
  'rcp',
  'endpoint',
);

const element = fc.constantFrom(
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
  'StringEquals',
  'ForAnyValue:StringLike',
  '__proto__',
  'constructor',
);

const validPolicy = fc.record({
  Version: fc.constantFrom('2012-10-17', '2008-10-17'),
  Statement: fc.array(
    fc.record({
      Sid: fc.stringMatching(/^[A-Za-z0-9]{1,8}$/),
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.oneof(
        fc.constant('s3:GetObject'),
        fc.array(fc.constantFrom('s3:*', 'iam:PassRole', '*'), { minLength: 1 }),
      ),
      Resource: fc.oneof(fc.constant('*'), fc.array(fc.constant('arn:aws:s3:::b/*'), { minLength: 1 })),
      Condition: fc.constant({
        StringEquals: { 'aws:PrincipalTag/team': ['a', 'b'] },
        Bool: { 'aws:SecureTransport': true },
      }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number };

/** Mutations that keep the text mostly JSON-shaped, to reach deep into the normaliser. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ maxLength: 6 }),
      element.map((name) => `"${name}":`),
      fc.constantFrom('{', '}', '[', ']', ',', ':', '"', 'null', '%', '\\u0000'),
    ),
  }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 40 }),
  }),
);

function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'delete') out = out.slice(0, at) + out.slice(at + m.length);
    else if (m.kind === 'insert') out = out.slice(0, at) + m.text + out.slice(at);
    else out = out.slice(0, at) + out.slice(at, at + m.length) + out.slice(at);
  }
  return out;
}

describe('parsePolicy never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json()), types, (text, type) => {
        checkResult(parsePolicy(text, type === undefined ? {} : { type }));
      }),
      { numRuns: 2000 },
    );
  });

  it('on arbitrary JSON values, as objects and as text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), types, (value, type) => {
        const options = type === undefined ? {} : { type };
        checkResult(parsePolicy(value, options));
        checkResult(parsePolicy(JSON.stringify(value), options));
      }),
      { numRuns: 2000 },
    );
  });

  it('on objects keyed by policy element names with arbitrary values', () => {
    const policyish = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.dictionary(element, tie('node'), { maxKeys: 4 }),
        fc.array(tie('node'), { maxLength: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(element, policyish, { maxKeys: 5 }), types, (value, type) => {
        const options = type === undefined ? {} : { type };
        checkResult(parsePolicy(value, options));
        checkResult(parsePolicy(encodeURIComponent(JSON.stringify(value)), options));
      }),
      { numRuns: 2000 },
    );
  });

  it('on mutated valid policies, and keeps valid ones ok', () => {
    fc.assert(
      fc.property(validPolicy, fc.array(mutation, { maxLength: 4 }), types, (policy, mutations, type) => {
        const text = JSON.stringify(policy, null, 2);
        expect(parsePolicy(text).ok).toBe(true);
        const options = type === undefined ? {} : { type };
        checkResult(parsePolicy(mutate(text, mutations), options));
        checkResult(parsePolicy(encodeURIComponent(mutate(text, mutations)), options));
      }),
      { numRuns: 2000 },
    );
  });
});
