/**
 * Metamorphic invariances: rewrites that AWS treats as the same policy never change a decision.
 * Statement order: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 *   (every statement is evaluated; an explicit deny in any of them wins, order plays no part)
 * Action names are case-insensitive: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * JSON object key order and whitespace carry no meaning in JSON (RFC 8259 §4).
 * URL-encoded documents are what the IAM API returns: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimulateRequest } from '../differential/case.js';
import { engineDecision, type PolicyEncoding } from '../differential/engine.js';
import { requestArb } from '../differential/generators.js';
import {
  prng,
  recaseActions,
  shuffleKeys,
  shuffleStatements,
  urlEncoded,
  withWhitespace,
} from './transforms.js';

const RUNS = Number(process.env.METAMORPHIC_RUNS ?? 1_000);
const requests = requestArb({ sessionAndEndpoint: true, anonymous: true, unknownActions: true });
const seeds = fc.integer({ min: 1, max: 0x7fff_ffff });

describe('metamorphic invariances', () => {
  const cases: {
    name: string;
    rewrite: (r: SimulateRequest, seed: number) => { request: SimulateRequest; encode?: PolicyEncoding };
  }[] = [
    { name: 'statement and policy order', rewrite: (r, seed) => ({ request: shuffleStatements(r, seed) }) },
    {
      name: 'JSON key order',
      rewrite: (r, seed) => {
        const random = prng(seed);
        return { request: r, encode: (d) => shuffleKeys(d, random) };
      },
    },
    {
      name: 'whitespace in the policy text',
      rewrite: (r, seed) => ({ request: r, encode: (d) => withWhitespace(d, seed) }),
    },
    { name: 'case of action names', rewrite: (r, seed) => ({ request: recaseActions(r, seed) }) },
    { name: 'URL-encoding of the policy text', rewrite: (r) => ({ request: r, encode: urlEncoded }) },
  ];

  it.each(cases)('$name never changes a decision', ({ rewrite }) => {
    fc.assert(
      fc.property(requests, seeds, (request, seed) => {
        const before = engineDecision(request);
        const { request: rewritten, encode } = rewrite(request, seed);
        expect(engineDecision(rewritten, encode)).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });
});
