import { z } from 'zod';
import { DEFAULT_CONFIG } from '../model/config.js';

/**
 * `.leastpriv.yaml`: the audit configuration. The JSON Schema in docs/config-schema.json is generated
 * from this (scripts/generate-config-schema.ts; a test keeps it current). Objects are strict so a
 * misspelt key is an error rather than a silently ignored setting.
 */

const checkPattern = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9*?-]+$/, 'a check id (kebab-case) or a glob over ids such as root-*')
  .describe('A check id, or a glob over check ids (`*` any run, `?` one character).');

const days = (what: string, def: number) =>
  z.number().int().min(1).max(36_500).default(def).describe(`${what} (days; default ${def}).`);

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/, {
    message: 'a date (YYYY-MM-DD) or an ISO 8601 date-time with a time zone',
    abort: true,
  })
  .refine((s) => !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s)), 'a real calendar date');

export const suppressionSchema = z
  .strictObject({
    checkId: z
      .string()
      .min(1)
      .max(200)
      .describe('The check whose findings this suppresses (`*` for every check).'),
    resource: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .describe(
        'A glob over resource ARNs (`*` any run, `?` one character, case-sensitive); absent: every resource.',
      ),
    reason: z
      .string()
      .trim()
      .min(10, 'a reason of at least 10 characters: why this finding is accepted')
      .max(1000)
      .describe('Why the finding is accepted (at least 10 characters). Shown in every report.'),
    owner: z.string().min(1).max(200).optional().describe('Who accepted it (a person or team).'),
    expires: isoDate
      .optional()
      .describe(
        'When the suppression stops suppressing: a date (valid through the end of that day, UTC) or a date-time. Expired suppressions are reported.',
      ),
  })
  .describe(
    'A finding accepted on purpose: it stays in JSON and SARIF output, marked suppressed with the reason.',
  );

export const configSchema = z
  .strictObject({
    version: z.literal(1).optional().describe('Configuration format version (1).'),
    checks: z
      .array(checkPattern)
      .max(1000)
      .default([])
      .describe('Checks to run (ids or globs); empty or absent: every check. `--checks` overrides it.'),
    skipChecks: z
      .array(checkPattern)
      .max(1000)
      .default([])
      .describe('Checks not to run (ids or globs); `--skip-checks` adds to it.'),
    thresholds: z
      .strictObject({
        credentialUnusedDays: days(
          'Passwords and access keys unused for longer are findings (CIS)',
          DEFAULT_CONFIG.thresholds.credentialUnusedDays,
        ),
        keyMaxAgeDays: days(
          'Active access keys older than this must be rotated (CIS)',
          DEFAULT_CONFIG.thresholds.keyMaxAgeDays,
        ),
        unusedDays: days(
          'Roles, users and services unused for longer are findings',
          DEFAULT_CONFIG.thresholds.unusedDays,
        ),
        rootRecentUseDays: days(
          'A root user sign-in or key use within this many days is a finding',
          DEFAULT_CONFIG.thresholds.rootRecentUseDays,
        ),
      })
      .prefault({})
      .describe('Ages at which stale credentials and identities become findings.'),
    ownerTagKey: z
      .string()
      .min(1)
      .max(128)
      .default(DEFAULT_CONFIG.ownerTagKey)
      .describe('The tag key every user and role should carry to name its owner.'),
    trustedAccounts: z
      .array(z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id'))
      .max(10_000)
      .default([])
      .describe(
        'Accounts inside the zone of trust besides the snapshot’s own and its organization’s (not reported as external).',
      ),
    trustedOrganizations: z
      .array(z.string().regex(/^o-[a-z0-9]{10,32}$/, 'an AWS Organizations id such as o-a1b2c3d4e5'))
      .max(1000)
      .default([])
      .describe('Organizations inside the zone of trust (aws:PrincipalOrgID values).'),
    suppressions: z.array(suppressionSchema).max(100_000).default([]).describe('Accepted findings.'),
  })
  .describe('leastpriv audit configuration (.leastpriv.yaml)');

export type ConfigInput = z.input<typeof configSchema>;
