import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { athenaDialect, duckdbDialect, render } from '../../src/activity/dialect.js';
import { ingestCloudTrail } from '../../src/activity/ingest.js';
import { findInvestigation, INVESTIGATIONS, runInvestigation } from '../../src/activity/investigations.js';
import { parseSince } from '../../src/activity/since.js';
import { ActivityDb } from '../../src/activity/store.js';
import { trailShowCommand } from '../../src/cli/commands/trail.js';
import type { CliIO } from '../../src/cli/io.js';
import { event, tempDir, writeRecordsGz } from './fixtures.js';

const ACCOUNT = '111122223333';
const alice = {
  type: 'IAMUser',
  principalId: 'AIDAALICE',
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  accessKeyId: 'AKIAALICE00000000001',
  userName: 'alice',
};
const bob = {
  ...alice,
  principalId: 'AIDABOB',
  arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
  userName: 'bob',
  accessKeyId: 'AKIABOB0000000000001',
};
const root = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };
const session = (role: string, key: string, name = 'sess') => ({
  type: 'AssumedRole',
  principalId: `AROA${role}:${name}`,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${name}`,
  accountId: ACCOUNT,
  accessKeyId: key,
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      arn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
      accountId: ACCOUNT,
      userName: role,
    },
    attributes: { mfaAuthenticated: 'false', creationDate: '2026-10-02T00:00:00Z' },
  },
});
const assume = (who: object, role: string, key: string, time: string, name = 'sess') =>
  event({
    userIdentity: who,
    eventTime: time,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`, roleSessionName: name },
    responseElements: {
      credentials: { accessKeyId: key, expiration: 'x' },
      assumedRoleUser: {
        assumedRoleId: `AROA${role}:${name}`,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${name}`,
      },
    },
  });

// The story: alice assumes support (key ASIA1), from which she assumes admin (ASIA2); as admin she
// attaches AdministratorAccess to bob and creates a key for him, which bob uses from a new address.
const E = {
  aliceList: event({
    userIdentity: alice,
    eventTime: '2026-10-01T09:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
  }),
  assumeSupport: assume(alice, 'support', 'ASIA1SUPPORT0000001', '2026-10-02T10:00:00Z'),
  supportDescribe: event({
    userIdentity: session('support', 'ASIA1SUPPORT0000001'),
    eventTime: '2026-10-02T10:01:00Z',
  }),
  assumeAdmin: assume(
    session('support', 'ASIA1SUPPORT0000001'),
    'admin',
    'ASIA2ADMIN000000001',
    '2026-10-02T10:02:00Z',
  ),
  attachAdmin: event({
    userIdentity: session('admin', 'ASIA2ADMIN000000001'),
    eventTime: '2026-10-02T10:03:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'AttachUserPolicy',
    readOnly: false,
    requestParameters: { userName: 'bob', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
  }),
  createKey: event({
    userIdentity: session('admin', 'ASIA2ADMIN000000001'),
    eventTime: '2026-10-02T10:04:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    readOnly: false,
    requestParameters: { userName: 'bob' },
    responseElements: {
      accessKey: { accessKeyId: 'AKIABOBNEWKEY000001', userName: 'bob', status: 'Active' },
    },
  }),
  bobOld: event({ userIdentity: bob, eventTime: '2026-10-01T08:00:00Z', sourceIPAddress: '198.51.100.7' }),
  bobNewKey: event({
    userIdentity: { ...bob, accessKeyId: 'AKIABOBNEWKEY000001' },
    eventTime: '2026-10-03T12:00:00Z',
    sourceIPAddress: '203.0.113.66',
    eventName: 'GetCallerIdentity',
    eventSource: 'sts.amazonaws.com',
  }),
  bobNewKeyAgain: event({
    userIdentity: { ...bob, accessKeyId: 'AKIABOBNEWKEY000001' },
    eventTime: '2026-10-03T12:05:00Z',
    sourceIPAddress: '203.0.113.66',
  }),
  bobSelfInline: event({
    userIdentity: bob,
    eventTime: '2026-10-04T08:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'PutUserPolicy',
    readOnly: false,
    requestParameters: {
      userName: 'bob',
      policyName: 'all',
      policyDocument:
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action": ["s3:*", "*"],"Resource":"*"}]}',
    },
  }),
  narrowInline: event({
    userIdentity: alice,
    eventTime: '2026-10-04T09:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'PutUserPolicy',
    readOnly: false,
    requestParameters: {
      userName: 'alice',
      policyName: 'narrow',
      policyDocument: '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
    },
  }),
  rootLoginNoMfa: event({
    userIdentity: root,
    eventTime: '2026-10-05T07:00:00Z',
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    responseElements: { ConsoleLogin: 'Success' },
    additionalEventData: { MFAUsed: 'No' },
  }),
  rootByService: event({
    userIdentity: { ...root, invokedBy: 'support.amazonaws.com' },
    eventTime: '2026-10-05T07:30:00Z',
    eventName: 'DescribeTrustedAdvisorChecks',
  }),
  aliceLoginMfa: event({
    userIdentity: alice,
    eventTime: '2026-10-05T08:00:00Z',
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    responseElements: { ConsoleLogin: 'Success' },
    additionalEventData: { MFAUsed: 'Yes' },
  }),
  bobLoginFailed: event({
    userIdentity: bob,
    eventTime: '2026-10-05T09:00:00Z',
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    errorMessage: 'Failed authentication',
    responseElements: { ConsoleLogin: 'Failure' },
    additionalEventData: { MFAUsed: 'No' },
  }),
  bobLoginNoMfa: event({
    userIdentity: bob,
    eventTime: '2026-10-05T09:01:00Z',
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    responseElements: { ConsoleLogin: 'Success' },
    additionalEventData: { MFAUsed: 'No' },
  }),
  supportDenied1: event({
    userIdentity: session('support', 'ASIA1SUPPORT0000001'),
    eventTime: '2026-10-02T10:01:30Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    errorCode: 'AccessDenied',
  }),
  supportDenied2: event({
    userIdentity: session('support', 'ASIA3SUPPORT0000002', 'other'),
    eventTime: '2026-10-06T10:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    errorCode: 'Client.UnauthorizedOperation',
  }),
};

let dir: string;
let db: ActivityDb;

beforeAll(async () => {
  dir = tempDir();
  writeRecordsGz(join(dir, 'a.json.gz'), Object.values(E));
  await ingestCloudTrail([dir], { dbPath: join(dir, 'a.duckdb'), threads: 0 });
  db = await ActivityDb.openReadOnly(join(dir, 'a.duckdb'));
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function show(name: string, params: { since?: Date; principal?: string } = {}) {
  return (await runInvestigation(db, findInvestigation(name)!, params)).rows;
}

describe('saved investigations on a fixture with known answers', () => {
  it('iam-changes: the IAM calls that change access, with who did them', async () => {
    const rows = await show('iam-changes');
    expect(rows.map((r) => [r.event_name, r.actor, r.target])).toEqual([
      ['CreateUser', `arn:aws:sts::${ACCOUNT}:assumed-role/support/sess`, null],
      ['AttachUserPolicy', `arn:aws:sts::${ACCOUNT}:assumed-role/admin/sess`, 'bob'],
      ['CreateAccessKey', `arn:aws:sts::${ACCOUNT}:assumed-role/admin/sess`, 'bob'],
      ['PutUserPolicy', alice.arn.replace('alice', 'bob'), 'bob'],
      ['PutUserPolicy', alice.arn, 'alice'],
    ]);
    expect(rows[0]!.error_code).toBe('AccessDenied');
  });

  it('admin-grants: AdministratorAccess attached, and an inline policy allowing "*" granted to oneself', async () => {
    const rows = await show('admin-grants');
    expect(rows.map((r) => [r.how, r.grantee, r.grantee_type, r.self_grant])).toEqual([
      ['AttachUserPolicy', 'bob', 'user', false],
      ['PutUserPolicy', 'bob', 'user', true],
    ]);
  });

  it('root-activity: root calls, not those an AWS service made for root', async () => {
    const rows = await show('root-activity');
    expect(rows.map((r) => [r.event_name, r.mfa_used])).toEqual([['ConsoleLogin', 'No']]);
  });

  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
  it('console-logins-without-mfa: successful IAM user and root sign-ins with MFAUsed No', async () => {
    const rows = await show('console-logins-without-mfa');
    expect(rows.map((r) => r.principal)).toEqual([root.arn, bob.arn]);
  });

  it('access-denied: grouped by the role behind the sessions', async () => {
    const rows = await show('access-denied');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      principal: `arn:aws:iam::${ACCOUNT}:role/support`,
      denied: 2,
      distinct_actions: 2,
      actions: 'ec2.amazonaws.com:RunInstances, iam.amazonaws.com:CreateUser',
    });
  });

  it('principal-timeline: follows alice through support into admin, two hops', async () => {
    const rows = await show('principal-timeline', { principal: alice.arn });
    expect(rows.map((r) => r.event_name)).toEqual([
      'ListUsers',
      'AssumeRole',
      'DescribeInstances',
      'CreateUser',
      'AssumeRole',
      'AttachUserPolicy',
      'CreateAccessKey',
      'PutUserPolicy',
      'ConsoleLogin',
    ]);
    const attach = rows.find((r) => r.event_name === 'AttachUserPolicy')!;
    expect(attach.acting_as).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/admin/sess`);
    expect(attach.assumed_by).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/support/sess`);
    expect(attach.assumed_in_event).toBe(E.assumeAdmin.eventID);
  });

  it('principal-timeline: for a role, names the identity that assumed each session', async () => {
    const rows = await show('principal-timeline', { principal: `arn:aws:iam::${ACCOUNT}:role/support` });
    const describe = rows.find((r) => r.event_name === 'DescribeInstances')!;
    expect(describe.assumed_by).toBe(alice.arn);
    // The other support session was assumed outside the logs: no one to name.
    expect(rows.find((r) => r.event_name === 'RunInstances')!.assumed_by).toBeNull();
  });

  it('new-access-keys: who created a key for whom, and its first use', async () => {
    const rows = await show('new-access-keys');
    expect(rows).toEqual([
      expect.objectContaining({
        created_by: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/sess`,
        for_user: 'bob',
        access_key_id: 'AKIABOBNEWKEY000001',
        first_used: '2026-10-03T12:00:00Z',
        first_used_from: '203.0.113.66',
        first_call: 'GetCallerIdentity',
        uses: 2,
      }),
    ]);
  });

  it('new-source: an address never seen before for bob, and --since moves the baseline', async () => {
    const rows = await show('new-source', { principal: bob.arn });
    // bob started from .7; the new key came from .66, then his own calls from .1.
    expect(rows.filter((r) => r.kind === 'ip').map((r) => [r.value, r.events])).toEqual([
      ['203.0.113.66', 2],
      ['198.51.100.1', 3],
    ]);
    const later = await show('new-source', { principal: bob.arn, since: new Date('2026-10-04T00:00:00Z') });
    expect(later.filter((r) => r.kind === 'ip').map((r) => r.value)).toEqual(['198.51.100.1']);
  });

  it('--since keeps only events at or after the time', async () => {
    const rows = await show('iam-changes', { since: new Date('2026-10-04T00:00:00Z') });
    expect(rows.map((r) => r.event_name)).toEqual(['PutUserPolicy', 'PutUserPolicy']);
  });
});

