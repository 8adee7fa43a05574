import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliJson, resourceFileName, SnapshotWriter, TEMP_DIR } from './writer.js';

describe('resourceFileName', () => {
  it.each([
    ['team/api', 'team%2Fapi'],
    ['arn:aws:iam::111111111111:user/a+b@c', 'arn%3Aaws%3Aiam%3A%3A111111111111%3Auser%2Fa%2Bb%40c'],
    ['https://sqs.us-east-1.amazonaws.com/1/q', 'https%3A%2F%2Fsqs.us-east-1.amazonaws.com%2F1%2Fq'],
    ['.', '%2E'],
    ['..', '%2E%2E'],
  ])('%s → %s', (id, name) => {
    expect(resourceFileName(id)).toBe(name);
    expect(decodeURIComponent(name)).toBe(id);
  });

  it('refuses a name longer than a file system allows', () => {
    expect(resourceFileName(`arn:aws:iam::1:role/${'p/'.repeat(100)}r`)).toBeUndefined();
  });
});

describe('cliJson', () => {
  it('prints dates as ISO strings and blobs as base64, and drops the top-level $metadata only', () => {
    const text = cliJson({
      $metadata: { requestId: 'r', attempts: 2 },
      When: new Date('2026-01-02T03:04:05Z'),
      Content: new Uint8Array([104, 105]),
      Attributes: { $metadata: 'a tag value someone chose' },
    });
    expect(JSON.parse(text)).toEqual({
      When: '2026-01-02T03:04:05.000Z',
      Content: 'aGk=',
      Attributes: { $metadata: 'a tag value someone chose' },
    });
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "When"');
  });
});

describe('SnapshotWriter', () => {
  it('writes through a temporary file that is renamed into place, and cleans the temporary folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'leastpriv-writer-'));
    const writer = new SnapshotWriter(root);
    await writer.writeJson('a/b/file.json', { X: 1 });
    expect(readFileSync(join(root, 'a/b/file.json'), 'utf8')).toBe('{\n  "X": 1\n}\n');
    expect(readdirSync(join(root, TEMP_DIR))).toEqual([]);
    expect(await writer.exists('a/b/file.json')).toBe(true);
    expect(writer.filesWritten).toBe(1);
    await writer.cleanTemp();
    expect(readdirSync(root)).toEqual(['a']);
  });

  it('refuses a path that leaves the snapshot', () => {
    expect(() => new SnapshotWriter('/tmp/snap').path('../etc/passwd')).toThrow(/escapes/);
  });
});
