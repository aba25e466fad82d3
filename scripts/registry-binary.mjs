// @ts-check
// The registry lab (__tests__/registry-lab) runs Debian's real container registry (CNCF distribution 2.8,
// package docker-registry). This makes sure the binary is there, installing the package when running as
// root, before any test needs it.
//
//   node scripts/registry-binary.mjs   → prints the binary's path
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DOCKER_REGISTRY = '/usr/bin/docker-registry';

/** @param {string[]} args @returns {boolean} whether apt-get succeeded */
function aptGet(args) {
  const run = spawnSync('apt-get', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return run.status === 0;
}

/**
 * Returns the path of the docker-registry binary, installing Debian's `docker-registry` package first
 * when it is missing and we are root (without `apt-get update` when the install works without it).
 * @returns {string}
 */
export function ensureDockerRegistry() {
  if (existsSync(DOCKER_REGISTRY)) return DOCKER_REGISTRY;
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) {
    throw new Error(
      `${DOCKER_REGISTRY} is missing: the registry lab tests run the real container registry. ` +
        'Install it with `sudo apt-get install -y docker-registry` (Debian/Ubuntu), or run the tests as root so that scripts/test.mjs installs it.',
    );
  }
  console.warn(`scripts/registry-binary.mjs: ${DOCKER_REGISTRY} is missing: installing the docker-registry package`);
  const installed = aptGet(['install', '-y', '--no-install-recommends', 'docker-registry']) || (aptGet(['update']) && aptGet(['install', '-y', '--no-install-recommends', 'docker-registry']));
  if (!installed || !existsSync(DOCKER_REGISTRY)) {
    throw new Error(`could not install the docker-registry package (apt-get failed or ${DOCKER_REGISTRY} is still missing)`);
  }
  return DOCKER_REGISTRY;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(ensureDockerRegistry());
}
