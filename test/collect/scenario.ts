/**
 * The recorded organization the collector tests run against: a management account 111111111111
 * with every kind of resource, a member 222222222222 entered through AssumeRole (with an external
 * id), a member 333333333333 whose role cannot be assumed, and a suspended 444444444444.
 * Failures on purpose: AccessDenied on some calls, one call that is always throttled, and a
 * repeated pagination token on ECR in eu-west-1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { type Handler, handlerKey, type ReplayRequest, type Reply } from './replay-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const RECORDINGS = join(here, 'recordings');
export const REPO_ROOT = resolve(here, '..', '..');
export const CORPUS_FILE = join(
  resolve(REPO_ROOT, '..', 'shared'),
  'corpus/api-responses/cloud-custodian-placebo/iam-and-resource-policy-responses.json.gz',
);

export const MANAGEMENT = '111111111111';
export const MEMBER = '222222222222';
export const DENIED_MEMBER = '333333333333';
export const SUSPENDED = '444444444444';
export const EXTERNAL_ID = 'ext-7f3a9c';

/** The test's own static credentials (AWS's documentation example key). */
export const BASE_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLEBASESESSIONTOKENdoNotLeakMe0123456789',
};
/** What AssumeRole hands out for the member account. */
export const ASSUMED = {
  accessKeyId: 'ASIAEXAMPLE222222222',
  secretAccessKey: 'assumedSecretKey/222222222222/doNotLeakThisValue',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLEASSUMEDSESSIONTOKEN/doNotLeakThisValueEither',
};

export const recording = (path: string): string => readFileSync(join(RECORDINGS, path), 'utf8');
export const recordingJson = (path: string): Record<string, unknown> =>
  JSON.parse(recording(path)) as Record<string, unknown>;

/** The successful corpus recordings of each operation, when ../shared is present. */
function loadCorpus(): Map<string, Array<Record<string, unknown>>> | undefined {
  if (!existsSync(CORPUS_FILE)) return undefined;
  const all = JSON.parse(gunzipSync(readFileSync(CORPUS_FILE)).toString('utf8')) as Record<
    string,
    { status_code: number; data: Record<string, unknown> }
  >;
  const byOperation = new Map<string, Array<Record<string, unknown>>>();
  for (const [name, rec] of Object.entries(all)) {
    if (rec.status_code !== 200) continue;
    const op = name
      .split('/')
      .pop()!
      .replace(/_\d+\.json$/, '');
    byOperation.set(op, [...(byOperation.get(op) ?? []), rec.data]);
  }
  return byOperation;
}
export const corpus = loadCorpus();
if (!corpus) {
  console.warn(
    `collect replay tests: ${CORPUS_FILE} is absent; serving the scenario's own small resource policies instead`,
  );
}

const ownPolicy = (principal: unknown, action: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: action, Resource: '*' }],
  });

function corpusString(op: string, member: string, fallback: string): string {
  const found = corpus?.get(op)?.find((data) => typeof data[member] === 'string');
  return (found?.[member] as string | undefined) ?? fallback;
}

/** The first corpus attribute map of `op` that holds a Policy. */
function corpusAttributes(op: string): Record<string, string> | undefined {
  const found = corpus
    ?.get(op)
    ?.find((data) => typeof (data.Attributes as Record<string, unknown> | undefined)?.Policy === 'string');
  return found?.Attributes as Record<string, string> | undefined;
}

/** The resource policies the scenario serves, from the corpus when present. */
export const POLICIES = {
  bucket: corpusString('s3.GetBucketPolicy', 'Policy', ownPolicy('*', 's3:GetObject')),
  key: corpusString(
    'kms.GetKeyPolicy',
    'Policy',
    ownPolicy({ AWS: 'arn:aws:iam::999999999999:root' }, 'kms:Decrypt'),
  ),
  fn: corpusString(
    'lambda.GetPolicy',
    'Policy',
    ownPolicy({ Service: 's3.amazonaws.com' }, 'lambda:InvokeFunction'),
  ),
  repo: corpusString('api.ecr.GetRepositoryPolicy', 'policyText', ownPolicy('*', 'ecr:BatchGetImage')),
  secret: corpusString(
    'secretsmanager.GetResourcePolicy',
    'ResourcePolicy',
    ownPolicy({ AWS: 'arn:aws:iam::999999999999:root' }, 'secretsmanager:GetSecretValue'),
  ),
  topicAttributes: corpusAttributes('sns.GetTopicAttributes') ?? {
    Policy: ownPolicy({ AWS: '*' }, 'SNS:Publish'),
    Owner: MANAGEMENT,
  },
  queueAttributes: corpusAttributes('sqs.GetQueueAttributes') ?? {
    Policy: ownPolicy({ AWS: '*' }, 'SQS:SendMessage'),
    VisibilityTimeout: '30',
  },
};

