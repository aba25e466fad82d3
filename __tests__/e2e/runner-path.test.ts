// The runner's path, end to end: the bundled action (dist/index.js) run as a child process against the
// fake Azure and a registry lab of its own (real registries, a fake DNS server, TLS, firewall, faults,
// stalled and refused addresses). DNS (NXDOMAIN, SERVFAIL, timeouts, privatelink CNAME chains, data
// endpoints), TLS, connection timeouts and resets, the registry firewall seen from both paths, image
// lookups (Windows builds, Docker Hub, Basic-only registries, missing repositories and tags, a
// signed-in identity that may not pull, digests), the overlap of the runner's probes with the RBAC
// reads, and that no token ever reaches the output.
import { startFakeAzure, type FakeAzure } from '../fake-azure/server.js';
import { IDS, ROLE_IDS, SECRETS, registry, roleAssignment, standardWorld, withFirewall, withPrivateRegistry, type World } from '../fake-azure/fixtures.js';
import { runAction, visibleOutput, type ActionRun } from '../harness/run-action.js';
import { IMAGES, RUNNER_IP, oidcRun, resetLab, startLab } from '../harness/scenarios.js';
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

const EXTRA_HOSTS: HostSpec[] = [
  { name: `${BAD_TLS}.azurecr.io`, kind: 'acr', tls: 'untrusted' },
  { name: `${LOCKED}.azurecr.io`, kind: 'acr', pullers: [IDS.kubeletClientId] },
  { name: BASIC_HOST, kind: 'basic', users: { ci: 'pw' } },
];

let fake: FakeAzure;
let lab: RegistryLab;
/** the digest of myacr.azurecr.io/team/app:pinned, pushed in beforeAll */
let pinnedDigest = '';
const runs: ActionRun[] = [];

/** The standard world plus badtlsacr and lockedacr (next to myacr), each with AcrPull for the kubelet. */
function world(): World {
  const w = standardWorld();
  for (const name of [BAD_TLS, LOCKED]) {
    const r = registry({ subscriptionId: IDS.subscription, resourceGroup: IDS.registryResourceGroup, name, location: 'westeurope' });
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
  ]);
  pinnedDigest = pinned.digest;
});
afterAll(async () => {
  await lab?.stop();
  await fake?.stop();
});
beforeEach(() => {
  resetLab(lab);
  for (const name of [PRIVATELINK, DATA_HOST]) lab.dns.remove(name);
  fake.latencyMs = 0;
  fake.reset(world());
});

interface Run extends ActionRun {
  /** what the lab's front received during this run */
  labRequests: LabRequest[];
  /** the names the lab's DNS server was asked during this run */
  dnsNames: string[];
}

async function run(inputs: Record<string, string> = {}): Promise<Run> {
  const base = oidcRun(fake.url, lab);
  const labFrom = lab.requests.length;
  const dnsFrom = lab.dns.queries.length;
  const r = await runAction({ inputs: { ...base.inputs, ...inputs }, env: base.env });
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

  test('a connection reset on /v2/: unknown, and the probe does not retry it', async () => {
    lab.fault(LOGIN, { path: /^\/v2\/$/, reset: true });
    const r = await run();
    const endpoint = check(r, 'registry-endpoint');
    expect(endpoint.status).toBe('unknown');
    expect(endpoint.detail).toMatch(/ECONNRESET|socket hang up/);
    expect(v2Requests(r)).toHaveLength(1);
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

describe('output safety', () => {
  test('no token or secret appears in stdout, stderr, outputs, summary or report of any run', () => {
    expect(runs.length).toBeGreaterThan(15);
    const secrets = [...fake.issuedTokens, ...lab.issuedTokens, ...Object.values(SECRETS)];
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
