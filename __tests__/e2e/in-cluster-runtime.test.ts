// The in-cluster runtime end to end, in process: Facts.inCluster → the real ARM SDK's runCommand against
// the fake Run Command, which EXECUTES the generated script with `sh` over the unzipped context and a
// fake kubectl backed by a scripted cluster state; the script's real output is parsed. Each scripted
// state is a test; every one asserts that the probe pods are gone afterwards.
import { ClientSecretCredential } from '@azure/identity';
import { runClusterCommand } from '../../src/azure/run-command.js';
import { CHECKS } from '../../src/checks/index.js';
import { parseConfig, type RawInputs } from '../../src/config.js';
import { Facts } from '../../src/facts.js';
import type { Config, InClusterRun } from '../../src/model.js';
import { IDS, SECRETS, standardWorld, type World } from '../fake-azure/fixtures.js';
import { kubeState } from '../fake-azure/run-command.js';
import { startFakeAzure, type FakeAzure } from '../fake-azure/server.js';
import type { KubeState } from '../fake-kubectl/kubectl.js';
import { runAction } from '../harness/run-action.js';
import { environmentRun } from '../harness/scenarios.js';

const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null') as { cert: string; key: string } | null;
if (!certs || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');

const APP = 'myacr.azurecr.io/team/app:1.0';
/** a recognisable pull-secret password: it must appear nowhere the engine sees */
const SECRET_PASSWORD = 'pull-secret-password-QX7w2Zr9';
const dockerConfig = (hosts: string[]) =>
  Buffer.from(JSON.stringify({ auths: Object.fromEntries(hosts.map((h) => [h, { username: 'robot', password: SECRET_PASSWORD, auth: Buffer.from(`robot:${SECRET_PASSWORD}`).toString('base64') }])) })).toString('base64');

let fake: FakeAzure;
beforeAll(async () => {
  fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
});
afterAll(() => fake?.stop());

type Pool = Record<string, unknown> & { name: string };
const LINUX: Pool = { name: 'nodepool1', osType: 'Linux', vmSize: 'Standard_D4s_v5', mode: 'System' };
const ARM: Pool = { name: 'armpool', osType: 'Linux', vmSize: 'Standard_D4ps_v5', mode: 'User', nodeTaints: ['kubernetes.io/arch=arm64:NoSchedule'] };
const WINDOWS: Pool = { name: 'win1', osType: 'Windows', osSKU: 'Windows2022', vmSize: 'Standard_D4s_v5', mode: 'User' };

/** A world whose cluster has these pools, and whose Kubernetes state `change` shapes (pools mirror the ARM ones). */
function world(pools: Pool[], change: (k: KubeState, w: World) => void = () => {}): KubeState {
  const w = standardWorld();
  const cluster = w.clusters[0]!;
  cluster.properties.agentPoolProfiles = pools.map((p) => ({ ...cluster.properties.agentPoolProfiles[0], ...p }));
  const k = kubeState(w, IDS.clusterId);
  k.pools = pools.map((p) => ({
    name: p.name,
    os: p.osType === 'Windows' ? 'windows' : 'linux',
    arch: String(p.vmSize).includes('ps_') ? 'arm64' : 'amd64',
    taints: (p.nodeTaints as string[] | undefined) ?? [],
  }));
  k.registries = { 'myacr.azurecr.io': { images: { 'team/app:1.0': ['linux/amd64', 'linux/arm64'], 'team/legacy:2.3': ['linux/amd64'], 'team/win:1.0': ['windows/amd64'] } } };
  k.pullMs = 150;
  change(k, w);
  fake.reset(w);
  return k;
}

function config(inputs: Partial<RawInputs> = {}): Config {
  const raw: RawInputs = {
    cluster: IDS.cluster, resourceGroup: IDS.clusterResourceGroup, registry: IDS.registry, subscription: IDS.subscription,
    images: APP, failOn: '', cloud: '', armEndpoint: fake.url, graphEndpoint: fake.url, auth: 'environment', clientId: '', tenantId: '',
    kubeletObjectId: '', reportPath: '', summary: 'false', timeout: '120', dnsServers: '127.0.0.1:9', connectTimeout: '1', manifests: '',
    comment: '', githubToken: '', sarifPath: '', remediate: '', inCluster: 'true', namespace: '', probeImage: '', clusterTags: '',
    ...inputs,
  };
  return parseConfig(raw, { env: { AZURE_CLIENT_ID: IDS.clientId, AZURE_TENANT_ID: IDS.tenant, AZURE_CLIENT_SECRET: SECRETS.clientSecret } });
}

const credential = () => new ClientSecretCredential(IDS.tenant, IDS.clientId, SECRETS.clientSecret, { authorityHost: fake.url, disableInstanceDiscovery: true });

/** Facts.inCluster for the run's one cluster, and what the engine was handed to mask. */
async function inCluster(inputs: Partial<RawInputs> = {}) {
  const masked: string[] = [];
  const facts = new Facts(config(inputs), { credential: credential(), version: 'test', secret: (s) => masked.push(s) });
  try {
    const cluster = await facts.requireCluster(facts.config.clusters[0]!);
    return { result: await facts.inCluster(cluster), masked, plan: await facts.probePlan(cluster) };
  } finally {
    facts.close();
  }
}

async function ran(inputs: Partial<RawInputs> = {}): Promise<InClusterRun> {
  const { result } = await inCluster(inputs);
  if (!result.ok) throw new Error(`in-cluster run failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

const runCommandPosts = () => fake.requests.filter((r) => r.route === 'arm.managedClusters.runCommand');
/** no probe pod is left in the scripted cluster */
const noProbePods = () => expect(kubeState(fake.world, IDS.clusterId).pods.filter((p) => p.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'aks-acr-preflight')).toEqual([]);
const createdPods = () => kubeState(fake.world, IDS.clusterId).createdPods ?? [];

describe('in-cluster runtime: scripted cluster states', () => {
  test('every pool pulls: one Run Command invocation, one pod per pool, the kubelet says Pulled, every pod deleted', async () => {
    world([LINUX, ARM]);
    const run = await ran();
    expect(run.probes.map((p) => [p.pool, p.host, p.image, p.outcome, p.deleted])).toEqual([
      ['nodepool1', 'myacr.azurecr.io', APP, 'pulled', true],
      ['armpool', 'myacr.azurecr.io', APP, 'pulled', true],
    ]);
    expect(run.probes[0]).toMatchObject({ pullMs: 150, os: 'linux', arch: 'amd64', message: expect.stringMatching(/^Successfully pulled image "myacr\.azurecr\.io\/team\/app:1\.0" in 150ms/) });
    expect(run.probes[1]).toMatchObject({ arch: 'arm64' });
    expect(run).toMatchObject({ podsStarted: 2, truncated: false, exitCode: 0, leftoversDeleted: 0 });
    expect(run.failures).toBeUndefined();
    expect(runCommandPosts()).toHaveLength(1);
    expect(run.calls).toBeGreaterThanOrEqual(2);
    expect(run.calls).toBe(fake.requests.filter((r) => /runCommand|getCommandResult/.test(r.route)).length);
    noProbePods();
    // the pods as created: pinned, tolerating the pool's taints, unprivileged, no token, pull Always
    const arm = createdPods().find((p) => p.spec.nodeSelector['kubernetes.azure.com/agentpool'] === 'armpool');
    expect(arm.spec).toMatchObject({
      automountServiceAccountToken: false,
      restartPolicy: 'Never',
      activeDeadlineSeconds: expect.any(Number),
      tolerations: [{ key: 'kubernetes.io/arch', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }],
      securityContext: { runAsNonRoot: true },
    });
    expect(arm.spec.hostNetwork).toBeUndefined();
    expect(arm.spec.containers[0]).toMatchObject({ imagePullPolicy: 'Always', resources: { requests: { cpu: '10m', memory: '16Mi' } }, securityContext: { allowPrivilegeEscalation: false } });
    expect(arm.metadata.name).toMatch(/^aks-acr-preflight-[0-9a-f]{8}-\d+$/);
    expect(arm.metadata.labels['aks-acr-preflight/run']).toMatch(/^[0-9a-f]{8}$/);
  });

  test('401 on every pool: failed, with the kubelet message verbatim', async () => {
    world([LINUX, ARM], (s) => (s.registries['myacr.azurecr.io']!.access = 'unauthorized'));
    const run = await ran();
    expect(run.probes.map((p) => p.outcome)).toEqual(['failed', 'failed']);
    const failed = kubeState(fake.world, IDS.clusterId).events.find((e) => e.reason === 'Failed' && /401/.test(e.message));
    expect(run.probes[0]!.message).toBe(failed.message);
    expect(run.probes[0]!.message).toContain('failed to fetch oauth token: unexpected status from GET request to https://myacr.azurecr.io/oauth2/token');
    expect(run.probes[0]!.message).toContain('401 Unauthorized');
    noProbePods();
  });

  test('a tag that does not exist: failed, "not found"', async () => {
    world([LINUX]);
    const run = await ran({ images: 'myacr.azurecr.io/team/app:9.9' });
    expect(run.probes).toEqual([expect.objectContaining({ outcome: 'failed', image: 'myacr.azurecr.io/team/app:9.9', message: expect.stringMatching(/myacr\.azurecr\.io\/team\/app:9\.9: not found$/) })]);
    noProbePods();
  });

  test('an arm64 pool and an amd64-only image: the arm64 pool fails on the platform, the amd64 pool pulls', async () => {
    world([LINUX, ARM]);
    const run = await ran({ images: 'myacr.azurecr.io/team/legacy:2.3' });
    expect(run.probes.map((p) => [p.pool, p.outcome])).toEqual([['nodepool1', 'pulled'], ['armpool', 'failed']]);
    expect(run.probes[1]!.message).toContain('no match for platform in manifest: not found');
    noProbePods();
  });

  test('DNS failure on one pool: that pool fails with "no such host", the other pulls', async () => {
    world([LINUX, ARM], (s) => (s.pools[1]!.dnsFailure = 'myacr.azurecr.io'));
    const run = await ran();
    expect(run.probes.map((p) => [p.pool, p.outcome])).toEqual([['nodepool1', 'pulled'], ['armpool', 'failed']]);
    expect(run.probes[1]!.message).toMatch(/dial tcp: lookup myacr\.azurecr\.io on 168\.63\.129\.16:53: no such host$/);
    noProbePods();
  });

  test('a pod that never schedules: unschedulable with the scheduler reason, never a failed pull', async () => {
    world([LINUX, ARM], (s) => (s.pools[1]!.neverSchedules = 'Insufficient cpu'));
    const run = await ran();
    expect(run.probes.map((p) => [p.pool, p.outcome])).toEqual([['nodepool1', 'pulled'], ['armpool', 'unschedulable']]);
    expect(run.probes[1]!.message).toMatch(/^0\/6 nodes are available: 3 Insufficient cpu/);
    expect(run.probes[1]!.deleted).toBe(true);
    noProbePods();
  });

  test('a Windows pool: the pod asks for Windows, without the Linux-only security settings, and pulls a Windows image', async () => {
    world([LINUX, WINDOWS]);
    const run = await ran({ images: 'myacr.azurecr.io/team/app:1.0\nmyacr.azurecr.io/team/win:1.0' });
    // the runner sees no platforms here (no registry): the first image of the registry is probed on both pools
    expect(run.probes.map((p) => [p.pool, p.os, p.outcome])).toEqual([['nodepool1', 'linux', 'pulled'], ['win1', 'windows', 'failed']]);
    expect(run.probes[1]!.message).toContain('no match for platform in manifest');
    const win = createdPods().find((p) => p.spec.nodeSelector['kubernetes.azure.com/agentpool'] === 'win1');
    expect(win.spec).toMatchObject({ os: { name: 'windows' }, nodeSelector: { 'kubernetes.io/os': 'windows' } });
    expect(win.spec.securityContext).toBeUndefined();
    noProbePods();
    // with probe-image on the registry and no image given, the probe image is used
    world([WINDOWS]);
    const probed = await ran({ images: '', probeImage: 'myacr.azurecr.io/team/win:1.0' });
    expect(probed.probes).toEqual([expect.objectContaining({ pool: 'win1', image: 'myacr.azurecr.io/team/win:1.0', outcome: 'pulled' })]);
  });

  test('a pull that outlasts the wait: timeout, and the pod is deleted all the same', async () => {
    world([LINUX], (s) => (s.pullMs = 600_000));
    const run = await ran({ timeout: '60' });
    expect(run.probes).toEqual([expect.objectContaining({ outcome: 'timeout', deleted: true, message: expect.stringMatching(/^Pulling: Pulling image/) })]);
    noProbePods();
  });

  test('too little time left for Run Command: Timeout, without a call', async () => {
    world([LINUX]);
    const { result } = await inCluster({ timeout: '30' });
    expect(!result.ok && result.error).toMatchObject({ code: 'Timeout', message: expect.stringContaining('raise the `timeout` input') });
    expect(runCommandPosts()).toHaveLength(0);
  });

  test('no image known for a registry: that pool × registry is planned without an image and not probed', async () => {
    world([LINUX]);
    const { result, plan } = await inCluster({ images: '' });
    expect(plan).toEqual([{ pool: 'nodepool1', host: 'myacr.azurecr.io', registry: 'myacr', os: 'linux', arch: 'amd64' }]);
    expect(result.ok && result.value.probes).toEqual([]);
    expect(result.ok && result.value.podsStarted).toBe(0);
  });

  test('an Entra-integrated cluster: the clusterToken is a token for the AKS server app, masked before use', async () => {
    world([LINUX], (_, w) => (w.clusters[0]!.properties.aadProfile = { managed: true, enableAzureRBAC: true }));
    const { result, masked } = await inCluster();
    expect(result.ok).toBe(true);
    const aksTokens = masked.filter((t) => fake.identify(t)?.audience === '6dae42f8-4368-4678-94ff-3960e28e3630');
    expect(aksTokens).toHaveLength(1);
    expect(JSON.stringify(result)).not.toContain(aksTokens[0]);
    noProbePods();
  });

  test('an Entra-integrated cluster without clusterToken: the fake refuses, MissingAADClusterToken', async () => {
    world([LINUX], (_, w) => (w.clusters[0]!.properties.aadProfile = { managed: true }));
    const facts = new Facts(config(), { credential: credential(), version: 'test' });
    const cluster = await facts.requireCluster(facts.config.clusters[0]!);
    // as if ARM had not said the cluster is Entra-integrated: no clusterToken is sent
    const deps = { clients: (facts as unknown as { clients: never }).clients, clusterToken: async () => 'unused', secret: () => {} };
    const r = await runClusterCommand(deps, { ...cluster, entraIntegrated: false }, { command: 'true', context: '' });
    facts.close();
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ code: 'MissingAADClusterToken', status: 400, message: expect.stringContaining('6dae42f8-4368-4678-94ff-3960e28e3630/.default') });
  });

  test('disableRunCommand: RunCommandDisabled without a call, saying how to enable it; the fake refuses it too', async () => {
    world([LINUX], (_, w) => (w.clusters[0]!.properties.apiServerAccessProfile = { disableRunCommand: true }));
    const { result } = await inCluster();
    expect(!result.ok && result.error).toMatchObject({ code: 'RunCommandDisabled', message: expect.stringContaining('az aks update -g rg-aks -n aks1') });
    expect(!result.ok && result.error.message).toContain('--enable-run-command');
    expect(runCommandPosts()).toHaveLength(0);
    const facts = new Facts(config(), { credential: credential(), version: 'test' });
    const cluster = await facts.requireCluster(facts.config.clusters[0]!);
    const deps = { clients: (facts as unknown as { clients: never }).clients, clusterToken: async () => '', secret: () => {} };
    const r = await runClusterCommand(deps, { ...cluster, runCommandDisabled: false }, { command: 'true', context: '' });
    facts.close();
    expect(!r.ok && r.error).toMatchObject({ code: 'RunCommandDisabled', status: 400 });
  });

  test('a stopped cluster: ClusterStopped, saying how to start it', async () => {
    world([LINUX], (_, w) => (w.clusters[0]!.properties.powerState = { code: 'Stopped' }));
    const { result } = await inCluster();
    expect(!result.ok && result.error).toMatchObject({ code: 'ClusterStopped', message: expect.stringContaining('az aks start -g rg-aks -n aks1') });
    expect(runCommandPosts()).toHaveLength(0);
  });

  test('the signed-in identity lacks runcommand/action: AuthorizationFailed naming both permissions', async () => {
    world([LINUX], (_, w) => ((w as World & { runCommand?: unknown }).runCommand = { deniedActions: ['Microsoft.ContainerService/managedClusters/runcommand/action'] }));
    const { result } = await inCluster();
    expect(!result.ok && result.error).toMatchObject({ code: 'AuthorizationFailed', status: 403 });
    expect(!result.ok && result.error.missingPermission).toMatch(/managedClusters\/runcommand\/action and Microsoft\.ContainerService\/managedClusters\/commandResults\/read/);
  });

  test("Run Command's own pod does not start: KubernetesPerformanceError, saying its image comes from MCR", async () => {
    world([LINUX], (_, w) => ((w as World & { runCommand?: unknown }).runCommand = { runtimePodFailure: 'ImagePullBackoff' }));
    const { result } = await inCluster();
    expect(!result.ok && result.error).toMatchObject({ code: 'KubernetesPerformanceError', message: expect.stringContaining('mcr.microsoft.com') });
  });

  test('Kubernetes Forbidden on the probe pods: KubernetesForbidden naming the missing permission', async () => {
    world([LINUX, ARM], (s) => (s.forbidden = [{ verb: 'create', resource: 'pods', namespace: 'default' }]));
    const { result } = await inCluster();
    expect(!result.ok && result.error).toMatchObject({
      code: 'KubernetesForbidden',
      message: expect.stringContaining('Error from server (Forbidden)'),
      missingPermission: expect.stringMatching(/^Kubernetes RBAC: create pods in namespace default/),
    });
    noProbePods();
  });

  test('Kubernetes Forbidden on secrets only: the probes stand, pull secrets are a failure of their own', async () => {
    world([LINUX], (s) => (s.forbidden = [{ verb: 'list', resource: 'secrets' }]));
    const run = await ran();
    expect(run.probes.map((p) => p.outcome)).toEqual(['pulled']);
    expect(run.failures).toEqual({ pullSecrets: expect.objectContaining({ code: 'KubernetesForbidden', missingPermission: expect.stringContaining('list secrets at the cluster scope') }) });
    noProbePods();
  });

  test('a policy that refuses the probe pods: PolicyDenied', async () => {
    world([LINUX], (s) => (s.policyDenial = '[azurepolicy-k8sazurev2containerallowedimages-4c5f] Container image myacr.azurecr.io/team/app:1.0 for container probe has not been allowed.'));
    const { result } = await inCluster();
    expect(!result.ok && result.error).toMatchObject({ code: 'PolicyDenied', message: expect.stringContaining('validation.gatekeeper.sh') });
    noProbePods();
  });

  test('stuck pods with their events, pull secrets as hosts only, service accounts, and a leftover of an earlier run', async () => {
    world([LINUX], (s) => {
      const failure = 'Failed to pull image "myacr.azurecr.io/team/web:2.0": failed to resolve reference: failed to fetch anonymous token: unexpected status: 401 Unauthorized';
      s.pods.push(
        {
          metadata: { name: 'web-5d8f7-abcde', namespace: 'shop', ownerReferences: [{ kind: 'ReplicaSet', name: 'web-5d8f7' }] },
          spec: { nodeName: 'aks-nodepool1-12345678-vmss000001', containers: [{ name: 'web', image: 'myacr.azurecr.io/team/web:2.0' }] },
          status: { phase: 'Pending', containerStatuses: [{ name: 'web', image: 'myacr.azurecr.io/team/web:2.0', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "myacr.azurecr.io/team/web:2.0"' } } }] },
        },
        { metadata: { name: 'aks-acr-preflight-0badc0de-0', namespace: 'default', labels: { 'app.kubernetes.io/managed-by': 'aks-acr-preflight', 'aks-acr-preflight/run': '0badc0de' } }, spec: { containers: [] }, status: { phase: 'Pending' } },
      );
      s.events.push({ involvedObject: { kind: 'Pod', name: 'web-5d8f7-abcde', namespace: 'shop' }, reason: 'Failed', type: 'Warning', message: failure, count: 4, lastTimestamp: '2026-01-01T00:00:00Z' });
      s.secrets.push(
        { metadata: { name: 'regcred', namespace: 'shop' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': dockerConfig(['ghcr.io', 'myacr.azurecr.io']) } },
        { metadata: { name: 'tls', namespace: 'shop' }, type: 'kubernetes.io/tls', data: { 'tls.key': Buffer.from(SECRET_PASSWORD).toString('base64') } },
      );
      s.serviceaccounts.push({ metadata: { name: 'web', namespace: 'shop' }, imagePullSecrets: [{ name: 'regcred' }, { name: 'other' }] }, { metadata: { name: 'default', namespace: 'shop' } });
    });
    const run = await ran();
    expect(run.stuckPods).toEqual([
      {
        namespace: 'shop', name: 'web-5d8f7-abcde', owner: 'ReplicaSet/web-5d8f7', container: 'web', image: 'myacr.azurecr.io/team/web:2.0', reason: 'ImagePullBackOff',
        node: 'aks-nodepool1-12345678-vmss000001', pool: 'nodepool1',
        messages: ['Failed to pull image "myacr.azurecr.io/team/web:2.0": failed to resolve reference: failed to fetch anonymous token: unexpected status: 401 Unauthorized'],
      },
    ]);
    expect(run.pullSecrets).toEqual([{ namespace: 'shop', name: 'regcred', type: 'kubernetes.io/dockerconfigjson', hosts: ['ghcr.io', 'myacr.azurecr.io'] }]);
    expect(run.serviceAccounts).toEqual([{ namespace: 'shop', name: 'web', imagePullSecrets: ['regcred', 'other'] }]);
    expect(run.leftoversDeleted).toBe(1);
    noProbePods();
    // no secret value reaches the engine: not the password, not its base64, not the secret's data
    const everything = JSON.stringify(run);
    for (const s of [SECRET_PASSWORD, Buffer.from(`robot:${SECRET_PASSWORD}`).toString('base64'), dockerConfig(['ghcr.io', 'myacr.azurecr.io']).slice(0, 40), 'robot']) expect(everything).not.toContain(s);
  });

  test('output over 512 kB: truncated, reported, the probes kept, nothing crashes', async () => {
    world([LINUX], (s) => {
      for (let i = 0; i < 2500; i++) {
        const name = `batch-${i}`;
        s.pods.push({
          metadata: { name, namespace: 'jobs', ownerReferences: [{ kind: 'Job', name }] },
          spec: { nodeName: 'aks-nodepool1-12345678-vmss000002', containers: [{ name: 'c', image: `myacr.azurecr.io/jobs/${'x'.repeat(60)}:${i}` }] },
          status: { phase: 'Pending', containerStatuses: [{ name: 'c', image: `myacr.azurecr.io/jobs/${'x'.repeat(60)}:${i}`, state: { waiting: { reason: 'ErrImagePull', message: `rpc error: ${'y'.repeat(200)}` } } }] },
        });
      }
    });
    const run = await ran();
    expect(run.truncated).toBe(true);
    expect(run.probes.map((p) => [p.outcome, p.deleted])).toEqual([['pulled', true]]);
    expect(run.stuckPods.length).toBeGreaterThan(100);
    expect(run.stuckPods.length).toBeLessThan(2500);
    expect(run.failures?.pullSecrets?.message).toMatch(/512 kB/);
    expect(run.failures?.serviceAccounts).toBeDefined();
    noProbePods();
  });
});

// Through the bundle, as the GitHub runner runs it: needs the in-cluster checks in the table (they come from another branch).
const checksMerged = CHECKS.some((c) => c.meta.id === 'in-cluster-pull');
(checksMerged ? test : test.skip)('through dist/: in-cluster: true runs one Run Command, deletes its pods, and prints no secret value', async () => {
  world([LINUX, ARM], (s) => {
    s.secrets.push({ metadata: { name: 'regcred', namespace: 'default' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': dockerConfig(['ghcr.io']) } });
  });
  const base = environmentRun(fake.url);
  const r = await runAction({ inputs: { ...base.inputs, images: APP, 'in-cluster': 'true', 'dns-servers': '127.0.0.1:9', 'connect-timeout': '1' }, env: base.env });
  expect(runCommandPosts()).toHaveLength(1);
  const pulls = r.report.checks.filter((c: { id: string }) => c.id === 'in-cluster-pull');
  expect(pulls.map((c: { pool: string; status: string }) => [c.pool, c.status])).toEqual([['nodepool1', 'pass'], ['armpool', 'pass']]);
  noProbePods();
  expect(`${r.stdout}${r.stderr}${JSON.stringify(r.report)}${r.summary}`).not.toContain(SECRET_PASSWORD);
});
