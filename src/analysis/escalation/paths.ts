/**
 * Shortest escalation paths over the graph. Paths to admin come from one layered reverse BFS from
 * every administrator (and every edge that grants admin), first over certain edges only, then over
 * all edges for the principals left: a principal's path is conditional only when no certain one
 * exists. Hops are the `PathHop`s findings carry.
 */
import type { OrgSnapshot } from '../../model/account.js';
import type { PathHop } from '../../model/finding.js';
import {
  builtEscalationGraph,
  type EscalationEdge,
  type EscalationGraph,
  type EscalationNode,
  escalationGraph,
  targetedEdges,
} from './graph.js';

/** How paths look nodes up: the full graph's map, or a targeted search's lazily made nodes. */
type NodeOf = (arn: string) => EscalationNode | undefined;

const nodesOf =
  (graph: EscalationGraph): NodeOf =>
  (arn) =>
    graph.nodes.get(arn);

export interface EscalationPath {
  /** Where the path starts. */
  readonly principal: string;
  /** Where it ends: an administrator, `admin` when the last hop grants admin, or the target asked about. */
  readonly reaches: string;
  readonly hops: readonly PathHop[];
  /** Some hop depends on something the snapshot cannot show. */
  readonly conditional: boolean;
  readonly conditions: readonly string[];
}

const certain = (e: EscalationEdge): boolean => e.conditions.length === 0;

interface AdminIndex {
  /** Next hop towards admin; null for an administrator itself. */
  readonly next: ReadonlyMap<string, EscalationEdge | null>;
  readonly conditional: ReadonlySet<string>;
}

const adminCache = new WeakMap<EscalationGraph, AdminIndex>();

function layered(
  graph: EscalationGraph,
  use: (e: EscalationEdge) => boolean,
  next: Map<string, EscalationEdge | null>,
): Set<string> {
  const added = new Set<string>();
  let frontier: string[] = [];
  for (const node of graph.nodes.values()) {
    if (node.admin && (use === certain ? node.adminConditions.length === 0 : true) && !next.has(node.arn)) {
      next.set(node.arn, null);
      added.add(node.arn);
    }
    if (next.has(node.arn)) frontier.push(node.arn);
  }
  // Depth 1 also includes every principal with an edge that grants admin by itself.
  const grants: EscalationEdge[] = [];
  for (const edges of graph.out.values()) for (const e of edges) if (e.grantsAdmin && use(e)) grants.push(e);
  let first = true;
  while (frontier.length > 0 || (first && grants.length > 0)) {
    const upcoming: string[] = [];
    const visit = (e: EscalationEdge): void => {
      if (next.has(e.from) || !use(e)) return;
      next.set(e.from, e);
      added.add(e.from);
      upcoming.push(e.from);
    };
    if (first) for (const e of grants) visit(e);
    first = false;
    for (const node of frontier) for (const e of graph.into.get(node) ?? []) if (e.from !== e.to) visit(e);
    frontier = upcoming;
  }
  return added;
}

function adminIndex(graph: EscalationGraph): AdminIndex {
  let index = adminCache.get(graph);
  if (!index) {
    const next = new Map<string, EscalationEdge | null>();
    layered(graph, certain, next);
    const conditional = layered(graph, () => true, next);
    index = { next, conditional };
    adminCache.set(graph, index);
  }
  return index;
}

function hopOf(nodeOf: NodeOf, e: EscalationEdge, last: boolean): PathHop {
  let explanation = e.explanation;
  const to = nodeOf(e.to);
  if (last && !e.grantsAdmin && to?.admin) explanation += ` ${to.name} is an administrator.`;
  if (e.conditions.length > 0) explanation += ` (Conditional: ${e.conditions.join('; ')}.)`;
  return { from: e.from, to: e.to, technique: e.technique, actions: e.actions, explanation };
}

