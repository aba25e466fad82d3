import { judgeRegistryDns } from '../../src/checks/registry-dns.js';
import { registryFacts } from './facts.js';
import { judgeRegistryEndpoint } from '../../src/checks/registry-endpoint.js';
import type { DnsAnswer, EndpointProbe, Finding, HttpOutcome, RegistryFacts, Status } from '../../src/model.js';

const LOGIN = 'myacr.azurecr.io';
const DATA = 'myacr.westeurope.data.azurecr.io';
const URL_V2 = `https://${LOGIN}/v2/`;

function registry(over: Partial<RegistryFacts> = {}): RegistryFacts {
  return registryFacts({ sku: 'Premium', dataEndpointEnabled: true, dataEndpointHostNames: [DATA], ...over });
}
const PRIVATE = registry({ publicNetworkAccess: 'Disabled', networkRuleSet: { defaultAction: 'Deny', ipRules: [] } });
const FIREWALLED = registry({ networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '20.50.0.0/28' }] } });

const answer = (host: string, cnames: string[], addresses: string[], over: Partial<DnsAnswer> = {}): DnsAnswer => ({ host, cnames, addresses, servers: 'system', elapsedMs: 12, ...over });
const failed = (host: string, code: string, message: string, over: Partial<DnsAnswer> = {}): DnsAnswer => answer(host, [], [], { error: { code, message }, ...over });

// What a runner outside the VNet sees for a registry with a private endpoint: the public zone points at
// privatelink, which resolves publicly.
const PUBLIC_LOGIN = answer(LOGIN, ['myacr.privatelink.azurecr.io', 'westeurope.cloudapp.azure.com'], ['20.61.98.4']);
const PUBLIC_DATA = answer(DATA, ['myacr.westeurope.data.privatelink.azurecr.io', 'weu-acr-dp.trafficmanager.net'], ['20.61.98.70']);
// And inside a VNet linked to privatelink.azurecr.io.
const PRIVATE_LOGIN = answer(LOGIN, ['myacr.privatelink.azurecr.io'], ['10.1.0.5']);
const PRIVATE_DATA = answer(DATA, ['myacr.westeurope.data.privatelink.azurecr.io'], ['10.1.0.6']);
const PLAIN_LOGIN = answer(LOGIN, ['westeurope.cloudapp.azure.com'], ['20.61.98.4']);

interface Expectation {
  status: Status;
  title?: string;
  detail?: string[];
  notInDetail?: string[];
  /** strings the fix contains; null: no fix */
  fix?: string[] | null;
}

function check(f: Finding, id: string, e: Expectation): void {
  expect(f).toMatchObject({ id, status: e.status, registry: 'myacr', path: 'runner' });
  if (e.title) expect(f.title).toBe(e.title);
  for (const word of e.detail ?? []) expect(f.detail).toContain(word);
  for (const word of e.notInDetail ?? []) expect(f.detail).not.toContain(word);
  if (e.fix === null) expect(f.fix).toBeUndefined();
  for (const word of e.fix ?? []) expect(f.fix).toContain(word);
}

