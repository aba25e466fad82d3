// The registry-dns judge on answers from the runner's OS resolver (getaddrinfo, no dns-servers input):
// a name the OS resolves is never "not resolving", whatever DNS asked directly says; the finding says who
// answered, and notes a name answered outside DNS (an /etc/hosts entry) since the cluster does not share it.
import { judgeRegistryDns } from '../../src/checks/registry-dns.js';
import type { DnsAnswer, RegistryFacts, Status } from '../../src/model.js';
import { registryFacts } from './facts.js';

const LOGIN = 'myacr.azurecr.io';
const DATA = 'myacr.westeurope.data.azurecr.io';
const PUBLIC = registryFacts({ sku: 'Premium', dataEndpointEnabled: true, dataEndpointHostNames: [DATA] });
const PRIVATE = registryFacts({ sku: 'Premium', dataEndpointEnabled: true, dataEndpointHostNames: [DATA], publicNetworkAccess: 'Disabled' });
const NXDOMAIN = { code: 'ENOTFOUND', message: 'queryCname ENOTFOUND' };

/** An answer of the OS's resolver, with what DNS asked directly said. */
function os(host: string, addresses: string[], dns: DnsAnswer['dns'], over: Partial<DnsAnswer> = {}): DnsAnswer {
  return { host, cnames: [], addresses, servers: 'system', elapsedMs: 3, resolver: 'os', ...(dns && { dns }), ...over };
}
const viaDns = (host: string, cnames: string[], addresses: string[]) => os(host, addresses, { addresses, agrees: true }, { cnames });
const hostsOnly = (host: string, addresses: string[], dnsError = NXDOMAIN) => os(host, addresses, { addresses: [], error: dnsError, agrees: false });
const osFailed = (host: string, code: string, dns: DnsAnswer['dns'] = { addresses: [], error: NXDOMAIN, agrees: false }) =>
  os(host, [], dns, { error: { code, message: `getaddrinfo ${code} ${host}` } });

interface Expectation {
  status: Status;
  title?: string;
  detail?: string[];
  notInDetail?: string[];
  /** strings the one note holds; [] for no notes */
  notes?: string[];
}

