// `npm run demo`: the main job, `leastpriv audit`, on the bundled example organization
// (examples/acme: 5 accounts, 62 users, 158 roles, planted problems listed in its README).
// It needs nothing outside this repository.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'out');
const report = join(outDir, 'acme-report.html');
mkdirSync(outDir, { recursive: true });

function leastpriv(args, { show = true } = {}) {
  if (show) process.stdout.write(`\n$ leastpriv ${args.join(' ')}\n\n`);
  const result = spawnSync(process.execPath, ['bin/leastpriv.js', ...args], { cwd: root, stdio: 'inherit' });
  // Exit 1 means "findings at or above --fail-on": expected, the example carries planted problems.
  if (result.status !== 0 && result.status !== 1) {
    process.stderr.write(`demo: leastpriv ${args[0]} exited with ${result.status}\n`);
    process.exit(1);
  }
}

leastpriv(['audit', 'examples/acme']);
leastpriv(['audit', 'examples/acme', '--format', 'html', '--output', report, '--quiet']);

process.stdout.write(`
The HTML report of the example organization: ${report}
(one self-contained file: open it in a browser, no network needed)

Try next:
  node bin/leastpriv.js paths --to admin --snapshot examples/acme
  node bin/leastpriv.js who-can iam:PassRole --snapshot examples/acme
  node bin/leastpriv.js can jane.ops iam:AttachUserPolicy arn:aws:iam::573628190442:user/jane.ops --snapshot examples/acme
  node bin/leastpriv.js lint examples/policies/*.json
  node bin/leastpriv.js simulate --request examples/requests/demo.jsonl
  node bin/leastpriv.js trail ingest examples/acme/cloudtrail && node bin/leastpriv.js trail detect
`);
