// The runner's path, end to end: the bundled action (dist/index.js) run as a child process against the
// fake Azure and a registry lab of its own (real registries, a fake DNS server, TLS, firewall, faults,
// stalled and refused addresses). DNS (NXDOMAIN, SERVFAIL, timeouts, privatelink CNAME chains, data
// endpoints), TLS, connection timeouts and resets, the registry firewall seen from both paths, image
// lookups (Windows builds, Docker Hub, Basic-only registries, missing repositories and tags, a
// signed-in identity that may not pull, digests), the overlap of the runner's probes with the RBAC
// reads, and that no token ever reaches the output.
import { isIP } from 'node:net';
import { startFakeAzure, type FakeAzure } from '../fake-azure/server.js';
import { IDS, ROLE_IDS, SECRETS, registry, roleAssignment, standardWorld, withFirewall, withPrivateRegistry, type World } from '../fake-azure/fixtures.js';
import { runAction, visibleOutput, type ActionRun } from '../harness/run-action.js';
import { IMAGES, RUNNER_IP, oidcRun, resetLab, startLab } from '../harness/scenarios.js';
import { startConnectProxy, type ConnectProxy } from '../harness/connect-proxy.js';
import type { HostSpec, LabRequest, RegistryLab } from '../registry-lab/index.js';

