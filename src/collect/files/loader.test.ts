import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatInputError } from '../../model/errors.js';
import { loadSnapshot } from '../index.js';
import {
  ACCOUNT,
  authzExport,
  CREDENTIAL_HEADER,
  credentialReport,
  makeTree,
  OTHER,
} from './test-fixtures.js';

const IAM = (account: string) => `account-data/${account}/us-east-1`;

function only<T>(map: ReadonlyMap<string, T>): T {
  expect(map.size).toBe(1);
  return [...map.values()][0]!;
}

describe('loadSnapshot: bad files', () => {
  it('names file, line and column of a JSON syntax error and still loads the other files', async () => {
    const root = await makeTree({
      [`${IAM(ACCOUNT)}/iam-get-account-authorization-details.json`]: authzExport(),
      [`${IAM(ACCOUNT)}/iam-get-account-password-policy.json`]:
        '{\n  "PasswordPolicy": {\n    "MinimumPasswordLength": 14,,\n  }\n}',
    });
    const { snapshot, errors } = await loadSnapshot([join(root, 'account-data')]);
    expect(errors).toHaveLength(1);
    const text = formatInputError(errors[0]!);
    expect(text).toContain('iam-get-account-password-policy.json:3:33');
    expect(text).toMatch(/not valid JSON/);
    const account = only(snapshot.accounts);
    expect(account.users.size).toBe(2);
    expect(account.passwordPolicy.state).toBe('unknown');
    expect(snapshot.load.filesFailed).toBe(1);
    expect(snapshot.load.filesLoaded).toBe(1);
  });

  it('reports a file cut short with the position of its end', async () => {
    const root = await makeTree({ 'authz.json': '{\n  "UserDetailList": [\n' });
    const { errors } = await loadSnapshot([join(root, 'authz.json')]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.details).toMatchObject({ line: 3, column: 1 });
    expect(formatInputError(errors[0]!)).toMatch(/truncated/);
  });

  it('refuses a policy document given as a snapshot file, pointing at lint', async () => {
    const root = await makeTree({ 'p.json': { Version: '2012-10-17', Statement: [] } });
    const { errors } = await loadSnapshot([join(root, 'p.json')]);
    expect(formatInputError(errors[0]!)).toMatch(/policy document.*leastpriv lint/);
  });

  it('reports a path that does not exist', async () => {
    const { errors, snapshot } = await loadSnapshot(['/nonexistent/leastpriv/snapshot']);
    expect(errors[0]!.message).toBe('no such file or folder');
    expect(snapshot.accounts.size).toBe(0);
  });
});

