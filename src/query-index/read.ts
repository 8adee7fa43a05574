/**
 * Reads a query index (format.ts) and answers from it without loading the snapshot: which
 * principals' identity policies can name an action, a partial snapshot with just those principals
 * (for the same who-can code the full snapshot goes through), and the stored escalation graph.
 */
import { endianness } from 'node:os';
import { deserialize } from 'node:v8';
import { namesPrincipal } from '../analysis/access/query.js';
import type {
  EdgesByTarget,
  EscalationEdge,
  EscalationGraph,
  EscalationNode,
} from '../analysis/escalation/index.js';
import { adoptEscalationGraph, restoreEdge } from '../analysis/escalation/index.js';
import type {
  Account,
  Identity,
  LastAccessed,
  ManagedPolicy,
  OrgSnapshot,
  RolePrincipal,
  UserPrincipal,
} from '../model/account.js';
import { NO_POSITION } from '../model/issue.js';
import type { Policy, Statement } from '../model/policy.js';
import { globFromPattern, globMatches } from '../policy/match/glob.js';
import { decodeIdentityParts, decodeManagedPolicy, decodePolicy } from './codec.js';
import { EDGE_INTS, GROUP, INDEX_FORMAT, INDEX_MAGIC, type IndexHeader, type Ref, ROLE } from './format.js';

const LITTLE_ENDIAN = endianness() === 'LE';

/** Stands for a document none of whose statements can name the action a partial snapshot is for. */
const NAMES_NOTHING: Policy = Object.freeze({
  statements: Object.freeze([]) as readonly Statement[],
  variablesEnabled: false,
  size: 0,
  pos: NO_POSITION,
});

/** Why bytes are not an index leastpriv can use. */
export class IndexFormatError extends Error {}

/** Lists of integers (format.ts IntLists), viewed in place. */
class Lists {
  constructor(
    private readonly starts: Int32Array,
    private readonly values: Int32Array,
  ) {}

  get length(): number {
    return this.starts.length - 1;
  }

  get(i: number): Int32Array {
    return this.values.subarray(this.starts[i], this.starts[i + 1]);
  }

  /** Every value names an entry of a table of `size` (or is -1, where that means NotAction). */
  valuesBelow(size: number, orMinusOne = false): boolean {
    for (let i = 0; i < this.values.length; i++) {
      const v = this.values[i] as number;
      if (v >= size || (v < 0 && !(orMinusOne && v === -1))) return false;
    }
    return true;
  }

  /** Starts rise from 0 to the number of values, one list per entry expected. */
  fits(entries: number): boolean {
    return this.starts.length === entries + 1 && rising(this.starts, this.values.length);
  }
}

/** The header's integer data, viewed in place. */
interface Tables {
  readonly kind: Int32Array;
  readonly account: Int32Array;
  readonly principalText: Int32Array;
  readonly principalRest: Int32Array;
  readonly principalLastAccessed: Int32Array;
  readonly identity: Lists;
  readonly managed: Lists;
  readonly managedText: Int32Array;
  readonly allow: Lists;
  readonly documentText: Int32Array;
  readonly names: Lists;
  readonly nodeKind: Int32Array;
  readonly nodeAdmin: Int32Array;
  readonly nodeAdminConditions: Int32Array;
  readonly nodeIncomplete: Int32Array;
  readonly edges: Int32Array;
  readonly edgeStarts: Int32Array;
  readonly outOrder: Int32Array;
}

export class QueryIndex {
  private readonly accountMetas: (Account | undefined)[];
  private readonly identities: (Identity | undefined)[];
  private readonly managedPolicies: (ManagedPolicy | undefined)[];
  private readonly documents: (Policy | undefined)[];
  private readonly documentById = (id: number): Policy => {
    let policy = this.documents[id];
    if (!policy) {
      if (!Number.isInteger(id) || id < 0 || id >= this.documents.length)
        throw new IndexFormatError(`the index refers to policy document ${id}, which it does not have`);
      policy = decodePolicy(this.text(this.tables.documentText, id));
      this.documents[id] = policy;
    }
    return policy;
  };
  private arnIndex: Map<string, number> | undefined;

