// The registry-network judge: can the cluster's nodes reach the registry, judged from what ARM says
// about both (public network access, firewall rules vs. the cluster's egress, private endpoints, their
// DNS zones and links). Pure: facts in, one finding out. Anything unread that the verdict depends on
// makes it `unknown`, never `pass`.
import { parseResourceId, type ParsedResourceId } from '../azure/resource-id.js';
import type {
  ClusterFacts,
  ClusterNetworkFacts,
  EgressAddress,
  Finding,
  ImageRef,
  PrivateDnsZoneFacts,
  PrivateEndpointFacts,
  ReadFailure,
  RegistryFacts,
  RegistryNetworkFacts,
  Status,
  VirtualNetworkFacts,
} from '../model.js';
import { describeFailure } from './describe.js';
import { ipFamily } from './ip.js';
import { acrSuffixOf, bypassesProxy, egressCoverage, egressHosts, normaliseRegion, privateLinkFqdn, privateLinkZoneOf } from './egress.js';

export { egressHosts } from './egress.js';
import { defineCheck } from './check.js';
import { SEVERITY } from './verdict.js';

export interface RegistryNetworkInput {
  cluster: ClusterFacts;
  clusterNet: ClusterNetworkFacts;
  registry: RegistryFacts;
  registryNet: RegistryNetworkFacts;
  /** the `images` input references whose host is this registry's login server */
  images: ImageRef[];
}

/** The permissions the signed-in identity needs for each network read, used when a failure does not name one. */
export const NETWORK_READ_PERMISSION = {
  vnets: "Microsoft.Network/virtualNetworks/read (granted by the Reader role on the cluster's virtual network)",
  egress:
    'Microsoft.Network/loadBalancers/read, Microsoft.Network/natGateways/read, Microsoft.Network/publicIPAddresses/read and Microsoft.Network/publicIPPrefixes/read (granted by the Reader role on the node resource group)',
  privateEndpoint: 'Microsoft.Network/privateEndpoints/read and Microsoft.Network/networkInterfaces/read (granted by the Reader role on the private endpoint)',
  zones: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/read and Microsoft.Network/privateDnsZones/read (granted by the Reader role on the private endpoint and the zone)',
  zoneLinks: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/read (granted by the Reader role on the private DNS zone)',
  aRecords: 'Microsoft.Network/privateDnsZones/A/read (granted by the Reader role on the private DNS zone)',
  replications: 'Microsoft.ContainerRegistry/registries/replications/read (granted by the Reader role on the registry)',
  cacheRules: 'Microsoft.ContainerRegistry/registries/cacheRules/read (granted by the Reader role on the registry)',
} as const;

/** Node count at which a Basic registry's ReadOps limit becomes a real risk during a rollout. */
const BASIC_NODE_THRESHOLD = 20;

interface Issue {
  status: 'fail' | 'unknown' | 'warn';
  text: string;
  fix?: string[];
  /** says what the cluster's HTTP proxy must allow */
  proxy?: boolean;
}

/** The cluster's HTTPS proxy and the registry hosts that go through it (those not in noProxy). */
interface ProxyPath {
  url: string;
  noProxy: string[];
  hosts: string[];
  /** whether the login server or a data endpoint goes through it (then the registry firewall sees the proxy, not the cluster) */
  endpoints: boolean;
}

interface Problem {
  text: string;
  fix?: string[];
}

/**
 * What one private endpoint connection gives the cluster.
 * ok: approved, zone linked to a cluster VNet, records right; not-linked: records right, zone not linked;
 * no-zone: no privatelink zone in its DNS zone groups; records-bad: records missing or stale (see `linked`);
 * unread: something needed could not be read; not-approved: Pending, Rejected, Disconnected.
 */
type Outcome = 'ok' | 'not-linked' | 'no-zone' | 'records-bad' | 'unread' | 'not-approved';

interface EndpointEval {
  pe: PrivateEndpointFacts;
  name: string;
  outcome: Outcome;
  zone?: PrivateDnsZoneFacts;
  /** whether the zone is linked to one of the cluster's VNets; undefined when that could not be read */
  linked?: boolean;
  problems: Problem[];
  unread: string[];
  /** the endpoint's FQDN → private IPs, when read */
  addresses?: Record<string, string[]>;
}

type PublicEval =
  | { kind: 'disabled' }
  | { kind: 'judged'; status: 'pass' | 'warn' | 'fail' | 'unknown'; path: 'public' | 'public-allowed'; text: string; issues: Issue[] };

const sameId = (a: string, b: string) => a.toLowerCase().replace(/\/+$/, '') === b.toLowerCase().replace(/\/+$/, '');
const list = (xs: string[]) => xs.join(', ');

function parsed(id: string | undefined): ParsedResourceId | undefined {
  if (!id) return undefined;
  try {
    return parseResourceId(id);
  } catch {
    return undefined;
  }
}

const withPermission = (f: ReadFailure, permission: string) => describeFailure({ ...f, missingPermission: f.missingPermission ?? permission });