describe('registry-dns on the OS resolver’s answers', () => {
  test.each<[string, RegistryFacts, DnsAnswer[], Expectation]>([
    [
      'resolved through DNS: the chain is shown, getaddrinfo named, no note',
      PUBLIC,
      [viaDns(LOGIN, ['westeurope.cloudapp.azure.com'], ['20.61.98.4']), viaDns(DATA, [], ['20.61.98.70'])],
      { status: 'pass', title: 'myacr resolves from the runner', detail: ['getaddrinfo on the runner', `${LOGIN} → westeurope.cloudapp.azure.com → 20.61.98.4;`], notInDetail: ['not from DNS'], notes: [] },
    ],
    [
      'only /etc/hosts knows the names: pass, and a note for each',
      PUBLIC,
      [hostsOnly(LOGIN, ['10.20.30.40']), hostsOnly(DATA, ['10.20.30.41'])],
      {
        status: 'pass',
        detail: [`${LOGIN} → 10.20.30.40 (private) (not from DNS, which says ENOTFOUND)`, `${DATA} → 10.20.30.41 (private) (not from DNS, which says ENOTFOUND)`],
        notes: [`${LOGIN} resolves on the runner to 10.20.30.40 outside DNS (an /etc/hosts entry or another nsswitch source), while DNS asked directly says ENOTFOUND`, 'registry-network check'],
      },
    ],
    [
      'a hosts-file entry where DNS cannot be asked at all is still a pass',
      PUBLIC,
      [hostsOnly(LOGIN, ['10.20.30.40'], { code: 'ECONNREFUSED', message: 'queryCname ECONNREFUSED' })],
      { status: 'pass', detail: ['not from DNS, which says ECONNREFUSED'] },
    ],
    [
      'a hosts-file entry overriding public DNS: the OS’s address, DNS’s shown beside',
      PUBLIC,
      [os(LOGIN, ['10.1.0.5'], { addresses: ['20.61.98.4'], agrees: false })],
      { status: 'pass', detail: [`${LOGIN} → 10.1.0.5 (private) (not from DNS, which says 20.61.98.4)`], notes: ['while DNS asked directly says 20.61.98.4'] },
    ],
    [
      'a private registry the runner reaches through hosts-file entries: pass, privately',
      PRIVATE,
      [hostsOnly(LOGIN, ['10.1.0.5']), hostsOnly(DATA, ['10.1.0.6'])],
      { status: 'pass', detail: ['private endpoint address(es)'] },
    ],
    [
      'a private registry whose login server is in /etc/hosts and whose data endpoint is not',
      PRIVATE,
      [hostsOnly(LOGIN, ['10.1.0.5']), viaDns(DATA, [], ['20.61.98.70'])],
      { status: 'fail', title: `${DATA} does not resolve privately`, detail: ['resolves to public address(es) 20.61.98.70'] },
    ],
    [
      'the OS says no such name: fail, naming getaddrinfo',
      PUBLIC,
      [osFailed(LOGIN, 'ENOTFOUND')],
      { status: 'fail', title: `${LOGIN} does not resolve`, detail: [`The login server ${LOGIN} does not resolve (ENOTFOUND from getaddrinfo on the runner)`] },
    ],
    [
      'the OS could not ask: unknown, naming getaddrinfo',
      PUBLIC,
      [osFailed(LOGIN, 'EAI_AGAIN', { addresses: [], error: { code: 'ECONNREFUSED', message: 'x' }, agrees: false })],
      { status: 'unknown', title: 'DNS for myacr could not be verified', detail: [`${LOGIN} could not be resolved (EAI_AGAIN: getaddrinfo EAI_AGAIN ${LOGIN}) using getaddrinfo on the runner after 3 ms`] },
    ],
    [
      'the OS fails where DNS asked directly answers: the OS’s failure counts, DNS’s answer is shown',
      PUBLIC,
      [osFailed(LOGIN, 'ENOTFOUND', { addresses: ['20.61.98.4'], agrees: false })],
      { status: 'fail', detail: [`${LOGIN} → ENOTFOUND (DNS asked directly: 20.61.98.4)`] },
    ],
    [
      'behind the runner’s proxy, a name the runner’s DNS does not know is the proxy’s to resolve: pass, with a note',
      PUBLIC,
      [osFailed(LOGIN, 'ENOTFOUND', undefined), { ...osFailed(DATA, 'ENOTFOUND', undefined) }].map((a) => ({ ...a, proxy: 'http://proxy.corp:3128' })),
      { status: 'pass', title: "myacr is resolved by the runner's proxy", detail: ['goes through the proxy http://proxy.corp:3128'], notes: [`${LOGIN} does not resolve on the runner (ENOTFOUND`, 'through the proxy http://proxy.corp:3128'] },
    ],
    [
      'behind the proxy, some names resolve: pass, naming which the proxy resolves',
      PUBLIC,
      [{ ...viaDns(LOGIN, [], ['20.61.98.4']), proxy: 'http://proxy.corp:3128' }, { ...osFailed(DATA, 'ENOTFOUND', undefined), proxy: 'http://proxy.corp:3128' }],
      { status: 'pass', title: 'myacr resolves from the runner', detail: [`${LOGIN} resolve to public address(es)`, 'the proxy http://proxy.corp:3128 resolves the others'], notes: [DATA] },
    ],
    [
      'a name NO_PROXY sends direct still has to resolve on the runner',
      PUBLIC,
      [{ ...viaDns(LOGIN, [], ['20.61.98.4']), proxy: 'http://proxy.corp:3128' }, osFailed(DATA, 'ENOTFOUND', undefined)],
      { status: 'fail', detail: [`The data endpoint ${DATA} does not resolve`] },
    ],
  ])('%s', (_name, registry, answers, e) => {
    const f = judgeRegistryDns({ registry, answers, acrSuffix: 'azurecr.io' });
    expect(f).toMatchObject({ id: 'registry-dns', status: e.status, registry: 'myacr', path: 'runner' });
    if (e.title) expect(f.title).toBe(e.title);
    for (const word of e.detail ?? []) expect(f.detail).toContain(word);
    for (const word of e.notInDetail ?? []) expect(f.detail).not.toContain(word);
    if (e.notes?.length === 0) expect(f.notes).toBeUndefined();
    for (const word of e.notes ?? []) expect(f.notes?.[0]).toContain(word);
  });

  test('evidence says who answered and what DNS said', () => {
    const f = judgeRegistryDns({ registry: PUBLIC, answers: [hostsOnly(LOGIN, ['10.20.30.40'])], acrSuffix: 'azurecr.io' });
    expect(f.evidence?.['names']).toEqual([
      expect.objectContaining({ host: LOGIN, resolver: 'os', addresses: ['10.20.30.40'], cnames: [], outsideDns: true, dns: { addresses: [], error: NXDOMAIN, agrees: false }, outcome: 'resolved' }),
    ]);
  });
});
