// The network side of the fake Azure (public IPs, prefixes, NAT gateways, VNets and subnets, private
// endpoints and their NICs and DNS zone groups, private DNS zones, links and record sets, registry
// replications, cache rules and private endpoint connections), read with the real SDK clients the engine
// uses. Runs with NODE_EXTRA_CA_CERTS pointing at the test CA (scripts/test.mjs sets it).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { ClientSecretCredential } from '@azure/identity';
import { startFakeAzure, type FakeAzure } from '../fake-azure/server.js';
import {
  ACR_PRIVATE_ZONE,
  IDS,
  SECRETS,
  aRecordSet,
  cacheRule,
  natGateway,
  privateDnsZone,
  privateDnsZoneGroup,
  privateEndpoint,
  publicIPAddress,
  publicIPPrefix,
  replication,
  resourceId,
  standardWorld,
  virtualNetwork,
  virtualNetworkLink,
  withFirewall,
  withPrivateRegistry,
} from '../fake-azure/fixtures.js';

const ARM_SCOPE = 'https://management.azure.com/.default';
const caCert = process.env.NODE_EXTRA_CA_CERTS;

type Example = { responses: Record<string, { body: Record<string, unknown> & { value?: Record<string, unknown>[] } }> };
const example = (file: string) => JSON.parse(readFileSync(new URL(`../fake-azure/arm-examples/${file}`, import.meta.url), 'utf8')) as Example;