function pathFrom(graph: EscalationGraph, index: AdminIndex, start: string): EscalationPath | undefined {
  const edges: EscalationEdge[] = [];
  let at = start;
  const seen = new Set<string>();
  for (;;) {
    const e = index.next.get(at);
    if (e === undefined) return undefined;
    if (e === null || seen.has(at)) break;
    seen.add(at);
    edges.push(e);
    if (e.grantsAdmin) break;
    at = e.to;
  }
  if (edges.length === 0) return undefined;
  return toPath(nodesOf(graph), start, edges, edges.at(-1)?.grantsAdmin ? 'admin' : at);
}

function toPath(
  nodeOf: NodeOf,
  start: string,
  edges: readonly EscalationEdge[],
  reaches: string,
): EscalationPath {
  const conditions = [...new Set(edges.flatMap((e) => e.conditions))];
  const last = nodeOf(edges.at(-1)?.to ?? '');
  if (last?.admin) for (const c of last.adminConditions) if (!conditions.includes(c)) conditions.push(c);
  return {
    principal: start,
    reaches,
    hops: edges.map((e, i) => hopOf(nodeOf, e, i === edges.length - 1)),
    conditional: conditions.length > 0,
    conditions,
  };
}

export function isAdmin(snapshot: OrgSnapshot, principalArn: string): boolean {
  return escalationGraph(snapshot).nodes.get(principalArn)?.admin ?? false;
}

/** The shortest path from a principal to administrator access, if there is one (none for an admin). */
export function canReach(snapshot: OrgSnapshot, principalArn: string): EscalationPath | undefined {
  const graph = escalationGraph(snapshot);
  return pathFrom(graph, adminIndex(graph), principalArn);
}

/**
 * Every principal that can reach `target` (a principal ARN, or `admin` for administrator access),
 * with its shortest path; administrators themselves are not listed for `admin`.
 */
export function principalsReaching(snapshot: OrgSnapshot, target: string): readonly EscalationPath[] {
  const graph = escalationGraph(snapshot);
  if (target === 'admin') {
    const index = adminIndex(graph);
    const out: EscalationPath[] = [];
    for (const [arn, e] of index.next) {
      if (e === null) continue;
      const p = pathFrom(graph, index, arn);
      if (p) out.push(p);
    }
    return out.sort((a, b) => a.hops.length - b.hops.length || a.principal.localeCompare(b.principal));
  }
  const next = new Map<string, EscalationEdge>();
  let frontier = [target];
  const seen = new Set([target]);
  while (frontier.length > 0) {
    const upcoming: string[] = [];
    for (const node of frontier) {
      for (const e of graph.into.get(node) ?? []) {
        if (seen.has(e.from)) continue;
        seen.add(e.from);
        next.set(e.from, e);
        upcoming.push(e.from);
      }
    }
    frontier = upcoming;
  }
  const out: EscalationPath[] = [];
  for (const start of next.keys()) {
    const edges: EscalationEdge[] = [];
    let at = start;
    while (at !== target) {
      const e = next.get(at);
      if (!e) break;
      edges.push(e);
      at = e.to;
    }
    out.push(toPath(nodesOf(graph), start, edges, target));
  }
  return out.sort((a, b) => a.hops.length - b.hops.length || a.principal.localeCompare(b.principal));
}

/**
 * Edges into a principal, in the full graph's order: the graph's `into` map, or a stored graph's,
 * which may leave out the edges from principals in `skip` (the searches never take those).
 */
export interface EdgesByTarget {
  get(arn: string, skip?: ReadonlySet<string>): readonly EscalationEdge[] | undefined;
}

/**
 * The two reverse breadth-first searches from `targets`: along certain edges first, then along any
 * edge, going on from everything the first reached. `next` gets, per principal reached, its edge
 * towards the targets. `edgesInto` gives the edges into a level's nodes (the built graph's, or
 * fetched for that level); `onReach` sees each principal as it is reached.
 */
