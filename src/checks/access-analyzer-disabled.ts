import type { Account, OrgSnapshot } from '../model/account.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'access-analyzer-disabled',
  title: 'IAM Access Analyzer (external access) not enabled in every region',
  severity: 'medium',
  description:
    'An account with data in a region where its own analyzer listing (`aws accessanalyzer list-analyzers`, as the CIS audit procedure reads it in each account and region) shows no ACTIVE external-access analyzer (type ACCOUNT or ORGANIZATION). Unused-access analyzers do not count. When an organization analyzer of another account covers the region, the finding says so: that analyzer sees the resources, but its findings go to the delegated administrator, not to the account. An account whose analyzer listing was not collected is `unknown`.',
  risk: 'Without an analyzer, nobody is told when a bucket, key, queue or role becomes shared with the world or another account.',
  remediation:
    "Create an analyzer in every region you use: `aws accessanalyzer create-analyzer --analyzer-name account-analyzer --type ACCOUNT --region REGION` (or, from the organization's management or delegated administrator account, `--type ORGANIZATION`).",
  references: [
    'CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.19 Ensure that IAM External Access Analyzer is enabled for all regions (1.20 in v3.0.0)',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-create-external.html',
    'https://docs.aws.amazon.com/config/latest/developerguide/iam-external-access-analyzer-enabled.html',
  ],
  compliance: {
    'cis-aws': ['1.19'],
    soc2: ['CC7.2'],
    iso27001: ['A.5.15'],
  },
  resourceType: 'AWS::::Account',
  tags: ['monitoring'],
};

const EXTERNAL_TYPES = new Set(['ACCOUNT', 'ORGANIZATION']);

function regionOf(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}

/** Regions covered by an ACTIVE organization analyzer anywhere in the snapshot's organization. */
function organizationRegions(snapshot: OrgSnapshot): Set<string> {
  const out = new Set<string>();
  for (const account of snapshot.accounts.values()) {
    if (account.orgPath.length === 0) continue;
    for (const a of account.accessAnalyzers ?? []) {
      const region = regionOf(a.arn);
      if (region && a.type === 'ORGANIZATION' && a.status === 'ACTIVE') out.add(region);
    }
  }
  return out;
}

function ownRegions(account: Account): Set<string> {
  const out = new Set<string>();
  for (const a of account.accessAnalyzers ?? []) {
    const region = regionOf(a.arn);
    if (region && a.status === 'ACTIVE' && EXTERNAL_TYPES.has(a.type ?? 'ACCOUNT')) out.add(region);
  }
  return out;
}

export const accessAnalyzerDisabled: Check = {
  meta,
  run({ snapshot }) {
    const out: CheckOutcome[] = [];
    const byOrg = organizationRegions(snapshot);
    for (const account of snapshot.accounts.values()) {
      const base = { account: account.id, resourceArn: account.root.arn };
      const gap = account.gaps.find((g) => g.artifact === 'access-analyzer-list-analyzers');
      if (account.accessAnalyzers === undefined || gap) {
        out.push({
          ...base,
          status: 'unknown',
          message: `IAM Access Analyzer listing not collected for account ${account.id}${gap ? ` (${gap.reason})` : ''}`,
        });
        continue;
      }
      const covered = ownRegions(account);
      const inOrg = account.orgPath.length > 0;
      // Without the list of regions that have data, only "no analyzer anywhere" can be told apart.
      const regions = account.regions.length > 0 ? account.regions : covered.size > 0 ? [] : ['any region'];
      const missing = regions.filter((r) => !covered.has(r)).sort();
      if (missing.length === 0) continue;
      const orgCovered = inOrg ? missing.filter((r) => byOrg.has(r)) : [];
      out.push({
        ...base,
        status: 'fail',
        message: `No active external-access analyzer in ${missing.join(', ')} (account ${account.id})${
          orgCovered.length > 0 ? `; an organization analyzer covers ${orgCovered.join(', ')}` : ''
        }`,
        evidence: {
          facts: {
            regionsWithoutAnalyzer: missing.join(', '),
            regionsWithData: account.regions.join(', '),
            coveredByOrganizationAnalyzer: orgCovered.join(', '),
          },
        },
      });
    }
    return out;
  },
};
