#!/usr/bin/env node
// @ts-check
// The built-in simulated Azure for a workflow run (the `action` job of .github/workflows/ci.yml): the
// fake ARM, Entra and Graph of the tests (__tests__/fake-azure) holding the standard world, and the
// registry lab (Debian's docker-registry behind an ACR-like token service, with a DNS server of its own)
// holding the images of the "granted" scenario. It starts them in a background process, waits until
// they listen, hands a later `uses: ./` step what it needs, and returns; the background process stops
// by itself after --seconds (default 600), or on SIGTERM.
//
//   node scripts/simulated-azure.mjs [--seconds N]
//
// Writes to $GITHUB_ENV: NODE_EXTRA_CA_CERTS (the fake's CA; Node reads it at start-up, so the action's
// step must be started with it), AZURE_AUTHORITY_HOST, AZURE_CLIENT_ID, AZURE_TENANT_ID and
// AZURE_CLIENT_SECRET (auth: environment against the fake Entra). Writes to $GITHUB_OUTPUT: one output per
// action input (cluster, resource-group, registry, subscription, images, arm-endpoint, graph-endpoint,
// auth, dns-servers), the expected-* values of the action's outputs, the background process's pid and
// its log file. Without those variables it prints both sets.
//
// The lab listens on port 443 of loopback addresses: run it as root or allow unprivileged ports from 443
// (sysctl net.ipv4.ip_unprivileged_port_start=443), with /usr/bin/docker-registry installed.
// Nothing here talks to anything but 127.0.0.1: the fake answers for Azure, the lab's DNS for the registries.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureCerts, ensureRegistryCerts } from './certs.mjs';
import { ensureDockerRegistry } from './registry-binary.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CERT_DIR = join(ROOT, '.tmp', 'certs');
/** How long start-up may take (certificates are made before). */
const READY_WITHIN_MS = 120_000;

/**
 * @typedef {{ env: Record<string, string>, outputs: Record<string, string> }} Handover
 */

/** A GITHUB_ENV / GITHUB_OUTPUT entry; multi-line values in the name<<delimiter form. @param {string} name @param {string} value */
function fileCommand(name, value) {
  if (!value.includes('\n')) return `${name}=${value}\n`;
  const delimiter = `EOF_${randomUUID()}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** The background process: serves until `seconds` have passed or a signal comes. @param {number} seconds */
async function serve(seconds) {
  const { startFakeAzure } = await import('../__tests__/fake-azure/server.js');
  const { IDS } = await import('../__tests__/fake-azure/fixtures.js');
  const { SCENARIOS, environmentRun, resetLab, startLab } = await import('../__tests__/harness/scenarios.js');
  const certs = await ensureCerts(CERT_DIR);
  const registryCerts = await ensureRegistryCerts(CERT_DIR);
  const granted = SCENARIOS.find((s) => s.name === 'granted');
  if (!granted) throw new Error('scenarios.js has no "granted" scenario');

  const fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
  const lab = await startLab(fake, registryCerts).catch(async (err) => {
    await fake.stop();
    throw err;
  });
  let stopping = false;
  const stop = async (/** @type {string} */ why) => {
    if (stopping) return;
    stopping = true;
    console.log(`simulated Azure: stopping (${why})`);
    await Promise.allSettled([lab.stop(), fake.stop()]);
    process.exit(0);
  };
  setTimeout(() => void stop(`${seconds} s have passed`), seconds * 1000).unref();
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  resetLab(lab);
  granted.setup?.(fake, lab);
  const run = environmentRun(fake.url, lab);
  /** @type {Handover} */
  const handover = {
    env: { NODE_EXTRA_CA_CERTS: certs.caCert, ...run.env },
    outputs: {
      ...run.inputs,
      ...granted.inputs,
      'expected-result': granted.expect.result,
      'expected-kubelet-object-id': IDS.kubeletObjectId,
      'expected-login-servers': `${IDS.registry}.azurecr.io`,
      pid: String(process.pid),
    },
  };
  console.log(`simulated Azure: ARM, Entra and Graph at ${fake.url}, registries at ${lab.address}:443, their DNS at ${lab.dnsServer}; stops within ${seconds} s`);
  process.send?.(handover);
}

/** Starts serve() in a detached process logging to `log`, and resolves with its handover once it listens. @param {number} seconds @param {string} log @returns {Promise<Handover>} */
function startInBackground(seconds, log) {
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', '--seconds', String(seconds)], {
    detached: true,
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  return new Promise((resolvePromise, reject) => {
    const fail = (/** @type {string} */ why) => reject(new Error(`the simulated Azure did not start (${why}); its log (${log}):\n${readFileSync(log, 'utf8')}`));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      fail(`not listening after ${READY_WITHIN_MS / 1000} s`);
    }, READY_WITHIN_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(`exited with ${signal ?? code}`);
    });
    child.once('message', (message) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.disconnect();
      child.unref();
      resolvePromise(/** @type {Handover} */ (message));
    });
  });
}

async function main() {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '600' }, serve: { type: 'boolean', default: false } } });
  const seconds = Number(values.seconds);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) throw new Error(`--seconds must be a whole number from 1 to 3600, not ${values.seconds}`);
  if (values.serve) return serve(seconds);

  // what the background process needs, made here so that a missing piece fails this step with its reason
  await ensureCerts(CERT_DIR);
  await ensureRegistryCerts(CERT_DIR);
  ensureDockerRegistry();
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const log = join(process.env.RUNNER_TEMP ?? join(ROOT, '.tmp'), `simulated-azure-${Date.now()}.log`);
  const handover = await startInBackground(seconds, log);
  const secret = handover.env.AZURE_CLIENT_SECRET;
  // the fake's client secret is a secret in form: the runner hides it from here on
  if (process.env.GITHUB_ACTIONS && secret) console.log(`::add-mask::${secret}`);
  const outputs = { ...handover.outputs, log };
  const env = Object.entries(handover.env).map(([k, v]) => fileCommand(k, v)).join('');
  const out = Object.entries(outputs).map(([k, v]) => fileCommand(k, v)).join('');
  if (process.env.GITHUB_ENV) appendFileSync(process.env.GITHUB_ENV, env);
  else console.log(`environment:\n${env}`);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, out);
  else console.log(`outputs:\n${out}`);
  console.log(`simulated Azure: running in the background (pid ${handover.outputs.pid}, log ${log}), for at most ${seconds} s`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
