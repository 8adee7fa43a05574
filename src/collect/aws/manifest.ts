/** The manifest of a snapshot: docs/snapshot-format.md, section manifest.json. */

export const GAP_REASONS = ['access-denied', 'throttled', 'error', 'not-collected'] as const;
export type GapReason = (typeof GAP_REASONS)[number];

export interface Gap {
  readonly account: string;
  /** The region folder the artifact belongs in (IAM's is the partition's global region). */
  readonly region?: string;
  /** `service:Operation`, as in an IAM policy. */
  readonly call: string;
  /** The resource the call was about, for per-resource artifacts. */
  readonly target?: string;
  /** The artifact (file or folder name without extension) that is missing because of this gap. */
  readonly artifact: string;
  readonly reason: GapReason;
  readonly message: string;
}

export type AccountStatus = 'complete' | 'partial' | 'failed';

export interface ManifestAccount {
  readonly id: string;
  readonly name?: string;
  readonly status: AccountStatus;
  readonly regions: readonly string[];
}

export interface Manifest {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'leastpriv'; readonly version: string };
  readonly collectedAt: string;
  readonly partition: string;
  readonly organization?: { readonly id: string; readonly managementAccountId: string };
  readonly accounts: readonly ManifestAccount[];
  readonly gaps: readonly Gap[];
}

export function accountStatus(gaps: readonly Gap[], account: string): AccountStatus {
  return gaps.some((g) => g.account === account) ? 'partial' : 'complete';
}

/** Reads a previous manifest for --resume; anything unreadable counts as no manifest. */
export function parseManifest(text: string): Manifest | undefined {
  try {
    const value = JSON.parse(text) as Partial<Manifest>;
    if (value.schemaVersion !== 1 || !Array.isArray(value.accounts) || !Array.isArray(value.gaps))
      return undefined;
    return value as Manifest;
  } catch {
    return undefined;
  }
}
