/** One page (or the whole output) of an SDK call, as the SDK returns it. */
export type Page = Readonly<Record<string, unknown>>;

/** A pagination token came back a second time: following it would loop forever. */
export class RepeatedTokenError extends Error {
  constructor(
    readonly tokenMember: string,
    readonly pages: number,
  ) {
    super(`the service returned a ${tokenMember} it had already returned; stopped after ${pages} pages`);
    this.name = 'RepeatedTokenError';
  }
}

/** Too many pages for one call: a bound against a service that never stops paginating. */
export class TooManyPagesError extends Error {
  constructor(readonly pages: number) {
    super(`more than ${pages} pages; stopped`);
    this.name = 'TooManyPagesError';
  }
}

export interface MergeSpec {
  /** The output member holding the next token (`Marker`, `NextToken`, `NextMarker`, `nextToken`). */
  readonly token?: string;
  /** List members concatenated across pages; other members come from the first page. */
  readonly merge?: readonly string[];
  /** Members that only describe pagination and are left out of the merged output. */
  readonly drop?: readonly string[];
  readonly maxPages?: number;
}

const DEFAULT_MAX_PAGES = 100_000;
const PAGINATION_MEMBERS = [
  'IsTruncated',
  'Marker',
  'NextToken',
  'NextMarker',
  'nextToken',
  'ContinuationToken',
];

/**
 * Drains a paginator into one output, the way `aws ... --no-paginate` is not: every page merged.
 * `next` is called once per page so the caller can hold a concurrency permit around exactly one
 * request. A token seen before ends the loop with RepeatedTokenError before it is followed.
 */
export async function drainPages(
  pages: AsyncIterable<object>,
  spec: MergeSpec,
  next: (step: () => Promise<IteratorResult<object>>) => Promise<IteratorResult<object>> = (step) => step(),
): Promise<Page> {
  const iterator = pages[Symbol.asyncIterator]();
  const seen = new Set<string>();
  const maxPages = spec.maxPages ?? DEFAULT_MAX_PAGES;
  let merged: Record<string, unknown> | undefined;
  let count = 0;
  try {
    for (;;) {
      const result = await next(() => iterator.next());
      if (result.done) break;
      count++;
      const page = result.value as Page;
      if (!merged) {
        merged = { ...page };
        for (const key of spec.merge ?? []) merged[key] = [...((page[key] as unknown[] | undefined) ?? [])];
      } else {
        for (const key of spec.merge ?? []) {
          const items = page[key];
          if (Array.isArray(items)) (merged[key] as unknown[]).push(...items);
        }
      }
      const token = spec.token ? page[spec.token] : undefined;
      if (typeof token !== 'string' || token === '') break;
      if (seen.has(token)) throw new RepeatedTokenError(spec.token!, count);
      seen.add(token);
      if (count >= maxPages) throw new TooManyPagesError(maxPages);
    }
  } finally {
    // Stops the SDK paginator from requesting the next page after a break or a throw.
    await iterator.return?.();
  }
  const out = merged ?? {};
  for (const key of [...PAGINATION_MEMBERS, ...(spec.drop ?? [])]) delete out[key];
  delete out.$metadata;
  return out;
}

/** A single call as a one-page "paginator", so every call goes through the same runner. */
export async function* onePage(call: () => Promise<object>): AsyncIterable<object> {
  yield await call();
}