function nodeCount(cluster: ClusterFacts): number {
  return cluster.agentPools.reduce((n, p) => n + (p.maxCount ?? p.count ?? 0), 0);
}

/** ACR cache rule targets are a repository or a `prefix/*` wildcard. */
function cacheRuleMatches(target: string, repository: string): boolean {
  const t = target.toLowerCase();
  const repo = repository.toLowerCase();
  return t.endsWith('/*') ? repo.startsWith(t.slice(0, -1)) : t === repo;
}

function sameIps(a: string[], b: string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((ip) => y.has(ip));
}

class Judge {
  private readonly c: string;
  private readonly r: string;
  private readonly suffix: string;
  private readonly zoneName: string;
  private readonly vnets: VirtualNetworkFacts[] | undefined;
  private readonly customDns: VirtualNetworkFacts[];
  private readonly hosts: string[];
  private readonly registryArgs: string;
  private readonly proxy: ProxyPath | undefined;

  constructor(private readonly input: RegistryNetworkInput) {
    const { cluster, clusterNet, registry, registryNet } = input;
    this.c = cluster.name;
    this.r = registry.name;
    this.suffix = acrSuffixOf(registry.loginServer);
    this.zoneName = privateLinkZoneOf(registry.loginServer);
    this.vnets = clusterNet.vnets.ok ? clusterNet.vnets.value : undefined;
    this.customDns = (this.vnets ?? []).filter((v) => v.dnsServers.length > 0);
    this.hosts = egressHosts(registry, registryNet.replications.ok ? registryNet.replications.value : []);
    this.registryArgs = `--name ${registry.name} --resource-group ${registry.resourceGroup} --subscription ${registry.subscriptionId}`;
    const proxy = cluster.httpProxy;
    const proxied = proxy?.httpsProxy ? this.hosts.filter((h) => !bypassesProxy(h, proxy.noProxy)) : [];
    this.proxy =
      proxy?.httpsProxy && proxied.length > 0 ? { url: proxy.httpsProxy, noProxy: proxy.noProxy, hosts: proxied, endpoints: proxied.some((h) => !h.startsWith('*')) } : undefined;
  }

  // ── The cluster's HTTP proxy ───────────────────────────────────────────────────────────────────

  private proxyIssue(kind: 'public' | 'firewall' | 'private'): Issue {
    const { url, hosts, noProxy } = this.proxy!;
    const { c, r } = this;
    const direct = `Hosts in httpProxyConfig.noProxy (${list(noProxy) || 'none'}) go direct instead.`;
    const text = {
      public: `The nodes of ${c} reach ${list(hosts)} through the HTTP proxy ${url} (httpProxyConfig.httpsProxy): it must allow HTTPS (CONNECT to port 443) to them. ${direct}`,
      firewall:
        `The nodes of ${c} reach ${list(hosts)} through the HTTP proxy ${url} (httpProxyConfig.httpsProxy), so the registry firewall of ${r} sees the proxy's public IP, not the egress addresses of ${c}: ` +
        `the proxy must allow HTTPS (CONNECT to port 443) to ${list(hosts)}, and an IP rule of ${r} must hold the proxy's public egress IP (az acr network-rule add ${this.registryArgs} --ip-address <proxy public IP>). ${direct}`,
      private:
        `The nodes of ${c} send ${list(hosts)} through the HTTP proxy ${url} (httpProxyConfig.httpsProxy), so the proxy resolves and connects to them, not the nodes: ` +
        `unless it resolves them to the private endpoint, pulls go to the public endpoint of ${r}. Add them to httpProxyConfig.noProxy (az aks update --http-proxy-config), or make sure the proxy uses the private DNS zone. ${direct}`,
    }[kind];
    return { status: 'warn', text, proxy: true };
  }

  // ── Private endpoints ──────────────────────────────────────────────────────────────────────────

  private linkFixes(zone: { rg: string; sub?: string; name: string }): string[] {
    const vnets = this.vnets ?? [];
    const targets = vnets.length > 0 ? vnets.map((v) => v.id) : ['<cluster VNet id>'];
    return targets.map((id) => {
      const linkName = targets.length > 1 ? `${this.c}-${parsed(id)?.name ?? 'vnet'}-link` : `${this.c}-link`;
      const sub = zone.sub ? ` --subscription ${zone.sub}` : '';
      return `az network private-dns link vnet create --resource-group ${zone.rg} --zone-name ${zone.name} --name ${linkName} --virtual-network ${id} --registration-enabled false${sub}`;
    });
  }

