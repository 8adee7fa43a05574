import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureContext, fixtureResult } from '../../test/report/support/fixture.js';
import { REPORT_FORMATS, renderReport, renderReportChunks } from './index.js';
import { PiecedText } from './json-chunks.js';
import { writeReportFile } from './write.js';

describe('writeReportFile', () => {
  const dirs: string[] = [];
  const temp = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'leastpriv-write-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it.each([
    ['whole text', 'a…b\n'],
    ['pieces with multi-byte characters split across them', ['a…', '€', '', '😀 ', 'z\n']],
    ['pieces larger than a write batch', ['x'.repeat(3 << 20), 'é'.repeat(1 << 20), 'end']],
    ['no pieces', []],
    ['a long piece after a short one (the buffer grows)', ['a', '😀'.repeat(1 << 20), 'b']],
    ['lone surrogates, written as U+FFFD', ['\ud800x', '\udc00', '\ud800']],
    ['a surrogate pair split between write batches', [`${'a'.repeat(1 << 20)}\ud83d`, '\ude00b']],
  ])('writes exactly the UTF-8 of the text (%s)', async (_what, text: string | string[]) => {
    const file = join(temp(), 'report.txt');
    await writeReportFile(file, text);
    const expected = typeof text === 'string' ? text : text.join('');
    expect(readFileSync(file).equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });

  it('writes the pieces of a pieced text as made, with a surrogate pair split between pieces whole', async () => {
    const file = join(temp(), 'report.txt');
    const text = new PiecedText(() => ['a\ud83d', '\ude00', '', 'é', '\ud800']);
    await writeReportFile(file, text);
    expect(readFileSync(file).equals(Buffer.from('a😀é\ud800', 'utf8'))).toBe(true);
    expect([...text].join('')).toBe('a😀é\ud800');
  });

  it('writes every format of a report as renderReport makes it', async () => {
    const dir = temp();
    const options = { context: fixtureContext(), toolVersion: '1' };
    for (const format of REPORT_FORMATS.filter((f) => f !== 'json' && f !== 'table')) {
      const file = join(dir, format);
      await writeReportFile(file, renderReportChunks(format, fixtureResult(), options));
      expect(readFileSync(file, 'utf8')).toBe(renderReport(format, fixtureResult(), options));
    }
  });

  it('replaces what the file held before', async () => {
    const file = join(temp(), 'report.txt');
    writeFileSync(file, 'a much longer earlier report');
    await writeReportFile(file, ['new']);
    expect(readFileSync(file, 'utf8')).toBe('new');
  });

  it('pieces made lazily are written as they come', async () => {
    const file = join(temp(), 'report.txt');
    function* pieces(): Generator<string> {
      for (let i = 0; i < 1000; i++) yield `${i},`;
    }
    await writeReportFile(file, pieces());
    expect(readFileSync(file, 'utf8')).toBe(Array.from({ length: 1000 }, (_, i) => `${i},`).join(''));
  });
});