describe('leastpriv trail show', () => {
  function io(): CliIO & { out: string; err: string } {
    const o = {
      out: '',
      err: '',
      stdout: (t: string) => {
        o.out += t;
      },
      stderr: (t: string) => {
        o.err += t;
      },
      readFile: async () => '',
      writeFile: async () => {},
      color: false,
    };
    return o;
  }

  it('masks access key IDs unless --show-key-ids', async () => {
    const masked = io();
    await trailShowCommand('new-access-keys', { db: join(dir, 'a.duckdb'), format: 'json' }, masked);
    expect(JSON.parse(masked.out)[0].access_key_id).toBe('AKIA…0001');
    const shown = io();
    await trailShowCommand(
      'new-access-keys',
      { db: join(dir, 'a.duckdb'), format: 'json', showKeyIds: true },
      shown,
    );
    expect(JSON.parse(shown.out)[0].access_key_id).toBe('AKIABOBNEWKEY000001');
  });

  it.each([
    ['an unknown investigation', 'nope', {}, /no saved investigation "nope"/],
    ['principal-timeline without --principal', 'principal-timeline', {}, /needs --principal/],
    ['a bad --since', 'iam-changes', { since: 'yesterday' }, /--since takes a duration/],
  ])('refuses %s', async (_l, name, options, message) => {
    await expect(trailShowCommand(name, { db: join(dir, 'a.duckdb'), ...options }, io())).rejects.toThrow(
      message,
    );
  });
});

