// @ts-check
// The telling situations, as data: each changes the standard simulated world, runs the action, and
// says what the verdict must be. The end-to-end tests assert them; `npm run demo` shows them.
import { IDS, ROLE_IDS, SECRETS, roleAssignment, standardWorld, withFirewall, withPrivateRegistry } from '../fake-azure/fixtures.js';
import { kubeState } from '../fake-azure/run-command.js';
import { startRegistryLab } from '../registry-lab/index.js';

/**
 * @typedef {import('../fake-azure/server.js').FakeAzure} FakeAzure
 * @typedef {import('../registry-lab/index.js').RegistryLab} RegistryLab
 * @typedef {{
 *   name: string, title: string,
 *   setup?: (fake: FakeAzure, lab: RegistryLab) => void,
 *   inputs?: Record<string, string>,
 *   expect: { result: 'pass' | 'warn' | 'fail', checks: Record<string, string> }
 * }} Scenario
 */

/** The registries of the lab: the standard world's two ACRs and a Docker-Hub-like public registry. */
export const LAB_HOSTS = /** @type {const} */ ([
  { name: 'myacr.azurecr.io', kind: 'acr' },
  { name: 'otheracr.azurecr.io', kind: 'acr' },
  { name: 'registry-1.docker.io', kind: 'anonymous' },
]);

/** The images the lab holds (pushed by startLab). */
export const IMAGES = Object.freeze({
  /** a multi-arch OCI index: linux/amd64, linux/arm64 and a buildx attestation */
  app: 'myacr.azurecr.io/team/app:1.0',
  /** a single linux/amd64 Docker v2 manifest */
  legacy: 'myacr.azurecr.io/team/legacy:2.3',
  /** Docker Hub's nginx (anonymous pulls): linux/amd64 and linux/arm64 */
  nginx: 'nginx:1.27',
});

/** A documentation-range address: public to the judges, unreachable from the test network namespace. */
export const UNREACHABLE_PUBLIC_IP = '203.0.113.10';
/** The runner's public IP as the registry firewall reports it. */
export const RUNNER_IP = '198.51.100.23';

/**
 * Starts the registry lab for the scenarios: real registries for LAB_HOSTS (and `extraHosts`, if any),
 * Entra tokens checked against the fake Azure, the IMAGES pushed.
 * @param {FakeAzure} fake @param {import('../registry-lab/index.js').RegistryLabCerts} certs
 * @param {import('../registry-lab/index.js').HostSpec[]} [extraHosts] more registries for one test file's own lab
 */
export async function startLab(fake, certs, extraHosts = []) {
  const lab = await startRegistryLab({
    certs,
    hosts: [...LAB_HOSTS, ...extraHosts].map((h) => ({ ...h })),
    verifyAadToken: (token) => {
      const t = fake.identify(token);
      return t?.clientId ? { clientId: t.clientId, ...(t.tenantId && { tenantId: t.tenantId }), ...(t.audience && { audience: t.audience }) } : undefined;
    },
  });
  const linux = (/** @type {string} */ architecture) => ({ os: 'linux', architecture });
  await Promise.all([
    lab.push('myacr.azurecr.io', 'team/app', '1.0', { platforms: [linux('amd64'), linux('arm64')], format: 'oci', attestation: true }),
    lab.push('myacr.azurecr.io', 'team/legacy', '2.3', { platforms: [linux('amd64')], format: 'docker', index: false }),
    lab.push('registry-1.docker.io', 'library/nginx', '1.27', { platforms: [linux('amd64'), linux('arm64')], format: 'docker' }),
  ]);
  return lab;
}

/** Back to the lab's defaults: every host resolves to the front, no firewall, no faults. @param {RegistryLab} lab */
export function resetLab(lab) {
  lab.clearFaults();
  for (const name of lab.hosts.keys()) {
    lab.unblock(name);
    lab.dns.set(name, { a: [lab.address] });
  }
  lab.dns.set('auth.docker.io', { a: [lab.address] });
}

