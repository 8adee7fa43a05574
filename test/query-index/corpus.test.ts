/**
 * The query index on real exports (../shared/corpus/authz-details: the AWS CLI's documented example
 * and Cloudsplaining's fixtures, with URL-encoded documents, AWS managed policies, and an export
 * with no principals): every export that loads is indexed, and who-can, can and paths answer from
 * the index exactly as from the loaded export. Exports that do not load as a snapshot are not
 * indexed, and the questions still get the loaded answer.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as cli } from '../support/cli.js';

const repoRoot = resolve(new URL('../../', import.meta.url).pathname);
const corpus = resolve(repoRoot, '..', 'shared', 'corpus', 'authz-details');

function exportsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...exportsUnder(path));
    else if (name.endsWith('.json')) out.push(path);
  }
  return out.sort();
}

describe.skipIf(!existsSync(corpus))(
  'the query index on real exports (skipped: ../shared/corpus is absent)',
  () => {
    let indexDir: string;
    beforeAll(() => {
      indexDir = mkdtempSync(join(tmpdir(), 'leastpriv-corpus-index-'));
    });
    afterAll(() => {
      if (indexDir) rmSync(indexDir, { recursive: true, force: true });
    });

    it('answers who-can, can and paths from each indexed export as from the loaded export', async () => {
      const files = existsSync(corpus) ? exportsUnder(corpus) : [];
      expect(files.length).toBeGreaterThan(5);
      let indexed = 0;
      let fromIndex = 0;
      for (const file of files) {
        const built = await cli(['index', file, '--index-dir', indexDir, '-q', '--format', 'json']);
        if (built.code !== 0) continue;
        indexed++;
        const { principals } = JSON.parse(built.stdout) as { principals: number };
        const questions: string[][] = [
          ...[
            'iam:PassRole',
            's3:GetObject',
            'sts:AssumeRole',
            'ec2:RunInstances',
            'iam:CreateAccessKey',
          ].map((a) => ['who-can', a, '--format', 'json', '--timings']),
          ['who-can', 's3:PutObject', '--timings'],
          ['paths', '--to', 'admin', '--format', 'json'],
        ];
        // `can` for each user and role the index lists (at most a handful per export).
        if (principals > 0) {
          const who = await cli([
            'who-can',
            'iam:GetUser',
            '--snapshot',
            file,
            '--format',
            'json',
            '--no-index',
          ]);
          const arns = [
            ...new Set(
              (JSON.parse(who.stdout).principals as { principal: string }[]).map((p) => p.principal),
            ),
          ];
          for (const arn of arns.slice(0, 4))
            questions.push(['can', arn, 's3:GetObject', '--format', 'json', '--timings']);
        }
        for (const q of questions) {
          const [command, ...rest] = q;
          const a = await cli([command as string, ...rest, '--snapshot', file, '--index-dir', indexDir]);
          const b = await cli([command as string, ...rest, '--snapshot', file, '--no-index']);
          const label = `${file}: ${q.join(' ')}`;
          expect(a.code, label).toBe(b.code);
          // Text output ends with how long the engine took: the one part two runs may differ in.
          const millis = (t: string) => t.replace(/ with the engine in \d+ ms$/m, ' with the engine in N ms');
          expect(millis(a.stdout), label).toBe(millis(b.stdout));
          if (a.stderr.includes('read the query index') || a.stderr.includes('read from the query index'))
            fromIndex++;
        }
      }
      expect(indexed).toBeGreaterThanOrEqual(4);
      expect(fromIndex).toBeGreaterThan(indexed * 5);
    });
  },
);
