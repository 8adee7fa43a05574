/**
 * The query index file: what `leastpriv index` prepares once so that `who-can` on a large snapshot
 * reads and decodes only what one question needs (docs/query-index.md).
 *
 * Layout: the 8-byte magic, the header's byte length (uint32, little-endian), the header as UTF-8
 * JSON, then the blob section. A `Ref` is `[offset, length]` in the blob section.
 */

export const INDEX_MAGIC = 'LPQIDX01';
/** Bumped when the layout or the meaning of a member changes; an index of another format is not read. */
export const INDEX_FORMAT = 'leastpriv-query-index/1';

export type Ref = readonly [offset: number, length: number];

/** Principal kinds as stored. */
export const USER = 0;
export const ROLE = 1;
export const GROUP = 2;

export interface IndexHeader {
  readonly format: string;
  /** Over the snapshot's files and leastpriv's own (store.ts): a changed file means another key. */
  readonly key: string;
  readonly builtAt: string;
  /** The snapshot without its accounts (V8-serialized: organization, gaps, load summary). */
  readonly snapshot: Ref;
  /** In snapshot order; each without its users, roles and managed policies (V8-serialized). */
  readonly accounts: readonly { readonly id: string; readonly meta: Ref }[];
  /** Users and roles in snapshot order (each account's users, then its roles). */
  readonly principals: {
    readonly arn: readonly string[];
    readonly kind: readonly number[];
    /** Index into `accounts`. */
    readonly account: readonly number[];
    /** The entry's JSON (codec.ts), as offset and length pairs, flat. */
    readonly text: readonly number[];
    /** Ids (into `policies`) of the identity-layer policies: own, attached, and its groups'. */
    readonly identity: readonly (readonly number[])[];
    /** Ids (into `managed`) of the managed policies its layers name: attached, boundary, groups'. */
    readonly managed: readonly (readonly number[])[];
  };
  readonly managed: {
    readonly account: readonly number[];
    readonly arn: readonly string[];
    /** JSON (codec.ts), offset and length pairs, flat. */
    readonly text: readonly number[];
  };
  /**
   * Per identity-layer policy: the ids (into `patterns`) of every Action value of its Allow
   * statements, -1 for an Allow with NotAction. Enough to find, for one action, a superset of the
   * principals whose identity policies can allow it.
   */
  readonly policies: { readonly allow: readonly (readonly number[])[] };
  readonly patterns: readonly string[];
  readonly documents: {
    /** Each distinct parsed policy document (codec.ts), offset and length pairs, flat. */
    readonly text: readonly number[];
    /** Per document: the ids (into `patterns`) of every statement's Action values, -1 for a NotAction. */
    readonly names: readonly (readonly number[])[];
  };
  readonly graph: StoredGraphHeader;
}

/** The whole privilege-escalation graph of the snapshot, as `escalationGraph` built it. */
export interface StoredGraphHeader {
  readonly millis: number;
  readonly evaluations: number;
  /** Every node's ARN first (in the graph's order), then any other ARN an edge starts at. */
  readonly arns: readonly string[];
  readonly nodes: {
    readonly kind: readonly number[];
    readonly name: readonly string[];
    readonly account: readonly string[];
    readonly admin: readonly number[];
    /** Index into `conditions`. */
    readonly adminConditions: readonly number[];
    readonly incomplete: readonly number[];
  };
  readonly techniques: readonly string[];
  /** Distinct condition lists. */
  readonly conditions: readonly (readonly string[])[];
  /** Distinct explanation fill-ins. */
  readonly fills: readonly Readonly<Record<string, string>>[];
  /**
   * Int32 (little-endian) per edge: from (index into `arns`), technique, grantsAdmin (0/1),
   * conditions, fill; grouped by target in the graph's `into` order.
   */
  readonly edges: Ref;
  /** Int32 per ARN plus one: where the edges into `arns[i]` start in `edges` (in edges, not bytes). */
  readonly starts: Ref;
}

export const EDGE_INTS = 5;
