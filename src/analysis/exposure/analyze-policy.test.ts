import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../policy/parse/index.js';
import { analyzePolicyExposure, type ExposureTarget, type ExternalGrant } from './analyze-policy.js';
import { makeTrustZone, type ZoneOptions } from './zone.js';

const OWNER = '111122223333';
const FOREIGN = '444455556666';
const QUEUE: ExposureTarget = {
  arn: `arn:aws:sqs:eu-west-1:${OWNER}:q`,
  accountId: OWNER,
  kind: 'resource',
  service: 'sqs',
};
const ROLE: ExposureTarget = {
  arn: `arn:aws:iam::${OWNER}:role/r`,
  accountId: OWNER,
  kind: 'trust',
  service: 'iam',
};
const BUCKET: ExposureTarget = { arn: 'arn:aws:s3:::b', accountId: OWNER, kind: 'resource', service: 's3' };

function grants(
  statement: Record<string, unknown>,
  target: ExposureTarget = QUEUE,
  zone: ZoneOptions = {},
): ExternalGrant[] {
  const parsed = parsePolicy(
    { Version: '2012-10-17', Statement: [statement] },
    { type: target.kind === 'trust' ? 'trust' : 'resource' },
  );
  if (!parsed.policy) throw new Error('fixture did not parse');
  return [
    ...analyzePolicyExposure(
      { name: 'p', policy: parsed.policy, issues: parsed.issues },
      target,
      makeTrustZone(OWNER, zone),
    ).grants,
  ];
}

const send = { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: QUEUE.arn };

/** `class:principal[narrowed keys]` for compact assertions on who is outside the zone. */
function external(gs: readonly ExternalGrant[]): string[] {
  return gs
    .filter((g) => !g.inZone)
    .map(
      (g) =>
        `${g.principalClass}:${g.account ?? g.principal}${g.narrowedBy.length > 0 ? `[${g.narrowedBy.map((n) => n.key).join(',')}]` : ''}`,
    );
}

describe('analyzePolicyExposure', () => {
  // Zone of trust and what counts as external access:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html
  // Conditions in a statement are ANDed; a missing key fails a condition (except negated operators and IfExists):
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
  it.each<[string, Record<string, unknown>, ZoneOptions, string[]]>([
    [
      'Principal * with no condition is public',
      { ...send, Principal: '*' },
      {},
      ['any-account:999999999999', 'anyone:*'],
    ],
    [
      'the owner account only is not external',
      { ...send, Principal: { AWS: `arn:aws:iam::${OWNER}:root` } },
      {},
      [],
    ],
    [
      'a named foreign account is external',
      { ...send, Principal: { AWS: FOREIGN } },
      {},
      [`account:${FOREIGN}`],
    ],
    [
      'a trusted foreign account is not',
      { ...send, Principal: { AWS: FOREIGN } },
      { trustedAccounts: [FOREIGN] },
      [],
    ],
    [
      'aws:PrincipalOrgID of a trusted organization keeps outsiders out',
      { ...send, Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-ours' } } },
      { trustedOrganizations: ['o-ours'] },
      [],
    ],
    [
      'aws:PrincipalOrgID of an untrusted organization lets its members in',
      { ...send, Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-theirs' } } },
      { trustedOrganizations: ['o-ours'] },
      ['any-account:999999999999'],
    ],
    [
      "aws:SourceVpce to a named endpoint is taken as the owner's when no endpoints are configured",
      { ...send, Principal: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } },
      {},
      [],
    ],
    [
      'aws:SourceVpce to an endpoint outside the configured ones is external',
      { ...send, Principal: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } },
      { trustedVpces: ['vpce-00000000'] },
      ['any-account:999999999999', 'anyone:*'],
    ],
    [
      'aws:SourceIp narrows public access to a range',
      { ...send, Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
      {},
      ['any-account:999999999999[aws:SourceIp]', 'anyone:*[aws:SourceIp]'],
    ],
    [
      'a Deny for outside organizations removes the grant',
      {
        ...send,
        Principal: '*',
        Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-ours' } },
        Effect: 'Deny',
      },
      { trustedOrganizations: ['o-ours'] },
      [],
    ],
  ])('%s', (_name, statement, zone, want) => {
    expect(external(grants(statement, QUEUE, zone))).toEqual(want);
  });

  it('reports the actions a public grant allows and the deciding statement', () => {
    const [g] = grants({ ...send, Sid: 'Open', Principal: '*' }).filter((x) => x.principalClass === 'anyone');
    expect(g?.actions).toEqual(['sqs:SendMessage']);
    expect(g?.evidence?.sid).toBe('Open');
  });

  // A service principal without aws:SourceAccount/aws:SourceArn can act for any account's resource:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
  it.each<[string, Record<string, unknown> | undefined, boolean]>([
    ['no source condition', undefined, true],
    ['aws:SourceAccount of the owner', { StringEquals: { 'aws:SourceAccount': OWNER } }, false],
    [
      'aws:SourceArn of the owner',
      { ArnLike: { 'aws:SourceArn': `arn:aws:sns:eu-west-1:${OWNER}:topic` } },
      false,
    ],
  ])('a service principal with %s', (_n, condition, want) => {
    const gs = grants({
      ...send,
      Principal: { Service: 's3.amazonaws.com' },
      ...(condition ? { Condition: condition } : {}),
    });
    expect(gs.some((g) => g.principalClass === 'service' && g.withoutSourceCondition)).toBe(want);
  });

  it('a service acting for a named foreign account is reported with that account', () => {
    const gs = grants({
      ...send,
      Principal: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': FOREIGN } },
    });
    expect(external(gs)).toEqual([`service:${FOREIGN}`]);
  });

  // sts:ExternalId in a role trust policy: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
  it('marks a foreign trust that needs sts:ExternalId', () => {
    const gs = grants(
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${FOREIGN}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'secret-ish' } },
      },
      ROLE,
    );
    expect(gs.map((g) => [g.account, g.externalId])).toEqual([[FOREIGN, true]]);
  });

  it('a foreign trust without ExternalId is not marked', () => {
    const gs = grants({ Effect: 'Allow', Principal: { AWS: FOREIGN }, Action: 'sts:AssumeRole' }, ROLE);
    expect(gs.map((g) => [g.account, g.externalId])).toEqual([[FOREIGN, false]]);
  });

  it('an OIDC trust narrowed by a subject claim reports the claim', () => {
    const provider = `arn:aws:iam::${OWNER}:oidc-provider/token.actions.githubusercontent.com`;
    const gs = grants(
      {
        Effect: 'Allow',
        Principal: { Federated: provider },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:*' } },
      },
      ROLE,
    );
    expect(external(gs)).toEqual([`federated:${OWNER}[token.actions.githubusercontent.com:sub]`]);
  });

  it('probes objects under a bucket for object actions', () => {
    const gs = grants(
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/public/*' },
      BUCKET,
    );
    expect(gs.filter((g) => g.principalClass === 'anyone').map((g) => g.actions)).toEqual([['s3:GetObject']]);
  });

  it('a policy with errors is undecidable, never silently safe', () => {
    const gs = grants({
      ...send,
      Principal: '*',
      Condition: { 'ForAnyValues:StringEquals': { 'aws:TagKeys': ['a'] } },
    });
    expect(gs.length).toBeGreaterThan(0);
    expect(gs.every((g) => g.uncertain)).toBe(true);
  });
});
