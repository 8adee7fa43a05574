/**
 * Differential test: our engine against @cloud-copilot/iam-simulate on generated requests.
 * Every disagreement must belong to a documented class (docs/divergences.md, confirmed by a
 * counterfactual in compare.ts) or to a known engine bug listed in regressions.test.ts.
 * DIFFERENTIAL_CASES and DIFFERENTIAL_SEED override the defaults; `bench/differential.ts` runs
 * millions of cases outside vitest.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compareOne, type Outcome, Tally } from './compare.js';
import { requestArb } from './generators.js';

const CASES = Number(process.env.DIFFERENTIAL_CASES ?? 10_000);
const SEED = Number(process.env.DIFFERENTIAL_SEED ?? 20_240_601);

function describeOutcome(outcome: Outcome): string {
  if (outcome.kind !== 'disagree') return outcome.kind;
  return `ours ${outcome.ours}, oracle ${outcome.oracle} (${outcome.divergence})`;
}

describe('differential: leastpriv vs iam-simulate', () => {
  const tally = new Tally();

  afterAll(() => {
    const lines = [...tally.outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${k}: ${v}`);
    console.log(`differential outcomes over ${CASES} cases (seed ${SEED}):\n${lines.join('\n')}`);
  });

  it(`agrees on ${CASES} generated requests except documented divergences`, async () => {
    await fc.assert(
      fc.asyncProperty(requestArb({ sessionAndEndpoint: true, anonymous: true }), async (request) => {
        const outcome = await compareOne(request);
        tally.add(outcome);
        // fast-check shrinks a failure to a minimal request and prints it.
        const explained =
          outcome.kind === 'agree' ||
          outcome.kind === 'oracle-refused' ||
          (outcome.kind === 'disagree' && outcome.divergence !== 'unexplained');
        if (!explained) throw new Error(describeOutcome(outcome));
      }),
      { numRuns: CASES, seed: SEED, endOnFailure: false },
    );
  });

  it('compared enough cases of every decision for the agreement to mean something', () => {
    // Guards against a generator drifting into cases the oracle refuses or that all deny.
    expect(tally.count('oracle-refused')).toBeLessThan(CASES * 0.02);
    expect(tally.count('agree:Allowed')).toBeGreaterThan(CASES * 0.03);
    expect(tally.count('agree:ExplicitlyDenied')).toBeGreaterThan(CASES * 0.1);
    expect(tally.count('agree:ImplicitlyDenied')).toBeGreaterThan(CASES * 0.1);
  });
});
