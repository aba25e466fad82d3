// Rebuilds dist/ when any source it is made of (src/, the lock file, the build script) is newer than
// the bundle, so that tests and the demo always run the action as it is now.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} path @returns {number} */
function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/** @param {string} root */
export function ensureBuilt(root) {
  const bundles = ['dist/index.js', 'dist/cli/index.js'].map((f) => join(root, f));
  const sources = ['src', 'package-lock.json', 'scripts/build.mjs'].map((f) => join(root, f));
  const built = bundles.every(existsSync) ? Math.min(...bundles.map(newest)) : 0;
  if (built >= Math.max(...sources.map(newest))) return;
  console.log('dist/ is older than src/: rebuilding (npm run build)');
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
}
