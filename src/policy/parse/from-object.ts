import { NO_POSITION } from '../../model/issue.js';
import { describeError } from './issues.js';
import type { JsonEntry, JsonValue } from './json-value.js';

/**
 * Converts an already-parsed JavaScript value (e.g. a policy document from the AWS SDK or an npm
 * package) into the same tree the text parser builds, with `NO_POSITION` everywhere. Bounded in
 * depth and node count so that cyclic or enormous objects cannot hang or exhaust the stack, and
 * defensive about getters and proxies that throw.
 */

export type FromObjectResult =
  | { readonly ok: true; readonly value: JsonValue; readonly compactSize: number }
  | {
      readonly ok: false;
      readonly code: 'invalid-json' | 'too-deep' | 'too-large';
      readonly message: string;
    };

export interface FromObjectLimits {
  readonly maxDepth: number;
  readonly maxNodes: number;
  /** Upper bound on the compact JSON length, mirroring the text size limit. */
  readonly maxChars: number;
}

class ConversionError extends Error {
  constructor(
    readonly code: 'invalid-json' | 'too-deep' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

// Characters JSON.stringify writes as more than themselves: quote, backslash, controls, surrogates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(text).length` without making the string: the loader sizes every string of every
 * policy document this way, and the copies were the largest cost of converting them.
 */
export function jsonStringLength(text: string): number {
  if (!NEEDS_ESCAPE.test(text)) return text.length + 2;
  let n = text.length + 2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 8 || c === 9 || c === 10 || c === 12 || c === 13) n += 1;
    else if (c < 0x20)
      n += 5; // \u00XX
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      // A well-formed pair is written as is; a lone surrogate as \uXXXX.
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
      else n += 5;
    }
  }
  return n;
}

export function jsonValueFromObject(input: unknown, limits: FromObjectLimits): FromObjectResult {
  let nodes = 0;
  // The length of the value as compact JSON (`JSON.stringify` without spacing): what IAM counts.
  let size = 0;

  const convert = (value: unknown, depth: number): JsonValue => {
    nodes++;
    if (nodes > limits.maxNodes || size > limits.maxChars) {
      throw new ConversionError(
        'too-large',
        `The policy object is larger than ${limits.maxChars} characters as JSON`,
      );
    }
    switch (typeof value) {
      case 'string':
        size += jsonStringLength(value);
        return { kind: 'string', value, pos: NO_POSITION };
      case 'number': {
        if (!Number.isFinite(value))
          throw new ConversionError('invalid-json', `${value} is not a JSON number`);
        const raw = JSON.stringify(value);
        size += raw.length;
        return { kind: 'number', raw, pos: NO_POSITION };
      }
      case 'boolean':
        size += value ? 4 : 5;
        return { kind: 'boolean', value, pos: NO_POSITION };
      case 'object':
        break;
      default:
        throw new ConversionError('invalid-json', `A ${typeof value} is not a JSON value`);
    }
    if (value === null) {
      size += 4;
      return { kind: 'null', pos: NO_POSITION };
    }
    if (depth >= limits.maxDepth) {
      throw new ConversionError(
        'too-deep',
        `The policy object is nested more than ${limits.maxDepth} levels deep`,
      );
    }
    if (Array.isArray(value)) {
      const length = value.length;
      if (length > limits.maxNodes) {
        throw new ConversionError('too-large', `An array has ${length} elements`);
      }
      const items: JsonValue[] = [];
      size += 2 + Math.max(0, length - 1);
      for (let i = 0; i < length; i++) items.push(convert(value[i], depth + 1));
      return { kind: 'array', items, pos: NO_POSITION };
    }
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new ConversionError(
        'invalid-json',
        'Only plain objects, arrays, strings, numbers, booleans and null are JSON',
      );
    }
    const keys = Object.keys(value);
    const entries: JsonEntry[] = [];
    size += 2 + Math.max(0, keys.length - 1);
    for (const key of keys) {
      size += jsonStringLength(key) + 1;
      const child = (value as Record<string, unknown>)[key];
      entries.push({ key, keyPos: NO_POSITION, value: convert(child, depth + 1) });
    }
    return { kind: 'object', entries, duplicateKeys: [], pos: NO_POSITION };
  };

  try {
    const value = convert(input, 0);
    if (size > limits.maxChars) {
      return {
        ok: false,
        code: 'too-large',
        message: `The policy object is larger than ${limits.maxChars} characters as JSON`,
      };
    }
    return { ok: true, value, compactSize: size };
  } catch (error) {
    if (error instanceof ConversionError) return { ok: false, code: error.code, message: error.message };
    // Throwing getters, revoked proxies and the like: the object cannot be read, which is bad input.
    return {
      ok: false,
      code: 'invalid-json',
      message: `The policy object could not be read: ${describeError(error)}`,
    };
  }
}
