// Reads how a cluster's nodes reach a registry, from ARM: the node VNets and their DNS servers, the
// egress addresses (load balancer or NAT gateway public IPs and prefixes), and for a registry its private
// endpoints (endpoint NIC addresses, DNS zone groups, the zones' VNet links and A records), replications
// and cache rules. Every GET is made once per run, however many pairs need it. The network SDKs are
// large: they load on first use, alongside the reads that come before.
import type { NetworkManagementClient } from '@azure/arm-network';
import type { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import type {
  CacheRuleFacts,
  ClusterFacts,
  EgressAddress,
  Fact,
  PrivateDnsZoneFacts,
  PrivateEndpointFacts,
  RegistryFacts,
  RegistryNetworkFacts,
  ReplicationFacts,
  VirtualNetworkFacts,
} from '../model.js';
import { collectAll, readFact, type ArmClients } from './arm.js';
import { parseResourceId } from './resource-id.js';

export const NETWORK_READ_PERMISSION = 'Microsoft.Network/*/read on the resources involved (e.g. the Reader role on the node resource group and the network resource groups)';
const REGISTRY_CHILD_READ_PERMISSION = 'Microsoft.ContainerRegistry/registries/*/read (e.g. the Reader role on the registry)';

type Sdks = { network: typeof import('@azure/arm-network'); privateDns: typeof import('@azure/arm-privatedns') };
let sdks: Promise<Sdks> | undefined;

/** Starts loading the network SDKs (call early; they take a moment to parse). */
export function preloadNetworkSdks(): Promise<Sdks> {
  sdks ??= Promise.all([import('@azure/arm-network'), import('@azure/arm-privatedns')]).then(([network, privateDns]) => ({ network, privateDns }));
  return sdks;
}

const lower = (s: string) => s.toLowerCase();
/** The VNet id of a subnet id (…/virtualNetworks/{v}/subnets/{s}). */
export const vnetOfSubnet = (subnetId: string) => subnetId.replace(/\/subnets\/[^/]+$/i, '');

export class NetworkReader {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(private readonly clients: ArmClients) {
    void preloadNetworkSdks().catch(() => undefined);
  }

  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      this.memo.set(key, p);
    }
    return p;
  }

  private async network(subscriptionId: string): Promise<NetworkManagementClient> {
    const { network } = await preloadNetworkSdks();
    return this.clients.cached(`network:${subscriptionId}`, () => new network.NetworkManagementClient(this.clients.credential, subscriptionId, this.clients.modularOptions()));
  }

  private async privateDns(subscriptionId: string): Promise<PrivateDnsManagementClient> {
    const { privateDns } = await preloadNetworkSdks();
    return this.clients.cached(`privatedns:${subscriptionId}`, () => new privateDns.PrivateDnsManagementClient(this.clients.credential, subscriptionId, this.clients.modularOptions()));
  }

  private get opts() {
    return { abortSignal: this.clients.signal };
  }

  // ── the cluster ──────────────────────────────────────────────────────────────────────────────

  /** The node VNets: those of the pools' subnets, else the managed VNet AKS made in the node resource group. */
  vnets(cluster: ClusterFacts): Promise<Fact<VirtualNetworkFacts[]>> {
    return this.once(`vnets:${lower(cluster.id)}`, async () => {
      const subnetVnets = [...new Set(cluster.agentPools.flatMap((p) => (p.vnetSubnetID ? [vnetOfSubnet(p.vnetSubnetID)] : [])).map(lower))];
      if (subnetVnets.length) {
        const reads = await Promise.all(subnetVnets.map((id) => this.vnet(id)));
        const failed = reads.find((r) => !r.ok);
        return failed ?? { ok: true, value: reads.flatMap((r) => (r.ok ? [r.value] : [])) };
      }
      const rg = cluster.nodeResourceGroup;
      if (!rg) return { ok: true, value: [] };
      return readFact(`listing the managed virtual network in node resource group ${rg}`, NETWORK_READ_PERMISSION, async () => {
        const list = await collectAll((await this.network(cluster.subscriptionId)).virtualNetworks.list(rg, this.opts));
        return list.map((v) => ({ id: v.id ?? '', dnsServers: v.dhcpOptions?.dnsServers ?? [] }));
      });
    });
  }

  private vnet(id: string): Promise<Fact<VirtualNetworkFacts>> {
    return this.once(`vnet:${lower(id)}`, () => {
      const p = parseResourceId(id);
      return readFact(`reading virtual network ${p.name} in resource group ${p.resourceGroup}`, NETWORK_READ_PERMISSION, async () => {
        const v = await (await this.network(p.subscriptionId)).virtualNetworks.get(p.resourceGroup, p.name, this.opts);
        return { id: v.id ?? id, dnsServers: v.dhcpOptions?.dnsServers ?? [] };
      });
    });
  }

  /** The addresses the cluster's traffic leaves from; undefined when ARM cannot know (user-defined routing). */
  egress(cluster: ClusterFacts): Promise<Fact<EgressAddress[]>> | undefined {
    const type = cluster.outboundType?.toLowerCase();
    if (type === 'userdefinedrouting' || type === 'none') return undefined;
    return this.once(`egress:${lower(cluster.id)}`, async () => {
      const ids = [...(cluster.outboundResourceIds ?? [])];
      if (type === 'userassignednatgateway') {
        const nat = await this.subnetNatGatewayIps(cluster);
        if (!nat.ok) return nat;
        ids.push(...nat.value);
      }
      const reads = await Promise.all([...new Set(ids.map(lower))].map((id) => this.publicAddress(id)));
      const failed = reads.find((r) => !r.ok);
      if (failed) return failed;
      return { ok: true, value: reads.flatMap((r) => (r.ok && r.value ? [r.value] : [])) };
    });
  }

  /** userAssignedNATGateway: the NAT gateways on the node subnets, and their IPs and prefixes. */
  private async subnetNatGatewayIps(cluster: ClusterFacts): Promise<Fact<string[]>> {
    const subnetIds = [...new Set(cluster.agentPools.flatMap((p) => (p.vnetSubnetID ? [p.vnetSubnetID] : [])))];
    const subnets = await Promise.all(
      subnetIds.map((id) => {
        const m = /\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)$/i.exec(id);
        const p = parseResourceId(vnetOfSubnet(id));
        return readFact(`reading subnet ${m?.[2]} of ${m?.[1]}`, NETWORK_READ_PERMISSION, async () =>
          (await this.network(p.subscriptionId)).subnets.get(p.resourceGroup, m?.[1] ?? '', m?.[2] ?? '', this.opts),
        );
      }),
    );
    const failed = subnets.find((s) => !s.ok);
    if (failed && !failed.ok) return failed;
    const natIds = [...new Set(subnets.flatMap((s) => (s.ok && s.value.natGateway?.id ? [s.value.natGateway.id] : [])))];
    const nats = await Promise.all(
      natIds.map((id) => {
        const p = parseResourceId(id);
        return readFact(`reading NAT gateway ${p.name} in resource group ${p.resourceGroup}`, NETWORK_READ_PERMISSION, async () =>
          (await this.network(p.subscriptionId)).natGateways.get(p.resourceGroup, p.name, this.opts),
        );
      }),
    );
    const natFailed = nats.find((n) => !n.ok);
    if (natFailed && !natFailed.ok) return natFailed;
    return {
      ok: true,
      value: nats.flatMap((n) => (n.ok ? [...(n.value.publicIpAddresses ?? []), ...(n.value.publicIpPrefixes ?? [])].flatMap((r) => (r.id ? [r.id] : [])) : [])),
    };
  }

  /** A public IP address or prefix by id, as an egress address. */
  private publicAddress(id: string): Promise<Fact<EgressAddress | undefined>> {
    return this.once(`pip:${id}`, () => {
      const p = parseResourceId(id);
      const prefix = /\/publicIPPrefixes\//i.test(id);
      const what = `reading public IP ${prefix ? 'prefix' : 'address'} ${p.name} in resource group ${p.resourceGroup}`;
      return readFact(what, NETWORK_READ_PERMISSION, async () => {
        const client = await this.network(p.subscriptionId);
        const value = prefix
          ? (await client.publicIPPrefixes.get(p.resourceGroup, p.name, this.opts)).ipPrefix
          : (await client.publicIPAddresses.get(p.resourceGroup, p.name, this.opts)).ipAddress;
        return value ? { value, sourceId: id } : undefined;
      });
    });
  }

  // ── the registry ────────────────────────────────────────────────────────────────────────────

  registryNetwork(registry: RegistryFacts, withCacheRules: boolean): Promise<RegistryNetworkFacts> {
    return this.once(`registry:${lower(registry.id)}:${withCacheRules}`, async () => {
      const [privateEndpoints, replications, cacheRules] = await Promise.all([
        Promise.all(registry.privateEndpointConnections.map((c) => this.privateEndpoint(c))),
        this.replications(registry),
        withCacheRules ? this.cacheRules(registry) : undefined,
      ]);
      const facts: RegistryNetworkFacts = { privateEndpoints, replications };
      if (cacheRules) facts.cacheRules = cacheRules;
      return facts;
    });
  }

  replications(registry: RegistryFacts): Promise<Fact<ReplicationFacts[]>> {
    if (registry.sku?.toLowerCase() !== 'premium') return Promise.resolve({ ok: true, value: [] });
    return this.once(`replications:${lower(registry.id)}`, () =>
      readFact(`listing replications of registry ${registry.name}`, REGISTRY_CHILD_READ_PERMISSION, async () => {
        const list = await collectAll(this.clients.containerRegistry(registry.subscriptionId).replications.list(registry.resourceGroup, registry.name, this.opts));
        return list.map((r) => ({ location: r.location, regionEndpointEnabled: r.regionEndpointEnabled, provisioningState: r.provisioningState }));
      }),
    );
  }

  private cacheRules(registry: RegistryFacts): Promise<Fact<CacheRuleFacts[]>> {
    return readFact(`listing cache rules of registry ${registry.name}`, REGISTRY_CHILD_READ_PERMISSION, async () => {
      const list = await collectAll(this.clients.containerRegistry(registry.subscriptionId).cacheRules.list(registry.resourceGroup, registry.name, this.opts));
      return list.map((r) => ({ name: r.name ?? '', sourceRepository: r.sourceRepository, targetRepository: r.targetRepository }));
    });
  }

  private async privateEndpoint(c: RegistryFacts['privateEndpointConnections'][number]): Promise<PrivateEndpointFacts> {
    const facts: PrivateEndpointFacts = {};
    if (c.id) facts.connectionId = c.id;
    if (c.privateEndpointId) facts.privateEndpointId = c.privateEndpointId;
    if (c.status) facts.status = c.status;
    if (c.status?.toLowerCase() !== 'approved' || !c.privateEndpointId) return facts;
    const p = parseResourceId(c.privateEndpointId);
    const [endpoint, zones] = await Promise.all([this.endpointAddresses(c.privateEndpointId), this.zonesOf(p)]);
    return { ...facts, endpoint, zones };
  }

  private endpointAddresses(id: string): Promise<NonNullable<PrivateEndpointFacts['endpoint']>> {
    const p = parseResourceId(id);
    return readFact(`reading private endpoint ${p.name} in resource group ${p.resourceGroup}`, NETWORK_READ_PERMISSION, async () => {
      const client = await this.network(p.subscriptionId);
      const pe = await client.privateEndpoints.get(p.resourceGroup, p.name, this.opts);
      const nics = await Promise.all(
        (pe.networkInterfaces ?? []).flatMap((n) => (n.id ? [n.id] : [])).map((nicId) => {
          const n = parseResourceId(nicId);
          return client.networkInterfaces.get(n.resourceGroup, n.name, this.opts);
        }),
      );
      const fromNics = nics.flatMap((nic) =>
        (nic.ipConfigurations ?? []).flatMap((ipc) =>
          (ipc.privateLinkConnectionProperties?.fqdns ?? []).map((fqdn) => ({ fqdn: lower(fqdn), ip: ipc.privateIPAddress ?? '' })),
        ),
      );
      const fromCustomDns = (pe.customDnsConfigs ?? []).flatMap((d) => (d.ipAddresses ?? []).map((ip) => ({ fqdn: lower(d.fqdn ?? ''), ip })));
      const addresses = fromNics.length ? fromNics : fromCustomDns;
      return { ...(pe.subnet?.id && { subnetId: pe.subnet.id }), addresses: addresses.filter((a) => a.fqdn && a.ip) };
    });
  }

  private async zonesOf(pe: { subscriptionId: string; resourceGroup: string; name: string }): Promise<Fact<PrivateDnsZoneFacts[]>> {
    const groups = await readFact(`listing DNS zone groups of private endpoint ${pe.name}`, NETWORK_READ_PERMISSION, async () =>
      collectAll((await this.network(pe.subscriptionId)).privateDnsZoneGroups.list(pe.resourceGroup, pe.name, this.opts)),
    );
    if (!groups.ok) return groups;
    const zoneIds = [...new Set(groups.value.flatMap((g) => (g.privateDnsZoneConfigs ?? []).flatMap((z) => (z.privateDnsZoneId ? [z.privateDnsZoneId] : [])).map(lower)))];
    return { ok: true, value: await Promise.all(zoneIds.map((id) => this.zone(id))) };
  }

  private zone(id: string): Promise<PrivateDnsZoneFacts> {
    return this.once(`zone:${id}`, async () => {
      const p = parseResourceId(id);
      const client = await this.privateDns(p.subscriptionId);
      const [linkedVnetIds, aRecords] = await Promise.all([
        readFact(`listing virtual network links of private DNS zone ${p.name}`, NETWORK_READ_PERMISSION, async () =>
          (await collectAll(client.virtualNetworkLinks.list(p.resourceGroup, p.name, this.opts))).flatMap((l) => (l.virtualNetwork?.id ? [l.virtualNetwork.id] : [])),
        ),
        readFact(`listing A records of private DNS zone ${p.name}`, NETWORK_READ_PERMISSION, async () => {
          const sets = await collectAll(client.recordSets.listByType(p.resourceGroup, p.name, 'A', this.opts));
          const out: Record<string, string[]> = {};
          for (const s of sets) {
            const fqdn = lower((s.fqdn ?? `${s.name}.${p.name}`).replace(/\.$/, ''));
            out[fqdn] = (s.aRecords ?? []).flatMap((a) => (a.ipv4Address ? [a.ipv4Address] : []));
          }
          return out;
        }),
      ]);
      return { id, name: lower(p.name), linkedVnetIds, aRecords };
    });
  }
}
