/**
 * Reads a query index (format.ts) and answers from it without loading the snapshot: which
 * principals' identity policies can name an action, a partial snapshot with just those principals
 * (for the same who-can code the full snapshot goes through), and the stored escalation graph.
 */
import { endianness } from 'node:os';
import { deserialize } from 'node:v8';
import type { EdgesByTarget, EscalationEdge, EscalationNode } from '../analysis/escalation/index.js';
import { restoreEdge } from '../analysis/escalation/index.js';
import type {
  Account,
  Identity,
  ManagedPolicy,
  OrgSnapshot,
  RolePrincipal,
  UserPrincipal,
} from '../model/account.js';
import { NO_POSITION } from '../model/issue.js';
import type { Policy, Statement } from '../model/policy.js';
import { compileActionPattern } from '../policy/match/index.js';
import { decodeIdentity, decodeManagedPolicy, decodePolicy } from './codec.js';
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

export class QueryIndex {
  private readonly blobStart: number;
  private readonly accountMetas: (Account | undefined)[];
  private readonly identities: (Identity | undefined)[];
  private readonly managedPolicies: (ManagedPolicy | undefined)[];
  private readonly documents: (Policy | undefined)[];
  private readonly documentById = (id: number): Policy => {
    let policy = this.documents[id];
    if (!policy) {
      if (!Number.isInteger(id) || id < 0 || id >= this.documents.length)
        throw new IndexFormatError(`the index refers to policy document ${id}, which it does not have`);
      policy = decodePolicy(this.text(this.header.documents.text, id));
      this.documents[id] = policy;
    }
    return policy;
  };
  private arnIndex: Map<string, number> | undefined;

  private constructor(
    private readonly bytes: Buffer,
    readonly header: IndexHeader,
    blobStart: number,
  ) {
    this.blobStart = blobStart;
    this.accountMetas = new Array(header.accounts.length);
    this.identities = new Array(header.principals.arn.length);
    this.managedPolicies = new Array(header.managed.arn.length);
    this.documents = new Array(header.documents.text.length / 2);
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
    const index = new QueryIndex(bytes, header, 12 + headerLength);
    index.checkRefs();
    return index;
  }

  get principalCount(): number {
    return this.header.principals.arn.length;
  }

  /** Every blob the header names lies inside the file (a damaged file is refused, not half read). */
  private checkRefs(): void {
    const size = this.bytes.length - this.blobStart;
    const ok = (offset: number, length: number) =>
      Number.isInteger(offset) &&
      Number.isInteger(length) &&
      offset >= 0 &&
      length >= 0 &&
      offset + length <= size;
    const pairs = (flat: readonly number[]) => {
      for (let i = 0; i < flat.length; i += 2)
        if (!ok(flat[i] as number, flat[i + 1] as number)) return false;
      return true;
    };
    const h = this.header;
    const refs: Ref[] = [h.snapshot, h.graph.edges, h.graph.starts, ...h.accounts.map((a) => a.meta)];
    if (
      !refs.every(([o, l]) => ok(o, l)) ||
      !pairs(h.principals.text) ||
      !pairs(h.managed.text) ||
      !pairs(h.documents.text) ||
      h.documents.names.length * 2 !== h.documents.text.length ||
      h.graph.starts[1] !== (h.graph.arns.length + 1) * 4
    )
      throw new IndexFormatError('the index refers to bytes it does not have');
  }

  private slice([offset, length]: Ref): Buffer {
    return this.bytes.subarray(this.blobStart + offset, this.blobStart + offset + length);
  }

