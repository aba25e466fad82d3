// @ts-check
// What `npm test`, `npm run demo` and `npm run bench` need before they start: the TLS certificates of
// the fake Azure and the registry lab, the lab's registry binary, a bundle as new as src/, and Node 24
// to run it on. Returns the variables that hand them to the child that runs the tests, demo or bench.
import { join } from 'node:path';
import { ensureCerts, ensureRegistryCerts } from './certs.mjs';
import { ensureBuilt } from './build-if-stale.mjs';
import { ensureDockerRegistry } from './registry-binary.mjs';
import { ensureNode24 } from './node24.mjs';

/** @param {string} root the project root */
export async function prepare(root) {
  const certs = await ensureCerts(join(root, '.tmp', 'certs'));
  // signed by the same CA, so made before any child reads the CA
  const registryCerts = await ensureRegistryCerts(join(root, '.tmp', 'certs'));
  ensureDockerRegistry();
  ensureBuilt(root);
  return {
    // Node reads NODE_EXTRA_CA_CERTS at start-up only: the child must be started with it.
    NODE_EXTRA_CA_CERTS: certs.caCert,
    PREFLIGHT_TEST_CERTS: JSON.stringify(certs),
    PREFLIGHT_REGISTRY_CERTS: JSON.stringify(registryCerts),
    /** the runtime of the bundle (__tests__/harness/run-action.js) */
    PREFLIGHT_NODE: ensureNode24(root),
  };
}
