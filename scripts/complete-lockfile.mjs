// npm ci refuses a lockfile that lacks an entry for any declared optional dependency. The registry
// this project is built against does not serve every platform build of some packages (Biome's
// Android, macOS, Windows and musl binaries), so `npm install` leaves those entries out and `npm ci`
// then fails on a clean clone. This adds the missing entries, marked optional with the os/cpu/libc
// read from the package name, so npm skips them on other platforms without fetching anything.
// Run after `npm install` changes the lockfile: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
const OS = ['android', 'darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'sunos', 'aix', 'netbsd'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'];
let added = 0;
for (const [key, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const depKey = `node_modules/${name}`;
    if (packages[depKey] || packages[`${key}/${depKey}`]) continue;
    const parts = name.split('/').pop().split('-');
    const os = OS.find((o) => parts.includes(o));
    const cpu = CPU.find((c) => parts.includes(c));
    if (!os || !cpu) {
      console.warn(`complete-lockfile: cannot tell the platform of ${name}; left alone`);
      continue;
    }
    packages[depKey] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
      cpu: [cpu],
      ...(parts.includes('musl') ? { libc: ['musl'] } : {}),
    };
    added++;
  }
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform entr${added === 1 ? 'y' : 'ies'}`);
