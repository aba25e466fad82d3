// Placement end to end through the fake ARM: the engine reads the cluster with the real SDK client, in
// ARM's shape (agent pools with nodeTaints, nodeLabels, scaleSetPriority, osType, osSKU), and the image
// check judges only the pools each workload of the manifests can land on. The image lookups are
// prefilled (no registry here): what is under test is the cluster read feeding placement.
import { ClientSecretCredential } from '@azure/identity';
import { check as imageCheck } from '../../src/checks/image.js';
import { CLOUDS } from '../../src/clouds.js';
import { runPreflight } from '../../src/engine.js';
import { Facts } from '../../src/facts.js';
import type { ClusterRef, Config, Finding, ImageFacts, ImageRef, ImageUse, PodPlacement, Platform, RegistryRef, Workload } from '../../src/model.js';
import { startFakeAzure, type FakeAzure } from '../fake-azure/server.js';
import { validateReport } from '../harness/report-schema.js';
import { IDS, SECRETS, agentPoolProfile, managedCluster, standardWorld } from '../fake-azure/fixtures.js';

const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null') as { cert: string; key: string } | null;
if (!certs || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');

const aks: ClusterRef = { kind: 'name', input: IDS.cluster, name: IDS.cluster, resourceGroup: IDS.clusterResourceGroup, subscriptionId: IDS.subscription };
const acr: RegistryRef = { kind: 'name', input: IDS.registry, name: IDS.registry };
const amd64: Platform = { os: 'linux', architecture: 'amd64' };

function workload(name: string, line: number, placement: Partial<PodPlacement>): Workload {
  return {
    kind: 'Deployment',
    name,
    source: { file: 'k8s/apps.yaml', line, workload: `Deployment/${name}` },
    placement: { nodeSelector: {}, requiredTerms: [], tolerations: [], ...placement },
    imagePullSecrets: [],
  };
}
const use = (w: Workload, line: number): ImageUse => ({ source: { file: w.source.file, line, workload: `Deployment/${w.name}`, container: w.name }, workload: w, container: w.name, containerKind: 'containers' });
const image = (repository: string, ...uses: ImageUse[]): ImageRef => ({ input: `myacr.azurecr.io/${repository}:1`, host: 'myacr.azurecr.io', repository, tag: '1', uses });

// Linux on amd64 only, by its node affinity: the arm64, Spot and Windows pools are not its matter.
const web = workload('web', 1, { requiredTerms: [[{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }]] });
// Selects the arm64 pool by the label ARM's nodeLabels give it.
const batch = workload('batch', 30, { nodeSelector: { workload: 'batch' } });
// Tolerates Spot: lands on the system, arm64 and Spot pools; the Windows pool's taint keeps it off.
const jobs = workload('jobs', 60, { tolerations: [{ key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' }] });
// Asks for a label no pool has.
const gpu = workload('trainer', 90, { nodeSelector: { agentpool: 'gpu' } });
const IMAGES = [image('web', use(web, 20)), image('batch', use(batch, 50)), image('jobs', use(jobs, 80)), image('trainer', use(gpu, 110))];

function config(): Config {
  return {
    clusters: [aks],
    registries: [acr],
    subscriptionId: IDS.subscription,
    images: IMAGES,
    failOn: 'error',
    cloud: CLOUDS.AzureCloud,
    armEndpoint: fake.url,
    graphEndpoint: fake.url,
    authorityHost: fake.url,
    auth: 'environment',
    reportPath: '/dev/null',
    summary: false,
    timeoutMs: 30_000,
    dnsServers: [],
    connectTimeoutMs: 1_000,
    manifests: ['k8s/apps.yaml'],
    comment: false,
    remediate: false,
    inCluster: false,
    clusterTags: [],
  };
}

let fake: FakeAzure;
beforeAll(async () => {
  fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
});
afterAll(() => fake?.stop());
beforeEach(() => {
  const world = standardWorld();
  world.clusters = [
    managedCluster({
      subscriptionId: IDS.subscription,
      resourceGroup: IDS.clusterResourceGroup,
      name: IDS.cluster,
      kubelet: { objectId: IDS.kubeletObjectId, clientId: IDS.kubeletClientId, resourceId: IDS.kubeletResourceId },
      agentPools: [agentPoolProfile('system'), agentPoolProfile('arm64'), agentPoolProfile('spot'), agentPoolProfile('windows')],
    }),
  ];
  fake.reset(world);
});

async function run(extra: ImageRef[] = []): Promise<Finding[]> {
  const cfg = { ...config(), images: [...IMAGES, ...extra] };
  const credential = new ClientSecretCredential(IDS.tenant, IDS.clientId, SECRETS.clientSecret, { authorityHost: fake.url, disableInstanceDiscovery: true });
  const deps = { credential, version: 'test' };
  const facts = new Facts(cfg, deps);
  for (const ref of cfg.images.filter((i) => i.unusable?.kind !== 'placeholder')) {
    const lookup: ImageFacts['lookup'] = { kind: 'found', mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: 'sha256:1', platforms: [amd64], index: false };
    facts.prefill('image', ref.input, { ref, registryHost: ref.host, auth: 'acr-exchange', lookup });
  }
  const report = await runPreflight(cfg, deps, [imageCheck], facts);
  validateReport(report, 'the report of the placement run');
  return report.checks;
}

test("the cluster GET's pools, in ARM's shape, decide which pools each workload's image must run on", async () => {
  const findings = await run();
  expect(fake.requests.filter((r) => r.route === 'arm.managedClusters.get').map((r) => r.status)).toEqual([200]);
  const by = (repository: string) => findings.filter((f) => f.image === `myacr.azurecr.io/${repository}:1`).map((f) => [f.status, f.title, f.cluster, f.source?.line]);
  // affinity on amd64: only the system pool is judged
  expect(by('web')).toEqual([['pass', 'myacr.azurecr.io/web:1 runs on every node pool its workloads can land on', 'aks1', 20]]);
  // the arm64 pool's nodeLabels select it
  expect(by('batch')).toEqual([['fail', 'myacr.azurecr.io/batch:1 has no manifest for aks1/armpool', 'aks1', 50]]);
  // a Spot toleration lets it onto the (arm64) Spot pool; the Windows taint keeps it off win22
  expect(by('jobs')).toEqual([['fail', 'myacr.azurecr.io/jobs:1 has no manifest for 2 node pools', 'aks1', 80]]);
  // a selector no pool matches: the image has no pool to match, and the workload fails on its own line
  expect(by('trainer')).toEqual([
    ['skip', 'myacr.azurecr.io/trainer:1: no node pool to match', 'aks1', 110],
    ['fail', 'Deployment/trainer can run on no node pool of aks1', 'aks1', 90],
  ]);
  const jobsFinding = findings.find((f) => f.image === 'myacr.azurecr.io/jobs:1');
  expect(jobsFinding?.detail).toContain('Node pool armpool of aks1 runs linux/arm64 on Standard_D4ps_v5');
  expect(jobsFinding?.detail).toContain('Node pool spot of aks1 runs linux/arm64 on Standard_D4ps_v5');
  expect(jobsFinding?.detail).toContain('Not judged');
  expect(jobsFinding?.evidence?.['notLandedOn']).toEqual([
    { cluster: 'aks1', pool: 'win22', workloads: [{ workload: 'Deployment/jobs', reasons: ['taint os=windows:NoSchedule is not tolerated'] }] },
  ]);
  const trainer = findings.find((f) => f.title === 'Deployment/trainer can run on no node pool of aks1');
  for (const reason of [
    "system: nodeSelector agentpool: gpu: the pool's nodes have agentpool=system",
    "armpool: nodeSelector agentpool: gpu: the pool's nodes have agentpool=armpool",
    'spot: nodeSelector agentpool: gpu',
    'taint kubernetes.azure.com/scalesetpriority=spot:NoSchedule is not tolerated',
    'taint os=windows:NoSchedule is not tolerated',
  ])
    expect(trainer?.detail).toContain(reason);
});

test('a Windows pool without a taint is one a workload without a selector lands on', async () => {
  fake.world.clusters[0]!.properties.agentPoolProfiles[3].nodeTaints = null;
  const findings = await run();
  const jobsFinding = findings.find((f) => f.image === 'myacr.azurecr.io/jobs:1');
  expect(jobsFinding).toMatchObject({ status: 'fail', title: 'myacr.azurecr.io/jobs:1 has no manifest for 3 node pools' });
  expect(jobsFinding?.detail).toContain('Node pool win22 of aks1 runs windows/amd64 (build 10.0.20348)');
});

test('a placeholder is a warn on its line and never looked up; an untagged image is looked up as latest and is at least a warn', async () => {
  const placeholder: ImageRef = {
    input: '${REGISTRY}/web:${TAG}',
    host: 'unrendered.invalid',
    repository: 'web',
    unusable: { kind: 'placeholder', detail: 'The image holds a template placeholder (${REGISTRY}, ${TAG}).' },
    uses: [use(web, 140)],
  };
  const untagged: ImageRef = { input: 'myacr.azurecr.io/web', host: 'myacr.azurecr.io', repository: 'web', unusable: { kind: 'untagged', detail: 'The image has no tag or digest.' }, uses: [use(web, 150)] };
  const findings = await run([placeholder, untagged]);
  // not prefilled: a lookup would have had to reach unrendered.invalid, which nothing here answers
  expect(findings.find((f) => f.image === placeholder.input)).toMatchObject({ status: 'warn', title: '${REGISTRY}/web:${TAG} is a template placeholder', source: { line: 140 } });
  expect(findings.find((f) => f.image === untagged.input)).toMatchObject({ status: 'warn', title: 'myacr.azurecr.io/web has no tag: it pulls latest', source: { line: 150 } });
});