  private evaluateEndpoint(pe: PrivateEndpointFacts): EndpointEval {
    const peId = parsed(pe.privateEndpointId);
    const name = peId?.name ?? pe.privateEndpointId ?? pe.connectionId ?? 'unnamed';
    const base = { pe, name, problems: [] as Problem[], unread: [] as string[] };
    if (pe.status !== 'Approved') {
      const status = pe.status ?? 'of unknown state';
      const fix = pe.status === 'Pending' && pe.connectionId ? [`az network private-endpoint-connection approve --id ${pe.connectionId}`] : undefined;
      const how =
        pe.status === 'Pending'
          ? 'it must be approved before traffic flows'
          : 'only an approved connection carries traffic; a rejected or disconnected connection cannot be approved again: delete the private endpoint and create it anew';
      return { ...base, outcome: 'not-approved', problems: [{ text: `Private endpoint connection ${name} is ${status}: ${how}.`, fix }] };
    }

    const { endpoint, zones } = pe;
    if (!endpoint) base.unread.push(`The private endpoint ${name} was not read.`);
    else if (!endpoint.ok) base.unread.push(withPermission(endpoint.error, NETWORK_READ_PERMISSION.privateEndpoint));
    if (!zones) base.unread.push(`The DNS zone groups of private endpoint ${name} were not read.`);
    else if (!zones.ok) base.unread.push(withPermission(zones.error, NETWORK_READ_PERMISSION.zones));
    if (!endpoint?.ok || !zones?.ok) return { ...base, outcome: 'unread' };

    const addresses: Record<string, string[]> = {};
    for (const a of endpoint.value.addresses) (addresses[a.fqdn.toLowerCase().replace(/\.$/, '')] ??= []).push(a.ip);
    const evaluated = { ...base, addresses };

    const zone = zones.value.find((z) => z.name.toLowerCase() === this.zoneName);
    if (!zone) {
      const peRg = peId?.resourceGroup ?? '<private endpoint resource group>';
      const sub = peId ? ` --subscription ${peId.subscriptionId}` : '';
      const others = zones.value.length > 0 ? ` (its zone groups point at ${list(zones.value.map((z) => z.name))})` : '';
      return {
        ...evaluated,
        outcome: 'no-zone',
        problems: [
          {
            text:
              `Private endpoint ${name} has no DNS zone group for ${this.zoneName}${others}: nothing makes ${this.input.registry.loginServer} resolve to its private address. ` +
              `Create the zone first if ${peRg} has none (az network private-dns zone create --resource-group ${peRg} --name ${this.zoneName}${sub}), then the zone group and the VNet link.`,
            fix: [
              `az network private-endpoint dns-zone-group create --resource-group ${peRg} --endpoint-name ${name} --name default --private-dns-zone ${this.zoneName} --zone-name ${this.zoneName.replace(/\./g, '-')}${sub}`,
              ...this.linkFixes({ rg: peRg, sub: peId?.subscriptionId, name: this.zoneName }),
            ],
          },
        ],
      };
    }

    const zoneId = parsed(zone.id);
    const zoneRef = { rg: zoneId?.resourceGroup ?? '<zone resource group>', sub: zoneId?.subscriptionId, name: zone.name };
    const zoneArgs = `--resource-group ${zoneRef.rg} --zone-name ${zone.name}`;
    const zoneSub = zoneRef.sub ? ` --subscription ${zoneRef.sub}` : '';

    // Is the zone linked to one of the cluster's VNets? An empty link list answers that without the VNets.
    let linked: boolean | undefined;
    if (!zone.linkedVnetIds.ok) base.unread.push(withPermission(zone.linkedVnetIds.error, NETWORK_READ_PERMISSION.zoneLinks));
    else if (zone.linkedVnetIds.value.length === 0) linked = false;
    else if (this.vnets) linked = zone.linkedVnetIds.value.some((id) => this.vnets!.some((v) => sameId(v.id, id)));
    else if (!this.input.clusterNet.vnets.ok) base.unread.push(withPermission(this.input.clusterNet.vnets.error, NETWORK_READ_PERMISSION.vnets));
    if (linked === false) {
      const vnetText = this.vnets ? list(this.vnets.map((v) => v.id)) : 'the VNet of the cluster';
      const linkedText = zone.linkedVnetIds.ok && zone.linkedVnetIds.value.length > 0 ? `it is linked to ${list(zone.linkedVnetIds.value)} only` : 'it has no VNet links';
      base.problems.push({
        text: `The private DNS zone ${zone.name} (${zone.id}) of private endpoint ${name} is not linked to ${vnetText} of ${this.c}: ${linkedText}, so the nodes resolve ${this.input.registry.loginServer} to its public address.`,
        fix: this.linkFixes(zoneRef),
      });
    }

    // Does the zone hold the endpoint's addresses, for the login server and every data endpoint?
    let recordsOk: boolean | undefined;
    if (!zone.aRecords.ok) base.unread.push(withPermission(zone.aRecords.error, NETWORK_READ_PERMISSION.aRecords));
    else {
      const records = Object.fromEntries(Object.entries(zone.aRecords.value).map(([k, v]) => [k.toLowerCase().replace(/\.$/, ''), v]));
      const login = this.input.registry.loginServer.toLowerCase();
      const recordProblems: Problem[] = [];
      if (!addresses[login]) {
        recordProblems.push({
          text: `Private endpoint ${name} has no private address for ${login} (its addresses: ${list(Object.keys(addresses)) || 'none'}); recreate the private endpoint with group id registry.`,
        });
      }
      for (const [fqdn, ips] of Object.entries(addresses)) {
        const recordName = privateLinkFqdn(fqdn, this.suffix);
        const relative = recordName.endsWith(`.${zone.name.toLowerCase()}`) ? recordName.slice(0, -(zone.name.length + 1)) : recordName;
        const have = records[recordName];
        const add = ips.map((ip) => `az network private-dns record-set a add-record ${zoneArgs} --record-set-name ${relative} --ipv4-address ${ip}${zoneSub}`);
        if (!have || have.length === 0) {
          recordProblems.push({ text: `The zone ${zone.name} has no A record ${recordName} for ${fqdn} (private endpoint ${name} has ${list(ips)}).`, fix: add });
        } else if (!sameIps(have, ips)) {
          const stale = have.filter((ip) => !ips.includes(ip));
          const remove = stale.map((ip) => `az network private-dns record-set a remove-record ${zoneArgs} --record-set-name ${relative} --ipv4-address ${ip}${zoneSub}`);
          recordProblems.push({
            text:
              `The A record ${recordName} in ${zone.name} is stale: it holds ${list(have)}, private endpoint ${name} has ${list(ips)} for ${fqdn}. ` +
              `Fix the record, or recreate the DNS zone group of ${name} so Azure rewrites it.`,
            fix: [...add.filter((_, i) => !have.includes(ips[i]!)), ...remove],
          });
        }
      }
      recordsOk = recordProblems.length === 0;
      base.problems.push(...recordProblems);
    }

    const outcome: Outcome = recordsOk === false ? 'records-bad' : base.unread.length > 0 ? 'unread' : linked ? 'ok' : 'not-linked';
    return { ...evaluated, zone, linked, outcome };
  }

