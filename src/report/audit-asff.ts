import type { AuditResult } from '../checks/audit.js';
import type { Finding, Severity } from '../model/finding.js';
import { jsonChunks, streamedArray } from './json-chunks.js';
import { prepare, type ReportOptions } from './options.js';

// https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html
const LABEL: Readonly<Record<Severity, string>> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

/** ASFF resource types that exist for what our checks report; anything else is `Other`. */
const RESOURCE_TYPES: ReadonlyMap<string, string> = new Map([
  ['AWS::IAM::User', 'AwsIamUser'],
  ['AWS::IAM::Role', 'AwsIamRole'],
  ['AWS::IAM::Group', 'AwsIamGroup'],
  ['AWS::IAM::Policy', 'AwsIamPolicy'],
  ['AWS::IAM::AccessKey', 'AwsIamAccessKey'],
  ['AWS::IAM::RootUser', 'AwsAccount'],
  ['AWS::::Account', 'AwsAccount'],
  ['AWS::S3::Bucket', 'AwsS3Bucket'],
  ['AWS::KMS::Key', 'AwsKmsKey'],
  ['AWS::SQS::Queue', 'AwsSqsQueue'],
  ['AWS::SNS::Topic', 'AwsSnsTopic'],
  ['AWS::Lambda::Function', 'AwsLambdaFunction'],
  ['AWS::SecretsManager::Secret', 'AwsSecretsManagerSecret'],
  ['AWS::ECR::Repository', 'AwsEcrRepository'],
]);

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Security Hub rejects empty strings (`.*\S.*`); a blank value becomes a placeholder. */
function nonEmpty(text: string, fallback: string): string {
  return /\S/.test(text) ? text : fallback;
}

const CIS_TYPE =
  'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark';

/**
 * The `BatchImportFindings` request body (`{"Findings": [...]}`) in the AWS Security Finding Format.
 * Suppressed findings keep their record with Workflow.Status SUPPRESSED; `unknown` findings are
 * Compliance.Status WARNING ("some information is missing"). Security Hub takes at most 100
 * findings per call: callers batch the array.
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html
 */
export function renderAsff(result: AuditResult, options: ReportOptions = {}): string {
  return [...renderAsffChunks(result, options)].join('');
}

/** `renderAsff` in pieces: each finding is made and written in turn. */
export function* renderAsffChunks(result: AuditResult, options: ReportOptions = {}): Generator<string> {
  const { result: r, checks, toolVersion } = prepare(result, options);
  const now = r.now.toISOString();
  const findings = streamedArray(r.findings, (f: Finding) => {
    const meta = checks.get(f.checkId);
    const arnRegion = f.resourceArn.split(':')[3];
    const region = arnRegion ? arnRegion : (options.region ?? 'us-east-1');
    const partition = f.resourceArn.split(':')[1] || 'aws';
    const productArn =
      options.productArn ??
      `arn:${partition}:securityhub:${options.region ?? 'us-east-1'}:${f.account}:product/${f.account}/default`;
    const types = ['Software and Configuration Checks/AWS Security Best Practices'];
    if (f.compliance.some((c) => c.startsWith('cis-aws:'))) types.push(CIS_TYPE);
    const reference = meta?.references[0];
    return {
      SchemaVersion: '2018-10-08',
      Id: `leastpriv/${f.checkId}/${f.id}`,
      ProductArn: productArn,
      ProductName: 'leastpriv',
      CompanyName: 'leastpriv',
      GeneratorId: `leastpriv/${f.checkId}`,
      AwsAccountId: f.account,
      Types: types,
      CreatedAt: now,
      UpdatedAt: now,
      Severity: { Label: LABEL[f.severity], Original: f.severity },
      Title: truncate(nonEmpty(meta?.title ?? f.checkId, f.checkId), 256),
      Description: truncate(nonEmpty(f.message, f.checkId), 1024),
      Resources: [
        {
          Type: RESOURCE_TYPES.get(f.resourceType) ?? 'Other',
          Id: f.resourceArn,
          Partition: partition,
          Region: region,
        },
      ],
      Compliance: {
        Status: f.status === 'fail' ? 'FAILED' : 'WARNING',
        ...(f.compliance.length > 0 ? { RelatedRequirements: f.compliance.slice(0, 32) } : {}),
      },
      Remediation: {
        Recommendation: {
          Text: truncate(nonEmpty(f.remediation, 'See the check documentation.'), 512),
          ...(reference ? { Url: reference } : {}),
        },
      },
      ProductFields: {
        'leastpriv/CheckId': f.checkId,
        'leastpriv/FindingId': f.id,
        'leastpriv/Version': toolVersion,
        ...(f.principal !== undefined ? { 'leastpriv/Principal': f.principal } : {}),
        ...(f.suppressed ? { 'leastpriv/SuppressionReason': truncate(f.suppressed.reason, 1024) } : {}),
      },
      Workflow: { Status: f.suppressed ? 'SUPPRESSED' : 'NEW' },
      RecordState: 'ACTIVE',
    };
  });
  yield* jsonChunks({ Findings: findings }, '  ');
  yield '\n';
}
