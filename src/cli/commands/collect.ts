import { collectAws } from '../../collect/aws/index.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../usage-error.js';
import { VERSION } from '../version.js';

export interface CollectAwsCliOptions {
  readonly out?: string;
  readonly profile?: string;
  /** One region or a comma-separated list. */
  readonly region?: string;
  readonly org?: boolean;
  readonly roleName?: string;
  readonly externalId?: string;
  /** Comma-separated account ids. */
  readonly accounts?: string;
  readonly maxParallel?: string;
  readonly maxAttempts?: string;
  readonly resume?: boolean;
  readonly quiet?: boolean;
  /** Library hook for tests and embedding: merged into every SDK client's configuration. */
  readonly clientOptions?: Readonly<Record<string, unknown>>;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.length > 0 ? items : undefined;
}

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} must be a positive whole number, not "${value}"`);
  return n;
}

/**
 * `leastpriv collect aws --out DIR`: writes a snapshot (docs/snapshot-format.md). Progress goes to
 * stderr; calls that fail are gaps in the manifest, not errors, so a finished run exits 0.
 */
export async function collectAwsCommand(options: CollectAwsCliOptions, io: CliIO): Promise<number> {
  if (!options.out) throw new UsageError('--out DIR is required: the folder the snapshot is written to');
  const regions = list(options.region);
  for (const r of regions ?? [])
    if (!REGION.test(r)) throw new UsageError(`--region: "${r}" is not a region name`);
  const accounts = list(options.accounts);
  if (options.org && !options.roleName)
    throw new UsageError('--org needs --role-name: the role to assume in each account');
  if (options.externalId && !options.roleName) throw new UsageError('--external-id goes with --role-name');
  const maxParallel = positiveInt('--max-parallel', options.maxParallel);
  const maxAttempts = positiveInt('--max-attempts', options.maxAttempts);

  await collectAws({
    out: options.out,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(regions ? { regions } : {}),
    ...(options.org ? { org: true } : {}),
    ...(options.roleName ? { roleName: options.roleName } : {}),
    ...(options.externalId ? { externalId: options.externalId } : {}),
    ...(accounts ? { accounts } : {}),
    ...(maxParallel ? { maxParallel } : {}),
    ...(maxAttempts ? { maxAttempts } : {}),
    ...(options.resume ? { resume: true } : {}),
    ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}),
    toolVersion: VERSION,
    ...(options.quiet ? {} : { progress: (line: string) => io.stderr(`leastpriv collect: ${line}\n`) }),
  });
  return EXIT_OK;
}
