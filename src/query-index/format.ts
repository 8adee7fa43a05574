/**
 * The query index file: what `leastpriv index` prepares once so that `who-can` on a large snapshot
 * reads and decodes only what one question needs (docs/query-index.md).
 *
 * Layout: the 8-byte magic, the header's byte length (uint32, little-endian), the header as UTF-8
 * JSON, then the blob section. A `Ref` is `[offset, length]` in the blob section.
 */

export const INDEX_MAGIC = 'LPQIDX01';
/** Bumped when the layout or the meaning of a member changes; an index of another format is not read. */
export const INDEX_FORMAT = 'leastpriv-query-index/7';

export type Ref = readonly [offset: number, length: number];

/** Principal kinds as stored. */
export const USER = 0;
export const ROLE = 1;
export const GROUP = 2;

/**
 * Lists of small integers, one per entry: Int32 (little-endian) blobs, `starts` with one more
 * element than there are lists. The reader views them in place: parsing tens of thousands of
 * small JSON arrays cost more than reading the rest of the header.
 */
export interface IntLists {
  readonly starts: Ref;
  readonly values: Ref;
}

export interface IndexHeader {
  readonly format: string;
  /** Over the snapshot's files and leastpriv's own code (store.ts): a changed file means another key. */
  readonly key: string;
  readonly builtAt: string;
  /** The snapshot without its accounts (V8-serialized: organization, gaps, load summary). */
  readonly snapshot: Ref;
  /** In snapshot order; each without its users, roles and managed policies (V8-serialized). */
  readonly accounts: readonly { readonly id: string; readonly meta: Ref }[];
  /** Users and roles in snapshot order (each account's users, then its roles). */
  readonly principals: {
    readonly arn: readonly string[];
    /** The principal's `name` (found by name without decoding every entry). */
    readonly name: readonly string[];
    /** Int32 per principal: USER or ROLE. */
    readonly kind: Ref;
    /** Int32 per principal: index into `accounts`. */
    readonly account: Ref;
    /** Int32 pairs per principal: where the JSON of the members who-can reads is (codec.ts). */
    readonly text: Ref;
    /** Int32 pairs per principal: the JSON of its other members. */
    readonly rest: Ref;
    /** Int32 pairs per principal: its service last-accessed data (the account's entry for it), JSON `null` when none. */
    readonly lastAccessed: Ref;
    /** Ids (into `policies`) of the identity-layer policies: own, attached, and its groups'. */
    readonly identity: IntLists;
    /** Ids (into `managed`) of the managed policies its layers name: attached, boundary, groups'. */
    readonly managed: IntLists;
  };
  readonly managed: {
    /** How many managed policies there are (each found by its position, from `principals.managed`). */
    readonly count: number;
    /** Int32 pairs per managed policy: its JSON entry (codec.ts). */
    readonly text: Ref;
  };

  /**
   * Per identity-layer policy: the ids (into `patterns`) of every Action value of its Allow
   * statements, -1 for an Allow with NotAction. Enough to find, for one action, a superset of the
   * principals whose identity policies can allow it.
   */
  readonly policies: { readonly allow: IntLists };
  /** Distinct Action values, lower-cased. */
  readonly patterns: readonly string[];
  readonly documents: {
    /** Int32 pairs per distinct parsed policy document (codec.ts). */
    readonly text: Ref;
    /** Per document: the ids (into `patterns`) of every statement's Action values, -1 for a NotAction. */
    readonly names: IntLists;
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
    readonly name: readonly string[];
    readonly account: readonly string[];
    /** Int32 per node: USER, ROLE or GROUP. */
    readonly kind: Ref;
    /** Int32 per node: 0 or 1. */
    readonly admin: Ref;
    /** Int32 per node: index into `conditions`. */
    readonly adminConditions: Ref;
    /** Int32 per node: 0 or 1. */
    readonly incomplete: Ref;
  };
  readonly techniques: readonly string[];
  /** Distinct condition lists. */
  readonly conditions: readonly (readonly string[])[];
  /** Distinct explanation fill-ins. */
  readonly fills: readonly Readonly<Record<string, string>>[];
  /**
   * Int32 per edge: from (index into `arns`), technique, grantsAdmin (0/1), conditions, fill;
   * grouped by target in the graph's `into` order.
   */
  readonly edges: Ref;
  /** Int32 per ARN plus one: where the edges into `arns[i]` start in `edges` (in edges, not bytes). */
  readonly starts: Ref;
  /** Int32 per edge: positions in `edges`, in the graph's `out` order (by source, as found). */
  readonly outOrder: Ref;
}

export const EDGE_INTS = 5;
