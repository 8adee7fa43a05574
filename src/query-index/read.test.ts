/**
 * Reading a query index: bytes that are not a whole index of this format (empty, another magic,
 * cut short anywhere, another format, a header naming bytes the file does not have) are refused
 * with IndexFormatError and nothing else, so who-can falls back to the snapshot instead of
 * crashing or answering from half an index. And `mayName`, the index's candidate filter, must
 * never leave out a principal who-can lists (whoCanAction on the loaded snapshot is the oracle).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeAndGenerated } from '../../test/support/query-index-snapshots.js';
import { whoCanAction } from '../cli/commands/who-can-query.js';
import type { OrgSnapshot } from '../model/account.js';
import { buildQueryIndex } from './build.js';
import { INDEX_FORMAT, INDEX_MAGIC } from './format.js';
import { IndexFormatError, QueryIndex } from './read.js';

const _acmeDir = new URL('../../examples/acme', import.meta.url).pathname;

interface Fixture {
  readonly snapshot: OrgSnapshot;
  readonly bytes: Buffer;
  readonly index: QueryIndex;
}

const fixtures: Record<string, Fixture> = {};
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'leastpriv-read-'));
  for (const [name, snapshot] of Object.entries(await acmeAndGenerated(tmp, 5))) {
    const { bytes } = buildQueryIndex(snapshot, `key-${name}`, new Date('2026-01-01T00:00:00Z'));
    fixtures[name] = { snapshot, bytes, index: QueryIndex.fromBytes(bytes) };
  }
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const acme = (): Fixture => fixtures.acme as Fixture;

function headerLength(bytes: Buffer): number {
  return bytes.readUInt32LE(8);
}

/** The header as JSON plus the blob section, split from whole index bytes. */
function split(bytes: Buffer): { header: Record<string, unknown>; blobs: Buffer } {
  const length = headerLength(bytes);
  return {
    header: JSON.parse(bytes.toString('utf8', 12, 12 + length)),
    blobs: bytes.subarray(12 + length),
  };
}

