import type { ContextValueInput } from '../../model/request.js';

/**
 * The request context: condition keys (compared case-insensitively) and their values as strings.
 * Single-valued keys hold a string; multi-valued keys (aws:TagKeys, ...) hold an array.
 */
export interface RequestContext {
  get(key: string): string | readonly string[] | undefined;
  has(key: string): boolean;
  keys(): Iterable<string>;
}

export function createRequestContext(values: Readonly<Record<string, ContextValueInput>>): RequestContext {
  const map = new Map<string, string | readonly string[]>();
  for (const [key, raw] of Object.entries(values)) {
    map.set(key.toLowerCase(), Array.isArray(raw) ? raw.map((v) => String(v)) : String(raw));
  }
  return {
    get: (key) => map.get(key.toLowerCase()),
    has: (key) => map.has(key.toLowerCase()),
    keys: () => map.keys(),
  };
}