  // ── The public endpoint ────────────────────────────────────────────────────────────────────────

  private evaluatePublic(): PublicEval {
    const { registry, clusterNet, cluster } = this.input;
    if ((registry.publicNetworkAccess ?? 'Enabled').toLowerCase() === 'disabled') return { kind: 'disabled' };
    const { c, r } = this;
    const outbound = clusterNet.outboundType ?? 'loadBalancer';
    const udr = ['userdefinedrouting', 'none'].includes(outbound.toLowerCase());
    const hosts = list(this.hosts);
    const rules = registry.networkRuleSet?.ipRules ?? [];
    const deny = (registry.networkRuleSet?.defaultAction ?? 'Allow').toLowerCase() === 'deny';
    const via = `(outbound type ${outbound})`;

    if (this.proxy?.endpoints) {
      // The proxy's egress, not the cluster's, reaches the registry: ARM does not show it.
      const through = `${c} pulls from ${r} over its public endpoint through the HTTP proxy ${this.proxy.url}`;
      return deny
        ? { kind: 'judged', status: 'warn', path: 'public-allowed', text: `${through}; the registry firewall allows only the IP rules ${list(rules.map((x) => x.value)) || 'none'}.`, issues: [this.proxyIssue('firewall')] }
        : { kind: 'judged', status: 'warn', path: 'public', text: `${through}; public network access is enabled and the registry firewall allows all networks.`, issues: [this.proxyIssue('public')] };
    }

    if (!deny) {
      const text = `${c} pulls from ${r} over its public endpoint: public network access is enabled and the registry firewall allows all networks.`;
      if (!udr) return { kind: 'judged', status: 'pass', path: 'public', text, issues: [] };
      const issue: Issue = {
        status: 'warn',
        text: `The egress of ${c} ${via} is not managed by AKS, so what its firewall allows cannot be read from ARM: it must allow HTTPS (443) to ${hosts}.`,
      };
      return { kind: 'judged', status: 'warn', path: 'public', text, issues: [issue] };
    }

    const rulesText = rules.length > 0 ? list(rules.map((x) => x.value)) : 'none';
    if (udr) {
      return {
        kind: 'judged',
        status: 'warn',
        path: 'public-allowed',
        text: `${c} pulls from ${r} over its public endpoint, whose firewall allows only the IP rules ${rulesText}.`,
        issues: [
          {
            status: 'warn',
            text:
              `The egress of ${c} ${via} leaves through a firewall or appliance whose public IP cannot be read from ARM: it must be inside an IP rule of ${r} ` +
              `(az acr network-rule add ${this.registryArgs} --ip-address <egress public IP>), and the firewall must allow HTTPS (443) to ${hosts}.`,
          },
        ],
      };
    }

    const egress = clusterNet.egress;
    const unknown = (text: string): PublicEval => ({
      kind: 'judged',
      status: 'unknown',
      path: 'public-allowed',
      text: `The registry firewall of ${r} allows only the IP rules ${rulesText}.`,
      issues: [{ status: 'unknown', text }],
    });
    if (!egress) return unknown(`The egress addresses of ${c} ${via} were not read, so they cannot be compared with the IP rules.`);
    if (!egress.ok) return unknown(withPermission(egress.error, NETWORK_READ_PERMISSION.egress));
    if (egress.value.length === 0) return unknown(`No egress address of ${c} ${via} was found (is the cluster stopped?), so none can be compared with the IP rules.`);
    return this.judgeEgress(egress.value, rules, rulesText, cluster.name);
  }