describe('loadSnapshot: authorization-details formats', () => {
  it('reads the URL-encoded documents the raw API returns exactly like the decoded CLI form', async () => {
    const decoded = authzExport();
    const encode = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
    const raw = structuredClone(decoded) as {
      UserDetailList: { UserPolicyList: { PolicyDocument: unknown }[] }[];
      RoleDetailList: { AssumeRolePolicyDocument: unknown }[];
      Policies: { PolicyVersionList: { Document: unknown }[] }[];
    };
    for (const u of raw.UserDetailList)
      for (const p of u.UserPolicyList) p.PolicyDocument = encode(p.PolicyDocument);
    for (const r of raw.RoleDetailList) r.AssumeRolePolicyDocument = encode(r.AssumeRolePolicyDocument);
    for (const p of raw.Policies) for (const v of p.PolicyVersionList) v.Document = encode(v.Document);
    const root = await makeTree({ 'decoded.json': decoded, 'raw.json': raw });
    const a = only((await loadSnapshot([join(root, 'decoded.json')])).snapshot.accounts);
    const b = only((await loadSnapshot([join(root, 'raw.json')])).snapshot.accounts);
    const statements = (acc: typeof a) => ({
      inline: acc.users
        .get(`arn:aws:iam::${ACCOUNT}:user/alice`)!
        .inlinePolicies[0]!.policy.statements.map((s) => [s.effect, s.action]),
      trust: [...acc.roles.values()].map((r) => [r.name, r.roleCategory, r.trust.services]),
      managed: [...acc.managedPolicies.values()].map((p) => [
        p.arn,
        p.document?.ok,
        p.document?.policy.statements[0]?.action,
      ]),
    });
    expect(statements(b)).toEqual(statements(a));
    expect(statements(a).inline).toEqual([['Deny', ['iam:*']]]);
  });

  it('merges paginated pages (a JSON array, concatenated values, or separate files) and flags truncation', async () => {
    const full = authzExport();
    const page1 = { ...full, RoleDetailList: [], Policies: [], IsTruncated: true, Marker: 'abc' };
    const page2 = {
      UserDetailList: [],
      GroupDetailList: [],
      RoleDetailList: full.RoleDetailList,
      Policies: full.Policies,
      IsTruncated: false,
    };
    const root = await makeTree({
      'array.json': [page1, page2],
      'concat.json': `${JSON.stringify(page1)}\n${JSON.stringify(page2)}\n`,
      'pages/page-1.json': page1,
      'pages/page-2.json': page2,
      'first-page-only.json': page1,
    });
    for (const paths of [['array.json'], ['concat.json'], ['pages']]) {
      const { snapshot, errors } = await loadSnapshot(paths.map((p) => join(root, p)));
      expect(errors).toEqual([]);
      const account = only(snapshot.accounts);
      expect([
        account.users.size,
        account.groups.size,
        account.roles.size,
        account.managedPolicies.size,
      ]).toEqual([2, 1, 3, 2]);
      expect(account.gaps.find((g) => g.reason === 'truncated')).toBeUndefined();
    }
    const { snapshot } = await loadSnapshot([join(root, 'first-page-only.json')]);
    expect(only(snapshot.accounts).gaps).toContainEqual(
      expect.objectContaining({ artifact: 'iam-get-account-authorization-details', reason: 'truncated' }),
    );
  });

  it('parses each managed policy once (the default version) and principals refer to it by ARN', async () => {
    const root = await makeTree({ 'a.json': authzExport() });
    const account = only((await loadSnapshot([join(root, 'a.json')])).snapshot.accounts);
    const boundary = account.managedPolicies.get(`arn:aws:iam::${ACCOUNT}:policy/boundary`)!;
    expect(boundary.defaultVersionId).toBe('v2');
    expect(boundary.document?.policy.statements[0]?.action).toEqual(['s3:*']);
    expect(boundary.document?.source).toMatch(/#Policies\[1\]\.PolicyVersionList\[0\]\.Document$/);
    const bot = account.users.get(`arn:aws:iam::${ACCOUNT}:user/ci-bot`)!;
    expect(bot.permissionsBoundary).toEqual({ arn: boundary.arn, name: 'boundary' });
    expect(bot.attachedPolicies).toEqual([
      { arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' },
    ]);
    const group = account.groups.get(`arn:aws:iam::${ACCOUNT}:group/admins`)!;
    expect(group.members).toEqual([`arn:aws:iam::${ACCOUNT}:user/alice`]);
  });

  it('keeps a policy with ERROR issues, marked, never dropped', async () => {
    const broken = authzExport() as {
      UserDetailList: { UserPolicyList: { PolicyName: string; PolicyDocument: unknown }[] }[];
    };
    broken.UserDetailList[0]!.UserPolicyList.push({ PolicyName: 'bad', PolicyDocument: '%7B%22Version' });
    broken.UserDetailList[0]!.UserPolicyList.push({
      PolicyName: 'bad-effect',
      PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Alow', Action: '*', Resource: '*' }] },
    });
    const root = await makeTree({ 'a.json': broken });
    const { snapshot } = await loadSnapshot([join(root, 'a.json')]);
    const alice = only(snapshot.accounts).users.get(`arn:aws:iam::${ACCOUNT}:user/alice`)!;
    expect(alice.inlinePolicies.map((p) => [p.name, p.ok, p.readable])).toEqual([
      ['deny-iam', true, true],
      ['bad', false, false],
      ['bad-effect', false, true],
    ]);
    expect(alice.inlinePolicies[1]!.policy.statements).toEqual([]);
    expect(alice.inlinePolicies[1]!.source).toMatch(
      /#UserDetailList\[0\]\.UserPolicyList\[1\]\.PolicyDocument$/,
    );
    expect(snapshot.load.policiesWithErrors).toBe(2);
  });
});

describe('loadSnapshot: credential report', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html (report format)
  it('reads a report with a BOM and every special value', async () => {
    const root = await makeTree({ 'report.csv': credentialReport(ACCOUNT, true) });
    const { snapshot, errors } = await loadSnapshot([join(root, 'report.csv')]);
    expect(errors).toEqual([]);
    const account = only(snapshot.accounts);
    expect(account.id).toBe(ACCOUNT);
    const report = account.credentialReport!;
    const root_ = report.root!;
    expect(root_.isRoot).toBe(true);
    expect(root_.user).toBe('<root_account>');
    expect(root_.passwordEnabled).toBe('not_supported');
    expect(root_.passwordLastChanged).toBeNull();
    expect(root_.raw.get('password_last_changed')).toBe('not_supported');
    expect(root_.mfaActive).toBe(true);
    expect(account.root.credentials).toBe(root_);
    const alice = report.rows.get(`arn:aws:iam::${ACCOUNT}:user/alice`)!;
    expect(alice.passwordEnabled).toBe(true);
    expect(alice.passwordLastUsed).toBeNull();
    expect(alice.raw.get('password_last_used')).toBe('no_information');
    expect(alice.passwordNextRotation).toBeNull();
    const bot = report.rows.get(`arn:aws:iam::${ACCOUNT}:user/ci-bot`)!;
    expect(bot.accessKeys[0]).toEqual({
      slot: 1,
      active: true,
      lastRotated: '2021-01-02T03:04:05.000Z',
      lastUsedDate: '2024-03-01T00:00:00.000Z',
      lastUsedRegion: 'us-east-1',
      lastUsedService: 's3',
    });
    expect(bot.accessKeys[1]).toMatchObject({ active: false, lastRotated: null, lastUsedRegion: null });
    expect(bot.certificates[0]).toEqual({ slot: 1, active: true, lastRotated: '2021-06-01T00:00:00.000Z' });
    expect(bot.raw.get('access_key_2_last_used_date')).toBe('N/A');
  });

  it('reads the get-credential-report JSON with base64 Content and links rows to users', async () => {
    const root = await makeTree({
      [`${IAM(ACCOUNT)}/iam-get-credential-report.json`]: {
        Content: Buffer.from(credentialReport()).toString('base64'),
        ReportFormat: 'text/csv',
        GeneratedTime: '2024-04-01T00:00:00Z',
      },
      [`${IAM(ACCOUNT)}/iam-get-account-authorization-details.json`]: authzExport(),
    });
    const { snapshot, errors } = await loadSnapshot([join(root, 'account-data', ACCOUNT)]);
    expect(errors).toEqual([]);
    const account = only(snapshot.accounts);
    expect(account.credentialReport?.generatedTime).toBe('2024-04-01T00:00:00.000Z');
    const alice = account.users.get(`arn:aws:iam::${ACCOUNT}:user/alice`)!;
    expect([alice.human, alice.humanReason]).toEqual([true, 'console password']);
    const bot = account.users.get(`arn:aws:iam::${ACCOUNT}:user/ci-bot`)!;
    expect([bot.human, bot.humanReason]).toEqual([false, 'access keys only (no console password)']);
    expect(bot.credentials?.accessKeys[0].active).toBe(true);
  });

  it('rejects a report without the user and arn columns with one clear error', async () => {
    const root = await makeTree({ 'r.csv': 'name,id\nx,y\n' });
    const { errors } = await loadSnapshot([join(root, 'r.csv')]);
    expect(formatInputError(errors[0]!)).toMatch(/r\.csv:1: the credential report has no "user" column/);
  });

  it('reads columns by name when AWS reorders or adds them', async () => {
    const cols = CREDENTIAL_HEADER.split(',');
    const reordered = [...cols.slice(1), cols[0], 'new_column'];
    const values = new Map(cols.map((c) => [c, 'N/A']));
    values
      .set('user', 'bob')
      .set('arn', `arn:aws:iam::${ACCOUNT}:user/bob`)
      .set('password_enabled', 'TRUE')
      .set('mfa_active', 'FALSE');
    const line = reordered.map((c) => values.get(c!) ?? 'x').join(',');
    const root = await makeTree({ 'r.csv': `${reordered.join(',')}\n${line}\n` });
    const { snapshot, errors } = await loadSnapshot([join(root, 'r.csv')]);
    expect(errors).toEqual([]);
    const bob = only(snapshot.accounts).credentialReport!.rows.get(`arn:aws:iam::${ACCOUNT}:user/bob`)!;
    expect([bob.user, bob.passwordEnabled, bob.mfaActive]).toEqual(['bob', true, false]);
  });
});

describe('loadSnapshot: gaps', () => {
  it('records every missing artifact as a gap instead of guessing', async () => {
    const root = await makeTree({ 'a.json': authzExport() });
    const account = only((await loadSnapshot([join(root, 'a.json')])).snapshot.accounts);
    expect(account.gaps.map((g) => g.artifact).sort()).toEqual([
      'iam-get-account-password-policy',
      'iam-get-credential-report',
      'iam-get-service-last-accessed-details',
      'organizations',
    ]);
    expect(account.passwordPolicy).toEqual({ state: 'unknown' });
    expect(account.scpState).toBe('unknown');
    expect(account.scpLevels).toEqual([]);
    const alice = account.users.get(`arn:aws:iam::${ACCOUNT}:user/alice`)!;
    expect(alice.humanReason).toMatch(/unknown/);
  });

  it('treats a recorded error response as a gap with its reason', async () => {
    const root = await makeTree({
      [`${IAM(ACCOUNT)}/iam-get-account-authorization-details.json`]: authzExport(),
      [`${IAM(ACCOUNT)}/iam-get-credential-report.json`]: { Error: { Code: 'AccessDenied', Message: 'no' } },
      [`${IAM(ACCOUNT)}/s3-get-bucket-policy/locked`]: { Error: { Code: 'AccessDenied', Message: 'no' } },
    });
    const { snapshot, errors } = await loadSnapshot([root]);
    expect(errors).toEqual([]);
    const gaps = only(snapshot.accounts).gaps;
    expect(gaps).toContainEqual(
      expect.objectContaining({ artifact: 'iam-get-credential-report', reason: 'access-denied' }),
    );
    expect(gaps).toContainEqual(
      expect.objectContaining({
        artifact: 's3-get-bucket-policy',
        target: 'locked',
        reason: 'access-denied',
      }),
    );
    expect(gaps.filter((g) => g.artifact === 'iam-get-credential-report')).toHaveLength(1);
  });
});

describe('loadSnapshot: CloudMapper layout', () => {
  it('loads account-data with two accounts (named folders), resource policies and listings', async () => {
    const queueUrl = `https://sqs.eu-west-1.amazonaws.com/${OTHER}/jobs`;
    const topicArn = `arn:aws:sns:eu-west-1:${OTHER}:alerts`;
    const policy = (principal: unknown) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: principal, Action: '*', Resource: '*' }],
      });
    const root = await makeTree({
      'account-data/prod/us-east-1/iam-get-account-authorization-details.json': authzExport(ACCOUNT),
      'account-data/prod/us-east-1/iam-get-account-password-policy.json': {
        PasswordPolicy: { MinimumPasswordLength: 14, RequireSymbols: true },
      },
      'account-data/prod/us-east-1/iam-list-account-aliases.json': { AccountAliases: ['acme-prod'] },
      'account-data/prod/us-east-1/s3-list-buckets.json': {
        Buckets: [{ Name: 'public-site' }, { Name: 'private-data' }],
      },
      'account-data/prod/us-east-1/s3-get-bucket-policy/public-site': { Policy: policy('*') },
      'account-data/prod/us-east-1/ec2-describe-instances.json': { Reservations: [] },
      'account-data/dev/us-east-1/iam-get-account-authorization-details.json': authzExport(OTHER),
      [`account-data/dev/eu-west-1/sqs-get-queue-attributes/${encodeURIComponent(queueUrl)}`]: {
        Attributes: { Policy: policy({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) },
      },
      [`account-data/dev/eu-west-1/sns-get-topic-attributes/${encodeURIComponent(topicArn)}`]: {
        Attributes: { TopicArn: topicArn, Policy: policy({ AWS: '*' }) },
      },
      'account-data/dev/eu-west-1/kms-get-key-policy/1234abcd-12ab-34cd-56ef-1234567890ab': {
        Policy: policy({ AWS: `arn:aws:iam::${OTHER}:root` }),
        PolicyName: 'default',
      },
      'account-data/dev/eu-west-1/lambda-get-policy/my-fn': {
        Policy: policy({ Service: 'events.amazonaws.com' }),
        RevisionId: 'x',
      },
      'account-data/dev/eu-west-1/ecr-get-repository-policy/team%2Fimage': {
        policyText: policy('*'),
        repositoryName: 'team/image',
        registryId: OTHER,
      },
      [`account-data/dev/eu-west-1/secretsmanager-get-resource-policy/${encodeURIComponent(`arn:aws:secretsmanager:eu-west-1:${OTHER}:secret:db-AbCdEf`)}`]:
        {
          ARN: `arn:aws:secretsmanager:eu-west-1:${OTHER}:secret:db-AbCdEf`,
          Name: 'db',
          ResourcePolicy: policy({ AWS: `arn:aws:iam::${OTHER}:role/app` }),
        },
    });
    const { snapshot, errors } = await loadSnapshot([join(root, 'account-data')]);
    expect(errors).toEqual([]);
    expect(snapshot.source.layout).toBe('cloudmapper');
    expect([...snapshot.accounts.keys()]).toEqual([ACCOUNT, OTHER]);
    const prod = snapshot.accounts.get(ACCOUNT)!;
    expect([prod.name, prod.alias]).toEqual(['prod', 'acme-prod']);
    expect(prod.passwordPolicy).toMatchObject({
      state: 'set',
      value: { minimumPasswordLength: 14, requireSymbols: true },
    });
    expect([...prod.resources.values()].map((r) => [r.arn, r.policy !== undefined])).toEqual([
      ['arn:aws:s3:::private-data', false],
      ['arn:aws:s3:::public-site', true],
    ]);
    expect(snapshot.load.skipped).toContainEqual(
      expect.objectContaining({ reason: 'not used by leastpriv' }),
    );
    const dev = snapshot.accounts.get(OTHER)!;
    expect([...dev.resources.keys()]).toEqual([
      `arn:aws:ecr:eu-west-1:${OTHER}:repository/team/image`,
      `arn:aws:kms:eu-west-1:${OTHER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      `arn:aws:lambda:eu-west-1:${OTHER}:function:my-fn`,
      `arn:aws:secretsmanager:eu-west-1:${OTHER}:secret:db-AbCdEf`,
      topicArn,
      `arn:aws:sqs:eu-west-1:${OTHER}:jobs`,
    ]);
    for (const r of dev.resources.values()) {
      expect(r.policy?.ok, r.arn).toBe(true);
      expect(r.policy?.type).toBe('resource');
      expect(r.region).toBe('eu-west-1');
    }
    // `leastpriv audit account-data/<account>` must just work too.
    const one = await loadSnapshot([join(root, 'account-data', 'dev')]);
    expect([...one.snapshot.accounts.keys()]).toEqual([OTHER]);
    expect(one.snapshot.accounts.get(OTHER)!.resources.size).toBe(6);
  });

  it('maps service-last-accessed details to their principal via the generate job ids', async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/lambda-exec`;
    const root = await makeTree({
      [`${IAM(ACCOUNT)}/iam-get-account-authorization-details.json`]: authzExport(),
      [`${IAM(ACCOUNT)}/iam-generate-service-last-accessed-details/${encodeURIComponent(arn)}`]: {
        JobId: 'job-1',
      },
      [`${IAM(ACCOUNT)}/iam-get-service-last-accessed-details/job-1`]: {
        JobStatus: 'COMPLETED',
        JobCompletionDate: '2024-01-01T00:00:00Z',
        ServicesLastAccessed: [
          {
            ServiceName: 'Amazon S3',
            ServiceNamespace: 's3',
            LastAuthenticated: '2023-12-01T00:00:00Z',
            TotalAuthenticatedEntities: 1,
          },
          { ServiceName: 'AWS IAM', ServiceNamespace: 'iam', TotalAuthenticatedEntities: 0 },
        ],
      },
    });
    const account = only((await loadSnapshot([root])).snapshot.accounts);
    const la = account.lastAccessed.get(arn)!;
    expect(la.services.map((s) => [s.namespace, s.lastAuthenticated])).toEqual([
      ['iam', null],
      ['s3', '2023-12-01T00:00:00.000Z'],
    ]);
    expect(account.gaps.find((g) => g.artifact === 'iam-get-service-last-accessed-details')).toBeUndefined();
  });
});

