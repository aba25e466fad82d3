// The engine over a table of checks: planning, the skip rule, the crash guard, the memo and prefill.
// No Azure: every fact the checks ask for is prefilled, and the credential fails the test if asked.
import { defineCheck, Unresolved, type AnyCheck } from '../../src/checks/check.js';
import { CHECKS } from '../../src/checks/index.js';
import { CLOUDS } from '../../src/clouds.js';
import { runPreflight } from '../../src/engine.js';
import { clusterKey, Facts } from '../../src/facts.js';
import type { ClusterFacts, ClusterRef, Config, ImageRef, RegistryRef } from '../../src/model.js';
import type { RegistryResolution } from '../../src/azure/registry.js';
import { registryFacts } from './facts.js';

const SUB = '11111111-2222-3333-4444-555555555555';
const aks = (name: string): ClusterRef => ({ kind: 'name', input: name, name, resourceGroup: 'rg', subscriptionId: SUB });
const acr: RegistryRef = { kind: 'name', input: 'myacr', name: 'myacr' };
const missing: RegistryRef = { kind: 'name', input: 'nosuchacr', name: 'nosuchacr' };
const image: ImageRef = { input: 'myacr.azurecr.io/app:1', host: 'myacr.azurecr.io', repository: 'app', tag: '1' };

function config(over: Partial<Config> = {}): Config {
  const cloud = CLOUDS.AzureCloud;
  return {
    clusters: [aks('aks1'), aks('aks2')],
    registries: [acr, missing],
    subscriptionId: SUB,
    images: [image],
    failOn: 'error',
    cloud,
    armEndpoint: 'https://127.0.0.1:9',
    graphEndpoint: 'https://127.0.0.1:9',
    authorityHost: 'https://127.0.0.1:9',
    auth: 'environment',
    reportPath: '/dev/null',
    summary: false,
    timeoutMs: 5_000,
    dnsServers: [],
    connectTimeoutMs: 1_000,
    manifests: [],
    comment: false,
    remediate: false,
    inCluster: false,
    clusterTags: [],
    ...over,
  };
}

const noAzure = { getToken: async () => Promise.reject(new Error('this test must not reach Azure')) };

