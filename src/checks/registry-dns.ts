// The `registry-dns` check: the login server and the data endpoints resolve from the runner. Pure.
// The runner's view only: a registry whose public network access is disabled resolves to its private
// endpoint only inside VNets linked to its privatelink zone, so a runner outside gets public addresses (or
// nothing) and that says nothing about the cluster, whose path the registry-network check judges.
import type { DnsAnswer, Finding, RegistryFacts, Status } from '../model.js';
import { isPrivateAddress } from './ip.js';
import { defineCheck } from './check.js';

export interface RegistryDnsInput {
  registry: RegistryFacts;
  /** the login server first, then the data endpoints */
  answers: DnsAnswer[];
  /** azurecr.io, azurecr.cn, azurecr.us */
  acrSuffix: string;
}

/** DNS error codes meaning "this name does not exist / has no address" (an answer, not a failure to ask). */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'NXDOMAIN', 'ENODATA', 'NODATA']);

export function isPrivateRegistry(registry: RegistryFacts): boolean {
  return registry.publicNetworkAccess?.toLowerCase() === 'disabled';
}

/** Why the runner's probes do not judge a private registry. */
export function outsideNetwork(registry: RegistryFacts, what: string): string {
  const suffix = registry.loginServer.split('.').slice(1).join('.') || 'azurecr.io';
  return (
    `${registry.name} has public network access disabled and ${what}: the runner is outside the registry's network. ` +
    `Its private endpoint only resolves and answers inside VNets linked to the privatelink.${suffix} zone. ` +
    `The cluster's path is judged by the registry-network check; run on a self-hosted runner inside the network to probe it from here.`
  );
}

interface NameResult {
  host: string;
  role: 'login server' | 'data endpoint';
  cnames: string[];
  addresses: string[];
  /** every address is private (RFC 1918 & co.): a private endpoint answered */
  private: boolean;
  /** the CNAME chain goes through privatelink.<suffix> (true outside the VNet too: the public zone points there) */
  viaPrivateLink: boolean;
  elapsedMs: number;
  servers: string;
  /** 'os': getaddrinfo answered (no dns-servers input); 'dns-servers': those servers, asked directly */
  resolver?: 'os' | 'dns-servers';
  /** resolver 'os': what the system's DNS servers said when asked directly */
  dns?: DnsAnswer['dns'];
  error?: { code: string; message: string };
  /** 'proxied': the runner's DNS has no answer, but its requests to the name go through a proxy, which resolves it */
  outcome: 'resolved' | 'no-such-name' | 'not-answered' | 'proxied';
  proxy?: string;
  /** the OS resolved it, and not from what DNS says (an /etc/hosts entry, another nsswitch source) */
  outsideDns: boolean;
}

function examine(a: DnsAnswer, registry: RegistryFacts, acrSuffix: string): NameResult {
  const privateLink = `.privatelink.${acrSuffix.toLowerCase()}`;
  const error = a.error ?? (a.addresses.length === 0 ? { code: 'ENODATA', message: 'no addresses in the answer' } : undefined);
  const outcome = !error ? 'resolved' : a.proxy ? 'proxied' : NO_SUCH_NAME.has(error.code.toUpperCase()) ? 'no-such-name' : 'not-answered';
  return {
    host: a.host,
    role: a.host.toLowerCase() === registry.loginServer.toLowerCase() ? 'login server' : 'data endpoint',
    cnames: a.cnames,
    addresses: a.addresses,
    private: a.addresses.length > 0 && a.addresses.every(isPrivateAddress),
    viaPrivateLink: a.cnames.some((c) => c.toLowerCase().replace(/\.$/, '').endsWith(privateLink)),
    elapsedMs: a.elapsedMs,
    servers: a.servers,
    ...(a.resolver && { resolver: a.resolver }),
    ...(a.dns && { dns: a.dns }),
    ...(error ? { error } : {}),
    ...(a.proxy && { proxy: a.proxy }),
    outcome,
    outsideDns: a.resolver === 'os' && outcome === 'resolved' && a.dns?.agrees === false,
  };
}

/** Who answered, in words. */
function servers(n: Pick<NameResult, 'servers' | 'resolver'>): string {
  if (n.resolver === 'os') return 'getaddrinfo on the runner';
  return n.servers === 'system' ? "the runner's system DNS servers" : `DNS servers ${n.servers}`;
}

/** What DNS, asked directly, said instead of the OS's answer. */
function dnsSays(n: NameResult): string {
  return n.dns?.error ? n.dns.error.code : (n.dns?.addresses.join(', ') ?? '');
}

/** host → cname → … → addresses (or the error) */
function chain(n: NameResult): string {
  const hops = [n.host, ...n.cnames].join(' → ');
  const end = n.error ? `${n.error.code}` : n.addresses.join(', ');
  const outside = n.outsideDns ? ` (not from DNS, which says ${dnsSays(n)})` : '';
  const dnsOnly = n.resolver === 'os' && n.error && n.dns?.addresses.length ? ` (DNS asked directly: ${n.dns.addresses.join(', ')})` : '';
  return `${hops} → ${end}${n.private ? ' (private)' : ''}${outside}${dnsOnly}`;
}