  private text(flat: readonly number[], i: number): string {
    const offset = this.blobStart + (flat[2 * i] as number);
    return this.bytes.toString('utf8', offset, offset + (flat[2 * i + 1] as number));
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
      identity = decodeIdentity(this.text(this.header.principals.text, i), this.documentById);
      this.identities[i] = identity;
    }
    return identity;
  }

  private managedPolicy(i: number): ManagedPolicy {
    let policy = this.managedPolicies[i];
    if (!policy) {
      policy = decodeManagedPolicy(this.text(this.header.managed.text, i), this.documentById);
      this.managedPolicies[i] = policy;
    }
    return policy;
  }

  /** The principal with this ARN (the first in snapshot order), or undefined. */
  principalIndex(arn: string): number | undefined {
    if (!this.arnIndex) {
      this.arnIndex = new Map();
      const arns = this.header.principals.arn;
      for (let i = arns.length - 1; i >= 0; i--) this.arnIndex.set(arns[i] as string, i);
    }
    return this.arnIndex.get(arn);
  }

  /** Per pattern: whether the engine's Action matcher matches the action with it (one action kept). */
  private patternsNaming(action: string): readonly boolean[] {
    const lower = action.toLowerCase();
    if (this.naming?.action !== lower)
      this.naming = { action: lower, hits: this.header.patterns.map((p) => compileActionPattern(p)(lower)) };
    return this.naming.hits;
  }

  private naming: { readonly action: string; readonly hits: readonly boolean[] } | undefined;

  /**
   * The principals whose identity-layer policies have an Allow statement that can name the action:
   * a superset of those `who-can` evaluates (it also asks boundaries, SCPs and explicit denies).
   * The test is the engine's own Action matcher; NotAction counts as naming everything.
   */
  mayName(action: string): number[] {
    const { policies, principals } = this.header;
    const hits = this.patternsNaming(action);
    const policyNames = policies.allow.map((ids) => ids.some((id) => id === -1 || hits[id] === true));
    const out: number[] = [];
    principals.identity.forEach((ids, i) => {
      if (ids.some((id) => policyNames[id] === true)) out.push(i);
    });
    return out;
  }

  /**
   * A snapshot with every account (without credential reports or last-accessed data), every
   * account's groups and managed policies, and of the users and roles only `chosen` (in snapshot
   * order). Enough for questions about those principals; nothing else should be asked of it.
   *
   * With `forAction`, the users', roles' and managed policies' documents in which no statement can
   * name that action (by Action or NotAction, Allow or Deny) are left undecoded: each stands as a
   * document without statements (name, source, issues and the rest of its entry kept). For that
   * action the engine, the candidate test and the evidence see exactly what the full documents
   * give (a statement that does not name the action never takes part in deciding it), so the
   * snapshot answers that action only.
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
      };
    });
    const decode = forAction === undefined ? undefined : this.decoderFor(forAction);
    const { principals } = this.header;
    for (const i of [...chosen].sort((a, b) => a - b)) {
      const draft = drafts[principals.account[i] as number];
      if (!draft) continue;
      const identity = decode ? decode.identity(i) : this.identity(i);
      if (principals.kind[i] === ROLE) draft.roles.set(identity.arn, identity as RolePrincipal);
      else draft.users.set(identity.arn, identity as UserPrincipal);
      for (const m of principals.managed[i] ?? []) {
        const policy = decode ? decode.managed(m) : this.managedPolicy(m);
        draft.managed.set(policy.arn, policy);
      }
    }
    const accounts = new Map<string, Account>();
    for (const d of drafts) {
      accounts.set(d.meta.id, { ...d.meta, users: d.users, roles: d.roles, managedPolicies: d.managed });
    }
    return { ...base, accounts };
  }

  /** Decoders for one action's partial snapshot, with their own caches (see partialSnapshot). */
  private decoderFor(action: string): {
    identity(i: number): Identity;
    managed(i: number): ManagedPolicy;
  } {
    const hits = this.patternsNaming(action);
    const names = this.header.documents.names;
    const documents = new Map<number, Policy>();
    const documentById = (id: number): Policy => {
      const list = names[id];
      if (list !== undefined && !list.some((p) => p === -1 || hits[p] === true)) return NAMES_NOTHING;
      let policy = documents.get(id);
      if (!policy) {
        policy = this.documentById(id);
        documents.set(id, policy);
      }
      return policy;
    };
    const managed = new Map<number, ManagedPolicy>();
    return {
      identity: (i) => decodeIdentity(this.text(this.header.principals.text, i), documentById),
      managed: (i) => {
        let policy = managed.get(i);
        if (!policy) {
          policy = decodeManagedPolicy(this.text(this.header.managed.text, i), documentById);
          managed.set(i, policy);
        }
        return policy;
      },
    };
  }

  /** The stored escalation graph: its edges into each principal (decoded when asked) and its nodes. */
  storedGraph(): { into: EdgesByTarget; nodeOf: (arn: string) => EscalationNode | undefined } {
    const g = this.header.graph;
    const ids = new Map<string, number>();
    for (const [i, arn] of g.arns.entries()) ids.set(arn, i);
    const ints = (ref: Ref) => {
      const b = this.slice(ref);
      // In place where the machine is little-endian and the data aligned (the builder aligns it).
      if (LITTLE_ENDIAN && b.byteOffset % 4 === 0)
        return new Int32Array(b.buffer, b.byteOffset, b.length / 4);
      const out = new Int32Array(b.length / 4);
      for (let i = 0; i < out.length; i++) out[i] = b.readInt32LE(i * 4);
      return out;
    };
    const starts = ints(g.starts);
    const edges = ints(g.edges);
    const nodeCount = g.nodes.kind.length;
    const nodes = new Map<string, EscalationNode>();
    const nodeOf = (arn: string): EscalationNode | undefined => {
      let node = nodes.get(arn);
      if (node) return node;
      const i = ids.get(arn);
      if (i === undefined || i >= nodeCount) return undefined;
      const kind = g.nodes.kind[i];
      node = {
        arn,
        kind: kind === GROUP ? 'group' : kind === ROLE ? 'role' : 'user',
        name: g.nodes.name[i] as string,
        accountId: g.nodes.account[i] as string,
        admin: g.nodes.admin[i] === 1,
        adminConditions: g.conditions[g.nodes.adminConditions[i] as number] ?? [],
        incomplete: g.nodes.incomplete[i] === 1,
      };
      nodes.set(arn, node);
      return node;
    };
    const decoded = new Map<string, readonly EscalationEdge[]>();
    const into: EdgesByTarget = {
      get(arn) {
        const hit = decoded.get(arn);
        if (hit) return hit;
        const i = ids.get(arn);
        if (i === undefined) return undefined;
        const list: EscalationEdge[] = [];
        for (let e = starts[i] as number; e < (starts[i + 1] as number); e++) {
          const at = e * EDGE_INTS;
          const edge = restoreEdge(g.arns[edges[at] as number] as string, arn, {
            technique: g.techniques[edges[at + 1] as number] as string,
            grantsAdmin: edges[at + 2] === 1,
            conditions: g.conditions[edges[at + 3] as number] ?? [],
            fillIn: g.fills[edges[at + 4] as number] ?? {},
          });
          if (!edge) throw new IndexFormatError(`the index names an unknown technique`);
          list.push(edge);
        }
        decoded.set(arn, list);
        return list;
      },
    };
    return { into, nodeOf };
  }
}
