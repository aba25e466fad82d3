#!/usr/bin/env node
// @ts-check
// `npm run build`: one esbuild bundle with two entries, the action (src/index.ts → dist/index.js, what
// action.yml runs) and the CLI (src/cli-main.ts → dist/cli/index.js, the package's `bin`). The code they
// share and what either loads lazily (`await import(…)`) are chunks in dist/chunks/, so each module is
// in dist/ once. Also writes dist/licenses.txt (the licences of the bundled packages) and
// dist/package.json. The same sources give the same bytes: CI rebuilds and compares.
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');

/**
 * node:http and node:https are loaded with require(), as CommonJS does, even where a package imports
 * them: importing one as an ES module makes Node build a facade that reads every export, and reading
 * node:http's lazy ones (WebSocket, …) loads Node's own fetch (its undici) at start-up.
 * @type {import('esbuild').Plugin}
 */
const httpByRequire = {
  name: 'http-by-require',
  setup(b) {
    b.onResolve({ filter: /^(node:)?https?$/ }, (args) => (args.kind === 'import-statement' ? { path: args.path, namespace: 'http-by-require' } : { path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'http-by-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * @actions/http-client imports undici (400 kB) at load for its ProxyAgent, which only a fetch through a
 * proxy uses, and @actions/github for the fetch its Octokit sends with: the bundle loads undici when one
 * is made or sent, not at every start.
 * @type {import('esbuild').Plugin}
 */
const undiciOnFirstUse = {
  name: 'undici-on-first-use',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) => (args.kind === 'import-statement' ? { path: 'undici', namespace: 'undici-on-first-use', pluginData: args.resolveDir } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'undici-on-first-use' }, (args) => ({
      contents:
        "export class ProxyAgent { constructor(...args) { const undici = require('undici'); return new undici.ProxyAgent(...args); } }\n" +
        "export function fetch(...args) { return require('undici').fetch(...args); }",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

rmSync(dist, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { index: 'src/index.ts', 'cli/index': 'src/cli-main.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // the CLI's floor (package.json engines); the action runs on node24
  target: 'node22',
  // require() for Node's built-in modules (bundled CommonJS packages, httpByRequire): one per file
  banner: { js: "import { createRequire as __preflightCreateRequire } from 'node:module';\nconst require = __preflightCreateRequire(import.meta.url);" },
  minify: true,
  legalComments: 'none',
  // Every request through the Azure SDK's pipeline asks whether its body is a FormData; Node defines
  // FormData lazily, and the first read loads its fetch (undici), on the first request's path. No
  // request of this tool has a FormData body: in the bundle there is none.
  define: { FormData: 'undefined' },
  metafile: true,
  logLevel: 'warning',
  plugins: [httpByRequire, undiciOnFirstUse],
});

writeFileSync(join(dist, 'package.json'), '{\n  "type": "module"\n}\n');
writeFileSync(join(dist, 'licenses.txt'), licenses(Object.keys(result.metafile.inputs)));

/**
 * The licence of every package a bundled file comes from, sorted by name: name, licence id, the
 * LICENSE file's text.
 * @param {string[]} inputs paths relative to the project root
 */
function licenses(inputs) {
  /** @type {Map<string, string>} name@version → the package's folder */
  const packages = new Map();
  for (const input of inputs) {
    const parts = input.split(/[\\/]/);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const folder = parts.slice(0, at + (parts[at + 1]?.startsWith('@') ? 3 : 2)).join(sep);
    const manifest = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
    packages.set(`${manifest.name}@${manifest.version}`, folder);
  }
  return [...packages]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, folder]) => {
      const manifest = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
      const file = readdirSync(join(root, folder)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
      const text = file ? readFileSync(join(root, folder, file), 'utf8').trim() : '(no licence file in the package)';
      return `${id}\n${manifest.license ?? 'UNKNOWN'}\n${text}\n`;
    })
    .join('\n');
}

