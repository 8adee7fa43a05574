import type {
  Account,
  CredentialReportRow,
  Gap,
  OrgSnapshot,
  PasswordPolicyValue,
} from '../model/account.js';
import type { Evidence } from '../model/finding.js';
import type { CheckOutcome } from './types.js';

/** Shared by the credential and CIS checks: dates from the credential report, gaps, account-level outcomes. */

// One reading of credential and last-used dates for the checks and the analyses.
export { daysSince } from '../analysis/unused.js';

/** `2026-10-15` from an ISO time, for messages. */
export function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : 'never';
}

export function gapFor(account: Account, artifact: string): Gap | undefined {
  return account.gaps.find((g) => g.artifact === artifact && g.target === undefined);
}

export function rootArnOf(account: Account): string {
  return account.root.arn || `arn:${account.partition}:iam::${account.id}:root`;
}

/** An `unknown` outcome for an account-level resource, naming what is missing. */
export function unknownFor(
  account: Account,
  resourceArn: string,
  what: string,
  gap?: Gap,
  extra: Partial<CheckOutcome> = {},
): CheckOutcome {
  return {
    status: 'unknown',
    account: account.id,
    resourceArn,
    message: `Cannot decide: ${what}${gap ? ` (${gap.reason}: ${gap.message})` : ''}`,
    evidence: { facts: { missing: gap?.artifact ?? what } },
    ...extra,
  };
}

/** The credential report, or why it is missing. */
export function reportOf(account: Account): { ok: true; generated?: string } | { ok: false; gap?: Gap } {
  if (account.credentialReport)
    return account.credentialReport.generatedTime !== undefined
      ? { ok: true, generated: account.credentialReport.generatedTime }
      : { ok: true };
  return {
    ok: false,
    ...(gapFor(account, 'iam-get-credential-report')
      ? { gap: gapFor(account, 'iam-get-credential-report')! }
      : {}),
  };
}

export function reportEvidence(
  account: Account,
  row: CredentialReportRow,
  facts: Evidence['facts'] = {},
): Evidence {
  return {
    facts: {
      ...facts,
      credentialReport: `${account.credentialReport?.source ?? 'credential report'}:${row.line}`,
    },
  };
}

/** Every user row of every account that has a report; accounts without one get `onMissing`. */
export function* usersWithReport(snapshot: OrgSnapshot): Iterable<
  | {
      readonly kind: 'row';
      readonly account: Account;
      readonly arn: string;
      readonly row: CredentialReportRow;
    }
  | { readonly kind: 'no-row'; readonly account: Account; readonly arn: string }
  | { readonly kind: 'no-report'; readonly account: Account; readonly gap?: Gap }
> {
  for (const account of snapshot.accounts.values()) {
    const report = reportOf(account);
    if (!report.ok) {
      // Without the report there is nothing to say per user; one unknown per account keeps it honest.
      yield report.gap ? { kind: 'no-report', account, gap: report.gap } : { kind: 'no-report', account };
      continue;
    }
    for (const user of account.users.values()) {
      if (user.credentials) yield { kind: 'row', account, arn: user.arn, row: user.credentials };
      else yield { kind: 'no-row', account, arn: user.arn };
    }
  }
}

export const NO_REPORT_MESSAGE = 'the credential report was not collected for this account';

/**
 * The `unknown` outcome for a user the credential report cannot speak about: one per account when
 * the report is missing, one per user when the user has no row.
 */
export function missingReportOutcome(
  u:
    | { readonly kind: 'no-row'; readonly account: Account; readonly arn: string }
    | { readonly kind: 'no-report'; readonly account: Account; readonly gap?: Gap },
  noRowMessage = 'the user is not in the credential report',
): CheckOutcome {
  return u.kind === 'no-report'
    ? unknownFor(u.account, rootArnOf(u.account), NO_REPORT_MESSAGE, u.gap, {
        resourceType: 'AWS::::Account',
      })
    : unknownFor(u.account, u.arn, noRowMessage, undefined, { principal: u.arn });
}

/**
 * The root checks' loop: per account, the root user's credential-report row handed to `decide`, or
 * an `unknown` outcome when the report or its `<root_account>` row is missing (never a pass).
 * `decide` returns the account's outcomes (none when the root user passes).
 */
export function rootOutcomes(
  snapshot: OrgSnapshot,
  decide: (
    account: Account,
    arn: string,
    row: CredentialReportRow,
  ) => CheckOutcome | readonly CheckOutcome[] | undefined,
): CheckOutcome[] {
  const out: CheckOutcome[] = [];
  for (const account of snapshot.accounts.values()) {
    const arn = rootArnOf(account);
    const report = reportOf(account);
    const row = account.credentialReport?.root;
    let decided: CheckOutcome | readonly CheckOutcome[] | undefined;
    if (!report.ok) decided = unknownFor(account, arn, NO_REPORT_MESSAGE, report.gap, { principal: arn });
    else if (!row)
      decided = unknownFor(account, arn, 'the credential report has no <root_account> row', undefined, {
        principal: arn,
      });
    else decided = decide(account, arn, row);
    if (decided === undefined) continue;
    if ('status' in decided) out.push(decided);
    else out.push(...decided);
  }
  return out;
}

/**
 * The account's password policy for the password checks: the policy, or AWS's default rules when
 * none is set (minimum 8 characters, three of four character classes, no reuse prevention), or
 * unknown. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
 */
export type PasswordPolicyView =
  | { readonly state: 'set'; readonly value: PasswordPolicyValue; readonly source: string }
  | { readonly state: 'none' }
  | { readonly state: 'unknown'; readonly gap?: Gap };

export function passwordPolicyOf(account: Account): PasswordPolicyView {
  const p = account.passwordPolicy;
  if (p.state === 'set') return p;
  if (p.state === 'none') return { state: 'none' };
  const gap = gapFor(account, 'iam-get-account-password-policy');
  return gap ? { state: 'unknown', gap } : { state: 'unknown' };
}

export const PASSWORD_POLICY_RESOURCE_TYPE = 'AWS::IAM::AccountPasswordPolicy';
