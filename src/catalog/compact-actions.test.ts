import { describe, expect, it } from 'vitest';
import { fromCompact, toCompact } from './compact-actions.js';
import { iamDataVersion } from './iam-data-files.js';
import { loadActions } from './load-actions.js';

const version = iamDataVersion();
const loaded = loadActions();
const compact = toCompact(loaded, version);

/** The resources column with the first resource type's required flag set to 2. */
function bumpFirstRequired(resources: number[]): number[] {
  const out = [...resources];
  let r = 0;
  while (out[r] === 0) r++; // actions without resource types
  out[r + 2] = 2; // count, name index, required
  return out;
}

describe('the compact action index (written by the build, read by getCatalog)', () => {
  it('reads back to exactly the table loaded from iam-data, through JSON text', () => {
    const back = fromCompact(JSON.parse(JSON.stringify(compact)), version);
    expect(back).toEqual(loaded);
    expect(back!.actions.length).toBeGreaterThan(20_000);
  });

  it('is refused for another iam-data version, so an upgrade never reads a stale index', () => {
    expect(fromCompact(compact, `${version}-other`)).toBeUndefined();
  });

  const damaged: [string, (c: Record<string, unknown>) => void][] = [
    ['another format', (c) => (c.format = 1)],
    ['one name too few', (c) => (c.names = (c.names as string).replace(/ [^ ]+$/, ''))],
    ['an unknown access level', (c) => (c.levels = `9${(c.levels as string).slice(1)}`)],
    ['a service index out of range', (c) => ((c.service as number[])[0] = 100_000)],
    [
      'names out of order (the order is the action indices)',
      (c) => (c.names = (c.names as string).split(' ').reverse().join(' ')),
    ],
    ['a condition key index out of range', (c) => ((c.keys as number[])[1] = 1e9)],
    [
      'a resource type with a bad required flag',
      (c) => (c.resources = bumpFirstRequired(c.resources as number[])),
    ],
    ['a number left over', (c) => (c.resources as number[]).push(0)],
    ['a count that is not an integer', (c) => ((c.keys as unknown[])[0] = '2')],
    ['services that are not strings', (c) => (c.services = [1, 2])],
  ];
  it.each(damaged)('is refused when it has %s (the catalogue is then read from iam-data)', (_, damage) => {
    const copy = JSON.parse(JSON.stringify(compact)) as Record<string, unknown>;
    damage(copy);
    expect(fromCompact(copy, version)).toBeUndefined();
  });

  it('is refused when it is not an object', () => {
    for (const value of [null, 'text', 42, []]) expect(fromCompact(value, version)).toBeUndefined();
  });
});