function reverseSearches(
  targets: ReadonlySet<string>,
  next: Map<string, EscalationEdge>,
  edgesInto: (frontier: readonly string[]) => EdgesByTarget,
  onReach: (arn: string) => void = () => {},
): void {
  for (const use of [certain, () => true]) {
    let frontier = [...targets, ...next.keys()];
    const seen = new Set<string>(frontier);
    while (frontier.length > 0) {
      const into = edgesInto(frontier);
      const upcoming: string[] = [];
      for (const node of frontier) {
        for (const e of into.get(node, seen) ?? []) {
          if (seen.has(e.from) || !use(e)) continue;
          seen.add(e.from);
          onReach(e.from);
          next.set(e.from, e);
          upcoming.push(e.from);
        }
      }
      frontier = upcoming;
    }
  }
}

/**
 * Every principal that can reach one of `holders` (principals that can already do something, e.g.
 * the ARNs who-can lists) or, unless `admin` is false, administrator access, with its shortest
 * path. Principals in `holders` (and administrators, when admin counts) are not listed. One reverse
 * search from all holders at once; certain edges are preferred over conditional ones, as for
 * paths to admin. `reaches` is the holder reached, or `admin`.
 */
export function principalsReachingAny(
  snapshot: OrgSnapshot,
  holders: Iterable<string>,
  options: { readonly admin?: boolean } = {},
): readonly EscalationPath[] {
  if (options.admin === false && !builtEscalationGraph(snapshot))
    return reachingHolders(snapshot, holders).paths;
  const graph = escalationGraph(snapshot);
  const targets = new Set(holders);
  const byAdmin = options.admin !== false ? adminIndex(graph) : undefined;
  const next = new Map<string, EscalationEdge>();
  reverseSearches(targets, next, () => graph.into);
  const out: EscalationPath[] = [];
  const starts = new Set<string>([...next.keys()]);
  if (byAdmin) for (const [arn, e] of byAdmin.next) if (e !== null && !targets.has(arn)) starts.add(arn);
  for (const start of starts) {
    if (byAdmin?.next.get(start) === null) continue;
    const viaHolder = holderPath(nodesOf(graph), next, targets, start);
    const viaAdmin = byAdmin ? pathFrom(graph, byAdmin, start) : undefined;
    const best =
      viaHolder && viaAdmin
        ? viaAdmin.conditional === viaHolder.conditional
          ? viaAdmin.hops.length < viaHolder.hops.length
            ? viaAdmin
            : viaHolder
          : viaHolder.conditional
            ? viaAdmin
            : viaHolder
        : (viaHolder ?? viaAdmin);
    if (best) out.push(best);
  }
  return out.sort((a, b) => a.hops.length - b.hops.length || a.principal.localeCompare(b.principal));
}

function holderPath(
  nodeOf: NodeOf,
  next: ReadonlyMap<string, EscalationEdge>,
  targets: ReadonlySet<string>,
  start: string,
): EscalationPath | undefined {
  const edges: EscalationEdge[] = [];
  let at = start;
  while (!targets.has(at)) {
    const e = next.get(at);
    if (!e || edges.length > next.size) return undefined;
    edges.push(e);
    at = e.to;
  }
  return edges.length > 0 ? toPath(nodeOf, start, edges, at) : undefined;
}

/**
 * principalsReachingAny(snapshot, holders, { admin: false }) over a graph given by its edges into
 * each principal and its nodes (the query index's stored graph): the same searches, paths and order.
 */
export function reachingHoldersOver(
  into: EdgesByTarget,
  nodeOf: (arn: string) => EscalationNode | undefined,
  holders: Iterable<string>,
): readonly EscalationPath[] {
  const targets = new Set(holders);
  const next = new Map<string, EscalationEdge>();
  reverseSearches(targets, next, () => into);
  const out: EscalationPath[] = [];
  for (const start of next.keys()) {
    const path = holderPath(nodeOf, next, targets, start);
    if (path) out.push(path);
  }
  return out.sort((a, b) => a.hops.length - b.hops.length || a.principal.localeCompare(b.principal));
}

