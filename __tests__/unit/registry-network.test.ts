import { egressHosts, judgeRegistryNetwork } from '../../src/checks/registry-network.js';
import { REGISTRY_ID, registryFacts } from './facts.js';
import type {
  AgentPool,
  CacheRuleFacts,
  ClusterFacts,
  EgressAddress,
  Fact,
  Finding,
  PrivateDnsZoneFacts,
  PrivateEndpointFacts,
  ReadFailure,
  RegistryFacts,
  ReplicationFacts,
  Status,
  VirtualNetworkFacts,
} from '../../src/model.js';

const VNET = '/subscriptions/s1/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet1';
const HUB_VNET = '/subscriptions/s2/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub';
const SUBNET = `${VNET}/subnets/nodes`;
const ZONE_ID = '/subscriptions/s2/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io';
const PE_ID = '/subscriptions/s1/resourceGroups/rg-pe/providers/Microsoft.Network/privateEndpoints/pe1';
const CONN_ID = `${REGISTRY_ID}/privateEndpointConnections/pe1.conn`;
const LOGIN = 'myacr.azurecr.io';
const DATA = 'myacr.westeurope.data.azurecr.io';
const LOGIN_RECORD = 'myacr.privatelink.azurecr.io';
const DATA_RECORD = 'myacr.westeurope.data.privatelink.azurecr.io';
const ZONE_ARGS = '--resource-group rg-dns --zone-name privatelink.azurecr.io';
const LINK = `az network private-dns link vnet create ${ZONE_ARGS} --name aks1-link --virtual-network ${VNET} --registration-enabled false --subscription s2`;
const RULE_ADD = (ip: string) => `az acr network-rule add --name myacr --resource-group rg --subscription s1 --ip-address ${ip}`;

const OPEN = 'Network path from aks1 to myacr is open';
const BLOCKED = 'Network path from aks1 to myacr is blocked';
const RISKY = 'Network path from aks1 to myacr has risks';
const UNVERIFIED = 'Network path from aks1 to myacr could not be verified';

const ok = <T,>(value: T): Fact<T> => ({ ok: true, value });
const failed = <T,>(error: ReadFailure): Fact<T> => ({ ok: false, error });
const forbidden = (what: string, missingPermission?: string): ReadFailure => ({
  what,
  status: 403,
  code: 'AuthorizationFailed',
  message: 'The client does not have authorization to perform action',
  correlationId: 'corr-net',
  ...(missingPermission ? { missingPermission } : {}),
});

function vnet(dnsServers: string[] = [], id = VNET): VirtualNetworkFacts {
  return { id, dnsServers };
}

function zone(over: { name?: string; id?: string; links?: Fact<string[]>; records?: Fact<Record<string, string[]>> } = {}): PrivateDnsZoneFacts {
  return {
    id: over.id ?? ZONE_ID,
    name: over.name ?? 'privatelink.azurecr.io',
    linkedVnetIds: over.links ?? ok([VNET]),
    aRecords: over.records ?? ok({ [LOGIN_RECORD]: ['10.0.0.5'], [DATA_RECORD]: ['10.0.0.6'] }),
  };
}

function endpoint(over: Partial<PrivateEndpointFacts> = {}): PrivateEndpointFacts {
  const approved = (over.status ?? 'Approved') === 'Approved';
  return {
    connectionId: CONN_ID,
    privateEndpointId: PE_ID,
    status: 'Approved',
    ...(approved
      ? {
          endpoint: ok({
            subnetId: SUBNET,
            addresses: [
              { fqdn: LOGIN, ip: '10.0.0.5' },
              { fqdn: DATA, ip: '10.0.0.6' },
            ],
          }),
          zones: ok([zone()]),
        }
      : {}),
    ...over,
  };
}

const pools = (...counts: [count: number, maxCount?: number][]): AgentPool[] => counts.map(([count, maxCount], i) => ({ name: `pool${i}`, count, ...(maxCount ? { maxCount } : {}) }));
const egress = (...values: string[]): Fact<EgressAddress[]> => ok(values.map((value, i) => ({ value, sourceId: `/subscriptions/s1/resourceGroups/mc_rg/providers/Microsoft.Network/publicIPAddresses/ip${i}` })));
const deny = (...rules: string[]): Partial<RegistryFacts> => ({ networkRuleSet: { defaultAction: 'Deny', ipRules: rules.map((value) => ({ action: 'Allow', value })) } });
const disabled: Partial<RegistryFacts> = { publicNetworkAccess: 'Disabled' };

interface Setup {
  cluster?: Partial<ClusterFacts>;
  registry?: Partial<RegistryFacts>;
  outboundType?: string;
  vnets?: Fact<VirtualNetworkFacts[]>;
  /** null: not read (the outbound type makes egress unknowable) */
  egress?: Fact<EgressAddress[]> | null;
  endpoints?: PrivateEndpointFacts[];
  replications?: Fact<ReplicationFacts[]>;
  cacheRules?: Fact<CacheRuleFacts[]>;
  images?: string[];
}

function registry(over: Partial<RegistryFacts> = {}): RegistryFacts {
  return registryFacts({ loginServer: LOGIN, sku: 'Premium', ...over });
}