/** A name the runner's DNS does not resolve but its proxy does: not the runner's to resolve. */
function proxiedNote(n: NameResult): string {
  return `${n.host} does not resolve on the runner (${n.error?.code} from ${servers(n)}), but the runner reaches it through the proxy ${n.proxy} (HTTPS_PROXY), which resolves it: registry-endpoint shows whether the proxy gets through.`;
}

/** A name the runner's OS resolves outside DNS: true here, and nothing the cluster's nodes share. */
function outsideDnsNote(n: NameResult): string {
  return (
    `${n.host} resolves on the runner to ${n.addresses.join(', ')} outside DNS (an /etc/hosts entry or another nsswitch source), while DNS asked directly says ${dnsSays(n)}. ` +
    `The cluster's nodes resolve through their own DNS: the registry-network check judges their path.`
  );
}

export function judgeRegistryDns({ registry, answers, acrSuffix }: RegistryDnsInput): Finding {
  const r = registry.name;
  const names = answers.map((a) => examine(a, registry, acrSuffix));
  const evidence: Record<string, unknown> = { publicNetworkAccess: registry.publicNetworkAccess, names };
  const finding = (status: Status, title: string, detail: string): Finding => ({ id: 'registry-dns', status, title, detail, registry: r, path: 'runner', evidence });
  const listing = `Answers: ${names.map(chain).join('; ')}.`;

  if (names.length === 0) return finding('unknown', `DNS for ${r} not checked`, `No name of ${r} was looked up from the runner.`);

  const privateRegistry = isPrivateRegistry(registry);
  if (privateRegistry && !names.some((n) => n.private)) {
    const got = names.some((n) => n.outcome === 'resolved') ? 'the runner resolves its names to public addresses' : 'its names do not resolve from the runner';
    return finding('skip', `${r} is private: not resolvable from the runner`, `${outsideNetwork(registry, got)} ${listing}`);
  }

  const missing = names.filter((n) => n.outcome === 'no-such-name');
  // A private registry the runner reaches privately: a name that still resolves publicly would be refused.
  const leaking = privateRegistry ? names.filter((n) => n.outcome === 'resolved' && !n.private) : [];
  if (missing.length > 0 || leaking.length > 0) {
    const lines = [
      ...missing.map(
        (n) =>
          `The ${n.role} ${n.host} does not resolve (${n.error?.code} from ${servers(n)})` +
          (n.role === 'login server' ? ': a typo, or a deleted or renamed registry.' : ': the data endpoint is not provisioned yet (or was removed), or a private DNS zone lacks its record.'),
      ),
      ...leaking.map(
        (n) =>
          `The ${n.role} ${n.host} resolves to public address(es) ${n.addresses.join(', ')} while ${r} has public network access disabled and its other names resolve privately here: ` +
          `the privatelink.${acrSuffix} zone lacks a record for it, so pulls through it are refused from this network.`,
      ),
    ];
    const first = missing[0] ?? leaking[0];
    const title = missing.length + leaking.length > 1 ? `${missing.length + leaking.length} names of ${r} do not resolve usefully` : `${first?.host} does not resolve${missing.length ? '' : ' privately'}`;
    return finding('fail', title, `${lines.join(' ')} ${listing}`);
  }

  const unanswered = names.filter((n) => n.outcome === 'not-answered');
  if (unanswered.length > 0) {
    const lines = unanswered.map((n) => `${n.host} could not be resolved (${n.error?.code}: ${n.error?.message}) using ${servers(n)} after ${n.elapsedMs} ms.`);
    return finding('unknown', `DNS for ${r} could not be verified`, `${lines.join(' ')} ${listing}`);
  }

  const privately = names.some((n) => n.private);
  const what = privately ? `private endpoint address(es)` : 'public address(es)';
  const slowest = Math.max(...names.map((n) => n.elapsedMs));
  const notes = [...names.filter((n) => n.outsideDns).map(outsideDnsNote), ...names.filter((n) => n.outcome === 'proxied').map(proxiedNote)];
  const resolved = names.filter((n) => n.outcome === 'resolved');
  const proxies = [...new Set(names.flatMap((n) => (n.outcome === 'proxied' && n.proxy ? [n.proxy] : [])))];
  const how = `to ${what} (slowest ${slowest} ms, ${servers(resolved[0] ?? { servers: 'system' })})`;
  const detail =
    resolved.length === names.length
      ? `${names.length === 1 ? 'The login server resolves' : `The login server and ${names.length - 1} data endpoint(s) resolve`} ${how}.`
      : resolved.length
        ? `${resolved.map((n) => n.host).join(', ')} resolve ${how}; the proxy ${proxies.join(', ')} resolves the others.`
        : `The runner's DNS resolves none of its names, but every request to them goes through the proxy ${proxies.join(', ')} (HTTPS_PROXY), which resolves them.`;
  return {
    ...finding('pass', resolved.length ? `${r} resolves from the runner` : `${r} is resolved by the runner's proxy`, `${detail} ${listing}`),
    ...(notes.length && { notes }),
  };
}

export const check = defineCheck({
  meta: { id: 'registry-dns', subject: 'registry', path: 'runner', what: "The runner's DNS" },
  async gather(facts, ref): Promise<RegistryDnsInput> {
    const registry = await facts.requireRegistry(ref);
    return { registry, answers: (await facts.runnerPath(registry)).dns, acrSuffix: facts.config.cloud.acrSuffix };
  },
  judge: judgeRegistryDns,
});
