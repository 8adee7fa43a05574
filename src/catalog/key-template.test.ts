// biome-ignore-all lint/suspicious/noTemplateCurlyInString: AWS writes ARN and condition-key placeholders as ${Name}
import { describe, expect, it } from 'vitest';
import { matchesKeyTemplate, parseKeyTemplate } from './key-template.js';

describe('condition key templates', () => {
  it.each([
    ['aws:RequestTag/${TagKey}', 'aws:requesttag/team', true],
    ['aws:RequestTag/${TagKey}', 'aws:requesttag/', false],
    ['aws:RequestTag/${TagKey}', 'aws:requesttag/a/b', true],
    ['aws:PrincipalTag/tag-key', 'aws:principaltag/dept', true],
    ['s3:ExistingObjectTag/<key>', 's3:existingobjecttag/classification', true],
    ['s3:ExistingObjectTag/<key>', 's3:existingobjecttags', false],
    ['codebuild:secondarySources/${id}.auth.resource', 'codebuild:secondarysources/src1.auth.resource', true],
    ['codebuild:secondarySources/${id}.auth.resource', 'codebuild:secondarysources/.auth.resource', false],
    ['agent.${Domain}.buildkite.dev:build_branch', 'agent.acme.buildkite.dev:build_branch', true],
    ['a${x}b${y}c', 'a1b2c', true],
    ['a${x}b${y}c', 'abc', false],
    ['a${x}b${y}c', 'a1bc', false],
    ['a${x}b${y}c', 'a1b2b3c', true],
  ])('%s matches %s: %s', (template, key, expected) => {
    const parsed = parseKeyTemplate(template);
    expect(parsed).toBeDefined();
    expect(matchesKeyTemplate(parsed!, key)).toBe(expected);
  });

  it.each(['aws:SourceIp', 's3:prefix', 'broken${open'])('%s is not a template', (key) => {
    expect(parseKeyTemplate(key)).toBeUndefined();
  });
});
