/* biome-ignore-all lint/suspicious/noExplicitAny: the assertions walk parsed JSON of known shape */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootHardwareMfa } from '../../src/checks/root-hardware-mfa.js';
import { serverCertificateExpired } from '../../src/checks/server-certificate-expired.js';
import { runCheck, verdicts } from '../../src/checks/testing/run-check.js';
import {
  COLLECTOR_ACTIONS,
  type CollectAwsResult,
  collectAws,
  type Gap,
} from '../../src/collect/aws/index.js';
import { loadSnapshot } from '../../src/collect/index.js';
import { fastRetryStrategy } from './fast-retry.js';
import { type ReplayServer, startReplayServer } from './replay-server.js';
import {
  ASSUMED,
  accountOf,
  BASE_CREDENTIALS,
  DENIED_KEY,
  DENIED_MEMBER,
  EXTERNAL_ID,
  MANAGEMENT,
  MEMBER,
  MFA_SEED,
  POLICIES,
  recording,
  recordingJson,
  SUSPENDED,
  scenarioHandlers,
} from './scenario.js';

const FAST_POLL = { initialDelayMs: 5, maxDelayMs: 20, maxWaitMs: 3000 };
const root = mkdtempSync(join(tmpdir(), 'leastpriv-collect-'));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}
const gapKey = (g: Gap) => [g.account, g.region ?? '-', g.call, g.target ?? '-', g.reason].join(' ');
const read = (out: string, rel: string) =>
  JSON.parse(readFileSync(join(out, rel), 'utf8')) as Record<string, any>;
const xmlValues = (xml: string, element: string) =>
  [...xml.matchAll(new RegExp(`<${element}>([^<]*)</${element}>`, 'g'))].map((m) => m[1]!);

/** Every gap the scenario provokes on purpose; chaos (throttling, 5xx) must add none. */
const EXPECTED_GAPS = [
  `${MANAGEMENT} us-east-1 s3:GetBucketPolicy locked-down access-denied`,
  `${MANAGEMENT} us-east-1 kms:GetKeyPolicy ${DENIED_KEY} access-denied`,
  `${MANAGEMENT} us-east-1 iam:GenerateServiceLastAccessedDetails arn:aws:iam::111111111111:role/service-role/app-role access-denied`,
  `${MANAGEMENT} us-east-1 ecr:GetRepositoryPolicy always-throttled throttled`,
  `${MANAGEMENT} eu-west-1 ecr:DescribeRepositories - error`,
  `${MEMBER} us-east-1 iam:GenerateCredentialReport - access-denied`,
  `${DENIED_MEMBER} us-east-1 sts:AssumeRole arn:aws:iam::${DENIED_MEMBER}:role/Audit access-denied`,
].sort();

