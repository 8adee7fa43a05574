import { describe, expect, it } from 'vitest';
import type { PolicyType } from '../../model/policy.js';
import { PARSE_ISSUE_CODES, type ParseOptions, parsePolicy } from './index.js';

const codes = (input: unknown, options?: ParseOptions) =>
  parsePolicy(input, options).issues.map((issue) => issue.code);

/** The policy without positions, so policies parsed from text and from objects can be compared. */
function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'pos' || key === 'keyPos' || key === 'elementPos' || key === 'valuePos') continue;
    out[key] = withoutPositions(child);
  }
  return out;
}

const sample = {
  Version: '2012-10-17',
  Id: 'Example1',
  Statement: [
    {
      Sid: 'AllowRead',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: 'arn:aws:s3:::bucket/a+b c',
      Condition: {
        'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['team*', 5, true] },
        IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
      },
    },
    { Effect: 'Deny', NotAction: 'iam:*', NotResource: ['*'] },
  ],
};

describe('parsePolicy: input forms', () => {
  const text = JSON.stringify(sample, null, 2);
  const fromObject = parsePolicy(sample, { type: 'identity' });
  it.each([
    ['JSON text', text],
    ['URL-encoded text', encodeURIComponent(text)],
    ['URL-encoded text with spaces as %20 and + literal', encodeURIComponent(text).replaceAll('%2B', '+')],
  ])('%s gives the same policy as the object', (_name, input) => {
    const fromText = parsePolicy(input, { type: 'identity' });
    expect(fromText.ok).toBe(true);
    expect(fromObject.ok).toBe(true);
    expect(withoutPositions(fromText.policy)).toEqual(withoutPositions(fromObject.policy));
  });

  it('normalises single values to arrays and condition values to strings', () => {
    const policy = fromObject.policy;
    expect(policy?.statements[0]?.resource).toEqual(['arn:aws:s3:::bucket/a+b c']);
    expect(policy?.statements[1]?.notAction).toEqual(['iam:*']);
    expect(policy?.statements[0]?.conditions[0]).toMatchObject({
      operator: 'ForAnyValue:StringLikeIfExists',
      baseOperator: 'StringLike',
      setOperator: 'ForAnyValue',
      ifExists: true,
      key: 'aws:TagKeys',
      values: ['team*', '5', 'true'],
    });
    expect(policy?.statements[0]?.conditions[1]).toMatchObject({
      baseOperator: 'IpAddress',
      ifExists: false,
    });
    expect(policy?.statements[0]?.conditions[1]?.setOperator).toBeUndefined();
  });

  it('object input has no positions', () => {
    expect(fromObject.policy?.statements[0]?.pos).toEqual({ line: 0, column: 0, offset: -1 });
  });

  it.each([
    [
      '+ stays + when decoding',
      '%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22a%3Ab%22%2C%22Resource%22%3A%22x+y%22%7D%7D',
      'x+y',
    ],
    [
      '%2B decodes to +',
      '%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22a%3Ab%22%2C%22Resource%22%3A%22x%2By%22%7D%7D',
      'x+y',
    ],
    [
      'decoded once: %2541 stays %41',
      '%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22a%3Ab%22%2C%22Resource%22%3A%22%2541%22%7D%7D',
      '%41',
    ],
  ])('URL-encoded: %s', (_name, input, resource) => {
    expect(parsePolicy(input).policy?.statements[0]?.resource).toEqual([resource]);
  });

  it('size is the same for pretty text, compact text and the object (whitespace not counted)', () => {
    const compact = JSON.stringify(sample);
    expect(parsePolicy(text).policy?.size).toBe(compact.length);
    expect(parsePolicy(compact).policy?.size).toBe(compact.length);
    expect(parsePolicy(sample).policy?.size).toBe(compact.length);
  });
});

