// The in-cluster checks through the engine, on prefilled facts (no Azure, no network: the credential
// fails the test if asked): a failed pull and a stuck pod are tied to the finding that explains them in
// the same run, the summary shows the per-pool table, the symptoms and the cost, and no secret value is
// ever held: the facts carry a planted value beside the hosts, and nothing the engine returns has it.
import type { RegistryResolution } from '../../src/azure/registry.js';
import { CLOUDS } from '../../src/clouds.js';
import { runPreflight } from '../../src/engine.js';
import { clusterKey, Facts } from '../../src/facts.js';
import type { ClusterRef, Config, Fact, ImageFacts, InClusterRun, ImageRef, PullSecretFacts, RbacFacts, RegistryRef, RoleAssignment, Workload } from '../../src/model.js';
import { renderSummary } from '../../src/report/summary.js';
import { registryFacts } from './facts.js';
import { clusterFacts, inClusterRun, probe, stuck, SUB } from './in-cluster-fixtures.js';

const NOW = new Date('2026-12-02T00:00:00Z');
const PLANTED = 'c2VjcmV0LXZhbHVlLW5ldmVyLXNob3du';
const UNAUTHORIZED = 'Failed to pull image "myacr.azurecr.io/app:1": failed to resolve reference "myacr.azurecr.io/app:1": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized';

const aks: ClusterRef = { kind: 'name', input: 'aks1', name: 'aks1', resourceGroup: 'rg', subscriptionId: SUB };
const acr: RegistryRef = { kind: 'name', input: 'myacr', name: 'myacr' };
const app: ImageRef = { input: 'myacr.azurecr.io/app:1', host: 'myacr.azurecr.io', repository: 'app', tag: '1' };
const web: Workload = { kind: 'Deployment', name: 'api', namespace: 'shop', source: { file: 'k8s/api.yaml', line: 1 }, placement: { nodeSelector: {}, requiredTerms: [], tolerations: [] }, imagePullSecrets: ['ghcr-pull'] };
const api: ImageRef = { input: 'ghcr.io/org/api:1', host: 'ghcr.io', repository: 'org/api', tag: '1', uses: [{ source: { file: 'k8s/api.yaml', line: 18 }, workload: web, container: 'api', containerKind: 'containers' }] };

function config(): Config {
  const cloud = CLOUDS.AzureCloud;
  return {
    clusters: [aks],
    registries: [acr],
    subscriptionId: SUB,
    images: [app, api],
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
    manifests: ['k8s/'],
    comment: false,
    remediate: false,
    inCluster: true,
    clusterTags: [],
  };
}

const noAzure = { getToken: async () => Promise.reject(new Error('this test must not reach Azure')) };
const registry = registryFacts();
const acrPull = (createdOn: string): RoleAssignment => ({
  id: `${registry.id}/providers/Microsoft.Authorization/roleAssignments/ra1`,
  name: 'ra1',
  scope: registry.id,
  roleDefinitionId: '/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d',
  principalId: 'kubelet-oid',
  principalType: 'ServicePrincipal',
  createdOn,
});
const found = (ref: ImageRef, auth: ImageFacts['auth']): ImageFacts => ({
  ref,
  registryHost: ref.host,
  auth,
  lookup: { kind: 'found', mediaType: 'application/vnd.oci.image.index.v1+json', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }, { os: 'windows', architecture: 'amd64' }], index: true },
});
/** A pull secret as a careless script might report it: the hosts, and a value that must go no further. */
const leaky = { namespace: 'shop', name: 'ghcr-pull', type: 'kubernetes.io/dockerconfigjson', hosts: ['ghcr.io'], data: { '.dockerconfigjson': PLANTED } } as PullSecretFacts;