// The scenario: an organization collected through the real SDK against a replay server
// that throttles 30% of requests, answers a burst of 5xx, denies some calls and repeats a marker.
describe('collect aws against a replay of an organization, with throttling and a 5xx burst', () => {
  let server: ReplayServer;
  let result: CollectAwsResult;
  const progress: string[] = [];
  const out = join(root, 'org');

  beforeAll(async () => {
    server = await startReplayServer({
      handlers: scenarioHandlers(),
      accounts: accountOf,
      chaos: {
        throttleRate: 0.3,
        serverErrorBurst: { from: 12, count: 8 },
        maxFailuresPerRequest: 2,
        seed: 7,
      },
    });
    result = await collectAws({
      out,
      regions: ['us-east-1', 'eu-west-1'],
      org: true,
      roleName: 'Audit',
      externalId: EXTERNAL_ID,
      maxParallel: 6,
      maxAttempts: 4,
      credentials: BASE_CREDENTIALS,
      clientOptions: { endpoint: server.url, forcePathStyle: true, retryStrategy: fastRetryStrategy(4) },
      poll: FAST_POLL,
      progress: (line) => progress.push(line),
      toolVersion: '0.1.0',
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('really was throttled (about 30%) and hit a burst of 5xx, and still completed', () => {
    const chaos = server.log.filter((r) => r.chaos === 'throttle').length;
    const share = chaos / server.log.filter((r) => r.service !== 'sts').length;
    expect(share).toBeGreaterThan(0.15);
    // STS calls and requests that already failed twice are spared, so a few of the 8 may be.
    expect(server.log.filter((r) => r.chaos === '5xx').length).toBeGreaterThanOrEqual(5);
    expect(result.manifest.accounts.map((a) => a.id)).toEqual([MANAGEMENT, MEMBER, DENIED_MEMBER]);
  });

  it('lists exactly the provoked gaps: retried throttling and 5xx leave none', () => {
    expect(result.manifest.gaps.map(gapKey).sort()).toEqual(EXPECTED_GAPS);
    const onDisk = read(out, 'manifest.json');
    expect(onDisk.gaps.map(gapKey).sort()).toEqual(EXPECTED_GAPS);
    for (const g of result.manifest.gaps) expect(g.message.length).toBeGreaterThan(0);
  });

  it('marks accounts complete, partial or failed, and skips suspended ones', () => {
    const byId = new Map(result.manifest.accounts.map((a) => [a.id, a]));
    expect(byId.get(MANAGEMENT)).toMatchObject({
      name: 'management',
      status: 'partial',
      regions: ['us-east-1', 'eu-west-1'],
    });
    expect(byId.get(MEMBER)).toMatchObject({ name: 'prod', status: 'partial' });
    expect(byId.get(DENIED_MEMBER)).toMatchObject({ status: 'failed', regions: [] });
    expect(byId.has(SUSPENDED)).toBe(false);
    expect(result.manifest.organization).toEqual({ id: 'o-exampleorgid', managementAccountId: MANAGEMENT });
    expect(result.manifest).toMatchObject({
      schemaVersion: 1,
      partition: 'aws',
      tool: { name: 'leastpriv', version: '0.1.0' },
    });
  });

  it('enters member accounts with the assumed role (signed with its key, with the external id)', () => {
    const member = server.log.filter((r) => r.account === MEMBER);
    expect(member.length).toBeGreaterThan(10);
    const assume = server.log.filter((r) => r.operation === 'AssumeRole');
    expect(assume.some((r) => r.raw.includes(`ExternalId=${EXTERNAL_ID}`))).toBe(true);
    expect(
      read(out, `account-data/${MEMBER}/us-east-1/iam-get-account-authorization-details.json`)
        .RoleDetailList[0].Arn,
    ).toBe(`arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`);
  });

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html (Marker/IsTruncated)
  it('merges every page of a Marker-paginated IAM call', () => {
    const details = read(
      out,
      `account-data/${MANAGEMENT}/us-east-1/iam-get-account-authorization-details.json`,
    );
    const pages = [
      recording('iam/GetAccountAuthorizationDetails.page1.xml'),
      recording('iam/GetAccountAuthorizationDetails.page2.xml'),
    ];
    expect(details.UserDetailList.map((u: any) => u.UserName)).toEqual(
      pages.flatMap((p) => xmlValues(p, 'UserName')),
    );
    expect(details.RoleDetailList.map((r: any) => r.RoleName)).toEqual(
      pages.flatMap((p) => xmlValues(p, 'RoleName')),
    );
    expect(details.Policies.map((p: any) => p.PolicyName)).toEqual(['ec2-read']);
    expect(details).not.toHaveProperty('Marker');
    expect(details).not.toHaveProperty('IsTruncated');
  });

  it('merges every page of NextToken/NextMarker/nextToken-paginated JSON calls', () => {
    const dir = `account-data/${MANAGEMENT}/us-east-1`;
    const expectAll = (rel: string, member: string, key: string | undefined, recs: string[]) => {
      const written = read(out, `${dir}/${rel}`)[member] as any[];
      const recorded = recs.flatMap((r) => recordingJson(r)[member] as any[]);
      expect(written.map((x) => (key ? x[key] : x))).toEqual(recorded.map((x) => (key ? x[key] : x)));
    };
    expectAll('kms-list-keys.json', 'Keys', 'KeyId', ['kms/ListKeys.page1.json', 'kms/ListKeys.page2.json']);
    expectAll('sqs-list-queues.json', 'QueueUrls', undefined, [
      'sqs/ListQueues.page1.json',
      'sqs/ListQueues.page2.json',
    ]);
    expectAll('lambda-list-functions.json', 'Functions', 'FunctionName', [
      'lambda/ListFunctions.page1.json',
      'lambda/ListFunctions.page2.json',
    ]);
    const findings = walk(join(out, dir, 'access-analyzer-list-findings'));
    expect(findings).toHaveLength(1); // the unused-access analyzer has no ListFindings findings
    expect(JSON.parse(readFileSync(findings[0]!, 'utf8')).findings.map((f: any) => f.id)).toEqual([
      'f-0001',
      'f-0002',
    ]);
    expect(read(out, 'organization/organizations-list-accounts.json').Accounts.map((a: any) => a.Id)).toEqual(
      [MANAGEMENT, MEMBER, DENIED_MEMBER, SUSPENDED],
    );
    expect(read(out, `${dir}/kms-list-keys.json`)).not.toHaveProperty('Truncated');
  });

  it('stops at a repeated pagination token with a gap instead of looping, and writes no file', () => {
    const answered = server.log.filter(
      (r) =>
        r.operation === 'DescribeRepositories' &&
        r.account === MANAGEMENT &&
        r.region === 'eu-west-1' &&
        !r.chaos,
    );
    expect(answered).toHaveLength(2);
    expect(existsSync(join(out, `account-data/${MANAGEMENT}/eu-west-1/ecr-describe-repositories.json`))).toBe(
      false,
    );
  });

  it('writes IAM policy documents decoded as the CLI prints them, keeping a duplicate-key document as text', () => {
    const details = read(
      out,
      `account-data/${MANAGEMENT}/us-east-1/iam-get-account-authorization-details.json`,
    );
    const encoded = xmlValues(recording('iam/GetAccountAuthorizationDetails.page2.xml'), 'PolicyDocument');
    const [passRole, duplicate] = details.RoleDetailList[0].RolePolicyList;
    expect(passRole.PolicyDocument).toEqual(JSON.parse(decodeURIComponent(encoded[0]!)));
    expect(duplicate.PolicyDocument).toBe(decodeURIComponent(encoded[1]!));
    expect(details.RoleDetailList[0].AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      Service: 'lambda.amazonaws.com',
    });
    expect(details.Policies[0].PolicyVersionList[0].Document.Statement[0].Sid).toBe('Read');
  });

  it('writes resource policies as the JSON strings AWS returned, one file per URL-encoded resource id', () => {
    const dir = join(out, `account-data/${MANAGEMENT}/us-east-1`);
    const file = (artifact: string, id: string) =>
      JSON.parse(readFileSync(join(dir, artifact, encodeURIComponent(id)), 'utf8'));
    expect(file('s3-get-bucket-policy', 'public-site')).toEqual({ Policy: POLICIES.bucket });
    expect(file('kms-get-key-policy', '1234abcd-12ab-34cd-56ef-1234567890ab')).toEqual({
      Policy: POLICIES.key,
      PolicyName: 'default',
    });
    expect(file('lambda-get-policy', 'thumbnailer').Policy).toBe(POLICIES.fn);
    expect(file('ecr-get-repository-policy', 'team/api')).toEqual({
      registryId: MANAGEMENT,
      repositoryName: 'team/api',
      policyText: POLICIES.repo,
    });
    const secretArn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:db/prod-AbCdEf';
    expect(file('secretsmanager-get-resource-policy', secretArn)).toEqual({
      ARN: secretArn,
      Name: 'db/prod',
      ResourcePolicy: POLICIES.secret,
    });
    const topic = file('sns-get-topic-attributes', 'arn:aws:sns:us-east-1:111111111111:alerts');
    expect(topic.Attributes.Policy).toBe(POLICIES.topicAttributes.Policy);
    const queue = file('sqs-get-queue-attributes', 'https://sqs.us-east-1.amazonaws.com/111111111111/orders');
    expect(queue.Attributes).toMatchObject({
      Policy: POLICIES.queueAttributes.Policy,
      QueueArn: 'arn:aws:sqs:us-east-1:111111111111:orders',
    });
    expect(file('s3-get-public-access-block', 'public-site').PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
    expect(file('s3-get-bucket-location', 'no-policy-bucket')).toEqual({ LocationConstraint: 'eu-west-1' });
  });

  it('leaves no file and no gap for a resource without a policy', () => {
    const dir = join(out, `account-data/${MANAGEMENT}/us-east-1`);
    for (const rel of [
      's3-get-bucket-policy/no-policy-bucket',
      's3-get-public-access-block/no-policy-bucket',
      'lambda-get-policy/no-policy-fn',
      `secretsmanager-get-resource-policy/${encodeURIComponent('arn:aws:secretsmanager:us-east-1:111111111111:secret:no-policy-GhIjKl')}`,
    ]) {
      expect(existsSync(join(dir, rel)), rel).toBe(false);
    }
    expect(
      existsSync(join(out, `account-data/${MEMBER}/us-east-1/iam-get-account-password-policy.json`)),
    ).toBe(false);
    expect(
      existsSync(join(out, `account-data/${MANAGEMENT}/us-east-1/iam-get-account-password-policy.json`)),
    ).toBe(true);
  });

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
  it('polls the credential report until COMPLETE and stores {Content base64, ReportFormat, GeneratedTime}', () => {
    const report = read(out, `account-data/${MANAGEMENT}/us-east-1/iam-get-credential-report.json`);
    expect(report.Content).toBe(xmlValues(recording('iam/GetCredentialReport.xml'), 'Content')[0]);
    expect(Buffer.from(report.Content, 'base64').toString('utf8')).toMatch(/^user,arn,/);
    expect(report).toEqual({
      Content: report.Content,
      ReportFormat: 'text/csv',
      GeneratedTime: '2026-11-22T08:59:00.000Z',
    });
    const generated = server.log.filter(
      (r) => r.operation === 'GenerateCredentialReport' && r.account === MANAGEMENT && r.status === 200,
    );
    expect(generated.length).toBeGreaterThanOrEqual(3);
  });

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetServiceLastAccessedDetails.html
  it('writes service-last-accessed details per principal ARN once each job COMPLETED', () => {
    const dir = join(out, `account-data/${MANAGEMENT}/us-east-1/iam-get-service-last-accessed-details`);
    const names = readdirSync(dir).map(decodeURIComponent).sort();
    expect(names).toEqual([
      'arn:aws:iam::111111111111:group/admins',
      'arn:aws:iam::111111111111:policy/ec2-read',
      'arn:aws:iam::111111111111:user/alice',
      'arn:aws:iam::111111111111:user/ops/bob+ci@example',
    ]);
    const alice = JSON.parse(
      readFileSync(join(dir, encodeURIComponent('arn:aws:iam::111111111111:user/alice')), 'utf8'),
    );
    expect(alice.JobStatus).toBe('COMPLETED');
    expect(alice.ServicesLastAccessed.map((s: any) => s.ServiceNamespace)).toEqual(['s3', 'iam']);
  });

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListVirtualMFADevices.html
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_VirtualMFADevice.html
  it('lists virtual MFA devices without their seeds or QR codes, and server certificates', () => {
    const dir = (account: string) => `account-data/${account}/us-east-1`;
    const devices = read(out, `${dir(MANAGEMENT)}/iam-list-virtual-mfa-devices.json`).VirtualMFADevices;
    expect(devices.map((d: any) => d.SerialNumber)).toEqual(
      xmlValues(recording('iam/ListVirtualMFADevices.xml'), 'SerialNumber'),
    );
    expect(devices[0].User.Arn).toBe(`arn:aws:iam::${MANAGEMENT}:root`);
    expect(devices[0].EnableDate).toBe('2023-01-02T10:00:00.000Z');
    const member = read(out, `${dir(MEMBER)}/iam-list-virtual-mfa-devices.json`).VirtualMFADevices;
    expect(member.map((d: any) => d.SerialNumber)).toEqual([
      `arn:aws:iam::${MEMBER}:mfa/root-account-mfa-device`,
    ]);
    expect(Object.keys(member[0]).sort()).toEqual(['EnableDate', 'SerialNumber', 'User']);
    // The seed did travel: the server sent it, so its absence from the files is the collector's doing.
    const seed64 = Buffer.from(MFA_SEED).toString('base64');
    expect(server.log.some((r) => r.operation === 'ListVirtualMFADevices' && r.account === MEMBER)).toBe(
      true,
    );
    for (const file of walk(out)) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain(seed64);
      expect(text, file).not.toContain(MFA_SEED);
    }
    const certs = read(
      out,
      `${dir(MANAGEMENT)}/iam-list-server-certificates.json`,
    ).ServerCertificateMetadataList;
    expect(certs.map((c: any) => [c.ServerCertificateName, c.Expiration])).toEqual([
      ['legacy-elb-cert', '2024-05-08T01:02:03.000Z'],
      ['current-cert', '2027-01-10T08:00:00.000Z'],
    ]);
    expect(
      read(out, `${dir(MEMBER)}/iam-list-server-certificates.json`).ServerCertificateMetadataList,
    ).toEqual([]);
  });

  it('collects what the root hardware-MFA and expired-certificate checks need to decide', async () => {
    const { snapshot } = await loadSnapshot([out]);
    const now = new Date('2026-11-01T00:00:00Z');
    // The credential report says the root user has MFA; the listing shows the device is virtual.
    const mfa = verdicts(runCheck(rootHardwareMfa, snapshot, { now }));
    expect(mfa[`arn:aws:iam::${MANAGEMENT}:root`]).toBe('fail');
    const certs = verdicts(runCheck(serverCertificateExpired, snapshot, { now }));
    // The member's empty listing passes; the account that could not be entered stays unknown.
    expect(certs).toEqual({
      [`arn:aws:iam::${MANAGEMENT}:server-certificate/company/servercerts/legacy-elb-cert`]: 'fail',
      [`arn:aws:iam::${DENIED_MEMBER}:root`]: 'unknown',
    });
  });

  it('writes the organization folder of the snapshot format', () => {
    const files = walk(join(out, 'organization'))
      .map((f) => f.slice(out.length + 1))
      .sort();
    expect(files).toEqual(
      [
        'organization/organizations-describe-organization.json',
        'organization/organizations-list-roots.json',
        'organization/organizations-list-accounts.json',
        'organization/organizations-list-organizational-units-for-parent/r-examplerootid111',
        'organization/organizations-list-organizational-units-for-parent/ou-exam-workloads',
        'organization/organizations-list-accounts-for-parent/r-examplerootid111',
        'organization/organizations-list-accounts-for-parent/ou-exam-workloads',
        'organization/organizations-list-policies/SERVICE_CONTROL_POLICY',
        'organization/organizations-list-policies/RESOURCE_CONTROL_POLICY',
        ...['p-FullAWSAccess', 'p-examplescp1', 'p-RCPFullAWSAccess'].flatMap((id) => [
          `organization/organizations-describe-policy/${id}`,
          `organization/organizations-list-targets-for-policy/${id}`,
        ]),
      ].sort(),
    );
    const scp = read(out, 'organization/organizations-describe-policy/p-examplescp1');
    const recorded = recordingJson('organizations/DescribePolicy.p-examplescp1.json') as Record<string, any>;
    expect(scp.Policy.Content).toBe(recorded.Policy.Content);
    expect(
      read(out, 'organization/organizations-list-targets-for-policy/p-examplescp1').Targets[0].TargetId,
    ).toBe('ou-exam-workloads');
  });

  it('prints dates as ISO strings and never writes $metadata', () => {
    for (const file of walk(out)) expect(readFileSync(file, 'utf8'), file).not.toContain('$metadata');
    const accounts = read(out, 'organization/organizations-list-accounts.json').Accounts;
    expect(accounts[0].JoinedTimestamp).toBe(new Date(1.6725312e12).toISOString());
  });

  it('never writes or prints a secret key, a session token or a Lambda environment value', () => {
    const secrets = [
      BASE_CREDENTIALS.secretAccessKey,
      BASE_CREDENTIALS.sessionToken,
      ASSUMED.secretAccessKey,
      ASSUMED.sessionToken,
      'hunter2-do-not-store',
    ];
    const texts = [
      ...walk(out).map((f) => readFileSync(f, 'utf8')),
      progress.join('\n'),
      JSON.stringify(result),
    ];
    for (const text of texts) for (const s of secrets) expect(text).not.toContain(s);
    // The values did travel: the server saw the session tokens, so the check above is not vacuous.
    expect(server.log.some((r) => r.raw.includes(ASSUMED.sessionToken))).toBe(true);
    expect(
      read(out, `account-data/${MANAGEMENT}/us-east-1/lambda-list-functions.json`).Functions[0].Environment
        .Variables,
    ).toHaveProperty('DB_PASSWORD');
  });

  it('makes only calls that the policy in docs/permissions.md allows', () => {
    // SDK operation names that differ from their IAM action names.
    const actionOf: Record<string, string> = {
      's3:ListBuckets': 's3:ListAllMyBuckets',
      's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
    };
    const called = new Set(
      server.log
        .filter((r) => r.service !== 'sts')
        .map((r) => actionOf[`${r.service}:${r.operation}`] ?? `${r.service}:${r.operation}`),
    );
    expect([...called].filter((a) => !COLLECTOR_ACTIONS.includes(a))).toEqual([]);
    expect(COLLECTOR_ACTIONS.filter((a) => !called.has(a))).toEqual([]);
    for (const g of result.manifest.gaps)
      if (g.call !== 'sts:AssumeRole') expect(COLLECTOR_ACTIONS).toContain(g.call);
  });

  it('leaves no temporary files behind', () => {
    expect(walk(out).filter((f) => f.includes('.leastpriv-tmp') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('prints one progress line per account and a summary', () => {
    const accountLines = progress.filter((l) => /^\[\d\/3\] \d{12}/.test(l));
    expect(accountLines).toHaveLength(3);
    expect(accountLines.find((l) => l.includes(DENIED_MEMBER))).toContain('failed');
    const summary = progress.at(-1)!;
    expect(summary).toContain(`${result.calls} calls`);
    expect(summary).toContain(`${result.filesWritten} files written`);
    expect(summary).toContain('7 gaps (5 access-denied, 1 throttled, 1 error)');
    expect(result.filesWritten).toBe(walk(out).length - 1); // all but manifest.json
  });
});
