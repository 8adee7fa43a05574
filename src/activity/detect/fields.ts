import type { CloudTrailRecord } from './types.js';

/**
 * Field access for rules: a dotted path into the CloudTrail record as CloudTrail writes it
 * (`requestParameters.userName`), or a derived `$field` computed here. Derived fields are the
 * CloudTrail semantics a predicate language cannot say well (who the principal is, whether a policy
 * document names another account); they are documented in docs/detections.md.
 */

export interface EventContext {
  readonly record: CloudTrailRecord;
  readonly derived: Map<string, unknown>;
}

export function eventContext(record: CloudTrailRecord): EventContext {
  return { record, derived: new Map() };
}

function own(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    const i = Number(key);
    return Number.isInteger(i) && i >= 0 ? value[i] : undefined;
  }
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** A dotted path through own properties only (no prototype lookups on attacker-written keys). */
export function pathValue(root: unknown, path: string): unknown {
  let v = root;
  let start = 0;
  while (v !== undefined && start <= path.length) {
    let end = path.indexOf('.', start);
    if (end < 0) end = path.length;
    v = own(v, path.slice(start, end));
    start = end + 1;
  }
  return v;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

type Derive = (e: CloudTrailRecord) => unknown;

/** Errors that mean the caller was not authorised (IAM, EC2, S3 and service-specific spellings). */
export const ACCESS_DENIED_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'Client.UnauthorizedOperation',
  'UnauthorizedOperation',
  'Client.UnauthorizedAccess',
  'UnauthorizedAccess',
  'AuthorizationError',
  'AuthorizationErrorException',
  'Forbidden',
  'NotAuthorized',
]);

function identity(e: CloudTrailRecord): unknown {
  return own(e, 'userIdentity');
}

function issuer(e: CloudTrailRecord): unknown {
  return pathValue(identity(e), 'sessionContext.sessionIssuer');
}

export function principalOf(e: CloudTrailRecord): string | undefined {
  const id = identity(e);
  const type = str(own(id, 'type'));
  const arn = str(own(id, 'arn'));
  if (arn) return arn;
  const account = str(own(id, 'accountId')) ?? str(own(e, 'recipientAccountId'));
  if (type === 'Root' && account) return `arn:aws:iam::${account}:root`;
  if (type === 'AWSService') return str(own(id, 'invokedBy'));
  return str(own(id, 'principalId'));
}

/** The long-lived identity behind a session: the role (or user) that issued it. */
export function principalBaseOf(e: CloudTrailRecord): string | undefined {
  return str(own(issuer(e), 'arn')) ?? principalOf(e);
}

function sessionName(e: CloudTrailRecord): string | undefined {
  const arn = str(own(identity(e), 'arn'));
  if (!arn?.includes(':assumed-role/')) return undefined;
  const slash = arn.lastIndexOf('/');
  return slash > 0 ? arn.slice(slash + 1) : undefined;
}

function actorUserName(e: CloudTrailRecord): string | undefined {
  const id = identity(e);
  return str(own(id, 'type')) === 'IAMUser' ? str(own(id, 'userName')) : undefined;
}

function actorRoleName(e: CloudTrailRecord): string | undefined {
  return str(own(issuer(e), 'type')) === 'Role' ? str(own(issuer(e), 'userName')) : undefined;
}

function request(e: CloudTrailRecord, key: string): unknown {
  return own(own(e, 'requestParameters'), key);
}

/** The IAM user an IAM call acts on: `userName`, or the caller itself when the parameter is omitted. */
function targetUser(e: CloudTrailRecord): string | undefined {
  return str(request(e, 'userName')) ?? actorUserName(e);
}

function accountOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 && /^\d{12}$/.test(parts[4] ?? '') ? parts[4] : undefined;
}

const MAX_POLICY_CHARS = 131072;