function stuckOnNp1(): Fact<InClusterRun> {
  return {
    ok: true,
    value: inClusterRun({
      probes: [probe({ outcome: 'failed', message: UNAUTHORIZED, pullMs: undefined }), probe({ pool: 'arm1', arch: 'arm64' }), probe({ pool: 'win1', os: 'windows' })],
      stuckPods: [stuck({ messages: [UNAUTHORIZED, 'Back-off pulling image "myacr.azurecr.io/app:1"'] })],
      pullSecrets: [leaky],
      serviceAccounts: [{ namespace: 'shop', name: 'default', imagePullSecrets: [] }],
    }),
  };
}

/** aks1 and myacr resolve; the kubelet has no role on myacr (or a young AcrPull); np1 fails with 401 and a pod is stuck there. */
function prefilled(assignments: RoleAssignment[], inCluster: Fact<InClusterRun> = stuckOnNp1()): Facts {
  const cfg = config();
  const facts = new Facts(cfg, { credential: noAzure, version: 'test', now: () => NOW });
  const cluster = clusterFacts();
  const resolution: RegistryResolution = { ref: acr, registry: { ok: true, value: registry }, searched: [SUB], failures: [], seen: [] };
  const rbac: RbacFacts = { principalId: 'kubelet-oid', roleAssignments: { ok: true, value: assignments }, denyAssignments: { ok: true, value: [] }, roleDefinitions: {} };
  facts.prefill('cluster', clusterKey(aks), { ok: true, value: cluster });
  facts.prefill('registry', acr.input, resolution);
  facts.prefill('rbac', `kubelet-oid|${registry.id}`, rbac);
  facts.prefill('misassigned', `${cluster.id}|${registry.id}`, { ...rbac, misassigned: {} });
  facts.prefill('clusterNetwork', `${cluster.id}|false`, { subnetIds: [], vnets: { ok: true, value: [] } });
  facts.prefill('registryNetwork', registry.id, { privateEndpoints: [], replications: { ok: true, value: [] }, cacheRules: { ok: true, value: [] } });
  facts.prefill('replications', registry.id, { ok: true, value: [] });
  facts.prefill('runnerPath', registry.id, {
    dns: [{ host: 'myacr.azurecr.io', cnames: [], addresses: ['20.1.2.3'], servers: 'system', elapsedMs: 1 }],
    endpoint: { http: { url: 'https://myacr.azurecr.io/v2/', status: 401, elapsedMs: 1 }, challenge: { realm: 'https://myacr.azurecr.io/oauth2/token', service: 'myacr.azurecr.io' } },
  });
  facts.prefill('image', app.input, found(app, 'acr-exchange'));
  facts.prefill('image', api.input, { ref: api, registryHost: 'ghcr.io', auth: 'none', lookup: { kind: 'needs-credentials', detail: 'anonymous token refused (401)' } });
  facts.prefill('inCluster', cluster.id, inCluster);
  return facts;
}

async function run(assignments: RoleAssignment[], inCluster?: Fact<InClusterRun>) {
  return runPreflight(config(), { credential: noAzure, version: 'test', now: () => NOW }, undefined, prefilled(assignments, inCluster));
}

test('a 401 on pool np1 and a pod stuck there are tied to "the kubelet identity has no pull role on myacr"', async () => {
  const report = await run([]);
  const by = (id: string) => report.checks.filter((c) => c.id === id);
  expect(by('pull-permission').map((f) => f.status)).toEqual(['fail']);
  expect(by('in-cluster-pull').map((f) => [f.pool, f.status])).toEqual([
    ['np1', 'fail'],
    ['arm1', 'pass'],
    ['win1', 'pass'],
  ]);
  const np1 = by('in-cluster-pull')[0]!;
  expect(np1.detail).toContain(`The kubelet said: ${UNAUTHORIZED}.`);
  expect(np1.detail).toContain('Cause: ← Kubelet identity of aks1 cannot pull from myacr (pull-permission fail).');
  expect(np1.fix).toBe(by('pull-permission')[0]!.fix);
  const [symptoms] = by('pod-symptoms');
  expect(symptoms?.status).toBe('fail');
  expect(symptoms?.detail).toContain('401 Unauthorized on pool np1 pulling myacr.azurecr.io/app:1 (default/ReplicaSet/web-5d8f, container web, pod web-5d8f-abcde) ← Kubelet identity of aks1 cannot pull from myacr (pull-permission fail)');
  expect(by('pull-secret').map((f) => [f.image, f.status])).toEqual([
    ['myacr.azurecr.io/app:1', 'skip'],
    ['ghcr.io/org/api:1', 'pass'],
  ]);
  expect(by('pull-secret')[1]?.source).toEqual({ file: 'k8s/api.yaml', line: 18 });
});

