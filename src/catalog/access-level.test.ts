import { describe, expect, it } from 'vitest';
import { ACCESS_LEVELS, normaliseAccessLevel } from './access-level.js';
import { isRecord, readIamDataJson, readServiceFile } from './iam-data-files.js';
import { getCatalog } from './index.js';

// The five access levels and what they mean:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html
// iam:PutRolePolicy is Permissions management, iam:TagRole is Tagging:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
describe('normaliseAccessLevel', () => {
  it.each([
    ['List', 'List'],
    ['Read', 'Read'],
    ['Write', 'Write'],
    ['Permissions management', 'Permissions management'],
    ['Tagging', 'Tagging'],
    ['Permissions management, Write', 'Permissions management'],
    ['Tagging, Write', 'Tagging'],
    ['write', 'Write'],
  ])('maps %s to %s', (raw, level) => {
    expect(normaliseAccessLevel(raw)).toBe(level);
  });

  it.each(['', 'Admin', 'Read, Write'])('leaves the unknown spelling %j unmapped', (raw) => {
    expect(normaliseAccessLevel(raw)).toBeUndefined();
  });

  it('maps every spelling iam-data uses (no silent Write fallback)', () => {
    const services = readIamDataJson('services.json') as string[];
    const spellings = new Set<string>();
    for (const service of services) {
      const file = readServiceFile('actions', service);
      if (!isRecord(file)) continue;
      for (const action of Object.values(file)) {
        if (isRecord(action) && typeof action.accessLevel === 'string') spellings.add(action.accessLevel);
      }
    }
    expect(spellings.size).toBeGreaterThanOrEqual(5);
    const unmapped = [...spellings].filter((s) => normaliseAccessLevel(s) === undefined);
    expect(unmapped).toEqual([]);
  });
});

describe('catalogue access levels', () => {
  const catalog = getCatalog();

  it('gives every action exactly one of the five levels', () => {
    const seen = new Set<string>();
    for (let i = 0; i < catalog.actionCount; i++) {
      const level = catalog.actionByIndex(i).accessLevel;
      expect(ACCESS_LEVELS).toContain(level);
      seen.add(level);
    }
    expect([...seen].sort()).toEqual([...ACCESS_LEVELS].sort());
  });

  it.each([
    ['iam:PutRolePolicy', 'Permissions management'],
    ['iam:TagRole', 'Tagging'],
    ['iam:CreateRole', 'Write'],
    ['s3:GetObject', 'Read'],
    ['s3:ListAllMyBuckets', 'List'],
    ['s3:PutBucketPolicy', 'Permissions management'],
    ['ec2:CreateTags', 'Tagging'],
  ])('%s is %s', (action, level) => {
    expect(catalog.lookupAction(action)?.accessLevel).toBe(level);
  });
});