describe('parsePolicy: duplicate keys', () => {
  it('a statement with Effect Deny then Allow is never read as Allow', () => {
    const result = parsePolicy(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow","Action":"*","Resource":"*"}]}',
    );
    expect(result.ok).toBe(false);
    expect(result.issues[0]).toMatchObject({
      code: 'duplicate-key',
      severity: 'ERROR',
      path: 'Statement[0].Effect',
    });
    expect(result.policy?.statements).toEqual([]);
  });

  it('at top level (two Statement keys) no statement is kept', () => {
    const result = parsePolicy(
      '{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"},"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}',
    );
    expect(result.issues.map((issue) => [issue.code, issue.path])).toContainEqual([
      'duplicate-key',
      'Statement',
    ]);
    expect(result.policy?.statements).toEqual([]);
  });

  it('a duplicate Version disables variables', () => {
    const result = parsePolicy('{"Version":"2008-10-17","Version":"2012-10-17","Statement":[]}');
    expect(result.policy?.variablesEnabled).toBe(false);
    expect(result.issues.map((issue) => [issue.code, issue.path])).toContainEqual([
      'duplicate-key',
      'Version',
    ]);
  });

  it.each([
    [
      'operator',
      '{"StringEquals":{"a:b":"1"},"StringEquals":{"a:b":"2"}}',
      'Statement[1].Condition.StringEquals',
    ],
    [
      'condition key',
      '{"StringEquals":{"aws:SourceIp":"1","aws:SourceIp":"2"}}',
      'Statement[1].Condition.StringEquals.aws:SourceIp',
    ],
  ])('in a Condition (%s) drops only that statement', (_name, condition, path) => {
    const text = `{"Statement":[{"Effect":"Allow","Action":"a:b","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":${condition}}]}`;
    const result = parsePolicy(text);
    expect(
      result.issues.filter((issue) => issue.code === 'duplicate-key').map((issue) => issue.path),
    ).toEqual([path]);
    expect(result.policy?.statements.map((statement) => statement.index)).toEqual([0]);
  });

  it('a single-object Statement is still written Statement[0] in paths', () => {
    const result = parsePolicy(
      '{"Statement":{"Effect":"Allow","Action":"a:b","Action":"c:d","Resource":"*"}}',
    );
    expect(result.issues[0]?.path).toBe('Statement[0].Action');
  });
});

