// Where the runner's probes go, end to end (the bundled action as a child process): names resolve as
// the runner's OS resolves them (a name only /etc/hosts knows, in a private mount namespace with its own
// /etc/hosts and /etc/resolv.conf, never the machine's), registries on a port of their own, and IPv4 and
// IPv6 literals: that port is probed, and DNS is only ever asked about the host name.
import { randomInt } from 'node:crypto';
import { standardWorld } from '../fake-azure/fixtures.js';
import { startFakeAzure, type FakeAzure } from '../fake-azure/server.js';
import { runAction, type ActionRun } from '../harness/run-action.js';
import { IMAGES, oidcRun, resetLab, startLab } from '../harness/scenarios.js';
import type { HostSpec, LabRequest, RegistryLab } from '../registry-lab/index.js';

const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null') as { cert: string; key: string } | null;
if (!certs || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');
const registryCerts = JSON.parse(process.env.PREFLIGHT_REGISTRY_CERTS ?? 'null');
if (!registryCerts) throw new Error('run the tests with `npm test` (it makes the registry certificates)');

const LOGIN = 'myacr.azurecr.io';
/** a third-party registry on a port of its own */
const PORTED = 'registry.example.com';
const PORT = 5000;
const IPV6 = '[::1]';
const IPV4 = '127.0.0.1';
const EXTRA_HOSTS: HostSpec[] = [PORTED, IPV6, IPV4].map((name) => ({ name, kind: 'acr', anonymousPull: true, port: PORT }));
const TOOL = 'team/tool:1.0';

let fake: FakeAzure;
let lab: RegistryLab;
/** where the lab's DNS also answers on port 53, for a resolv.conf */
const resolvAddress = `127.53.${randomInt(1, 255)}.${randomInt(1, 255)}`;

beforeAll(async () => {
  fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
  lab = await startLab(fake, registryCerts, EXTRA_HOSTS);
  await lab.dns.listen(resolvAddress, 53);
  const [repository = '', tag = ''] = TOOL.split(':');
  await Promise.all([PORTED, IPV6, IPV4].map((host) => lab.push(host, repository, tag, { platforms: [{ os: 'linux', architecture: 'amd64' }] })));
});
afterAll(async () => {
  await lab?.stop();
  await fake?.stop();
});
beforeEach(() => {
  resetLab(lab);
  fake.reset(standardWorld());
});

interface Run extends ActionRun {
  labRequests: LabRequest[];
  dnsNames: string[];
}

/** One run, resolving through the lab's DNS (the dns-servers input) unless `os`; `etc` replaces /etc files for it (see runAction). */
async function run(inputs: Record<string, string>, { etc, os = false }: { etc?: Record<string, string>; os?: boolean } = {}): Promise<Run> {
  const base = oidcRun(fake.url, os ? undefined : lab);
  const labFrom = lab.requests.length;
  const dnsFrom = lab.dns.queries.length;
  const r = await runAction({ inputs: { ...base.inputs, ...inputs }, env: base.env, ...(etc && { etc }) });
  return { ...r, labRequests: lab.requests.slice(labFrom), dnsNames: lab.dns.queries.slice(dnsFrom).map((q) => q.name) };
}

function check(r: ActionRun, id: string, about: { image?: string } = {}) {
  const found = (r.report?.checks ?? []).filter((c: { id: string; image?: string }) => c.id === id && (about.image === undefined || c.image === about.image));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('the runner resolves names as its OS does', () => {
  /** A runner whose /etc/hosts names the login server and the ported registry, and whose DNS (the lab's, on port 53) does not. */
  function hostsOnlyRunner(): Record<string, string> {
    lab.dns.remove(LOGIN);
    lab.dns.remove(PORTED);
    return {
      hosts: `127.0.0.1 localhost\n::1 localhost\n${lab.address} ${LOGIN}\n${lab.address} ${PORTED}\n`,
      'resolv.conf': `nameserver ${resolvAddress}\n`,
    };
  }

  test('a name only /etc/hosts knows resolves: registry-dns passes, and every probe goes to that address', async () => {
    const etc = hostsOnlyRunner();
    const tool = `${PORTED}:${PORT}/${TOOL}`;
    const r = await run({ images: [IMAGES.app, IMAGES.nginx, tool].join('\n') }, { etc, os: true });
    expect(r.stderr).toBe("");
    expect(r.outputs.result).toBe('pass');
    expect(r.status).toBe(0);

    const dns = check(r, 'registry-dns');
    expect(dns.status).toBe('pass');
    expect(dns.detail).toContain('getaddrinfo on the runner');
    expect(dns.detail).toContain(`${LOGIN} → ${lab.address} (private) (not from DNS, which says ENOTFOUND)`);
    expect(dns.notes).toEqual([expect.stringContaining(`${LOGIN} resolves on the runner to ${lab.address} outside DNS (an /etc/hosts entry`)]);
    expect(dns.evidence.names[0]).toMatchObject({ host: LOGIN, resolver: 'os', addresses: [lab.address], cnames: [], outsideDns: true, dns: { addresses: [], agrees: false, error: { code: 'ENOTFOUND' } } });
    // c-ares did ask the DNS server of resolv.conf, which does not know the name
    expect(r.dnsNames).toContain(LOGIN);
    expect(lab.dns.get(LOGIN)).toBeUndefined();

    expect(check(r, 'registry-endpoint').status).toBe('pass');
    expect(check(r, 'registry-endpoint').evidence.address).toBe(lab.address);
    // the image on the ported host, also only in /etc/hosts, was probed on its port
    expect(check(r, 'image', { image: tool }).status).toBe('pass');
    expect(r.labRequests.filter((q) => q.host === PORTED && q.path === '/v2/').map((q) => q.port)).toEqual([PORT]);
    // Docker Hub is not in /etc/hosts: getaddrinfo asked DNS, which agrees
    expect(check(r, 'image', { image: IMAGES.nginx }).status).toBe('pass');
    expect(r.dnsNames).toContain('registry-1.docker.io');
    expect(check(r, 'image', { image: IMAGES.app }).status).toBe('pass');
  });

  test('a name in /etc/hosts does not wait on a DNS server that never answers', async () => {
    const etc = hostsOnlyRunner();
    lab.dns.drop(LOGIN);
    const r = await run({}, { etc, os: true });
    const dns = check(r, 'registry-dns');
    expect(dns.status).toBe('pass');
    expect(dns.detail).toContain('not from DNS, which says ETIMEOUT');
    const login = dns.evidence.names[0];
    expect(login).toMatchObject({ resolver: 'os', addresses: [lab.address], dns: { error: { code: 'ETIMEOUT' } } });
    expect(login.elapsedMs).toBeLessThan(2_000);
    expect(check(r, 'registry-endpoint').status).toBe('pass');
  });

  test('with dns-servers, those servers alone answer: the same name does not resolve', async () => {
    const etc = hostsOnlyRunner();
    const r = await run({}, { etc });
    const dns = check(r, 'registry-dns');
    expect(dns.status).toBe('fail');
    expect(dns.detail).toContain(`The login server ${LOGIN} does not resolve (ENOTFOUND from DNS servers ${lab.dnsServer})`);
    expect(dns.evidence.names[0]).toMatchObject({ resolver: 'dns-servers' });
    expect(check(r, 'registry-endpoint').status).toBe('skip');
  });

  test('a name neither /etc/hosts nor DNS knows does not resolve, as getaddrinfo says', async () => {
    lab.dns.remove(LOGIN);
    const r = await run({}, { etc: { hosts: '127.0.0.1 localhost\n', 'resolv.conf': `nameserver ${resolvAddress}\n` }, os: true });
    const dns = check(r, 'registry-dns');
    expect(dns.status).toBe('fail');
    expect(dns.detail).toContain(`The login server ${LOGIN} does not resolve (ENOTFOUND from getaddrinfo on the runner)`);
  });
});

describe('registries on a port of their own, and IP literals', () => {
  test.each([
    ['a host name with a port', `${PORTED}:${PORT}`, PORTED],
    ['an IPv6 literal with a port', `${IPV6}:${PORT}`, IPV6],
    ['an IPv4 literal with a port', `${IPV4}:${PORT}`, IPV4],
  ])('%s: that port is probed, DNS hears only the host name', async (_name, host, labHost) => {
    const image = `${host}/${TOOL}`;
    const r = await run({ images: image });
    const finding = check(r, 'image', { image });
    expect(finding.status).toBe('pass');
    expect(finding.evidence.registryHost).toBe(host);
    const requests = r.labRequests.filter((q) => q.host === labHost);
    expect(requests.map((q) => q.path)).toEqual(expect.arrayContaining(['/v2/', '/oauth2/token', '/v2/team/tool/manifests/1.0']));
    expect(new Set(requests.map((q) => q.port))).toEqual(new Set([PORT]));
    expect(r.dnsNames.filter((n) => n.includes(':'))).toEqual([]);
    if (labHost === PORTED) expect(r.dnsNames).toContain(PORTED);
    else expect(r.dnsNames.filter((n) => n.includes(labHost.replace(/[[\]]/g, '')))).toEqual([]);
  });
});