function judge(s: Setup = {}): Finding {
  const cluster: ClusterFacts = {
    id: '/subscriptions/s1/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks1',
    name: 'aks1',
    subscriptionId: 's1',
    resourceGroup: 'rg-aks',
    location: 'westeurope',
    nodeResourceGroup: 'MC_rg-aks_aks1_westeurope',
    kubelet: { source: 'managedIdentity', objectId: 'k' },
    agentPools: pools([3]),
    ...s.cluster,
  };
  const images = (s.images ?? []).map((repository) => ({ input: `${LOGIN}/${repository}:1`, host: LOGIN, repository, tag: '1' }));
  return judgeRegistryNetwork({
    cluster,
    clusterNet: {
      outboundType: s.outboundType ?? 'loadBalancer',
      subnetIds: [SUBNET],
      vnets: s.vnets ?? ok([vnet()]),
      ...(s.egress === null ? {} : { egress: s.egress ?? egress('20.1.2.3') }),
    },
    registry: registry(s.registry),
    registryNet: {
      privateEndpoints: s.endpoints ?? [],
      replications: s.replications ?? ok([]),
      ...(s.cacheRules ? { cacheRules: s.cacheRules } : {}),
    },
    images,
  });
}

interface Expectation {
  status: Status;
  title: string;
  detail?: string[];
  notInDetail?: string[];
  /** strings the fix contains; null: no fix */
  fix?: string[] | null;
  /** the whole fix */
  fixIs?: string;
  /** strings some note contains; null: no notes */
  notes?: string[] | null;
}

function check(f: Finding, e: Expectation): void {
  expect(f).toMatchObject({ id: 'registry-network', cluster: 'aks1', registry: 'myacr', path: 'cluster', status: e.status });
  expect(f.title).toBe(e.title);
  for (const word of e.detail ?? []) expect(f.detail).toContain(word);
  for (const word of e.notInDetail ?? []) expect(f.detail).not.toContain(word);
  if (e.fix === null) expect(f.fix).toBeUndefined();
  for (const word of e.fix ?? []) expect(f.fix).toContain(word);
  if (e.fixIs !== undefined) expect(f.fix).toBe(e.fixIs);
  if (e.notes === null) expect(f.notes).toBeUndefined();
  for (const word of e.notes ?? []) expect(f.notes?.join('\n')).toContain(word);
}

