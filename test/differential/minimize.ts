/**
 * Greedy delta-debugging for a disagreeing request: drops layers, policies, statements, array
 * values, condition clauses and context keys one at a time while the same disagreement persists.
 * What is left is the minimal reproduction reported to the engine's owners.
 */
import type { PolicyDocument, SimulateRequest } from './case.js';
import { compareOne } from './compare.js';

type Json = unknown;

/** Every request obtained by removing exactly one element somewhere in `value`. */
function* removals(value: Json, depth = 0): Generator<Json> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield [...value.slice(0, i), ...value.slice(i + 1)];
    for (let i = 0; i < value.length; i++) {
      for (const smaller of removals(value[i], depth + 1)) {
        yield [...value.slice(0, i), smaller, ...value.slice(i + 1)];
      }
    }
    // A single-element array may be written as the element itself.
    if (value.length === 1 && typeof value[0] === 'string') yield value[0];
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    for (const [key] of entries) {
      // Keep the elements a statement or document cannot do without.
      if (['Effect', 'Version', 'Statement'].includes(key)) continue;
      const copy: Record<string, Json> = { ...value };
      delete copy[key];
      yield copy;
    }
    for (const [key, child] of entries) {
      for (const smaller of removals(child, depth + 1)) yield { ...value, [key]: smaller };
    }
  }
}

function signature(outcome: Awaited<ReturnType<typeof compareOne>>): string | undefined {
  return outcome.kind === 'disagree' ? `${outcome.divergence}:${outcome.ours}:${outcome.oracle}` : undefined;
}

export async function minimize(request: SimulateRequest, maxSteps = 2_000): Promise<SimulateRequest> {
  const target = signature(await compareOne(request));
  if (target === undefined) return request;
  let current: SimulateRequest = request;
  let steps = 0;
  let improved = true;
  while (improved && steps < maxSteps) {
    improved = false;
    const fields = { policies: current.policies, context: current.context ?? {} };
    for (const candidate of removals(fields)) {
      if (++steps > maxSteps) break;
      const c = candidate as { policies?: SimulateRequest['policies']; context?: SimulateRequest['context'] };
      if (!c.policies) continue;
      const next: SimulateRequest = { ...current, policies: c.policies, context: c.context ?? {} };
      if (!validShape(next) || JSON.stringify(next) === JSON.stringify(current)) continue;
      let sig: string | undefined;
      try {
        sig = signature(await compareOne(next));
      } catch {
        continue;
      }
      if (sig === target) {
        current = next;
        improved = true;
        break;
      }
    }
  }
  return current;
}

/** Policies must keep at least one statement, statements an Effect, to stay meaningful. */
function validShape(request: SimulateRequest): boolean {
  const docs: PolicyDocument[] = [];
  const p = request.policies;
  docs.push(...(p.identity ?? []), ...(p.boundary ?? []), ...(p.endpoint ?? []));
  if (p.resource) docs.push(p.resource);
  if (p.session) docs.push(p.session);
  for (const level of [...(p.scp ?? []), ...(p.rcp ?? [])]) docs.push(...level);
  return docs.every((d) => {
    const st = d.Statement;
    if (Array.isArray(st)) return st.length > 0 && st.every((s) => s !== null && typeof s === 'object');
    return st !== null && typeof st === 'object';
  });
}
