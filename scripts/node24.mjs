// @ts-check
// Node 24, the runtime action.yml declares (`runs.using: node24`), for what runs the bundle: the
// end-to-end tests, the demo and the bench. The npm registry serves Node itself as a package
// (node-<platform>-<arch>, whose bin/node is the official binary); it is unpacked once into
// .tmp/node24/<version>/ and reused. It is deliberately not a dependency in package.json: that would put
// a `node` on node_modules/.bin, which npm scripts would then run instead of the machine's.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node 24 release the bundle is tested on. */
export const NODE24_VERSION = '24.22.3';

/**
 * The path of a Node 24 binary: this process's own when it already is Node 24, else the pinned release
 * from the npm registry, fetched on first use (`npm pack`, which checks the tarball's integrity).
 * @param {string} root the project root
 * @returns {string}
 */
export function ensureNode24(root) {
  if (process.versions.node.split('.')[0] === '24') return process.execPath;
  const dir = join(root, '.tmp', 'node24', NODE24_VERSION);
  const node = join(dir, 'bin', 'node');
  if (existsSync(node)) return node;
  const pkg = `node-${process.platform}-${process.arch}@${NODE24_VERSION}`;
  console.warn(`scripts/node24.mjs: fetching Node ${NODE24_VERSION} (${pkg}) from the npm registry into ${dir}`);
  mkdirSync(join(root, '.tmp', 'node24'), { recursive: true });
  const work = mkdtempSync(join(root, '.tmp', 'node24', 'fetch-'));
  try {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', pkg, '--json', '--pack-destination', work], { cwd: work, encoding: 'utf8' }));
    execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work, 'package/bin/node', 'package/LICENSE']);
    const version = execFileSync(join(work, 'package', 'bin', 'node'), ['-v'], { encoding: 'utf8' }).trim();
    if (version !== `v${NODE24_VERSION}`) throw new Error(`${pkg} runs as ${version}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(join(work, 'package'), dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return node;
}

// `node scripts/node24.mjs` fetches it (when missing) and prints the binary's path.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  console.log(ensureNode24(resolve(import.meta.dirname, '..')));
}