describe('private endpoints (rule 1, 2)', () => {
  const staleZone = zone({ records: ok({ [LOGIN_RECORD]: ['10.0.0.9'], [DATA_RECORD]: ['10.0.0.6'] }) });
  const noDataRecord = zone({ records: ok({ [LOGIN_RECORD]: ['10.0.0.5'] }) });
  const zoneForbidden = forbidden(`reading the DNS zone groups of ${PE_ID}`);
  test.each<[string, Setup, Expectation]>([
    [
      'approved, zone linked, records match, public access disabled',
      { registry: disabled, endpoints: [endpoint()] },
      { status: 'pass', title: OPEN, detail: ['through private endpoint pe1', 'privatelink.azurecr.io is linked', `${LOGIN_RECORD} → 10.0.0.5`, `${DATA_RECORD} → 10.0.0.6`], fix: null, notes: null },
    ],
    [
      'the private path wins over a firewall that would block the egress',
      { registry: deny('1.1.1.1'), endpoints: [endpoint()] },
      { status: 'pass', title: OPEN, detail: ['through private endpoint pe1'], notInDetail: ['network-rule'], fix: null },
    ],
    [
      'VNet ids compare case-insensitively, record names and FQDNs too',
      {
        registry: disabled,
        endpoints: [endpoint({ zones: ok([zone({ links: ok([VNET.toUpperCase()]), records: ok({ 'MYACR.privatelink.azurecr.io': ['10.0.0.5'], [DATA_RECORD]: ['10.0.0.6'] }) })]) })],
      },
      { status: 'pass', title: OPEN },
    ],
    [
      'zone not linked to the cluster VNet',
      { registry: disabled, endpoints: [endpoint({ zones: ok([zone({ links: ok([HUB_VNET]) })]) })] },
      { status: 'fail', title: BLOCKED, detail: ['Public network access to myacr is disabled and', 'is not linked to', `linked to ${HUB_VNET} only`], fixIs: LINK },
    ],
    [
      'zone without any link',
      { registry: disabled, endpoints: [endpoint({ zones: ok([zone({ links: ok([]) })]) })] },
      { status: 'fail', title: BLOCKED, detail: ['it has no VNet links'], fixIs: LINK },
    ],
    [
      'zone without any link, cluster VNets unreadable: their DNS servers might still resolve it',
      { registry: disabled, endpoints: [endpoint({ zones: ok([zone({ links: ok([]) })]) })], vnets: failed(forbidden('reading VNets')) },
      { status: 'unknown', title: UNVERIFIED, detail: ['it has no VNet links', 'Microsoft.Network/virtualNetworks/read'], fix: ['az network private-dns link vnet create', '--virtual-network <cluster VNet id>'] },
    ],
    [
      'stale A record for the login server',
      { registry: disabled, endpoints: [endpoint({ zones: ok([staleZone]) })] },
      {
        status: 'fail',
        title: BLOCKED,
        detail: [`The A record ${LOGIN_RECORD} in privatelink.azurecr.io is stale: it holds 10.0.0.9, private endpoint pe1 has 10.0.0.5`, 'recreate the DNS zone group'],
        fixIs: [
          `az network private-dns record-set a add-record ${ZONE_ARGS} --record-set-name myacr --ipv4-address 10.0.0.5 --subscription s2`,
          `az network private-dns record-set a remove-record ${ZONE_ARGS} --record-set-name myacr --ipv4-address 10.0.0.9 --subscription s2`,
        ].join('\n'),
      },
    ],
    [
      'a stale record in a zone linked to the cluster breaks pulls even with public access',
      { endpoints: [endpoint({ zones: ok([staleZone]) })] },
      { status: 'fail', title: BLOCKED, detail: ['linked to their VNet', 'whatever the public network settings', 'is stale'] },
    ],
    [
      'a stale record in a zone not linked to the cluster does not matter with public access',
      { endpoints: [endpoint({ zones: ok([zone({ links: ok([HUB_VNET]), records: staleZone.aRecords })]) })] },
      { status: 'pass', title: OPEN, detail: ['over its public endpoint', '(Not used by aks1)', 'is stale'], fix: null },
    ],
    [
      'missing data endpoint record',
      { registry: disabled, endpoints: [endpoint({ zones: ok([noDataRecord]) })] },
      {
        status: 'fail',
        title: BLOCKED,
        detail: [`no A record ${DATA_RECORD} for ${DATA}`],
        fixIs: `az network private-dns record-set a add-record ${ZONE_ARGS} --record-set-name myacr.westeurope.data --ipv4-address 10.0.0.6 --subscription s2`,
      },
    ],
    [
      'an endpoint without an address for the login server',
      { registry: disabled, endpoints: [endpoint({ endpoint: ok({ subnetId: SUBNET, addresses: [{ fqdn: DATA, ip: '10.0.0.6' }] }) })] },
      { status: 'fail', title: BLOCKED, detail: [`has no private address for ${LOGIN}`] },
    ],
    [
      'Pending connection only',
      { registry: disabled, endpoints: [endpoint({ status: 'Pending' })] },
      { status: 'fail', title: BLOCKED, detail: ['has no approved private endpoint connection', 'pe1 is Pending'], fixIs: `az network private-endpoint-connection approve --id ${CONN_ID}` },
    ],
    [
      'Rejected connection only',
      { registry: disabled, endpoints: [endpoint({ status: 'Rejected' })] },
      { status: 'fail', title: BLOCKED, detail: ['pe1 is Rejected', 'cannot be approved again'], fix: null },
    ],
    [
      'Disconnected connection next to a working one',
      { registry: disabled, endpoints: [endpoint({ status: 'Disconnected', privateEndpointId: PE_ID.replace('pe1', 'pe0') }), endpoint()] },
      { status: 'pass', title: OPEN, detail: ['through private endpoint pe1', '(Not used by aks1) Private endpoint connection pe0 is Disconnected'], fix: null },
    ],
    [
      'no zone group',
      { registry: disabled, endpoints: [endpoint({ zones: ok([]) })] },
      {
        status: 'fail',
        title: BLOCKED,
        detail: ['has no DNS zone group for privatelink.azurecr.io', 'az network private-dns zone create --resource-group rg-pe --name privatelink.azurecr.io'],
        fix: [
          'az network private-endpoint dns-zone-group create --resource-group rg-pe --endpoint-name pe1 --name default --private-dns-zone privatelink.azurecr.io --zone-name privatelink-azurecr-io --subscription s1',
          `az network private-dns link vnet create --resource-group rg-pe --zone-name privatelink.azurecr.io --name aks1-link --virtual-network ${VNET} --registration-enabled false --subscription s1`,
        ],
      },
    ],
    [
      'zone groups point at another zone only',
      { registry: disabled, endpoints: [endpoint({ zones: ok([zone({ name: 'privatelink.blob.core.windows.net' })]) })] },
      { status: 'fail', title: BLOCKED, detail: ['its zone groups point at privatelink.blob.core.windows.net'] },
    ],
    [
      'zone read failed (403): the fallback permission',
      { registry: disabled, endpoints: [endpoint({ zones: failed(zoneForbidden) })] },
      { status: 'unknown', title: UNVERIFIED, detail: ['reading the DNS zone groups', '403 AuthorizationFailed', 'corr-net', 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/read'], fix: null },
    ],
    [
      'zone read failed (403) with the permission named by the reader',
      { registry: disabled, endpoints: [endpoint({ zones: failed(forbidden('reading zones', 'Microsoft.Network/privateDnsZones/read on rg-dns')) })] },
      { status: 'unknown', title: UNVERIFIED, detail: ['The signed-in identity needs Microsoft.Network/privateDnsZones/read on rg-dns'] },
    ],
    [
      'zone links unreadable',
      { registry: disabled, endpoints: [endpoint({ zones: ok([zone({ links: failed(forbidden('reading VNet links of privatelink.azurecr.io')) })]) })] },
      { status: 'unknown', title: UNVERIFIED, detail: ['virtualNetworkLinks/read'] },
    ],
    [
      'A records unreadable',
      { registry: disabled, endpoints: [endpoint({ zones: ok([zone({ records: failed(forbidden('reading A records of privatelink.azurecr.io')) })]) })] },
      { status: 'unknown', title: UNVERIFIED, detail: ['Microsoft.Network/privateDnsZones/A/read'] },
    ],
    [
      'private endpoint unreadable',
      { registry: disabled, endpoints: [endpoint({ endpoint: failed(forbidden(`reading ${PE_ID}`)) })] },
      { status: 'unknown', title: UNVERIFIED, detail: ['Private endpoint pe1', 'Microsoft.Network/privateEndpoints/read'] },
    ],
    [
      'cluster VNets unreadable while the zone has links',
      { registry: disabled, endpoints: [endpoint()], vnets: failed(forbidden(`reading ${VNET}`)) },
      { status: 'unknown', title: UNVERIFIED, detail: ['Microsoft.Network/virtualNetworks/read'] },
    ],
    [
      'a Pending connection next to an unreadable one is not a verified failure',
      { registry: disabled, endpoints: [endpoint({ status: 'Pending', privateEndpointId: PE_ID.replace('pe1', 'pe0') }), endpoint({ zones: failed(zoneForbidden) })] },
      { status: 'unknown', title: UNVERIFIED, detail: ['pe0 is Pending', 'reading the DNS zone groups'] },
    ],
    [
      'public access disabled and no private endpoint',
      { registry: disabled },
      {
        status: 'fail',
        title: BLOCKED,
        detail: ['Public network access to myacr is disabled and myacr has no private endpoint', '--public-network-enabled true'],
        fixIs: `az network private-endpoint create --resource-group rg-aks --subscription s1 --name myacr-pe --subnet ${SUBNET} --private-connection-resource-id ${REGISTRY_ID} --group-id registry --connection-name myacr-pe`,
      },
    ],
    [
      'a Pending connection is only named when the public path works',
      { endpoints: [endpoint({ status: 'Pending' })] },
      { status: 'pass', title: OPEN, detail: ['over its public endpoint', 'pe1 is Pending'], fix: null },
    ],
    [
      'an unreadable endpoint may hold a broken linked zone: public path alone is not enough',
      { endpoints: [endpoint({ zones: failed(zoneForbidden) })] },
      { status: 'unknown', title: UNVERIFIED, detail: ['over its public endpoint', 'reading the DNS zone groups'] },
    ],
    [
      'Azure China: privatelink.azurecr.cn',
      {
        registry: { ...disabled, loginServer: 'myacr.azurecr.cn' },
        endpoints: [
          endpoint({
            endpoint: ok({ addresses: [{ fqdn: 'myacr.azurecr.cn', ip: '10.0.0.5' }] }),
            zones: ok([zone({ name: 'privatelink.azurecr.cn', records: ok({ 'myacr.privatelink.azurecr.cn': ['10.0.0.5'] }) })]),
          }),
        ],
      },
      { status: 'pass', title: OPEN, detail: ['myacr.privatelink.azurecr.cn → 10.0.0.5'] },
    ],
    [
      'Azure China: a privatelink.azurecr.io zone does not serve azurecr.cn',
      { registry: { ...disabled, loginServer: 'myacr.azurecr.cn' }, endpoints: [endpoint()] },
      { status: 'fail', title: BLOCKED, detail: ['no DNS zone group for privatelink.azurecr.cn'] },
    ],
    [
      'a private endpoint in another VNet: a note about peering',
      { registry: disabled, endpoints: [endpoint({ endpoint: ok({ subnetId: `${HUB_VNET}/subnets/pe`, addresses: [{ fqdn: LOGIN, ip: '10.0.0.5' }, { fqdn: DATA, ip: '10.0.0.6' }] }) })] },
      { status: 'pass', title: OPEN, notes: ['not in a VNet of aks1', 'peering'] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

describe('public access and the registry firewall (rule 3)', () => {
  const egressForbidden = forbidden('reading the outbound IPs of aks1');
  test.each<[string, Setup, Expectation]>([
    [
      'no firewall',
      {},
      { status: 'pass', title: OPEN, detail: ['over its public endpoint', 'allows all networks', `Hosts the nodes reach: ${LOGIN}, *.blob.core.windows.net`], fix: null },
    ],
    [
      'every egress IP inside a CIDR rule',
      { registry: deny('20.1.2.0/24', '30.0.0.1'), egress: egress('20.1.2.3', '30.0.0.1') },
      { status: 'pass', title: OPEN, detail: ['every IPv4 egress address', '20.1.2.3 in 20.1.2.0/24', '30.0.0.1 in 30.0.0.1'], fix: null },
    ],
    [
      'an egress prefix fully inside a rule',
      { registry: deny('20.1.2.0/24'), egress: egress('20.1.2.16/28') },
      { status: 'pass', title: OPEN },
    ],
    [
      'rules without an action are Allow rules',
      { registry: { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ value: '20.1.2.3' }] } } },
      { status: 'pass', title: OPEN },
    ],
    [
      'one egress IP missing',
      { registry: deny('20.1.2.0/24'), egress: egress('20.1.2.3', '20.9.9.9') },
      { status: 'fail', title: BLOCKED, detail: ['does not allow the egress address 20.9.9.9 of aks1', '403'], notInDetail: ['20.1.2.3,'], fixIs: RULE_ADD('20.9.9.9') },
    ],
    [
      'two egress IPs missing: one command each',
      { registry: deny('1.1.1.1'), egress: egress('20.1.2.3', '20.1.3.0/30') },
      { status: 'fail', title: BLOCKED, detail: ['addresses 20.1.2.3, 20.1.3.0/30'], fixIs: `${RULE_ADD('20.1.2.3')}\n${RULE_ADD('20.1.3.0/30')}` },
    ],
    [
      'an egress prefix partly outside a rule',
      { registry: deny('20.1.2.0/29'), egress: egress('20.1.2.0/28') },
      { status: 'fail', title: BLOCKED, detail: ['20.1.2.0/28 (only partly inside 20.1.2.0/29)'], fixIs: RULE_ADD('20.1.2.0/28') },
    ],
    [
      'Deny with no rules at all',
      { registry: deny() },
      { status: 'fail', title: BLOCKED, detail: ['IP rules none'], fixIs: RULE_ADD('20.1.2.3') },
    ],
    [
      'egress unreadable',
      { registry: deny('20.1.2.3'), egress: failed(egressForbidden) },
      { status: 'unknown', title: UNVERIFIED, detail: ['reading the outbound IPs of aks1 failed (403 AuthorizationFailed)', 'Microsoft.Network/publicIPAddresses/read', 'corr-net'], fix: null },
    ],
    [
      'egress not read for a load balancer cluster',
      { registry: deny('20.1.2.3'), egress: null },
      { status: 'unknown', title: UNVERIFIED, detail: ['were not read'] },
    ],
    [
      'no egress addresses found',
      { registry: deny('20.1.2.3'), egress: egress() },
      { status: 'unknown', title: UNVERIFIED, detail: ['No egress address of aks1'] },
    ],
    [
      'IPv6 egress next to allowed IPv4',
      { registry: deny('20.1.2.3'), egress: egress('20.1.2.3', '2603:1020::1') },
      { status: 'warn', title: RISKY, detail: ['IPv6 egress 2603:1020::1', 'IPv4 addresses and ranges only'] },
    ],
    [
      'IPv6 egress only',
      { registry: deny('20.1.2.3'), egress: egress('2603:1020::/124') },
      { status: 'fail', title: BLOCKED, detail: ['cannot be allowed', 'no IPv4 egress'] },
    ],
    [
      'egress blocked, a private endpoint not linked: the alternative is named',
      { registry: deny('1.1.1.1'), endpoints: [endpoint({ zones: ok([zone({ links: ok([HUB_VNET]) })]) })] },
      { status: 'fail', title: BLOCKED, detail: ['does not allow the egress address 20.1.2.3', 'Alternatively, make the private path work', 'is not linked to'], fixIs: RULE_ADD('20.1.2.3') },
    ],
    [
      'egress blocked, a private endpoint unreadable: not a verified failure',
      { registry: deny('1.1.1.1'), endpoints: [endpoint({ endpoint: failed(forbidden(`reading ${PE_ID}`)) })] },
      { status: 'unknown', title: UNVERIFIED, detail: ['does not allow the egress address 20.1.2.3', `reading ${PE_ID}`], fix: [RULE_ADD('20.1.2.3')] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

describe('egress the cluster manages itself (rule 4)', () => {
  test.each<[string, Setup, Expectation]>([
    [
      'UDR, no firewall: the hosts to allow',
      { outboundType: 'userDefinedRouting', egress: null },
      { status: 'warn', title: RISKY, detail: ['outbound type userDefinedRouting', 'must allow HTTPS (443) to myacr.azurecr.io, *.blob.core.windows.net'], fix: null },
    ],
    [
      'UDR with data endpoints',
      { outboundType: 'userDefinedRouting', egress: null, registry: { dataEndpointEnabled: true, dataEndpointHostNames: [DATA] }, replications: ok([{ location: 'northeurope' }]) },
      { status: 'warn', title: RISKY, detail: [`to ${LOGIN}, ${DATA}, myacr.northeurope.data.azurecr.io.`], notInDetail: ['blob.core'] },
    ],
    [
      'outbound type none',
      { outboundType: 'none', egress: null },
      { status: 'warn', title: RISKY, detail: ['outbound type none'] },
    ],
    [
      'UDR and a Deny firewall',
      { outboundType: 'userDefinedRouting', egress: null, registry: deny('20.1.2.3') },
      { status: 'warn', title: RISKY, detail: ['whose public IP cannot be read from ARM', `${RULE_ADD('<egress public IP>')}`, '*.blob.core.windows.net'] },
    ],
    [
      'UDR and a Deny firewall, but the private path works',
      { outboundType: 'userDefinedRouting', egress: null, registry: deny('20.1.2.3'), endpoints: [endpoint()] },
      { status: 'pass', title: OPEN, detail: ['through private endpoint pe1'] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });

  test('the hosts are in the evidence', () => {
    const f = judge({ outboundType: 'userDefinedRouting', egress: null });
    expect(f.evidence).toMatchObject({ path: 'public', outboundType: 'userDefinedRouting', hosts: [LOGIN, '*.blob.core.windows.net'] });
  });
});

describe('custom DNS servers (rule 5)', () => {
  const custom = ok([vnet(['10.1.0.4', '10.1.0.5'])]);
  test.each<[string, Setup, Expectation]>([
    [
      'private path through custom DNS',
      { registry: disabled, vnets: custom, endpoints: [endpoint()] },
      { status: 'warn', title: RISKY, detail: ['custom DNS servers', '10.1.0.4, 10.1.0.5', '168.63.129.16', `${LOGIN} → 10.0.0.5`], fix: null },
    ],
    [
      'custom DNS may resolve a zone the cluster VNet is not linked to (hub and spoke)',
      { registry: disabled, vnets: custom, endpoints: [endpoint({ zones: ok([zone({ links: ok([HUB_VNET]) })]) })] },
      { status: 'warn', title: RISKY, detail: ['168.63.129.16', 'is not linked to'] },
    ],
    [
      'custom DNS with the records somewhere else (no zone group)',
      { registry: disabled, vnets: custom, endpoints: [endpoint({ zones: ok([]) })] },
      { status: 'warn', title: RISKY, detail: ['or otherwise resolve'] },
    ],
    [
      'custom DNS with wrong records only',
      { registry: disabled, vnets: custom, endpoints: [endpoint({ zones: ok([zone({ records: ok({}) })]) })] },
      { status: 'fail', title: BLOCKED, detail: ['no A record'] },
    ],
    [
      'custom DNS on the public path: a note only',
      { vnets: custom },
      { status: 'pass', title: OPEN, notes: ['custom DNS servers (', `must resolve ${LOGIN} to the registry's public addresses`] },
    ],
    [
      'custom DNS, firewall blocks the egress, private endpoint records right',
      { vnets: custom, registry: deny('1.1.1.1'), endpoints: [endpoint()] },
      { status: 'warn', title: RISKY, detail: ['can pull through private endpoint pe1 instead', '168.63.129.16', '(Public path)'] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

describe('regions (rule 6)', () => {
  const eastus: Partial<RegistryFacts> = { location: 'eastus' };
  test.each<[string, Setup, Expectation]>([
    [
      'registry in another region, no replica',
      { registry: eastus },
      {
        status: 'warn',
        title: RISKY,
        detail: ['myacr is in eastus and aks1 in westeurope', 'no replica in westeurope', 'crosses regions'],
        fixIs: 'az acr replication create --registry myacr --location westeurope --resource-group rg --subscription s1',
      },
    ],
    [
      'a replica in the cluster region (written with a space)',
      { registry: eastus, replications: ok([{ location: 'eastus' }, { location: 'West Europe', provisioningState: 'Succeeded' }]) },
      { status: 'pass', title: OPEN, detail: ['its replica in West Europe serves the pulls'], fix: null },
    ],
    [
      'a failed replica does not count',
      { registry: eastus, replications: ok([{ location: 'westeurope', provisioningState: 'Failed' }]) },
      { status: 'warn', title: RISKY },
    ],
    [
      'a Standard registry needs Premium first',
      { registry: { ...eastus, sku: 'Standard' } },
      { status: 'warn', title: RISKY, detail: ['Geo-replication needs the Premium SKU (myacr is Standard)'], fix: ['az acr update --name myacr --resource-group rg --subscription s1 --sku Premium\naz acr replication create'] },
    ],
    [
      'replications unreadable while regions differ',
      { registry: eastus, replications: failed(forbidden('reading replications of myacr')) },
      { status: 'unknown', title: UNVERIFIED, detail: ['replications/read'] },
    ],
    [
      'replications unreadable in the same region do not matter',
      { replications: failed(forbidden('reading replications of myacr')) },
      { status: 'pass', title: OPEN },
    ],
    [
      'the worst status wins: blocked firewall and another region',
      { registry: { ...eastus, ...deny('1.1.1.1') } },
      { status: 'fail', title: BLOCKED, detail: ['does not allow the egress address', 'no replica in westeurope'], fixIs: `${RULE_ADD('20.1.2.3')}\naz acr replication create --registry myacr --location westeurope --resource-group rg --subscription s1` },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

describe('notes (rule 7)', () => {
  const rules = ok<CacheRuleFacts[]>([
    { name: 'dockerhub', sourceRepository: 'docker.io/library/*', targetRepository: 'hub/*' },
    { name: 'mcr-dotnet', sourceRepository: 'mcr.microsoft.com/dotnet/runtime', targetRepository: 'dotnet/runtime' },
  ]);
  test.each<[string, Setup, Expectation]>([
    ['Basic with 30 nodes', { registry: { sku: 'Basic' }, cluster: { agentPools: pools([10], [2, 20]) } }, { status: 'pass', title: OPEN, notes: ['Basic registry', 'up to 30 nodes', 'toomanyrequests', '--sku Standard'], fix: null }],
    ['Basic with 10 nodes', { registry: { sku: 'Basic' }, cluster: { agentPools: pools([10]) } }, { status: 'pass', title: OPEN, notes: null }],
    ['Standard with 30 nodes', { registry: { sku: 'Standard' }, cluster: { agentPools: pools([30]) } }, { status: 'pass', title: OPEN, notes: null }],
    ['cache rule with a wildcard target', { images: ['hub/nginx'], cacheRules: rules }, { status: 'pass', title: OPEN, notes: ['cache rule dockerhub (hub/* ← docker.io/library/*)', `${LOGIN}/hub/nginx:1`] }],
    ['cache rule with an exact target', { images: ['dotnet/runtime'], cacheRules: rules }, { status: 'pass', title: OPEN, notes: ['cache rule mcr-dotnet'] }],
    ['no cache rule for the image', { images: ['team/app', 'dotnet/runtime-deps', 'hubx/nginx'], cacheRules: rules }, { status: 'pass', title: OPEN, notes: null }],
    ['cache rules unreadable', { images: ['hub/nginx'], cacheRules: failed(forbidden('reading cache rules of myacr')) }, { status: 'pass', title: OPEN, notes: ['cacheRules/read'] }],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

describe('evidence', () => {
  test('the firewall path: egress, rules, coverage, hosts', () => {
    const f = judge({ registry: deny('20.1.2.0/24') });
    expect(f.evidence).toMatchObject({
      path: 'public-allowed',
      publicNetworkAccess: 'Enabled',
      defaultAction: 'Deny',
      ipRules: [{ action: 'Allow', value: '20.1.2.0/24' }],
      egress: [{ value: '20.1.2.3' }],
      egressCoverage: { allowed: [{ address: '20.1.2.3', rule: '20.1.2.0/24' }], missing: [] },
      hosts: [LOGIN, '*.blob.core.windows.net'],
    });
  });

  test('the private path: endpoint, zone, links, addresses', () => {
    const f = judge({ registry: disabled, endpoints: [endpoint()] });
    expect(f.evidence).toMatchObject({
      path: 'private',
      privateDnsZone: 'privatelink.azurecr.io',
      privateEndpoints: [
        {
          connectionId: CONN_ID,
          privateEndpointId: PE_ID,
          status: 'Approved',
          outcome: 'ok',
          addresses: { [LOGIN]: ['10.0.0.5'], [DATA]: ['10.0.0.6'] },
          zone: { id: ZONE_ID, linked: true, linkedVnetIds: [VNET] },
        },
      ],
    });
  });
});

describe('egressHosts', () => {
  const base = registry();
  test.each<[string, RegistryFacts, ReplicationFacts[], string[]]>([
    ['Azure, data endpoints off', base, [], [LOGIN, '*.blob.core.windows.net']],
    ['Azure China', registry({ loginServer: 'myacr.azurecr.cn' }), [], ['myacr.azurecr.cn', '*.blob.core.chinacloudapi.cn']],
    ['Azure US Government', registry({ loginServer: 'myacr.azurecr.us' }), [], ['myacr.azurecr.us', '*.blob.core.usgovcloudapi.net']],
    [
      'data endpoints on, with a replica',
      registry({ dataEndpointEnabled: true, dataEndpointHostNames: [DATA] }),
      [{ location: 'westeurope' }, { location: 'East US' }],
      [LOGIN, DATA, 'myacr.eastus.data.azurecr.io'],
    ],
    ['data endpoints on, ARM lists none', registry({ dataEndpointEnabled: true, loginServer: 'MyAcr.azurecr.us' }), [], ['myacr.azurecr.us', 'myacr.westeurope.data.azurecr.us']],
  ])('%s', (_name, r, replications, expected) => {
    expect(egressHosts(r, replications)).toEqual(expected);
  });
});

describe('IPv6 firewall rules and egress', () => {
  test.each<[string, Setup, Expectation]>([
    [
      'an IPv6 egress prefix inside an IPv6 rule, next to allowed IPv4',
      { registry: deny('20.1.2.3', '2603:1020:200::/48'), egress: egress('20.1.2.3', '2603:1020:200:10::/64') },
      { status: 'pass', title: OPEN, detail: ['every egress address of aks1', '2603:1020:200:10::/64 in 2603:1020:200::/48'], fix: null },
    ],
    [
      'an IPv6 egress address outside the IPv6 rules: blocked, with the command',
      { registry: deny('20.1.2.3', '2603:1020:200::/48'), egress: egress('20.1.2.3', '2603:1030::7') },
      { status: 'fail', title: BLOCKED, detail: ['does not allow the egress address 2603:1030::7 of aks1'], fixIs: RULE_ADD('2603:1030::7') },
    ],
    [
      'an IPv6 egress prefix wider than the IPv6 rule: only partly inside',
      { registry: deny('2603:1020:200::/64'), egress: egress('2603:1020:200::/56') },
      { status: 'fail', title: BLOCKED, detail: ['2603:1020:200::/56 (only partly inside 2603:1020:200::/64)'] },
    ],
    [
      'IPv4 egress is never inside an IPv6 rule',
      { registry: deny('::/0'), egress: egress('20.1.2.3') },
      { status: 'fail', title: BLOCKED, detail: ['does not allow the egress address 20.1.2.3'], notInDetail: ['partly'] },
    ],
    [
      'an IPv4-mapped IPv6 egress address counts as its IPv4 address',
      { registry: deny('20.1.2.0/24'), egress: egress('::ffff:20.1.2.3') },
      { status: 'pass', title: OPEN, detail: ['::ffff:20.1.2.3 in 20.1.2.0/24'] },
    ],
    [
      'a value that is no address at all',
      { registry: deny('20.1.2.3'), egress: egress('20.1.2.3', '20.1.2') },
      { status: 'unknown', title: UNVERIFIED, detail: ['20.1.2 of aks1 is not an IP address or range'] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

describe("the cluster's HTTP proxy", () => {
  const PROXY = 'http://myproxy.server.com:8080';
  const proxy = (noProxy: string[] = ['localhost', '127.0.0.1']): Partial<ClusterFacts> => ({ httpProxy: { httpProxy: PROXY, httpsProxy: PROXY, noProxy } });
  test.each<[string, Setup, Expectation]>([
    [
      'a firewalled registry: the proxy, not the cluster egress, must be allowed',
      { cluster: proxy(), registry: deny('1.1.1.1') },
      {
        status: 'warn',
        title: RISKY,
        detail: [`through the HTTP proxy ${PROXY}`, `reach ${LOGIN}, *.blob.core.windows.net through`, "the proxy's public IP", RULE_ADD('<proxy public IP>'), 'noProxy (localhost, 127.0.0.1)'],
        notInDetail: ['does not allow the egress address', '20.1.2.3'],
        fix: null,
      },
    ],
    [
      'an open registry: the hosts the proxy must allow',
      { cluster: proxy(), egress: null },
      { status: 'warn', title: RISKY, detail: [`through the HTTP proxy ${PROXY}`, `must allow HTTPS (CONNECT to port 443) to them`], notInDetail: ["proxy's public IP"] },
    ],
    [
      'every registry host in noProxy: judged as without a proxy',
      { cluster: proxy(['.azurecr.io', 'blob.core.windows.net']), registry: deny('1.1.1.1') },
      { status: 'fail', title: BLOCKED, detail: ['does not allow the egress address 20.1.2.3'], notInDetail: ['proxy'], notes: [`use the HTTP proxy ${PROXY}, but httpProxyConfig.noProxy (.azurecr.io, blob.core.windows.net) sends every host of myacr direct`] },
    ],
    [
      'the login server in noProxy, blob storage not: the firewall is judged, the proxy must allow the blobs',
      { cluster: proxy(['myacr.azurecr.io']), registry: deny('20.1.2.3') },
      { status: 'warn', title: RISKY, detail: ['every IPv4 egress address of aks1 is inside', 'reach *.blob.core.windows.net through the HTTP proxy'] },
    ],
    [
      'noProxy "*": no proxy at all',
      { cluster: proxy(['*']) },
      { status: 'pass', title: OPEN, notInDetail: ['proxy'] },
    ],
    [
      'a private registry: the proxy must not carry the pulls',
      { cluster: proxy(), registry: disabled, endpoints: [endpoint()] },
      { status: 'warn', title: RISKY, detail: ['through private endpoint pe1', `send ${LOGIN}, *.blob.core.windows.net through the HTTP proxy`, 'httpProxyConfig.noProxy'] },
    ],
    [
      'only an HTTP proxy: https pulls go direct',
      { cluster: { httpProxy: { httpProxy: PROXY, noProxy: [] } }, registry: deny('1.1.1.1') },
      { status: 'fail', title: BLOCKED, detail: ['does not allow the egress address 20.1.2.3'] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });

  test('the evidence names the proxy and the hosts that go through it', () => {
    const f = judge({ cluster: proxy(['myacr.azurecr.io']) });
    expect(f.evidence).toMatchObject({ proxy: { httpsProxy: PROXY, noProxy: ['myacr.azurecr.io'], proxiedHosts: ['*.blob.core.windows.net'] } });
  });
});

describe('no unread fact is dropped silently', () => {
  const vnetsForbidden = forbidden('reading virtual network vnet1 in resource group rg-net', "Microsoft.Network/virtualNetworks/read");
  test.each<[string, Setup, Expectation]>([
    [
      'VNets unread on the public path: a note naming the permission',
      { vnets: failed(vnetsForbidden) },
      { status: 'pass', title: OPEN, notes: ['The VNets of aks1 could not be read, so whether they use custom DNS servers is not known', 'reading virtual network vnet1 in resource group rg-net failed (403 AuthorizationFailed)', 'Microsoft.Network/virtualNetworks/read'] },
    ],
    [
      'VNets unread with a private endpoint whose zone is linked: unknown, said once',
      { registry: disabled, vnets: failed(vnetsForbidden), endpoints: [endpoint()] },
      { status: 'unknown', title: UNVERIFIED, detail: ['reading virtual network vnet1'], notes: null },
    ],
    [
      'replications unread in the same region: a note',
      { replications: failed(forbidden('listing replications of registry myacr')) },
      { status: 'pass', title: OPEN, notes: ['The replications of myacr could not be read', 'replications/read'] },
    ],
    [
      'replications unread with data endpoints: the hosts may be incomplete',
      { registry: { dataEndpointEnabled: true }, replications: failed(forbidden('listing replications of registry myacr')) },
      { status: 'pass', title: OPEN, notes: ['data endpoints of its replicas may be missing'] },
    ],
    [
      'egress unread but not needed (no firewall): a note',
      { egress: failed(forbidden('reading public IP address ip0 in resource group mc_rg')) },
      { status: 'pass', title: OPEN, notes: ['The egress addresses of aks1 could not be read', 'publicIPAddresses/read'] },
    ],
    [
      'a second endpoint unread next to one that works: a note',
      {
        registry: disabled,
        endpoints: [endpoint(), endpoint({ privateEndpointId: `${PE_ID}b`, connectionId: `${CONN_ID}b`, zones: failed(forbidden(`listing DNS zone groups of private endpoint pe1b`)) })],
      },
      { status: 'pass', title: OPEN, notes: ['Private endpoint pe1b: listing DNS zone groups of private endpoint pe1b failed (403'] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});
