import { check as imageCheck, judgeImage, judgeWorkloads, workloadsCarriedBy } from '../../src/checks/image.js';
import { REGISTRY_ID, registryFacts } from './facts.js';
import type { AgentPool, ClusterFacts, Finding, ImageFacts, ImageLookup, ImageRef, ImageSource, ImageUse, Platform, PodPlacement, RegistryFacts, Status, Workload } from '../../src/model.js';

const SUB = '/subscriptions/s1';
const DIGEST = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const arm64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' };
const attestation: Platform = { os: 'unknown', architecture: 'unknown' };
const win2022: Platform = { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2655' };
const win2019: Platform = { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.6189' };

const SYSTEM: AgentPool = { name: 'system', osType: 'Linux', vmSize: 'Standard_D4s_v3', mode: 'System' };
const ARM: AgentPool = { name: 'armpool', osType: 'Linux', vmSize: 'Standard_D4ps_v5', mode: 'User' };
const WIN22: AgentPool = { name: 'win22', osType: 'Windows', osSku: 'Windows2022', vmSize: 'Standard_D4s_v3', mode: 'User' };
const WIN_UNKNOWN_BUILD: AgentPool = { name: 'win', osType: 'Windows', vmSize: 'Standard_D4s_v3', mode: 'User' };
const ODD: AgentPool = { name: 'odd', osType: 'Linux', vmSize: 'Custom_Size', mode: 'User' };

function cluster(name: string, agentPools: AgentPool[]): ClusterFacts {
  return {
    id: `${SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/${name}`,
    name,
    subscriptionId: 's1',
    resourceGroup: 'rg-aks',
    location: 'westeurope',
    kubelet: { source: 'managedIdentity', objectId: '11111111-1111-1111-1111-111111111111' },
    agentPools,
  };
}

function registry(over: Partial<RegistryFacts> = {}): RegistryFacts {
  return registryFacts(over);
}

const ACR_REF: ImageRef = { input: 'myacr.azurecr.io/team/app:1.2.3', host: 'myacr.azurecr.io', repository: 'team/app', tag: '1.2.3' };
const HUB_REF: ImageRef = { input: 'nginx:1.27', host: 'docker.io', repository: 'library/nginx', tag: '1.27' };
const GHCR_REF: ImageRef = { input: 'ghcr.io/acme/private:2', host: 'ghcr.io', repository: 'acme/private', tag: '2' };
const OTHER_ACR_REF: ImageRef = { input: 'otheracr.azurecr.io/base:7', host: 'otheracr.azurecr.io', repository: 'base', tag: '7' };
const DIGEST_REF: ImageRef = { input: `myacr.azurecr.io/team/app@${DIGEST}`, host: 'myacr.azurecr.io', repository: 'team/app', digest: DIGEST };

const found = (platforms: Platform[], index = true): ImageLookup => ({ kind: 'found', mediaType: index ? OCI_INDEX : DOCKER_MANIFEST, digest: DIGEST, platforms, index });

interface Setup {
  ref?: ImageRef;
  lookup: ImageLookup;
  clusters?: ClusterFacts[];
  registry?: RegistryFacts | null;
}

function judge(s: Setup): Finding {
  const ref = s.ref ?? ACR_REF;
  const image: ImageFacts = {
    ref,
    registryHost: ref.host === 'docker.io' ? 'registry-1.docker.io' : ref.host,
    auth: ref.host === 'myacr.azurecr.io' ? 'acr-exchange' : 'anonymous',
    lookup: s.lookup,
  };
  const reg = s.registry === null ? undefined : (s.registry ?? (ref.host === 'myacr.azurecr.io' ? registry() : undefined));
  return judgeImage({ image, clusters: s.clusters ?? [cluster('aks1', [SYSTEM])], ...(reg ? { registry: reg } : {}) });
}

interface Expectation {
  status: Status;
  title?: string;
  detail?: string[];
  notInDetail?: string[];
  /** strings the fix contains; null: no fix */
  fix?: string[] | null;
  fields?: Partial<Finding>;
  notes?: string[];
}

function check(f: Finding, e: Expectation): void {
  expect(f).toMatchObject({ id: 'image', path: 'runner', status: e.status, ...e.fields });
  if (e.title) expect(f.title).toBe(e.title);
  for (const word of e.detail ?? []) expect(f.detail).toContain(word);
  for (const word of e.notInDetail ?? []) expect(f.detail).not.toContain(word);
  if (e.fix === null) expect(f.fix).toBeUndefined();
  for (const word of e.fix ?? []) expect(f.fix).toContain(word);
  for (const word of e.notes ?? []) expect(f.notes?.join(' ')).toContain(word);
}

describe('found: platforms against node pools', () => {
  const multiArch = [amd64, arm64, attestation, attestation];
  test.each<[string, Setup, Expectation]>([
    [
      'multi-arch index with attestations on amd64 and arm64 pools',
      { lookup: found(multiArch), clusters: [cluster('aks1', [SYSTEM, ARM])] },
      {
        status: 'pass',
        title: 'myacr.azurecr.io/team/app:1.2.3 runs on every node pool',
        detail: [DIGEST, OCI_INDEX, 'platforms linux/amd64, linux/arm64/v8.', 'aks1/system (linux/amd64, Standard_D4s_v3) runs linux/amd64', 'aks1/armpool (linux/arm64, Standard_D4ps_v5) runs linux/arm64/v8'],
        notInDetail: ['unknown/unknown'],
        fix: null,
        fields: { image: ACR_REF.input, registry: 'myacr', cluster: 'aks1' },
      },
    ],
    [
      'arm64 pool and an amd64-only image',
      { lookup: found([amd64, attestation]), clusters: [cluster('aks1', [SYSTEM, ARM])] },
      {
        status: 'fail',
        title: 'myacr.azurecr.io/team/app:1.2.3 has no manifest for aks1/armpool',
        detail: ['Node pool armpool of aks1 runs linux/arm64 on Standard_D4ps_v5', 'The image has: linux/amd64', 'nodeSelector'],
        notInDetail: ['node pool system'],
        fields: { cluster: 'aks1', registry: 'myacr' },
      },
    ],
    [
      'a single amd64 manifest (not an index) on an amd64 pool',
      { lookup: found([amd64], false) },
      { status: 'pass', detail: [`manifest ${DIGEST} (${DOCKER_MANIFEST})`, 'aks1/system'] },
    ],
    [
      'fail names the pool in the right cluster of several',
      { lookup: found([amd64]), clusters: [cluster('aks1', [SYSTEM]), cluster('aks2', [SYSTEM, ARM])] },
      { status: 'fail', title: 'myacr.azurecr.io/team/app:1.2.3 has no manifest for aks2/armpool', detail: ['Node pool armpool of aks2'], fields: { cluster: 'aks2' } },
    ],
    [
      'a Windows-only image in a mixed cluster: the Linux pools are a nodeSelector matter (warn)',
      { lookup: found([win2022]), clusters: [cluster('aks1', [SYSTEM, ARM, WIN22])] },
      { status: 'warn', title: 'myacr.azurecr.io/team/app:1.2.3 runs on windows pools only', detail: ['aks1/system', 'aks1/armpool', 'nodeSelector kubernetes.io/os: windows'] },
    ],
    [
      'two failing pools: an arm64 and a Windows pool, with a Windows-only image on a cluster with no Windows 2022 match',
      { lookup: found([win2019]), clusters: [cluster('aks1', [ARM, WIN22])] },
      { status: 'fail', title: 'myacr.azurecr.io/team/app:1.2.3 has no manifest for 2 node pools', detail: ['Node pool armpool of aks1', 'Node pool win22 of aks1', 'windows/amd64 (10.0.17763.6189)'] },
    ],
    [
      'an amd64 Linux image on a cluster with an arm64 and a Windows pool: the arm64 pool fails',
      { lookup: found([amd64]), clusters: [cluster('aks1', [SYSTEM, ARM, WIN22])] },
      { status: 'fail', title: 'myacr.azurecr.io/team/app:1.2.3 has no manifest for aks1/armpool', detail: ['Node pool armpool of aks1'] },
    ],
    [
      'Windows 2022 pool, 2019-only image: the build must match',
      { lookup: found([amd64, win2019]), clusters: [cluster('aks1', [SYSTEM, WIN22])] },
      { status: 'fail', title: 'myacr.azurecr.io/team/app:1.2.3 has no manifest for aks1/win22', detail: ['runs windows/amd64 (build 10.0.20348)', 'Windows build 10.0.20348', 'windows/amd64 (10.0.17763.6189)'] },
    ],
    [
      'Windows 2022 pool, image with 2019 and 2022 manifests',
      { lookup: found([amd64, win2019, win2022]), clusters: [cluster('aks1', [SYSTEM, WIN22])] },
      { status: 'pass', detail: ['aks1/win22 (windows/amd64 (build 10.0.20348), Standard_D4s_v3) runs windows/amd64 (10.0.20348.2655)'] },
    ],
    [
      'Windows pool of unknown build passes with a note',
      { lookup: found([amd64, win2019]), clusters: [cluster('aks1', [SYSTEM, WIN_UNKNOWN_BUILD])] },
      { status: 'pass', notes: ['The Windows build of aks1/win is unknown'] },
    ],
    [
      'found through a proxy: noted',
      { lookup: { ...found([amd64]), proxy: 'http://proxy.corp:3128' } as ImageLookup },
      { status: 'pass', notes: ['myacr.azurecr.io was reached through proxy http://proxy.corp:3128.'] },
    ],
    [
      'a VM size whose architecture is unknown',
      { lookup: found([amd64, arm64]), clusters: [cluster('aks1', [SYSTEM, ODD])] },
      { status: 'unknown', title: 'Platform of aks1/odd unknown for myacr.azurecr.io/team/app:1.2.3', detail: ['Cannot tell the architecture of VM size Custom_Size'] },
    ],
    [
      'a fail outweighs an unknown pool',
      { lookup: found([amd64]), clusters: [cluster('aks1', [ARM, ODD])] },
      { status: 'fail', detail: ['Node pool armpool of aks1', 'Also not determined: aks1/odd'] },
    ],
    [
      'no cluster resolved',
      { lookup: found(multiArch), clusters: [] },
      { status: 'unknown', detail: [`the image exists (index ${DIGEST}`.replace('the', 'The'), 'the node pools could not be read'] },
    ],
    ['a cluster without node pools', { lookup: found(multiArch), clusters: [cluster('aks1', [])] }, { status: 'unknown', detail: ['node pools could not be read', 'no node pool of aks1'] }],
    ['found with no platforms', { lookup: found([]) }, { status: 'unknown', detail: ['names no platform'] }],
    ['found with attestations only', { lookup: found([attestation]) }, { status: 'unknown', detail: ['names no platform other than attestations'] }],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });

  test('evidence says which pool runs which platform', () => {
    const f = judge({ lookup: found(multiArch), clusters: [cluster('aks1', [SYSTEM, ARM])] });
    expect(f.evidence?.['pools']).toEqual([
      { cluster: 'aks1', pool: 'system', vmSize: 'Standard_D4s_v3', os: 'linux', architecture: 'amd64', runs: ['linux/amd64'], status: 'pass' },
      { cluster: 'aks1', pool: 'armpool', vmSize: 'Standard_D4ps_v5', os: 'linux', architecture: 'arm64', runs: ['linux/arm64/v8'], status: 'pass' },
    ]);
  });
});

describe('the repository or tag is missing', () => {
  test.each<[string, Setup, Expectation]>([
    [
      'missing repository on the ACR',
      { lookup: { kind: 'missing-repository', detail: 'NAME_UNKNOWN: repository name not known to registry.' } },
      { status: 'fail', title: 'Repository team/app not found', detail: ['Repository team/app does not exist in myacr.azurecr.io', 'NAME_UNKNOWN'], fix: ['az acr repository list --name myacr -o table'], fields: { registry: 'myacr' } },
    ],
    [
      'missing tag on the ACR, with tags it has',
      { lookup: { kind: 'missing-tag', detail: 'MANIFEST_UNKNOWN: manifest tagged by "1.2.3" is not found.', tags: ['1.2.0', '1.2.1', '1.2.2', 'latest', 'main', 'dev'] } },
      {
        status: 'fail',
        title: 'Tag of myacr.azurecr.io/team/app:1.2.3 not found',
        detail: ['Repository team/app in myacr.azurecr.io has no tag 1.2.3', 'Some tags it has: 1.2.0, 1.2.1, 1.2.2, latest, main, …'],
        notInDetail: ['dev'],
        fix: ['az acr repository show-tags --name myacr --repository team/app -o table'],
      },
    ],
    [
      'missing digest',
      { ref: DIGEST_REF, lookup: { kind: 'missing-tag', detail: 'MANIFEST_UNKNOWN' } },
      { status: 'fail', title: `Digest of ${DIGEST_REF.input} not found`, detail: [`has no digest ${DIGEST}`], notInDetail: ['Some tags'] },
    ],
    [
      'missing tag on Docker Hub: no az fix',
      { ref: HUB_REF, lookup: { kind: 'missing-tag', detail: 'MANIFEST_UNKNOWN' } },
      { status: 'fail', detail: ['library/nginx in docker.io has no tag 1.27'], fix: null, fields: { registry: 'docker.io', image: 'nginx:1.27' } },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

describe('the registry would not let the runner look', () => {
  test.each<[string, Setup, Expectation]>([
    [
      'a private third-party registry needs a pull secret',
      { ref: GHCR_REF, lookup: { kind: 'needs-credentials', detail: 'anonymous token refused (401 UNAUTHORIZED)', status: 401 } },
      {
        status: 'warn',
        title: 'ghcr.io needs credentials for ghcr.io/acme/private:2',
        detail: ["The kubelet's managed identity only authenticates to Azure Container Registry", 'imagePullSecret for ghcr.io'],
        fix: ['kubectl create secret docker-registry', '--docker-server=ghcr.io'],
        fields: { registry: 'ghcr.io', image: 'ghcr.io/acme/private:2' },
      },
    ],
    [
      'Docker Hub: the secret names the index server',
      { ref: HUB_REF, lookup: { kind: 'needs-credentials', detail: 'pull access denied', status: 401 } },
      { status: 'warn', fix: ['--docker-server=https://index.docker.io/v1/'] },
    ],
    [
      'an ACR that is not one of the registry inputs',
      { ref: OTHER_ACR_REF, lookup: { kind: 'needs-credentials', detail: 'anonymous pull is not enabled', status: 401 } },
      { status: 'warn', detail: ['Azure Container Registry that is not in the registry input', 'add otheracr to the registry input'], fix: ['--docker-server=otheracr.azurecr.io'], fields: { registry: 'otheracr.azurecr.io' } },
    ],
    [
      'credentials wanted on a registry input: not verified',
      { lookup: { kind: 'needs-credentials', detail: 'token exchange refused', status: 401 } },
      { status: 'unknown', detail: ['could not get a pull token for myacr.azurecr.io', 'pull-permission'], fix: null },
    ],
    [
      'the signed-in identity is denied (legacy mode)',
      { lookup: { kind: 'denied', detail: 'DENIED: requested access to the resource is denied', status: 403 } },
      {
        status: 'unknown',
        title: 'myacr.azurecr.io/team/app:1.2.3 could not be verified: the signed-in identity may not pull from myacr',
        detail: ["runner's identity, not the kubelet's", 'AcrPull on myacr'],
        fix: [`az role assignment create --assignee <the signed-in identity> --role AcrPull --scope ${REGISTRY_ID}`],
      },
    ],
    [
      'the signed-in identity is denied (ABAC mode)',
      { lookup: { kind: 'denied', detail: 'DENIED', status: 403 }, registry: registry({ roleAssignmentMode: 'AbacRepositoryPermissions' }) },
      { status: 'unknown', detail: ['Container Registry Repository Reader on myacr'], fix: ['--role "Container Registry Repository Reader"', `--scope ${REGISTRY_ID}`] },
    ],
    [
      'denied on an ACR that is not an input',
      { ref: OTHER_ACR_REF, lookup: { kind: 'denied', detail: 'DENIED', status: 403 } },
      { status: 'unknown', fix: ['--scope $(az acr show --name otheracr --query id -o tsv)'], fields: { registry: 'otheracr.azurecr.io' } },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

describe('unreachable', () => {
  const timeout: ImageLookup = {
    kind: 'unreachable',
    detail: 'connect ETIMEDOUT 20.1.2.3:443',
    http: { url: 'https://myacr.azurecr.io/v2/', error: { code: 'ETIMEDOUT', message: 'connect ETIMEDOUT', phase: 'connect' }, elapsedMs: 5000 },
  };
  const firewall: ImageLookup = {
    kind: 'unreachable',
    detail: "client with IP '203.0.113.7' is not allowed access",
    http: { url: 'https://myacr.azurecr.io/v2/', status: 403, elapsedMs: 40 },
  };
  test.each<[string, Setup, Expectation]>([
    ['a public registry times out', { lookup: timeout }, { status: 'unknown', title: 'myacr.azurecr.io/team/app:1.2.3 could not be looked up', detail: ['ETIMEDOUT during connect'], notInDetail: ['public network access disabled'] }],
    [
      'a private registry: unknown, verify from inside',
      { lookup: timeout, registry: registry({ publicNetworkAccess: 'Disabled' }) },
      { status: 'unknown', detail: ['public network access disabled', 'self-hosted runner', 'registry-network'] },
    ],
    ['a firewall refusing the runner', { lookup: firewall, registry: registry({ networkRuleSet: { defaultAction: 'Deny', ipRules: [] } }) }, { status: 'unknown', detail: ['HTTP 403', 'default action Deny', 'az acr network-rule add'] }],
    ['a third-party registry down', { ref: GHCR_REF, lookup: { kind: 'unreachable', detail: '503 Service Unavailable' } }, { status: 'unknown', fields: { registry: 'ghcr.io' } }],
    [
      'through a proxy that refuses the tunnel',
      { lookup: { kind: 'unreachable', detail: 'the proxy answered CONNECT with HTTP 403', http: { ...timeout.http!, proxy: 'http://proxy.corp:3128', error: { code: 'ERR_PROXY_TUNNEL', message: 'HTTP 403', phase: 'connect' } } } },
      { status: 'unknown', detail: ['through proxy http://proxy.corp:3128 (ERR_PROXY_TUNNEL during connect)'] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

describe('malformed', () => {
  test.each<[string, Setup, Expectation]>([
    [
      'a token answer that is not JSON',
      { lookup: { kind: 'malformed', detail: 'getting a pull token for team/app at myacr.azurecr.io/oauth2/token: HTTP 200, but the answer is not JSON' } },
      {
        status: 'unknown',
        title: 'myacr.azurecr.io/team/app:1.2.3 could not be verified: malformed answer from myacr.azurecr.io',
        detail: ['answered, but not as the registry protocol says', 'not JSON', 'is not verified'],
        notInDetail: ['could not be reached'],
        fix: null,
      },
    ],
    [
      'a challenge without a realm on Docker Hub',
      { ref: HUB_REF, lookup: { kind: 'malformed', detail: 'registry-1.docker.io answers /v2/ with a Bearer challenge that cannot be used: it names no realm' } },
      { status: 'unknown', title: 'nginx:1.27 could not be verified: malformed answer from registry-1.docker.io', detail: ['names no realm'], fields: { registry: 'docker.io' } },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

// ── Images taken from manifests: the pools each use's workload can land on ─────────────────────────

const WIN22_TAINTED: AgentPool = { ...WIN22, name: 'wintaint', nodeTaints: ['os=windows:NoSchedule'] };
const SPOT: AgentPool = { name: 'spot', osType: 'Linux', vmSize: 'Standard_D4ps_v5', mode: 'User', scaleSetPriority: 'Spot', nodeTaints: ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule'] };

function workload(placement: Partial<PodPlacement> = {}, name = 'web', line = 1): Workload {
  return {
    kind: 'Deployment',
    name,
    source: { file: 'k8s/app.yaml', line, workload: `Deployment/${name}` },
    placement: { nodeSelector: {}, requiredTerms: [], tolerations: [], ...placement },
    imagePullSecrets: [],
  };
}
const use = (w: Workload, line: number, container = w.name): ImageUse => ({
  source: { file: w.source.file, line, workload: `Deployment/${w.name}`, container },
  workload: w,
  container,
  containerKind: 'containers',
});
const withUses = (ref: ImageRef, ...uses: ImageUse[]): ImageRef => ({ ...ref, uses });
const LINUX = { nodeSelector: { 'kubernetes.io/os': 'linux' } };

/** Every finding the image check makes for this setup (the image's, then its workloads'). */
function judgeAll(s: Setup & { workloads?: Workload[] }): Finding[] {
  const ref = s.ref ?? ACR_REF;
  const image: ImageFacts = { ref, registryHost: ref.host, auth: 'acr-exchange', lookup: s.lookup };
  const workloads = s.workloads ?? workloadsCarriedBy(ref, [ref]);
  return imageCheck.judge({ image, clusters: s.clusters ?? [cluster('aks1', [SYSTEM])], registry: registry(), workloads }) as Finding[];
}

describe('with uses: only the pools the workloads can land on are judged', () => {
  const web = workload(LINUX);
  const anywhere = workload({}, 'batch', 30);
  test.each<[string, Setup, Expectation]>([
    [
      'a Linux-only image on a mixed cluster, the workload selects Linux nodes: pass',
      { ref: withUses(ACR_REF, use(web, 12)), lookup: found([amd64]), clusters: [cluster('aks1', [SYSTEM, WIN22])] },
      {
        status: 'pass',
        title: 'myacr.azurecr.io/team/app:1.2.3 runs on every node pool its workloads can land on',
        detail: ['aks1/system (linux/amd64, Standard_D4s_v3) runs linux/amd64', 'Not judged, as no workload of it can land there: aks1/win22'],
        fields: { source: use(web, 12).source, sources: [use(web, 12).source], cluster: 'aks1' },
      },
    ],
    [
      'the same image also named in the images input: every pool is judged, as an images entry is (the Windows pool warns), on the manifest line',
      { ref: { ...withUses(ACR_REF, use(web, 12)), given: true }, lookup: found([amd64]), clusters: [cluster('aks1', [SYSTEM, WIN22])] },
      { status: 'warn', detail: ['win22'], fields: { source: use(web, 12).source, sources: [use(web, 12).source] } },
    ],
    [
      'the same without a selector: the Windows pool fails (not the warn of an images entry)',
      { ref: withUses(ACR_REF, use(anywhere, 40)), lookup: found([amd64]), clusters: [cluster('aks1', [SYSTEM, WIN22])] },
      { status: 'fail', title: 'myacr.azurecr.io/team/app:1.2.3 has no manifest for aks1/win22', detail: ['Node pool win22 of aks1 runs windows/amd64', 'Deployment/batch can land there.'] },
    ],
    [
      'a Windows pool tainted against the workload is not judged',
      { ref: withUses(ACR_REF, use(anywhere, 40)), lookup: found([amd64]), clusters: [cluster('aks1', [SYSTEM, WIN22_TAINTED])] },
      { status: 'pass', detail: ['Not judged, as no workload of it can land there: aks1/wintaint'] },
    ],
    [
      'a workload that can land on an arm64 pool, an amd64-only image: fail naming the pool',
      { ref: withUses(ACR_REF, use(web, 12)), lookup: found([amd64]), clusters: [cluster('aks1', [SYSTEM, ARM])] },
      {
        status: 'fail',
        title: 'myacr.azurecr.io/team/app:1.2.3 has no manifest for aks1/armpool',
        detail: ['Node pool armpool of aks1 runs linux/arm64 on Standard_D4ps_v5', 'Deployment/web can land there.'],
        fields: { cluster: 'aks1', source: use(web, 12).source },
      },
    ],
    [
      'a workload kept on amd64 by its node affinity: the arm64 pool is not judged',
      {
        ref: withUses(ACR_REF, use(workload({ requiredTerms: [[{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }]] }), 12)),
        lookup: found([amd64]),
        clusters: [cluster('aks1', [SYSTEM, ARM])],
      },
      { status: 'pass', detail: ['Not judged, as no workload of it can land there: aks1/armpool'] },
    ],
    [
      'a Spot arm64 pool is judged only for a workload that tolerates it',
      {
        ref: withUses(ACR_REF, use(web, 12), use(workload({ tolerations: [{ key: 'kubernetes.azure.com/scalesetpriority', operator: 'Exists' }] }, 'jobs', 60), 70)),
        lookup: found([amd64]),
        clusters: [cluster('aks1', [SYSTEM, SPOT])],
      },
      {
        status: 'fail',
        title: 'myacr.azurecr.io/team/app:1.2.3 has no manifest for aks1/spot',
        detail: ['Deployment/jobs can land there.'],
        notInDetail: ['Deployment/web can land'],
        // on the line of the workload that lands there, with every place under sources
        fields: { source: { file: 'k8s/app.yaml', line: 70, workload: 'Deployment/jobs', container: 'jobs' }, sources: [{ line: 12 }, { line: 70 }] as ImageSource[] },
      },
    ],
    [
      'several clusters: the pool is named in its cluster',
      { ref: withUses(ACR_REF, use(web, 12)), lookup: found([amd64]), clusters: [cluster('aks1', [SYSTEM]), cluster('aks2', [SYSTEM, ARM])] },
      { status: 'fail', title: 'myacr.azurecr.io/team/app:1.2.3 has no manifest for aks2/armpool', fields: { cluster: 'aks2' } },
    ],
    [
      'a pool the workload may land on (ARM does not tell) that cannot run the image: unknown, never pass',
      { ref: withUses(ACR_REF, use(workload({ nodeSelector: { 'kubernetes.io/hostname': 'aks-armpool-1-vmss000000' } }), 12)), lookup: found([amd64]), clusters: [cluster('aks1', [ARM])] },
      {
        status: 'unknown',
        title: 'myacr.azurecr.io/team/app:1.2.3 may land on aks1/armpool it has no manifest for',
        detail: ['Node pool armpool of aks1 runs linux/arm64', 'Deployment/web may land there', 'ARM does not tell the value of kubernetes.io/hostname'],
      },
    ],
    [
      'a pool it may land on that runs the image anyway: pass',
      { ref: withUses(ACR_REF, use(workload({ nodeSelector: { 'kubernetes.io/hostname': 'n1' } }), 12)), lookup: found([amd64, arm64]), clusters: [cluster('aks1', [ARM])] },
      { status: 'pass' },
    ],
  ])('%s', (_name, setup, expected) => {
    const [image, ...others] = judgeAll(setup);
    check(image!, expected);
    expect(others).toEqual([]);
  });

  test('one finding per image, with every place it appears', () => {
    const batch = workload({}, 'batch', 30);
    const ref = withUses(ACR_REF, use(web, 12), use(web, 18, 'init'), use(batch, 44));
    const findings = judgeAll({ ref, lookup: found([amd64]) });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'pass', source: { file: 'k8s/app.yaml', line: 12 }, sources: [{ line: 12 }, { line: 18, container: 'init' }, { line: 44 }] });
  });

  test('evidence says which workloads land on each pool and why the others are not judged', () => {
    const [f] = judgeAll({ ref: withUses(ACR_REF, use(web, 12)), lookup: found([amd64]), clusters: [cluster('aks1', [SYSTEM, WIN22])] });
    expect(f?.evidence?.['pools']).toEqual([expect.objectContaining({ cluster: 'aks1', pool: 'system', status: 'pass', lands: ['Deployment/web'], mayLand: [] })]);
    expect(f?.evidence?.['notLandedOn']).toEqual([
      { cluster: 'aks1', pool: 'win22', workloads: [{ workload: 'Deployment/web', reasons: ["nodeSelector kubernetes.io/os: linux: the pool's nodes have kubernetes.io/os=windows"] }] },
    ]);
  });
});

describe('a workload that no node pool can run is a fail of its own', () => {
  test('a label no pool sets through ARM (kubectl label, an operator) is not known: unknown, never a false fail', () => {
    const w = workload({ nodeSelector: { team: 'gpu' } });
    expect(judgeWorkloads({ clusters: [cluster('aks1', [SYSTEM, ARM])], workloads: [w] })).toEqual([]);
    const findings = judgeAll({ ref: withUses(ACR_REF, use(w, 12)), lookup: found([amd64]), clusters: [cluster('aks1', [SYSTEM, ARM])] });
    expect(findings.map((f) => f.status)).toEqual(['unknown']);
    expect(findings[0]?.detail).toContain('ARM does not tell whether the nodes carry team');
  });

  test.each<[string, Workload, ClusterFacts[], string, string[]]>([
    [
      'a selector that matches nothing',
      workload({ nodeSelector: { agentpool: 'gpu' } }),
      [cluster('aks1', [SYSTEM, ARM])],
      'Deployment/web can run on no node pool of aks1',
      ["system: nodeSelector agentpool: gpu: the pool's nodes have agentpool=system", "armpool: nodeSelector agentpool: gpu: the pool's nodes have agentpool=armpool", 'k8s/app.yaml:1'],
    ],
    [
      'every pool tainted against it',
      workload(),
      [cluster('aks1', [WIN22_TAINTED, SPOT])],
      'Deployment/web can run on no node pool of aks1',
      ['wintaint: taint os=windows:NoSchedule is not tolerated', 'spot: taint kubernetes.azure.com/scalesetpriority=spot:NoSchedule is not tolerated'],
    ],
  ])('%s', (_name, w, clusters, title, detail) => {
    const [image, ...own] = judgeAll({ ref: withUses(ACR_REF, use(w, 12)), lookup: found([amd64, arm64, win2022]), clusters });
    expect(image).toMatchObject({ status: 'skip', title: 'myacr.azurecr.io/team/app:1.2.3: no node pool to match' });
    expect(image?.detail).toContain('no node pool can run Deployment/web');
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ id: 'image', status: 'fail', title, cluster: 'aks1', image: ACR_REF.input, source: w.source, sources: [w.source] });
    for (const word of detail) expect(own[0]?.detail).toContain(word);
  });

  test('per cluster: it fails where nothing can run it, the image is judged where it can', () => {
    const w = workload({ nodeSelector: { 'kubernetes.io/arch': 'arm64' } });
    const [image, ...own] = judgeAll({ ref: withUses(ACR_REF, use(w, 12)), lookup: found([amd64, arm64]), clusters: [cluster('aks1', [SYSTEM]), cluster('aks2', [SYSTEM, ARM])] });
    expect(image).toMatchObject({ status: 'pass' });
    expect(image?.detail).toContain('aks2/armpool');
    expect(own.map((f) => [f.status, f.title])).toEqual([['fail', 'Deployment/web can run on no node pool of aks1']]);
  });

  test('with node auto-provisioning or virtual nodes, no matching pool is unknown, not fail', () => {
    const w = workload({ nodeSelector: { agentpool: 'gpu' } });
    const nap = { ...cluster('aks1', [SYSTEM]), otherNodes: ['node auto-provisioning (its Karpenter NodePools live in the cluster)'] };
    const [f] = judgeWorkloads({ clusters: [nap], workloads: [w] });
    expect(f).toMatchObject({ status: 'unknown', title: 'Deployment/web can run on no node pool of aks1' });
    expect(f?.detail).toContain('It may still land on nodes of node auto-provisioning');
  });

  test('a DaemonSet that matches no node gets no pods', () => {
    const w = workload({ nodeSelector: { 'kubernetes.io/os': 'windows' } });
    const ds: Workload = { ...w, kind: 'DaemonSet', source: { ...w.source, workload: 'DaemonSet/web' } };
    const [f] = judgeWorkloads({ clusters: [cluster('aks1', [SYSTEM, ARM])], workloads: [ds] });
    expect(f).toMatchObject({ status: 'fail', title: 'DaemonSet/web can run on no node pool of aks1' });
    expect(f?.detail).toContain('It gets no pods, and its images are never pulled.');
  });

  test('a workload whose landing ARM cannot tell is not called unplaceable', () => {
    const w = workload({ nodeSelector: { 'kubernetes.io/hostname': 'n1' } });
    expect(judgeWorkloads({ clusters: [cluster('aks1', [SYSTEM])], workloads: [w] })).toEqual([]);
  });

  test("each workload is reported once, by the first image it uses", () => {
    const w = workload({ nodeSelector: { team: 'gpu' } });
    const app = withUses(ACR_REF, use(w, 12));
    const sidecar = withUses(HUB_REF, use(w, 20, 'proxy'));
    expect(workloadsCarriedBy(app, [app, sidecar])).toEqual([w]);
    expect(workloadsCarriedBy(sidecar, [app, sidecar])).toEqual([]);
    expect(workloadsCarriedBy(ACR_REF, [ACR_REF])).toEqual([]);
  });
});

describe('references that cannot be pulled as written', () => {
  const web = workload(LINUX);
  const placeholder: ImageRef = {
    input: '{{ .Values.image }}',
    host: 'docker.io',
    repository: 'library/{{ .Values.image }}',
    unusable: { kind: 'placeholder', detail: 'The image is a template placeholder ({{ .Values.image }}): it was never rendered.' },
    uses: [use(web, 12)],
  };
  const untagged: ImageRef = {
    input: 'myacr.azurecr.io/team/app',
    host: 'myacr.azurecr.io',
    repository: 'team/app',
    unusable: { kind: 'untagged', detail: 'The image has no tag or digest: the kubelet pulls latest.' },
    uses: [use(web, 12)],
  };

  test('a placeholder is a warn on its line, without a lookup', () => {
    const findings = imageCheck.judge({ ref: placeholder, clusters: [cluster('aks1', [SYSTEM])] }) as Finding[];
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: 'image', status: 'warn', image: '{{ .Values.image }}', cluster: 'aks1', source: use(web, 12).source, sources: [use(web, 12).source] });
    expect(findings[0]?.detail).toContain('never rendered');
    expect(findings[0]?.detail).toContain('not looked up');
  });

  test('an empty image is named by its workload', () => {
    const empty: ImageRef = { ...placeholder, input: '', repository: '', unusable: { kind: 'placeholder', detail: 'The image of Deployment/web container web is empty.' } };
    const [f] = imageCheck.judge({ ref: empty, clusters: [cluster('aks1', [SYSTEM])] }) as Finding[];
    expect(f).toMatchObject({ status: 'warn', title: 'The image of Deployment/web is empty', source: use(web, 12).source });
  });

  test.each<[string, ImageLookup, Expectation]>([
    [
      'untagged, found and runnable: warn',
      found([amd64]),
      { status: 'warn', title: 'myacr.azurecr.io/team/app has no tag: it pulls latest', detail: ['pulls latest', 'Looked up as myacr.azurecr.io/team/app:latest', 'runs linux/amd64'], fields: { source: use(web, 12).source } },
    ],
    [
      'untagged and latest missing: the failure stays',
      { kind: 'missing-tag', detail: 'MANIFEST_UNKNOWN' },
      { status: 'fail', detail: ['has no tag latest'], notes: ['pulls latest'], fields: { source: use(web, 12).source } },
    ],
    ['untagged, latest on an arm64-less image and an arm64 pool: fail', found([amd64]), { status: 'fail', fields: { cluster: 'aks1' } }],
  ])('%s', (name, lookup, expected) => {
    const clusters = name.includes('arm64 pool') ? [cluster('aks1', [SYSTEM, ARM])] : [cluster('aks1', [SYSTEM])];
    const ref = name.includes('arm64 pool') ? { ...untagged, uses: [use(workload(), 12)] } : untagged;
    const [f, ...rest] = judgeAll({ ref, lookup, clusters });
    check(f!, expected);
    expect(rest).toEqual([]);
  });

  test('an image whose registry was not resolved is skip, and its workloads are still judged', () => {
    const w = workload({ nodeSelector: { agentpool: 'gpu' } });
    const ref = withUses(ACR_REF, use(w, 12));
    const findings = imageCheck.judge({ ref, clusters: [cluster('aks1', [SYSTEM])], unresolved: { reason: 'The registry myacr could not be resolved (see the registry check).' }, workloads: [w] }) as Finding[];
    expect(findings.map((f) => [f.status, f.title])).toEqual([
      ['skip', 'Image myacr.azurecr.io/team/app:1.2.3 not checked'],
      ['fail', 'Deployment/web can run on no node pool of aks1'],
    ]);
    expect(findings[0]).toMatchObject({ registry: 'myacr.azurecr.io', detail: 'The registry myacr could not be resolved (see the registry check).', source: use(w, 12).source });
  });

  test('an unresolved image keeps the fix the reason came with (Azure skipped on a fork), as the skip of the engine does', () => {
    const ref = withUses(ACR_REF, use(workload(), 12));
    const [f] = imageCheck.judge({ ref, clusters: [], unresolved: { reason: 'no OIDC ID token on a fork', fix: 'use pull_request_target' } }) as Finding[];
    expect(f).toMatchObject({ status: 'skip', detail: 'no OIDC ID token on a fork', fix: 'use pull_request_target' });
  });
});
