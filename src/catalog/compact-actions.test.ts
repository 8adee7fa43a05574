import { describe, expect, it } from 'vitest';
import { fromCompact, toCompact } from './compact-actions.js';
import { iamDataVersion } from './iam-data-files.js';
import { loadActions } from './load-actions.js';

const version = iamDataVersion();
const loaded = loadActions();
const compact = toCompact(loaded, version);

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
    ['another format', (c) => (c.format = 2)],
    ['a row that is not five fields', (c) => ((c.rows as unknown[][])[0] = [0, 'x'])],
    ['an unknown access level', (c) => ((c.rows as unknown[][])[0]![2] = 99)],
    ['a service index out of range', (c) => ((c.rows as unknown[][])[0]![0] = 100_000)],
    ['rows out of order (the order is the action indices)', (c) => (c.rows as unknown[]).reverse()],
    ['a resource type with a bad required flag', (c) => ((c.rows as unknown[][])[0]![4] = [['bucket', 2]])],
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
