// Name resolution from the runner, as the runner's OS does it. Without the dns-servers input a name's
// addresses come from getaddrinfo (dns.lookup: /etc/hosts, nsswitch, search domains), which is what
// docker, curl and every other tool on the runner use; c-ares (node:dns Resolver) asks the system's DNS
// servers alongside, only to record the CNAME chain as evidence. With dns-servers, c-ares asks those
// servers and its answer is the answer.
import { Resolver, lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DnsAnswer } from '../model.js';

/** What the probes need from DNS: an answer per name, never a throw. */
export interface DnsResolver {
  resolve(host: string): Promise<DnsAnswer>;
}

/** The OS's lookup of a name: every address getaddrinfo returns, in its order. Rejects with a DnsError. */
export type OsLookup = (host: string) => Promise<string[]>;

const MAX_CNAME_HOPS = 8;
/** codes that mean "no such record" rather than "could not ask" */
const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND']);
/**
 * How long the OS's lookup may take: getaddrinfo has no timeout of its own beyond resolv.conf's
 * (5 s × 2 attempts per server by default), and it runs on libuv's small thread pool.
 */
const OS_LOOKUP_TIMEOUT_MS = 12_000;
/** How much longer than the OS the CNAME evidence may take: a hosts-file answer does not wait on a silent DNS server. */
const EVIDENCE_GRACE_MS = 1_000;

interface DnsError {
  code?: string;
  message?: string;
}

/** What c-ares found: the CNAME chain followed and the last name's addresses, or why not. */
export interface DnsChain {
  cnames: string[];
  addresses: string[];
  error?: DnsError;
}

/** What getaddrinfo found. */
export type OsResult = { addresses: string[] } | { error: DnsError };

const lookupAll: OsLookup = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

const errorOf = (e: DnsError): { code: string; message: string } => ({ code: e.code ?? 'EUNKNOWN', message: e.message ?? String(e) });

/** The answer without its timing and servers. */
type Resolution = Omit<DnsAnswer, 'host' | 'servers' | 'elapsedMs'>;

/** c-ares's answer is the answer (the dns-servers input). Pure. */
export function fromDnsServers(chain: DnsChain): Resolution {
  return { resolver: 'dns-servers', cnames: chain.cnames, addresses: chain.addresses, ...(chain.error && { error: errorOf(chain.error) }) };
}

/**
 * The OS's answer is the answer; DNS asked directly lends its CNAME chain when it shares an address with
 * the OS's answer. When it does not (a hosts-file entry, another nsswitch source, a search domain), the
 * chain is unknown and what DNS said is kept beside. Pure.
 */
export function fromOs(os: OsResult, chain: DnsChain): Resolution {
  const addresses = 'addresses' in os ? os.addresses : [];
  const agrees = addresses.some((a) => chain.addresses.includes(a));
  const dns: NonNullable<DnsAnswer['dns']> = { addresses: chain.addresses, agrees, ...(chain.error && { error: errorOf(chain.error) }) };
  if ('error' in os) return { resolver: 'os', cnames: [], addresses: [], error: errorOf(os.error), dns };
  if (addresses.length === 0) return { resolver: 'os', cnames: [], addresses: [], error: { code: 'ENOTFOUND', message: 'getaddrinfo returned no address' }, dns };
  return { resolver: 'os', cnames: agrees ? chain.cnames : [], addresses, dns };
}

/** Bounds a promise that has no timeout of its own. */
function within<T>(p: Promise<T>, ms: number, error: DnsError): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export class SystemDnsResolver implements DnsResolver {
  private readonly resolver: Resolver;
  private readonly servers: string;
  private readonly useDnsServers: boolean;
  private readonly cache = new Map<string, Promise<DnsAnswer>>();

  /**
   * `servers`: "ip[:port]" entries (the dns-servers input); empty for the OS's resolver. `timeoutMs` per
   * c-ares query attempt. `osLookup`: the OS's lookup (getaddrinfo unless a test gives another).
   */
  constructor(
    servers: string[] = [],
    timeoutMs = 2_000,
    private readonly osLookup: OsLookup = lookupAll,
    private readonly osTimeoutMs = OS_LOOKUP_TIMEOUT_MS,
  ) {
    this.resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
    this.useDnsServers = servers.length > 0;
    if (this.useDnsServers) this.resolver.setServers(servers);
    this.servers = this.useDnsServers ? servers.join(', ') : 'system';
  }

  resolve(host: string): Promise<DnsAnswer> {
    const key = host.toLowerCase();
    let answer = this.cache.get(key);
    if (!answer) {
      answer = this.lookup(key);
      this.cache.set(key, answer);
    }
    return answer;
  }

  private async lookup(host: string): Promise<DnsAnswer> {
    const started = performance.now();
    let resolution: Resolution;
    if (isIP(host)) resolution = { resolver: this.useDnsServers ? 'dns-servers' : 'os', cnames: [], addresses: [host] };
    else if (this.useDnsServers) resolution = fromDnsServers(await this.chain(host));
    else {
      const os = within(this.osLookup(host), this.osTimeoutMs, { code: 'ETIMEOUT', message: `getaddrinfo gave no answer within ${this.osTimeoutMs} ms` }).then(
        (addresses): OsResult => ({ addresses }),
        (error: DnsError): OsResult => ({ error }),
      );
      const chain = this.chain(host);
      const osResult = await os;
      const evidence = await within(chain, EVIDENCE_GRACE_MS, { code: 'ETIMEOUT', message: `no answer within ${EVIDENCE_GRACE_MS} ms of the OS's` }).catch(
        (error: DnsError): DnsChain => ({ cnames: [], addresses: [], error }),
      );
      resolution = fromOs(osResult, evidence);
    }
    return { host, ...resolution, servers: this.servers, elapsedMs: Math.round(performance.now() - started) };
  }

  /** Follows the chain one CNAME at a time, so that each hop is known (privatelink shows up here). */
  private async chain(host: string): Promise<DnsChain> {
    const cnames: string[] = [];
    let name = host;
    for (let hop = 0; hop < MAX_CNAME_HOPS; hop++) {
      const next = await this.resolver.resolveCname(name).then(
        (targets) => targets[0],
        (err: DnsError) => (NO_RECORD.has(err.code ?? '') ? undefined : err),
      );
      if (next === undefined) break;
      if (typeof next !== 'string') return { cnames, addresses: [], error: next };
      cnames.push(next.toLowerCase());
      name = next;
    }
    const [v4, v6] = await Promise.all([
      this.resolver.resolve4(name).then((a) => ({ a }), (err: DnsError) => ({ err })),
      this.resolver.resolve6(name).then((a) => ({ a }), (err: DnsError) => ({ err })),
    ]);
    const addresses = [...('a' in v4 ? v4.a : []), ...('a' in v6 ? v6.a : [])];
    if (addresses.length) return { cnames, addresses };
    // Neither family: report the more telling error (a failure to ask beats "no such name").
    const errors = ['err' in v4 ? v4.err : undefined, 'err' in v6 ? v6.err : undefined].filter((e): e is DnsError => Boolean(e));
    const hard = errors.find((e) => !NO_RECORD.has(e.code ?? ''));
    return { cnames, addresses: [], error: hard ?? errors[0] ?? { code: 'ENODATA', message: `${name} has no A or AAAA record` } };
  }
}
