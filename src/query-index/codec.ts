/**
 * Users, roles, managed policies and policy documents as JSON text, one entry each, so a query
 * decodes only the entries it needs. JSON rather than V8's serializer: on this model `JSON.parse`
 * is about six times faster than `v8.deserialize` per byte, and a query decodes thousands of
 * small entries.
 *
 * Three things keep the decoded model as the loader made it, and small:
 * - each parsed `Policy` is its own entry, referred to as `{"$policy": id}`: documents the loader
 *   shares (an AWS managed policy in every account, a trust document many roles repeat) are
 *   stored and decoded once and shared again;
 * - the loader's one "no position" object (documents inside exports have no text to point into)
 *   is written as `0` and put back on decoding, instead of a fresh object per statement element;
 * - the model's two kinds of `Map` (a principal's tags, a credential-report row's raw cells) are
 *   written as lists of pairs and rebuilt.
 * Anything else JSON cannot carry (a Set, another Map, a non-finite number) makes the encoder
 * throw, so an index is never written with a model it would read back differently.
 */
import type { Identity, ManagedPolicy } from '../model/account.js';
import { NO_POSITION, type SourcePosition } from '../model/issue.js';
import type { Policy, PrincipalSet, Statement } from '../model/policy.js';

/** Members that hold a Map in a principal: `tags`, and `raw` inside `credentials`. */
const MAP_MEMBERS = new Set(['tags', 'raw']);

/**
 * Gives each distinct Policy object an id while entries are encoded; the texts are kept in order,
 * with `names`: the ids `patternId` gives every Action value of every statement (-1 for NotAction).
 */
export class PolicyTable {
  readonly texts: string[] = [];
  readonly names: number[][] = [];
  private readonly ids = new Map<Policy, number>();

  constructor(private readonly patternId: (pattern: string) => number) {}

  id(policy: Policy): number {
    let id = this.ids.get(policy);
    if (id === undefined) {
      id = this.texts.length;
      this.ids.set(policy, id);
      this.texts.push(JSON.stringify(policy, checked));
      const names = new Set<number>();
      for (const s of policy.statements) {
        if (s.action) for (const p of s.action) names.add(this.patternId(p));
        else if (s.notAction) names.add(-1);
      }
      this.names.push([...names]);
    }
    return id;
  }
}

function isNoPosition(value: object): boolean {
  const p = value as Partial<SourcePosition>;
  return p.line === 0 && p.column === 0 && p.offset === -1 && Object.keys(value).length === 3;
}

function checked(this: unknown, key: string, value: unknown): unknown {
  if (value instanceof Map) {
    if (!MAP_MEMBERS.has(key)) throw new Error(`the query index cannot store a Map at "${key}"`);
    return { pairs: [...value] };
  }
  if (value instanceof Set) throw new Error(`the query index cannot store a Set at "${key}"`);
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new Error(`the query index cannot store the number ${value} at "${key}"`);
  if (typeof value === 'object' && value !== null && isNoPosition(value)) return 0;
  return value;
}

function withPolicies(table: PolicyTable) {
  return function replace(this: unknown, key: string, value: unknown): unknown {
    if (
      key === 'policy' &&
      typeof value === 'object' &&
      value !== null &&
      Array.isArray((value as Policy).statements)
    )
      return { $policy: table.id(value as Policy) };
    return checked.call(this, key, value);
  };
}

export function encodeIdentity(identity: Identity, table: PolicyTable): string {
  return JSON.stringify(identity, withPolicies(table));
}

/**
 * The members of a user or role that who-can's questions read (the policy layers, the caller's
 * ARN, account, path and tags); the rest (credentials, trust, last use, classification) is stored
 * apart, so answering a question decodes about half as much.
 */
const CORE_MEMBERS = new Set([
  'kind',
  'arn',
  'name',
  'id',
  'path',
  'accountId',
  'tags',
  'attachedPolicies',
  'inlinePolicies',
  'permissionsBoundary',
  'groups',
]);

/** The identity as two JSON texts: the members who-can reads (`core`) and the others (`rest`). */
export function encodeIdentityParts(identity: Identity, table: PolicyTable): { core: string; rest: string } {
  const core: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(identity)) (CORE_MEMBERS.has(k) ? core : rest)[k] = v;
  const replace = withPolicies(table);
  return { core: JSON.stringify(core, replace), rest: JSON.stringify(rest, replace) };
}

