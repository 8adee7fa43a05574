/**
 * explain() is evaluate() with reasons attached: the decision must be the same for every request.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, explain } from '../../src/policy/evaluate/index.js';
import { authorizationRequest, compileRequestPolicies } from '../differential/engine.js';
import { requestArb } from '../differential/generators.js';

const RUNS = Number(process.env.METAMORPHIC_RUNS ?? 1_000);

describe('explain agrees with evaluate', () => {
  it('explain().decision always equals evaluate() on the same compiled set', () => {
    fc.assert(
      fc.property(
        requestArb({ sessionAndEndpoint: true, anonymous: true, unknownActions: true }),
        (request) => {
          const compiled = compileRequestPolicies(request);
          const authz = authorizationRequest(request);
          const result = explain(compiled, authz);
          expect(result.decision).toBe(evaluate(compiled, authz));
          expect(result.explanation.decision).toBe(result.decision);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
