import type { SourcePosition } from '../../model/issue.js';

/**
 * JSON as a tree that remembers where each value and key was written. Objects keep their entries
 * in order as a list, duplicates included: nothing here is ever used as a property bag, so keys such
 * as `__proto__` are plain data.
 */
export type JsonValue = JsonString | JsonNumber | JsonBoolean | JsonNull | JsonArray | JsonObject;

export interface JsonString {
  readonly kind: 'string';
  readonly value: string;
  readonly pos: SourcePosition;
}

export interface JsonNumber {
  readonly kind: 'number';
  /** The number as written (`5`, `5.0`, `1e3`), so it can be compared as text the way IAM does. */
  readonly raw: string;
  readonly pos: SourcePosition;
}

export interface JsonBoolean {
  readonly kind: 'boolean';
  readonly value: boolean;
  readonly pos: SourcePosition;
}

export interface JsonNull {
  readonly kind: 'null';
  readonly pos: SourcePosition;
}

export interface JsonArray {
  readonly kind: 'array';
  readonly items: readonly JsonValue[];
  readonly pos: SourcePosition;
}

export interface JsonEntry {
  readonly key: string;
  readonly keyPos: SourcePosition;
  readonly value: JsonValue;
}

export interface JsonObject {
  readonly kind: 'object';
  readonly entries: readonly JsonEntry[];
  /** Keys written more than once in this object (each listed once). */
  readonly duplicateKeys: readonly string[];
  readonly pos: SourcePosition;
}

/** The first entry with this key, or undefined. Linear: policy objects have a handful of keys. */
export function findEntry(object: JsonObject, key: string): JsonEntry | undefined {
  for (const entry of object.entries) {
    if (entry.key === key) return entry;
  }
  return undefined;
}

export function describeKind(value: JsonValue): string {
  return value.kind === 'null' ? 'null' : `a ${value.kind}`;
}
