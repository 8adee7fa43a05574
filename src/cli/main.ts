import { Command, CommanderError, Option } from 'commander';
import { formatInputError, InputError } from '../model/errors.js';
import { ISSUE_SEVERITIES } from '../model/issue.js';
import { POLICY_TYPES } from '../model/policy.js';
import { collectAwsCommand } from './commands/collect.js';
import { inventoryCommand } from './commands/inventory.js';
import { lintCommand } from './commands/lint.js';
import { simulateCommand } from './commands/simulate.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import type { CliIO } from './io.js';
import { UsageError } from './usage-error.js';
import { VERSION } from './version.js';

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
      exitCode = await lintCommand(files, opts, io);
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
      exitCode = await simulateCommand(opts, io);
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
      exitCode = await collectAwsCommand(opts as Parameters<typeof collectAwsCommand>[0], io);
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
      exitCode = await inventoryCommand(paths, opts, io);
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
