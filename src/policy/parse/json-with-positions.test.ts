import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from './json-value.js';
import { parseJsonWithPositions } from './json-with-positions.js';

/** Rebuilds a plain JS value (last duplicate wins, like JSON.parse) to compare with JSON.parse. */
function toPlain(value: JsonValue): unknown {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'number':
      return Number(value.raw);
    case 'boolean':
      return value.value;
    case 'null':
      return null;
    case 'array':
      return value.items.map(toPlain);
    case 'object': {
      const out: Record<string, unknown> = Object.create(null);
      for (const entry of value.entries) {
        Object.defineProperty(out, entry.key, {
          value: toPlain(entry.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
  }
}

function jsonParseAccepts(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('parseJsonWithPositions: strict RFC 8259', () => {
  it.each([
    ['{}'],
    ['[]'],
    ['"x"'],
    ['0'],
    ['-0.5e+10'],
    ['1E5'],
    ['true'],
    ['null'],
    [' \t\r\n{"a" : [1, 2, {"b": null}]} \n'],
    ['"\\u00e9\\n\\"\\\\\\/\\b\\f\\r\\t"'],
    ['"\\ud800"'],
  ])('accepts %j', (text) => {
    const result = parseJsonWithPositions(text);
    expect(result.problem).toBeUndefined();
    expect(toPlain(result.value as JsonValue)).toEqual(JSON.parse(text));
  });

  it.each([
    ['', 1, 1],
    ['{', 1, 2],
    ['{"a":1,}', 1, 8],
    ['[1,]', 1, 4],
    ['{a:1}', 1, 2],
    ["{'a':1}", 1, 2],
    ['{"a":1} // comment', 1, 9],
    ['{"a":\n  01}', 2, 4],
    ['{"a": 1.}', 1, 9],
    ['{"a": .5}', 1, 7],
    ['{"a": +1}', 1, 7],
    ['{"a": NaN}', 1, 7],
    ['{"a": "tab\there"}', 1, 11],
    ['{"a": "\\x41"}', 1, 8],
    ['{"a": "\\u12G4"}', 1, 8],
    ['{"a": "unterminated', 1, 20],
    ['{"a": True}', 1, 7],
    ['{"a" 1}', 1, 6],
    ['{} {}', 1, 4],
    ['\r\n\r\n  {"a":}', 3, 8],
    ['\r\r{"a":}', 3, 6],
  ])('rejects %j with a position (line %i, column %i)', (text, line, column) => {
    const result = parseJsonWithPositions(text);
    expect(result.value).toBeUndefined();
    expect(result.problem?.code).toBe('invalid-json');
    expect(result.problem?.pos.line).toBe(line);
    expect(result.problem?.pos.column).toBe(column);
  });

  it('accepts and rejects exactly what JSON.parse does, on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })), (text) => {
        const ours = parseJsonWithPositions(text).value !== undefined;
        // JSON.parse allows a BOM nowhere; we allow one leading BOM (RFC 8259 §8.1), which fast-check rarely makes.
        if (text.charCodeAt(0) === 0xfeff) return;
        expect(ours).toBe(jsonParseAccepts(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('builds the same values as JSON.parse for arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const result = parseJsonWithPositions(text);
        expect(toPlain(result.value as JsonValue)).toEqual(JSON.parse(text));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseJsonWithPositions: positions', () => {
  const text = [
    '{',
    '  "Version": "2012-10-17",',
    '  "Statement": [',
    '    {"Effect": "Allow"}',
    '  ]',
    '}',
  ].join('\r\n');

  it('records 1-based line and column and 0-based offset of keys and values', () => {
    const root = parseJsonWithPositions(text).value;
    if (root?.kind !== 'object') throw new Error('expected object');
    expect(root.pos).toEqual({ line: 1, column: 1, offset: 0 });
    const version = root.entries[0];
    expect(version?.keyPos).toMatchObject({ line: 2, column: 3 });
    expect(version?.value.pos).toMatchObject({ line: 2, column: 14 });
    expect(text.slice(version?.value.pos.offset, (version?.value.pos.offset ?? 0) + 12)).toBe('"2012-10-17"');
    const statement = root.entries[1]?.value;
    if (statement?.kind !== 'array') throw new Error('expected array');
    expect(statement.items[0]?.pos).toMatchObject({ line: 4, column: 5 });
  });

  it('counts whitespace outside strings only', () => {
    const result = parseJsonWithPositions('{ "a b" : [ 1 , "c d" ] }');
    expect(result.whitespace).toBe(8);
  });
});

describe('parseJsonWithPositions: hostile input', () => {
  it('reports duplicate keys instead of letting the last one win', () => {
    const result = parseJsonWithPositions('{"Effect":"Deny","Effect":"Allow"}');
    expect(result.hasDuplicates).toBe(true);
    const root = result.value;
    expect(root?.kind === 'object' && root.duplicateKeys).toEqual(['Effect']);
  });

  it('finds duplicates in objects large enough to switch to a Set', () => {
    const keys = Array.from({ length: 30 }, (_, i) => `"k${i}":${i}`);
    keys.push('"k3":0');
    const root = parseJsonWithPositions(`{${keys.join(',')}}`).value;
    expect(root?.kind === 'object' && root.duplicateKeys).toEqual(['k3']);
  });

  it('treats keys equal after unescaping as duplicates', () => {
    const root = parseJsonWithPositions('{"Effect":"Deny","\\u0045ffect":"Allow"}').value;
    expect(root?.kind === 'object' && root.duplicateKeys).toEqual(['Effect']);
  });

  it('keeps __proto__ as plain data', () => {
    const root = parseJsonWithPositions('{"__proto__":{"polluted":true},"constructor":1}').value;
    expect(root?.kind === 'object' && root.entries.map((entry) => entry.key)).toEqual([
      '__proto__',
      'constructor',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['arrays', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['objects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
  ])('refuses deep nesting of %s without exhausting the stack', (_name, text) => {
    const result = parseJsonWithPositions(text, { maxDepth: 64 });
    expect(result.problem?.code).toBe('too-deep');
  });

  it('accepts nesting up to the limit', () => {
    const result = parseJsonWithPositions('['.repeat(64) + ']'.repeat(64), { maxDepth: 64 });
    expect(result.problem).toBeUndefined();
  });
});