describe('parsePolicy: prototype pollution', () => {
  it.each([
    [
      'top level',
      '{"__proto__":{"polluted":1},"Statement":{"Effect":"Allow","Action":"a:b","Resource":"*"}}',
    ],
    [
      'statement',
      '{"Statement":{"__proto__":{"polluted":1},"Effect":"Allow","Action":"a:b","Resource":"*"}}',
    ],
    [
      'principal',
      '{"Statement":{"Effect":"Allow","Principal":{"__proto__":"x"},"Action":"a:b","Resource":"*"}}',
    ],
  ])('__proto__ as an element (%s) is an unknown element and pollutes nothing', (_name, text) => {
    const result = parsePolicy(text);
    expect(result.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('__proto__, constructor and prototype as condition keys are plain keys', () => {
    const result = parsePolicy(
      '{"Statement":{"Effect":"Allow","Action":"a:b","Resource":"*","Condition":{"StringEquals":{"__proto__":"x","constructor":"y","prototype":"z"}}}}',
    );
    expect(result.ok).toBe(true);
    expect(result.policy?.statements[0]?.conditions.map((clause) => clause.key)).toEqual([
      '__proto__',
      'constructor',
      'prototype',
    ]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('an object input with an own __proto__ key is read as data', () => {
    const input = JSON.parse(
      '{"__proto__":{"x":1},"Statement":{"Effect":"Allow","Action":"a:b","Resource":"*"}}',
    );
    expect(codes(input).sort()).toEqual(['missing-version', 'unknown-element']);
  });
});

describe('parsePolicy: positions', () => {
  const text = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject"
      ],
      "Resource": "arn:aws:s3:::b/*"
    },
    {
      "Effect": "Deny",
      "Principal": {"AWS": "*"},
      "NotAction": "s3:*",
      "Resource": "*",
      "Condition": {"Bool": {"aws:SecureTransport": false}}
    }
  ]
}`;
  const policy = parsePolicy(text).policy;
  const [first, second] = policy?.statements ?? [];

  it('records the statement objects', () => {
    expect(first?.pos).toMatchObject({ line: 4, column: 5 });
    expect(second?.pos).toMatchObject({ line: 12, column: 5 });
  });

  it('records element keys and each value', () => {
    expect(first?.elementPos.Action).toMatchObject({ line: 6, column: 7 });
    expect(first?.valuePos.Action).toEqual([
      { line: 7, column: 9, offset: text.indexOf('"s3:GetObject"') },
      { line: 8, column: 9, offset: text.indexOf('"s3:PutObject"') },
    ]);
    expect(first?.valuePos.Resource?.[0]).toMatchObject({ line: 10, column: 19 });
    expect(second?.valuePos.NotAction?.[0]).toMatchObject({ line: 15, column: 20 });
  });

  it('records condition operator and key, and the principal', () => {
    expect(second?.conditions[0]?.pos).toMatchObject({ line: 17, column: 21 });
    expect(second?.conditions[0]?.keyPos).toMatchObject({ line: 17, column: 30 });
    expect(second?.conditions[0]?.values).toEqual(['false']);
    expect(second?.principal?.pos).toMatchObject({ line: 14, column: 20 });
    expect(second?.principal?.aws).toEqual(['*']);
    expect(second?.principal?.wildcard).toBe(false);
  });

  it('issues point at the offending line', () => {
    const result = parsePolicy(text.replace('"Effect": "Deny"', '"Effect": "deny"'));
    expect(result.issues[0]).toMatchObject({
      code: 'invalid-effect',
      path: 'Statement[1].Effect',
      line: 13,
      column: 17,
    });
  });
});

const ok = '"Effect":"Allow","Action":"s3:GetObject","Resource":"*"';
const statement = (body: string) => `{"Version":"2012-10-17","Statement":[{${body}}]}`;

// Every code the parser emits, with an input that triggers it. Sources, per rule:
// elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
// grammar (exact element names, value types): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// Version: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
// Effect (case-sensitive Allow/Deny): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html
// Principal: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// Resource: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// Sid: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
// Condition: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
// quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const ISSUE_CASES: readonly [code: string, severity: string, input: unknown, options?: ParseOptions][] = [
  ['too-large', 'ERROR', ' '.repeat(1024 * 1024 + 1)],
  ['invalid-url-encoding', 'ERROR', '%7B%ZZ'],
  ['invalid-json', 'ERROR', '{"Version":"2012-10-17",}'],
  ['too-deep', 'ERROR', `${'['.repeat(65)}${']'.repeat(65)}`],
  ['duplicate-key', 'ERROR', statement(`${ok},"Sid":"a","Sid":"b"`)],
  ['not-an-object', 'ERROR', '["Statement"]'],
  ['unknown-element', 'ERROR', statement(`${ok},"effect":"Deny"`)],
  ['invalid-type', 'ERROR', statement('"Effect":"Allow","Action":5,"Resource":"*"')],
  ['empty-array', 'ERROR', statement('"Effect":"Allow","Action":[],"Resource":"*"')],
  ['missing-statement', 'ERROR', '{"Version":"2012-10-17"}'],
  ['invalid-version', 'ERROR', '{"Version":"2012-10-18","Statement":[]}'],
  ['missing-version', 'WARNING', `{"Statement":{${ok}}}`],
  ['missing-effect', 'ERROR', statement('"Action":"a:b","Resource":"*"')],
  ['invalid-effect', 'ERROR', statement('"Effect":"allow","Action":"a:b","Resource":"*"')],
  ['missing-action', 'ERROR', statement('"Effect":"Allow","Resource":"*"')],
  ['conflicting-elements', 'ERROR', statement(`${ok},"NotAction":"a:b"`)],
  ['missing-resource', 'ERROR', statement('"Effect":"Allow","Action":"a:b"'), { type: 'identity' }],
  [
    'resource-not-allowed',
    'ERROR',
    statement(`${ok},"Principal":{"Service":"ec2.amazonaws.com"}`),
    { type: 'trust' },
  ],
  ['missing-principal', 'ERROR', statement(ok), { type: 'resource' }],
  ['principal-not-allowed', 'ERROR', statement(`${ok},"Principal":"*"`), { type: 'identity' }],
  ['invalid-principal', 'ERROR', statement(`${ok},"Principal":"arn:aws:iam::123456789012:root"`)],
  ['invalid-condition', 'ERROR', statement(`${ok},"Condition":{"StringEquals":"x"}`)],
  [
    'invalid-condition-operator',
    'ERROR',
    statement(`${ok},"Condition":{"ForSomeValues:StringEquals":{"a:b":"x"}}`),
  ],
  ['invalid-condition-value', 'ERROR', statement(`${ok},"Condition":{"StringEquals":{"a:b":null}}`)],
  ['invalid-sid', 'ERROR', statement(`${ok},"Sid":"Allow-Read"`), { type: 'identity' }],
  [
    'duplicate-sid',
    'ERROR',
    `{"Version":"2012-10-17","Statement":[{"Sid":"A",${ok}},{"Sid":"A",${ok}}]}`,
    { type: 'identity' },
  ],
  [
    'policy-too-large',
    'ERROR',
    statement(`"Effect":"Allow","Action":"a:b","Resource":"${'x'.repeat(2100)}"`),
    { type: 'identity', attachedTo: 'user-inline' },
  ],
];

describe('parsePolicy: issue codes', () => {
  it.each(ISSUE_CASES)('%s (%s)', (code, severity, input, options) => {
    const result = parsePolicy(input, options);
    expect(result.issues.map((issue) => [issue.code, issue.severity])).toContainEqual([code, severity]);
    expect(result.ok).toBe(!result.issues.some((issue) => issue.severity === 'ERROR'));
  });

  it('every code but internal-error has a case (internal-error is reserved for parser bugs)', () => {
    const covered = new Set(ISSUE_CASES.map(([code]) => code));
    expect(PARSE_ISSUE_CODES.filter((code) => !covered.has(code))).toEqual(['internal-error']);
  });

  it('ok is true for a clean policy', () => {
    expect(parsePolicy(statement(ok))).toMatchObject({ ok: true, issues: [] });
  });

  it('a warning alone keeps the policy ok', () => {
    const result = parsePolicy(`{"Statement":{${ok}}}`);
    expect(result.ok).toBe(true);
    expect(result.policy?.statements).toHaveLength(1);
  });

  it.each([
    ['invalid Effect', statement('"Effect":"Allow ","Action":"*","Resource":"*"')],
    [
      'unknown element (a misspelt Condition)',
      statement(`${ok},"Condtion":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`),
    ],
    ['condition value that cannot be read', statement(`${ok},"Condition":{"StringEquals":{"a:b":{"c":1}}}`)],
    ['one bad Action value', statement('"Effect":"Allow","Action":["s3:GetObject",null],"Resource":"*"')],
  ])('a statement with an ERROR (%s) is left out', (_name, text) => {
    const result = parsePolicy(text);
    expect(result.ok).toBe(false);
    expect(result.policy?.statements).toEqual([]);
  });

  it('suggests the right case for a misspelt element', () => {
    const issue = parsePolicy(statement(`${ok},"condition":{}`)).issues[0];
    expect(issue?.fix).toBe("Write 'Condition'");
  });
});

describe('parsePolicy: Version', () => {
  it.each([
    ['2012-10-17', true],
    ['2008-10-17', false],
  ])('Version %s: variables enabled = %s', (version, enabled) => {
    const result = parsePolicy(`{"Version":"${version}","Statement":{${ok}}}`);
    expect(result.ok).toBe(true);
    expect(result.policy?.version).toBe(version);
    expect(result.policy?.variablesEnabled).toBe(enabled);
  });

  it('no Version: a warning, variables disabled', () => {
    const result = parsePolicy(`{"Statement":{${ok}}}`);
    expect(result.policy?.version).toBeUndefined();
    expect(result.policy?.variablesEnabled).toBe(false);
  });

  // "Every SCP must include a Version element with a value of 2012-10-17"
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
  it.each([
    ['scp', `{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`, 'missing-version'],
    [
      'scp',
      `{"Version":"2008-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`,
      'invalid-version',
    ],
    ['rcp', `{"Statement":{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}}`, 'missing-version'],
  ] as const)('%s: %s is an ERROR %s', (type, text, code) => {
    const result = parsePolicy(text, { type });
    expect(result.issues.map((issue) => [issue.code, issue.severity])).toContainEqual([code, 'ERROR']);
  });
});

describe('parsePolicy: elements by policy type', () => {
  const withPrincipal = statement(`${ok},"Principal":{"AWS":"arn:aws:iam::123456789012:root"}`);
  const noPrincipal = statement(ok);
  const noResource = statement('"Effect":"Allow","Action":"a:b","Principal":{"Service":"ec2.amazonaws.com"}');
  const noResourceNoPrincipal = statement('"Effect":"Deny","Action":"a:b"');
  it.each<[PolicyType | undefined, string, readonly string[]]>([
    ['identity', noPrincipal, []],
    ['identity', withPrincipal, ['principal-not-allowed']],
    ['boundary', withPrincipal, ['principal-not-allowed']],
    ['session', withPrincipal, ['principal-not-allowed']],
    ['scp', withPrincipal, ['principal-not-allowed']],
    ['scp', noResourceNoPrincipal, []],
    ['resource', withPrincipal, []],
    ['resource', noPrincipal, ['missing-principal']],
    ['trust', noResource, []],
    ['trust', noPrincipal, ['missing-principal', 'resource-not-allowed']],
    ['rcp', withPrincipal, []],
    ['endpoint', noResourceNoPrincipal, []],
    ['identity', noResourceNoPrincipal, ['missing-resource']],
    ['boundary', noResourceNoPrincipal, ['missing-resource']],
    ['session', noResourceNoPrincipal, ['missing-resource']],
    // ECR and other services imply the resource a resource-based policy is attached to.
    ['resource', noResource, []],
    [undefined, withPrincipal, []],
    [undefined, noResourceNoPrincipal, []],
  ])('%s policy %s → %j', (type, text, expected) => {
    expect(codes(text, type === undefined ? {} : { type }).sort()).toEqual([...expected].sort());
  });

  it.each([
    ['"*"', { wildcard: true, aws: [] }],
    ['{"AWS":"*"}', { wildcard: false, aws: ['*'] }],
    [
      '{"AWS":["arn:aws:iam::1:root","2"],"Service":"s3.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"abc"}',
      {
        wildcard: false,
        aws: ['arn:aws:iam::1:root', '2'],
        service: ['s3.amazonaws.com'],
        federated: ['cognito-identity.amazonaws.com'],
        canonicalUser: ['abc'],
      },
    ],
  ])('Principal %s', (principal, expected) => {
    const result = parsePolicy(statement(`${ok},"Principal":${principal}`), { type: 'resource' });
    expect(result.ok).toBe(true);
    expect(result.policy?.statements[0]?.principal).toMatchObject(expected);
  });

  it.each([['{}'], ['{"aws":"*"}'], ['{"AWS":[]}'], ['{"AWS":5}'], ['["*"]'], ['"arn:aws:iam::1:root"']])(
    'rejects Principal %s',
    (principal) => {
      expect(parsePolicy(statement(`${ok},"Principal":${principal}`), { type: 'resource' }).ok).toBe(false);
    },
  );

  it('reads NotPrincipal like Principal', () => {
    const result = parsePolicy(
      statement(`"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"Action":"*","Resource":"*"`),
      {
        type: 'resource',
      },
    );
    expect(result.ok).toBe(true);
    expect(result.policy?.statements[0]?.notPrincipal?.aws).toEqual(['arn:aws:iam::1:root']);
  });

  it.each<[PolicyType | undefined, string]>([
    ['identity', 'ERROR'],
    ['scp', 'ERROR'],
    ['resource', 'WARNING'],
    [undefined, 'WARNING'],
  ])('non-alphanumeric Sid in a %s policy is %s', (type, severity) => {
    const result = parsePolicy(statement(`${ok},"Sid":"Allow read"`), type === undefined ? {} : { type });
    expect(result.issues.find((issue) => issue.code === 'invalid-sid')?.severity).toBe(severity);
  });
});

describe('parsePolicy: size quotas', () => {
  // Builds a policy whose IAM size (no whitespace) is exactly `size` characters.
  const ofSize = (size: number, pad = '') => {
    const base = (resource: string) =>
      `{"Statement":{"Effect":"Deny","Action":"a:b","Resource":"${resource}"}}`;
    const fixed = base('').length;
    return base('x'.repeat(size - fixed)).replace('{"Statement"', `{${pad}"Statement"`);
  };

  it.each<[string, ParseOptions, number]>([
    ['managed identity (default)', { type: 'identity' }, 6144],
    ['managed identity', { type: 'identity', attachedTo: 'managed' }, 6144],
    ['user inline', { type: 'identity', attachedTo: 'user-inline' }, 2048],
    ['group inline', { type: 'identity', attachedTo: 'group-inline' }, 5120],
    ['role inline', { type: 'identity', attachedTo: 'role-inline' }, 10240],
    ['permissions boundary', { type: 'boundary' }, 6144],
    ['trust policy', { type: 'trust' }, 2048],
    ['session policy', { type: 'session' }, 2048],
    ['SCP', { type: 'scp' }, 5120],
    ['RCP', { type: 'rcp' }, 5120],
  ])('%s: %o allows exactly %i characters', (_name, options, limit) => {
    const tooLarge = (text: string) => codes(text, options).includes('policy-too-large');
    expect(tooLarge(ofSize(limit))).toBe(false);
    expect(tooLarge(ofSize(limit + 1))).toBe(true);
  });

  it('IAM does not count whitespace outside strings', () => {
    const padded = ofSize(2048, ' \n\t'.repeat(100));
    expect(parsePolicy(padded).policy?.size).toBe(2048);
    expect(codes(padded, { type: 'identity', attachedTo: 'user-inline' })).not.toContain('policy-too-large');
  });

  // "All characters in your SCP count against its maximum size"
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
  it('Organizations counts whitespace too', () => {
    const padded = ofSize(5100, ' '.repeat(100));
    expect(codes(padded, { type: 'scp' })).toContain('policy-too-large');
    expect(codes(ofSize(5100), { type: 'scp' })).not.toContain('policy-too-large');
  });

  it.each<[string, ParseOptions]>([
    ['resource-based policies (per-service quotas)', { type: 'resource' }],
    ['AWS managed policies', { type: 'identity', attachedTo: 'aws-managed' }],
    ['an unknown type', {}],
  ])('no quota for %s', (_name, options) => {
    expect(codes(ofSize(20_000), options)).not.toContain('policy-too-large');
  });
});

describe('parsePolicy: bounded work on hostile input', () => {
  it('refuses text over 1 MiB without parsing it', () => {
    const result = parsePolicy(`{"Statement":[${'{},'.repeat(400_000)}{}]}`);
    expect(result.issues.map((issue) => issue.code)).toEqual(['too-large']);
  });

  it('refuses deep nesting in text', () => {
    expect(codes(`{"Statement":${'['.repeat(10_000)}${']'.repeat(10_000)}}`)).toEqual(['too-deep']);
  });

  it('refuses cyclic and deep objects', () => {
    const cyclic: Record<string, unknown> = { Version: '2012-10-17' };
    cyclic.Statement = cyclic;
    expect(codes(cyclic)).toEqual(['too-deep']);
  });

  it.each([
    [
      'a throwing getter',
      Object.defineProperty({}, 'Statement', {
        enumerable: true,
        get: () => {
          throw new Error('boom');
        },
      }),
    ],
    ['a Date', { Statement: new Date(0) }],
    ['undefined', { Statement: undefined }],
    ['a function', { Statement: () => 1 }],
    ['NaN', { Version: Number.NaN }],
    ['a huge sparse array', { Statement: new Array(2 ** 30) }],
  ])('reports an object holding %s as invalid', (_name, input) => {
    const result = parsePolicy(input);
    expect(result.ok).toBe(false);
    expect(result.issues.map((issue) => issue.code)).not.toContain('internal-error');
  });

  it('echoes at most a short, one-line piece of policy text in messages', () => {
    const long = `Allow\n${'x'.repeat(100_000)}`;
    const result = parsePolicy(statement(`"Effect":${JSON.stringify(long)},"Action":"a:b","Resource":"*"`));
    const message = result.issues[0]?.message ?? '';
    expect(message.length).toBeLessThan(300);
    expect(message).not.toContain('\n');
  });

  it.each([[undefined], [null], [42], [['Statement']], [Symbol('x')], [10n]])(
    'reports %s as not a policy',
    (input) => {
      expect(codes(input)).toEqual(['not-an-object']);
    },
  );
});

describe('parsePolicy: the normalised statement', () => {
  it('has its members in the documented order, optional ones only when present', () => {
    const result = parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Condition: { Bool: { 'aws:SecureTransport': 'true' } },
            NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' },
            NotResource: 'arn:aws:s3:::b/*',
            NotAction: 's3:Get*',
            Effect: 'Deny',
            Sid: 'All',
          },
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
        ],
      },
      { type: 'resource' },
    );
    expect(Object.keys(result.policy!)).toEqual(['version', 'statements', 'variablesEnabled', 'size', 'pos']);
    const [all, plain] = result.policy!.statements;
    expect(Object.keys(all!)).toEqual([
      'index',
      'sid',
      'effect',
      'notAction',
      'notResource',
      'notPrincipal',
      'conditions',
      'pos',
      'elementPos',
      'valuePos',
    ]);
    expect(Object.keys(plain!)).toEqual([
      'index',
      'effect',
      'action',
      'resource',
      'principal',
      'conditions',
      'pos',
      'elementPos',
      'valuePos',
    ]);
  });
});