describe('registry-dns', () => {
  test.each<[string, RegistryFacts, DnsAnswer[], Expectation]>([
    [
      'a public registry resolves',
      registry(),
      [PUBLIC_LOGIN, PUBLIC_DATA],
      {
        status: 'pass',
        title: 'myacr resolves from the runner',
        detail: ['login server and 1 data endpoint(s) resolve to public address(es)', `${LOGIN} → myacr.privatelink.azurecr.io → westeurope.cloudapp.azure.com → 20.61.98.4`, `${DATA} →`],
        notInDetail: ['private endpoint'],
        fix: null,
      },
    ],
    ['only the login server', registry({ dataEndpointHostNames: [] }), [PLAIN_LOGIN], { status: 'pass', detail: ['The login server resolves to public address(es)'] }],
    [
      'a private registry from inside its VNet: privatelink CNAME chain to 10.1.0.5',
      PRIVATE,
      [PRIVATE_LOGIN, PRIVATE_DATA],
      { status: 'pass', detail: ['private endpoint address(es)', `${LOGIN} → myacr.privatelink.azurecr.io → 10.1.0.5 (private)`, '10.1.0.6 (private)'] },
    ],
    [
      'a private registry from outside: public addresses',
      PRIVATE,
      [PUBLIC_LOGIN, PUBLIC_DATA],
      { status: 'skip', title: 'myacr is private: not resolvable from the runner', detail: ['public network access disabled', 'public addresses', 'outside the registry', 'privatelink.azurecr.io zone', 'registry-network'], fix: null },
    ],
    ['a private registry from outside: NXDOMAIN', PRIVATE, [failed(LOGIN, 'ENOTFOUND', 'queryA ENOTFOUND myacr.azurecr.io')], { status: 'skip', detail: ['do not resolve from the runner', 'registry-network'] }],
    ['a private registry from outside: timeout', PRIVATE, [failed(LOGIN, 'ETIMEOUT', 'queryA ETIMEOUT')], { status: 'skip' }],
    [
      'a private registry, inside, data endpoint missing from the private zone',
      PRIVATE,
      [PRIVATE_LOGIN, PUBLIC_DATA],
      { status: 'fail', title: `${DATA} does not resolve privately`, detail: [`data endpoint ${DATA} resolves to public address(es) 20.61.98.70`, 'privatelink.azurecr.io zone lacks a record'] },
    ],
    [
      'a private registry, inside, data endpoint NXDOMAIN',
      PRIVATE,
      [PRIVATE_LOGIN, failed(DATA, 'ENOTFOUND', 'queryA ENOTFOUND')],
      { status: 'fail', title: `${DATA} does not resolve`, detail: ['data endpoint', 'not provisioned yet'] },
    ],
    [
      'the login server does not exist',
      registry(),
      [failed(LOGIN, 'ENOTFOUND', 'queryA ENOTFOUND myacr.azurecr.io')],
      { status: 'fail', title: `${LOGIN} does not resolve`, detail: [`login server ${LOGIN} does not resolve (ENOTFOUND from the runner's system DNS servers)`, 'a typo, or a deleted or renamed registry'] },
    ],
    [
      'a data endpoint not provisioned yet (ENODATA)',
      registry(),
      [PUBLIC_LOGIN, failed(DATA, 'ENODATA', 'queryA ENODATA')],
      { status: 'fail', title: `${DATA} does not resolve`, detail: [`The data endpoint ${DATA} does not resolve (ENODATA`, 'not provisioned yet'] },
    ],
    [
      'several names do not resolve',
      registry(),
      [failed(LOGIN, 'ENOTFOUND', 'x'), failed(DATA, 'ENOTFOUND', 'x')],
      { status: 'fail', title: '2 names of myacr do not resolve usefully' },
    ],
    [
      'a timeout names the DNS servers',
      registry(),
      [failed(LOGIN, 'ETIMEOUT', 'queryA ETIMEOUT myacr.azurecr.io', { servers: '10.0.0.10, 10.0.0.11', elapsedMs: 4000 })],
      { status: 'unknown', title: 'DNS for myacr could not be verified', detail: ['ETIMEOUT', 'DNS servers 10.0.0.10, 10.0.0.11', '4000 ms'] },
    ],
    ['SERVFAIL', registry(), [PUBLIC_LOGIN, failed(DATA, 'ESERVFAIL', 'queryA ESERVFAIL')], { status: 'unknown', detail: ['ESERVFAIL', "the runner's system DNS servers"] }],
    ['refused', registry(), [failed(LOGIN, 'ECONNREFUSED', 'queryA ECONNREFUSED')], { status: 'unknown', detail: ['ECONNREFUSED'] }],
    ['a missing name outweighs a timeout', registry(), [failed(LOGIN, 'ETIMEOUT', 'x'), failed(DATA, 'ENOTFOUND', 'x')], { status: 'fail' }],
    ['no answers at all', registry(), [], { status: 'unknown' }],
    ['an answer with no addresses and no error', registry(), [answer(LOGIN, [], [])], { status: 'fail', detail: ['ENODATA'] }],
  ])('%s', (_name, reg, answers, expected) => {
    check(judgeRegistryDns({ registry: reg, answers, acrSuffix: 'azurecr.io' }), 'registry-dns', expected);
  });

  test('evidence records each name', () => {
    const f = judgeRegistryDns({ registry: PRIVATE, answers: [PRIVATE_LOGIN, PUBLIC_DATA], acrSuffix: 'azurecr.io' });
    expect(f.evidence?.['names']).toEqual([
      expect.objectContaining({ host: LOGIN, role: 'login server', cnames: ['myacr.privatelink.azurecr.io'], addresses: ['10.1.0.5'], private: true, viaPrivateLink: true, elapsedMs: 12, servers: 'system' }),
      expect.objectContaining({ host: DATA, role: 'data endpoint', addresses: ['20.61.98.70'], private: false, viaPrivateLink: true }),
    ]);
  });

  test('another cloud: privatelink.azurecr.cn', () => {
    const cn = registry({ loginServer: 'myacr.azurecr.cn', dataEndpointHostNames: [], publicNetworkAccess: 'Disabled' });
    const f = judgeRegistryDns({ registry: cn, answers: [answer('myacr.azurecr.cn', ['myacr.privatelink.azurecr.cn'], ['52.130.1.1'])], acrSuffix: 'azurecr.cn' });
    expect(f.status).toBe('skip');
    expect(f.detail).toContain('privatelink.azurecr.cn');
    expect(f.evidence?.['names']).toEqual([expect.objectContaining({ viaPrivateLink: true, private: false })]);
  });
});