export const KEY_IDS = [
  '1234abcd-12ab-34cd-56ef-1234567890ab',
  '0987dcba-09fe-87dc-65ba-ab0987654321',
  'aaaabbbb-cccc-dddd-eeee-ffff00001111',
];
export const DENIED_KEY = KEY_IDS[2]!;
export const APP_ROLE_ARN = 'arn:aws:iam::111111111111:role/service-role/app-role';

const raw = (text: string, status = 200): Reply => ({ raw: text, status });
const err = (error: string, status = 400, message?: string): Reply => ({
  error,
  status,
  message: message ?? `${error} (recorded)`,
});
const accessDenied = (r: ReplayRequest, action: string): Reply =>
  err(
    r.service === 's3' || r.service === 'iam' || r.service === 'sts'
      ? 'AccessDenied'
      : 'AccessDeniedException',
    403,
    `User: arn:aws:iam::${r.account}:user/collector is not authorized to perform: ${action}`,
  );
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export interface ScenarioState {
  readonly reportPolls: Map<string, number>;
  readonly jobs: Map<string, { arn: string; polls: number }>;
}

/**
 * A member's virtual MFA listing that (against the documentation: only CreateVirtualMFADevice
 * returns them) carries the device's seed and QR code: the collector must not write either.
 */
export const MFA_SEED = 'SEEDEXAMPLEJBSWY3DPEHPK3PXP';
const MEMBER_VIRTUAL_MFA_WITH_SEED = `<ListVirtualMFADevicesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ListVirtualMFADevicesResult>
    <IsTruncated>false</IsTruncated>
    <VirtualMFADevices>
      <member>
        <SerialNumber>arn:aws:iam::${MEMBER}:mfa/root-account-mfa-device</SerialNumber>
        <Base32StringSeed>${Buffer.from(MFA_SEED).toString('base64')}</Base32StringSeed>
        <QRCodePNG>${Buffer.from('not really a png').toString('base64')}</QRCodePNG>
        <User><Arn>arn:aws:iam::${MEMBER}:root</Arn><UserId>${MEMBER}</UserId><CreateDate>2023-01-01T00:00:00Z</CreateDate></User>
        <EnableDate>2023-02-01T00:00:00Z</EnableDate>
      </member>
    </VirtualMFADevices>
  </ListVirtualMFADevicesResult>
  <ResponseMetadata><RequestId>1f2a3b4c-0000-4000-8000-000000000003</RequestId></ResponseMetadata>
</ListVirtualMFADevicesResponse>`;

export function accountOf(accessKeyId: string): string {
  if (accessKeyId === BASE_CREDENTIALS.accessKeyId) return MANAGEMENT;
  if (accessKeyId === ASSUMED.accessKeyId) return MEMBER;
  return 'unknown';
}