  private judgeEgress(egress: EgressAddress[], rules: { action?: string; value: string }[], rulesText: string, c: string): PublicEval {
    const r = this.r;
    const cover = egressCoverage(egress, rules);
    const issues: Issue[] = [];
    if (cover.missing.length > 0) {
      const missing = cover.missing.map((m) => (m.partly.length > 0 ? `${m.address} (only partly inside ${list(m.partly)})` : m.address));
      issues.push({
        status: 'fail',
        text: `The registry firewall of ${r} (default action Deny, IP rules ${rulesText}) does not allow the egress address${missing.length > 1 ? 'es' : ''} ${list(missing)} of ${c}: pulls are refused with 403 ("client with IP … is not allowed access").`,
        fix: cover.missing.map((m) => `az acr network-rule add ${this.registryArgs} --ip-address ${m.address}`),
      });
    }
    if (cover.ipv6.length > 0) {
      const onlyV6 = cover.allowed.length === 0 && cover.missing.length === 0;
      issues.push({
        status: onlyV6 ? 'fail' : 'warn',
        text: `IPv6 egress ${list(cover.ipv6)} of ${c} cannot be allowed: ACR IP rules take IPv4 addresses and ranges only${onlyV6 ? ', and the cluster has no IPv4 egress' : '; pulls must leave over IPv4'}.`,
      });
    }
    if (cover.unparsed.length > 0) issues.push({ status: 'unknown', text: `Egress value${cover.unparsed.length > 1 ? 's' : ''} ${list(cover.unparsed)} of ${c} is not an IP address or range.` });
    const allowed = cover.allowed.map((a) => `${a.address} in ${a.rule}`);
    const status = issues.reduce<'pass' | Issue['status']>((s, i) => (SEVERITY[i.status] > SEVERITY[s] ? i.status : s), 'pass');
    const families = cover.allowed.some((a) => ipFamily(a.address) === 'ipv6') ? '' : 'IPv4 ';
    const text =
      cover.missing.length === 0
        ? `${c} pulls from ${r} over its public endpoint: every ${families}egress address of ${c} is inside an IP rule of the registry firewall (${list(allowed)}).`
        : `${c} would pull from ${r} over its public endpoint, whose firewall allows only the IP rules ${rulesText}.`;
    return { kind: 'judged', status, path: 'public-allowed', text, issues };
  }

  // ── Everything together ────────────────────────────────────────────────────────────────────────