/** The inputs that point a run at the standard world's cluster and registry on the fake. @param {string} url */
function standardInputs(url) {
  return {
    cluster: IDS.cluster,
    'resource-group': IDS.clusterResourceGroup,
    registry: IDS.registry,
    subscription: IDS.subscription,
    'arm-endpoint': url,
    'graph-endpoint': url,
  };
}

/** The environment variables of a client-secret sign-in (auth: environment) against the fake. @param {string} url */
export function environmentCredentials(url) {
  return { AZURE_AUTHORITY_HOST: url, AZURE_CLIENT_ID: IDS.clientId, AZURE_TENANT_ID: IDS.tenant, AZURE_CLIENT_SECRET: SECRETS.clientSecret };
}

/**
 * The inputs and environment of a run that signs in with GitHub OIDC against the fake, resolving
 * registries through the lab's DNS.
 * @param {string} url @param {RegistryLab} [lab]
 */
export function oidcRun(url, lab) {
  return {
    inputs: { ...standardInputs(url), auth: 'oidc', 'client-id': IDS.clientId, 'tenant-id': IDS.tenant, ...(lab && { 'dns-servers': lab.dnsServer }) },
    env: {
      AZURE_AUTHORITY_HOST: url,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/_github/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: SECRETS.githubRequestToken,
    },
  };
}

/**
 * The inputs and environment of a run that signs in with a client secret (auth: environment), resolving
 * registries through the lab's DNS when given one.
 * @param {string} url @param {RegistryLab} [lab]
 */
export function environmentRun(url, lab) {
  return { inputs: { ...standardInputs(url), auth: 'environment', ...(lab && { 'dns-servers': lab.dnsServer }) }, env: environmentCredentials(url) };
}

const ALL_PASS = { cluster: 'pass', registry: 'pass', 'pull-permission': 'pass', 'registry-network': 'pass', 'registry-dns': 'pass', 'registry-endpoint': 'pass' };

/** @param {FakeAzure} fake @param {(w: ReturnType<typeof standardWorld>) => void} change */
function withWorld(fake, change) {
  const world = standardWorld();
  change(world);
  fake.reset(world);
}