function policyObject(value: unknown): unknown {
  if (typeof value === 'object' && value !== null) return value;
  if (typeof value !== 'string' || value.length > MAX_POLICY_CHARS) return undefined;
  let text = value;
  // IAM returns documents URL-encoded; CloudTrail usually logs them decoded, but not always.
  if (text.startsWith('%7B')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return undefined;
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function statements(doc: unknown): unknown[] {
  return asList(own(doc, 'Statement')).filter((s) => typeof s === 'object' && s !== null);
}

function isAllow(s: unknown): boolean {
  return own(s, 'Effect') === 'Allow';
}

function hasCondition(s: unknown): boolean {
  const c = own(s, 'Condition');
  return typeof c === 'object' && c !== null && Object.keys(c).length > 0;
}

/** `public` (anyone, unconditioned) > `foreign` (another account) > `conditional` (anyone, with conditions) > `none`. */
export type PolicyExposure = 'public' | 'foreign' | 'conditional' | 'none';

const EXPOSURE_RANK: Readonly<Record<PolicyExposure, number>> = {
  none: 0,
  conditional: 1,
  foreign: 2,
  public: 3,
};

export function policyExposure(doc: unknown, ownAccount: string | undefined): PolicyExposure {
  let worst: PolicyExposure = 'none';
  const raise = (x: PolicyExposure) => {
    if (EXPOSURE_RANK[x] > EXPOSURE_RANK[worst]) worst = x;
  };
  for (const s of statements(doc)) {
    if (!isAllow(s)) continue;
    const principal = own(s, 'Principal');
    const aws = principal === '*' ? ['*'] : asList(own(principal, 'AWS'));
    for (const p of aws) {
      if (typeof p !== 'string') continue;
      if (p === '*') raise(hasCondition(s) ? 'conditional' : 'public');
      else {
        const account = /^\d{12}$/.test(p) ? p : accountOfArn(p);
        if (account && account !== ownAccount) raise('foreign');
      }
    }
  }
  return worst;
}

const POLICY_PARAMETERS = ['policyDocument', 'assumeRolePolicyDocument', 'bucketPolicy', 'policy'] as const;

function requestPolicy(e: CloudTrailRecord): unknown {
  for (const k of POLICY_PARAMETERS) {
    const doc = policyObject(request(e, k));
    if (doc !== undefined) return doc;
  }
  return undefined;
}

function accountOf(e: CloudTrailRecord): string | undefined {
  return str(own(e, 'recipientAccountId')) ?? str(own(identity(e), 'accountId'));
}

function grantsEverything(doc: unknown): boolean {
  return statements(doc).some((s) => {
    if (!isAllow(s) || hasCondition(s)) return false;
    const actions = asList(own(s, 'Action'));
    const resources = asList(own(s, 'Resource'));
    return actions.some((a) => a === '*' || a === '*:*') && resources.includes('*');
  });
}

const PUBLIC_ACCESS_BLOCK_FLAGS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
];

/** Some block-public-access setting is turned off (a flag false or missing in the new configuration). */
function publicAccessBlockWeakened(e: CloudTrailRecord): boolean | undefined {
  const config = request(e, 'PublicAccessBlockConfiguration');
  if (typeof config !== 'object' || config === null) return undefined;
  return PUBLIC_ACCESS_BLOCK_FLAGS.some((f) => {
    const v = own(config, f);
    return v !== true && v !== 'true';
  });
}

const PUBLIC_GRANTEES = [
  'acs.amazonaws.com/groups/global/AllUsers',
  'acs.amazonaws.com/groups/global/AuthenticatedUsers',
];
const PUBLIC_CANNED_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read']);

/** An S3 ACL change granting to everyone or to every AWS account (canned ACL header or grant list). */
function aclGrantsPublic(e: CloudTrailRecord): boolean {
  const params = own(e, 'requestParameters');
  if (typeof params !== 'object' || params === null) return false;
  const canned = own(params, 'x-amz-acl');
  for (const c of asList(canned)) if (typeof c === 'string' && PUBLIC_CANNED_ACLS.has(c)) return true;
  const acl = own(params, 'AccessControlPolicy');
  if (acl === undefined) return false;
  const text = JSON.stringify(acl);
  return text.length <= MAX_POLICY_CHARS && PUBLIC_GRANTEES.some((g) => text.includes(g));
}

function ipPrefix(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) return `${Number(v4[1])}.${Number(v4[2])}.${Number(v4[3])}.0/24`;
  if (ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip) && ip.length <= 45) {
    if (ip.toLowerCase().startsWith('::ffff:')) return ipPrefix(ip.slice(7));
    const head = ip.split('::')[0] ?? '';
    const groups = head.split(':').filter((g) => g !== '');
    while (groups.length < 3) groups.push('0');
    return `${groups
      .slice(0, 3)
      .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
      .join(':')}::/48`;
  }
  // Service names (`cloudtrail.amazonaws.com`) and `AWS Internal` are not network addresses.
  return undefined;
}

