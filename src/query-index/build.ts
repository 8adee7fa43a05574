/**
 * Builds the query index of a loaded snapshot (format.ts): every user and role and every managed
 * policy as its own JSON entry, each principal's identity-layer policies with the Action values
 * of their Allow statements, and the whole privilege-escalation graph. Built from the same model
 * and the same graph the audit uses, so a query answered from it gives the same answer.
 */
import { serialize } from 'node:v8';
import { accessModel } from '../analysis/access/model.js';
import { type EscalationEdge, edgeParts, escalationGraph } from '../analysis/escalation/index.js';
import type { Account, Identity, OrgSnapshot, StoredPolicy } from '../model/account.js';
import { encodeIdentityParts, encodeManagedPolicy, PolicyTable } from './codec.js';
import {
  EDGE_INTS,
  GROUP,
  INDEX_FORMAT,
  INDEX_MAGIC,
  type IndexHeader,
  type IntLists,
  type Ref,
  ROLE,
  type StoredGraphHeader,
  USER,
} from './format.js';

/**
 * Appends byte ranges and hands out their refs. Texts are written straight into one growing
 * buffer: tens of thousands of small entries, each its own Buffer, cost more than the encoding.
 */
class Blobs {
  private buffer = Buffer.allocUnsafe(1 << 20);
  private size = 0;

  private reserve(more: number): void {
    if (this.size + more <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.size + more));
    this.buffer.copy(grown, 0, 0, this.size);
    this.buffer = grown;
  }

  add(bytes: Uint8Array): Ref {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.size);
    const ref: Ref = [this.size, bytes.length];
    this.size += bytes.length;
    return ref;
  }

  addText(text: string): Ref {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    this.reserve(text.length * 3);
    const written = this.buffer.write(text, this.size, 'utf8');
    const ref: Ref = [this.size, written];
    this.size += written;
    return ref;
  }

  /** Pads to a multiple of four first, so the reader can view Int32 data in place. */
  addAligned(bytes: Uint8Array): Ref {
    const pad = (4 - (this.size % 4)) % 4;
    if (pad > 0) this.add(new Uint8Array(pad));
    return this.add(bytes);
  }

  /** Int32 values, little-endian, aligned. */
  addInts(values: readonly number[] | Int32Array): Ref {
    const out = Buffer.alloc(values.length * 4);
    for (let i = 0; i < values.length; i++) out.writeInt32LE(values[i] as number, i * 4);
    return this.addAligned(out);
  }

  /** Lists of integers as starts and values (format.ts IntLists). */
  addLists(lists: readonly (readonly number[])[]): IntLists {
    const starts: number[] = [0];
    const values: number[] = [];
    for (const list of lists) {
      for (const v of list) values.push(v);
      starts.push(values.length);
    }
    return { starts: this.addInts(starts), values: this.addInts(values) };
  }

  /** The blob section written so far. */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.size);
  }
}

/** Numbers for distinct values (by a string key), in first-seen order. */
class Table<T> {
  readonly values: T[] = [];
  private readonly ids = new Map<string, number>();

  id(key: string, value: T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(key, id);
    }
    return id;
  }
}

export interface BuiltIndex {
  readonly bytes: Buffer;
  readonly principals: number;
  readonly edges: number;
  readonly graphMillis: number;
}

