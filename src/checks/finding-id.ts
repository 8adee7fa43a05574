import { hash } from 'node:crypto';

/** Hex characters kept from the sha256: 80 bits, ample for one audit's findings and short enough to type. */
export const FINDING_ID_LENGTH = 20;

/**
 * A finding's stable id: the same check on the same resource (and discriminator) gets the same id in
 * every run, so suppressions, tickets and diffs can refer to it. Parts are joined with a NUL, which no
 * ARN or check id contains, so `("a", "b:c")` and `("a:b", "c")` cannot collide.
 */
export function findingId(checkId: string, resourceArn: string, discriminator?: string): string {
  // crypto.hash (Node 20.12+): one call for the joined text, about 2.5x faster than createHash's
  // object and updates; the bytes hashed are the same as before, so ids do not change.
  const text =
    discriminator !== undefined && discriminator !== ''
      ? `${checkId}\0${resourceArn}\0${discriminator}`
      : `${checkId}\0${resourceArn}`;
  return hash('sha256', text, 'hex').slice(0, FINDING_ID_LENGTH);
}