/** @type {Scenario[]} */
export const SCENARIOS = [
  {
    name: 'granted',
    title: 'AcrPull for the kubelet identity on the registry',
    setup: (fake) => fake.reset(standardWorld()),
    inputs: { images: `${IMAGES.app}\n${IMAGES.nginx}` },
    expect: { result: 'pass', checks: { ...ALL_PASS, image: 'pass' } },
  },
  {
    name: 'no-role',
    title: 'No role assignment at all',
    setup: (fake) => withWorld(fake, (w) => (w.roleAssignments = [])),
    expect: { result: 'fail', checks: { cluster: 'pass', registry: 'pass', 'pull-permission': 'fail' } },
  },
  {
    name: 'abac',
    title: 'ABAC-mode registry: AcrPull is not honoured',
    setup: (fake) =>
      withWorld(fake, (w) => {
        const reg = /** @type {any} */ (w.registries[0]);
        reg.properties.roleAssignmentMode = 'AbacRepositoryPermissions';
      }),
    expect: { result: 'fail', checks: { 'pull-permission': 'fail' } },
  },
  {
    name: 'wrong-identity',
    title: "AcrPull given to the cluster's control-plane identity instead of the kubelet",
    setup: (fake) =>
      withWorld(fake, (w) => {
        w.roleAssignments = [roleAssignment({ scope: IDS.registryId, roleDefinitionGuid: ROLE_IDS.AcrPull, principalId: IDS.controlPlanePrincipalId, principalType: 'ServicePrincipal' })];
      }),
    expect: { result: 'fail', checks: { 'pull-permission': 'fail' } },
  },
  {
    name: 'rbac-forbidden',
    title: 'The signed-in identity may not read role assignments (403)',
    setup: (fake) => {
      fake.reset(standardWorld());
      fake.addFault({ path: /\/providers\/Microsoft\.Authorization\/roleAssignments$/i, status: 403 });
    },
    expect: { result: 'fail', checks: { 'pull-permission': 'unknown' } },
  },
  {
    name: 'arm64-pool',
    title: 'An arm64 node pool (Standard_D4ps_v5) and an amd64-only image',
    setup: (fake) =>
      withWorld(fake, (w) => {
        const pools = /** @type {any} */ (w.clusters[0]).properties.agentPoolProfiles;
        pools.push({ ...pools[0], name: 'armpool', mode: 'User', vmSize: 'Standard_D4ps_v5' });
      }),
    inputs: { images: IMAGES.legacy },
    expect: { result: 'fail', checks: { ...ALL_PASS, image: 'fail' } },
  },
  {
    name: 'missing-tag',
    title: 'An image tag that was never pushed',
    setup: (fake) => fake.reset(standardWorld()),
    inputs: { images: 'myacr.azurecr.io/team/app:9.9' },
    expect: { result: 'fail', checks: { ...ALL_PASS, image: 'fail' } },
  },
  {
    name: 'private-unlinked',
    title: "Private registry whose privatelink zone is not linked to the cluster's VNet (the runner is outside)",
    setup: (fake, lab) => {
      withWorld(fake, (w) => withPrivateRegistry(w, { registryName: IDS.registry, linkZoneToClusterVnet: false }));
      lab.dns.set('myacr.azurecr.io', { cname: 'myacr.privatelink.azurecr.io' });
      lab.dns.set('myacr.privatelink.azurecr.io', { a: [UNREACHABLE_PUBLIC_IP] });
    },
    expect: { result: 'fail', checks: { 'pull-permission': 'pass', 'registry-network': 'fail', 'registry-dns': 'skip', 'registry-endpoint': 'skip' } },
  },
  {
    name: 'firewall',
    title: "Registry firewall (default Deny) that allows one of the cluster's two egress IPs, and not the runner",
    setup: (fake, lab) => {
      withWorld(fake, (w) => withFirewall(w, { registryName: IDS.registry, ipRules: [IDS.outboundIps[0] ?? ''] }));
      lab.block('myacr.azurecr.io', RUNNER_IP);
    },
    expect: { result: 'fail', checks: { 'pull-permission': 'pass', 'registry-network': 'fail', 'registry-dns': 'pass', 'registry-endpoint': 'skip' } },
  },
  {
    name: 'in-cluster',
    title: 'in-cluster: true: a probe pod on each node pool (one amd64, one arm64 with a taint) pulls through AKS Run Command',
    setup: (fake) =>
      withWorld(fake, (w) => {
        const pools = /** @type {any} */ (w.clusters[0]).properties.agentPoolProfiles;
        pools.push({ ...pools[0], name: 'armpool', mode: 'User', vmSize: 'Standard_D4ps_v5', nodeTaints: ['kubernetes.io/arch=arm64:NoSchedule'] });
        const k = kubeState(w, IDS.clusterId);
        k.pools = [{ name: pools[0].name }, { name: 'armpool', arch: 'arm64', taints: ['kubernetes.io/arch=arm64:NoSchedule'] }];
        k.registries = { 'myacr.azurecr.io': { images: { 'team/app:1.0': ['linux/amd64', 'linux/arm64'] } } };
      }),
    inputs: { images: IMAGES.app, 'in-cluster': 'true' },
    expect: { result: 'pass', checks: { ...ALL_PASS, image: 'pass', 'in-cluster-pull': 'pass', 'pod-symptoms': 'pass' } },
  },
  {
    name: 'udr',
    title: 'Egress through a firewall of your own (outboundType userDefinedRouting)',
    setup: (fake) =>
      withWorld(fake, (w) => {
        /** @type {any} */ (w.clusters[0]).properties.networkProfile.outboundType = 'userDefinedRouting';
      }),
    expect: { result: 'warn', checks: { ...ALL_PASS, 'registry-network': 'warn' } },
  },
];
