// biome-ignore-all lint/suspicious/noTemplateCurlyInString: AWS writes ARN and condition-key placeholders as ${Name}
import { describe, expect, it } from 'vitest';
import { IamDataCatalog } from './catalog.js';
import { expandActionPatterns, getCatalog } from './index.js';
import { loadActions } from './load-actions.js';

const catalog = getCatalog();

function names(pattern: string): string[] {
  return [...catalog.expandActionPattern(pattern).set.indices()].map(
    (i) => catalog.actionByIndex(i).fullName,
  );
}

describe('catalogue contents', () => {
  it('holds every AWS action and service', () => {
    expect(catalog.actionCount).toBeGreaterThan(20_000);
    expect(catalog.services().length).toBeGreaterThan(400);
    expect(catalog.dataVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('indexes actions uniquely in lower-cased service:action order', () => {
    let previous = '';
    for (let i = 0; i < catalog.actionCount; i++) {
      const info = catalog.actionByIndex(i);
      expect(info.index).toBe(i);
      const key = info.fullName.toLowerCase();
      expect(key > previous).toBe(true);
      previous = key;
    }
  });

  it('assigns the same indices on every load', () => {
    const again = new IamDataCatalog(loadActions(), catalog.dataVersion);
    expect(again.actionCount).toBe(catalog.actionCount);
    for (let i = 0; i < catalog.actionCount; i += 97) {
      expect(again.actionByIndex(i).fullName).toBe(catalog.actionByIndex(i).fullName);
    }
  });

  it('returns the same catalogue object on repeated calls', () => {
    expect(getCatalog()).toBe(catalog);
  });

  it('rejects an index outside the catalogue', () => {
    expect(() => catalog.actionByIndex(catalog.actionCount)).toThrow(RangeError);
    expect(() => catalog.actionByIndex(-1)).toThrow(RangeError);
  });

  // Prefixes and action names are case-insensitive:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
  it.each(['s3:GetObject', 'S3:getobject', 's3:GETOBJECT'])('looks up %s case-insensitively', (name) => {
    const info = catalog.lookupAction(name);
    expect(info?.fullName).toBe('s3:GetObject');
    expect(info?.service).toBe('s3');
    expect(info?.name).toBe('GetObject');
  });

  it('knows services case-insensitively and lists their actions', () => {
    expect(catalog.hasService('S3')).toBe(true);
    expect(catalog.hasService('s4')).toBe(false);
    const iam = catalog.serviceActions('IAM');
    expect(iam.length).toBeGreaterThan(100);
    expect(iam.every((a) => a.service === 'iam')).toBe(true);
    expect(iam.map((a) => a.name)).toContain('PassRole');
    expect(catalog.serviceActions('no-such-service')).toEqual([]);
  });
});

// Wildcards `*` and `?` in action names, case-insensitive:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
describe('expandActionPattern', () => {
  it('s3:Get* holds s3:GetObject but not s3:PutObject, and only s3 Get actions', () => {
    const got = names('s3:Get*');
    expect(got).toContain('s3:GetObject');
    expect(got).not.toContain('s3:PutObject');
    expect(got.every((n) => n.startsWith('s3:Get'))).toBe(true);
    expect(got.length).toBe(catalog.serviceActions('s3').filter((a) => a.name.startsWith('Get')).length);
  });

  it('* is the full set', () => {
    const e = catalog.expandActionPattern('*');
    expect(e.set.equals(catalog.fullSet())).toBe(true);
    expect(e.set.count()).toBe(catalog.actionCount);
  });

  it('iam:?ut* matches one character then "ut"', () => {
    const got = names('iam:?ut*');
    expect(got).toContain('iam:PutRolePolicy');
    expect(got.every((n) => /^iam:.ut/i.test(n))).toBe(true);
    expect(got).not.toContain('iam:GetRole');
  });

  it('s3:* equals the service action list', () => {
    expect(names('s3:*')).toEqual(catalog.serviceActions('s3').map((a) => a.fullName));
  });

  it('ignores case in pattern and names', () => {
    expect(
      catalog.expandActionPattern('S3:gEt*').set.equals(catalog.expandActionPattern('s3:Get*').set),
    ).toBe(true);
    expect(names('IAM:PASSROLE')).toEqual(['iam:PassRole']);
  });

  it('wildcards in the service part match across services', () => {
    const got = names('*:GetObject');
    expect(got).toContain('s3:GetObject');
    expect(got).toContain('mediastore:GetObject');
  });

  it('flags an unknown service rather than dropping it silently', () => {
    const e = catalog.expandActionPattern('s4:GetObject');
    expect(e.unknownService).toBe(true);
    expect(e.matchedNothing).toBe(false);
    expect(e.set.isEmpty()).toBe(true);
  });

  it('flags a known service whose pattern matches nothing', () => {
    const e = catalog.expandActionPattern('s3:GetObjekt*');
    expect(e.unknownService).toBe(false);
    expect(e.matchedNothing).toBe(true);
    expect(e.set.isEmpty()).toBe(true);
  });

  it.each(['GetObject', 'zz*:Get*', ''])('flags %j, which names no service, as unknown', (pattern) => {
    const e = catalog.expandActionPattern(pattern);
    expect(e.unknownService).toBe(true);
    expect(e.set.isEmpty()).toBe(true);
  });

  it('a successful expansion sets neither flag', () => {
    const e = catalog.expandActionPattern('ec2:Describe*');
    expect(e.unknownService).toBe(false);
    expect(e.matchedNothing).toBe(false);
  });

  it('memoises: the same pattern (in any case) returns the same expansion', () => {
    expect(catalog.expandActionPattern('kms:Decrypt*')).toBe(catalog.expandActionPattern('KMS:decrypt*'));
  });

  it('handles attacker-sized patterns without blowing up', () => {
    const longLiteral = `s3:${'a'.repeat(100_000)}`;
    expect(catalog.expandActionPattern(longLiteral).matchedNothing).toBe(true);
    const manyStars = `${'*a'.repeat(40)}*`;
    expect(catalog.expandActionPattern(manyStars).set.isEmpty()).toBe(true);
    expect(
      catalog
        .expandActionPattern(`s3:${'*'.repeat(10_000)}`)
        .set.equals(catalog.expandActionPattern('s3:*').set),
    ).toBe(true);
  });
});

describe('expandActionPatterns', () => {
  it('unions a pattern list and reports the patterns that matched nothing', () => {
    const result = expandActionPatterns(catalog, ['s3:GetObject', 's3:PutObject', 's4:Get*', 'iam:Nope*']);
    expect(result.set.count()).toBe(2);
    expect(result.set.has(catalog.lookupAction('s3:PutObject')!.index)).toBe(true);
    expect(result.unknownService).toEqual(['s4:Get*']);
    expect(result.matchedNothing).toEqual(['iam:Nope*']);
  });

  it('an empty list is the empty set', () => {
    expect(expandActionPatterns(catalog, []).set.isEmpty()).toBe(true);
  });
});

// Global and service condition keys, case-insensitive, with tag-key templates:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys
describe('lookupConditionKey', () => {
  it.each([
    ['aws:SourceIp', 'aws:SourceIp', 'IPAddress', true],
    ['AWS:SOURCEIP', 'aws:SourceIp', 'IPAddress', true],
    ['aws:PrincipalOrgPaths', 'aws:PrincipalOrgPaths', 'ArrayOfString', true],
    ['aws:MultiFactorAuthPresent', 'aws:MultiFactorAuthPresent', 'Bool', true],
    ['aws:CurrentTime', 'aws:CurrentTime', 'Date', true],
    ['aws:PrincipalArn', 'aws:PrincipalArn', 'ARN', true],
    ['aws:RequestTag/team', 'aws:RequestTag/${TagKey}', 'String', true],
    ['aws:ResourceTag/Cost/Center', 'aws:ResourceTag/${TagKey}', 'String', true],
    ['aws:PrincipalTag/department', 'aws:PrincipalTag/${TagKey}', 'String', true],
    ['aws:TagKeys', 'aws:TagKeys', 'ArrayOfString', true],
    ['ec2:SourceInstanceArn', 'ec2:SourceInstanceArn', 'ARN', true],
    ['s3:prefix', 's3:prefix', 'String', false],
    ['s3:ExistingObjectTag/classification', 's3:ExistingObjectTag/<key>', 'String', false],
    ['ec2:ResourceTag/Name', 'ec2:ResourceTag/${TagKey}', 'String', false],
    ['iam:PassedToService', 'iam:PassedToService', 'String', false],
    ['kms:EncryptionContext:project', 'kms:EncryptionContext:${EncryptionContextKey}', 'String', false],
    ['saml:aud', 'saml:aud', 'String', false],
    ['sts:ExternalId', 'sts:ExternalId', 'String', false],
  ])('%s resolves to %s (%s, global %s)', (input, key, type, global) => {
    expect(catalog.lookupConditionKey(input)).toEqual({ key, type, global });
  });

  // Web identity claim keys are named by the issuer:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
  it.each(['token.actions.githubusercontent.com:sub', 'oidc.eks.us-east-1.amazonaws.com/id/ABC123:aud'])(
    'resolves the OIDC claim key %s',
    (key) => {
      expect(catalog.lookupConditionKey(key)).toMatchObject({ type: 'String', global: false });
    },
  );

  it.each([
    'aws:NoSuchKey',
    'aws:RequestTag/',
    's3:NoSuchKey',
    'nosuchservice:key',
    'no-colon',
    '',
    'x'.repeat(5000),
  ])('does not resolve %j', (key) => {
    expect(catalog.lookupConditionKey(key)).toBeUndefined();
  });

  it('never treats a crafted service prefix as a file path', () => {
    expect(catalog.lookupConditionKey('../../package:version')).toBeUndefined();
    expect(catalog.lookupConditionKey('__proto__:x')).toBeUndefined();
  });
});

// Resource types and their ARN formats:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-resources-for-iam-policies
describe('resource types', () => {
  it('lists a service resource types with ARN templates', () => {
    const s3 = catalog.resourceTypes('s3');
    expect(s3.find((t) => t.name === 'object')?.arnTemplate).toBe(
      'arn:${Partition}:s3:::${BucketName}/${ObjectName}',
    );
    expect(s3.every((t) => t.service === 's3')).toBe(true);
    expect(catalog.resourceTypes('nope')).toEqual([]);
    expect(catalog.resourceType('S3', 'BUCKET')?.arnTemplate).toBe('arn:${Partition}:s3:::${BucketName}');
  });

  it('tells which ARN templates an action accepts', () => {
    const getObject = catalog.resourceArnTemplatesForAction(catalog.lookupAction('s3:GetObject')!);
    expect(getObject).toContain('arn:${Partition}:s3:::${BucketName}/${ObjectName}');
    expect(getObject).not.toContain('arn:${Partition}:s3:::${BucketName}');
    const passRole = catalog.resourceArnTemplatesForAction(catalog.lookupAction('iam:PassRole')!);
    expect(passRole).toEqual(['arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}']);
  });

  it('an action with no resource types accepts only "*" (no templates)', () => {
    expect(catalog.resourceArnTemplatesForAction(catalog.lookupAction('s3:ListAllMyBuckets')!)).toEqual([]);
  });

  it('every resource type an action names exists in its service', () => {
    for (let i = 0; i < catalog.actionCount; i += 7) {
      const info = catalog.actionByIndex(i);
      expect(catalog.resourceArnTemplatesForAction(info).length).toBe(
        new Set(info.resourceTypes.map((r) => catalog.resourceType(info.service, r.name)?.arnTemplate)).size,
      );
      for (const r of info.resourceTypes) expect(catalog.resourceType(info.service, r.name)).toBeDefined();
    }
  });
});

describe('suggestActions', () => {
  it.each([
    ['s3:GetObjet', 's3:GetObject'],
    ['s3:getobjcet', 's3:GetObject'],
    ['iam:PassRoles', 'iam:PassRole'],
    ['iamm:PassRole', 'iam:PassRole'],
    ['ec2:DescribeInstance', 'ec2:DescribeInstances'],
  ])('suggests %s -> %s first', (typo, expected) => {
    expect(catalog.suggestActions(typo)[0]).toBe(expected);
  });

  it('returns the canonical spelling of a known action', () => {
    expect(catalog.suggestActions('S3:GETOBJECT')).toEqual(['s3:GetObject']);
  });

  it('suggests across services when the service part is missing', () => {
    expect(catalog.suggestActions('PassRole')).toContain('iam:PassRole');
  });

  it('respects the limit and gives nothing for gibberish', () => {
    expect(catalog.suggestActions('s3:Get', 2).length).toBeLessThanOrEqual(2);
    expect(catalog.suggestActions('s3:GetObjet', 0)).toEqual([]);
    expect(catalog.suggestActions('qqqq:zzzzzzzzzzzzzzzzzz')).toEqual([]);
  });
});

// Condition keys per action, including those on its resource types:
// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
describe('action condition keys', () => {
  it.each([
    ['iam:PassRole', 'iam:PassedToService', true],
    ['iam:PassRole', 'IAM:passedtoservice', true],
    ['s3:GetObject', 's3:ExistingObjectTag/classification', true],
    ['s3:GetObject', 'iam:PassedToService', false],
    ['ec2:TerminateInstances', 'ec2:InstanceProfile', true],
    ['ec2:TerminateInstances', 'aws:ResourceTag/Env', true],
    ['ec2:TerminateInstances', 'aws:ResourceTag/', false],
  ])('%s supports %s: %s', (action, key, expected) => {
    expect(catalog.actionSupportsConditionKey(catalog.lookupAction(action)!, key)).toBe(expected);
  });

  it('lists action-level and resource-level keys together', () => {
    const keys = catalog.actionConditionKeys(catalog.lookupAction('ec2:TerminateInstances')!);
    expect(keys).toContain('ec2:InstanceProfile');
    expect(keys).toContain('aws:ResourceTag/${TagKey}');
    expect(new Set(keys).size).toBe(keys.length);
  });
});
