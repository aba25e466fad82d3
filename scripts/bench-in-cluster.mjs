#!/usr/bin/env node
// @ts-check
// The in-cluster run's cost: Run Command calls (the POST and every poll), seconds and pods per cluster,
// with the fake's scripted latency: 100 ms on every ARM request, Run Command's own pod starting in 3 s,
// 50 ms per kubectl call, 1.5 s per pull. The real runtime (src/, bundled here with esbuild) runs
// Facts.inCluster against the fake Run Command, which executes the generated script with the fake kubectl.
// `npm run bench` calls benchInCluster(); `node scripts/bench-in-cluster.mjs` runs it alone.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { IDS, SECRETS, standardWorld } from '../__tests__/fake-azure/fixtures.js';
import { kubeState } from '../__tests__/fake-azure/run-command.js';
import { startFakeAzure } from '../__tests__/fake-azure/server.js';
import { ROOT } from '../__tests__/harness/run-action.js';
import { prepare } from './prepare.mjs';

const LATENCY_MS = 100;
const SCENARIO = { pools: 3, startDelayMs: 3000, kubectlLatencyMs: 50, pullMs: 1500 };

/** The runtime from src/, bundled (its packages loaded from node_modules). */
async function runtime() {
  const outfile = join(ROOT, '.tmp', 'bench-in-cluster', 'runtime.mjs');
  mkdirSync(join(ROOT, '.tmp', 'bench-in-cluster'), { recursive: true });
  await build({
    stdin: { contents: "export { Facts } from './src/facts.ts'; export { parseConfig } from './src/config.ts';", resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}

/**
 * Runs the in-cluster probe once on a cluster of SCENARIO.pools pools and reports what it cost.
 * @param {import('../__tests__/fake-azure/server.js').FakeAzure} fake
 */
export async function benchInCluster(fake) {
  const { Facts, parseConfig } = await runtime();
  const world = standardWorld();
  const cluster = /** @type {any} */ (world.clusters[0]);
  const template = cluster.properties.agentPoolProfiles[0];
  const pools = Array.from({ length: SCENARIO.pools }, (_, i) => `pool${i + 1}`);
  cluster.properties.agentPoolProfiles = pools.map((name) => ({ ...template, name, vmSize: 'Standard_D4s_v5' }));
  /** @type {any} */ (world).runCommand = { startDelayMs: SCENARIO.startDelayMs, retryAfterSeconds: 1 };
  const k = kubeState(world, IDS.clusterId);
  k.pools = pools.map((name) => ({ name }));
  k.registries = { 'myacr.azurecr.io': { images: { 'team/app:1.0': ['linux/amd64', 'linux/arm64'] } } };
  k.pullMs = SCENARIO.pullMs;
  k.latencyMs = SCENARIO.kubectlLatencyMs;
  fake.reset(world);
  const latency = fake.latencyMs;
  fake.latencyMs = LATENCY_MS;
  const inputs = {
    cluster: IDS.cluster, resourceGroup: IDS.clusterResourceGroup, registry: IDS.registry, subscription: IDS.subscription, images: 'myacr.azurecr.io/team/app:1.0',
    failOn: '', cloud: '', armEndpoint: fake.url, graphEndpoint: fake.url, auth: 'environment', clientId: '', tenantId: '', kubeletObjectId: '', reportPath: '',
    summary: 'false', timeout: '180', dnsServers: '127.0.0.1:9', connectTimeout: '1', manifests: '', comment: '', githubToken: '', sarifPath: '', remediate: '',
    inCluster: 'true', namespace: '', probeImage: '', clusterTags: '',
  };
  const env = { AZURE_AUTHORITY_HOST: fake.url, AZURE_CLIENT_ID: IDS.clientId, AZURE_TENANT_ID: IDS.tenant, AZURE_CLIENT_SECRET: SECRETS.clientSecret };
  const { ClientSecretCredential } = await import('@azure/identity');
  const facts = new Facts(parseConfig(inputs, { env }), { credential: new ClientSecretCredential(IDS.tenant, IDS.clientId, SECRETS.clientSecret, { authorityHost: fake.url, disableInstanceDiscovery: true }), version: 'bench' });
  try {
    const c = await facts.requireCluster(facts.config.clusters[0]);
    const started = performance.now();
    const r = await facts.inCluster(c);
    const wallMs = performance.now() - started;
    if (!r.ok) throw new Error(`the in-cluster run failed: ${JSON.stringify(r.error)}`);
    const run = r.value;
    const posts = fake.requests.filter((q) => q.route === 'arm.managedClusters.runCommand').length;
    const polls = fake.requests.filter((q) => q.route === 'arm.managedClusters.getCommandResult').length;
    const figures = {
      scenario: { ...SCENARIO, armLatencyMs: LATENCY_MS },
      clusters: 1,
      runCommandInvocations: posts,
      runCommandCalls: run.calls,
      polls,
      wallSeconds: Math.round(wallMs / 100) / 10,
      commandSeconds: run.commandSeconds,
      podsStarted: run.podsStarted,
      pulled: run.probes.filter((/** @type {{ outcome: string }} */ p) => p.outcome === 'pulled').length,
      pullMs: run.probes.map((/** @type {{ pullMs?: number }} */ p) => p.pullMs),
      kubectlCalls: kubeState(fake.world, IDS.clusterId).log?.length ?? 0,
      probePodsLeft: kubeState(fake.world, IDS.clusterId).pods.length,
    };
    console.log('\nin-cluster (AKS Run Command), per cluster:');
    console.log(`  ${figures.runCommandInvocations} Run Command invocation, ${figures.runCommandCalls} ARM calls (POST + ${polls} polls), ${figures.wallSeconds} s wall, ${figures.commandSeconds ?? 'n/a'} s in the command`);
    console.log(`  ${figures.podsStarted} probe pods started on ${SCENARIO.pools} pools, ${figures.pulled} pulled, ${figures.kubectlCalls} kubectl calls, ${figures.probePodsLeft} pods left`);
    console.log(`  (scripted: Run Command pod start ${SCENARIO.startDelayMs} ms, pull ${SCENARIO.pullMs} ms, kubectl ${SCENARIO.kubectlLatencyMs} ms, ARM ${LATENCY_MS} ms)`);
    return figures;
  } finally {
    facts.close();
    fake.latencyMs = latency;
  }
}

// Alone: certificates and a loopback-only network namespace as `npm run bench` has them.
if (import.meta.filename === process.argv[1]) {
  if (!process.env.PREFLIGHT_BENCH_CHILD) {
    const env = { ...process.env, PREFLIGHT_BENCH_CHILD: '1', ...(await prepare(ROOT)) };
    const child = [process.execPath, import.meta.filename];
    const isolate = process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('unshare', ['--version']).status === 0;
    const r = isolate
      ? spawnSync('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...child], { stdio: 'inherit', env })
      : spawnSync(child[0] ?? process.execPath, child.slice(1), { stdio: 'inherit', env });
    process.exit(r.status ?? 1);
  }
  const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? '{}');
  const fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
  try {
    console.log(`bench-in-cluster: ${JSON.stringify(await benchInCluster(fake))}`);
  } finally {
    await fake.stop();
  }
}