function clusterFacts(name: string): ClusterFacts {
  return {
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`,
    name,
    subscriptionId: SUB,
    resourceGroup: 'rg',
    location: 'westeurope',
    kubelet: { source: 'managedIdentity', objectId: `${name}-kubelet`, objectIdFrom: 'cluster' },
    agentPools: [],
  };
}

/** Facts for the run: aks1 exists, aks2 does not; myacr resolves, nosuchacr does not. */
function prefilled(cfg: Config): Facts {
  const facts = new Facts(cfg, { credential: noAzure, version: 'test' });
  facts.prefill('cluster', clusterKey(aks('aks1')), { ok: true, value: clusterFacts('aks1') });
  facts.prefill('cluster', clusterKey(aks('aks2')), { ok: true, value: undefined });
  const resolution = (ref: RegistryRef, found: boolean): RegistryResolution => ({
    ref,
    registry: { ok: true, value: found ? registryFacts() : undefined },
    searched: [SUB],
    failures: [],
    seen: [],
  });
  facts.prefill('registry', acr.input, resolution(acr, true));
  facts.prefill('registry', missing.input, resolution(missing, false));
  facts.prefill('replications', registryFacts().id, { ok: true, value: [] });
  return facts;
}

/** A check on pairs that reports the pair it saw, through the facts' require* getters. */
const pairProbe = defineCheck({
  meta: { id: 'pull-permission', subject: 'pair', what: 'Pull permission' },
  async gather(facts, pair) {
    const [c, r] = await facts.requirePair(pair);
    return `${c.name}→${r.name}`;
  },
  judge: (seen: string) => ({ id: 'pull-permission', status: 'pass', title: seen, detail: seen }),
});

/** The engine with these checks, on prefilled facts. */
async function run(checks: AnyCheck[], cfg = config()) {
  return (await runPreflight(cfg, { credential: noAzure, version: 'test' }, checks, prefilled(cfg))).checks;
}

describe('the table', () => {
  test('every check id of CONTRACT.md is one module in the table, once', () => {
    expect(CHECKS.map((c) => c.meta.id)).toEqual(['cluster', 'registry', 'pull-permission', 'registry-network', 'registry-dns', 'registry-endpoint', 'image', 'in-cluster-pull', 'pod-symptoms', 'pull-secret']);
  });

  test.each(CHECKS.map((c) => [c.meta.id, c] as const))('%s has a subject kind, a title phrase, gather and a pure judge', (_id, c) => {
    expect(['cluster', 'registry', 'pair', 'image']).toContain(c.meta.subject);
    expect(c.meta.what.length).toBeGreaterThan(0);
    expect(typeof c.gather).toBe('function');
    expect(typeof c.judge).toBe('function');
  });

  test('network checks say whose path they speak for', () => {
    const paths = Object.fromEntries(CHECKS.map((c) => [c.meta.id, c.meta.path]));
    expect(paths).toMatchObject({ 'registry-network': 'cluster', 'registry-dns': 'runner', 'registry-endpoint': 'runner', image: 'runner' });
    expect(paths.cluster).toBeUndefined();
  });
});

describe('gather → judge per (check × subject)', () => {
  test('a pair check runs once per cluster × registry; one that depends on something unresolved is skip, never pass', async () => {
    const findings = await run([pairProbe]);
    expect(findings).toHaveLength(4);
    expect(findings.filter((f) => f.status === 'pass').map((f) => f.title)).toEqual(['aks1→myacr']);
    const skipped = findings.filter((f) => f.status === 'skip');
    expect(skipped).toHaveLength(3);
    // the cluster is named first when both are unresolved
    expect(skipped.find((f) => f.cluster === 'aks2' && f.registry === 'nosuchacr')?.detail).toBe('The cluster aks2 could not be resolved (see the cluster check).');
    expect(skipped.find((f) => f.cluster === 'aks1' && f.registry === 'nosuchacr')).toMatchObject({
      id: 'pull-permission',
      title: 'Pull permission of aks1 to nosuchacr not checked',
      detail: 'The registry nosuchacr could not be resolved (see the registry check).',
    });
  });

  test.each([
    ['gather', defineCheck({ meta: { id: 'registry-dns', subject: 'registry', path: 'runner', what: 'DNS' }, gather: async () => { throw new TypeError('boom in gather'); }, judge: () => [] })],
    ['judge', defineCheck({ meta: { id: 'registry-dns', subject: 'registry', path: 'runner', what: 'DNS' }, gather: async () => 1, judge: (): never => { throw new Error('boom in judge'); } })],
  ])('a crash in %s is unknown for that subject, and the run goes on', async (where, crashing) => {
    const findings = await run([crashing as AnyCheck, pairProbe]);
    const crashed = findings.filter((f) => f.id === 'registry-dns');
    expect(crashed).toHaveLength(2);
    for (const f of crashed) {
      expect(f).toMatchObject({ status: 'unknown', title: 'Check registry-dns crashed', path: 'runner' });
      expect(f.detail).toContain(`boom in ${where}`);
    }
    expect(crashed.map((f) => f.registry).sort()).toEqual(['myacr', 'nosuchacr']);
    expect(findings.filter((f) => f.id === 'pull-permission')).toHaveLength(4);
  });

  test('a judge may return several findings; an Unresolved thrown by a gather of any kind is skip with its reason', async () => {
    const many = defineCheck({
      meta: { id: 'image', subject: 'image', path: 'runner', what: 'Image' },
      gather: async (_f, ref) => ref.input,
      judge: (input: string) => [1, 2].map((n) => ({ id: 'image' as const, image: input, status: 'pass' as const, title: `${n}`, detail: '' })),
    });
    const unresolved = defineCheck({
      meta: { id: 'cluster', subject: 'cluster', what: 'Cluster' },
      gather: async (): Promise<never> => { throw new Unresolved('because'); },
      judge: () => [],
    });
    const findings = await run([many as AnyCheck, unresolved as AnyCheck]);
    expect(findings.filter((f) => f.id === 'image').map((f) => f.title)).toEqual(['1', '2']);
    expect(findings.filter((f) => f.id === 'cluster').map((f) => [f.cluster, f.status, f.title, f.detail])).toEqual([
      ['aks1', 'skip', 'Cluster of aks1 not checked', 'because'],
      ['aks2', 'skip', 'Cluster of aks2 not checked', 'because'],
    ]);
  });

  test('appliesTo leaves a check out of the plan', async () => {
    const cfg = config({ images: [] });
    const applies = CHECKS.filter((c) => c.meta.appliesTo?.(cfg) ?? true).map((c) => c.meta.id);
    expect(applies).not.toContain('image');
    expect(applies).toContain('registry-dns');
  });
});

describe('facts, once each', () => {
  test('a getter answers every asker with the same read, keyed case-insensitively by subject', () => {
    const facts = new Facts(config(), { credential: noAzure, version: 'test' });
    try {
      const upper: ClusterRef = { ...aks('AKS1'), input: 'AKS1' };
      expect(facts.cluster(aks('aks1'))).toBe(facts.cluster(aks('aks1')));
      expect(facts.cluster(upper)).toBe(facts.cluster(aks('aks1')));
      expect(facts.registry(acr)).toBe(facts.registry(acr));
      expect(facts.signIn()).toBe(facts.signIn());
    } finally {
      facts.close();
    }
  });

  test('a prefilled fact is answered from the memo, without signing in or reading Azure', async () => {
    const facts = prefilled(config());
    try {
      expect(await facts.cluster(aks('aks1'))).toEqual({ ok: true, value: clusterFacts('aks1') });
      expect((await facts.resolvedClusters()).map((c) => c.name)).toEqual(['aks1']);
      expect((await facts.resolvedRegistries()).map((r) => r.name)).toEqual(['myacr']);
      expect((await facts.registryOfHost('MYACR.azurecr.io'))?.ref).toBe(acr);
      expect(facts.imagesOn(registryFacts())).toEqual([image]);
      // HTTPS's default port names the same registry
      expect((await facts.registryOfHost('myacr.azurecr.io:443'))?.ref).toBe(acr);
      expect((await facts.registryOfHost('myacr.azurecr.io:5000'))?.ref).toBeUndefined();
    } finally {
      facts.close();
    }
  });

  test('a fact already asked for is not replaced by a later prefill', async () => {
    const facts = prefilled(config());
    try {
      const first = facts.cluster(aks('aks1'));
      facts.prefill('cluster', clusterKey(aks('aks1')), { ok: true, value: undefined });
      expect(facts.cluster(aks('aks1'))).toBe(first);
      expect(await first).toEqual({ ok: true, value: clusterFacts('aks1') });
    } finally {
      facts.close();
    }
  });
});

test('an image named with :443 is an image on the registry', () => {
  const on443: ImageRef = { ...image, input: 'myacr.azurecr.io:443/app:1', host: 'myacr.azurecr.io:443' };
  const facts = new Facts(config({ images: [image, on443] }), { credential: noAzure, version: 'test' });
  try {
    expect(facts.imagesOn(registryFacts())).toEqual([image, on443]);
  } finally {
    facts.close();
  }
});

describe('runPreflight', () => {
  test('the report lists what was resolved, with the egress hosts of each registry', async () => {
    const report = await runPreflight(config(), { credential: noAzure, version: 'test' }, [pairProbe], prefilled(config()));
    expect(report.clusters.map((c) => [c.name, c.kubeletIdentity.objectId])).toEqual([['aks1', 'aks1-kubelet']]);
    expect(report.registries).toEqual([{ id: registryFacts().id, name: 'myacr', loginServer: 'myacr.azurecr.io', egressHosts: expect.arrayContaining(['myacr.azurecr.io']) }]);
    expect(report.result).toBe('pass');
    expect(report.tool).toEqual({ name: 'aks-acr-preflight', version: 'test' });
  });

  test('a sign-in failure is each cluster and registry unknown, once, and every check that depends on them skip', async () => {
    const cfg = config({ images: [] });
    const report = await runPreflight(cfg, { credential: noAzure, version: 'test' });
    const by = (id: string) => report.checks.filter((c) => c.id === id);
    expect(by('cluster').map((c) => c.status)).toEqual(['unknown', 'unknown']);
    expect(by('registry').map((c) => c.status)).toEqual(['unknown', 'unknown']);
    expect(by('cluster')[0]?.detail).toContain("signing in with auth 'environment' failed: this test must not reach Azure");
    for (const id of ['pull-permission', 'registry-network', 'registry-dns', 'registry-endpoint']) {
      expect(by(id).length).toBeGreaterThan(0);
      expect(by(id).every((c) => c.status === 'skip')).toBe(true);
    }
    expect(report.result).toBe('fail');
    expect(report.clusters).toEqual([]);
    expect(report.registries).toEqual([]);
  });

  test('without any way to sign in (a fork), every check that reads Azure is skip with the reason and the fix, and nothing asks the credential', async () => {
    const azureUnavailable = { reason: 'no OIDC ID token on a fork', fix: 'use pull_request_target' };
    const report = await runPreflight(config({ azureUnavailable }), { credential: noAzure, version: 'test' });
    expect(report.checks.length).toBeGreaterThan(0);
    expect(report.checks.filter((c) => c.status !== 'skip')).toEqual([]);
    expect(report.checks.filter((c) => c.detail !== azureUnavailable.reason || c.fix !== azureUnavailable.fix)).toEqual([]);
    expect([...new Set(report.checks.map((c) => c.id))].sort()).toEqual(['cluster', 'image', 'pull-permission', 'registry', 'registry-dns', 'registry-endpoint', 'registry-network']);
    expect(report.checks.find((c) => c.id === 'cluster')).toMatchObject({ cluster: 'aks1', title: 'Cluster of aks1 not checked' });
    expect(report.azureSkipped).toEqual(azureUnavailable);
    expect(report.result).toBe('pass');
    expect(report.clusters).toEqual([]);
  });

  test('without any way to sign in, cluster: * lists nothing and is one skip with the reason and the fix', async () => {
    const azureUnavailable = { reason: 'no OIDC ID token on a fork', fix: 'use pull_request_target' };
    const report = await runPreflight(config({ azureUnavailable, clusters: [], fleet: { subscriptionId: SUB } }), { credential: noAzure, version: 'test' });
    expect(report.checks.find((c) => c.cluster === '*')).toMatchObject({ id: 'cluster', status: 'skip', detail: azureUnavailable.reason, fix: azureUnavailable.fix });
    expect(report.checks.filter((c) => c.status !== 'skip')).toEqual([]);
    expect(report.result).toBe('pass');
  });
});

describe('remedies (remediate)', () => {
  /** Judges aks1→myacr `fail` and aks2 (unresolved) skip; its remedy turns a fail into a warn with one change. */
  const remedied: string[] = [];
  const fixable = defineCheck({
    meta: { id: 'pull-permission', subject: 'cluster', what: 'Pull permission' },
    async gather(facts, ref) {
      return (await facts.requireCluster(ref)).name;
    },
    judge: (name: string) => [
      { id: 'pull-permission', status: 'fail', title: `${name} fails`, detail: 'no role' },
      { id: 'pull-permission', status: 'pass', title: `${name} passes`, detail: 'fine' },
    ],
    async remedy(_facts, name, finding) {
      remedied.push(`${name}: ${finding.title}`);
      if (name === 'boom') throw new Error('no');
      return {
        findings: [{ ...finding, status: 'warn', title: `${name} fixed` }],
        changes: [{ kind: 'roleAssignment', id: `/ra/${name}`, role: 'AcrPull', principalId: `${name}-kubelet`, scope: '/r' }],
      };
    },
  });
  beforeEach(() => (remedied.length = 0));

  test('without remediate, no remedy runs and nothing changes', async () => {
    const report = await runPreflight(config(), { credential: noAzure, version: 'test' }, [fixable], prefilled(config()));
    expect(remedied).toEqual([]);
    expect(report.checks.map((c) => c.status)).toEqual(['fail', 'pass', 'skip']);
    expect(report.changes).toEqual([]);
  });

  test('with remediate, the remedy runs on each fail only, replaces it, and its changes are the report’s', async () => {
    const cfg = config({ remediate: true });
    const report = await runPreflight(cfg, { credential: noAzure, version: 'test' }, [fixable], prefilled(cfg));
    expect(remedied).toEqual(['aks1: aks1 fails']);
    expect(report.checks.map((c) => `${c.status} ${c.title}`)).toEqual(['warn aks1 fixed', 'pass aks1 passes', 'skip Pull permission of aks2 not checked']);
    expect(report.changes).toEqual([{ kind: 'roleAssignment', id: '/ra/aks1', role: 'AcrPull', principalId: 'aks1-kubelet', scope: '/r' }]);
  });

  test('a remedy that throws is the check crashing (unknown), never a pass', async () => {
    const cfg = config({ remediate: true, clusters: [aks('boom')] });
    const facts = prefilled(cfg);
    facts.prefill('cluster', clusterKey(aks('boom')), { ok: true, value: clusterFacts('boom') });
    const report = await runPreflight(cfg, { credential: noAzure, version: 'test' }, [fixable], facts);
    expect(report.checks.map((c) => [c.status, c.title])).toEqual([['unknown', 'Check pull-permission crashed']]);
    expect(report.changes).toEqual([]);
  });
});
