// The runner's name resolution (src/registry/dns.ts): which resolver's answer counts, and what DNS asked
// directly adds. The pure choice is table-tested; SystemDnsResolver runs against the registry lab's real
// DNS server on 127.0.0.1 with the OS's lookup given as a function.
import { SystemDnsResolver, fromDnsServers, fromOs, type DnsChain, type OsLookup, type OsResult } from '../../src/registry/dns.js';
import type { DnsAnswer } from '../../src/model.js';
import { startFakeDns, type FakeDns } from '../registry-lab/dns-server.js';

const PRIVATELINK = ['myacr.privatelink.azurecr.io'];
const nxdomain = { code: 'ENOTFOUND', message: 'queryCname ENOTFOUND myacr.azurecr.io' };
const chain = (cnames: string[], addresses: string[], error?: { code: string; message: string }): DnsChain => ({ cnames, addresses, ...(error && { error }) });

describe('fromOs: the OS answers, DNS lends its CNAME chain when it agrees', () => {
  test.each<[string, OsResult, DnsChain, Omit<DnsAnswer, 'host' | 'servers' | 'elapsedMs'>]>([
    [
      'DNS gives the same address: its chain is the answer’s',
      { addresses: ['10.1.0.5'] },
      chain(PRIVATELINK, ['10.1.0.5']),
      { resolver: 'os', cnames: PRIVATELINK, addresses: ['10.1.0.5'], dns: { addresses: ['10.1.0.5'], agrees: true } },
    ],
    [
      'one address in common is agreement (the OS returns both families, DNS one)',
      { addresses: ['20.61.98.4', '2603:1020::4'] },
      chain(['westeurope.cloudapp.azure.com'], ['20.61.98.4']),
      { resolver: 'os', cnames: ['westeurope.cloudapp.azure.com'], addresses: ['20.61.98.4', '2603:1020::4'], dns: { addresses: ['20.61.98.4'], agrees: true } },
    ],
    [
      'only /etc/hosts knows the name: resolved, no chain, what DNS said kept',
      { addresses: ['10.20.30.40'] },
      chain([], [], nxdomain),
      { resolver: 'os', cnames: [], addresses: ['10.20.30.40'], dns: { addresses: [], agrees: false, error: nxdomain } },
    ],
    [
      '/etc/hosts overrides what DNS says: the OS’s addresses, and not DNS’s chain',
      { addresses: ['10.1.0.5'] },
      chain(PRIVATELINK, ['20.61.98.4']),
      { resolver: 'os', cnames: [], addresses: ['10.1.0.5'], dns: { addresses: ['20.61.98.4'], agrees: false } },
    ],
    [
      'the OS says no such name: that is the answer, whatever DNS said',
      { error: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND myacr.azurecr.io' } },
      chain([], [], nxdomain),
      { resolver: 'os', cnames: [], addresses: [], error: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND myacr.azurecr.io' }, dns: { addresses: [], agrees: false, error: nxdomain } },
    ],
    [
      'the OS could not ask (EAI_AGAIN): its code, not c-ares’s',
      { error: { code: 'EAI_AGAIN', message: 'getaddrinfo EAI_AGAIN myacr.azurecr.io' } },
      chain([], [], { code: 'ECONNREFUSED', message: 'queryCname ECONNREFUSED myacr.azurecr.io' }),
      {
        resolver: 'os',
        cnames: [],
        addresses: [],
        error: { code: 'EAI_AGAIN', message: 'getaddrinfo EAI_AGAIN myacr.azurecr.io' },
        dns: { addresses: [], agrees: false, error: { code: 'ECONNREFUSED', message: 'queryCname ECONNREFUSED myacr.azurecr.io' } },
      },
    ],
    [
      'the OS fails where DNS answers (nsswitch without dns): the OS’s failure, DNS’s addresses beside',
      { error: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND myacr.azurecr.io' } },
      chain([], ['20.61.98.4']),
      { resolver: 'os', cnames: [], addresses: [], error: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND myacr.azurecr.io' }, dns: { addresses: ['20.61.98.4'], agrees: false } },
    ],
    [
      'an empty list from the OS is no such name',
      { addresses: [] },
      chain([], ['20.61.98.4']),
      { resolver: 'os', cnames: [], addresses: [], error: { code: 'ENOTFOUND', message: 'getaddrinfo returned no address' }, dns: { addresses: ['20.61.98.4'], agrees: false } },
    ],
    [
      'an error without a code keeps its message',
      { error: { message: 'boom' } },
      chain([], ['20.61.98.4']),
      { resolver: 'os', cnames: [], addresses: [], error: { code: 'EUNKNOWN', message: 'boom' }, dns: { addresses: ['20.61.98.4'], agrees: false } },
    ],
  ])('%s', (_name, os, dns, expected) => {
    expect(fromOs(os, dns)).toEqual(expected);
  });
});

describe('fromDnsServers: the dns-servers input answers alone', () => {
  test.each<[string, DnsChain, Omit<DnsAnswer, 'host' | 'servers' | 'elapsedMs'>]>([
    ['resolved through a CNAME', chain(PRIVATELINK, ['10.1.0.5']), { resolver: 'dns-servers', cnames: PRIVATELINK, addresses: ['10.1.0.5'] }],
    ['a failure part-way keeps the hops so far', chain(PRIVATELINK, [], { code: 'ESERVFAIL', message: 'queryCname ESERVFAIL' }), { resolver: 'dns-servers', cnames: PRIVATELINK, addresses: [], error: { code: 'ESERVFAIL', message: 'queryCname ESERVFAIL' } }],
  ])('%s', (_name, dns, expected) => {
    expect(fromDnsServers(dns)).toEqual(expected);
  });
});

describe('SystemDnsResolver chooses the resolver', () => {
  let dns: FakeDns;
  beforeAll(async () => {
    dns = await startFakeDns();
  });
  afterAll(async () => {
    await dns?.stop();
  });
  beforeEach(() => {
    dns.set('myacr.azurecr.io', { cname: 'myacr.privatelink.azurecr.io' });
    dns.set('myacr.privatelink.azurecr.io', { a: ['10.1.0.5'] });
  });

  /** an OS lookup that answers from a table and records what it was asked */
  function osTable(table: Record<string, string[]>): OsLookup & { asked: string[] } {
    const asked: string[] = [];
    const lookup = async (host: string) => {
      asked.push(host);
      const addresses = table[host];
      if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return addresses;
    };
    return Object.assign(lookup, { asked });
  }

  test('with dns-servers: c-ares asks them, the OS is never asked', async () => {
    const os = osTable({ 'myacr.azurecr.io': ['192.0.2.1'] });
    const answer = await new SystemDnsResolver([dns.address], 500, os).resolve('MyAcr.AzureCR.io');
    expect(answer).toMatchObject({ host: 'myacr.azurecr.io', resolver: 'dns-servers', cnames: ['myacr.privatelink.azurecr.io'], addresses: ['10.1.0.5'], servers: dns.address });
    expect(answer.error).toBeUndefined();
    expect(os.asked).toEqual([]);
  });

  test('with dns-servers: a name only the OS knows does not resolve', async () => {
    const os = osTable({ 'hosts-only.example.com': ['10.20.30.40'] });
    const answer = await new SystemDnsResolver([dns.address], 500, os).resolve('hosts-only.example.com');
    expect(answer).toMatchObject({ resolver: 'dns-servers', addresses: [], error: { code: 'ENOTFOUND' } });
    expect(os.asked).toEqual([]);
  });

  test('an IP literal is its own answer: nobody is asked', async () => {
    const os = osTable({});
    const queries = dns.queries.length;
    const resolver = new SystemDnsResolver([], 500, os);
    expect(await resolver.resolve('fd00::1')).toMatchObject({ host: 'fd00::1', resolver: 'os', cnames: [], addresses: ['fd00::1'] });
    expect(await new SystemDnsResolver([dns.address], 500, os).resolve('10.1.2.3')).toMatchObject({ resolver: 'dns-servers', addresses: ['10.1.2.3'] });
    expect(os.asked).toEqual([]);
    expect(dns.queries.length).toBe(queries);
  });

  test('without dns-servers: the OS answers, once per name', async () => {
    const os = osTable({ 'hosts-only.example.com': ['10.20.30.40'] });
    const resolver = new SystemDnsResolver([], 500, os);
    const [a, b] = await Promise.all([resolver.resolve('hosts-only.example.com'), resolver.resolve('HOSTS-ONLY.example.com')]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ host: 'hosts-only.example.com', resolver: 'os', servers: 'system', cnames: [], addresses: ['10.20.30.40'], dns: { agrees: false } });
    expect(a.error).toBeUndefined();
    expect(os.asked).toEqual(['hosts-only.example.com']);
  });

  test('without dns-servers: an OS lookup that hangs is a timeout, not a hang', async () => {
    const hang: OsLookup = () => new Promise(() => {});
    const answer = await new SystemDnsResolver([], 500, hang, 50).resolve('slow.example.com');
    expect(answer).toMatchObject({ resolver: 'os', addresses: [], error: { code: 'ETIMEOUT', message: 'getaddrinfo gave no answer within 50 ms' } });
  });
});