  run(): Finding {
    const { cluster, clusterNet, registry, registryNet } = this.input;
    const { c, r } = this;
    const issues: Issue[] = [];
    const info: string[] = [];
    const notes: string[] = [];

    const evals = registryNet.privateEndpoints.map((pe) => this.evaluateEndpoint(pe));
    const approved = evals.filter((e) => e.outcome !== 'not-approved');
    const notApproved = evals.filter((e) => e.outcome === 'not-approved');
    const customDns = this.customDns.length > 0;
    const dnsText = list(this.customDns.map((v) => `${v.id} (${list(v.dnsServers)})`));
    const ok = approved.filter((e) => e.outcome === 'ok');
    // With custom DNS the zone's VNet links do not decide resolution: the custom servers do.
    const usable = customDns ? approved.filter((e) => ['ok', 'not-linked', 'no-zone'].includes(e.outcome)) : ok;
    const brokenInUse = customDns ? [] : approved.filter((e) => e.outcome === 'records-bad' && e.linked === true);
    const unread = approved.filter((e) => e.unread.length > 0);
    const endpointProblems = (es: EndpointEval[]) => es.flatMap((e) => e.problems);
    const asIssues = (status: Issue['status'], ps: Problem[]): Issue[] => ps.map((p) => ({ status, text: p.text, fix: p.fix }));
    const unreadIssues = (): Issue[] => unread.flatMap((e) => e.unread.map((text) => ({ status: 'unknown' as const, text: `Private endpoint ${e.name}: ${text}` })));
    const customDnsIssue = (es: EndpointEval[]): Issue => ({
      status: 'warn',
      text:
        `The VNet of ${c} uses custom DNS servers (${dnsText}): ARM cannot show whether they forward ${this.zoneName} to Azure DNS (168.63.129.16) from a VNet linked to the zone, ` +
        `or otherwise resolve ${list(es.flatMap((e) => Object.entries(e.addresses ?? {}).map(([h, ips]) => `${h} → ${list(ips)}`))) || `the registry's hosts`} to private endpoint ${list(es.map((e) => e.name))}.`,
    });
    const privateText = (e: EndpointEval) =>
      `${c} pulls from ${r} through private endpoint ${e.name}: the connection is approved` +
      (e.zone && e.linked ? `, ${e.zone.name} is linked to the VNet of ${c}` : '') +
      (e.zone ? ` and its A records match the endpoint's addresses (${list(Object.entries(e.addresses ?? {}).map(([h, ips]) => `${privateLinkFqdn(h, this.suffix)} → ${list(ips)}`))}).` : '.');

    let path: string;
    let pathText: string;
    const pub = this.evaluatePublic();
    // A path that is verified broken is `fail` only when no alternative could still work: an endpoint
    // that could not be read, or VNets (and so their DNS servers) that could not be read, may be one.
    const vnetsUnread = !clusterNet.vnets.ok && approved.length > 0 && unread.length === 0;
    const alternativeUnverified = unread.length > 0 || vnetsUnread;
    const unlessAlternative = (is: Issue[]): Issue[] => (alternativeUnverified ? is.map((i) => (i.status === 'fail' ? { ...i, status: 'unknown' } : i)) : is);
    const vnetIssues = (): Issue[] => (vnetsUnread && !clusterNet.vnets.ok ? [{ status: 'unknown', text: withPermission(clusterNet.vnets.error, NETWORK_READ_PERMISSION.vnets) }] : []);
    const privatePathFails = (): Issue[] => [...unlessAlternative(asIssues('fail', endpointProblems([...approved, ...notApproved]))), ...unreadIssues(), ...vnetIssues()];

    if (!customDns && ok.length > 0) {
      path = 'private';
      pathText = privateText(ok[0]!);
      issues.push(...asIssues('fail', endpointProblems(brokenInUse)));
      const others = evals.filter((e) => e.outcome !== 'ok' && !brokenInUse.includes(e));
      info.push(...endpointProblems(others).map((p) => `(Not used by ${c}) ${p.text}`));
    } else if (brokenInUse.length > 0) {
      path = 'private';
      pathText = `The nodes of ${c} resolve ${registry.loginServer} through ${this.zoneName}, which is linked to their VNet, and the zone's records are wrong: pulls fail whatever the public network settings.`;
      issues.push(...asIssues('fail', endpointProblems(brokenInUse)));
    } else if (pub.kind === 'disabled') {
      path = 'private';
      if (customDns && usable.length > 0) {
        pathText = `Public network access to ${r} is disabled; ${c} can pull only through private endpoint ${list(usable.map((e) => e.name))}.`;
        issues.push(customDnsIssue(usable));
        for (const e of usable.filter((x) => x.outcome !== 'ok')) info.push(...e.problems.map((p) => p.text));
      } else if (evals.length === 0) {
        path = 'none';
        pathText = `Public network access to ${r} is disabled and ${r} has no private endpoint: the nodes of ${c} cannot reach it.`;
        const subnet = clusterNet.subnetIds[0] ?? '<node subnet id>';
        issues.push({
          status: 'fail',
          text: `Create a private endpoint in (or peered with) the VNet of ${c}, with a ${this.zoneName} zone linked to that VNet, or enable public network access (az acr update ${this.registryArgs} --public-network-enabled true).`,
          fix: [
            `az network private-endpoint create --resource-group ${cluster.resourceGroup} --subscription ${cluster.subscriptionId} --name ${r}-pe --subnet ${subnet} --private-connection-resource-id ${registry.id} --group-id registry --connection-name ${r}-pe`,
          ],
        });
      } else {
        path = 'none';
        const what = approved.length === 0 ? `${r} has no approved private endpoint connection` : `no private endpoint of ${r} gives ${c} a working private path`;
        pathText = `Public network access to ${r} is disabled and ${what}.`;
        issues.push(...privatePathFails());
      }
    } else {
      path = pub.path;
      pathText = pub.text;
      if (pub.status === 'pass' || pub.status === 'warn') {
        issues.push(...pub.issues);
        // An unread endpoint may have a zone linked to the cluster's VNet with wrong records.
        issues.push(...unreadIssues());
        const maybeInUse = approved.filter((e) => e.outcome === 'records-bad' && (customDns || e.linked === undefined));
        if (maybeInUse.length > 0) {
          const status = customDns ? 'warn' : 'unknown';
          const why = customDns ? `if the custom DNS servers of ${c} resolve through ${this.zoneName}` : `if ${this.zoneName} is linked to the VNet of ${c}`;
          issues.push(...endpointProblems(maybeInUse).map((p) => ({ status, text: `${p.text} ${why}, pulls fail.`, fix: p.fix }) as Issue));
        }
        info.push(...endpointProblems([...notApproved, ...approved.filter((e) => !maybeInUse.includes(e))]).map((p) => `(Not used by ${c}) ${p.text}`));
      } else if (customDns && usable.length > 0) {
        // The public path is blocked or unverified; the private one may carry the pulls.
        path = 'private';
        pathText = `${pub.text} ${c} can pull through private endpoint ${list(usable.map((e) => e.name))} instead.`;
        issues.push(customDnsIssue(usable));
        info.push(...pub.issues.map((i) => `(Public path) ${i.text}`));
      } else {
        issues.push(...unlessAlternative(pub.issues), ...unreadIssues(), ...vnetIssues());
        const alternatives = endpointProblems([...approved, ...notApproved]);
        if (alternatives.length > 0) info.push(`Alternatively, make the private path work: ${alternatives.map((p) => p.text).join(' ')}`);
      }
      if (customDns && path !== 'private') {
        notes.push(`The VNet of ${c} uses custom DNS servers (${dnsText}); they must resolve ${list(this.hosts.filter((h) => !h.startsWith('*')))} to the registry's public addresses.`);
      }
    }
    if (this.proxy && path !== 'none' && !issues.some((i) => i.proxy)) issues.push(this.proxyIssue(path === 'private' ? 'private' : 'public'));
    if (path === 'private') {
      const peVnets = usable.concat(ok).map((e) => e.pe.endpoint?.ok && e.pe.endpoint.value.subnetId);
      for (const subnetId of new Set(peVnets.filter((s): s is string => Boolean(s)))) {
        const vnetId = subnetId.replace(/\/subnets\/[^/]+\/?$/i, '');
        if (this.vnets && !this.vnets.some((v) => sameId(v.id, vnetId))) {
          notes.push(`The private endpoint's subnet ${subnetId} is not in a VNet of ${c}: the nodes reach it only through VNet peering or routing, which this check does not read.`);
        }
      }
    }

    const { httpProxy } = cluster;
    if (httpProxy?.httpsProxy && !this.proxy) notes.push(`The nodes of ${c} use the HTTP proxy ${httpProxy.httpsProxy}, but httpProxyConfig.noProxy (${list(httpProxy.noProxy)}) sends every host of ${r} direct.`);
    this.region(issues, info);
    this.notes(notes);
    notes.push(...this.untold(evals, [...issues.map((i) => i.text), ...info, ...notes].join(' ')));

    const status = issues.reduce<Status>((s, i) => (SEVERITY[i.status] > SEVERITY[s] ? i.status : s), 'pass');
    const ordered = [...issues].sort((a, b) => SEVERITY[b.status] - SEVERITY[a.status]);
    const fixes = [...new Set(ordered.flatMap((i) => i.fix ?? []))];
    const title = {
      pass: `Network path from ${c} to ${r} is open`,
      warn: `Network path from ${c} to ${r} has risks`,
      fail: `Network path from ${c} to ${r} is blocked`,
      unknown: `Network path from ${c} to ${r} could not be verified`,
      skip: `Network path from ${c} to ${r} was not checked`,
    }[status];
    const evidence = this.evidence(path, evals);
    return {
      id: 'registry-network',
      status,
      title,
      detail: [pathText, ...ordered.map((i) => i.text), ...info, ...(status === 'pass' ? [`Hosts the nodes reach: ${list(this.hosts)}.`] : [])].join(' '),
      ...(fixes.length > 0 ? { fix: fixes.join('\n') } : {}),
      cluster: c,
      registry: r,
      path: 'cluster',
      evidence,
      ...(notes.length > 0 ? { notes } : {}),
    };
  }

