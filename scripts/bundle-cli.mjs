// Bundles the compiled CLI (dist/cli/bin.js and the command modules it imports lazily) into
// dist/bundle/: Node's ESM loader resolves, reads and links the ~200 small modules of an audit one
// by one; a few chunks load faster (an audit of an empty folder: 0.20 -> 0.14 s). Packages stay external
// (node_modules are resolved as usual). Runs after tsc in `npm run build`.
//
// Modules that find files relative to themselves (import.meta.url: the catalogue index, the
// detections folder, package.json, worker scripts) keep finding them where they are in dist/: their
// import.meta.url is rewritten to their own dist/ location, relative to the chunk that holds them.
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');

const keepModuleUrl = {
  name: 'keep-module-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'js' };
      const rel = relative(outdir, args.path).split('\\').join('/');
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`),
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'cli', 'bin.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: false,
  logLevel: 'warning',
  plugins: [keepModuleUrl],
});
console.log(`bundle: ${relative(root, outdir)} (${pathToFileURL(outdir).href})`);