describe('registry-endpoint', () => {
  const http = (over: Partial<HttpOutcome>): HttpOutcome => ({ url: URL_V2, address: '20.61.98.4', elapsedMs: 48, ...over });
  const ACR_CHALLENGE = `Bearer realm="https://${LOGIN}/oauth2/token",service="${LOGIN}"`;
  const acr401: EndpointProbe = {
    http: http({ status: 401, headers: { 'www-authenticate': ACR_CHALLENGE, 'docker-distribution-api-version': 'registry/2.0' }, body: '{"errors":[{"code":"UNAUTHORIZED"}]}' }),
    challenge: { realm: `https://${LOGIN}/oauth2/token`, service: LOGIN },
  };
  // Docker Hub answers with a realm and service on another host.
  const hub401: EndpointProbe = {
    http: http({ status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"' } }),
    challenge: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io' },
  };
  const blocked: EndpointProbe = {
    http: http({ status: 403, body: "client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access." }),
    blockedClientIp: '203.0.113.7',
  };
  const err = (code: string, phase: NonNullable<HttpOutcome['error']>['phase'], message = code): EndpointProbe => ({ http: http({ error: { code, message, phase }, elapsedMs: 5000 }) });

  test.each<[string, RegistryFacts, DnsAnswer | undefined, EndpointProbe | undefined, Expectation]>([
    [
      '401 with the ACR Bearer challenge',
      registry(),
      PLAIN_LOGIN,
      acr401,
      { status: 'pass', title: `${LOGIN} answers as a registry`, detail: [`realm https://${LOGIN}/oauth2/token`, `service ${LOGIN}`, '48 ms', 'at 20.61.98.4'], fix: null },
    ],
    ['401 with a Docker-Hub style challenge', registry(), PLAIN_LOGIN, hub401, { status: 'pass', detail: ['realm https://auth.docker.io/token', 'service registry.docker.io'] }],
    ['200: anonymous /v2/', registry(), PLAIN_LOGIN, { http: http({ status: 200, body: '{}' }) }, { status: 'pass', detail: ['answered 200', 'allows anonymous access to /v2/'] }],
    ['a private registry from inside', PRIVATE, PRIVATE_LOGIN, { ...acr401, http: { ...acr401.http, address: '10.1.0.5' } }, { status: 'pass', detail: ['at 10.1.0.5'] }],
    [
      'no probe because DNS failed',
      registry(),
      failed(LOGIN, 'ENOTFOUND', 'x'),
      undefined,
      { status: 'skip', title: `${URL_V2} not probed`, detail: ['did not resolve from the runner (ENOTFOUND)', 'depends on registry-dns'] },
    ],
    ['no probe and no DNS answer', registry(), undefined, undefined, { status: 'skip', detail: ['depends on registry-dns'] }],
    [
      'a private registry: the runner cannot connect',
      PRIVATE,
      PUBLIC_LOGIN,
      err('ETIMEDOUT', 'connect'),
      { status: 'skip', title: 'myacr is private: not reachable from the runner', detail: ['could not connect', 'ETIMEDOUT', 'outside the registry', 'registry-network'] },
    ],
    ['a private registry: refused with 403', PRIVATE, PUBLIC_LOGIN, blocked, { status: 'skip', detail: ['refused the runner (HTTP 403 for 203.0.113.7)', 'registry-network'] }],
    [
      'the firewall refuses the runner (default action Deny)',
      FIREWALLED,
      PLAIN_LOGIN,
      blocked,
      { status: 'skip', title: "myacr's firewall refuses the runner", detail: ['203.0.113.7', 'registry-network'], fix: ['az acr network-rule add --name myacr --resource-group rg --subscription s1 --ip-address 203.0.113.7'] },
    ],
    [
      'refused by IP while ARM says Allow',
      registry(),
      PLAIN_LOGIN,
      blocked,
      { status: 'unknown', detail: ['203.0.113.7', 'networkRuleSet.defaultAction: not set'], fix: ['az acr network-rule add --name myacr --resource-group rg --subscription s1 --ip-address 203.0.113.7'] },
    ],
    ['403 without an IP', registry(), PLAIN_LOGIN, { http: http({ status: 403, body: 'Forbidden' }) }, { status: 'unknown', detail: ['proxy'] }],
    ...(
      [
        ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'does not lead to a trusted root'],
        ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate'],
        ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
        ['CERT_HAS_EXPIRED', 'expired'],
        ['ERR_TLS_CERT_ALTNAME_INVALID', 'not for this host name'],
      ] as const
    ).map(([code, words]): [string, RegistryFacts, DnsAnswer, EndpointProbe, Expectation] => [
      `TLS: ${code}`,
      registry(),
      PLAIN_LOGIN,
      err(code, 'tls', `${code}: certificate problem`),
      { status: 'fail', title: `TLS to ${LOGIN} fails`, detail: [words, code, 'TLS-inspecting proxy'] },
    ]),
    ['TLS on a private registry is still a fail', PRIVATE, PRIVATE_LOGIN, err('SELF_SIGNED_CERT_IN_CHAIN', 'tls'), { status: 'fail' }],
    ['a certificate code reported in another phase', registry(), PLAIN_LOGIN, err('CERT_HAS_EXPIRED', 'connect'), { status: 'fail', detail: ['expired'] }],
    ['connect timeout', registry(), PLAIN_LOGIN, err('ETIMEDOUT', 'connect'), { status: 'unknown', title: `${URL_V2} could not be reached`, detail: ['ETIMEDOUT during connect'] }],
    ['connection refused', registry(), PLAIN_LOGIN, err('ECONNREFUSED', 'connect'), { status: 'unknown', detail: ['ECONNREFUSED'] }],
    ['connection reset', registry(), PLAIN_LOGIN, err('ECONNRESET', 'response'), { status: 'unknown', detail: ['ECONNRESET during response'] }],
    ['503', registry(), PLAIN_LOGIN, { http: http({ status: 503 }) }, { status: 'unknown', title: `${URL_V2} answered 503`, detail: ['server error'] }],
    ['429', registry(), PLAIN_LOGIN, { http: http({ status: 429, headers: { 'retry-after': '10' } }) }, { status: 'unknown', detail: ['throttled', 'Retry-After 10'] }],
    [
      '401 without a challenge',
      registry(),
      PLAIN_LOGIN,
      { http: http({ status: 401, headers: { 'www-authenticate': 'Basic realm="Registry Realm"' } }) },
      { status: 'fail', title: `${URL_V2} does not answer as a registry`, detail: ['401 without a Bearer challenge', 'Basic realm="Registry Realm"'] },
    ],
    ['401 with a challenge lacking a service', registry(), PLAIN_LOGIN, { http: http({ status: 401 }), challenge: { realm: 'https://x/token' } }, { status: 'fail' }],
    ['404', registry(), PLAIN_LOGIN, { http: http({ status: 404, body: '<html>Not Found</html>' }) }, { status: 'fail', detail: ['answered 404', 'proxy'] }],
    ['a captive portal redirect', registry(), PLAIN_LOGIN, { http: http({ status: 302, headers: { location: 'https://portal.example/' } }) }, { status: 'fail', detail: ['answered 302'] }],
    [
      'through a proxy: the proxy is named instead of an address',
      registry(),
      PLAIN_LOGIN,
      { ...acr401, http: { ...acr401.http, address: undefined, proxy: 'http://proxy.corp:3128' } },
      { status: 'pass', detail: [`GET ${URL_V2} through proxy http://proxy.corp:3128 answered 401`], notInDetail: [' at '] },
    ],
    [
      'a proxy that refuses the tunnel',
      registry(),
      PLAIN_LOGIN,
      { http: http({ address: undefined, proxy: 'http://proxy.corp:3128', error: { code: 'ERR_PROXY_TUNNEL', message: 'the proxy http://proxy.corp:3128 answered CONNECT myacr.azurecr.io:443 with HTTP 407', phase: 'connect' } }) },
      { status: 'unknown', title: `${URL_V2} could not be reached`, detail: ['through proxy http://proxy.corp:3128', 'ERR_PROXY_TUNNEL during connect', 'HTTP 407'] },
    ],
    ['503 after retries', registry(), PLAIN_LOGIN, { http: http({ status: 503, attempts: 3 }) }, { status: 'unknown', detail: ['server error', '(3 attempts)'] }],
    ['a reset after retries', registry(), PLAIN_LOGIN, { http: http({ error: { code: 'ECONNRESET', message: 'socket hang up', phase: 'response' }, attempts: 3 }) }, { status: 'unknown', detail: ['ECONNRESET during response', '(3 attempts)'] }],
    [
      '401 with a Bearer challenge that names nothing: malformed',
      registry(),
      PLAIN_LOGIN,
      { http: http({ status: 401, headers: { 'www-authenticate': 'Bearer' } }), challenge: {} },
      { status: 'fail', title: `${URL_V2} sends a malformed challenge`, detail: ['cannot be parsed', 'names no realm and service', 'WWW-Authenticate: Bearer'] },
    ],
  ])('%s', (_name, reg, dns, probe, expected) => {
    check(judgeRegistryEndpoint({ registry: reg, dns, probe }), 'registry-endpoint', expected);
  });

  test('evidence keeps the challenge, status, address and latency', () => {
    const f = judgeRegistryEndpoint({ registry: registry(), dns: PLAIN_LOGIN, probe: acr401 });
    expect(f.evidence).toMatchObject({ url: URL_V2, status: 401, address: '20.61.98.4', elapsedMs: 48, challenge: { realm: `https://${LOGIN}/oauth2/token`, service: LOGIN }, wwwAuthenticate: ACR_CHALLENGE });
  });

  test('a challenge for another service is noted', () => {
    const f = judgeRegistryEndpoint({ registry: registry(), dns: PLAIN_LOGIN, probe: hub401 });
    expect(f.notes).toEqual([`The challenge names service registry.docker.io, not ${LOGIN}.`]);
  });
});