/** Every handler of the scenario, keyed `service:Operation`. */
export function scenarioHandlers(
  state: ScenarioState = { reportPolls: new Map(), jobs: new Map() },
): Map<string, Handler> {
  const h = new Map<string, Handler>();
  const on = (service: string, op: string, handler: Handler) => h.set(handlerKey(service, op), handler);
  const mgmt = (r: ReplayRequest) => r.account === MANAGEMENT;
  const home = (r: ReplayRequest) => mgmt(r) && r.region === 'us-east-1';

  // STS
  on('sts', 'GetCallerIdentity', (r) => ({
    output: {
      UserId: mgmt(r) ? 'AIDAEXAMPLECOLLECTOR' : 'AROAEXAMPLEORGROLE01:leastpriv-collect',
      Account: r.account,
      Arn: mgmt(r)
        ? `arn:aws:iam::${MANAGEMENT}:user/collector`
        : `arn:aws:sts::${r.account}:assumed-role/Audit/leastpriv-collect`,
    },
  }));
  on('sts', 'AssumeRole', (r) => {
    const roleArn = str(r.params.RoleArn) ?? '';
    if (!roleArn.startsWith(`arn:aws:iam::${MEMBER}:role/`) || r.params.ExternalId !== EXTERNAL_ID) {
      return accessDenied(r, `sts:AssumeRole on resource: ${roleArn}`);
    }
    return {
      output: {
        Credentials: {
          ...{
            AccessKeyId: ASSUMED.accessKeyId,
            SecretAccessKey: ASSUMED.secretAccessKey,
            SessionToken: ASSUMED.sessionToken,
          },
          Expiration: new Date(Date.now() + 3600_000),
        },
        AssumedRoleUser: {
          AssumedRoleId: 'AROAEXAMPLEORGROLE01:leastpriv-collect',
          Arn: `arn:aws:sts::${MEMBER}:assumed-role/Audit/leastpriv-collect`,
        },
      },
    };
  });

  // IAM
  on('iam', 'GetAccountAuthorizationDetails', (r) => {
    if (!mgmt(r)) return raw(recording('iam/GetAccountAuthorizationDetails.member.xml'));
    return raw(
      recording(
        `iam/GetAccountAuthorizationDetails.page${r.params.Marker === 'bWFya2VyLXBhZ2UtMg==' ? 2 : 1}.xml`,
      ),
    );
  });
  on('iam', 'GetAccountPasswordPolicy', (r) =>
    mgmt(r)
      ? raw(recording('iam/GetAccountPasswordPolicy.xml'))
      : err('NoSuchEntity', 404, 'The Password Policy with domain name 222222222222 cannot be found.'),
  );
  on('iam', 'ListAccountAliases', (r) =>
    mgmt(r)
      ? raw(recording('iam/ListAccountAliases.xml'))
      : { output: { AccountAliases: [], IsTruncated: false } },
  );
  on('iam', 'ListVirtualMFADevices', (r) =>
    mgmt(r) ? raw(recording('iam/ListVirtualMFADevices.xml')) : raw(MEMBER_VIRTUAL_MFA_WITH_SEED),
  );
  on('iam', 'ListServerCertificates', (r) =>
    mgmt(r)
      ? raw(recording('iam/ListServerCertificates.xml'))
      : { output: { ServerCertificateMetadataList: [], IsTruncated: false } },
  );
  on('iam', 'GenerateCredentialReport', (r) => {
    if (!mgmt(r)) return accessDenied(r, 'iam:GenerateCredentialReport');
    const polls = (state.reportPolls.get(r.account) ?? 0) + 1;
    state.reportPolls.set(r.account, polls);
    return {
      output: {
        State: polls === 1 ? 'STARTED' : polls === 2 ? 'INPROGRESS' : 'COMPLETE',
        Description: 'recorded',
      },
    };
  });
  on('iam', 'GetCredentialReport', () => raw(recording('iam/GetCredentialReport.xml')));
  on('iam', 'GenerateServiceLastAccessedDetails', (r) => {
    const arn = str(r.params.Arn) ?? '';
    if (arn === APP_ROLE_ARN) return accessDenied(r, 'iam:GenerateServiceLastAccessedDetails');
    const jobId = `job-${state.jobs.size + 1}-${'0'.repeat(28)}`;
    state.jobs.set(jobId, { arn, polls: 0 });
    return { output: { JobId: jobId } };
  });
  on('iam', 'GetServiceLastAccessedDetails', (r) => {
    const job = state.jobs.get(str(r.params.JobId) ?? '');
    if (!job) return err('NoSuchEntity', 404, 'no such job');
    job.polls++;
    const text = recording('iam/GetServiceLastAccessedDetails.xml');
    return raw(
      job.polls === 1
        ? text.replace('<JobStatus>COMPLETED</JobStatus>', '<JobStatus>IN_PROGRESS</JobStatus>')
        : text,
    );
  });

  // Organizations
  on('organizations', 'DescribeOrganization', () => ({
    output: recordingJson('organizations/DescribeOrganization.json'),
  }));
  on('organizations', 'ListRoots', () => ({ output: recordingJson('organizations/ListRoots.json') }));
  on('organizations', 'ListAccounts', (r) => ({
    output: recordingJson(`organizations/ListAccounts.page${r.params.NextToken ? 2 : 1}.json`),
  }));
  on('organizations', 'ListOrganizationalUnitsForParent', (r) => ({
    output: recordingJson(
      `organizations/ListOrganizationalUnitsForParent.${String(r.params.ParentId).startsWith('r-') ? 'root' : 'ou'}.json`,
    ),
  }));
  on('organizations', 'ListAccountsForParent', (r) => ({
    output: recordingJson(
      `organizations/ListAccountsForParent.${String(r.params.ParentId).startsWith('r-') ? 'root' : 'ou'}.json`,
    ),
  }));
  on('organizations', 'ListPolicies', (r) => ({
    output: recordingJson(`organizations/ListPolicies.${String(r.params.Filter)}.json`),
  }));
  on('organizations', 'DescribePolicy', (r) => ({
    output: recordingJson(`organizations/DescribePolicy.${String(r.params.PolicyId)}.json`),
  }));
  on('organizations', 'ListTargetsForPolicy', (r) => ({
    output: recordingJson(`organizations/ListTargetsForPolicy.${String(r.params.PolicyId)}.json`),
  }));

  // S3 (path style: /bucket?policy)
  const bucketOf = (r: ReplayRequest) => decodeURIComponent(r.path.split('/')[1] ?? '');
  on('s3', 'ListBuckets', (r) =>
    mgmt(r)
      ? raw(recording('s3/ListBuckets.xml'))
      : raw(
          '<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Buckets></Buckets></ListAllMyBucketsResult>',
        ),
  );
  on('s3', 'GetBucketPolicy', (r) => {
    const bucket = bucketOf(r);
    if (bucket === 'public-site') return { raw: POLICIES.bucket, contentType: 'application/json' };
    if (bucket === 'locked-down') return accessDenied(r, 's3:GetBucketPolicy');
    return err('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
  });
  on('s3', 'GetPublicAccessBlock', (r) =>
    bucketOf(r) === 'public-site'
      ? raw(recording('s3/GetPublicAccessBlock.xml'))
      : err(
          'NoSuchPublicAccessBlockConfiguration',
          404,
          'The public access block configuration was not found',
        ),
  );
  on('s3', 'GetBucketLocation', () => raw(recording('s3/GetBucketLocation.xml')));

  // KMS
  on('kms', 'ListKeys', (r) =>
    home(r)
      ? { output: recordingJson(`kms/ListKeys.page${r.params.Marker ? 2 : 1}.json`) }
      : { output: { Keys: [], Truncated: false } },
  );
  on('kms', 'GetKeyPolicy', (r) => {
    const id = str(r.params.KeyId);
    if (id === DENIED_KEY) return accessDenied(r, 'kms:GetKeyPolicy');
    return {
      output: {
        Policy:
          id === KEY_IDS[0] ? POLICIES.key : ownPolicy({ AWS: `arn:aws:iam::${MANAGEMENT}:root` }, 'kms:*'),
        PolicyName: 'default',
      },
    };
  });

  // SQS
  on('sqs', 'ListQueues', (r) =>
    home(r)
      ? { output: recordingJson(`sqs/ListQueues.page${r.params.NextToken ? 2 : 1}.json`) }
      : { output: {} },
  );
  on('sqs', 'GetQueueAttributes', (r) => {
    const url = str(r.params.QueueUrl) ?? '';
    return {
      output: {
        Attributes: {
          ...POLICIES.queueAttributes,
          QueueArn: `arn:aws:sqs:us-east-1:${MANAGEMENT}:${url.split('/').pop()}`,
        },
      },
    };
  });

  // SNS
  on('sns', 'ListTopics', (r) =>
    home(r) ? raw(recording('sns/ListTopics.xml')) : { output: { Topics: [] } },
  );
  on('sns', 'GetTopicAttributes', (r) => ({
    output: { Attributes: { ...POLICIES.topicAttributes, TopicArn: str(r.params.TopicArn) ?? '' } },
    maps: ['Attributes'],
  }));

  // Lambda
  on('lambda', 'ListFunctions', (r) =>
    home(r)
      ? { output: recordingJson(`lambda/ListFunctions.page${r.query.get('Marker') ? 2 : 1}.json`) }
      : { output: { Functions: [] } },
  );
  on('lambda', 'GetPolicy', (r) =>
    r.path.includes('/thumbnailer/')
      ? { output: { Policy: POLICIES.fn, RevisionId: '4843f2f6-7c59-4fda-b484-afd0bc0e22b8' } }
      : err('ResourceNotFoundException', 404, 'The resource you requested does not exist.'),
  );

  // ECR: eu-west-1 of the management account returns the same nextToken forever.
  on('ecr', 'DescribeRepositories', (r) => {
    if (mgmt(r) && r.region === 'eu-west-1')
      return { output: { repositories: [], nextToken: 'ZWNyLXNhbWUtdG9rZW4=' } };
    return home(r)
      ? { output: recordingJson('ecr/DescribeRepositories.json') }
      : { output: { repositories: [] } };
  });
  on('ecr', 'GetRepositoryPolicy', (r) => {
    const name = str(r.params.repositoryName);
    if (name === 'always-throttled') return err('ThrottlingException', 400, 'Rate exceeded');
    return { output: { registryId: MANAGEMENT, repositoryName: name, policyText: POLICIES.repo } };
  });

  // Secrets Manager
  on('secretsmanager', 'ListSecrets', (r) =>
    home(r) ? { output: recordingJson('secretsmanager/ListSecrets.json') } : { output: { SecretList: [] } },
  );
  on('secretsmanager', 'GetResourcePolicy', (r) => {
    const arn = str(r.params.SecretId) ?? '';
    const name = arn
      .split(':')
      .pop()!
      .replace(/-[A-Za-z]{6}$/, '');
    return {
      output: { ARN: arn, Name: name, ...(name === 'db/prod' ? { ResourcePolicy: POLICIES.secret } : {}) },
    };
  });

  // IAM Access Analyzer
  on('access-analyzer', 'ListAnalyzers', (r) =>
    home(r) ? { output: recordingJson('access-analyzer/ListAnalyzers.json') } : { output: { analyzers: [] } },
  );
  on('access-analyzer', 'ListFindings', (r) => ({
    output: recordingJson(`access-analyzer/ListFindings.page${r.params.nextToken ? 2 : 1}.json`),
  }));
  return h;
}
