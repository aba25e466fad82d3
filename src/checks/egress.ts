// What a cluster's egress must reach to pull from a registry, and whether the registry firewall lets
// the cluster's egress addresses in. Pure: registry facts and addresses in, host names and verdicts out.
import type { EgressAddress, RegistryFacts, ReplicationFacts } from '../model.js';
import { ipFamily, rangeContains, rangesOverlap } from './ip.js';

/** Blob storage (where layers come from when data endpoints are off), by login-server suffix. */
const BLOB_WILDCARD: Record<string, string> = {
  'azurecr.io': '*.blob.core.windows.net',
  'azurecr.cn': '*.blob.core.chinacloudapi.cn',
  'azurecr.us': '*.blob.core.usgovcloudapi.net',
};

const lower = (s: string) => s.trim().toLowerCase().replace(/\.$/, '');

/** "West Europe" and "westeurope" are the same region. */
export function normaliseRegion(location: string): string {
  return location.toLowerCase().replace(/\s+/g, '');
}

/** The login server's DNS suffix: azurecr.io, azurecr.cn, azurecr.us. */
export function acrSuffixOf(loginServer: string): string {
  const host = lower(loginServer);
  const dot = host.indexOf('.');
  return dot < 0 ? host : host.slice(dot + 1);
}

/** The private DNS zone a private endpoint of this registry needs: privatelink.azurecr.io (.cn, .us). */
export function privateLinkZoneOf(loginServer: string): string {
  return `privatelink.${acrSuffixOf(loginServer)}`;
}

/** The name a registry host has in the private DNS zone: myacr.azurecr.io → myacr.privatelink.azurecr.io. */
export function privateLinkFqdn(host: string, suffix: string): string {
  const h = lower(host);
  if (h.endsWith(`.privatelink.${suffix}`) || !h.endsWith(`.${suffix}`)) return h;
  return `${h.slice(0, -suffix.length)}privatelink.${suffix}`;
}

/** Data endpoint host names: ARM's dataEndpointHostNames, plus <label>.<region>.data.<suffix> for the home and each replica region when enabled. */
export function dataEndpointHosts(registry: RegistryFacts, replications: ReplicationFacts[] = []): string[] {
  const hosts = registry.dataEndpointHostNames.map(lower);
  if (registry.dataEndpointEnabled) {
    const label = lower(registry.loginServer).split('.')[0] ?? registry.name.toLowerCase();
    const suffix = acrSuffixOf(registry.loginServer);
    for (const location of [registry.location, ...replications.map((r) => r.location)]) {
      if (location) hosts.push(`${label}.${normaliseRegion(location)}.data.${suffix}`);
    }
  }
  return [...new Set(hosts)];
}

/**
 * Hosts an egress firewall must allow for pulls from this registry: the login server, then the data
 * endpoints when they are enabled, else the blob storage wildcard of the registry's cloud.
 */
export function egressHosts(registry: RegistryFacts, replications: ReplicationFacts[] = []): string[] {
  const login = lower(registry.loginServer);
  if (registry.dataEndpointEnabled) return [...new Set([login, ...dataEndpointHosts(registry, replications)])];
  const blob = BLOB_WILDCARD[acrSuffixOf(login)] ?? BLOB_WILDCARD['azurecr.io']!;
  return [login, ...dataEndpointHosts(registry, replications).filter((h) => h !== login), blob];
}

/**
 * Whether a host goes direct rather than through the proxy, by NO_PROXY as Go (containerd) reads it:
 * `*` for all, a domain for itself and its subdomains, `.domain` (or `*.domain`) for its subdomains, an
 * IP or CIDR for IP hosts; a port is ignored. A `*.domain` host stands for any subdomain of it.
 */
export function bypassesProxy(host: string, noProxy: string[]): boolean {
  const h = lower(host).replace(/^\*\./, 'any.');
  return noProxy.some((entry) => {
    let e = lower(entry);
    if (e === '*') return true;
    if (ipFamily(e)) return ipFamily(h) !== undefined && rangeContains(e, h);
    e = e.replace(/:\d+$/, '').replace(/^\*\./, '.');
    if (!e) return false;
    return e.startsWith('.') ? h.endsWith(e) : h === e || h.endsWith(`.${e}`);
  });
}

export interface EgressCoverage {
  /** egress addresses inside an Allow rule, with the rule that covers them */
  allowed: { address: string; rule: string }[];
  /** egress addresses (or prefixes) no Allow rule covers entirely; `partly` names rules that cover some of it */
  missing: { address: string; partly: string[] }[];
  /** IPv6 egress when the registry has no IPv6 rule at all: ACR IP rules are IPv4 unless the registry is dual-stack */
  ipv6: string[];
  /** values that are neither an IPv4 nor an IPv6 address or CIDR */
  unparsed: string[];
}

/**
 * Which egress addresses the registry's IP rules (action Allow, or no action) admit. IPv4 and IPv6 are
 * compared alike; IPv6 egress is `missing` only when the registry has IPv6 rules (else `ipv6`).
 */
export function egressCoverage(egress: EgressAddress[], ipRules: { action?: string; value: string }[]): EgressCoverage {
  const rules = ipRules.filter((r) => (r.action ?? 'Allow').toLowerCase() === 'allow').map((r) => r.value);
  const v6Rules = rules.some((r) => ipFamily(r) === 'ipv6');
  const out: EgressCoverage = { allowed: [], missing: [], ipv6: [], unparsed: [] };
  for (const { value } of egress) {
    const family = ipFamily(value);
    const rule = family && rules.find((r) => rangeContains(r, value));
    if (!family) out.unparsed.push(value);
    else if (rule) out.allowed.push({ address: value, rule });
    else if (family === 'ipv6' && !v6Rules) out.ipv6.push(value);
    else out.missing.push({ address: value, partly: rules.filter((r) => rangesOverlap(r, value)) });
  }
  return out;
}
