import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCESS_LEVELS, type ServiceAccess } from '../context.js';
import { busiestServices } from './render.js';

const service = fc.record({
  service: fc.constantFrom('s3', 'iam', 'ec2', 'kms', 'sqs', 'a', 'b'),
  levels: fc.dictionary(fc.constantFrom(...ACCESS_LEVELS), fc.integer({ min: 0, max: 5 })),
}) as fc.Arbitrary<ServiceAccess>;

describe('busiestServices', () => {
  it('is the first k of the list sorted (stably) by actions allowed, most first, then by name', () => {
    const total = (s: ServiceAccess): number => ACCESS_LEVELS.reduce((n, l) => n + (s.levels[l] ?? 0), 0);
    fc.assert(
      fc.property(fc.array(service, { maxLength: 60 }), fc.integer({ min: 0, max: 30 }), (list, k) => {
        const sorted = [...list].sort(
          (a, b) => total(b) - total(a) || (a.service < b.service ? -1 : a.service > b.service ? 1 : 0),
        );
        const top = busiestServices(list, k);
        expect(top).toHaveLength(Math.min(k, list.length));
        top.forEach((s, i) => {
          // The same objects, not equal copies: ties must keep the list's order.
          expect(s).toBe(sorted[i]);
        });
      }),
      { numRuns: 500 },
    );
  });
});
