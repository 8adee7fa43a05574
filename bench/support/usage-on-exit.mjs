// Preloaded (`node --import`) into a CLI run by bench/cli-audit.bench.ts: at exit, writes the
// process's own CPU time and peak RSS to the file named by LEASTPRIV_BENCH_USAGE, so the bench
// measures the real command without wrapping it in another program.
import { writeFileSync } from 'node:fs';

const target = process.env.LEASTPRIV_BENCH_USAGE;
if (target) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      target,
      JSON.stringify({ userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssKb: u.maxRSS }),
    );
  });
}