describe('--since', () => {
  const now = new Date('2026-10-31T12:00:00Z');
  it.each([
    ['30d', '2026-10-01T12:00:00.000Z'],
    ['12h', '2026-10-31T00:00:00.000Z'],
    ['2w', '2026-10-17T12:00:00.000Z'],
    ['2026-10-01', '2026-10-01T00:00:00.000Z'],
    ['2026-10-01T08:30:00Z', '2026-10-01T08:30:00.000Z'],
    ['2026-10-01T08:30:00+02:00', '2026-10-01T06:30:00.000Z'],
  ])('%s', (text, iso) => {
    expect(parseSince(text, now)?.toISOString()).toBe(iso);
  });
  it.each(['yesterday', '30', 'd30', '2026-02-31', '2026-13-01', ''])('rejects %j', (text) => {
    expect(parseSince(text, now)).toBeNull();
  });
});

// Athena's standard CloudTrail table: https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table.html
describe('Athena rendering of the saved investigations', () => {
  it('renders console-logins-without-mfa over the standard CloudTrail table', () => {
    const inv = findInvestigation('console-logins-without-mfa')!;
    const { sql, params } = render((d) => inv.build(d, { since: true, principal: false }), athenaDialect);
    expect(sql).toBe(`SELECT from_iso8601_timestamp(eventtime) AS event_time, useridentity.arn AS principal,
  useridentity.type AS identity_type, useridentity.accountid AS account,
  sourceipaddress AS source_ip, useragent AS user_agent,
  json_extract_scalar(additionaleventdata, '$.MFAUsed') AS mfa_used, eventid AS event_id
FROM cloudtrail_logs
WHERE eventname = 'ConsoleLogin' AND useridentity.type IN ('IAMUser', 'Root')
  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
  AND coalesce(json_extract_scalar(additionaleventdata, '$.MFAUsed'), 'No') <> 'Yes'
  AND from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp(?)
ORDER BY event_time, event_id`);
    expect(params).toEqual(['since']);
  });

  it('renders new-access-keys with JSON extraction on responseelements', () => {
    const { sql } = render(
      (d) => findInvestigation('new-access-keys')!.build(d, { since: false, principal: false }),
      athenaDialect,
    );
    expect(sql).toContain(
      "json_extract_scalar(responseelements, '$.accessKey.userName') AS for_user, json_extract_scalar(responseelements, '$.accessKey.accessKeyId') AS access_key_id",
    );
    expect(sql).toContain('WHERE useridentity.accesskeyid IN (SELECT access_key_id FROM created)');
  });

  const STANDARD_COLUMNS = new Set([
    'eventversion',
    'useridentity',
    'eventtime',
    'eventsource',
    'eventname',
    'awsregion',
    'sourceipaddress',
    'useragent',
    'errorcode',
    'errormessage',
    'requestparameters',
    'responseelements',
    'additionaleventdata',
    'requestid',
    'eventid',
    'resources',
    'eventtype',
    'apiversion',
    'readonly',
    'recipientaccountid',
    'serviceeventdetails',
    'sharedeventid',
    'vpcendpointid',
  ]);

  it.each(INVESTIGATIONS.map((i) => [i.name, i] as const))(
    '%s uses only Trino syntax and standard columns',
    (_n, inv) => {
      for (const filters of [
        { since: true, principal: true },
        { since: false, principal: inv.requiresPrincipal },
      ]) {
        const athena = render((d) => inv.build(d, filters), athenaDialect);
        const duck = render((d) => inv.build(d, filters), duckdbDialect);
        // No DuckDB-only syntax: $params, :: casts, -> operators, DuckDB function names.
        const code = athena.sql.replace(/'(?:[^']|'')*'/g, "''"); // outside string literals
        const offending =
          /\$[a-z]|::|->|json_extract_string|regexp_matches|string_agg|(FROM|JOIN) events\b/.exec(code);
        expect(offending?.[0]).toBeUndefined();
        expect(athena.sql).toContain('FROM cloudtrail_logs');
        // Same parameters, same order of meaning: one ? per DuckDB $name occurrence.
        expect(athena.params).toEqual(duck.params);
        expect(code.split('?').length - 1).toBe(athena.params.length);
        // Every lower-case column reference of the table is a standard CloudTrail column.
        for (const m of athena.sql.matchAll(
          /(?<![.\w])(useridentity|[a-z]+(?:id|time|source|name|region|address|agent|code|message|parameters|elements|data|type|only))\b/g,
        )) {
          const word = m[1]!;
          if (
            /^(event_|assume|session|first|access_key|created|used|principal|identity|user_agent|source_ip|error_|for_|account|grantee|how|policy|kind|value|denied|distinct|actions|self)/.test(
              word,
            )
          )
            continue;
          if (['from_iso8601_timestamp', 'json_extract_scalar'].includes(word)) continue;
          expect(STANDARD_COLUMNS.has(word), `${word} in ${inv.name}`).toBe(true);
        }
      }
    },
  );
});
