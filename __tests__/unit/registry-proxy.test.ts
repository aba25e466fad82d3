import { bypassesProxy, proxyFor } from '../../src/registry/proxy.js';

describe('NO_PROXY, as docker (Go httpproxy) reads it', () => {
  test.each<[noProxy: string, host: string, port: string, direct: boolean]>([
    ['', 'myacr.azurecr.io', '443', false],
    ['*', 'myacr.azurecr.io', '443', true],
    ['example.com, *', 'myacr.azurecr.io', '443', true],
    // a domain matches itself and its subdomains, on a label boundary
    ['azurecr.io', 'myacr.azurecr.io', '443', true],
    ['azurecr.io', 'azurecr.io', '443', true],
    ['myacr.azurecr.io', 'myacr.azurecr.io', '443', true],
    ['acr.io', 'myacr.azurecr.io', '443', false],
    ['cr.io', 'myazurecr.io', '443', false],
    // a leading dot or *. : subdomains only
    ['.azurecr.io', 'myacr.azurecr.io', '443', true],
    ['.azurecr.io', 'azurecr.io', '443', false],
    ['*.azurecr.io', 'myacr.azurecr.io', '443', true],
    ['*.azurecr.io', 'azurecr.io', '443', false],
    // case and spaces do not matter; empty entries are ignored
    [' , AZURECR.IO ,', 'MyAcr.AzureCR.io', '443', true],
    // a port narrows the entry
    ['myacr.azurecr.io:443', 'myacr.azurecr.io', '443', true],
    ['myacr.azurecr.io:5000', 'myacr.azurecr.io', '443', false],
    ['.azurecr.io:5000', 'myacr.azurecr.io', '5000', true],
    // IP addresses, with and without a port, IPv6 in brackets
    ['10.1.0.5', '10.1.0.5', '443', true],
    ['10.1.0.5', '10.1.0.6', '443', false],
    ['10.1.0.5:443', '10.1.0.5', '443', true],
    ['10.1.0.5:5000', '10.1.0.5', '443', false],
    ['fd00::1', '[fd00::1]', '5000', true],
    ['[fd00::1]:5000', '[fd00::1]', '5000', true],
    ['[fd00::1]:443', 'fd00::1', '5000', false],
    ['fd00:0:0::1', 'fd00::1', '443', true],
    // CIDRs
    ['10.0.0.0/8', '10.1.0.5', '443', true],
    ['10.0.0.0/16', '10.1.0.5', '443', false],
    ['fd00::/8', '[fd00::1]', '5000', true],
    ['fd00::/8', 'fe80::1', '443', false],
    // an IP entry or a CIDR says nothing about names, and a name entry nothing about addresses
    ['10.0.0.0/8', 'myacr.azurecr.io', '443', false],
    ['10.1.0.5', 'myacr.azurecr.io', '443', false],
    // localhost and loopback addresses never go through a proxy
    ['', 'localhost', '443', true],
    ['', '127.0.0.1', '443', true],
    ['', '127.77.1.2', '443', true],
    ['', '[::1]', '443', true],
    ['', '::ffff:127.0.0.1', '443', true],
    // a malformed entry matches nothing
    [':443', 'myacr.azurecr.io', '443', false],
    ['10.0.0.0/99', '10.1.0.5', '443', false],
  ])('NO_PROXY=%j, %s port %s: direct %s', (noProxy, host, port, direct) => {
    expect(bypassesProxy(noProxy, host, port)).toBe(direct);
  });
});

