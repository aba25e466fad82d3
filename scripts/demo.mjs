#!/usr/bin/env node
// `npm run demo`: the real bundled action, end to end, against the built-in simulated Azure (the fake
// ARM of the tests, on 127.0.0.1), in the scenarios that matter. Prints what a user would see: the
// annotations, the outputs and the job summary.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureCerts } from './certs.mjs';
import { ensureBuilt } from './build-if-stale.mjs';
import { ROOT } from '../test/harness/run-action.js';

// Node reads NODE_EXTRA_CA_CERTS at start-up only: make the certificates, then run the demo proper
// in a child that trusts the simulated Azure's CA.
if (!process.env.PREFLIGHT_DEMO_CHILD) {
  const certs = await ensureCerts(join(ROOT, '.tmp', 'certs'));
  ensureBuilt(ROOT);
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo-scenarios.mjs')], {
    stdio: 'inherit',
    env: { ...process.env, PREFLIGHT_DEMO_CHILD: '1', NODE_EXTRA_CA_CERTS: certs.caCert, PREFLIGHT_TEST_CERTS: JSON.stringify(certs) },
  });
  process.exit(r.status ?? 1);
}