const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null') as { cert: string; key: string } | null;
if (!certs || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');
const registryCerts = JSON.parse(process.env.PREFLIGHT_REGISTRY_CERTS ?? 'null');
if (!registryCerts) throw new Error('run the tests with `npm test` (it makes the registry certificates)');

const LOGIN = 'myacr.azurecr.io';
const PRIVATELINK = 'myacr.privatelink.azurecr.io';
const DATA_HOST = 'myacr.westeurope.data.azurecr.io';
/** an ACR whose certificate comes from a CA nobody trusts */
const BAD_TLS = 'badtlsacr';
/** an ACR that lets the kubelet pull, and not the identity the action signs in as */
const LOCKED = 'lockedacr';
/** a private third-party registry that hands tokens out only for Basic credentials */
const BASIC_HOST = 'registry.example.com';
/** ACRs with anonymous pull that refuse the signed-in identity: with 401 at /oauth2/token, or with a token granting nothing */
const ANON = 'anonacr';
const ANON_EMPTY = 'anonemptyacr';
/** the credentials of the test's CONNECT proxy */
const PROXY_CREDENTIALS = { user: 'runner', password: 'proxy-s3cret-pw' };

const EXTRA_HOSTS: HostSpec[] = [
  { name: `${BAD_TLS}.azurecr.io`, kind: 'acr', tls: 'untrusted' },
  { name: `${LOCKED}.azurecr.io`, kind: 'acr', pullers: [IDS.kubeletClientId] },
  { name: BASIC_HOST, kind: 'basic', users: { ci: 'pw' } },
  { name: `${ANON}.azurecr.io`, kind: 'acr', pullers: [IDS.kubeletClientId], anonymousPull: true },
  { name: `${ANON_EMPTY}.azurecr.io`, kind: 'acr', pullers: [IDS.kubeletClientId], anonymousPull: true, denied: 'empty' },
];

let fake: FakeAzure;
let lab: RegistryLab;
let proxy: ConnectProxy;
/** the digest of myacr.azurecr.io/team/app:pinned, pushed in beforeAll */
let pinnedDigest = '';
const runs: ActionRun[] = [];

/** The standard world plus badtlsacr, lockedacr and the anonymous-pull ACRs (next to myacr), each with AcrPull for the kubelet. */
function world(): World {
  const w = standardWorld();
  for (const name of [BAD_TLS, LOCKED, ANON, ANON_EMPTY]) {
    const anonymousPullEnabled = name === ANON || name === ANON_EMPTY ? true : undefined;
    const r = registry({ subscriptionId: IDS.subscription, resourceGroup: IDS.registryResourceGroup, name, location: 'westeurope', anonymousPullEnabled });
    w.registries.push(r);
    w.roleAssignments.push(roleAssignment({ scope: String(r.id), roleDefinitionGuid: ROLE_IDS.AcrPull, principalId: IDS.kubeletObjectId }));
  }
  return w;
}

beforeAll(async () => {
  fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
  lab = await startLab(fake, registryCerts, EXTRA_HOSTS);
  const linux = { os: 'linux', architecture: 'amd64' };
  const [pinned] = await Promise.all([
    lab.push(LOGIN, 'team/app', 'pinned', { platforms: [linux, { os: 'linux', architecture: 'arm64' }], format: 'oci' }),
    lab.push(LOGIN, 'team/win', 'ltsc2022', { platforms: [{ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2655' }], format: 'docker' }),
    lab.push(`${LOCKED}.azurecr.io`, 'team/app', '1.0', { platforms: [linux] }),
    lab.push(BASIC_HOST, 'team/tool', '1.0', { platforms: [linux] }),
    lab.push(`${ANON}.azurecr.io`, 'team/app', '1.0', { platforms: [linux] }),
    lab.push(`${ANON_EMPTY}.azurecr.io`, 'team/app', '1.0', { platforms: [linux] }),
  ]);
  pinnedDigest = pinned.digest;
  // A proxy resolves names itself: every registry name to the lab's front, whatever the runner's DNS says.
  proxy = await startConnectProxy({ resolve: async (host) => (isIP(host) ? host : lab.address), credentials: PROXY_CREDENTIALS });
});
afterAll(async () => {
  await proxy?.stop();
  await lab?.stop();
  await fake?.stop();
});
beforeEach(() => {
  resetLab(lab);
  for (const name of [PRIVATELINK, DATA_HOST]) lab.dns.remove(name);
  fake.latencyMs = 0;
  fake.reset(world());
  proxy.connects.length = 0;
});

interface Run extends ActionRun {
  /** what the lab's front received during this run */
  labRequests: LabRequest[];
  /** the names the lab's DNS server was asked during this run */
  dnsNames: string[];
}

async function run(inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<Run> {
  const base = oidcRun(fake.url, lab);
  const labFrom = lab.requests.length;
  const dnsFrom = lab.dns.queries.length;
  const r = await runAction({ inputs: { ...base.inputs, ...inputs }, env: { ...base.env, ...env } });
  runs.push(r);
  return { ...r, labRequests: lab.requests.slice(labFrom), dnsNames: lab.dns.queries.slice(dnsFrom).map((q) => q.name) };
}

/** The one check with this id (about this registry or image, when given), as the JSON report holds it. */
function check(r: ActionRun, id: string, about: { registry?: string; image?: string } = {}) {
  const found = (r.report?.checks ?? []).filter(
    (c: { id: string; registry?: string; image?: string }) =>
      c.id === id && (about.registry === undefined || c.registry === about.registry) && (about.image === undefined || c.image === about.image),
  );
  expect(found).toHaveLength(1);
  return found[0];
}

/** The verdict agrees in the output, the report, the exit status and the summary's headline. */
function expectVerdict(r: ActionRun, result: 'pass' | 'warn' | 'fail') {
  expect(r.outputs.result).toBe(result);
  expect(r.report.result).toBe(result);
  expect(r.status).toBe(result === 'fail' ? 1 : 0);
  expect(r.summary).toContain(`AKS ACR preflight: ${result.toUpperCase()}`);
}

const v2Requests = (r: Run, host = LOGIN) => r.labRequests.filter((q) => q.host === host && q.path === '/v2/');

describe('DNS from the runner', () => {
  test('NXDOMAIN for the login server: registry-dns fails, registry-endpoint is skipped', async () => {
    lab.dns.remove(LOGIN);
    const r = await run();
    const dns = check(r, 'registry-dns');
    expect(dns.status).toBe('fail');
    expect(dns.title).toBe(`${LOGIN} does not resolve`);
    expect(dns.detail).toContain(`The login server ${LOGIN} does not resolve (ENOTFOUND from DNS servers ${lab.dnsServer})`);
    const endpoint = check(r, 'registry-endpoint');
    expect(endpoint.status).toBe('skip');
    expect(endpoint.detail).toContain('depends on registry-dns');
    expect(v2Requests(r)).toHaveLength(0);
    // the cluster's path is judged from ARM and is unaffected
    expect(check(r, 'pull-permission').status).toBe('pass');
    expect(check(r, 'registry-network').status).toBe('pass');
    expectVerdict(r, 'fail');
    expect(r.summary).toContain(`${LOGIN} does not resolve`);
  });

  test('SERVFAIL: unknown, naming the DNS server asked', async () => {
    lab.dns.servfail(LOGIN);
    const r = await run();
    const dns = check(r, 'registry-dns');
    expect(dns.status).toBe('unknown');
    expect(dns.title).toBe('DNS for myacr could not be verified');
    expect(dns.detail).toContain(`using DNS servers ${lab.dnsServer}`);
    expect(dns.detail).toMatch(/ESERVFAIL/);
    expect(check(r, 'registry-endpoint').status).toBe('skip');
    expectVerdict(r, 'fail');
  });

  test('a query that is never answered: unknown (timed out), not a hang', async () => {
    lab.dns.drop(LOGIN);
    const r = await run();
    const dns = check(r, 'registry-dns');
    expect(dns.status).toBe('unknown');
    expect(dns.detail).toMatch(/ETIMEOUT/);
    expect(dns.detail).toContain(lab.dnsServer);
    expect(check(r, 'registry-endpoint').status).toBe('skip');
    expectVerdict(r, 'fail');
    expect(r.durationMs).toBeLessThan(30_000);
  });

  test('a CNAME chain through privatelink to a private address, on a private registry whose zone is linked: every path passes', async () => {
    const w = world();
    withPrivateRegistry(w, { registryName: IDS.registry });
    fake.reset(w);
    lab.dns.set(LOGIN, { cname: PRIVATELINK });
    lab.dns.set(PRIVATELINK, { a: [lab.address] });
    const r = await run();
    const dns = check(r, 'registry-dns');
    expect(dns.status).toBe('pass');
    expect(dns.detail).toContain('private endpoint address(es)');
    expect(dns.detail).toContain(`${LOGIN} → ${PRIVATELINK} → ${lab.address} (private)`);
    expect(dns.evidence?.names[0]).toMatchObject({ host: LOGIN, cnames: [PRIVATELINK], addresses: [lab.address], private: true, viaPrivateLink: true });
    const endpoint = check(r, 'registry-endpoint');
    expect(endpoint.status).toBe('pass');
    expect(endpoint.evidence).toMatchObject({ address: lab.address, status: 401, dns: { cnames: [PRIVATELINK] } });
    const network = check(r, 'registry-network');
    expect(network.status).toBe('pass');
    expect(network.evidence?.path).toBe('private');
    expect(network.detail).toContain('through private endpoint pe-myacr');
    expect(v2Requests(r)).toHaveLength(1);
    expectVerdict(r, 'pass');
  });
});

describe('data endpoints', () => {
  const withDataEndpoints = () => {
    const w = world();
    const reg = w.registries.find((x) => x.name === IDS.registry)!;
    reg.properties.dataEndpointEnabled = true;
    reg.properties.dataEndpointHostNames = [DATA_HOST];
    fake.reset(w);
  };

  test('a data endpoint that does not resolve fails registry-dns; both names were asked', async () => {
    withDataEndpoints();
    const r = await run();
    expect(r.dnsNames).toContain(LOGIN);
    expect(r.dnsNames).toContain(DATA_HOST);
    const dns = check(r, 'registry-dns');
    expect(dns.status).toBe('fail');
    expect(dns.title).toBe(`${DATA_HOST} does not resolve`);
    expect(dns.detail).toContain(`The data endpoint ${DATA_HOST} does not resolve`);
    expect(dns.evidence?.names.map((n: { host: string }) => n.host)).toEqual([LOGIN, DATA_HOST]);
    // the login server resolves: the endpoint is still probed
    expect(check(r, 'registry-endpoint').status).toBe('pass');
    expect(r.report.registries[0].egressHosts).toEqual([LOGIN, DATA_HOST]);
    expectVerdict(r, 'fail');
  });

  test('a data endpoint that resolves: registry-dns passes, and the egress hosts list it instead of blob storage', async () => {
    withDataEndpoints();
    lab.dns.set(DATA_HOST, { a: [lab.address] });
    const r = await run();
    expect(r.dnsNames).toContain(LOGIN);
    expect(r.dnsNames).toContain(DATA_HOST);
    const dns = check(r, 'registry-dns');
    expect(dns.status).toBe('pass');
    expect(dns.detail).toContain('The login server and 1 data endpoint(s) resolve');
    const hosts: string[] = r.report.registries[0].egressHosts;
    expect(hosts).toContain(DATA_HOST);
    expect(hosts).not.toContain('*.blob.core.windows.net');
    expect(r.summary).toContain(`<code>${DATA_HOST}</code>`);
    expectVerdict(r, 'pass');
  });

  test('data endpoints off: only the login server is asked, and the egress hosts name blob storage', async () => {
    const r = await run();
    expect(r.dnsNames).toContain(LOGIN);
    expect(r.dnsNames.some((n) => n.includes('.data.'))).toBe(false);
    expect(r.report.registries[0].egressHosts).toEqual([LOGIN, '*.blob.core.windows.net']);
    expect(check(r, 'registry-dns').status).toBe('pass');
    expectVerdict(r, 'pass');
  });
});

describe('TLS', () => {
  test('a certificate from an untrusted CA: registry-endpoint fails naming the certificate problem', async () => {
    const r = await run({ registry: BAD_TLS });
    expect(r.outputs['login-servers']).toBe(`${BAD_TLS}.azurecr.io`);
    expect(check(r, 'pull-permission').status).toBe('pass');
    expect(check(r, 'registry-dns').status).toBe('pass');
    const endpoint = check(r, 'registry-endpoint', { registry: BAD_TLS });
    expect(endpoint.status).toBe('fail');
    expect(endpoint.title).toBe(`TLS to ${BAD_TLS}.azurecr.io fails`);
    expect(endpoint.detail).toContain('does not verify');
    expect(endpoint.detail).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(endpoint.detail).toContain('trusted root');
    expect(endpoint.evidence?.error).toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', phase: 'tls' });
    // the handshake failed: the front never saw an HTTP request
    expect(v2Requests(r, `${BAD_TLS}.azurecr.io`)).toHaveLength(0);
    expectVerdict(r, 'fail');
  });
});

describe('timeouts and resets', () => {
  test('an address that accepts and never answers, with connect-timeout 1: unknown, and the run does not hang', async () => {
    lab.dns.set(LOGIN, { a: [lab.stallAddress] });
    const r = await run({ 'connect-timeout': '1' });
    expect(check(r, 'registry-dns').status).toBe('pass');
    const endpoint = check(r, 'registry-endpoint');
    expect(endpoint.status).toBe('unknown');
    expect(endpoint.detail).toContain('ETIMEDOUT');
    expect(endpoint.title).toBe(`https://${LOGIN}/v2/ could not be reached`);
    expect(endpoint.detail).toContain('ETIMEDOUT during tls');
    expect(endpoint.detail).toContain('within 1000 ms');
    expect(endpoint.evidence?.address).toBe(lab.stallAddress);
    expectVerdict(r, 'fail');
    // a bound on a hang, not a speed test
    expect(r.durationMs).toBeLessThan(10_000);
  });

  test('a refused connection: unknown', async () => {
    lab.dns.set(LOGIN, { a: [lab.refusedAddress] });
    const r = await run();
    const endpoint = check(r, 'registry-endpoint');
    expect(endpoint.status).toBe('unknown');
    expect(endpoint.detail).toContain('ECONNREFUSED');
    expect(endpoint.title).toBe(`https://${LOGIN}/v2/ could not be reached`);
    expectVerdict(r, 'fail');
  });

  test('a connection reset on every /v2/ request: unknown after two retries', async () => {
    lab.fault(LOGIN, { path: /^\/v2\/$/, reset: true });
    const r = await run();
    const endpoint = check(r, 'registry-endpoint');
    expect(endpoint.status).toBe('unknown');
    expect(endpoint.detail).toMatch(/ECONNRESET|socket hang up/);
    expect(endpoint.detail).toContain('(3 attempts)');
    expect(v2Requests(r)).toHaveLength(3);
    expectVerdict(r, 'fail');
  });

  test('429 with Retry-After on the pull token, then success: the image passes after exactly one retry', async () => {
    lab.fault(LOGIN, { path: /^\/oauth2\/token$/, status: 429, headers: { 'Retry-After': '1' }, times: 1 });
    const r = await run({ images: IMAGES.app });
    const image = check(r, 'image', { image: IMAGES.app });
    expect(image.status).toBe('pass');
    expect(image.evidence?.auth).toBe('acr-exchange');
    // the only image is team/app, so every token request is for that repository
    const tokens = r.labRequests.filter((q) => q.host === LOGIN && q.path === '/oauth2/token');
    expect(tokens.map((q) => q.status)).toEqual([429, 200]);
    expect(tokens.every((q) => q.method === 'POST')).toBe(true);
    expectVerdict(r, 'pass');
  });
});

describe('the registry firewall', () => {
  test('the runner refused (403 naming its IP) while ARM reports no Deny: unknown, with the network-rule command', async () => {
    lab.block(LOGIN, RUNNER_IP);
    const r = await run();
    const endpoint = check(r, 'registry-endpoint');
    expect(endpoint.status).toBe('unknown');
    expect(endpoint.detail).toContain(RUNNER_IP);
    expect(endpoint.detail).toContain('although ARM reports no firewall default action Deny for myacr');
    expect(endpoint.evidence?.blockedClientIp).toBe(RUNNER_IP);
    expect(endpoint.fix).toContain('az acr network-rule add');
    expect(endpoint.fix).toContain(`--ip-address ${RUNNER_IP}`);
    // ARM says the public endpoint is open to all networks
    expect(check(r, 'registry-network').status).toBe('pass');
    expectVerdict(r, 'fail');
    expect(r.summary).toContain(`--ip-address ${RUNNER_IP}`);
  });

  test('rules allowing both egress IPs: the cluster passes, the runner refused is expected (skip)', async () => {
    const w = world();
    withFirewall(w, { registryName: IDS.registry, ipRules: [...IDS.outboundIps] });
    fake.reset(w);
    lab.block(LOGIN, RUNNER_IP);
    const r = await run();
    const network = check(r, 'registry-network');
    expect(network.status).toBe('pass');
    expect(network.detail).toContain('every IPv4 egress address of aks1 is inside an IP rule');
    const endpoint = check(r, 'registry-endpoint');
    expect(endpoint.status).toBe('skip');
    expect(endpoint.detail).toContain(RUNNER_IP);
    expect(check(r, 'registry-dns').status).toBe('pass');
    expectVerdict(r, 'pass');
  });

  test('an IPv4 CIDR rule covering both egress IPs passes', async () => {
    const w = world();
    withFirewall(w, { registryName: IDS.registry, ipRules: ['20.61.10.0/24'] });
    fake.reset(w);
    const r = await run();
    const network = check(r, 'registry-network');
    expect(network.status).toBe('pass');
    for (const ip of IDS.outboundIps) expect(network.detail).toContain(`${ip} in 20.61.10.0/24`);
    expect(network.evidence?.egressCoverage.missing).toEqual([]);
  });

  test('an egress IP no rule covers: fail, fixed by the exact network-rule command', async () => {
    const w = world();
    withFirewall(w, { registryName: IDS.registry, ipRules: [IDS.outboundIps[0]!] });
    fake.reset(w);
    const r = await run();
    const network = check(r, 'registry-network');
    expect(network.status).toBe('fail');
    expect(network.detail).toContain('does not allow the egress address 20.61.10.2 of aks1');
    expect(network.fix).toBe(`az acr network-rule add --name myacr --resource-group rg-acr --subscription ${IDS.subscription} --ip-address 20.61.10.2`);
    expectVerdict(r, 'fail');
    expect(r.summary).toContain(`--subscription ${IDS.subscription} --ip-address 20.61.10.2`);
  });
});

describe('images', () => {
  test('a Windows Server 2022 image and a Windows2019 pool: fail, naming the pool and the build it needs', async () => {
    const pools = fake.world.clusters[0]!.properties.agentPoolProfiles;
    pools.push({ ...pools[0], name: 'win19', mode: 'User', osType: 'Windows', osSKU: 'Windows2019', vmSize: 'Standard_D4s_v3' });
    const ref = `${LOGIN}/team/win:ltsc2022`;
    const r = await run({ images: ref });
    const image = check(r, 'image', { image: ref });
    expect(image.status).toBe('fail');
    expect(image.detail).toContain('Node pool win19 of aks1 runs windows/amd64 (build 10.0.17763) on Standard_D4s_v3');
    expect(image.detail).toContain('process isolation needs an image for Windows build 10.0.17763');
    expect(image.detail).toContain('windows/amd64 (10.0.20348.2655)');
    const win = image.evidence?.pools.find((p: { pool: string }) => p.pool === 'win19');
    expect(win).toMatchObject({ os: 'windows', osVersion: '10.0.17763', status: 'fail', runs: [] });
    expectVerdict(r, 'fail');
  });

  test('Docker Hub (anonymous pulls): pass, with auth anonymous', async () => {
    const r = await run({ images: IMAGES.nginx });
    const image = check(r, 'image', { image: IMAGES.nginx });
    expect(image.status).toBe('pass');
    expect(image.evidence?.auth).toBe('anonymous');
    expect(image.evidence?.registryHost).toBe('registry-1.docker.io');
    expect(r.labRequests.some((q) => q.host === 'auth.docker.io' && q.path === '/token')).toBe(true);
    expectVerdict(r, 'pass');
  });

  test('a registry that needs credentials: warn, the cluster needs an imagePullSecret', async () => {
    const ref = `${BASIC_HOST}/team/tool:1.0`;
    const r = await run({ images: ref });
    const image = check(r, 'image', { image: ref });
    expect(image.status).toBe('warn');
    expect(image.title).toBe(`${BASIC_HOST} needs credentials for ${ref}`);
    expect(image.detail).toContain(`the cluster needs an imagePullSecret for ${BASIC_HOST}`);
    expect(image.fix).toContain(`kubectl create secret docker-registry <secret-name> --docker-server=${BASIC_HOST}`);
    // the runner asked for a token without credentials, and got none
    expect(r.labRequests.filter((q) => q.host === BASIC_HOST && q.path === '/token').map((q) => [q.authorization, q.status])).toEqual([['none', 401]]);
    expectVerdict(r, 'warn');
  });

  test('a missing repository and a missing tag fail with different titles', async () => {
    const noRepo = `${LOGIN}/team/nope:1.0`;
    const noTag = `${LOGIN}/team/app:9.9`;
    const r = await run({ images: `${noRepo}\n${noTag}` });
    const repo = check(r, 'image', { image: noRepo });
    const tag = check(r, 'image', { image: noTag });
    expect(repo.status).toBe('fail');
    expect(tag.status).toBe('fail');
    expect(repo.title).toBe('Repository team/nope not found');
    expect(tag.title).toBe(`Tag of ${noTag} not found`);
    expect(repo.title).not.toBe(tag.title);
    expect(repo.fix).toBe('az acr repository list --name myacr -o table');
    expect(tag.fix).toBe('az acr repository show-tags --name myacr --repository team/app -o table');
    expect(tag.evidence?.tags).toEqual(expect.arrayContaining(['1.0', 'pinned']));
    expectVerdict(r, 'fail');
  });

  test('an ACR that refuses the signed-in identity (not the kubelet): unknown, never a pass', async () => {
    const ref = `${LOCKED}.azurecr.io/team/app:1.0`;
    const r = await run({ registry: LOCKED, images: ref });
    // the kubelet may pull: RBAC says so
    expect(check(r, 'pull-permission', { registry: LOCKED }).status).toBe('pass');
    const image = check(r, 'image', { image: ref });
    expect(image.status).toBe('unknown');
    expect(image.title).toBe(`${ref} could not be verified: the signed-in identity may not pull from ${LOCKED}`);
    expect(image.detail).toContain("That is the runner's identity, not the kubelet's");
    expect(image.evidence?.lookup).toMatchObject({ kind: 'denied', status: 401 });
    expect(image.fix).toContain('--role AcrPull');
    const tokens = r.labRequests.filter((q) => q.host === `${LOCKED}.azurecr.io` && q.path.startsWith('/oauth2/'));
    expect(tokens.map((q) => `${q.path} ${q.status}`)).toEqual(['/oauth2/exchange 200', '/oauth2/token 401']);
    expect(r.outputs.result).not.toBe('pass');
    expectVerdict(r, 'fail');
  });

  test('a digest reference: pass', async () => {
    expect(pinnedDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const ref = `${LOGIN}/team/app@${pinnedDigest}`;
    const r = await run({ images: ref });
    const image = check(r, 'image', { image: ref });
    expect(image.status).toBe('pass');
    expect(image.evidence?.lookup).toMatchObject({ kind: 'found', digest: pinnedDigest, index: true });
    expect(r.labRequests.some((q) => q.path === `/v2/team/app/manifests/${pinnedDigest}` && q.status === 200)).toBe(true);
    expectVerdict(r, 'pass');
  });
});

describe('concurrency', () => {
  test("the runner's probes overlap the RBAC reads", async () => {
    fake.latencyMs = 100;
    try {
      const r = await run({ images: `${IMAGES.app}\n${IMAGES.nginx}` });
      expectVerdict(r, 'pass');
      expect(r.labRequests.length).toBeGreaterThan(0);
      const firstLab = Math.min(...r.labRequests.map((q) => q.at));
      const arm = fake.requests.filter((q) => q.path.startsWith('/subscriptions'));
      const rbac = arm.filter((q) => /\/providers\/Microsoft\.Authorization\/(roleAssignments|denyAssignments)$/i.test(q.path));
      expect(rbac.length).toBeGreaterThan(0);
      const lastArmEnd = Math.max(...arm.map((q) => q.endedAt));
      const lastRbacEnd = Math.max(...rbac.map((q) => q.endedAt));
      expect(firstLab).toBeLessThan(lastArmEnd);
      expect(firstLab).toBeLessThan(lastRbacEnd);
    } finally {
      fake.latencyMs = 0;
    }
  });
});

describe('registry retries: one failure does not turn a green run red', () => {
  const manifest = /^\/v2\/team\/app\/manifests\/1\.0$/;
  const v2 = /^\/v2\/$/;
  test.each<[string, RegExp, { status?: number; reset?: boolean; headers?: Record<string, string> }, number]>([
    ['a 500 from /oauth2/exchange', /^\/oauth2\/exchange$/, { status: 500 }, 200],
    ['a 500 from /oauth2/token', /^\/oauth2\/token$/, { status: 500 }, 200],
    ['a 500 from the manifest', manifest, { status: 500 }, 200],
    ['a 429 from /v2/', v2, { status: 429, headers: { 'Retry-After': '1' } }, 401],
    ['a 500 from /v2/', v2, { status: 500 }, 401],
    ['a 503 from /v2/', v2, { status: 503 }, 401],
    ['a reset from /v2/', v2, { reset: true }, 401],
  ])('%s', async (_name, path, fault, then) => {
    lab.fault(LOGIN, { path, ...fault, times: 1 });
    const r = await run({ images: IMAGES.app });
    expect(check(r, 'registry-endpoint').status).toBe('pass');
    expect(check(r, 'image', { image: IMAGES.app }).status).toBe('pass');
    const hits = r.labRequests.filter((q) => q.host === LOGIN && path.test(q.path));
    expect(hits.map((q) => q.status)).toEqual([fault.status ?? 0, then]);
    expectVerdict(r, 'pass');
  });
});

describe('a stall that ends in a hang-up', () => {
  test("an ARM read that stalls past the run's budget and hangs up: the report is written, the runner's probe is unknown, nothing crashes", async () => {
    const w = world();
    const reg = w.registries.find((x) => x.name === IDS.registry)!;
    reg.sku = { name: 'Premium', tier: 'Premium' };
    reg.properties.dataEndpointEnabled = true;
    fake.reset(w);
    // a Premium registry's data endpoints come with its replications: that read stalls, then the connection is cut
    fake.addFault({ path: /\/replications$/i, delayMs: 4000, reset: true });
    const r = await run({ timeout: '2' });
    expect(r.stderr).not.toMatch(/Unhandled|socket hang up/);
    expect(r.report).toBeDefined();
    const endpoint = check(r, 'registry-endpoint');
    expect(endpoint.status).toBe('unknown');
    expect(endpoint.detail).toContain("the run's time budget ran out");
    expect(v2Requests(r)).toHaveLength(0);
    expectVerdict(r, 'fail');
  });

  test('a registry that stalls on every manifest request, then hangs up: unknown after two retries, and the report is written', async () => {
    lab.fault(LOGIN, { path: /^\/v2\/team\/app\/manifests\//, delayMs: 300, reset: true });
    const r = await run({ images: IMAGES.app });
    expect(r.stderr).not.toMatch(/Unhandled|socket hang up/);
    const image = check(r, 'image', { image: IMAGES.app });
    expect(image.status).toBe('unknown');
    expect(image.title).toBe(`${IMAGES.app} could not be looked up`);
    expect(image.detail).toContain('after 3 attempts');
    expect(image.detail).toMatch(/ECONNRESET/);
    expect(r.labRequests.filter((q) => q.path === '/v2/team/app/manifests/1.0')).toHaveLength(3);
    expectVerdict(r, 'fail');
  });
});

describe("the runner's proxy", () => {
  const proxyEnv = () => ({ HTTPS_PROXY: proxy.url(PROXY_CREDENTIALS) });
  const shown = () => `http://127.0.0.1:${proxy.port}`;
  const registryConnects = () => proxy.connects.filter((c) => c.target.endsWith('.azurecr.io:443'));

  test('HTTPS_PROXY: the probes CONNECT through it to the registry host:443, with TLS verified, and say so', async () => {
    const r = await run({ images: IMAGES.app }, proxyEnv());
    expect(registryConnects().map((c) => [c.target, c.status])).toContainEqual([`${LOGIN}:443`, 200]);
    expect(registryConnects().every((c) => c.proxyAuthorization?.startsWith('Basic '))).toBe(true);
    const endpoint = check(r, 'registry-endpoint');
    expect(endpoint.status).toBe('pass');
    expect(endpoint.detail).toContain(`GET https://${LOGIN}/v2/ through proxy ${shown()} answered 401`);
    expect(endpoint.evidence?.proxy).toBe(shown());
    expect(endpoint.evidence?.address).toBeUndefined();
    const image = check(r, 'image', { image: IMAGES.app });
    expect(image.status).toBe('pass');
    expect(image.notes).toContain(`${LOGIN} was reached through proxy ${shown()}.`);
    // the front saw the requests that went through the tunnel
    expect(v2Requests(r)).toHaveLength(1);
    expect(visibleOutput(r)).not.toContain(PROXY_CREDENTIALS.password);
    expectVerdict(r, 'pass');
  });

  test("through a proxy, the registry's name is the proxy's to resolve", async () => {
    lab.dns.remove(LOGIN);
    const r = await run({ images: IMAGES.app }, proxyEnv());
    expect(registryConnects().map((c) => c.target)).toContain(`${LOGIN}:443`);
    expect(check(r, 'registry-endpoint').status).toBe('pass');
    expect(check(r, 'image', { image: IMAGES.app }).status).toBe('pass');
  });

  test.each([['NO_PROXY', '.azurecr.io'], ['no_proxy', 'example.com, myacr.azurecr.io']])('%s=%s: the registry is reached directly', async (name, value) => {
    const r = await run({ images: IMAGES.app }, { ...proxyEnv(), [name]: value });
    expect(registryConnects().map((c) => c.target)).not.toContain(`${LOGIN}:443`);
    const endpoint = check(r, 'registry-endpoint');
    expect(endpoint.status).toBe('pass');
    expect(endpoint.detail).toContain(`GET https://${LOGIN}/v2/ at ${lab.address} answered 401`);
    expect(endpoint.detail).not.toContain('proxy');
    expect(check(r, 'image', { image: IMAGES.app }).status).toBe('pass');
    expectVerdict(r, 'pass');
  });
});

describe('anonymous pull on ACR', () => {
  test.each([
    [ANON, '/oauth2/token 401'],
    [ANON_EMPTY, '/oauth2/token 200'],
  ])("%s refuses the signed-in identity (%s): the image is looked at anonymously and passes", async (name, identityToken) => {
    const host = `${name}.azurecr.io`;
    const ref = `${host}/team/app:1.0`;
    const r = await run({ registry: name, images: ref });
    const image = check(r, 'image', { image: ref });
    expect(image.status).toBe('pass');
    expect(image.evidence?.auth).toBe('anonymous');
    const seen = r.labRequests.filter((q) => q.host === host && (q.path.startsWith('/oauth2/') || q.path.includes('/manifests/')));
    const identity = seen.filter((q) => q.authorization !== 'none' || q.method === 'POST').map((q) => `${q.method} ${q.path} ${q.status}`);
    expect(identity).toContain('POST /oauth2/exchange 200');
    expect(identity).toContain(`POST ${identityToken}`);
    // then without credentials: ACR applies anonymous pull only to those
    expect(seen.filter((q) => q.authorization === 'none' && q.method === 'GET' && q.path === '/oauth2/token').map((q) => q.status)).toEqual([200]);
    expect(seen.some((q) => q.path === '/v2/team/app/manifests/1.0' && q.status === 200)).toBe(true);
    expect(check(r, 'pull-permission', { registry: name }).status).toBe('pass');
    expectVerdict(r, 'pass');
  });
});

describe('malformed answers', () => {
  test('a token endpoint answering 200 with no JSON: unknown, described as malformed', async () => {
    lab.fault(LOGIN, { path: /^\/oauth2\/token$/, status: 200, body: '<html>login</html>' });
    const r = await run({ images: IMAGES.app });
    const image = check(r, 'image', { image: IMAGES.app });
    expect(image.status).toBe('unknown');
    expect(image.title).toBe(`${IMAGES.app} could not be verified: malformed answer from ${LOGIN}`);
    expect(image.detail).toContain('HTTP 200, but the answer is not JSON');
    expect(image.detail).not.toContain('could not be reached');
    expect(image.evidence?.lookup.kind).toBe('malformed');
  });

  test('a manifest that is not JSON: unknown, described as malformed', async () => {
    lab.fault(LOGIN, { path: /^\/v2\/team\/app\/manifests\//, status: 200, body: 'not a manifest' });
    const r = await run({ images: IMAGES.app });
    const image = check(r, 'image', { image: IMAGES.app });
    expect(image.status).toBe('unknown');
    expect(image.detail).toContain('but the manifest is not JSON');
    expect(image.detail).not.toContain('could not be reached');
  });

  test('a /v2/ challenge that cannot be parsed: described as malformed, on the endpoint and on an anonymous lookup', async () => {
    lab.fault(LOGIN, { path: /^\/v2\/$/, status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
    lab.fault('registry-1.docker.io', { path: /^\/v2\/$/, status: 401, headers: { 'WWW-Authenticate': 'Bearer service="registry.docker.io"' } });
    const r = await run({ images: IMAGES.nginx });
    const endpoint = check(r, 'registry-endpoint');
    expect(endpoint.status).toBe('fail');
    expect(endpoint.title).toBe(`https://${LOGIN}/v2/ sends a malformed challenge`);
    expect(endpoint.detail).toContain('it names no realm and service');
    const image = check(r, 'image', { image: IMAGES.nginx });
    expect(image.status).toBe('unknown');
    expect(image.evidence?.lookup.kind).toBe('malformed');
    expect(image.detail).toContain('a Bearer challenge that cannot be used: it names no realm');
    expect(image.detail).not.toContain('could not be reached');
  });
});

describe('output safety', () => {
  test('no token or secret appears in stdout, stderr, outputs, summary or report of any run', () => {
    expect(runs.length).toBeGreaterThan(15);
    const secrets = [...fake.issuedTokens, ...lab.issuedTokens, ...Object.values(SECRETS), PROXY_CREDENTIALS.password];
    expect(fake.issuedTokens.length).toBeGreaterThan(0);
    expect(lab.issuedTokens.length).toBeGreaterThan(0);
    for (const r of runs) {
      const seen = visibleOutput(r);
      for (const s of secrets) expect(seen.includes(s)).toBe(false);
    }
    const masked = new Set(runs.flatMap((r) => r.secrets));
    expect([...masked].every((m) => fake.issuedTokens.includes(m) || lab.issuedTokens.includes(m))).toBe(true);
    expect(lab.issuedTokens.some((t) => masked.has(t))).toBe(true);
  });
});
