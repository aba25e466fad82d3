// Name resolution from the runner, with the CNAME chain recorded. Uses c-ares (node:dns Resolver) so
// that the servers can be chosen (the dns-servers input); the system's servers otherwise.
import { Resolver } from 'node:dns/promises';
import type { DnsAnswer } from '../model.js';

/** What the probes need from DNS: an answer per name, never a throw. */
export interface DnsResolver {
  resolve(host: string): Promise<DnsAnswer>;
}

const MAX_CNAME_HOPS = 8;
/** codes that mean "no such record" rather than "could not ask" */
const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND']);

interface DnsError {
  code?: string;
  message?: string;
}

export class SystemDnsResolver implements DnsResolver {
  private readonly resolver: Resolver;
  private readonly servers: string;
  private readonly cache = new Map<string, Promise<DnsAnswer>>();

  /** `servers`: "ip[:port]" entries; empty for the system's. `timeoutMs` per query attempt. */
  constructor(servers: string[] = [], timeoutMs = 2_000) {
    this.resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
    if (servers.length) this.resolver.setServers(servers);
    this.servers = servers.length ? servers.join(', ') : 'system';
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
    const cnames: string[] = [];
    const done = (addresses: string[], error?: DnsError): DnsAnswer => {
      const answer: DnsAnswer = { host, cnames, addresses, servers: this.servers, elapsedMs: Math.round(performance.now() - started) };
      if (error) answer.error = { code: error.code ?? 'EUNKNOWN', message: error.message ?? String(error) };
      return answer;
    };
    // Follow the chain one CNAME at a time, so that each hop is known (privatelink shows up here).
    let name = host;
    for (let hop = 0; hop < MAX_CNAME_HOPS; hop++) {
      const next = await this.resolver.resolveCname(name).then(
        (targets) => targets[0],
        (err: DnsError) => (NO_RECORD.has(err.code ?? '') ? undefined : err),
      );
      if (next === undefined) break;
      if (typeof next !== 'string') return done([], next);
      cnames.push(next.toLowerCase());
      name = next;
    }
    const [v4, v6] = await Promise.all([
      this.resolver.resolve4(name).then((a) => ({ a }), (err: DnsError) => ({ err })),
      this.resolver.resolve6(name).then((a) => ({ a }), (err: DnsError) => ({ err })),
    ]);
    const addresses = [...('a' in v4 ? v4.a : []), ...('a' in v6 ? v6.a : [])];
    if (addresses.length) return done(addresses);
    // Neither family: report the more telling error (a failure to ask beats "no such name").
    const errors = ['err' in v4 ? v4.err : undefined, 'err' in v6 ? v6.err : undefined].filter((e): e is DnsError => Boolean(e));
    const hard = errors.find((e) => !NO_RECORD.has(e.code ?? ''));
    return done([], hard ?? errors[0] ?? { code: 'ENODATA', message: `${name} has no A or AAAA record` });
  }
}