describe('which proxy a registry URL goes through', () => {
  const target = new URL('https://myacr.azurecr.io/v2/');

  test.each<[name: string, env: NodeJS.ProcessEnv, url: string, expected: { shown: string; authorization?: string } | { problem: string } | undefined]>([
    ['no proxy set', {}, 'https://myacr.azurecr.io/v2/', undefined],
    ['HTTPS_PROXY', { HTTPS_PROXY: 'http://proxy.corp:3128' }, 'https://myacr.azurecr.io/v2/', { shown: 'http://proxy.corp:3128' }],
    ['https_proxy (lower case)', { https_proxy: 'http://proxy.corp:3128' }, 'https://myacr.azurecr.io/v2/', { shown: 'http://proxy.corp:3128' }],
    ['upper case wins', { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' }, 'https://myacr.azurecr.io/v2/', { shown: 'http://upper:1' }],
    ['an empty upper case value falls back to lower case', { HTTPS_PROXY: '', https_proxy: 'http://lower:2' }, 'https://myacr.azurecr.io/v2/', { shown: 'http://lower:2' }],
    ['no scheme: http', { HTTPS_PROXY: 'proxy.corp:3128' }, 'https://myacr.azurecr.io/v2/', { shown: 'http://proxy.corp:3128' }],
    ['an https proxy', { HTTPS_PROXY: 'https://proxy.corp' }, 'https://myacr.azurecr.io/v2/', { shown: 'https://proxy.corp' }],
    // as docker: an https:// URL uses HTTPS_PROXY only, an http:// one HTTP_PROXY only
    ['HTTP_PROXY alone does not carry https', { HTTP_PROXY: 'http://proxy.corp:3128' }, 'https://myacr.azurecr.io/v2/', undefined],
    ['http_proxy carries http', { http_proxy: 'http://proxy.corp:3128', HTTPS_PROXY: 'http://other:1' }, 'http://myacr.azurecr.io/v2/', { shown: 'http://proxy.corp:3128' }],
    ['NO_PROXY', { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.azurecr.io' }, 'https://myacr.azurecr.io/v2/', undefined],
    ['no_proxy (lower case)', { HTTPS_PROXY: 'http://proxy.corp:3128', no_proxy: 'myacr.azurecr.io' }, 'https://myacr.azurecr.io/v2/', undefined],
    ['NO_PROXY with the default port', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'myacr.azurecr.io:443' }, 'https://myacr.azurecr.io/v2/', undefined],
    ['NO_PROXY with another port', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'myacr.azurecr.io:443' }, 'https://myacr.azurecr.io:5000/v2/', { shown: 'http://p:1' }],
    ['an IPv6 registry in NO_PROXY', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '[fd00::1]:5000' }, 'https://[fd00::1]:5000/v2/', undefined],
    ['an IPv6 registry through the proxy', { HTTPS_PROXY: 'http://p:1' }, 'https://[fd00::1]:5000/v2/', { shown: 'http://p:1' }],
    ['credentials: Basic, never shown', { HTTPS_PROXY: 'http://ci:s3cret@proxy.corp:3128' }, 'https://myacr.azurecr.io/v2/', { shown: 'http://proxy.corp:3128', authorization: `Basic ${Buffer.from('ci:s3cret').toString('base64')}` }],
    ['percent-encoded credentials are decoded', { HTTPS_PROXY: 'http://d%5Cci:p%40ss%3Aw@proxy.corp' }, 'https://myacr.azurecr.io/v2/', { shown: 'http://proxy.corp', authorization: `Basic ${Buffer.from('d\\ci:p@ss:w').toString('base64')}` }],
    ['a SOCKS proxy is not supported', { HTTPS_PROXY: 'socks5://proxy.corp:1080' }, 'https://myacr.azurecr.io/v2/', { problem: 'HTTPS_PROXY names a socks5 proxy; only http and https proxies are supported' }],
    ['not a URL, named without its value', { https_proxy: 'http://ci:s3cret@[bad' }, 'https://myacr.azurecr.io/v2/', { problem: 'https_proxy is not a URL' }],
  ])('%s', (_name, env, url, expected) => {
    const route = proxyFor(new URL(url), env);
    if (expected === undefined) return expect(route).toBeUndefined();
    expect(route).toMatchObject(expected);
    if (route && 'shown' in route && !('authorization' in expected)) expect(route.authorization).toBeUndefined();
    expect(JSON.stringify(route)).not.toContain('s3cret');
  });

  test('the route keeps the full proxy URL to connect with', () => {
    const route = proxyFor(target, { HTTPS_PROXY: 'http://ci:pw@proxy.corp:3128' });
    expect(route && 'url' in route && route.url.host).toBe('proxy.corp:3128');
  });
});