describe('fake Azure: network, private DNS and registry child resources', () => {
  if (!caCert) {
    throw new Error('NODE_EXTRA_CA_CERTS is not set, so no client can trust the fake Azure. Run the tests through `node scripts/test.mjs`.');
  }
  const certDir = dirname(caCert);
  let fake: FakeAzure;

  beforeAll(async () => {
    fake = await startFakeAzure({ cert: join(certDir, 'server.pem'), key: join(certDir, 'server-key.pem') });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset(standardWorld());
    fake.pageSize = 100;
  });
  afterEach(() => {
    expect(fake.requests.filter((r) => r.route === 'unhandled').map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  const credential = () => new ClientSecretCredential(IDS.tenant, IDS.clientId, SECRETS.clientSecret, { authorityHost: fake.url, disableInstanceDiscovery: true });
  const options = () => ({
    endpoint: fake.url,
    credentials: { scopes: [ARM_SCOPE] },
    retryOptions: { maxRetries: 2, retryDelayInMs: 20, maxRetryDelayInMs: 200 },
  });
  const network = (subscription = IDS.subscription) => new NetworkManagementClient(credential(), subscription, options());
  const dns = () => new PrivateDnsManagementClient(credential(), IDS.subscription, options());
  const acr = () => new ContainerRegistryManagementClient(credential(), IDS.subscription, options());

  async function all<T>(iter: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const item of iter) out.push(item);
    return out;
  }

  /** The ARM routes answered, with their status, in order (sign-in requests left out). */
  const armRoutes = () => fake.requests.filter((r) => r.route.startsWith('arm.')).map((r) => `${r.route} ${r.status}`);
  const NET = 'Microsoft.Network';
  const RG = IDS.registryResourceGroup;

  describe('the standard world', () => {
    test("the cluster's effective outbound IPs and the customer ones are public IPs with addresses", async () => {
      const client = network();
      const ids = [...IDS.outboundIpIds, ...IDS.customerOutboundIpIds];
      const found = await Promise.all(
        ids.map((id) => {
          const [, , , , resourceGroup = '', , , , name = ''] = id.split('/');
          return client.publicIPAddresses.get(resourceGroup, name);
        }),
      );
      expect(found.map((ip) => [ip.id, ip.ipAddress, ip.publicIPAllocationMethod, ip.sku?.name])).toEqual(
        ids.map((id, i) => [id, [...IDS.outboundIps, ...IDS.customerOutboundIps][i], 'Static', 'Standard']),
      );
      const cluster = fake.world.clusters[0]!;
      expect(cluster.properties.networkProfile.loadBalancerProfile.effectiveOutboundIPs.map((r: { id: string }) => r.id)).toEqual([...IDS.outboundIpIds]);
      expect(armRoutes()).toEqual(Array(4).fill('arm.publicIPAddresses.get 200'));
    });

    test('the managed VNet of the node resource group: list, get, subnets; Azure-provided DNS', async () => {
      const client = network();
      const vnets = await all(client.virtualNetworks.list(IDS.nodeResourceGroup));
      expect(vnets.map((v) => [v.id, v.name, v.addressSpace?.addressPrefixes])).toEqual([[IDS.nodeVnetId, IDS.nodeVnet, [IDS.nodeVnetAddressPrefix]]]);
      const vnet = await client.virtualNetworks.get(IDS.nodeResourceGroup, IDS.nodeVnet);
      expect(vnet.dhcpOptions?.dnsServers).toEqual([]);
      expect(vnet.subnets?.map((s) => [s.id, s.name, s.addressPrefix])).toEqual([[IDS.nodeSubnetId, IDS.nodeSubnet, IDS.nodeSubnetAddressPrefix]]);
      const subnet = await client.subnets.get(IDS.nodeResourceGroup, IDS.nodeVnet, IDS.nodeSubnet);
      expect(subnet).toMatchObject({ id: IDS.nodeSubnetId, addressPrefix: IDS.nodeSubnetAddressPrefix });
      expect(subnet.natGateway).toBeUndefined();
      expect((await all(client.subnets.list(IDS.nodeResourceGroup, IDS.nodeVnet))).map((s) => s.id)).toEqual([IDS.nodeSubnetId]);
      expect((await all(client.virtualNetworks.listAll())).map((v) => v.id)).toEqual([IDS.nodeVnetId]);
      expect(armRoutes()).toEqual(['arm.virtualNetworks.list 200', 'arm.virtualNetworks.get 200', 'arm.subnets.get 200', 'arm.subnets.list 200', 'arm.virtualNetworks.list 200']);
      // the node resource group now exists: a missing VNet there is ResourceNotFound, not ResourceGroupNotFound
      await expect(client.virtualNetworks.get(IDS.nodeResourceGroup, 'nope')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    });

    test('the existing reads are unchanged (registry without private endpoints, no replications or cache rules)', async () => {
      const client = acr();
      expect(await all(client.replications.list(RG, IDS.registry))).toEqual([]);
      expect(await all(client.cacheRules.list(RG, IDS.registry))).toEqual([]);
      expect(await all(client.privateEndpointConnections.list(RG, IDS.registry))).toEqual([]);
    });
  });

  describe('outbound: NAT gateway, public IP prefix, subnet association', () => {
    test('natGateways.get, publicIPPrefixes.get and the subnet natGateway id', async () => {
      const rg = IDS.clusterResourceGroup;
      const ipId = resourceId(IDS.subscription, rg, `${NET}/publicIPAddresses`, 'natip');
      const prefixId = resourceId(IDS.subscription, rg, `${NET}/publicIPPrefixes`, 'natprefix');
      const natId = resourceId(IDS.subscription, rg, `${NET}/natGateways`, 'nat1');
      const vnetId = resourceId(IDS.subscription, rg, `${NET}/virtualNetworks`, 'vnet-aks');
      fake.world.resources.push(
        publicIPAddress({ subscriptionId: IDS.subscription, resourceGroup: rg, name: 'natip', ipAddress: '20.61.30.1' }),
        publicIPPrefix({ subscriptionId: IDS.subscription, resourceGroup: rg, name: 'natprefix', ipPrefix: '20.61.32.0/30' }),
        natGateway({ subscriptionId: IDS.subscription, resourceGroup: rg, name: 'nat1', publicIpAddressIds: [ipId], publicIpPrefixIds: [prefixId], subnetIds: [`${vnetId}/subnets/nodes`] }),
        virtualNetwork({ subscriptionId: IDS.subscription, resourceGroup: rg, name: 'vnet-aks', addressPrefixes: ['10.1.0.0/16'], dnsServers: ['10.1.0.4'], subnets: [{ name: 'nodes', addressPrefix: '10.1.0.0/22', natGatewayId: natId }] }),
      );
      const client = network();
      const nat = await client.natGateways.get(rg, 'nat1');
      expect(nat.publicIpAddresses?.map((r) => r.id)).toEqual([ipId]);
      expect(nat.publicIpPrefixes?.map((r) => r.id)).toEqual([prefixId]);
      expect(nat.subnets?.map((r) => r.id)).toEqual([`${vnetId}/subnets/nodes`]);
      expect((await client.publicIPPrefixes.get(rg, 'natprefix')).ipPrefix).toBe('20.61.32.0/30');
      expect((await client.publicIPPrefixes.get(rg, 'natprefix')).prefixLength).toBe(30);
      expect((await client.publicIPAddresses.get(rg, 'NATIP')).ipAddress).toBe('20.61.30.1');
      expect((await client.subnets.get(rg, 'vnet-aks', 'nodes')).natGateway?.id).toBe(natId);
      expect((await client.virtualNetworks.get(rg, 'vnet-aks')).dhcpOptions?.dnsServers).toEqual(['10.1.0.4']);
      expect((await all(client.natGateways.listAll())).map((n) => n.id)).toEqual([natId]);
      expect((await all(client.publicIPAddresses.list(rg))).map((ip) => ip.name)).toEqual(['customeroutboundip1', 'customeroutboundip2', 'natip']);
    });
  });

  describe('a private registry (withPrivateRegistry)', () => {
    test('registry Premium, publicNetworkAccess Disabled, the connection in the registry and in privateEndpointConnections.list', async () => {
      const made = withPrivateRegistry(fake.world, { dataEndpoints: true });
      const registry = await acr().registries.get(RG, IDS.registry);
      expect(registry).toMatchObject({ sku: { name: 'Premium' }, publicNetworkAccess: 'Disabled', dataEndpointEnabled: true, dataEndpointHostNames: ['myacr.westeurope.data.azurecr.io'] });
      expect(registry.privateEndpointConnections?.map((c) => [c.id, c.privateEndpoint?.id, c.privateLinkServiceConnectionState?.status])).toEqual([[made.connectionId, made.privateEndpointId, 'Approved']]);
      const listed = await all(acr().privateEndpointConnections.list(RG, IDS.registry));
      expect(listed.map((c) => [c.id, c.privateEndpoint?.id, c.privateLinkServiceConnectionState?.status, c.provisioningState])).toEqual([[made.connectionId, made.privateEndpointId, 'Approved', 'Succeeded']]);
      const name = made.connectionId.split('/').at(-1)!;
      expect((await acr().privateEndpointConnections.get(RG, IDS.registry, name)).id).toBe(made.connectionId);
    });

    test('the private endpoint, its NIC with privateLinkConnectionProperties, and the DNS zone group', async () => {
      const made = withPrivateRegistry(fake.world, { dataEndpoints: true });
      const client = network();
      const pe = await client.privateEndpoints.get(RG, 'pe-myacr');
      expect(pe.id).toBe(made.privateEndpointId);
      expect(pe.subnet?.id).toBe(made.endpointSubnetId);
      expect(pe.privateLinkServiceConnections?.map((c) => [c.privateLinkServiceId, c.groupIds, c.privateLinkServiceConnectionState?.status])).toEqual([[IDS.registryId, ['registry'], 'Approved']]);
      expect(pe.manualPrivateLinkServiceConnections).toEqual([]);
      expect(pe.customDnsConfigs).toEqual([
        { fqdn: 'myacr.azurecr.io', ipAddresses: ['10.225.0.4'] },
        { fqdn: 'myacr.westeurope.data.azurecr.io', ipAddresses: ['10.225.0.5'] },
      ]);
      expect(pe.networkInterfaces?.map((n) => n.id)).toEqual([made.networkInterfaceId]);
      const nicName = made.networkInterfaceId.split('/').at(-1)!;
      const nic = await client.networkInterfaces.get(RG, nicName);
      expect(nic.ipConfigurations?.map((c) => [c.privateIPAddress, c.privateLinkConnectionProperties])).toEqual([
        ['10.225.0.4', { groupId: 'registry', requiredMemberName: 'registry', fqdns: ['myacr.azurecr.io'] }],
        ['10.225.0.5', { groupId: 'registry', requiredMemberName: 'registry_data_westeurope', fqdns: ['myacr.westeurope.data.azurecr.io'] }],
      ]);
      expect(nic.privateEndpoint?.id).toBe(made.privateEndpointId);
      const groups = await all(client.privateDnsZoneGroups.list(RG, 'pe-myacr'));
      expect(groups.map((g) => g.id)).toEqual([made.zoneGroupId]);
      const [config] = groups[0]!.privateDnsZoneConfigs ?? [];
      expect(config?.privateDnsZoneId).toBe(made.zoneId);
      expect(config?.recordSets?.map((r) => [r.recordType, r.recordSetName, r.fqdn, r.ipAddresses])).toEqual([
        ['A', 'myacr', 'myacr.privatelink.azurecr.io', ['10.225.0.4']],
        ['A', 'myacr.westeurope.data', 'myacr.westeurope.data.privatelink.azurecr.io', ['10.225.0.5']],
      ]);
      expect((await client.privateDnsZoneGroups.get(RG, 'pe-myacr', 'default')).id).toBe(made.zoneGroupId);
      // the endpoint's subnet was added to the cluster's VNet
      expect((await client.subnets.get(IDS.nodeResourceGroup, IDS.nodeVnet, 'snet-private-endpoints')).addressPrefix).toBe('10.225.0.0/24');
    });

    test('privateZones.get, virtualNetworkLinks.list, recordSets.listByType / list / get', async () => {
      const made = withPrivateRegistry(fake.world, { dataEndpoints: true });
      const client = dns();
      const zone = await client.privateZones.get(RG, ACR_PRIVATE_ZONE);
      expect(zone).toMatchObject({ id: made.zoneId, name: ACR_PRIVATE_ZONE, location: 'global', numberOfRecordSets: 3, numberOfVirtualNetworkLinks: 1 });
      const links = await all(client.virtualNetworkLinks.list(RG, ACR_PRIVATE_ZONE));
      expect(links.map((l) => [l.virtualNetwork?.id, l.virtualNetworkLinkState, l.registrationEnabled])).toEqual([[IDS.nodeVnetId, 'Completed', false]]);
      const records = await all(client.recordSets.listByType(RG, ACR_PRIVATE_ZONE, 'A'));
      expect(records.map((r) => [r.name, r.fqdn, r.aRecords?.[0]?.ipv4Address, r.type])).toEqual([
        ['myacr', 'myacr.privatelink.azurecr.io.', '10.225.0.4', 'Microsoft.Network/privateDnsZones/A'],
        ['myacr.westeurope.data', 'myacr.westeurope.data.privatelink.azurecr.io.', '10.225.0.5', 'Microsoft.Network/privateDnsZones/A'],
      ]);
      expect((await all(client.recordSets.list(RG, ACR_PRIVATE_ZONE))).map((r) => r.name)).toEqual(['myacr', 'myacr.westeurope.data']);
      expect((await client.recordSets.get(RG, ACR_PRIVATE_ZONE, 'A', 'myacr.westeurope.data')).aRecords).toEqual([{ ipv4Address: '10.225.0.5' }]);
      expect((await all(client.privateZones.listByResourceGroup(RG))).map((z) => z.id)).toEqual([made.zoneId]);
      expect(armRoutes()).toEqual([
        'arm.privateDnsZones.get 200',
        'arm.virtualNetworkLinks.list 200',
        'arm.recordSets.listByType 200',
        'arm.recordSets.list 200',
        'arm.recordSets.get 200',
        'arm.privateDnsZones.list 200',
      ]);
    });

    test('options: not linked, pending, stale or missing records, a separate VNet', async () => {
      let made = withPrivateRegistry(fake.world, { linkZoneToClusterVnet: false, approved: false, records: 'stale' });
      expect(await all(dns().virtualNetworkLinks.list(RG, ACR_PRIVATE_ZONE))).toEqual([]);
      const pe = await network().privateEndpoints.get(RG, 'pe-myacr');
      expect(pe.privateLinkServiceConnections).toEqual([]);
      expect(pe.manualPrivateLinkServiceConnections?.map((c) => c.privateLinkServiceConnectionState?.status)).toEqual(['Pending']);
      expect((await all(acr().privateEndpointConnections.list(RG, IDS.registry))).map((c) => c.privateLinkServiceConnectionState?.status)).toEqual(['Pending']);
      expect((await all(dns().recordSets.listByType(RG, ACR_PRIVATE_ZONE, 'A'))).map((r) => r.aRecords?.[0]?.ipv4Address)).toEqual(['10.225.0.200']);
      expect(made.addresses).toEqual([{ fqdn: 'myacr.azurecr.io', ip: '10.225.0.4' }]);

      fake.reset(standardWorld());
      made = withPrivateRegistry(fake.world, { records: 'missing', endpointVnet: 'separate', status: 'Rejected' });
      expect(await all(dns().recordSets.listByType(RG, ACR_PRIVATE_ZONE, 'A'))).toEqual([]);
      expect(made.endpointVnetId).toBe(resourceId(IDS.subscription, RG, `${NET}/virtualNetworks`, 'vnet-myacr-pe'));
      const links = await all(dns().virtualNetworkLinks.list(RG, ACR_PRIVATE_ZONE));
      expect(links.map((l) => l.virtualNetwork?.id)).toEqual([made.endpointVnetId, IDS.nodeVnetId]);
      expect((await network().privateEndpoints.get(RG, 'pe-myacr')).privateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe('Rejected');
      expect((await network().subnets.get(RG, 'vnet-myacr-pe', 'snet-private-endpoints')).addressPrefix).toBe('10.10.1.0/24');
    });

    test('withFirewall: defaultAction Deny with the IP rules, Premium', async () => {
      withFirewall(fake.world, { ipRules: ['20.61.10.1', '198.51.100.0/24'] });
      const registry = await acr().registries.get(RG, IDS.registry);
      expect(registry).toMatchObject({ sku: { name: 'Premium' }, publicNetworkAccess: 'Enabled', networkRuleBypassOptions: 'AzureServices' });
      expect(registry.networkRuleSet).toEqual({
        defaultAction: 'Deny',
        ipRules: [
          { action: 'Allow', iPAddressOrRange: '20.61.10.1' },
          { action: 'Allow', iPAddressOrRange: '198.51.100.0/24' },
        ],
      });
    });
  });

  describe('registry replications and cache rules', () => {
    test('replications.list and cacheRules.list page via nextLink', async () => {
      fake.pageSize = 2;
      const regions = ['northeurope', 'eastus', 'westus2'];
      fake.world.resources.push(...regions.map((location, i) => replication({ registryId: IDS.registryId, location, regionEndpointEnabled: i !== 1 })));
      fake.world.resources.push(
        ...[1, 2, 3].map((n) => cacheRule({ registryId: IDS.registryId, name: `rule${n}`, sourceRepository: `docker.io/library/app${n}`, targetRepository: `hub/app${n}` })),
      );
      const replications = await all(acr().replications.list(RG, IDS.registry));
      expect(replications.map((r) => [r.name, r.location, r.regionEndpointEnabled, r.status?.displayStatus])).toEqual([
        ['northeurope', 'northeurope', true, 'Ready'],
        ['eastus', 'eastus', false, 'Ready'],
        ['westus2', 'westus2', true, 'Ready'],
      ]);
      const rules = await all(acr().cacheRules.list(RG, IDS.registry));
      expect(rules.map((r) => [r.name, r.sourceRepository, r.targetRepository, r.credentialSetResourceId])).toEqual([
        ['rule1', 'docker.io/library/app1', 'hub/app1', undefined],
        ['rule2', 'docker.io/library/app2', 'hub/app2', undefined],
        ['rule3', 'docker.io/library/app3', 'hub/app3', undefined],
      ]);
      expect(armRoutes()).toEqual(['arm.replications.list 200', 'arm.replications.list 200', 'arm.cacheRules.list 200', 'arm.cacheRules.list 200']);
      expect(fake.requests.filter((r) => r.route === 'arm.cacheRules.list').map((r) => r.query['$skipToken'] !== undefined)).toEqual([false, true]);
      expect((await acr().replications.get(RG, IDS.registry, 'EASTUS')).location).toBe('eastus');
      expect((await acr().cacheRules.get(RG, IDS.registry, 'rule2')).targetRepository).toBe('hub/app2');
    });

    test('withPrivateRegistry gives each replication region a data endpoint', async () => {
      fake.world.resources.push(replication({ registryId: IDS.registryId, location: 'northeurope' }));
      const made = withPrivateRegistry(fake.world, { dataEndpoints: true });
      expect(made.addresses.map((a) => a.fqdn)).toEqual(['myacr.azurecr.io', 'myacr.westeurope.data.azurecr.io', 'myacr.northeurope.data.azurecr.io']);
      expect((await all(dns().recordSets.listByType(RG, ACR_PRIVATE_ZONE, 'A'))).map((r) => r.name)).toEqual(['myacr', 'myacr.westeurope.data', 'myacr.northeurope.data']);
    });
  });

  describe('errors, paging and faults', () => {
    test('missing resources are ResourceNotFound, missing groups ResourceGroupNotFound, missing parents name the parent', async () => {
      const client = network();
      await expect(client.publicIPAddresses.get(IDS.nodeResourceGroup, 'nope')).rejects.toMatchObject({
        statusCode: 404,
        code: 'ResourceNotFound',
        message: expect.stringContaining(`The Resource 'Microsoft.Network/publicIPAddresses/nope' under resource group '${IDS.nodeResourceGroup}' was not found.`),
      });
      await expect(client.virtualNetworks.get('rg-nope', IDS.nodeVnet)).rejects.toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' });
      await expect(client.subnets.get(IDS.nodeResourceGroup, IDS.nodeVnet, 'nope')).rejects.toMatchObject({
        statusCode: 404,
        code: 'ResourceNotFound',
        message: expect.stringContaining(`'Microsoft.Network/virtualNetworks/${IDS.nodeVnet}/subnets/nope'`),
      });
      // the paged operations of these SDKs replace ARM's message with "Pagination failed with unexpected
      // statusCode 404" (the code stays ARM's); the fake's own words name the missing parent
      await expect(all(client.subnets.list(IDS.nodeResourceGroup, 'vnet-nope'))).rejects.toMatchObject({
        statusCode: 404,
        code: 'ResourceNotFound',
        message: 'Pagination failed with unexpected statusCode 404',
      });
      const token = (await credential().getToken(ARM_SCOPE))!.token;
      const res = await fetch(`${fake.url}${IDS.nodeVnetId.replace(IDS.nodeVnet, 'vnet-nope')}/subnets?api-version=2026-01-01`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
        `The Resource 'Microsoft.Network/virtualNetworks/vnet-nope' under resource group '${IDS.nodeResourceGroup}' was not found.`,
      );
      await expect(all(client.privateDnsZoneGroups.list(RG, 'pe-nope'))).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
      await expect(client.privateEndpoints.get(RG, 'pe-nope')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
      await expect(client.networkInterfaces.get(RG, 'nic-nope')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
      await expect(client.natGateways.get(RG, 'nat-nope')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
      await expect(client.publicIPPrefixes.get(RG, 'prefix-nope')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
      await expect(dns().privateZones.get(RG, ACR_PRIVATE_ZONE)).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
      await expect(all(dns().virtualNetworkLinks.list(RG, ACR_PRIVATE_ZONE))).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
      await expect(all(dns().recordSets.listByType(RG, ACR_PRIVATE_ZONE, 'A'))).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
      await expect(all(acr().replications.list(RG, 'nope'))).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
      await expect(all(acr().cacheRules.list('rg-nope', IDS.registry))).rejects.toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' });
      await expect(acr().replications.get(RG, IDS.registry, 'nowhere')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
      withPrivateRegistry(fake.world);
      await expect(dns().recordSets.get(RG, ACR_PRIVATE_ZONE, 'A', 'otheracr')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    });

    test('lists page via nextLink: virtualNetworks, subnets, record sets, links, zone groups', async () => {
      fake.pageSize = 1;
      const rg = 'rg-net';
      const zone = privateDnsZone({ subscriptionId: IDS.subscription, resourceGroup: rg, name: 'privatelink.example' });
      const pe = privateEndpoint({ subscriptionId: IDS.subscription, resourceGroup: rg, name: 'pe1', subnetId: `${IDS.nodeVnetId}/subnets/x`, registryId: IDS.registryId, addresses: [{ fqdn: 'myacr.azurecr.io', ip: '10.0.0.4' }] });
      fake.world.resources.push(
        ...[1, 2, 3].map((n) => virtualNetwork({ subscriptionId: IDS.subscription, resourceGroup: rg, name: `vnet${n}`, subnets: [1, 2, 3].map((s) => ({ name: `s${s}`, addressPrefix: `10.0.${s}.0/24` })) })),
        zone,
        ...['a', 'b', 'c'].map((name) => aRecordSet({ zoneId: String(zone.id), name, ips: ['10.0.0.9'] })),
        ...[1, 2].map((n) => virtualNetworkLink({ zoneId: String(zone.id), name: `link${n}`, vnetId: resourceId(IDS.subscription, rg, `${NET}/virtualNetworks`, `vnet${n}`) })),
        pe.privateEndpoint,
        ...['g1', 'g2'].map((name) => privateDnsZoneGroup({ privateEndpointId: String(pe.privateEndpoint.id), name, zoneIds: [String(zone.id)] })),
      );
      const client = network();
      expect((await all(client.virtualNetworks.list(rg))).map((v) => v.name)).toEqual(['vnet1', 'vnet2', 'vnet3']);
      expect((await all(client.subnets.list(rg, 'vnet2'))).map((s) => s.name)).toEqual(['s1', 's2', 's3']);
      expect((await all(client.privateDnsZoneGroups.list(rg, 'pe1'))).map((g) => g.name)).toEqual(['g1', 'g2']);
      expect((await all(dns().recordSets.listByType(rg, 'privatelink.example', 'A'))).map((r) => r.name)).toEqual(['a', 'b', 'c']);
      expect((await all(dns().virtualNetworkLinks.list(rg, 'privatelink.example'))).map((l) => l.name)).toEqual(['link1', 'link2']);
      const counts = (route: string) => fake.requests.filter((r) => r.route === route).length;
      expect([counts('arm.virtualNetworks.list'), counts('arm.subnets.list'), counts('arm.privateDnsZoneGroups.list'), counts('arm.recordSets.listByType'), counts('arm.virtualNetworkLinks.list')]).toEqual([3, 3, 2, 3, 2]);
    });

    test('ARM guards apply: 403 AuthorizationFailed fault, wrong audience, no api-version', async () => {
      const path = `${IDS.nodeVnetId}/subnets`;
      fake.addFault({ path, status: 403, times: 1 });
      await expect(all(network().subnets.list(IDS.nodeResourceGroup, IDS.nodeVnet))).rejects.toMatchObject({
        statusCode: 403,
        code: 'AuthorizationFailed',
        message: 'Pagination failed with unexpected statusCode 403',
      });
      fake.addFault({ path, status: 403, times: 1 });
      const token = (await credential().getToken(ARM_SCOPE))!.token;
      const res403 = await fetch(`${fake.url}${path}?api-version=2026-01-01`, { headers: { authorization: `Bearer ${token}` } });
      expect(await res403.json()).toMatchObject({
        error: { code: 'AuthorizationFailed', message: expect.stringContaining(`does not have authorization to perform action 'Microsoft.Network/virtualNetworks/subnets/read' over scope '${IDS.nodeVnetId}'`) },
      });
      fake.addFault({ path: /\/publicIPAddresses\/mgdoutboundip1$/i, status: 403 });
      await expect(network().publicIPAddresses.get(IDS.nodeResourceGroup, 'mgdoutboundip1')).rejects.toMatchObject({
        statusCode: 403,
        code: 'AuthorizationFailed',
        message: expect.stringContaining(`'Microsoft.Network/publicIPAddresses/read' over scope '${IDS.outboundIpIds[0]}'`),
      });
      const graphToken = await credential().getToken('https://graph.microsoft.com/.default');
      const res = await fetch(`${fake.url}${IDS.nodeVnetId}?api-version=2026-01-01`, { headers: { authorization: `Bearer ${graphToken?.token}` } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationTokenAudience');
      const armToken = await credential().getToken(ARM_SCOPE);
      const noVersion = await fetch(`${fake.url}${IDS.nodeVnetId}`, { headers: { authorization: `Bearer ${armToken?.token}` } });
      expect(noVersion.status).toBe(400);
      // the SDKs send the api-versions of their operations
      await network().virtualNetworks.get(IDS.nodeResourceGroup, IDS.nodeVnet);
      await all(dns().privateZones.listByResourceGroup(IDS.nodeResourceGroup));
      await all(acr().replications.list(RG, IDS.registry));
      expect(fake.requests.filter((r) => r.route.startsWith('arm.')).slice(-3).map((r) => [r.route, r.query['api-version']])).toEqual([
        ['arm.virtualNetworks.get', '2026-01-01'],
        ['arm.privateDnsZones.list', '2024-06-01'],
        ['arm.replications.list', '2025-11-01'],
      ]);
    });
  });

  describe('identify', () => {
    test('identify(token) tells what the fake knows of a token it issued, undefined otherwise', async () => {
      const t = await credential().getToken('https://containerregistry.azure.net/.default');
      expect(fake.identify(t!.token)).toEqual({ clientId: IDS.clientId, tenantId: IDS.tenant, audience: 'https://containerregistry.azure.net', kind: 'entra' });
      expect(fake.identify('fake-at-00000000000000000000000000000000')).toBeUndefined();
      fake.reset(standardWorld());
      expect(fake.identify(t!.token)?.clientId).toBe(IDS.clientId);
    });
  });

  describe('fixtures keep the official shapes', () => {
    const keysOf = (o: object) => Object.keys(o).sort();
    const body = (file: string) => example(file).responses['200']!.body;
    const first = (file: string) => body(file).value![0]!;
    const props = (o: Record<string, unknown>) => keysOf(o.properties as object);

    test('every builder keeps the keys of its example (removed ones only where they would point nowhere)', () => {
      const sub = IDS.subscription;
      const vnet = virtualNetwork({ subscriptionId: sub, resourceGroup: 'rg', name: 'v', subnets: [{ name: 's', addressPrefix: '10.0.0.0/24' }] });
      expect(keysOf(vnet)).toEqual(keysOf(body('network/2026-01-01/VirtualNetworkGet.json')));
      expect(props(vnet)).toEqual([...props(body('network/2026-01-01/VirtualNetworkGet.json')).filter((k) => k !== 'defaultPublicNatGateway'), 'dhcpOptions'].sort());
      expect(keysOf(vnet.properties.subnets[0])).toEqual([...keysOf(body('network/2026-01-01/SubnetGet.json')), 'type'].sort());
      const ip = publicIPAddress({ subscriptionId: sub, resourceGroup: 'rg', name: 'ip', ipAddress: '1.2.3.4' });
      expect(keysOf(ip)).toEqual([...keysOf(body('network/2026-01-01/PublicIpAddressGet.json')), 'sku'].sort());
      expect(props(ip)).toEqual([...props(body('network/2026-01-01/PublicIpAddressGet.json')).filter((k) => k !== 'ipConfiguration'), 'ipAddress'].sort());
      const prefix = publicIPPrefix({ subscriptionId: sub, resourceGroup: 'rg', name: 'p', ipPrefix: '1.2.3.0/30' });
      expect(keysOf(prefix)).toEqual(keysOf(body('network/2026-01-01/PublicIpPrefixGet.json')));
      expect(props(prefix)).toEqual(props(body('network/2026-01-01/PublicIpPrefixGet.json')));
      const nat = natGateway({ subscriptionId: sub, resourceGroup: 'rg', name: 'n' });
      expect(keysOf(nat)).toEqual(keysOf(body('network/2026-01-01/NatGatewayGet.json')));
      expect(props(nat)).toEqual(props(body('network/2026-01-01/NatGatewayGet.json')));
      const { privateEndpoint: pe, networkInterface: nic, connection } = privateEndpoint({ subscriptionId: sub, resourceGroup: 'rg', name: 'pe', subnetId: 's', registryId: IDS.registryId, addresses: [{ fqdn: 'myacr.azurecr.io', ip: '10.0.0.4' }] });
      expect(keysOf(pe)).toEqual(keysOf(body('network/2026-01-01/PrivateEndpointGet.json')));
      expect(props(pe)).toEqual(props(body('network/2026-01-01/PrivateEndpointGet.json')).filter((k) => k !== 'customNetworkInterfaceName'));
      expect(keysOf(nic)).toEqual(keysOf(body('network/2026-01-01/NetworkInterfaceGet.json')));
      expect(keysOf(connection)).toEqual(keysOf(first('containerregistry/2025-11-01/PrivateEndpointConnectionList.json')));
      expect(props(connection)).toEqual(props(first('containerregistry/2025-11-01/PrivateEndpointConnectionList.json')));
      const group = privateDnsZoneGroup({ privateEndpointId: String(pe.id), zoneIds: ['/z/privatelink.azurecr.io'] });
      expect(keysOf(group)).toEqual([...keysOf(first('network/2026-01-01/PrivateEndpointDnsZoneGroupList.json')), 'type'].sort());
      const zone = privateDnsZone({ subscriptionId: sub, resourceGroup: 'rg', name: ACR_PRIVATE_ZONE });
      expect(keysOf(zone)).toEqual(keysOf(body('privatedns/2024-06-01/PrivateZoneGet.json')).filter((k) => k !== 'tags'));
      expect(props(zone)).toEqual(props(body('privatedns/2024-06-01/PrivateZoneGet.json')));
      const link = virtualNetworkLink({ zoneId: String(zone.id), name: 'l', vnetId: String(vnet.id) });
      expect(keysOf(link)).toEqual(keysOf(first('privatedns/2024-06-01/VirtualNetworkLinkList.json')).filter((k) => k !== 'tags'));
      expect(props(link)).toEqual(props(first('privatedns/2024-06-01/VirtualNetworkLinkList.json')));
      const record = aRecordSet({ zoneId: String(zone.id), name: 'myacr', ips: ['10.0.0.4'] });
      expect(keysOf(record)).toEqual(keysOf(first('privatedns/2024-06-01/RecordSetAList.json')));
      expect(props(record)).toEqual(props(first('privatedns/2024-06-01/RecordSetAList.json')).filter((k) => k !== 'metadata'));
      expect(keysOf(body('privatedns/2024-06-01/RecordSetAGet.json'))).toEqual(keysOf(record));
      const rep = replication({ registryId: IDS.registryId, location: 'eastus' });
      expect(keysOf(rep)).toEqual(keysOf(first('containerregistry/2025-11-01/ReplicationList.json')).filter((k) => k !== 'tags'));
      expect(props(rep)).toEqual(props(first('containerregistry/2025-11-01/ReplicationList.json')));
      const rule = cacheRule({ registryId: IDS.registryId, name: 'r', sourceRepository: 's', targetRepository: 't', credentialSetResourceId: 'c' });
      expect(keysOf(rule)).toEqual(keysOf(first('containerregistry/2025-11-01/CacheRuleList.json')));
      expect(props(rule)).toEqual(props(first('containerregistry/2025-11-01/CacheRuleList.json')));
    });
  });
});