  /** Every fact that could not be read is told: a note for each failure no issue or note names already. */
  private untold(evals: EndpointEval[], said: string): string[] {
    const { clusterNet, registry, registryNet } = this.input;
    const { c, r } = this;
    const unread: [context: string, failure: string][] = [];
    if (!clusterNet.vnets.ok) {
      unread.push([`The VNets of ${c} could not be read, so whether they use custom DNS servers is not known`, withPermission(clusterNet.vnets.error, NETWORK_READ_PERMISSION.vnets)]);
    }
    if (clusterNet.egress && !clusterNet.egress.ok) unread.push([`The egress addresses of ${c} could not be read`, withPermission(clusterNet.egress.error, NETWORK_READ_PERMISSION.egress)]);
    if (!registryNet.replications.ok) {
      const hosts = registry.dataEndpointEnabled ? ', so the data endpoints of its replicas may be missing from the hosts named' : '';
      unread.push([`The replications of ${r} could not be read${hosts}`, withPermission(registryNet.replications.error, NETWORK_READ_PERMISSION.replications)]);
    }
    for (const e of evals) for (const text of e.unread) unread.push([`Private endpoint ${e.name}`, text]);
    return unread.filter(([, failure]) => !said.includes(failure)).map(([context, failure]) => `${context}: ${failure}`);
  }

