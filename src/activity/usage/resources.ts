import { globMatch } from '../../catalog/glob.js';
import { getCatalog } from '../../catalog/index.js';
import type { ActionInfo } from '../../catalog/types.js';
import { pathValue } from '../detect/fields.js';
import type { CloudTrailRecord } from '../detect/types.js';

/**
 * Resource ARNs an event names: CloudTrail's `resources` list, plus the request parameters of the
 * common services (S3 bucket and key, IAM names, Lambda functions, KMS keys, …) built into ARNs.
 */

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && v.length <= 2048 ? v : undefined;
}

function partitionOf(e: CloudTrailRecord): string {
  const arn = str(pathValue(e, 'userIdentity.arn'));
  const p = arn?.split(':')[1];
  return p && /^aws(-[a-z]+)*$/.test(p) ? p : 'aws';
}

export function eventAccount(e: CloudTrailRecord): string | undefined {
  return str(e.recipientAccountId) ?? str(pathValue(e, 'userIdentity.accountId'));
}

export function eventResourceArns(e: CloudTrailRecord): string[] {
  const out = new Set<string>();
  const resources = e.resources;
  if (Array.isArray(resources))
    for (const r of resources.slice(0, 50)) {
      const arn = str(pathValue(r, 'ARN')) ?? str(pathValue(r, 'arn'));
      if (arn?.startsWith('arn:')) out.add(arn);
    }
  const p = (k: string) => str(pathValue(e, `requestParameters.${k}`));
  const part = partitionOf(e);
  const region = str(e.awsRegion) ?? '*';
  const account = eventAccount(e) ?? '*';
  const source = str(e.eventSource);
  const add = (arn: string | undefined) => {
    if (arn) out.add(arn);
  };
  const arnOr = (v: string | undefined, build: (name: string) => string) =>
    v === undefined ? undefined : v.startsWith('arn:') ? v : build(v);
  switch (source) {
    case 's3.amazonaws.com': {
      const bucket = p('bucketName');
      if (bucket && !bucket.includes('*')) {
        out.add(`arn:${part}:s3:::${bucket}`);
        const key = p('key');
        if (key && !key.includes('*')) out.add(`arn:${part}:s3:::${bucket}/${key}`);
      }
      break;
    }
    case 'iam.amazonaws.com':
      add(arnOr(p('userName'), (n) => `arn:${part}:iam::${account}:user/${n}`));
      add(arnOr(p('roleName'), (n) => `arn:${part}:iam::${account}:role/${n}`));
      add(arnOr(p('groupName'), (n) => `arn:${part}:iam::${account}:group/${n}`));
      add(p('policyArn'));
      break;
    case 'lambda.amazonaws.com':
      add(arnOr(p('functionName'), (n) => `arn:${part}:lambda:${region}:${account}:function:${n}`));
      break;
    case 'kms.amazonaws.com':
      add(
        arnOr(p('keyId'), (n) =>
          n.startsWith('alias/')
            ? `arn:${part}:kms:${region}:${account}:${n}`
            : `arn:${part}:kms:${region}:${account}:key/${n}`,
        ),
      );
      break;
    case 'sns.amazonaws.com':
      add(p('topicArn'));
      break;
    case 'sqs.amazonaws.com': {
      const url = p('queueUrl');
      const m = url ? /^https:\/\/[^/]+\/(\d{12})\/([^/?#]+)$/.exec(url) : null;
      if (m) out.add(`arn:${part}:sqs:${region}:${m[1]}:${m[2]}`);
      break;
    }
    case 'dynamodb.amazonaws.com':
      add(arnOr(p('tableName'), (n) => `arn:${part}:dynamodb:${region}:${account}:table/${n}`));
      break;
    case 'secretsmanager.amazonaws.com':
      // Secret ARNs end in a random 6-character suffix that the name does not carry.
      add(arnOr(p('secretId'), (n) => `arn:${part}:secretsmanager:${region}:${account}:secret:${n}-??????`));
      break;
    case 'ssm.amazonaws.com':
      add(arnOr(p('name'), (n) => `arn:${part}:ssm:${region}:${account}:parameter/${n.replace(/^\//, '')}`));
      break;
    case 'sts.amazonaws.com':
      add(p('roleArn'));
      break;
  }
  return [...out];
}

function templateGlob(template: string): string {
  return template.replace(/\$\{[^}]*\}/g, '*');
}

/** The ARNs among `arns` that fit one of the resource types the action takes. */
export function arnsForAction(info: ActionInfo, arns: readonly string[]): string[] {
  const templates = getCatalog().resourceArnTemplatesForAction(info).map(templateGlob);
  return arns.filter((arn) => templates.some((t) => globMatch(t, arn)));
}

/** The action's first resource ARN template with what is known filled in and `*` for the rest. */
export function placeholderArn(
  info: ActionInfo,
  known: { readonly partition: string; readonly region?: string; readonly account?: string },
): string | undefined {
  const template = getCatalog().resourceArnTemplatesForAction(info)[0];
  if (!template) return undefined;
  return template.replace(/\$\{([^}]*)\}/g, (_m, name: string) => {
    if (name === 'Partition') return known.partition;
    if (name === 'Region') return known.region ?? '*';
    if (name === 'Account') return known.account ?? '*';
    return '*';
  });
}

export { partitionOf };