/** The index with its header replaced by `text` (the blob section unchanged). */
function withHeaderText(bytes: Buffer, text: string): Buffer {
  const header = Buffer.from(text, 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(INDEX_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(header.length, 8);
  return Buffer.concat([prefix, header, split(bytes).blobs]);
}

// biome-ignore lint/suspicious/noExplicitAny: a header is rewritten freely, to damage it
type Header = Record<string, any>;

/** The index with its header changed by `change` (given a deep copy). */
function withHeader(bytes: Buffer, change: (header: Header, blobSize: number) => void): Buffer {
  const { header, blobs } = split(bytes);
  const copy = structuredClone(header);
  change(copy, blobs.length);
  return withHeaderText(bytes, JSON.stringify(copy));
}

/** What fromBytes threw (undefined when it returned an index). */
function refusal(bytes: Buffer): unknown {
  try {
    QueryIndex.fromBytes(bytes);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('QueryIndex.fromBytes refuses bytes that are not a whole index', () => {
  it('reads the index it was given back (the control for the cases below)', () => {
    expect(refusal(acme().bytes)).toBeUndefined();
    // The rewriting helpers alone keep an index readable, so a refusal below is the change's doing.
    expect(refusal(withHeader(acme().bytes, () => {}))).toBeUndefined();
  });

  const whole: [string, () => Buffer][] = [
    ['empty bytes', () => Buffer.alloc(0)],
    ['only the magic', () => Buffer.from(INDEX_MAGIC, 'latin1')],
    ['another magic', () => Buffer.concat([Buffer.from('LPQIDX02', 'latin1'), acme().bytes.subarray(8)])],
    [
      'a V8 snapshot cache file',
      () => Buffer.from([0xff, 0x0f, 0x6f, 0x22, 0x00, 0x7b, 0, 0, 0, 0, 0, 0, 0]),
    ],
    ['JSON text', () => Buffer.from('{"format":"leastpriv-query-index/1"}')],
    ['a header that is not JSON', () => withHeaderText(acme().bytes, '{"format": "leastpriv-query-')],
    ['a header that is JSON null', () => withHeaderText(acme().bytes, 'null')],
    [
      'a header length past the end of the file',
      () => {
        const b = Buffer.from(acme().bytes);
        b.writeUInt32LE(b.length, 8);
        return b;
      },
    ],
    [
      'a header of another format',
      () =>
        withHeader(acme().bytes, (h) => {
          h.format = 'leastpriv-query-index/0';
        }),
    ],
    [
      'a header without a format',
      () =>
        withHeader(acme().bytes, (h) => {
          delete h.format;
        }),
    ],
  ];

  it.each(whole)('refuses %s with IndexFormatError', (_, bytes) => {
    expect(refusal(bytes())).toBeInstanceOf(IndexFormatError);
  });

  it('refuses the index cut short at any of several points, with IndexFormatError', () => {
    const bytes = acme().bytes;
    const end = 12 + headerLength(bytes);
    const blob = bytes.length - end;
    const cuts = [
      1,
      7,
      8,
      11,
      12,
      13,
      Math.floor(end / 2),
      end - 1,
      end,
      end + 1,
      end + Math.floor(blob / 3),
      end + Math.floor(blob / 2),
      bytes.length - 5,
      bytes.length - 1,
    ];
    for (const cut of cuts)
      expect(refusal(bytes.subarray(0, cut)), `cut at ${cut} of ${bytes.length}`).toBeInstanceOf(
        IndexFormatError,
      );
  });

  /** Every `[offset, length]` pair of integers in the header, by path (whatever the layout). */
  function refsIn(value: unknown, path: string, out: string[]): string[] {
    if (Array.isArray(value)) {
      if (value.length === 2 && value.every((v) => Number.isInteger(v))) out.push(path);
      else for (const [i, v] of value.entries()) refsIn(v, `${path}.${i}`, out);
    } else if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value)) refsIn(v, path ? `${path}.${k}` : k, out);
    return out;
  }

  function setAt(header: Header, path: string, value: unknown): void {
    const keys = path.split('.');
    const last = keys.pop() as string;
    let at: Header = header;
    for (const k of keys) at = at[k];
    at[last] = value;
  }

  const badRefs: [string, (ref: [number, number], size: number) => unknown][] = [
    ['starts at the end of the blob section', (_, size) => [size, 4]],
    ['runs past the end', ([offset], size) => [offset, size - offset + 4]],
    ['is as long as the whole file', (_, size) => [0, size + 4]],
    ['has a negative offset', ([, length]) => [-4, length]],
    ['is not a pair', () => 'nowhere'],
    ['has a negative length', ([offset]) => [offset, -4]],
    ['has a fractional offset', ([offset, length]) => [offset + 0.5, length]],
    ['has no length', ([offset]) => [offset, null]],
  ];

  function refsAccepted(bad: (ref: [number, number], size: number) => unknown): string[] {
    const { header, blobs } = split(acme().bytes);
    const refs = refsIn(header, '', []);
    // The snapshot, each account, the principals' and documents' tables, the graph, ...
    expect(refs.length).toBeGreaterThanOrEqual(10);
    const accepted: string[] = [];
    for (const path of refs) {
      const bytes = withHeader(acme().bytes, (h) => {
        let ref: Header = h;
        for (const k of path.split('.')) ref = ref[k];
        setAt(h, path, bad(ref as unknown as [number, number], blobs.length));
      });
      const error = refusal(bytes);
      if (!(error instanceof IndexFormatError)) accepted.push(`${path}: ${String(error)}`);
    }
    return accepted;
  }

  it.each(badRefs)('refuses a header in which any one ref %s, with IndexFormatError', (_, bad) => {
    expect(refsAccepted(bad)).toEqual([]);
  });

  it('refuses entry offsets, inside the blob section, that point past its end', () => {
    const { header } = split(acme().bytes);
    // Format 2 keeps each principal's [offset, length] as Int32 pairs in the blob section.
    const [offset] = (header as Header).principals.text as [number, number];
    const end = 12 + headerLength(acme().bytes);
    const damaged = Buffer.from(acme().bytes);
    damaged.writeInt32LE(damaged.length, end + offset);
    expect(refusal(damaged)).toBeInstanceOf(IndexFormatError);
  });

  it.each([
    ['a principal names a managed policy past the last one', 'principals', 'managed'],
    ['a principal names an identity policy past the last one', 'principals', 'identity'],
    ['a policy names an Action pattern past the last one', 'policies', 'allow'],
    ['a document names an Action pattern past the last one', 'documents', 'names'],
  ])('refuses an index in which %s', (_, table, lists) => {
    const { header } = split(acme().bytes);
    // The list values are Int32 in the blob section; the first one is made to point nowhere.
    const [offset, length] = ((header as Header)[table] as Record<string, { values: [number, number] }>)[
      lists
    ]?.values as [number, number];
    expect(length).toBeGreaterThan(0);
    const damaged = Buffer.from(acme().bytes);
    damaged.writeInt32LE(1_000_000, 12 + headerLength(acme().bytes) + offset);
    expect(refusal(damaged)).toBeInstanceOf(IndexFormatError);
  });

  it('refuses a header whose tables disagree on how many principals there are', () => {
    const bytes = withHeader(acme().bytes, (h) => {
      h.principals.arn = h.principals.arn.slice(1);
    });
    expect(refusal(bytes)).toBeInstanceOf(IndexFormatError);
  });

  it('never throws anything but IndexFormatError for single damaged header bytes', () => {
    const bytes = acme().bytes;
    const end = 12 + headerLength(bytes);
    // A fixed pseudo-random walk over the header (a failure reproduces).
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const escaped: string[] = [];
    for (let n = 0; n < 300; n++) {
      const at = 12 + (next() % (end - 12));
      const damaged = Buffer.from(bytes);
      damaged[at] = next() & 0xff;
      const error = refusal(damaged);
      if (error !== undefined && !(error instanceof IndexFormatError))
        escaped.push(`byte ${at} = ${damaged[at]}: ${String(error)}`);
    }
    expect(escaped).toEqual([]);
  });

  // A header of the right format whose members are missing or of the wrong type (a damaged or
  // foreign file that still starts with the magic and the format string) must be refused the same
  // way: findQueryIndex turns only IndexFormatError into "not used"; anything else would escape and
  // end who-can with a TypeError instead of loading the snapshot.
  const malformed: [string, string | ((h: Header) => void)][] = [
    ['only a format', JSON.stringify({ format: INDEX_FORMAT })],
    [
      'no principals',
      (h) => {
        delete h.principals;
      },
    ],
    [
      'no graph',
      (h) => {
        delete h.graph;
      },
    ],
    [
      'accounts that are not a list',
      (h) => {
        h.accounts = 7;
      },
    ],
    [
      'no documents',
      (h) => {
        delete h.documents;
      },
    ],
  ];

  it.each(malformed)('refuses a header of this format with %s, with IndexFormatError', (_, change) => {
    const bytes =
      typeof change === 'string' ? withHeaderText(acme().bytes, change) : withHeader(acme().bytes, change);
    const error = refusal(bytes);
    expect(error).toBeInstanceOf(IndexFormatError);
  });

  it('names the format it found and the one it reads', () => {
    const error = refusal(
      withHeader(acme().bytes, (h) => {
        h.format = 'leastpriv-query-index/0';
      }),
    );
    expect((error as Error).message).toContain('leastpriv-query-index/0');
    expect((error as Error).message).toContain(INDEX_FORMAT);
  });
});

describe('mayName never leaves out a principal who-can lists', () => {
  const actions = [
    'iam:PassRole',
    's3:GetObject',
    'sts:AssumeRole',
    'ec2:RunInstances',
    'kms:Decrypt',
    'iam:CreateAccessKey',
    'lambda:InvokeFunction',
    'iam:AttachRolePolicy',
    's3:GetObjectTorrent',
    'groundstation:ReserveContact',
    'foo:Bar',
  ];

  describe.each(['acme', 'generated org'])('on %s', (name) => {
    it.each(actions)('%s: every principal whoCanAction lists is in mayName', (action) => {
      const { snapshot, index } = fixtures[name] as Fixture;
      const arns = index.header.principals.arn;
      const named = new Set(index.mayName(action).map((i) => arns[i]));
      const listed = whoCanAction(snapshot, action).principals.map((p) => p.principal);
      expect(listed.filter((arn) => !named.has(arn))).toEqual([]);
    });

    it('lists someone for most of these actions (the superset checks above are not vacuous)', () => {
      const { snapshot } = fixtures[name] as Fixture;
      const answered = actions.filter((a) => whoCanAction(snapshot, a).principals.length > 0);
      expect(answered.length).toBeGreaterThanOrEqual(actions.length - 3);
    });

    it('finds principals through wildcard patterns only (s3:GetObjectTorrent is named by no literal)', () => {
      const { snapshot, index } = fixtures[name] as Fixture;
      const action = 's3:GetObjectTorrent';
      expect(index.header.patterns.some((p) => p.toLowerCase() === action.toLowerCase())).toBe(false);
      expect(whoCanAction(snapshot, action).principals.length).toBeGreaterThan(0);
      expect(index.mayName(action).length).toBeGreaterThan(0);
    });

    it('returns principal indices in snapshot order without repeats', () => {
      const { index } = fixtures[name] as Fixture;
      const list = index.mayName('s3:GetObject');
      expect(list).toEqual([...new Set(list)].sort((a, b) => a - b));
      for (const i of list) expect(i).toBeLessThan(index.principalCount);
    });
  });
});
