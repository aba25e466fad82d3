#!/usr/bin/env node
// `npm run demo`: the real bundled action, end to end, against the built-in simulated Azure (the fake
// ARM of the tests, on 127.0.0.1) and the registry lab (real container registries behind an ACR-like
// token service, with a DNS server of its own), in the scenarios that matter. Prints what a user would
// see: the annotations, the outputs and the job summary. As root it runs in a loopback-only network
// namespace, like the tests: nothing leaves the machine.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { prepare } from './prepare.mjs';
import { ROOT } from '../__tests__/harness/run-action.js';

// Make the certificates, the bundle and Node 24 (scripts/prepare.mjs), then run the demo proper in a
// child that trusts the simulated Azure's CA and runs the bundle on Node 24.
if (!process.env.PREFLIGHT_DEMO_CHILD) {
  const env = { ...process.env, PREFLIGHT_DEMO_CHILD: '1', ...(await prepare(ROOT)) };
  const child = [process.execPath, join(ROOT, 'scripts', 'demo-scenarios.mjs')];
  const isolate = process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('unshare', ['--version']).status === 0;
  const r = isolate
    ? spawnSync('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...child], { stdio: 'inherit', env })
    : spawnSync(process.execPath, child.slice(1), { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}
