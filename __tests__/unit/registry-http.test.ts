// The registry client against a real HTTPS server on 127.0.0.1 (the registry lab's certificate, for
// *.azurecr.io) and a real CONNECT proxy: retries, Retry-After, resets, the run's budget, proxies.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isRetryable, MAX_RETRIES, RegistryHttp, retryDelayMs } from '../../src/registry/http.js';
import type { DnsResolver } from '../../src/registry/dns.js';
import type { HttpOutcome } from '../../src/model.js';
import { startConnectProxy, type ConnectProxy } from '../harness/connect-proxy.js';

const registryCerts = JSON.parse(process.env.PREFLIGHT_REGISTRY_CERTS ?? 'null') as { cert: string; key: string } | null;
if (!registryCerts || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');

describe('retry policy', () => {
  const outcome = (over: Partial<HttpOutcome>): HttpOutcome => ({ url: 'https://myacr.azurecr.io/v2/', elapsedMs: 1, ...over });
  const error = (code: string, phase: NonNullable<HttpOutcome['error']>['phase']) => outcome({ error: { code, message: code, phase } });

  test.each<[string, boolean, HttpOutcome]>([
    ['200', false, outcome({ status: 200 })],
    ['401', false, outcome({ status: 401 })],
    ['404', false, outcome({ status: 404 })],
    ['408', true, outcome({ status: 408 })],
    ['429', true, outcome({ status: 429 })],
    ['500', true, outcome({ status: 500 })],
    ['501 (not implemented: it will not be)', false, outcome({ status: 501 })],
    ['502', true, outcome({ status: 502 })],
    ['503', true, outcome({ status: 503 })],
    ['504', true, outcome({ status: 504 })],
    ['505', false, outcome({ status: 505 })],
    ['a reset while waiting for the answer', true, error('ECONNRESET', 'response')],
    ['a reset during the TLS handshake', true, error('ECONNRESET', 'tls')],
    ['a broken pipe', true, error('EPIPE', 'response')],
    ['a stalled connect (the connect timeout bounds it once)', false, error('ETIMEDOUT', 'connect')],
    ['a stalled TLS handshake', false, error('ETIMEDOUT', 'tls')],
    ['a refused connection', false, error('ECONNREFUSED', 'connect')],
    ['a certificate that does not verify', false, error('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls')],
    ['a name that does not resolve', false, error('ENOTFOUND', 'dns')],
    ['a proxy that refuses the tunnel', false, error('ERR_PROXY_TUNNEL', 'connect')],
  ])('%s: retried %s', (_name, retried, o) => {
    expect(isRetryable(o)).toBe(retried);
  });

  const now = Date.parse('2026-12-01T12:00:00Z');
  test.each<[string, Record<string, string> | undefined, number, number]>([
    ['no Retry-After: 500 ms first', undefined, 0, 500],
    ['no Retry-After: 1 s second', {}, 1, 1000],
    ['Retry-After in seconds', { 'retry-after': '2' }, 0, 2000],
    ['Retry-After 0', { 'retry-after': '0' }, 1, 0],
    ['Retry-After beyond 5 s is cut to 5 s', { 'retry-after': '120' }, 0, 5000],
    ['Retry-After as a date', { 'retry-after': 'Tue, 01 Dec 2026 12:00:03 GMT' }, 0, 3000],
    ['Retry-After as a date in the past', { 'retry-after': 'Tue, 01 Dec 2026 11:00:00 GMT' }, 0, 0],
    ['Retry-After that is neither: the backoff', { 'retry-after': 'soon' }, 1, 1000],
  ])('%s', (_name, headers, retry, ms) => {
    expect(retryDelayMs(headers, retry, now)).toBe(ms);
  });

  test('at most 2 retries', () => expect(MAX_RETRIES).toBe(2));
});

type Step = 'reset' | 'hang-up' | { status: number; headers?: Record<string, string>; body?: string };

describe('RegistryHttp against a real server', () => {
  let server: https.Server;
  let port = 0;
  /** what the server does with each request, in order; then 200 */
  let plan: Step[] = [];
  let arrivals: { path: string; at: number }[] = [];
  let dnsAsked: string[] = [];
  let proxy: ConnectProxy;
  const clients: RegistryHttp[] = [];
  const dns: DnsResolver = {
    resolve: async (host) => {
      dnsAsked.push(host);
      return { host, cnames: [], addresses: ['127.0.0.1'], servers: 'test', elapsedMs: 0 };
    },
  };
  const client = (over: Partial<ConstructorParameters<typeof RegistryHttp>[0]> = {}) => {
    const c = new RegistryHttp({ dns, connectTimeoutMs: 2000, env: {}, ...over });
    clients.push(c);
    return c;
  };
  const url = (host = 'myacr.azurecr.io', path = '/v2/') => `https://${host}:${port}${path}`;

  beforeAll(async () => {
    server = https.createServer({ cert: readFileSync(registryCerts.cert), key: readFileSync(registryCerts.key) }, (req, res) => {
      arrivals.push({ path: req.url ?? '', at: performance.now() });
      const step = plan.shift() ?? { status: 200, body: '{}' };
      if (step === 'reset') return req.socket.destroy();
      if (step === 'hang-up') return void setTimeout(() => req.socket.destroy(), 200);
      res.writeHead(step.status, { 'Content-Type': 'application/json', ...step.headers });
      res.end(step.body ?? '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    proxy = await startConnectProxy({ resolve: async () => '127.0.0.1', credentials: { user: 'ci', password: 's3cret' } });
  });
  afterAll(async () => {
    await proxy.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    plan = [];
    arrivals = [];
    dnsAsked = [];
    proxy.connects.length = 0;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  test.each<[string, Step[], number | undefined, number, string | undefined]>([
    ['one 500, then 200', [{ status: 500 }], 200, 2, undefined],
    ['one 429, then 200', [{ status: 429, headers: { 'Retry-After': '0' } }], 200, 2, undefined],
    ['one 503, then 200', [{ status: 503 }], 200, 2, undefined],
    ['one reset, then 200', ['reset'], 200, 2, undefined],
    ['two 502, then 200', [{ status: 502 }, { status: 502 }], 200, 3, undefined],
    ['503 every time: three attempts, then the 503', [{ status: 503 }, { status: 503 }, { status: 503 }], 503, 3, undefined],
    ['a stall that ends in a hang-up, every time: three attempts, then the reset', ['hang-up', 'hang-up', 'hang-up'], undefined, 3, 'ECONNRESET'],
    ['404 is an answer', [{ status: 404 }], 404, 1, undefined],
  ])('%s', async (_name, steps, status, attempts, code) => {
    plan = [...steps];
    const { outcome } = await client().request({ method: 'GET', url: url() });
    expect(outcome.status).toBe(status);
    expect(outcome.error?.code).toBe(code);
    expect(arrivals).toHaveLength(attempts);
    expect(outcome.attempts).toBe(attempts > 1 ? attempts : undefined);
    expect(outcome.address).toBe('127.0.0.1');
  });

  test('a connection that fails at once is a connect failure, not a TLS one', async () => {
    const { outcome } = await client().request({ method: 'GET', url: 'https://myacr.azurecr.io:1/v2/' });
    expect(outcome.error).toMatchObject({ code: 'ECONNREFUSED', phase: 'connect' });
    expect(outcome.attempts).toBeUndefined();
  });

  test('an IP address with a port: no DNS, TLS verified against the address', async () => {
    const { outcome } = await client().request({ method: 'GET', url: `https://127.0.0.1:${port}/v2/` });
    expect(outcome.status).toBe(200);
    expect(outcome.address).toBe('127.0.0.1');
    expect(dnsAsked).toEqual([]);
  });

  test('a header Node refuses (a token with a line break) is a failed request, not a throw', async () => {
    const { outcome } = await client().request({ method: 'GET', url: url(), headers: { Authorization: 'Bearer a\r\nX-Injected: 1' } });
    expect(outcome.error).toMatchObject({ code: 'ERR_INVALID_CHAR', phase: 'connect' });
    expect(arrivals).toHaveLength(0);
  });

  test('retry: false sends once', async () => {
    plan = [{ status: 503 }];
    const { outcome } = await client().request({ method: 'GET', url: url(), retry: false });
    expect(outcome.status).toBe(503);
    expect(arrivals).toHaveLength(1);
  });

  test('Retry-After is honoured', async () => {
    plan = [{ status: 429, headers: { 'Retry-After': '1' } }];
    const { outcome } = await client().request({ method: 'POST', url: url('myacr.azurecr.io', '/oauth2/token'), body: 'grant_type=refresh_token' });
    expect(outcome.status).toBe(200);
    const [first, second] = arrivals;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  test("a run whose budget is spent sends nothing, and fails without an unhandled 'socket hang up'", async () => {
    const budget = new AbortController();
    budget.abort();
    const { outcome } = await client({ signal: budget.signal }).request({ method: 'GET', url: url() });
    expect(outcome.error).toMatchObject({ code: 'ETIMEDOUT', message: "the run's time budget ran out" });
    // give a stray 'error' event the chance to fire
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(arrivals).toHaveLength(0);
  });

  test('the budget running out while the server stalls ends the request and its retries', async () => {
    plan = ['hang-up'];
    const budget = new AbortController();
    setTimeout(() => budget.abort(), 100);
    const started = performance.now();
    const { outcome } = await client({ signal: budget.signal }).request({ method: 'GET', url: url() });
    expect(outcome.error).toMatchObject({ code: 'ETIMEDOUT', phase: 'response' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(arrivals).toHaveLength(1);
  });

  describe('through a CONNECT proxy', () => {
    const env = () => ({ HTTPS_PROXY: proxy.url({ user: 'ci', password: 's3cret' }) });

    test('tunnels to host:port by name, with Basic proxy credentials, and never shows them', async () => {
      const c = client({ env: env() });
      const { outcome } = await c.request({ method: 'GET', url: url() });
      expect(outcome.status).toBe(200);
      expect(outcome.proxy).toBe(`http://127.0.0.1:${proxy.port}`);
      expect(outcome.address).toBeUndefined();
      expect(proxy.connects).toEqual([{ target: `myacr.azurecr.io:${port}`, proxyAuthorization: `Basic ${Buffer.from('ci:s3cret').toString('base64')}`, status: 200 }]);
      // the proxy resolves the name, not the runner
      expect(dnsAsked).toEqual([]);
      expect(JSON.stringify(outcome)).not.toContain('s3cret');
      // kept alive: the second request reuses the tunnel
      await c.request({ method: 'GET', url: url('myacr.azurecr.io', '/v2/team/app/manifests/1.0') });
      expect(proxy.connects).toHaveLength(1);
      expect(arrivals.map((a) => a.path)).toEqual(['/v2/', '/v2/team/app/manifests/1.0']);
    });

    test('TLS is verified against the registry name through the tunnel', async () => {
      const { outcome } = await client({ env: env() }).request({ method: 'GET', url: url('registry.invalid') });
      expect(outcome.error).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', phase: 'tls' });
      expect(proxy.connects.map((c) => c.target)).toEqual([`registry.invalid:${port}`]);
      expect(arrivals).toHaveLength(0);
    });

    test('a proxy that wants other credentials: ERR_PROXY_TUNNEL naming the 407, not retried, no credentials shown', async () => {
      const { outcome } = await client({ env: { https_proxy: proxy.url({ user: 'ci', password: 'wrong-s3cret' }) } }).request({ method: 'GET', url: url() });
      expect(outcome.error).toMatchObject({ code: 'ERR_PROXY_TUNNEL', phase: 'connect' });
      expect(outcome.error?.message).toContain('HTTP 407');
      expect(outcome.error?.message).toContain(`CONNECT myacr.azurecr.io:${port}`);
      expect(JSON.stringify(outcome)).not.toContain('s3cret');
      expect(proxy.connects).toHaveLength(1);
    });

    test('an IPv6 registry address: CONNECT [v6]:port, TLS verified against that address', async () => {
      const { outcome } = await client({ env: env() }).request({ method: 'GET', url: `https://[fd00::1]:${port}/v2/` });
      expect(proxy.connects.map((c) => c.target)).toEqual([`[fd00::1]:${port}`]);
      // the lab's certificate names 127.0.0.1, not fd00::1
      expect(outcome.error).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', phase: 'tls' });
      expect(outcome.proxy).toBe(`http://127.0.0.1:${proxy.port}`);
    });

    test('a tunnel that opens after its request was given up (budget spent) and then fails TLS crashes nothing', async () => {
      const slow = await startConnectProxy({ resolve: () => new Promise((resolve) => setTimeout(() => resolve('127.0.0.1'), 300)) });
      try {
        const budget = new AbortController();
        setTimeout(() => budget.abort(), 100);
        const c = client({ env: { HTTPS_PROXY: slow.url() }, signal: budget.signal });
        const { outcome } = await c.request({ method: 'GET', url: url('registry.invalid') });
        expect(outcome.error).toMatchObject({ code: 'ETIMEDOUT', message: "the run's time budget ran out", phase: 'connect' });
        // the tunnel opens at 300 ms and its TLS handshake fails on the certificate's name
        await new Promise((resolve) => setTimeout(resolve, 700));
        expect(slow.connects.map((x) => x.status)).toEqual([200]);
      } finally {
        await slow.stop();
      }
    });

    test('a proxy that is not there: refused during connect', async () => {
      const { outcome } = await client({ env: { HTTPS_PROXY: 'http://127.0.0.1:1' } }).request({ method: 'GET', url: url() });
      expect(outcome.error).toMatchObject({ code: 'ECONNREFUSED', phase: 'connect' });
      expect(outcome.proxy).toBe('http://127.0.0.1:1');
    });

    test('a proxy setting that cannot be used fails the request, naming the variable only', async () => {
      const { outcome } = await client({ env: { HTTPS_PROXY: 'socks5://ci:s3cret@127.0.0.1:1080' } }).request({ method: 'GET', url: url() });
      expect(outcome.error).toMatchObject({ code: 'ERR_PROXY_CONFIG', phase: 'connect' });
      expect(JSON.stringify(outcome)).not.toContain('s3cret');
    });

    test('NO_PROXY goes direct, to the address DNS gave', async () => {
      const { outcome } = await client({ env: { ...env(), NO_PROXY: 'example.com,.azurecr.io' } }).request({ method: 'GET', url: url() });
      expect(outcome.status).toBe(200);
      expect(outcome.proxy).toBeUndefined();
      expect(outcome.address).toBe('127.0.0.1');
      expect(proxy.connects).toHaveLength(0);
      expect(dnsAsked).toEqual(['myacr.azurecr.io']);
    });

    test('a reset through the tunnel is retried like any other', async () => {
      plan = ['reset'];
      const { outcome } = await client({ env: env() }).request({ method: 'GET', url: url() });
      expect(outcome.status).toBe(200);
      expect(outcome.attempts).toBe(2);
      expect(proxy.connects).toHaveLength(2);
    });
  });
});
