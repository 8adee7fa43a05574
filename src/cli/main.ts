import { Command, CommanderError, Option } from 'commander';
import { formatInputError, InputError } from '../model/errors.js';
import { ISSUE_SEVERITIES } from '../model/issue.js';
import { POLICY_TYPES } from '../model/policy.js';
import type { accessCommand } from './commands/access.js';
import type { auditCommand } from './commands/audit.js';
import type { canCommand } from './commands/can.js';
import type { checksListCommand, explainCommand } from './commands/checks.js';
import type { collectAwsCommand } from './commands/collect.js';
import type { indexCommand } from './commands/index-snapshot.js';
import type { inventoryCommand } from './commands/inventory.js';
import type { lintCommand } from './commands/lint.js';
import type { pathsCommand } from './commands/paths.js';
import type { simulateCommand } from './commands/simulate.js';
import type { trailIngestCommand, trailQueryCommand, trailShowCommand } from './commands/trail.js';
import type { trailDetectCommand, trailPolicyCommand, trailUsageCommand } from './commands/trail-detect.js';
import type { whoCanCommand } from './commands/who-can.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import type { CliIO } from './io.js';
import { UsageError } from './usage-error.js';
import { VERSION } from './version.js';

// Command modules are imported when their command runs, so `leastpriv simulate` does not pay for
// loading the AWS SDK, DuckDB or the report renderer at start-up.

