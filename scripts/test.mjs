#!/usr/bin/env node
// `npm test`: makes what the tests need (scripts/prepare.mjs: TLS certificates for the fake Azure and the
// registry lab, the lab's registry binary, the bundled action when src/ is newer than dist/, and Node 24,
// on which the end-to-end tests run it), then runs Jest (on this Node) inside a loopback-only network
// namespace, where the only reachable addresses are 127.0.0.1 and a decoy of Azure's instance metadata
// address (169.254.169.254 on the namespace's own loopback) that the tests watch: nothing can leave the
// machine.
// Extra arguments go to Jest. Prints a closing line "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { prepare } from './prepare.mjs';

const root = resolve(import.meta.dirname, '..');
const prepared = await prepare(root);

const results = join(root, '.tmp', 'jest-results.json');
rmSync(results, { force: true });
const jest = [process.execPath, join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--json', `--outputFile=${results}`, ...process.argv.slice(2)];
const env = {
  ...process.env,
  ...prepared,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim(),
};

const canIsolate = process.platform === 'linux' && process.getuid?.() === 0 && !process.env.PREFLIGHT_NETNS && spawnSync('unshare', ['--version']).status === 0;
let status;
if (canIsolate) {
  const setup = 'ip link set lo up && ip addr add 169.254.169.254/32 dev lo && exec "$@"';
  status = spawnSync('unshare', ['--net', '--', 'sh', '-c', setup, 'sh', ...jest], { stdio: 'inherit', env: { ...env, PREFLIGHT_NETNS: '1' } }).status;
} else {
  console.warn('scripts/test.mjs: not root or no unshare: running without a network namespace (the in-process guard still refuses non-loopback connections)');
  status = spawnSync(process.execPath, jest.slice(1), { stdio: 'inherit', env }).status;
}

if (existsSync(results)) {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numTotalTests === 0) status = status || 1;
}
process.exit(status ?? 1);