describe('loadSnapshot: leastpriv layout with organization', () => {
  const ROOT_ID = 'r-ab12';
  const OU_PROD = 'ou-ab12-prod0001';
  const OU_WORK = 'ou-ab12-work0001';
  const MGMT = '999988887777';
  const scp = (id: string, name: string, doc: unknown) => ({
    [`organization/organizations-describe-policy/${id}`]: {
      Policy: {
        PolicySummary: { Id: id, Name: name, Type: 'SERVICE_CONTROL_POLICY' },
        Content: JSON.stringify(doc),
      },
    },
  });
  const deny = (action: string) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: action, Resource: '*' }],
  });
  const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

  async function orgSnapshot(extra: Record<string, unknown> = {}) {
    return makeTree({
      'manifest.json': {
        schemaVersion: 1,
        tool: { name: 'leastpriv', version: '0.1.0' },
        collectedAt: '2026-11-22T09:00:00.000Z',
        organization: { id: 'o-abc123', managementAccountId: MGMT },
        accounts: [
          { id: ACCOUNT, name: 'prod', status: 'complete' },
          { id: OTHER, name: 'sandbox', status: 'partial' },
          { id: '121212121212', name: 'broken', status: 'failed' },
        ],
        gaps: [
          {
            account: OTHER,
            region: 'us-east-1',
            call: 'iam:GetCredentialReport',
            artifact: 'iam-get-credential-report',
            reason: 'access-denied',
            message: 'AccessDenied',
          },
        ],
      },
      'organization/organizations-describe-organization.json': {
        Organization: { Id: 'o-abc123', MasterAccountId: MGMT },
      },
      'organization/organizations-list-roots.json': {
        Roots: [
          { Id: ROOT_ID, Name: 'Root', PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] },
        ],
      },
      'organization/organizations-list-accounts.json': {
        Accounts: [
          { Id: ACCOUNT, Name: 'prod' },
          { Id: OTHER, Name: 'sandbox' },
          { Id: MGMT, Name: 'mgmt' },
        ],
      },
      [`organization/organizations-list-organizational-units-for-parent/${ROOT_ID}`]: {
        OrganizationalUnits: [{ Id: OU_WORK, Name: 'Workloads' }],
      },
      [`organization/organizations-list-accounts-for-parent/${ROOT_ID}`]: { Accounts: [{ Id: MGMT }] },
      [`organization/organizations-list-organizational-units-for-parent/${OU_WORK}`]: {
        OrganizationalUnits: [{ Id: OU_PROD, Name: 'Prod' }],
      },
      [`organization/organizations-list-accounts-for-parent/${OU_WORK}`]: {
        Accounts: [{ Id: OTHER, Name: 'sandbox' }],
      },
      [`organization/organizations-list-organizational-units-for-parent/${OU_PROD}`]: {
        OrganizationalUnits: [],
      },
      [`organization/organizations-list-accounts-for-parent/${OU_PROD}`]: { Accounts: [{ Id: ACCOUNT }] },
      'organization/organizations-list-policies/SERVICE_CONTROL_POLICY': {
        Policies: [
          { Id: 'p-full', Name: 'FullAWSAccess', AwsManaged: true },
          { Id: 'p-noleave', Name: 'DenyLeave', AwsManaged: false },
          { Id: 'p-noiam', Name: 'DenyIam', AwsManaged: false },
        ],
      },
      ...scp('p-full', 'FullAWSAccess', allowAll),
      ...scp('p-noleave', 'DenyLeave', deny('organizations:LeaveOrganization')),
      ...scp('p-noiam', 'DenyIam', deny('iam:*')),
      'organization/organizations-list-targets-for-policy/p-full': {
        Targets: [ROOT_ID, OU_WORK, OU_PROD, ACCOUNT, OTHER, MGMT].map((TargetId) => ({ TargetId })),
      },
      'organization/organizations-list-targets-for-policy/p-noleave': {
        Targets: [{ TargetId: ROOT_ID, Type: 'ROOT' }],
      },
      'organization/organizations-list-targets-for-policy/p-noiam': {
        Targets: [{ TargetId: OU_PROD, Type: 'ORGANIZATIONAL_UNIT' }],
      },
      [`account-data/${ACCOUNT}/us-east-1/iam-get-account-authorization-details.json`]: authzExport(ACCOUNT),
      [`account-data/${ACCOUNT}/us-east-1/iam-get-credential-report.json`]: {
        Content: Buffer.from(credentialReport(ACCOUNT)).toString('base64'),
        ReportFormat: 'text/csv',
      },
      [`account-data/${OTHER}/us-east-1/iam-get-account-authorization-details.json`]: authzExport(OTHER),
      ...extra,
    });
  }

  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
  it('gives each account its OU path and SCP levels root first, ending with its own', async () => {
    const { snapshot, errors } = await loadSnapshot([await orgSnapshot()]);
    expect(errors).toEqual([]);
    expect(snapshot.source.layout).toBe('leastpriv');
    expect(snapshot.collectedAt).toBe('2026-11-22T09:00:00.000Z');
    expect(snapshot.organization?.managementAccountId).toBe(MGMT);
    const prod = snapshot.accounts.get(ACCOUNT)!;
    expect(prod.orgPath).toEqual([ROOT_ID, OU_WORK, OU_PROD]);
    expect(prod.scpState).toBe('known');
    expect(prod.scpLevels.map((level) => level.map((p) => p.name))).toEqual([
      ['FullAWSAccess', 'DenyLeave'],
      ['FullAWSAccess'],
      ['FullAWSAccess', 'DenyIam'],
      ['FullAWSAccess'],
    ]);
    expect(prod.scpLevels[2]![1]!.type).toBe('scp');
    expect(prod.rcpState).toBe('disabled');
    expect(prod.rcpLevels).toEqual([]);
    expect(prod.name).toBe('prod');
    const sandbox = snapshot.accounts.get(OTHER)!;
    expect(sandbox.orgPath).toEqual([ROOT_ID, OU_WORK]);
    expect(sandbox.scpLevels).toHaveLength(3);
    expect(sandbox.gaps).toContainEqual(
      expect.objectContaining({ artifact: 'iam-get-credential-report', reason: 'access-denied' }),
    );
    // The collector writes no password-policy file when the account has none.
    expect(prod.passwordPolicy).toEqual({ state: 'none' });
    const broken = snapshot.accounts.get('121212121212')!;
    expect(broken.gaps).toContainEqual(
      expect.objectContaining({ artifact: 'account', reason: 'access-denied' }),
    );
  });

  it('makes the SCP levels unknown (with a gap) when a policy document was not collected', async () => {
    const root = await orgSnapshot();
    const { rm } = await import('node:fs/promises');
    await rm(join(root, 'organization/organizations-describe-policy/p-noiam'));
    const { snapshot } = await loadSnapshot([root]);
    const prod = snapshot.accounts.get(ACCOUNT)!;
    expect(prod.scpState).toBe('unknown');
    expect(prod.scpLevels).toEqual([]);
    expect(prod.gaps).toContainEqual(
      expect.objectContaining({ artifact: 'organizations-describe-policy', target: 'p-noiam' }),
    );
  });
});

