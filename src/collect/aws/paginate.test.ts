import { describe, expect, it } from 'vitest';
import { drainPages, type Page, RepeatedTokenError, TooManyPagesError } from './paginate.js';

/** A fake paginator over fixed pages that records how many it was asked for. */
function pagesOf(pages: readonly Page[]) {
  const state = { served: 0 };
  async function* gen(): AsyncIterable<Page> {
    for (const page of pages) {
      state.served++;
      yield page;
    }
  }
  return { iterable: gen(), state };
}

describe('drainPages', () => {
  it('concatenates the merged members of every page and drops pagination members', async () => {
    const { iterable } = pagesOf([
      { Keys: [1, 2], Truncated: true, NextMarker: 'a', Owner: 'first' },
      { Keys: [3], Truncated: false, Owner: 'second' },
    ]);
    expect(await drainPages(iterable, { token: 'NextMarker', merge: ['Keys'], drop: ['Truncated'] })).toEqual(
      {
        Keys: [1, 2, 3],
        Owner: 'first',
      },
    );
  });

  it.each([
    ['the same token twice in a row', ['a', 'a'], 2],
    ['a token that comes back after another (a cycle)', ['a', 'b', 'a'], 3],
  ])('stops at %s without asking for another page', async (_name, tokens, pagesBeforeStop) => {
    const pages = [...tokens.map((t) => ({ Items: [t], NextToken: t })), { Items: ['never'] }];
    const { iterable, state } = pagesOf(pages);
    const failure = drainPages(iterable, { token: 'NextToken', merge: ['Items'] });
    await expect(failure).rejects.toBeInstanceOf(RepeatedTokenError);
    expect(state.served).toBe(pagesBeforeStop);
  });

  it('stops at the page bound', async () => {
    const { iterable } = pagesOf(Array.from({ length: 10 }, (_, i) => ({ NextToken: `t${i}` })));
    await expect(drainPages(iterable, { token: 'NextToken', maxPages: 3 })).rejects.toBeInstanceOf(
      TooManyPagesError,
    );
  });

  it('calls the step wrapper once per page request', async () => {
    const { iterable } = pagesOf([{ NextToken: 'x' }, {}]);
    let steps = 0;
    await drainPages(iterable, { token: 'NextToken' }, (step) => {
      steps++;
      return step();
    });
    expect(steps).toBe(2);
  });
});