/** Every principal reachable from `principalArn`, each with its shortest path (certain edges preferred only by order). */
export function reachableFrom(snapshot: OrgSnapshot, principalArn: string): readonly EscalationPath[] {
  const graph = escalationGraph(snapshot);
  const prev = new Map<string, EscalationEdge>();
  const seen = new Set([principalArn]);
  let frontier = [principalArn];
  const selfEdges: EscalationEdge[] = [];
  while (frontier.length > 0) {
    const upcoming: string[] = [];
    for (const node of frontier) {
      const edges = [...(graph.out.get(node) ?? [])].sort((a, b) => Number(certain(b)) - Number(certain(a)));
      for (const e of edges) {
        if (e.from === e.to) {
          if (node === principalArn) selfEdges.push(e);
          continue;
        }
        if (seen.has(e.to)) continue;
        seen.add(e.to);
        prev.set(e.to, e);
        upcoming.push(e.to);
      }
    }
    frontier = upcoming;
  }
  const out: EscalationPath[] = selfEdges.map((e) =>
    toPath(nodesOf(graph), principalArn, [e], e.grantsAdmin ? 'admin' : principalArn),
  );
  for (const end of prev.keys()) {
    const edges: EscalationEdge[] = [];
    let at = end;
    while (at !== principalArn) {
      const e = prev.get(at);
      if (!e) break;
      edges.unshift(e);
      at = e.from;
    }
    out.push(toPath(nodesOf(graph), principalArn, edges, end));
  }
  return out.sort((a, b) => a.hops.length - b.hops.length || a.reaches.localeCompare(b.reaches));
}

/** Paths to holders, with the nodes they pass through (kind and account of each principal listed). */
export interface HolderPaths {
  readonly paths: readonly EscalationPath[];
  readonly nodeOf: (arn: string) => EscalationNode | undefined;
}

/**
 * principalsReachingAny(snapshot, holders, { admin: false }) without the whole graph when the
 * snapshot's graph is not built yet: the same two reverse searches (certain edges, then any), but
 * each level asks the graph builder only for the edges into that level's nodes (targetedEdges),
 * from the principals not reached yet. Those are the full graph's edges into those nodes in the
 * same order, so the same principals and the same paths come out (differential test:
 * test/escalation/reaching-holders.test.ts). When the graph is built already, it is used.
 */
export function reachingHolders(snapshot: OrgSnapshot, holders: Iterable<string>): HolderPaths {
  const built = builtEscalationGraph(snapshot);
  if (built)
    return {
      paths: principalsReachingAny(snapshot, holders, { admin: false }),
      nodeOf: nodesOf(built),
    };
  const edges = targetedEdges(snapshot);
  const nodeOf: NodeOf = (arn) => edges.nodeOf(arn);
  const targets = new Set(holders);
  const into = new Map<string, EscalationEdge[]>();
  const asked = new Set<string>();
  const next = new Map<string, EscalationEdge>();
  // Everything reached so far: never a source again in either search (see principalsReachingAny).
  const reached = new Set<string>(targets);
  const intoOf = (frontier: readonly string[]): void => {
    const wanted = new Set<string>();
    for (const node of frontier) if (!asked.has(node)) wanted.add(node);
    if (wanted.size === 0) return;
    for (const node of wanted) asked.add(node);
    edges.edgesInto(wanted, reached, into);
  };
  reverseSearches(
    targets,
    next,
    (frontier) => {
      intoOf(frontier);
      return into;
    },
    (arn) => reached.add(arn),
  );
  const out: EscalationPath[] = [];
  for (const start of next.keys()) {
    const path = holderPath(nodeOf, next, targets, start);
    if (path) out.push(path);
  }
  out.sort((a, b) => a.hops.length - b.hops.length || a.principal.localeCompare(b.principal));
  return { paths: out, nodeOf };
}