export function buildQueryIndex(snapshot: OrgSnapshot, key: string, now = new Date()): BuiltIndex {
  const blobs = new Blobs();
  const accountIds = [...snapshot.accounts.keys()];
  const accountIndex = new Map(accountIds.map((id, i) => [id, i]));

  const snapshotRef = blobs.add(serialize({ ...snapshot, accounts: new Map() }));
  const accounts = [...snapshot.accounts.values()].map((account) => ({
    id: account.id,
    meta: blobs.add(serialize(accountMeta(account))),
  }));

  const patterns = new Table<string>();
  // Lower-cased: Action matching ignores case, and the reader then compares without converting.
  const patternId = (p: string) => {
    const lower = p.toLowerCase();
    return patterns.id(lower, lower);
  };
  const documents = new PolicyTable(patternId);
  // Managed policies: every one, so lookups by ARN in a partial snapshot see what the full one does.
  const managedIds = new Map<string, number>();
  const managed = { count: 0, text: [] as number[] };
  for (const [i, account] of [...snapshot.accounts.values()].entries()) {
    for (const policy of account.managedPolicies.values()) {
      managedIds.set(`${i}\0${policy.arn}`, managed.count++);
      managed.text.push(...blobs.addText(encodeManagedPolicy(policy, documents)));
    }
  }

  const policyIds = new Map<StoredPolicy, number>();
  const allow: number[][] = [];
  const policyId = (p: StoredPolicy): number => {
    let id = policyIds.get(p);
    if (id === undefined) {
      id = allow.length;
      policyIds.set(p, id);
      allow.push(allowPatterns(p, patternId));
    }
    return id;
  };

  const principals = {
    arn: [] as string[],
    name: [] as string[],
    kind: [] as number[],
    account: [] as number[],
    text: [] as number[],
    rest: [] as number[],
    lastAccessed: [] as number[],
    identity: [] as number[][],
    managed: [] as number[][],
  };
  for (const entry of accessModel(snapshot).principals) {
    const identity = entry.subject as Identity;
    const a = accountIndex.get(identity.accountId) ?? -1;
    principals.arn.push(identity.arn);
    principals.name.push(identity.name);
    principals.kind.push(identity.kind === 'user' ? USER : ROLE);
    principals.account.push(a);
    const parts = encodeIdentityParts(identity, documents);
    principals.text.push(...blobs.addText(parts.core));
    principals.rest.push(...blobs.addText(parts.rest));
    // Kept beside the principal, not in the account's metadata: a question reads one principal's.
    principals.lastAccessed.push(
      ...blobs.addText(JSON.stringify(entry.account.lastAccessed.get(identity.arn) ?? null)),
    );
    principals.identity.push(entry.layers.identity.map(policyId));
    principals.managed.push(managedNamed(entry.account, identity, (arn) => managedIds.get(`${a}\0${arn}`)));
  }

  const documentText: number[] = [];
  for (const text of documents.texts) documentText.push(...blobs.addText(text));
  const graph = storeGraph(snapshot, blobs);
  const header: IndexHeader = {
    format: INDEX_FORMAT,
    key,
    builtAt: now.toISOString(),
    snapshot: snapshotRef,
    accounts,
    principals: {
      arn: principals.arn,
      name: principals.name,
      kind: blobs.addInts(principals.kind),
      account: blobs.addInts(principals.account),
      text: blobs.addInts(principals.text),
      rest: blobs.addInts(principals.rest),
      lastAccessed: blobs.addInts(principals.lastAccessed),
      identity: blobs.addLists(principals.identity),
      managed: blobs.addLists(principals.managed),
    },
    managed: { count: managed.count, text: blobs.addInts(managed.text) },
    policies: { allow: blobs.addLists(allow) },
    documents: { text: blobs.addInts(documentText), names: blobs.addLists(documents.names) },
    patterns: patterns.values,
    graph: graph.header,
  };
  // Padded with spaces (still JSON) so the blob section starts at a multiple of four in the file.
  const json = JSON.stringify(header);
  const headerBytes = Buffer.from(json + ' '.repeat((4 - ((12 + Buffer.byteLength(json)) % 4)) % 4), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(INDEX_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.length, 8);
  const section = blobs.bytes();
  const bytes = Buffer.allocUnsafe(prefix.length + headerBytes.length + section.length);
  prefix.copy(bytes, 0);
  headerBytes.copy(bytes, prefix.length);
  section.copy(bytes, prefix.length + headerBytes.length);
  return {
    bytes,
    principals: principals.arn.length,
    edges: graph.edges,
    graphMillis: graph.header.millis,
  };
}

/**
 * The account without what the index stores entry by entry (users, roles, managed policies) and
 * without what no query of the index reads (the credential report, last-accessed data): a partial
 * snapshot made from the index serves who-can, nothing else.
 */
function accountMeta(account: Account): Account {
  const { credentialReport: _report, ...rest } = account;
  return { ...rest, users: new Map(), roles: new Map(), managedPolicies: new Map(), lastAccessed: new Map() };
}

/** The Action values of the policy's Allow statements as pattern ids; -1 stands for a NotAction. */
function allowPatterns(stored: StoredPolicy, patternId: (pattern: string) => number): number[] {
  const out = new Set<number>();
  for (const s of stored.policy.statements) {
    if (s.effect !== 'Allow') continue;
    if (s.action) for (const p of s.action) out.add(patternId(p));
    else if (s.notAction) out.add(-1);
  }
  return [...out];
}

/** The managed policies a principal's layers look up by ARN: attached, boundary, and its groups' attached. */
function managedNamed(
  account: Account,
  identity: Identity,
  idOf: (arn: string) => number | undefined,
): number[] {
  if (identity.kind !== 'user' && identity.kind !== 'role') return [];
  const arns: string[] = identity.attachedPolicies.map((a) => a.arn);
  if (identity.permissionsBoundary) arns.push(identity.permissionsBoundary.arn);
  if (identity.kind === 'user' && identity.groups.length > 0) {
    const names = new Set(identity.groups);
    for (const g of account.groups.values())
      if (names.has(g.name)) for (const a of g.attachedPolicies) arns.push(a.arn);
  }
  const ids = new Set<number>();
  for (const arn of arns) {
    const id = idOf(arn);
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}

function storeGraph(snapshot: OrgSnapshot, blobs: Blobs): { header: StoredGraphHeader; edges: number } {
  const graph = escalationGraph(snapshot);
  const arnTable = new Table<string>();
  const arns = arnTable.values;
  const arnId = (arn: string): number => arnTable.id(arn, arn);
  const conditions = new Table<readonly string[]>();
  const conditionsId = (list: readonly string[]) => conditions.id(JSON.stringify(list), list);
  const nodes = {
    kind: [] as number[],
    name: [] as string[],
    account: [] as string[],
    admin: [] as number[],
    adminConditions: [] as number[],
    incomplete: [] as number[],
  };
  for (const node of graph.nodes.values()) {
    arnId(node.arn);
    nodes.kind.push(node.kind === 'user' ? USER : node.kind === 'role' ? ROLE : GROUP);
    nodes.name.push(node.name);
    nodes.account.push(node.accountId);
    nodes.admin.push(node.admin ? 1 : 0);
    nodes.adminConditions.push(conditionsId(node.adminConditions));
    nodes.incomplete.push(node.incomplete ? 1 : 0);
  }
  const techniques = new Table<string>();
  const fills = new Table<Readonly<Record<string, string>>>();
  // Targets in the order the graph's `into` map has them; every ARN an edge names gets an id.
  const into = [...graph.into];
  for (const [to, edges] of into) {
    arnId(to);
    for (const e of edges) arnId(e.from);
  }
  let count = 0;
  for (const [, edges] of into) count += edges.length;
  const edgeInts = new Int32Array(count * EDGE_INTS);
  const starts = new Int32Array(arns.length + 1);
  const byTarget = new Map(into);
  const positions = new Map<EscalationEdge, number>();
  let at = 0;
  for (const [i, arn] of arns.entries()) {
    starts[i] = at / EDGE_INTS;
    for (const e of byTarget.get(arn) ?? []) {
      positions.set(e, at / EDGE_INTS);
      const parts = edgeParts(e);
      if (!parts) throw new Error(`an escalation edge from ${e.from} cannot be stored`);
      edgeInts[at++] = arnId(e.from);
      edgeInts[at++] = techniques.id(parts.technique, parts.technique);
      edgeInts[at++] = parts.grantsAdmin ? 1 : 0;
      edgeInts[at++] = conditionsId(parts.conditions);
      edgeInts[at++] = fills.id(JSON.stringify(Object.entries(parts.fillIn)), parts.fillIn);
    }
  }
  starts[arns.length] = at / EDGE_INTS;
  // The graph's `out` order (principal by principal, each one's edges in the order found): the
  // searches to admin visit edges in it, so paths from the index are the paths of the graph.
  const outOrder: number[] = [];
  for (const edges of graph.out.values())
    for (const e of edges) {
      const position = positions.get(e);
      if (position === undefined) throw new Error(`an escalation edge from ${e.from} is in no target's list`);
      outOrder.push(position);
    }
  return {
    header: {
      millis: Math.round(graph.millis),
      evaluations: graph.evaluations,
      arns,
      nodes: {
        name: nodes.name,
        account: nodes.account,
        kind: blobs.addInts(nodes.kind),
        admin: blobs.addInts(nodes.admin),
        adminConditions: blobs.addInts(nodes.adminConditions),
        incomplete: blobs.addInts(nodes.incomplete),
      },
      techniques: techniques.values,
      conditions: conditions.values,
      fills: fills.values.map((f) => ({ ...f })),
      edges: blobs.addInts(edgeInts),
      starts: blobs.addInts(starts),
      outOrder: blobs.addInts(outOrder),
    },
    edges: count,
  };
}