export function encodeManagedPolicy(policy: ManagedPolicy, table: PolicyTable): string {
  return JSON.stringify(policy, withPolicies(table));
}

/** Finds a Policy by the id the encoder gave it (decoded once, then shared). */
export type PolicyById = (id: number) => Policy;

interface PairsHolder {
  pairs: [string, string][];
}

interface PolicyRef {
  $policy: number;
}

function toMap(value: unknown): Map<string, string> {
  return new Map((value as PairsHolder).pairs);
}

function storedPolicies(list: unknown, policyById: PolicyById): void {
  if (!Array.isArray(list)) return;
  for (const p of list) storedPolicy(p, policyById);
}

function storedPolicy(p: unknown, policyById: PolicyById): void {
  const stored = p as { policy?: Policy | PolicyRef } | undefined;
  const ref = stored?.policy as PolicyRef | undefined;
  if (ref && typeof ref.$policy === 'number') (stored as { policy: Policy }).policy = policyById(ref.$policy);
}

export function decodeIdentity(text: string, policyById: PolicyById): Identity {
  const o = JSON.parse(text) as Record<string, unknown>;
  if (o.tags !== undefined) o.tags = toMap(o.tags);
  const credentials = o.credentials as Record<string, unknown> | undefined;
  if (credentials?.raw !== undefined) credentials.raw = toMap(credentials.raw);
  storedPolicies(o.inlinePolicies, policyById);
  if (o.trustPolicy) storedPolicy(o.trustPolicy, policyById);
  return o as unknown as Identity;
}

/**
 * An identity from its two parts; without `rest`, only the members who-can reads (enough for a
 * partial snapshot that answers who-can and nothing else).
 */
export function decodeIdentityParts(
  core: string,
  rest: string | undefined,
  policyById: PolicyById,
): Identity {
  const o = decodeIdentity(core, policyById) as unknown as Record<string, unknown>;
  if (rest !== undefined) {
    const more = JSON.parse(rest) as Record<string, unknown>;
    const credentials = more.credentials as Record<string, unknown> | undefined;
    if (credentials?.raw !== undefined) credentials.raw = toMap(credentials.raw);
    if (more.trustPolicy) storedPolicy(more.trustPolicy, policyById);
    // Defined, not assigned: a member named `__proto__` in a tampered file stays a plain member.
    for (const k of Object.keys(more))
      Object.defineProperty(o, k, { value: more[k], enumerable: true, writable: true, configurable: true });
  }
  return o as unknown as Identity;
}

export function decodeManagedPolicy(text: string, policyById: PolicyById): ManagedPolicy {
  const o = JSON.parse(text) as Record<string, unknown>;
  if (o.document) storedPolicy(o.document, policyById);
  return o as unknown as ManagedPolicy;
}

type Positioned = { pos: SourcePosition | 0 };

function position<T extends object>(o: T, key: keyof T): void {
  if ((o[key] as unknown) === 0) (o as Record<keyof T, unknown>)[key] = NO_POSITION;
}

function principalSet(p: PrincipalSet | undefined): void {
  if (p) position(p as Positioned, 'pos');
}

/** A Policy entry as `PolicyTable` wrote it, with the shared "no position" object back in place. */
export function decodePolicy(text: string): Policy {
  const policy = JSON.parse(text) as Policy;
  position(policy as unknown as Positioned, 'pos');
  for (const s of policy.statements as Statement[]) {
    position(s as unknown as Positioned, 'pos');
    const elements = s.elementPos as Record<string, unknown>;
    for (const k in elements) if (elements[k] === 0) elements[k] = NO_POSITION;
    const values = s.valuePos as Record<string, unknown[]>;
    for (const k in values) {
      const list = values[k] as unknown[];
      for (let i = 0; i < list.length; i++) if (list[i] === 0) list[i] = NO_POSITION;
    }
    principalSet(s.principal);
    principalSet(s.notPrincipal);
    for (const c of s.conditions) {
      position(c as unknown as Positioned, 'pos');
      position(c as unknown as { keyPos: unknown }, 'keyPos');
    }
  }
  return policy;
}