const DERIVED: ReadonlyMap<string, Derive> = new Map<string, Derive>([
  ['$principal', principalOf],
  ['$principalBase', principalBaseOf],
  ['$identityType', (e) => str(own(identity(e), 'type'))],
  ['$account', accountOf],
  ['$accessKeyId', (e) => str(own(identity(e), 'accessKeyId'))],
  ['$longTermKey', (e) => /^AKIA[A-Z0-9]{12,}$/.test(str(own(identity(e), 'accessKeyId')) ?? '')],
  ['$succeeded', (e) => own(e, 'errorCode') === undefined || own(e, 'errorCode') === null],
  ['$accessDenied', (e) => ACCESS_DENIED_CODES.has(str(own(e, 'errorCode')) ?? '')],
  [
    '$mfaUsed',
    (e) =>
      pathValue(e, 'additionalEventData.MFAUsed') === 'Yes' ||
      String(pathValue(identity(e), 'sessionContext.attributes.mfaAuthenticated')) === 'true',
  ],
  ['$consoleLoginResult', (e) => str(pathValue(e, 'responseElements.ConsoleLogin'))],
  ['$samlLogin', (e) => str(pathValue(e, 'additionalEventData.SamlProviderArn')) !== undefined],
  ['$targetUser', targetUser],
  [
    '$targetUserIsOther',
    (e) => {
      const target = str(request(e, 'userName'));
      if (!target) return false;
      return target !== actorUserName(e) && target !== sessionName(e) && target !== actorRoleName(e);
    },
  ],
  [
    '$targetIsSelf',
    (e) => {
      const user = actorUserName(e);
      const role = actorRoleName(e);
      return (
        (user !== undefined && str(request(e, 'userName')) === user) ||
        (role !== undefined && str(request(e, 'roleName')) === role)
      );
    },
  ],
  [
    '$policyExposure',
    (e) => {
      const doc = requestPolicy(e);
      return doc === undefined ? undefined : policyExposure(doc, accountOf(e));
    },
  ],
  [
    '$policyGrantsEverything',
    (e) => {
      const doc = requestPolicy(e);
      return doc === undefined ? undefined : grantsEverything(doc);
    },
  ],
  ['$publicAccessBlockWeakened', publicAccessBlockWeakened],
  ['$sourceIpPrefix', (e) => ipPrefix(str(own(e, 'sourceIPAddress')))],
  [
    '$assumeRoleForeign',
    (e) => {
      const role = str(request(e, 'roleArn'));
      const caller = str(own(identity(e), 'accountId'));
      if (!role || !caller || str(own(identity(e), 'type')) === 'AWSService') return false;
      const roleAccount = accountOfArn(role);
      return roleAccount !== undefined && roleAccount !== caller;
    },
  ],
  [
    '$readOnlyName',
    (e) => /^(List|Get|Describe|Head|Search|Scan|BatchGet)/.test(str(own(e, 'eventName')) ?? ''),
  ],
  ['$eventKey', (e) => `${str(own(e, 'eventSource')) ?? ''}:${str(own(e, 'eventName')) ?? ''}`],
  ['$aclGrantsPublic', aclGrantsPublic],
]);

export const DERIVED_FIELDS: readonly string[] = [...DERIVED.keys()];

export function isKnownField(path: string): boolean {
  return !path.startsWith('$') || DERIVED.has(path);
}

export function fieldValue(ctx: EventContext, path: string): unknown {
  if (!path.startsWith('$')) return pathValue(ctx.record, path);
  if (ctx.derived.has(path)) return ctx.derived.get(path);
  const derive = DERIVED.get(path);
  const value = derive ? derive(ctx.record) : undefined;
  ctx.derived.set(path, value);
  return value;
}