  private readonly tables: Tables;

  private constructor(
    private readonly bytes: Buffer,
    readonly header: IndexHeader,
    private readonly blobStart: number,
  ) {
    this.tables = this.readTables();
    this.accountMetas = new Array(header.accounts.length);
    this.identities = new Array(header.principals.arn.length);
    this.managedPolicies = new Array(header.managed.count);
    this.documents = new Array(this.tables.names.length);
  }

  /** Throws IndexFormatError when the bytes are not a whole index of this format. */
  static fromBytes(bytes: Buffer): QueryIndex {
    if (bytes.length < 12 || bytes.toString('latin1', 0, 8) !== INDEX_MAGIC)
      throw new IndexFormatError('not a leastpriv query index');
    const headerLength = bytes.readUInt32LE(8);
    if (12 + headerLength > bytes.length) throw new IndexFormatError('the index is cut short');
    let header: IndexHeader;
    try {
      header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as IndexHeader;
    } catch {
      throw new IndexFormatError('the index header is not JSON');
    }
    if (header?.format !== INDEX_FORMAT)
      throw new IndexFormatError(`the index is of format ${String(header?.format)}, not ${INDEX_FORMAT}`);
    try {
      return new QueryIndex(bytes, header, 12 + headerLength);
    } catch (error) {
      if (error instanceof IndexFormatError) throw error;
      // A header of the right format but the wrong shape (a member missing or of another type).
      throw new IndexFormatError(
        `the index header is damaged (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }

  get principalCount(): number {
    return this.header.principals.arn.length;
  }

  /** Every blob the header names lies inside the file, and every table has one entry per thing it counts. */
  private readTables(): Tables {
    const h = this.header;
    const size = this.bytes.length - this.blobStart;
    const inside = (ref: Ref): boolean => {
      const [offset, length] = ref;
      return (
        Number.isInteger(offset) &&
        Number.isInteger(length) &&
        offset >= 0 &&
        length >= 0 &&
        offset + length <= size
      );
    };
    const ints = (ref: Ref): Int32Array => {
      if (!inside(ref) || ref[1] % 4 !== 0)
        throw new IndexFormatError('the index refers to bytes it does not have');
      const [offset, length] = ref;
      const b = this.bytes.subarray(this.blobStart + offset, this.blobStart + offset + length);
      // In place where the machine is little-endian and the data aligned (the builder aligns it).
      if (LITTLE_ENDIAN && b.byteOffset % 4 === 0)
        return new Int32Array(b.buffer, b.byteOffset, b.length / 4);
      const out = new Int32Array(b.length / 4);
      for (let i = 0; i < out.length; i++) out[i] = b.readInt32LE(i * 4);
      return out;
    };
    const lists = (l: { starts: Ref; values: Ref }) => new Lists(ints(l.starts), ints(l.values));
    const t: Tables = {
      kind: ints(h.principals.kind),
      account: ints(h.principals.account),
      principalText: ints(h.principals.text),
      principalRest: ints(h.principals.rest),
      principalLastAccessed: ints(h.principals.lastAccessed),
      identity: lists(h.principals.identity),
      managed: lists(h.principals.managed),
      managedText: ints(h.managed.text),
      allow: lists(h.policies.allow),
      documentText: ints(h.documents.text),
      names: lists(h.documents.names),
      nodeKind: ints(h.graph.nodes.kind),
      nodeAdmin: ints(h.graph.nodes.admin),
      nodeAdminConditions: ints(h.graph.nodes.adminConditions),
      nodeIncomplete: ints(h.graph.nodes.incomplete),
      edges: ints(h.graph.edges),
      edgeStarts: ints(h.graph.starts),
      outOrder: ints(h.graph.outOrder),
    };
    const principals = h.principals.arn.length;
    const nodes = h.graph.nodes.name.length;
    const inBlobs = (pairs: Int32Array) => {
      for (let i = 0; i < pairs.length; i += 2) {
        const o = pairs[i] as number;
        const l = pairs[i + 1] as number;
        if (o < 0 || l < 0 || o + l > size) return false;
      }
      return true;
    };
    const ok =
      t.kind.length === principals &&
      h.principals.name.length === principals &&
      t.account.length === principals &&
      t.principalText.length === 2 * principals &&
      t.principalRest.length === 2 * principals &&
      t.principalLastAccessed.length === 2 * principals &&
      t.identity.fits(principals) &&
      t.managed.fits(principals) &&
      Number.isInteger(h.managed.count) &&
      t.managed.valuesBelow(h.managed.count) &&
      t.identity.valuesBelow(t.allow.length) &&
      t.allow.valuesBelow(h.patterns.length, true) &&
      t.names.valuesBelow(h.patterns.length, true) &&
      t.managedText.length === 2 * h.managed.count &&
      t.documentText.length === 2 * t.names.length &&
      t.names.fits(t.names.length) &&
      t.allow.fits(t.allow.length) &&
      t.nodeKind.length === nodes &&
      t.nodeAdmin.length === nodes &&
      t.nodeAdminConditions.length === nodes &&
      t.nodeIncomplete.length === nodes &&
      h.graph.nodes.account.length === nodes &&
      t.edgeStarts.length === h.graph.arns.length + 1 &&
      t.edges.length % EDGE_INTS === 0 &&
      t.outOrder.length * EDGE_INTS === t.edges.length &&
      rising(t.edgeStarts, t.edges.length / EDGE_INTS) &&
      inBlobs(t.principalText) &&
      inBlobs(t.principalRest) &&
      inBlobs(t.principalLastAccessed) &&
      inBlobs(t.managedText) &&
      inBlobs(t.documentText) &&
      h.accounts.every((a) => inside(a.meta)) &&
      inside(h.snapshot);
    if (!ok) throw new IndexFormatError('the index tables do not agree with each other');
    return t;
  }

  private slice([offset, length]: Ref): Buffer {
    return this.bytes.subarray(this.blobStart + offset, this.blobStart + offset + length);
  }

  private text(pairs: Int32Array, i: number): string {
    const offset = this.blobStart + (pairs[2 * i] as number);
    return this.bytes.toString('utf8', offset, offset + (pairs[2 * i + 1] as number));
  }

  private account(i: number): Account {
    let meta = this.accountMetas[i];
    if (!meta) {
      meta = deserialize(this.slice((this.header.accounts[i] as { meta: Ref }).meta)) as Account;
      this.accountMetas[i] = meta;
    }
    return meta;
  }

  identity(i: number): Identity {
    let identity = this.identities[i];
    if (!identity) {
      identity = decodeIdentityParts(
        this.text(this.tables.principalText, i),
        this.text(this.tables.principalRest, i),
        this.documentById,
      );
      this.identities[i] = identity;
    }
    return identity;
  }

  private managedPolicy(i: number): ManagedPolicy {
    let policy = this.managedPolicies[i];
    if (!policy) {
      policy = decodeManagedPolicy(this.text(this.tables.managedText, i), this.documentById);
      this.managedPolicies[i] = policy;
    }
    return policy;
  }

  /**
   * findPrincipal (analysis/access/query.ts) over the index: a user or role by ARN, else the one
   * whose name, `KIND/NAME` or ARN resource part is `text`; several or none: their ARNs, sorted.
   */
  findPrincipal(text: string): { ok: true; index: number } | { ok: false; candidates: string[] } {
    const exact = this.principalIndex(text);
    if (exact !== undefined) return { ok: true, index: exact };
    const { arn, name } = this.header.principals;
    const matches: number[] = [];
    for (let i = 0; i < arn.length; i++)
      if (
        namesPrincipal(
          text,
          arn[i] as string,
          this.tables.kind[i] === ROLE ? 'role' : 'user',
          name[i] as string,
        )
      )
        matches.push(i);
    if (matches.length === 1) return { ok: true, index: matches[0] as number };
    return { ok: false, candidates: matches.map((i) => arn[i] as string).sort() };
  }

  /** The user or role with this ARN (ARNs are unique in a loaded snapshot), or undefined. */
  principalIndex(arn: string): number | undefined {
    if (!this.arnIndex) {
      this.arnIndex = new Map();
      const arns = this.header.principals.arn;
      for (let i = arns.length - 1; i >= 0; i--) this.arnIndex.set(arns[i] as string, i);
    }
    return this.arnIndex.get(arn);
  }

  /** Per pattern: whether it matches the action (patternNames); kept for the last action asked. */
  private patternsNaming(action: string): readonly boolean[] {
    const lower = action.toLowerCase();
    if (this.naming?.action !== lower)
      this.naming = { action: lower, hits: this.header.patterns.map((p) => patternNames(p, lower)) };
    return this.naming.hits;
  }

  private naming: { readonly action: string; readonly hits: readonly boolean[] } | undefined;

  /**
   * The principals whose identity-layer policies have an Allow statement that can name the action:
   * a superset of those `who-can` evaluates (it also asks boundaries, SCPs and explicit denies).
   * Patterns match by the engine's rules for Action values (case-insensitive, `*` any run, `?` one
   * character); NotAction counts as naming everything.
   */
  mayName(action: string): number[] {
    const { allow, identity } = this.tables;
    const hits = this.patternsNaming(action);
    const policyNames = new Uint8Array(allow.length);
    for (let p = 0; p < allow.length; p++) if (anyNames(allow.get(p), hits)) policyNames[p] = 1;
    const out: number[] = [];
    for (let i = 0; i < identity.length; i++) {
      const ids = identity.get(i);
      for (let j = 0; j < ids.length; j++)
        if (policyNames[ids[j] as number] === 1) {
          out.push(i);
          break;
        }
    }
    return out;
  }

  /**
   * A snapshot with every account (without credential reports), every account's groups and the
   * managed policies the chosen principals' layers name, and of the users and roles only `chosen`
   * (in snapshot order), each whole with its service last-accessed data. Enough for questions
   * about those principals; nothing else should be asked of it.
   *
   * With `forAction`, the users', roles' and managed policies' documents in which no statement can
   * name that action (by Action or NotAction, Allow or Deny) are left undecoded: each stands as a
   * document without statements (name, source, issues and the rest of its entry kept). For that
   * action the engine, the candidate test and the evidence see exactly what the full documents
   * give (a statement that does not name the action never takes part in deciding it), so the
   * snapshot answers that action only; and the principals hold only the members who-can reads
   * (their layers, ARN, account, path and tags), without last-accessed data.
   */
  partialSnapshot(chosen: readonly number[], forAction?: string): OrgSnapshot {
    const base = deserialize(this.slice(this.header.snapshot)) as OrgSnapshot;
    const drafts = this.header.accounts.map((_, i) => {
      const meta = this.account(i);
      return {
        meta,
        users: new Map<string, UserPrincipal>(),
        roles: new Map<string, RolePrincipal>(),
        managed: new Map<string, ManagedPolicy>(),
        lastAccessed: new Map<string, LastAccessed>(),
      };
    });
    const decode = forAction === undefined ? undefined : this.decoderFor(forAction);
    for (const i of [...chosen].sort((a, b) => a - b)) {
      const draft = drafts[this.tables.account[i] as number];
      if (!draft) continue;
      const identity = decode ? decode.identity(i) : this.identity(i);
      if (this.tables.kind[i] === ROLE) draft.roles.set(identity.arn, identity as RolePrincipal);
      else draft.users.set(identity.arn, identity as UserPrincipal);
      if (decode === undefined) {
        // Whole principals (for can and access) come with their service last-accessed data.
        const usage = JSON.parse(this.text(this.tables.principalLastAccessed, i)) as LastAccessed | null;
        if (usage) draft.lastAccessed.set(identity.arn, usage);
      }
      for (const m of this.tables.managed.get(i)) {
        const policy = decode ? decode.managed(m) : this.managedPolicy(m);
        draft.managed.set(policy.arn, policy);
      }
    }
    const accounts = new Map<string, Account>();
    for (const d of drafts) {
      accounts.set(d.meta.id, {
        ...d.meta,
        users: d.users,
        roles: d.roles,
        managedPolicies: d.managed,
        lastAccessed: d.lastAccessed,
      });
    }
    return { ...base, accounts };
  }

  /** Decoders for one action's partial snapshot, with their own caches (see partialSnapshot). */
  private decoderFor(action: string): {
    identity(i: number): Identity;
    managed(i: number): ManagedPolicy;
  } {
    const hits = this.patternsNaming(action);
    const { names } = this.tables;
    const documents = new Map<number, Policy>();
    const documentById = (id: number): Policy => {
      if (id >= 0 && id < names.length && !anyNames(names.get(id), hits)) return NAMES_NOTHING;
      let policy = documents.get(id);
      if (!policy) {
        policy = this.documentById(id);
        documents.set(id, policy);
      }
      return policy;
    };
    const managed = new Map<number, ManagedPolicy>();
    return {
      // Only the members who-can reads: the rest stays undecoded.
      identity: (i) => decodeIdentityParts(this.text(this.tables.principalText, i), undefined, documentById),
      managed: (i) => {
        let policy = managed.get(i);
        if (!policy) {
          policy = decodeManagedPolicy(this.text(this.tables.managedText, i), documentById);
          managed.set(i, policy);
        }
        return policy;
      },
    };
  }

  /**
   * A snapshot with every account but no users, roles or managed policies, whose escalation graph
   * is the stored one: what `paths` asks (its questions are about the graph alone).
   */
  graphSnapshot(): OrgSnapshot {
    const snapshot = this.partialSnapshot([]);
    adoptEscalationGraph(snapshot, this.escalationGraph());
    return snapshot;
  }

  /**
   * The whole stored escalation graph, as `escalationGraph` built it: nodes in its order, each
   * principal's edges in and out in its order (so the searches over it find the same paths).
   */
  escalationGraph(): EscalationGraph {
    const g = this.header.graph;
    const { into: edgesInto, nodeOf, edgeAt } = this.storedGraph();
    const nodes = new Map<string, EscalationNode>();
    for (let i = 0; i < g.nodes.name.length; i++) {
      const arn = g.arns[i] as string;
      nodes.set(arn, nodeOf(arn) as EscalationNode);
    }
    const into = new Map<string, readonly EscalationEdge[]>();
    const { edgeStarts: starts, outOrder } = this.tables;
    const targetOf = new Int32Array(this.tables.edges.length / EDGE_INTS);
    for (let i = 0; i < g.arns.length; i++) {
      if ((starts[i + 1] as number) === (starts[i] as number)) continue;
      const arn = g.arns[i] as string;
      into.set(arn, edgesInto.get(arn) ?? []);
      for (let e = starts[i] as number; e < (starts[i + 1] as number); e++) targetOf[e] = i;
    }
    const out = new Map<string, EscalationEdge[]>();
    for (const position of outOrder) {
      if (position < 0 || position >= targetOf.length)
        throw new IndexFormatError('the index names an edge it does not have');
      const edge = edgeAt(position, g.arns[targetOf[position] as number] as string);
      let list = out.get(edge.from);
      if (!list) {
        list = [];
        out.set(edge.from, list);
      }
      list.push(edge);
    }
    return { nodes, into, out, millis: g.millis, evaluations: g.evaluations };
  }

  /** The stored escalation graph: its edges into each principal (decoded when asked) and its nodes. */
  storedGraph(): {
    into: EdgesByTarget;
    nodeOf: (arn: string) => EscalationNode | undefined;
    edgeAt: (position: number, to: string) => EscalationEdge;
  } {
    const g = this.header.graph;
    const ids = new Map<string, number>();
    for (let i = 0; i < g.arns.length; i++) ids.set(g.arns[i] as string, i);
    const { edgeStarts: starts, edges } = this.tables;
    const nodeCount = g.nodes.name.length;
    const nodes = new Map<string, EscalationNode>();
    const nodeOf = (arn: string): EscalationNode | undefined => {
      let node = nodes.get(arn);
      if (node) return node;
      const i = ids.get(arn);
      if (i === undefined || i >= nodeCount) return undefined;
      const kind = this.tables.nodeKind[i];
      node = {
        arn,
        kind: kind === GROUP ? 'group' : kind === ROLE ? 'role' : 'user',
        name: g.nodes.name[i] as string,
        accountId: g.nodes.account[i] as string,
        admin: this.tables.nodeAdmin[i] === 1,
        adminConditions: g.conditions[this.tables.nodeAdminConditions[i] as number] ?? [],
        incomplete: this.tables.nodeIncomplete[i] === 1,
      };
      nodes.set(arn, node);
      return node;
    };
    // Edges are made when first returned and kept by position: the searches ask for the same
    // nodes' edges again (certain edges first, then any).
    const made = new Map<number, EscalationEdge>();
    const edgeAt = (e: number, arn: string): EscalationEdge => {
      let edge = made.get(e);
      if (edge) return edge;
      const at = e * EDGE_INTS;
      const from = g.arns[edges[at] as number];
      if (from === undefined || at + EDGE_INTS > edges.length)
        throw new IndexFormatError('the index names an edge it does not have');
      edge = restoreEdge(from, arn, {
        technique: g.techniques[edges[at + 1] as number] as string,
        grantsAdmin: edges[at + 2] === 1,
        conditions: g.conditions[edges[at + 3] as number] ?? [],
        fillIn: g.fills[edges[at + 4] as number] ?? {},
      });
      if (!edge) throw new IndexFormatError('the index names an unknown technique');
      made.set(e, edge);
      return edge;
    };
    const into: EdgesByTarget = {
      get(arn, skip) {
        const i = ids.get(arn);
        if (i === undefined) return undefined;
        const list: EscalationEdge[] = [];
        for (let e = starts[i] as number; e < (starts[i + 1] as number); e++) {
          // An edge from a principal the search has reached already is never taken: not made.
          const from = g.arns[edges[e * EDGE_INTS] as number];
          if (from !== undefined && skip?.has(from)) continue;
          list.push(edgeAt(e, arn));
        }
        return list;
      },
    };
    return { into, nodeOf, edgeAt };
  }
}

/** Whether a list of pattern ids names the action: -1 (a NotAction) always may. */
function anyNames(ids: Int32Array, hits: readonly boolean[]): boolean {
  // Indexed, not for-of: the loop runs for every policy of the index, mostly before V8 optimizes it.
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (id === -1 || hits[id] === true) return true;
  }
  return false;
}

/**
 * Whether an Action value (lower-cased) matches the lower-cased action as the engine's Action
 * matcher decides it: `*` any run, `?` one character. Thousands of patterns are tried per
 * question, so the text before the first wildcard is compared first and only the rest is globbed.
 */
function patternNames(pattern: string, action: string): boolean {
  let wild = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 42 /* * */ || c === 63 /* ? */) {
      wild = i;
      break;
    }
  }
  if (wild === -1) return pattern === action;
  if (!action.startsWith(pattern.slice(0, wild))) return false;
  return globMatches(globFromPattern(pattern), action);
}

/** Starts of consecutive runs: from 0, never falling, ending at the number of entries. */
function rising(starts: Int32Array, total: number): boolean {
  if (starts.length === 0 || starts[0] !== 0 || starts[starts.length - 1] !== total) return false;
  for (let i = 1; i < starts.length; i++) if ((starts[i] as number) < (starts[i - 1] as number)) return false;
  return true;
}