  private region(issues: Issue[], info: string[]): void {
    const { cluster, registry, registryNet } = this.input;
    const want = normaliseRegion(cluster.location);
    if (normaliseRegion(registry.location) === want) return;
    const { c, r } = this;
    const where = `${r} is in ${registry.location} and ${c} in ${cluster.location}`;
    if (!registryNet.replications.ok) {
      issues.push({ status: 'unknown', text: `${where}; whether ${r} has a replica in ${cluster.location} is not known: ${withPermission(registryNet.replications.error, NETWORK_READ_PERMISSION.replications)}` });
      return;
    }
    const replica = registryNet.replications.value.find(
      (x) => normaliseRegion(x.location) === want && !['failed', 'deleting'].includes((x.provisioningState ?? '').toLowerCase()),
    );
    if (replica) {
      info.push(`${where}; its replica in ${replica.location} serves the pulls.`);
      return;
    }
    const premium = (registry.sku ?? '').toLowerCase() === 'premium';
    const create = `az acr replication create --registry ${r} --location ${cluster.location} --resource-group ${registry.resourceGroup} --subscription ${registry.subscriptionId}`;
    issues.push({
      status: 'warn',
      text:
        `${where}, and ${r} has no replica in ${cluster.location}: every pull crosses regions (slower, and data transfer between regions is billed).` +
        (premium ? '' : ` Geo-replication needs the Premium SKU (${r} is ${registry.sku ?? 'of unknown SKU'}): az acr update ${this.registryArgs} --sku Premium first.`),
      fix: premium ? [create] : [`az acr update ${this.registryArgs} --sku Premium`, create],
    });
  }

  private notes(notes: string[]): void {
    const { cluster, registry, registryNet, images } = this.input;
    const nodes = nodeCount(cluster);
    if ((registry.sku ?? '').toLowerCase() === 'basic' && nodes >= BASIC_NODE_THRESHOLD) {
      notes.push(
        `${registry.name} is a Basic registry and ${cluster.name} can run up to ${nodes} nodes: Basic allows far fewer ReadOps per minute than Standard or Premium, ` +
          `so many nodes pulling at once can be throttled (HTTP 429 toomanyrequests). Consider az acr update ${this.registryArgs} --sku Standard.`,
      );
    }
    const rules = registryNet.cacheRules;
    if (!rules || images.length === 0) return;
    if (!rules.ok) {
      notes.push(`Cache rules of ${registry.name} could not be read: ${withPermission(rules.error, NETWORK_READ_PERMISSION.cacheRules)}`);
      return;
    }
    for (const image of images) {
      const rule = rules.value.find((x) => x.targetRepository && cacheRuleMatches(x.targetRepository, image.repository));
      if (rule) {
        notes.push(
          `${image.input} is served by cache rule ${rule.name} (${rule.targetRepository} ← ${rule.sourceRepository ?? 'unknown source'}): ` +
            `the first pull of each tag is fetched from the upstream registry, which must be reachable and accept the rule's credentials.`,
        );
      }
    }
  }

  private evidence(path: string, evals: EndpointEval[]): Record<string, unknown> {
    const { cluster, clusterNet, registry, registryNet } = this.input;
    const egress = clusterNet.egress;
    return {
      path,
      publicNetworkAccess: registry.publicNetworkAccess ?? 'Enabled',
      defaultAction: registry.networkRuleSet?.defaultAction ?? 'Allow',
      ipRules: registry.networkRuleSet?.ipRules ?? [],
      outboundType: clusterNet.outboundType,
      egress: egress?.ok ? egress.value : undefined,
      ...(cluster.httpProxy && { proxy: { ...cluster.httpProxy, proxiedHosts: this.proxy?.hosts ?? [] } }),
      ...(egress?.ok && registry.networkRuleSet ? { egressCoverage: egressCoverage(egress.value, registry.networkRuleSet.ipRules) } : {}),
      hosts: this.hosts,
      vnets: this.vnets,
      privateEndpoints: evals.map((e) => ({
        connectionId: e.pe.connectionId,
        privateEndpointId: e.pe.privateEndpointId,
        status: e.pe.status,
        outcome: e.outcome,
        addresses: e.addresses,
        zone: e.zone && { id: e.zone.id, name: e.zone.name, linked: e.linked, linkedVnetIds: e.zone.linkedVnetIds.ok ? e.zone.linkedVnetIds.value : undefined },
      })),
      privateDnsZone: this.zoneName,
      clusterLocation: cluster.location,
      registryLocation: registry.location,
      replications: registryNet.replications.ok ? registryNet.replications.value.map((x) => x.location) : undefined,
      sku: registry.sku,
      nodeCount: nodeCount(cluster),
    };
  }
}

export function judgeRegistryNetwork(input: RegistryNetworkInput): Finding {
  return new Judge(input).run();
}

export const check = defineCheck({
  meta: { id: 'registry-network', subject: 'pair', path: 'cluster', what: 'Network path' },
  async gather(facts, pair): Promise<RegistryNetworkInput> {
    // The registry's own network facts need only the registry: start them before the cluster has answered
    // (the memo hands the same read to the await below).
    void facts.registry(pair.registry).then((r) => (r.registry.ok && r.registry.value ? facts.registryNetwork(r.registry.value) : undefined)).catch(() => undefined);
    const [cluster, registry] = await facts.requirePair(pair);
    const [clusterNet, registryNet] = await Promise.all([facts.clusterNetwork(cluster, registry), facts.registryNetwork(registry)]);
    return { cluster, clusterNet, registry, registryNet, images: facts.imagesOn(registry) };
  },
  judge: judgeRegistryNetwork,
});
