/**
 * Minimal cases found by the differential test (bench/differential.ts --minimize), with the
 * decision AWS documents. Rows marked `knownBug` are open engine bugs reported to the lead: they
 * run as `it.fails`, so the suite stays green while the bug is open and turns red the moment it is
 * fixed — then drop the flag. The other rows pin the behaviour behind each documented divergence
 * (docs/divergences.md), where we agree with AWS and not with the oracle.
 */
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/model/request.js';
import type { SimulateRequest } from './case.js';
import { engineDecision } from './engine.js';

const A = '111122223333';
const B = '444455556666';
const ALICE = `arn:aws:iam::${A}:user/alice`;
const SESSION = `arn:aws:sts::${A}:assumed-role/dev/alice-session`;
const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

interface Row {
  readonly name: string;
  readonly request: SimulateRequest;
  readonly expected: Decision;
  readonly doc: string;
  readonly knownBug?: boolean;
}

const rows: readonly Row[] = [
  {
    name: 'a Deny whose NotResource has an unresolvable variable does not apply',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html',
    request: {
      principal: SESSION,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bucket-a/key1',
      resourceAccount: A,
      context: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/dev` },
      policies: {
        identity: [
          {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: '*', Resource: '*' },
              { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::x/${aws:username}' },
            ],
          },
        ],
      },
    },
    expected: 'Allowed',
  },
  {
    name: 'an Allow whose NotResource has an unresolvable variable grants nothing',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html',
    request: {
      principal: SESSION,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bucket-a/key1',
      resourceAccount: A,
      context: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/dev` },
      policies: {
        identity: [
          {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::x/${aws:username}/*' },
            ],
          },
        ],
      },
    },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'a same-account trust policy naming the user still needs its boundary to allow sts:AssumeRole',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html',
    request: {
      principal: ALICE,
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${A}:role/dev`,
      resourceAccount: A,
      context: {},
      policies: {
        boundary: [
          { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
        ],
        resource: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'sts:AssumeRole', Resource: '*' },
          ],
        },
      },
    },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'RCPs do not restrict services outside the RCP-supported list (IAM)',
    doc: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html',
    request: {
      principal: ALICE,
      action: 'iam:GetUser',
      resource: ALICE,
      resourceAccount: A,
      context: {},
      policies: {
        identity: [allowAll],
        rcp: [
          [
            {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
            },
            {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Deny', Principal: '*', Action: 'iam:*', Resource: '*' }],
            },
          ],
        ],
      },
    },
    expected: 'Allowed',
  },
  {
    name: 'under Version 2008-10-17 a variable is literal text',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html',
    request: {
      principal: ALICE,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bucket-a/home/alice/notes.txt',
      resourceAccount: A,
      context: { 'aws:username': 'alice' },
      policies: {
        identity: [
          {
            Version: '2008-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 's3:GetObject',
                Resource: 'arn:aws:s3:::bucket-a/home/${aws:username}/*',
              },
            ],
          },
        ],
      },
    },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'a Deny NotPrincipal listing the user but not its account still denies it',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html',
    request: {
      principal: ALICE,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bucket-a/key1',
      resourceAccount: A,
      context: {},
      policies: {
        identity: [allowAll],
        resource: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: [ALICE] }, Action: '*', Resource: '*' }],
        },
      },
    },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'a Deny NotPrincipal listing the user and its account exempts it',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html',
    request: {
      principal: ALICE,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bucket-a/key1',
      resourceAccount: A,
      context: {},
      policies: {
        identity: [allowAll],
        resource: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: [ALICE, A] }, Action: '*', Resource: '*' }],
        },
      },
    },
    expected: 'Allowed',
  },
  {
    name: 'NotIpAddress is true for an IPv6 caller and IPv4-only ranges',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress',
    request: {
      principal: ALICE,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bucket-a/key1',
      resourceAccount: A,
      context: { 'aws:SourceIp': '2001:db8::1' },
      policies: {
        identity: [
          {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 's3:GetObject',
                Resource: '*',
                Condition: { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } },
              },
            ],
          },
        ],
      },
    },
    expected: 'Allowed',
  },
  {
    name: 'cross-account: the resource policy must allow as well as the identity policy',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html',
    request: {
      principal: ALICE,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bucket-b/key2',
      resourceAccount: B,
      context: {},
      policies: { identity: [allowAll] },
    },
    expected: 'ImplicitlyDenied',
  },
];

describe('differential regressions (minimal cases, AWS-documented answers)', () => {
  for (const row of rows) {
    const run = row.knownBug ? it.fails : it;
    run(`${row.name}${row.knownBug ? ' [open engine bug]' : ''}`, () => {
      expect(engineDecision(row.request)).toBe(row.expected);
    });
  }
});
