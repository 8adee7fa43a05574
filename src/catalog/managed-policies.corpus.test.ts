import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ActionSetBuilder } from './action-set.js';
import { getCatalog } from './index.js';
import type { ActionSet, Catalog } from './types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusFile = path.resolve(
  repoRoot,
  '..',
  'shared',
  'corpus',
  'managed-policies',
  'iam-dataset',
  'aws-managed-policies.jsonl.gz',
);
const corpusPresent = existsSync(corpusFile);
if (!corpusPresent) console.warn(`skipping managed-policy cross-check: ${corpusFile} not found`);

/** Every 4th policy: a fixed, deterministic sample of ~400 real policies. */
const SAMPLE_STRIDE = 4;

interface CorpusPolicy {
  readonly name: string;
  readonly document: { Statement?: unknown };
  readonly effective_actions?: readonly { effective_action?: string }[];
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function strings(value: unknown): string[] {
  return asList(value).filter((v): v is string => typeof v === 'string');
}

/**
 * Actions an Allow statement can grant: its Action patterns, or for NotAction everything except
 * those patterns. Deny statements only remove, so ignoring them keeps "ours covers theirs" sound.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
 */
function allowedActions(catalog: Catalog, document: CorpusPolicy['document']): ActionSet {
  const builder = new ActionSetBuilder(catalog.actionCount);
  for (const statement of asList(document.Statement)) {
    if (typeof statement !== 'object' || statement === null) continue;
    const s = statement as Record<string, unknown>;
    if (s.Effect !== 'Allow') continue;
    if ('Action' in s) for (const p of strings(s.Action)) builder.addSet(catalog.expandActionPattern(p).set);
    if ('NotAction' in s) {
      const excluded = new ActionSetBuilder(catalog.actionCount);
      for (const p of strings(s.NotAction)) excluded.addSet(catalog.expandActionPattern(p).set);
      builder.addSet(excluded.build().complement());
    }
  }
  return builder.build();
}

describe.skipIf(!corpusPresent)('expansion against iam-dataset managed policies', () => {
  it('covers every expanded action that both catalogues know', () => {
    const catalog = getCatalog();
    const lines = gunzipSync(readFileSync(corpusFile)).toString('utf8').split('\n').filter(Boolean);
    const missed: string[] = [];
    const onlyTheirs = new Set<string>();
    let compared = 0;
    let policies = 0;
    for (let i = 0; i < lines.length; i += SAMPLE_STRIDE) {
      const policy = JSON.parse(lines[i]!) as CorpusPolicy;
      const theirs = policy.effective_actions ?? [];
      if (theirs.length === 0) continue;
      policies++;
      const ours = allowedActions(catalog, policy.document);
      for (const entry of theirs) {
        const name = entry.effective_action;
        if (typeof name !== 'string') continue;
        const info = catalog.lookupAction(name);
        if (!info) {
          onlyTheirs.add(name);
          continue;
        }
        compared++;
        if (!ours.has(info.index)) missed.push(`${policy.name}: ${name}`);
      }
    }
    // Differences in catalogue vintage are expected; report them rather than fail.
    console.info(
      `managed-policy cross-check: ${policies} policies, ${compared} actions compared, ` +
        `${onlyTheirs.size} actions only iam-dataset knows (e.g. ${[...onlyTheirs].slice(0, 5).join(', ')})`,
    );
    expect(policies).toBeGreaterThan(300);
    expect(compared).toBeGreaterThan(10_000);
    expect(missed).toEqual([]);
  });
});