describe('loadSnapshot: attacker-controlled names and tags', () => {
  it('keeps __proto__ and constructor as plain data', async () => {
    const hostile = authzExport() as {
      UserDetailList: Record<string, unknown>[];
      RoleDetailList: Record<string, unknown>[];
    };
    hostile.UserDetailList[0]!.Tags = [
      { Key: '__proto__', Value: 'polluted' },
      { Key: 'constructor', Value: 'x' },
      { Key: 'toString', Value: 'y' },
    ];
    hostile.UserDetailList.push({
      UserName: '__proto__',
      Arn: `arn:aws:iam::${ACCOUNT}:user/__proto__`,
      GroupList: ['__proto__', 'constructor'],
      UserPolicyList: [
        {
          PolicyName: '__proto__',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [],
            __proto__: { admin: true },
          }),
        },
      ],
    });
    const text = JSON.stringify(hostile).replace(
      '"UserDetailList"',
      '"__proto__":{"polluted":true},"UserDetailList"',
    );
    const root = await makeTree({ 'a.json': text, [`b/${encodeURIComponent('__proto__')}`]: '{}' });
    const { snapshot } = await loadSnapshot([join(root, 'a.json')]);
    const account = only(snapshot.accounts);
    const alice = account.users.get(`arn:aws:iam::${ACCOUNT}:user/alice`)!;
    expect(alice.tags.get('__proto__')).toBe('polluted');
    expect(alice.tags.get('constructor')).toBe('x');
    const proto = account.users.get(`arn:aws:iam::${ACCOUNT}:user/__proto__`)!;
    expect(proto.name).toBe('__proto__');
    expect(proto.groups).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
