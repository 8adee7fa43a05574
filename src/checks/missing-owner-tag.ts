import type { Identity } from '../model/account.js';
import type { CheckMetadata } from '../model/finding.js';
import type { Check, CheckContext, CheckOutcome } from './types.js';

const meta: CheckMetadata = {
  id: 'missing-owner-tag',
  title: 'IAM user or role without an owner tag',
  severity: 'low',
  description:
    'IAM users and roles without the owner tag (the configured `ownerTagKey`, `owner` by default; the key is compared case-insensitively and an empty value does not count). Service-linked roles and IAM Identity Center (AWSReservedSSO_) roles are created by AWS and cannot be tagged by their users, so they are skipped.',
  risk: 'Nobody answers for an identity without an owner: it is not reviewed, not rotated, and not removed when its purpose ends, which is how stale admin roles and vendor trusts survive.',
  remediation:
    'Tag each identity with its owner (`aws iam tag-role --role-name ROLE --tags Key=owner,Value=TEAM` / `aws iam tag-user`), and require the tag with an SCP or tag policy on iam:CreateRole/CreateUser (`aws:RequestTag/owner`).',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html',
    'https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html',
  ],
  compliance: {
    soc2: ['CC6.2', 'CC6.3'],
    iso27001: ['A.5.16', 'A.5.18'],
    'pci-dss': ['7.2.4'],
    hipaa: ['164.308(a)(3)', '164.308(a)(4)'],
  },
  resourceType: 'AWS::IAM::Principal',
  tags: ['hygiene', 'ownership'],
};

function createdByAws(identity: Identity): boolean {
  if (identity.kind !== 'role') return false;
  return (
    identity.path?.startsWith('/aws-service-role/') === true ||
    identity.path?.startsWith('/aws-reserved/sso.amazonaws.com/') === true
  );
}

function hasTag(tags: ReadonlyMap<string, string>, key: string): boolean {
  const wanted = key.toLowerCase();
  for (const [k, v] of tags) if (k.toLowerCase() === wanted && v.trim() !== '') return true;
  return false;
}

export const missingOwnerTag: Check = {
  meta,
  run(ctx: CheckContext): CheckOutcome[] {
    const key = ctx.config.ownerTagKey;
    const out: CheckOutcome[] = [];
    for (const account of ctx.snapshot.accounts.values()) {
      for (const identity of [...account.users.values(), ...account.roles.values()]) {
        if (createdByAws(identity) || hasTag(identity.tags, key)) continue;
        const tags = [...identity.tags.keys()];
        out.push({
          status: 'fail',
          account: account.id,
          resourceArn: identity.arn,
          resourceType: identity.kind === 'user' ? 'AWS::IAM::User' : 'AWS::IAM::Role',
          principal: identity.arn,
          message: `${identity.kind} ${identity.name} has no "${key}" tag${tags.length > 0 ? ` (tags: ${tags.join(', ')})` : ' (no tags)'}`,
          evidence: { facts: { ownerTagKey: key, tagCount: tags.length } },
        });
      }
    }
    return out;
  },
};
