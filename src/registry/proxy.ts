// The runner's proxy settings, read as docker reads them (Go's golang.org/x/net/http/httpproxy):
// HTTPS_PROXY for https:// URLs and HTTP_PROXY for http:// ones (upper case first, then lower case),
// NO_PROXY a comma list of `*`, domains (`example.com` matches it and its subdomains, `.example.com`
// and `*.example.com` only subdomains), each optionally with `:port`, IP addresses (`[v6]:port` too) and
// CIDRs. localhost and loopback addresses are never proxied. Pure: no I/O.
import { BlockList, isIP } from 'node:net';

export interface ProxyRoute {
  /** the proxy to CONNECT through, without its credentials */
  url: URL;
  /** the proxy without credentials, for messages and evidence */
  shown: string;
  /** `Basic …` when the proxy URL carries credentials */
  authorization?: string;
}

/** A proxy setting that cannot be used, named without its value (which may carry a password). */
export interface ProxyProblem {
  problem: string;
}

type Matcher = (host: string, port: string, ip: boolean) => boolean;

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

function env(source: NodeJS.ProcessEnv, name: string): { name: string; value: string } | undefined {
  for (const n of [name.toUpperCase(), name.toLowerCase()]) {
    const value = source[n];
    if (value) return { name: n, value };
  }
  return undefined;
}

const family = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');
const bare = (host: string) => host.replace(/^\[|\]$/g, '');

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Percent-decoding that keeps what does not decode. */
function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** host and port of `host`, `host:port`, `[v6]` or `[v6]:port`; a bare IPv6 address has no port. */
function splitHostPort(entry: string): { host: string; port: string } {
  if (isIP(entry) === 6) return { host: entry, port: '' };
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(entry);
  return m ? { host: bare(m[1] ?? ''), port: m[2] ?? '' } : { host: entry, port: '' };
}

function cidrMatcher(entry: string): Matcher | undefined {
  const m = /^(.+)\/(\d{1,3})$/.exec(entry);
  if (!m?.[1] || !isIP(m[1])) return undefined;
  const list = new BlockList();
  try {
    list.addSubnet(m[1], Number(m[2]), family(m[1]));
  } catch {
    return undefined;
  }
  return (host, _port, ip) => ip && list.check(host, family(host));
}

/** The matchers of a NO_PROXY value; `true` for `*`. */
function noProxyMatchers(value: string): Matcher[] | true {
  const matchers: Matcher[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const cidr = cidrMatcher(entry);
    if (cidr) {
      matchers.push(cidr);
      continue;
    }
    const { host, port } = splitHostPort(entry);
    if (!host) continue;
    if (isIP(host)) {
      const list = new BlockList();
      list.addAddress(host, family(host));
      matchers.push((h, p, ip) => ip && list.check(h, family(h)) && (port === '' || port === p));
      continue;
    }
    const exact = !host.startsWith('.') && !host.startsWith('*.');
    const suffix = host.startsWith('*.') ? host.slice(1) : exact ? `.${host}` : host;
    matchers.push((h, p) => (h.endsWith(suffix) || (exact && h === host)) && (port === '' || port === p));
  }
  return matchers;
}

/** Whether NO_PROXY (and the loopback rule) lets a request to host:port go direct. `host` may be bracketed. */
export function bypassesProxy(noProxy: string, hostname: string, port: string): boolean {
  const host = bare(hostname).toLowerCase();
  const ip = isIP(host) !== 0;
  if (host === 'localhost' || (ip && LOOPBACK.check(host, family(host)))) return true;
  const matchers = noProxyMatchers(noProxy);
  return matchers === true || matchers.some((m) => m(host, port, ip));
}

/** The proxy to reach `target` through, undefined to go direct, or why the setting cannot be used. */
export function proxyFor(target: URL, source: NodeJS.ProcessEnv): ProxyRoute | ProxyProblem | undefined {
  const setting = env(source, target.protocol === 'https:' ? 'https_proxy' : 'http_proxy');
  if (!setting) return undefined;
  const port = target.port || DEFAULT_PORTS[target.protocol] || '';
  if (bypassesProxy(env(source, 'no_proxy')?.value ?? '', target.hostname, port)) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(setting.value) ? setting.value : `http://${setting.value}`);
  } catch {
    return { problem: `${setting.name} is not a URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: `${setting.name} names a ${url.protocol.replace(/:$/, '')} proxy; only http and https proxies are supported` };
  if (!url.hostname) return { problem: `${setting.name} names no proxy host` };
  const shown = `${url.protocol}//${url.host}`;
  if (!url.username && !url.password) return { url, shown };
  const credentials = `${decoded(url.username)}:${decoded(url.password)}`;
  url.username = '';
  url.password = '';
  return { url, shown, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}
