import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureContext, fixtureResult } from '../../test/report/support/fixture.js';
import type { ReportContext, ReportPrincipal } from './context.js';
import { maskDeep, maskEach, maskWhereNeeded, prepare } from './options.js';

// Key id shapes: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-prefixes
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const text = fc.oneof(
  fc.string(),
  fc.constantFrom(
    KEY,
    `key ${KEY} used`,
    `x${KEY}`,
    `${KEY}9`,
    'ASIAABCDEFGHIJKLWXYZ',
    'AKIASHORT',
    'AKIA…MPLE',
    `a\n${KEY}`,
  ),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('tree'), { maxLength: 6 }),
  object: fc.dictionary(fc.oneof(fc.string(), fc.constant('__proto__')), tie('tree'), { maxKeys: 5 }),
}));

describe('masking without copies', () => {
  it('gives the same data as the deep copy, and the value itself when nothing is masked', () => {
    fc.assert(
      fc.property(tree, (value) => {
        const masked = maskWhereNeeded(value);
        expect(JSON.stringify(masked)).toBe(JSON.stringify(maskDeep(value)));
        if (JSON.stringify(maskDeep(value)) === JSON.stringify(value)) expect(masked).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('maskEach copies only the elements holding a key id, and keeps the array when none does', () => {
    const plain = [{ a: 'x' }, { b: ['y'] }];
    expect(maskEach(plain)).toBe(plain);
    const mixed = [{ a: 'x' }, { b: [`id ${KEY}`] }, { c: 1 }];
    const out = maskEach(mixed);
    expect(out).not.toBe(mixed);
    expect(out[0]).toBe(mixed[0]);
    expect(out[2]).toBe(mixed[2]);
    expect(out[1]).toEqual({ b: ['id AKIA…MPLE'] });
    expect(mixed[1]).toEqual({ b: [`id ${KEY}`] });
  });

  it('prepare masks the findings of the fixture exactly as a deep copy of them would be', () => {
    const result = fixtureResult();
    expect(JSON.stringify(prepare(result).result.findings)).toBe(JSON.stringify(maskDeep(result.findings)));
    expect(JSON.stringify(prepare(result).result.findings)).not.toContain(KEY);
  });
});

describe('report context key ids', () => {
  const principal = (arn: string, extra: Partial<ReportPrincipal> = {}): ReportPrincipal => ({
    arn,
    name: arn.slice(arn.lastIndexOf('/') + 1),
    kind: 'user',
    account: '111122223333',
    tags: [],
    ...extra,
  });
  const keys = (...ids: (string | undefined)[]) => ({
    accessKeys: ids.map((id, i) => ({ slot: i + 1, active: true, ...(id !== undefined ? { id } : {}) })),
  });

  it.each([
    ['a key id of the usual shape', KEY, 'AKIA…MPLE'],
    ['a short one', 'AKIA1234', '…'],
    ['one the pattern does not find', `x${KEY}`, 'xAKI…MPLE'],
    ['one already masked', 'AKIA…MPLE', 'AKIA…MPLE'],
  ])('masks %s in the credentials (%s → %s)', (_what, id, expected) => {
    const context: ReportContext = {
      accounts: [],
      principals: [
        principal('arn:aws:iam::111122223333:user/a', {
          credentials: keys(id, undefined),
          access: [{ service: 's3', levels: { Read: 3 } }],
        }),
      ],
      thirdParty: [],
    };
    const masked = prepare(fixtureResult(), { context }).context.principals[0];
    expect(masked?.credentials?.accessKeys.map((k) => k.id)).toEqual([expected, undefined]);
    // What holds no key id is shared, not copied (an administrator's access lists ~400 services).
    expect(masked?.access).toBe(context.principals[0]?.access);
    expect(context.principals[0]?.credentials?.accessKeys[0]?.id).toBe(id);
  });

  it('masks key ids in any text of the context and leaves principals without any as they are', () => {
    const clean = principal('arn:aws:iam::111122223333:user/clean', { tags: [['team', 'x']] });
    const tagged = principal('arn:aws:iam::111122223333:user/tagged', { tags: [['note', `old key ${KEY}`]] });
    const context: ReportContext = {
      title: `report ${KEY}`,
      accounts: [{ id: '111122223333', name: KEY }],
      principals: [clean, tagged],
      thirdParty: [],
    };
    const masked = prepare(fixtureResult(), { context }).context;
    expect(masked.principals[0]).toBe(clean);
    expect(masked.principals[1]?.tags).toEqual([['note', 'old key AKIA…MPLE']]);
    expect(masked.title).toBe('report AKIA…MPLE');
    expect(masked.accounts[0]?.name).toBe('AKIA…MPLE');
    expect(prepare(fixtureResult(), { context, showKeyIds: true }).context).toBe(context);
  });

  it('the fixture context comes out as a deep copy masked and keyed would', () => {
    const context = fixtureContext();
    const masked = prepare(fixtureResult(), { context }).context;
    expect(JSON.stringify(masked)).not.toContain(KEY);
    expect(JSON.stringify(masked.accounts)).toBe(JSON.stringify(maskDeep(context.accounts)));
    expect(JSON.stringify(masked.thirdParty)).toBe(JSON.stringify(maskDeep(context.thirdParty)));
  });
});