test('a failed pull on a grant younger than the propagation window says a retry later may pass', async () => {
  const report = await run([acrPull('2026-12-01T23:50:00Z')]);
  const np1 = report.checks.find((c) => c.id === 'in-cluster-pull' && c.pool === 'np1')!;
  expect(np1.status).toBe('fail');
  expect(np1.detail).toMatch(/The pull role is new \(.*2026-12-01T23:50:00Z.*\): a kubelet may need up to 60 minutes to see a new assignment, so a retry later may pass\./);
  const settled = await run([acrPull('2026-11-01T00:00:00Z')]);
  expect(settled.checks.find((c) => c.id === 'in-cluster-pull' && c.pool === 'np1')!.detail).not.toMatch(/retry/);
});

test('no secret value is held: the report and the summary carry the hosts of a pull secret, never its value', async () => {
  const report = await run([]);
  const json = JSON.stringify(report);
  expect(json).toContain('"hosts":["ghcr.io"]');
  expect(json).not.toContain(PLANTED);
  expect(json).not.toContain('.dockerconfigjson');
  const html = renderSummary(report);
  expect(html).not.toContain(PLANTED);
  // the per-pool table, the symptom with its cause and fix, and the cost line
  expect(html).toContain('<h2>In the cluster</h2>');
  expect(html).toContain('<tr><td>aks1</td><td>np1</td><td>linux/amd64</td><td>myacr.azurecr.io/app:1</td><td>❌ no</td><td></td>');
  expect(html).toContain('<tr><td>aks1</td><td>win1</td><td>windows/amd64</td><td>myacr.azurecr.io/app:1</td><td>✅ yes</td><td>2.3 s</td><td></td></tr>');
  expect(html).toContain('aks1: 401 Unauthorized on pool np1');
  expect(html).toContain('--role AcrPull --scope');
  expect(html).toContain('aks1: 41 s of Run Command, 47.0 s from start to result, 6 ARM calls, 4 pods started');
});

test('without in-cluster the in-cluster checks are not planned, and pull-secret runs only for manifests', async () => {
  const cfg = { ...config(), inCluster: false };
  const { CHECKS } = await import('../../src/checks/index.js');
  const applies = (c: Config) => CHECKS.filter((k) => k.meta.appliesTo?.(c) ?? true).map((k) => k.meta.id);
  expect(applies(cfg)).not.toContain('in-cluster-pull');
  expect(applies(cfg)).not.toContain('pod-symptoms');
  expect(applies(cfg)).toContain('pull-secret');
  expect(applies({ ...cfg, manifests: [] })).not.toContain('pull-secret');
});

test('a cluster with Run Command disabled: each in-cluster check says so once, with the fix, and the secrets stay unseen', async () => {
  const disabled: Fact<InClusterRun> = { ok: false, error: { what: 'running the in-cluster probe on aks1', status: 400, code: 'RunCommandDisabled', message: 'Run command is disabled for this cluster.' } };
  const report = await run([], disabled);
  const of = (id: string) => report.checks.filter((c) => c.id === id).map((c) => [c.status, c.fix]);
  expect(of('in-cluster-pull')).toEqual([['skip', 'az aks update -n aks1 -g rg --enable-run-command']]);
  expect(of('pod-symptoms')).toEqual([['skip', 'az aks update -n aks1 -g rg --enable-run-command']]);
  expect(report.checks.find((c) => c.id === 'pull-secret' && c.image === api.input)).toMatchObject({ status: 'unknown', detail: expect.stringContaining('In aks1 the secrets could not be read: Run Command is disabled on aks1') });
});
