import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../policy/parse/index.js';
import { analyzePolicyExposure, type ExposureTarget } from './analyze-policy.js';
import { makeTrustZone } from './zone.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CASES = join(
  resolve(repoRoot, '..', 'shared'),
  'corpus',
  'lint-cases',
  'cloud-custodian-cross-account',
);
const present = existsSync(join(CASES, 'expected.json'));

interface CorpusCase {
  readonly file: string;
  readonly test: string;
  readonly checker_config: {
    readonly allowed_accounts?: readonly string[];
    readonly allowed_orgid?: readonly string[];
    readonly allowed_vpc?: readonly string[];
    readonly allowed_vpce?: readonly string[];
    readonly everyone_only?: boolean;
    readonly return_allowed?: boolean;
  };
  readonly expected_violation?: readonly boolean[];
}

/**
 * Verdicts of the corpus that contradict AWS's documented behaviour, keyed `test#index`. Each says
 * why our verdict is the AWS one.
 */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  // ArnLike checks each of the six colon-separated ARN components; the value
  // `arn:aws:sns:us-east-1:234567890123` has five, so no request's aws:SourceArn can match it and the
  // statement grants nothing. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
  'test_s3_policies#3': 'five-component ArnLike value never matches',
  'test_s3_policies_vpc#3': 'five-component ArnLike value never matches',
  'test_s3_everyone_only#0':
    'five-component ArnLike value never matches (and a fixed aws:SourceArn is not public for S3)',
  // Conditions in one statement are ANDed: the grant needs aws:SourceArn (a service acting for a
  // resource, never an outside IAM principal) and can never match (five components).
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
  'test_s3_policies_multiple_conditions#1': 'conditions are ANDed; the aws:SourceArn one cannot hold',
  // `ForAnyValues:` is not an operator (it is `ForAnyValue:`): AWS rejects the policy, and the engine
  // answers Unknown for every request, which we report as an undecidable (possible) grant.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
  'test_s3_policies#12': 'invalid operator: undecidable, reported as possible exposure',
  'test_s3_policies_vpc#12': 'invalid operator: undecidable, reported as possible exposure',
  // aws:ResourceOrgID is the organization of the resource's owner, not of the caller: with the bucket in
  // o-goodorg, `Principal: *` with aws:ResourceOrgID = o-goodorg lets anyone in.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
  'test_s3_resource_org_id#0': 'aws:ResourceOrgID does not restrict the caller',
  // The Principal element names 10-digit "accounts" no caller can be in (account IDs have 12 digits;
  // AWS rejects the policy), and the principal and the aws:PrincipalAccount condition must both match.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
  'test_s3_principal_account#1': 'no caller matches both the Principal and aws:PrincipalAccount',
  'test_s3_principal_account (empty allowlist)#0':
    'no caller matches both the Principal and aws:PrincipalAccount',
  'test_s3_principal_account (empty allowlist)#1':
    'no caller matches both the Principal and aws:PrincipalAccount',
};

const OWNER = '555555555555';

interface PolicyDoc {
  readonly Id?: string;
  readonly Statement: readonly {
    readonly Action?: string | readonly string[];
    readonly Resource?: string | readonly string[];
  }[];
}

function first(v: string | readonly string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : v?.[0];
}

/** The resource the policy is attached to, read from its own Resource/Id (the corpus gives no owner). */
function targetOf(doc: PolicyDoc): ExposureTarget {
  const action = first(doc.Statement[0]?.Action) ?? '';
  const service = action.split(':')[0]?.toLowerCase() ?? '';
  if (service === 'sts')
    return { arn: `arn:aws:iam::${OWNER}:role/corpus`, accountId: OWNER, kind: 'trust', service: 'iam' };
  let arn = first(doc.Statement[0]?.Resource);
  if (!arn || arn === '*') arn = doc.Id?.split('/')[0];
  if (service === 's3') {
    const bucket = (arn ?? 'arn:aws:s3:::corpus').slice('arn:aws:s3:::'.length).split('/')[0];
    return { arn: `arn:aws:s3:::${bucket}`, accountId: OWNER, kind: 'resource', service };
  }
  if (!arn?.startsWith('arn:')) arn = `arn:aws:${service}:us-east-1:${OWNER}:corpus`;
  const account = arn.split(':')[4] || OWNER;
  return { arn, accountId: account, kind: 'resource', service };
}

function exposed(doc: PolicyDoc, c: CorpusCase): boolean {
  const cfg = c.checker_config;
  const target = targetOf(doc);
  const accounts = (cfg.allowed_accounts ?? []).filter((a) => /^\d{12}$/.test(a));
  // Custodian lists trusted federated providers among its accounts.
  const federated = (cfg.allowed_accounts ?? []).filter((a) => !/^\d{12}$/.test(a));
  const zone = makeTrustZone(target.accountId, {
    trustedAccounts: accounts,
    trustedOrganizations: cfg.allowed_orgid ?? [],
    trustedFederated: federated,
    ...(cfg.allowed_vpc ? { trustedVpcs: cfg.allowed_vpc } : {}),
    ...(cfg.allowed_vpce ? { trustedVpces: cfg.allowed_vpce } : {}),
  });
  const parsed = parsePolicy(doc, { type: target.kind === 'trust' ? 'trust' : 'resource' });
  if (!parsed.policy) throw new Error('corpus policy did not parse');
  const result = analyzePolicyExposure(
    { name: 'corpus', policy: parsed.policy, issues: parsed.issues },
    target,
    zone,
  );
  // A role trusting a service is not access by an outsider: only the role's account can pass it.
  const external = result.grants.filter(
    (g) => !g.inZone && !(target.kind === 'trust' && g.principalClass === 'service'),
  );
  if (cfg.everyone_only)
    return external.some((g) => g.principalClass === 'anyone' || g.principalClass === 'any-account');
  return external.length > 0;
}

describe.skipIf(!present)(
  'cloud-custodian cross-account corpus (../shared/corpus/lint-cases/cloud-custodian-cross-account)',
  () => {
    if (!present) return;
    const expected = JSON.parse(readFileSync(join(CASES, 'expected.json'), 'utf8')) as {
      cases: CorpusCase[];
    };
    const rows: [string, number, PolicyDoc, CorpusCase, boolean][] = [];
    for (const c of expected.cases) {
      // `return_allowed` lists the statements Custodian's checker accepts: not an exposure verdict.
      if (!c.expected_violation) continue;
      const raw = JSON.parse(readFileSync(join(CASES, 'policies', c.file), 'utf8')) as
        | PolicyDoc
        | PolicyDoc[];
      const docs = Array.isArray(raw) ? raw : [raw];
      c.expected_violation.forEach((v, i) => {
        const doc = docs[i];
        if (doc) rows.push([c.test, i, doc, c, v]);
      });
    }

    it('covers every expected verdict', () => {
      expect(rows.length).toBe(72 - 6);
    });

    it.each(rows)(
      '%s #%i matches the expected verdict (or its documented exception)',
      (test, i, doc, c, want) => {
        const got = exposed(doc, c);
        const exception = EXCEPTIONS[`${test}#${i}`];
        if (exception) expect(got, exception).toBe(!want);
        else expect(got).toBe(want);
      },
    );
  },
);

describe.skipIf(present)('cloud-custodian cross-account corpus', () => {
  it.skip('skipped: ../shared/corpus is not present next to the repository', () => {});
});
