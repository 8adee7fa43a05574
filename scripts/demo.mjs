// `npm run demo`: runs leastpriv on the bundled examples so a new user sees what it does.
// It needs nothing outside this repository.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = ['bin/leastpriv.js'];

function step(title, args, okCodes = [0]) {
  process.stdout.write(`\n━━ ${title}\n$ leastpriv ${args.join(' ')}\n\n`);
  const result = spawnSync(process.execPath, [...cli, ...args], { cwd: root, stdio: 'inherit' });
  if (!okCodes.includes(result.status ?? -1)) {
    process.stderr.write(`demo: leastpriv ${args[0]} exited with ${result.status}\n`);
    process.exit(1);
  }
}

const policies = readdirSync(`${root}/examples/policies`)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => `examples/policies/${f}`);

// Exit 1 means "findings at or above --fail-on": expected here, the examples carry planted problems.
step(
  'Lint the example policies (offline IAM Access Analyzer policy validation)',
  ['lint', ...policies, '--fail-on', 'ERROR'],
  [0, 1],
);
step('Decide and explain requests exactly as AWS would', [
  'simulate',
  '--request',
  'examples/requests/demo.jsonl',
]);
step('Inventory of the example organization (examples/acme: 5 accounts, 62 users, 158 roles)', [
  'inventory',
  'examples/acme',
]);
process.stdout.write(
  '\nNext: `leastpriv lint --format sarif` for GitHub code scanning, `leastpriv simulate --format json` for scripts.\n',
);
