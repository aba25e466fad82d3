// The hard edges of the ARM side, end to end: the bundled action (dist/index.js) run as a child process
// against the fake Azure with faults in the transport. Listings whose nextLink repeats or never ends,
// a registry list that stalls until the time budget runs out, answers that are not JSON or not the
// expected shape, a node VNet that cannot be read, and a cluster that pulls through an HTTP proxy.
import { readFileSync } from 'node:fs';
import { startFakeAzure, type FakeAzure } from '../fake-azure/server.js';
import { IDS, publicIPPrefix, standardWorld, withFirewall, withPrivateRegistry, type World } from '../fake-azure/fixtures.js';
import { runAction, visibleOutput, type ActionRun } from '../harness/run-action.js';
import { IMAGES, environmentRun, startLab } from '../harness/scenarios.js';
import type { RegistryLab } from '../registry-lab/index.js';

const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null') as { cert: string; key: string } | null;
if (!certs || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');
const registryCerts = JSON.parse(process.env.PREFLIGHT_REGISTRY_CERTS ?? 'null');
if (!registryCerts) throw new Error('run the tests with `npm test` (it makes the registry certificates)');

type Ctx = { baseUrl: string; path: string; rawQuery: string; param: (name: string) => string | undefined };
type Check = { id: string; status: string; title: string; detail: string; notes?: string[]; fix?: string; evidence?: Record<string, unknown> };

const REGISTRY_LIST = `/subscriptions/${IDS.subscription}/providers/Microsoft.ContainerRegistry/registries`;
const ROLE_ASSIGNMENTS = /\/providers\/Microsoft\.Authorization\/roleAssignments$/i;
const NODE_VNETS = `/subscriptions/${IDS.subscription}/resourceGroups/${IDS.nodeResourceGroup}/providers/Microsoft.Network/virtualNetworks`;

let fake: FakeAzure;
beforeAll(async () => {
  fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
});
afterAll(() => fake?.stop());
beforeEach(() => fake.reset(standardWorld()));

async function run(inputs: Record<string, string> = {}): Promise<ActionRun> {
  const base = environmentRun(fake.url);
  // no registry lab here: the runner's DNS probes ask a closed port and fail fast
  return runAction({ inputs: { ...base.inputs, 'dns-servers': '127.0.0.1:9', 'connect-timeout': '1', ...inputs }, env: base.env });
}

const check = (r: ActionRun, id: string): Check => r.report.checks.find((c: Check) => c.id === id);
const world = (change: (w: World) => void) => {
  const w = standardWorld();
  change(w);
  fake.reset(w);
};
/** the same page again: a nextLink that points at itself */
const selfLink = (ctx: Ctx) => ({ value: [], nextLink: `${ctx.baseUrl}${ctx.path}?${ctx.rawQuery}` });
/** a new link every time: $skipToken counts up for ever */
const endless = (ctx: Ctx) => {
  const n = Number(ctx.param('$skipToken') ?? 0) + 1;
  const kept = ctx.rawQuery.split('&').filter((p) => p && !/^(\$|%24)skiptoken=/i.test(p));
  return { value: [], nextLink: `${ctx.baseUrl}${ctx.path}?${[...kept, `$skipToken=${n}`].join('&')}` };
};

describe('paging that never ends', () => {
  test('a registry listing whose nextLink repeats stops at once: the registry is unknown, saying the listing did not end', async () => {
    fake.addFault({ path: REGISTRY_LIST, status: 200, body: selfLink });
    const r = await run({ timeout: '60' });
    const registry = check(r, 'registry');
    expect(registry.status).toBe('unknown');
    expect(registry.detail).toContain(`listing registries in subscription ${IDS.subscription}`);
    expect(registry.detail).toMatch(/did not end: page 2 repeated the next-page link of page 1/);
    expect(r.report.result).toBe('fail');
    expect(r.durationMs).toBeLessThan(30_000);
    expect(fake.requests.filter((q) => q.path === REGISTRY_LIST).length).toBeLessThan(5);
  });

  test('a managed-VNet listing that never ends stops at the page cap: a private registry is unknown, naming the listing', async () => {
    // whether the privatelink zone is linked to the nodes' VNet is what the verdict depends on
    world((w) => withPrivateRegistry(w, { registryName: IDS.registry }));
    fake.addFault({ path: NODE_VNETS, status: 200, body: endless });
    const r = await run({ timeout: '60' });
    const net = check(r, 'registry-network');
    expect(net.status).toBe('unknown');
    expect(net.detail).toContain(`listing the managed virtual network in node resource group ${IDS.nodeResourceGroup}`);
    expect(net.detail).toMatch(/did not end after 1000 pages/);
    expect(fake.requests.filter((q) => q.path === NODE_VNETS).length).toBe(1000);
  });

  test('a cache-rule listing that loops ends the run: a note says the listing did not end', async () => {
    fake.addFault({ path: `${IDS.registryId}/cacheRules`, status: 200, body: selfLink });
    const r = await run({ timeout: '60', images: 'myacr.azurecr.io/hub/nginx:1' });
    const net = check(r, 'registry-network');
    expect(net.notes?.join(' ')).toMatch(/Cache rules of myacr could not be read: listing cache rules of registry myacr failed: the listing did not end: page 2 repeated/);
    expect(r.durationMs).toBeLessThan(30_000);
  });

  test('a role-assignment listing that loops is not blamed on a slow Azure', async () => {
    fake.addFault({ path: ROLE_ASSIGNMENTS, status: 200, body: selfLink });
    const r = await run({ timeout: '60' });
    const pull = check(r, 'pull-permission');
    expect(pull.status).toBe('unknown');
    expect(pull.detail).toMatch(/did not end: page 2 repeated the next-page link of page 1/);
    expect(pull.detail).not.toMatch(/time budget|timeout/);
  });
});

describe('a stall that used to crash', () => {
  let lab: RegistryLab;
  beforeAll(async () => {
    lab = await startLab(fake, registryCerts);
  });
  afterAll(() => lab?.stop());

  test('a registry list that never answers while an image is looked up: no crash, the report is on disk', async () => {
    // The image's token exchange starts at once, alongside the registry list; the budget runs out while
    // the list stalls, and the image's next request used to be made, destroyed and left without an error
    // listener (Unhandled 'error' event: socket hang up).
    fake.addFault({ path: REGISTRY_LIST, stall: true });
    const base = environmentRun(fake.url, lab);
    const r = await runAction({ inputs: { ...base.inputs, timeout: '3', images: IMAGES.app }, env: base.env });
    expect(r.stderr).not.toMatch(/Unhandled|socket hang up/);
    expect(r.report).toBeDefined();
    const registry = check(r, 'registry');
    expect(registry.status).toBe('unknown');
    expect(registry.detail).toMatch(/time budget ran out/);
    expect(r.outputs.result).toBe('fail');
    expect(r.status).toBe(1);
    expect(r.durationMs).toBeLessThan(20_000);
  });
});

describe('malformed answers', () => {
  test('200 with a body that is not JSON: the cluster read says the answer was malformed', async () => {
    fake.addFault({ path: /\/managedClusters\/aks1$/i, status: 200, body: '{"id": "/subscriptions/', headers: { 'Content-Type': 'application/json' } });
    const r = await run();
    const cluster = check(r, 'cluster');
    expect(cluster.status).toBe('unknown');
    expect(cluster.detail).toMatch(/malformed/);
    expect(cluster.detail).not.toMatch(/could not be reached|ECONN|socket/);
  });

  test('200 with JSON of another shape: the cluster read says the answer was malformed', async () => {
    fake.addFault({ path: /\/managedClusters\/aks1$/i, status: 200, body: { value: [] } });
    const r = await run();
    const cluster = check(r, 'cluster');
    expect(cluster.status).toBe('unknown');
    expect(cluster.detail).toMatch(/malformed \(expected a managed cluster with a resource id/);
  });

  test('200 with a listing that has no value array: the registry listing says the answer was malformed', async () => {
    fake.addFault({ path: REGISTRY_LIST, status: 200, body: { registries: [] } });
    const r = await run();
    const registry = check(r, 'registry');
    expect(registry.status).toBe('unknown');
    expect(registry.detail).toMatch(/malformed/);
    expect(registry.detail).toContain(`listing registries in subscription ${IDS.subscription}`);
  });
});

describe('silent drops', () => {
  test('a node VNet that cannot be read is a note naming the permission, not a silent pass', async () => {
    fake.addFault({ path: NODE_VNETS, status: 403 });
    const r = await run();
    const net = check(r, 'registry-network');
    expect(net.status).toBe('pass');
    expect(net.notes?.join(' ')).toContain(`listing the managed virtual network in node resource group ${IDS.nodeResourceGroup} failed (403 AuthorizationFailed)`);
    expect(net.notes?.join(' ')).toContain('Microsoft.Network/');
  });
});

describe("the cluster's HTTP proxy (official shape)", () => {
  const example = JSON.parse(readFileSync(new URL('../fake-azure/arm-examples/containerservice/2026-02-01/ManagedClustersCreate_HTTPProxy.json', import.meta.url), 'utf8'));
  const proxyConfig = example.parameters.parameters.properties.httpProxyConfig;

  test('a firewalled registry: registry-network warns, naming the proxy and the hosts it must allow, never the credentials', async () => {
    world((w) => {
      withFirewall(w, { registryName: IDS.registry, ipRules: ['1.1.1.1'] });
      const cluster = w.clusters[0] as { properties: Record<string, unknown> };
      cluster.properties.httpProxyConfig = { ...proxyConfig, httpsProxy: 'https://ops:s3cr3t-proxy-pw@myproxy.example.com:8443/' };
    });
    const r = await run();
    const net = check(r, 'registry-network');
    expect(net.status).toBe('warn');
    expect(net.detail).toContain('https://myproxy.example.com:8443');
    expect(net.detail).toContain('myacr.azurecr.io, *.blob.core.windows.net');
    expect(net.detail).not.toMatch(/does not allow the egress address/);
    expect(r.summary).toContain('myproxy.example.com:8443');
    expect(visibleOutput(r)).not.toContain('s3cr3t-proxy-pw');
    expect(visibleOutput(r)).not.toContain('ops:');
    expect(visibleOutput(r)).not.toContain(proxyConfig.trustedCa);
  });

  test('the example as it is, on an open registry: a warning with the hosts, in the check, the annotation and the summary', async () => {
    world((w) => {
      (w.clusters[0] as { properties: Record<string, unknown> }).properties.httpProxyConfig = proxyConfig;
    });
    const r = await run();
    const net = check(r, 'registry-network');
    expect(net.status).toBe('warn');
    expect(net.detail).toContain('through the HTTP proxy https://myproxy.server.com:8080');
    expect(net.detail).toContain('noProxy (localhost, 127.0.0.1)');
    expect(net.evidence).toMatchObject({ proxy: { httpsProxy: 'https://myproxy.server.com:8080', proxiedHosts: ['myacr.azurecr.io', '*.blob.core.windows.net'] } });
    expect(r.commands.some((c) => c.command === 'warning' && c.message.includes('myproxy.server.com'))).toBe(true);
    expect(r.summary).toContain('pulls through the HTTP proxy <code>https://myproxy.server.com:8080</code>, which must allow: <code>myacr.azurecr.io</code>, <code>&#42;.blob.core.windows.net</code>');
  });

  test('every registry host in noProxy: the proxy is not used and the firewall is judged as usual', async () => {
    world((w) => {
      withFirewall(w, { registryName: IDS.registry, ipRules: [IDS.outboundIps[0] ?? ''] });
      (w.clusters[0] as { properties: Record<string, unknown> }).properties.httpProxyConfig = { ...proxyConfig, noProxy: ['.azurecr.io', '.blob.core.windows.net'] };
    });
    const r = await run();
    const net = check(r, 'registry-network');
    expect(net.status).toBe('fail');
    expect(net.detail).toContain(`does not allow the egress address ${IDS.outboundIps[1]}`);
    expect(net.detail).not.toContain('proxy');
  });
});

describe('a dual-stack cluster behind a registry firewall with IPv6 rules', () => {
  const V6_PREFIX = '2603:1020:200:10::/124';
  /** the cluster's load balancer also leaves from an IPv6 public IP prefix */
  const dualStack = (ipRules: string[]) =>
    world((w) => {
      withFirewall(w, { registryName: IDS.registry, ipRules });
      const prefix = publicIPPrefix({ subscriptionId: IDS.subscription, resourceGroup: IDS.nodeResourceGroup, name: 'mgdoutboundprefix6', ipPrefix: V6_PREFIX });
      (prefix.properties as Record<string, unknown>).publicIPAddressVersion = 'IPv6';
      w.resources.push(prefix);
      const cluster = w.clusters[0] as { properties: { networkProfile: { ipFamilies?: string[]; loadBalancerProfile: { effectiveOutboundIPs: { id: string }[] } } } };
      cluster.properties.networkProfile.ipFamilies = ['IPv4', 'IPv6'];
      cluster.properties.networkProfile.loadBalancerProfile.effectiveOutboundIPs.push({ id: String(prefix.id) });
    });

  test('the IPv6 prefix inside an IPv6 rule: open', async () => {
    dualStack([...IDS.outboundIps, '2603:1020:200::/48']);
    const net = check(await run(), 'registry-network');
    expect(net.status).toBe('pass');
    expect(net.detail).toContain(`every egress address of aks1 is inside an IP rule of the registry firewall`);
    expect(net.detail).toContain(`${V6_PREFIX} in 2603:1020:200::/48`);
  });

  test('the IPv6 prefix outside the IPv6 rules: blocked, with the rule to add', async () => {
    dualStack([...IDS.outboundIps, '2603:1030::/48']);
    const net = check(await run(), 'registry-network');
    expect(net.status).toBe('fail');
    expect(net.detail).toContain(`does not allow the egress address ${V6_PREFIX} of aks1`);
    expect(net.fix).toBe(`az acr network-rule add --name ${IDS.registry} --resource-group ${IDS.registryResourceGroup} --subscription ${IDS.subscription} --ip-address ${V6_PREFIX}`);
  });
});