/**
 * Runs one command line and returns its exit code. Never calls process.exit, so tests run the
 * real CLI in-process with an injected CliIO.
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('leastpriv')
    .description('Cloud IAM auditing: who can do what, what is over-privileged or exposed, and why.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('lint')
    .description(
      'Check IAM policy documents for errors and risky grants (offline Access Analyzer ValidatePolicy).',
    )
    .argument(
      '<file...>',
      'policy documents: JSON, or URL-encoded JSON as the IAM API returns it; - for standard input',
    )
    .addOption(
      new Option(
        '--type <type>',
        'where the policy is attached (guessed from the document when absent)',
      ).choices(POLICY_TYPES),
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'),
    )
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when an issue is at or above this severity')
        .choices([...ISSUE_SEVERITIES, ...ISSUE_SEVERITIES.map((s) => s.toLowerCase())])
        .default('ERROR'),
    )
    .option('-o, --output <file>', 'write the result to a file instead of standard output')
    .action(async (files: string[], opts: Record<string, string>) => {
      exitCode = await (await import('./commands/lint.js')).lintCommand(files, opts, io);
    });

  program
    .command('simulate')
    .description('Decide IAM requests exactly as AWS would, and explain each decision.')
    .requiredOption(
      '--request <file>',
      'a request object, a JSON array of them, or JSON lines; - for standard input',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the result to a file instead of standard output')
    .action(async (opts: Record<string, string>) => {
      exitCode = await (await import('./commands/simulate.js')).simulateCommand(opts, io);
    });

  program
    .command('audit')
    .description('Audit a snapshot: over-privileged, exposed, stale or escalatable identities, explained.')
    .argument('[snapshot...]', 'snapshot folders (leastpriv or CloudMapper layout) or export files')
    .option(
      '--format <format>',
      'output format: table, json, csv, sarif, ocsf, asff, markdown, html',
      'table',
    )
    .option('--show-key-ids', 'print access key IDs in full instead of masked (AKIA…WXYZ)')
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option(
      '--fail-on <severity>',
      'exit 1 when a finding is at or above: critical, high, medium, low, info, none',
      'high',
    )
    .option('--checks <ids>', 'only these checks (comma-separated ids or globs)')
    .option('--skip-checks <ids>', 'skip these checks (comma-separated ids or globs)')
    .option('--compliance <framework>', 'only checks mapped to: cis-aws, soc2, iso27001, pci-dss, hipaa')
    .option('--config <file>', 'configuration file (default: .leastpriv.yaml when present)')
    .option('--allow-unknown', 'do not count unknown findings (missing data) towards --fail-on')
    .option('--now <iso>', 'the date ages are computed from (default: now)')
    .option('-q, --quiet', 'no progress on standard error')
    .option('--progress', 'a live line while the checks run (default: when standard error is a terminal)')
    .option('--timings', 'print how long loading, each check and the report took, on standard error')
    .option(
      '--threads <n>',
      'threads: 1 runs all on one; 2 (default on 4+ cores) computes the JSON/HTML register beside the checks',
    )
    .option('--aws', 'collect live through the AWS SDK, then audit')
    .option('--profile <name>', 'with --aws: AWS profile')
    .option('--region <regions>', 'with --aws: regions for regional resources')
    .option('--org', 'with --aws: every account of the organization')
    .option('--role-name <name>', 'with --aws --org: role to assume in each account')
    .option('--external-id <id>', 'with --aws: ExternalId for the assumed role')
    .option('--save <dir>', 'with --aws: keep the collected snapshot in this folder')
    .option(
      '--activity <db>',
      'an activity database (trail ingest): adds action-level unused-permission findings',
    )
    .option('--index', 'also prepare the snapshot for fast who-can questions, as `leastpriv index` does')
    .option('--index-dir <dir>', 'with --index: where to keep it (default: ~/.cache/leastpriv/index)')
    .action(async (paths: string[], opts: Parameters<typeof auditCommand>[1]) => {
      exitCode = await (await import('./commands/audit.js')).auditCommand(paths, opts, io);
    });

  const collectRepeatable = (value: string, previous: string[] = []) => [...previous, value];

  program
    .command('can')
    .description(
      'Can this principal do this? The decision with its full explanation, from every policy in the snapshot.',
    )
    .argument('<principal>', 'an ARN or a unique name (alice, role/deployer)')
    .argument('<action>', 'an IAM action, e.g. s3:GetObject')
    .argument('[resource]', 'a resource ARN (default *)')
    .requiredOption('--snapshot <dir>', 'the snapshot to read')
    .option(
      '--context <k=v>',
      'a request context value (repeatable; k=v1,v2 for a multi-valued key)',
      collectRepeatable,
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-index', 'load the snapshot even when `leastpriv index` has prepared it')
    .option(
      '--index-dir <dir>',
      'where `leastpriv index` keeps its indexes (default: ~/.cache/leastpriv/index)',
    )
    .option('--timings', 'print how long loading (or reading the index) and deciding took, on standard error')
    .action(
      async (
        principal: string,
        action: string,
        resource: string | undefined,
        opts: Parameters<typeof canCommand>[1],
      ) => {
        exitCode = await (await import('./commands/can.js')).canCommand(
          [principal, action, ...(resource ? [resource] : [])],
          opts,
          io,
        );
      },
    );

  program
    .command('who-can')
    .description('Every principal that can perform an action (on a resource), and how.')
    .argument('<action>', 'an IAM action, e.g. iam:PassRole')
    .argument('[resource]', 'a resource ARN (default *)')
    .requiredOption('--snapshot <dir>', 'the snapshot to read')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--no-escalation',
      'direct grants only: skip principals that reach the action by privilege escalation',
    )
    .option(
      '--timings',
      'print how long loading, the direct query, escalation and output took, on standard error',
    )
    .option('--no-index', 'load the snapshot even when `leastpriv index` has prepared it')
    .option(
      '--index-dir <dir>',
      'where `leastpriv index` keeps its indexes (default: ~/.cache/leastpriv/index)',
    )
    .action(
      async (action: string, resource: string | undefined, opts: Parameters<typeof whoCanCommand>[1]) => {
        exitCode = await (await import('./commands/who-can.js')).whoCanCommand(
          [action, ...(resource ? [resource] : [])],
          opts,
          io,
        );
      },
    );

  program
    .command('index')
    .description(
      'Prepare a snapshot for repeated questions: who-can, can, access and paths then read only what each needs.',
    )
    .argument('<snapshot>', 'the snapshot folder or export file')
    .option(
      '--index-dir <dir>',
      'where to keep the index (default: LEASTPRIV_INDEX_DIR, else ~/.cache/leastpriv/index)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-q, --quiet', 'no progress on standard error')
    .action(async (snapshot: string, opts: Parameters<typeof indexCommand>[1]) => {
      exitCode = await (await import('./commands/index-snapshot.js')).indexCommand(snapshot, opts, io);
    });

  program
    .command('access')
    .description(
      "A principal's effective permissions by service and access level; conditional and unused marked.",
    )
    .argument('<principal>', 'an ARN or a unique name')
    .requiredOption('--snapshot <dir>', 'the snapshot to read')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--unused-days <n>', 'services not used for this many days are marked unused', '90')
    .option('--no-index', 'load the snapshot even when `leastpriv index` has prepared it')
    .option(
      '--index-dir <dir>',
      'where `leastpriv index` keeps its indexes (default: ~/.cache/leastpriv/index)',
    )
    .option(
      '--timings',
      'print how long loading (or reading the index) and summarising took, on standard error',
    )
    .action(async (principal: string, opts: Parameters<typeof accessCommand>[1]) => {
      exitCode = await (await import('./commands/access.js')).accessCommand([principal], opts, io);
    });

  program
    .command('paths')
    .description(
      'Privilege-escalation paths from a principal, or with --to admin every principal that can reach admin.',
    )
    .argument('[principal]', 'an ARN or a unique name (omit with --to admin)')
    .requiredOption('--snapshot <dir>', 'the snapshot to read')
    .option('--to <target>', 'admin: list every principal that can reach administrator access')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-index', 'load the snapshot even when `leastpriv index` has prepared it')
    .option(
      '--index-dir <dir>',
      'where `leastpriv index` keeps its indexes (default: ~/.cache/leastpriv/index)',
    )
    .action(async (principal: string | undefined, opts: Parameters<typeof pathsCommand>[1]) => {
      exitCode = await (await import('./commands/paths.js')).pathsCommand(principal, opts, io);
    });

  const trail = program.command('trail').description('CloudTrail activity in an embedded DuckDB database.');
  trail
    .command('ingest')
    .description(
      'Load CloudTrail log files (S3 layout, Records files, lookup-events output, JSON lines), exactly once.',
    )
    .argument('<path...>', 'files or folders')
    .option('--db <file>', 'the activity database', '.leastpriv/activity.duckdb')
    .option('--progress', 'show progress on standard error (default: when it is a terminal)')
    .option('--threads <n>', 'worker threads for reading and parsing')
    .action(async (paths: string[], opts: Parameters<typeof trailIngestCommand>[1]) => {
      exitCode = await (await import('./commands/trail.js')).trailIngestCommand(paths, opts, io);
    });
  trail
    .command('query')
    .description('Run one read-only SQL statement over the `events` view (see docs/activity.md).')
    .argument('<sql>', 'the SQL statement')
    .option('--db <file>', 'the activity database', '.leastpriv/activity.duckdb')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .action(async (sql: string, opts: Parameters<typeof trailQueryCommand>[1]) => {
      exitCode = await (await import('./commands/trail.js')).trailQueryCommand(sql, opts, io);
    });
  trail
    .command('show')
    .description(
      'A saved investigation: iam-changes, admin-grants, root-activity, console-logins-without-mfa, access-denied, principal-timeline, new-access-keys, new-source.',
    )
    .argument('<name>', 'the investigation')
    .option('--since <when>', 'a duration (30d, 12h) or an ISO date')
    .option('--principal <arn>', 'limit to one principal (required for principal-timeline)')
    .option('--db <file>', 'the activity database', '.leastpriv/activity.duckdb')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('--show-key-ids', 'print access key IDs in full instead of masked')
    .action(async (name: string, opts: Parameters<typeof trailShowCommand>[1]) => {
      exitCode = await (await import('./commands/trail.js')).trailShowCommand(name, opts, io);
    });
  trail
    .command('detect')
    .description('Run the detection rules over the activity database; one alert per match with its eventIDs.')
    .option('--db <file>', 'the activity database', '.leastpriv/activity.duckdb')
    .option('--since <when>', 'a duration (30d, 12h) or an ISO date')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('--rules <dir>', 'an extra folder of rule files (repeatable)', collectRepeatable)
    .option('--rule <id>', 'only this rule (repeatable)', collectRepeatable)
    .option('--fail-on <severity>', 'exit 1 when an alert is at or above this severity')
    .action(async (opts: Parameters<typeof trailDetectCommand>[0]) => {
      exitCode = await (await import('./commands/trail-detect.js')).trailDetectCommand(opts, io);
    });
  trail
    .command('usage')
    .description('Granted versus used for a principal: used, granted but unused, used but not granted.')
    .argument('<principal>', 'an ARN or a unique name')
    .requiredOption('--snapshot <dir>', "the snapshot with the principal's policies")
    .option('--db <file>', 'the activity database', '.leastpriv/activity.duckdb')
    .option('--since <when>', 'the window (default 90d)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .action(async (principal: string, opts: Parameters<typeof trailUsageCommand>[1]) => {
      exitCode = await (await import('./commands/trail-detect.js')).trailUsageCommand(principal, opts, io);
    });
  trail
    .command('policy')
    .description('A least-privilege policy from the actions a principal actually used.')
    .argument('<principal>', 'an ARN or a unique name')
    .requiredOption('--snapshot <dir>', "the snapshot with the principal's policies")
    .option('--db <file>', 'the activity database', '.leastpriv/activity.duckdb')
    .option('--since <when>', 'the window (default 90d)')
    .option('-o, --output <file>', 'write the policy to a file')
    .action(async (principal: string, opts: Parameters<typeof trailPolicyCommand>[1]) => {
      exitCode = await (await import('./commands/trail-detect.js')).trailPolicyCommand(principal, opts, io);
    });

  const checks = program.command('checks').description('The audit checks.');
  checks
    .command('list')
    .description('List every check with its severity and compliance mappings.')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--compliance <framework>', 'only checks mapped to this framework')
    .action(async (opts: Parameters<typeof checksListCommand>[0]) => {
      exitCode = await (await import('./commands/checks.js')).checksListCommand(opts, io);
    });

  program
    .command('explain')
    .description('What a check looks for, why it matters, and how to fix it.')
    .argument('<check-id>', 'a check id (see `leastpriv checks list`)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (id: string, opts: Parameters<typeof explainCommand>[1]) => {
      exitCode = await (await import('./commands/checks.js')).explainCommand(id, opts, io);
    });

  const collect = program
    .command('collect')
    .description('Collect a snapshot from a cloud provider (read-only).');
  collect
    .command('aws')
    .description(
      'Collect IAM, Organizations and resource policies through the AWS SDK into a snapshot folder.',
    )
    .requiredOption('--out <dir>', 'the snapshot folder to write (see docs/snapshot-format.md)')
    .option('--profile <name>', 'AWS profile (default: the SDK default credential chain)')
    .option('--region <regions>', 'region or comma-separated regions for regional resources')
    .option('--org', 'list the organization accounts and assume --role-name in each')
    .option('--role-name <name>', 'role to assume in each account (with --org or --accounts)')
    .option('--external-id <id>', 'ExternalId for the assumed role')
    .option('--accounts <ids>', 'comma-separated account IDs to collect')
    .option('--max-parallel <n>', 'concurrent API calls', '8')
    .option('--max-attempts <n>', 'attempts per call, including retries', '6')
    .option('--resume', 'continue an interrupted collection, skipping what is complete')
    .option('--quiet', 'no progress on standard error')
    .action(async (opts: Record<string, string | boolean>) => {
      exitCode = await (await import('./commands/collect.js')).collectAwsCommand(
        opts as Parameters<typeof collectAwsCommand>[0],
        io,
      );
    });

  program
    .command('inventory')
    .description('List every identity: kind, human or not, credentials, policies, groups, trust and owner.')
    .argument('<snapshot...>', 'a snapshot folder (leastpriv or CloudMapper layout) or export files')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('--show-key-ids', 'print access key IDs in full instead of masked (AKIA…WXYZ)')
    .option('-o, --output <file>', 'write the result to a file instead of standard output')
    .action(async (paths: string[], opts: { format?: string; output?: string; showKeyIds?: boolean }) => {
      exitCode = await (await import('./commands/inventory.js')).inventoryCommand(paths, opts, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      io.stderr(`leastpriv: ${err.message}\n(run with --help for usage)\n`);
      return EXIT_USAGE;
    }
    if (err instanceof InputError) {
      io.stderr(`leastpriv: ${formatInputError(err)}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}
