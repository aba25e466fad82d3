// @ts-check
// Fixture builders for the fake Azure. Each starts from an official example body in ./arm-examples
// (deep-cloned) and overrides fields, so every fixture keeps the shape ARM really returns.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** @typedef {Record<string, any>} Json a JSON object in one of ARM's shapes */

/**
 * The state the fake serves. Plain JSON, mutable by tests between (or during) runs.
 * @typedef {object} World
 * @property {string} tenantId the one tenant Entra knows; tokens are issued for it
 * @property {{ subscriptionId: string, displayName: string, state: string, tenantId: string }[]} subscriptions
 * @property {{ id: string, subscriptions: string[] }[]} managementGroups `id` like /providers/Microsoft.Management/managementGroups/mg1
 * @property {Json[]} clusters ManagedCluster bodies (see managedCluster())
 * @property {Json[]} registries Registry bodies (see registry())
 * @property {Json[]} roleAssignments RoleAssignment bodies (see roleAssignment())
 * @property {Json[]} roleDefinitions RoleDefinition bodies (see roleDefinition(), builtInRoleDefinitions())
 * @property {Json[]} denyAssignments DenyAssignment bodies (see denyAssignment())
 * @property {Json[]} resources any other resource or child resource, served by id (GET, case-insensitive) and
 *   listed by type or by parent id + child type: public IPs, prefixes, NAT gateways, VNets (their subnets are
 *   embedded), private endpoints, NICs, DNS zone groups, private DNS zones, VNet links, record sets,
 *   registry replications, cache rules (see virtualNetwork(), privateEndpoint(), withPrivateRegistry(), …)
 * @property {Record<string, string[]>} groups group object ID → member object IDs (members may be groups)
 * @property {{ id: string, appId: string, displayName: string, servicePrincipalType?: string }[]} servicePrincipals
 * @property {{ clientId: string, clientSecret: string, federatedSubject?: string }} entra the app registration
 *   that may sign in; `federatedSubject`, when set, is the only GitHub `sub` its federated credential accepts
 * @property {{ requestToken: string, repository: string, ref: string }} github the runner's OIDC settings
 * @property {{ header: string, clientId: string }} managedIdentity the App Service style identity endpoint
 * @property {string} armAudience audience ARM accepts, e.g. https://management.azure.com
 * @property {string} graphAudience audience Graph accepts, e.g. https://graph.microsoft.com
 */

/** @type {Map<string, Json>} */
const examples = new Map();

/** Deep copy of JSON data. @template T @param {T} value @returns {T} */
function clone(value) {
  return JSON.parse(JSON.stringify(value));
}

/** @param {string} file path under arm-examples/ @returns {Json} the parsed example file, deep-cloned */
function example(file) {
  let parsed = examples.get(file);
  if (!parsed) {
    parsed = JSON.parse(readFileSync(new URL(`./arm-examples/${file}`, import.meta.url), 'utf8'));
    examples.set(file, /** @type {Json} */ (parsed));
  }
  return clone(/** @type {Json} */ (parsed));
}

/** @param {string} subscriptionId @param {string} resourceGroup @param {string} type e.g. Microsoft.ContainerRegistry/registries @param {string} name */
export function resourceId(subscriptionId, resourceGroup, type, name) {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${type}/${name}`;
}

/** @param {string} scope @param {string} type e.g. roleAssignments @param {string} name */
function authorizationId(scope, type, name) {
  return `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/${type}/${name}`;
}

/**
 * @param {{ subscriptionId: string, resourceGroup: string, name: string, location?: string,
 *   kubelet?: { objectId: string, clientId: string, resourceId: string },
 *   servicePrincipalClientId?: string, controlPlanePrincipalId?: string, tenantId?: string,
 *   agentPools?: Json[], provisioningState?: string }} o
 *   `kubelet` makes a managed-identity cluster; otherwise `servicePrincipalClientId` a service-principal one.
 *   Each of `agentPools` is merged over the example's pool (name, osType, vmSize, vnetSubnetID, …).
 * @returns {Json}
 */
export function managedCluster(o) {
  const body = example('containerservice/2026-02-01/ManagedClustersGet.json').responses['200'].body;
  const location = o.location ?? 'westeurope';
  const nodeResourceGroup = `MC_${o.resourceGroup}_${o.name}_${location}`;
  const p = body.properties;
  body.id = resourceId(o.subscriptionId, o.resourceGroup, 'Microsoft.ContainerService/managedClusters', o.name);
  body.name = o.name;
  body.location = location;
  p.nodeResourceGroup = nodeResourceGroup;
  p.provisioningState = o.provisioningState ?? p.provisioningState;
  // the example's ids live in its subscription, rg1 and MC_rg1: move them to this cluster's
  const rebase = (/** @type {string} */ id) =>
    id.replace(/^\/subscriptions\/[^/]+\/resourceGroups\/(MC_)?rg1\//, (_, mc) => `/subscriptions/${o.subscriptionId}/resourceGroups/${mc ? nodeResourceGroup : o.resourceGroup}/`);
  const lb = p.networkProfile.loadBalancerProfile;
  p.diskEncryptionSetID = rebase(p.diskEncryptionSetID);
  lb.effectiveOutboundIPs = lb.effectiveOutboundIPs.map((/** @type {{ id: string }} */ ip) => ({ id: rebase(ip.id) }));
  lb.outboundIPs.publicIPs = lb.outboundIPs.publicIPs.map((/** @type {{ id: string }} */ ip) => ({ id: rebase(ip.id) }));
  const [pool] = p.agentPoolProfiles;
  p.agentPoolProfiles = (o.agentPools ?? [{}]).map((overrides) => ({ ...clone(pool), ...overrides }));
  if (o.kubelet) {
    // Synthetic: no official example shows a managed-identity cluster (FIELDS.md, "Not found"); the
    // shape follows the ManagedCluster schema: clientId "msi", identity, identityProfile.kubeletidentity.
    p.servicePrincipalProfile = { clientId: 'msi' };
    body.identity = { type: 'SystemAssigned', principalId: o.controlPlanePrincipalId ?? randomUUID(), tenantId: o.tenantId ?? randomUUID() };
    p.identityProfile = { kubeletidentity: { ...o.kubelet } };
  } else {
    p.servicePrincipalProfile = { clientId: o.servicePrincipalClientId ?? randomUUID() };
  }
  return body;
}

/**
 * Agent pool profiles in ARM's shape, to pass as `agentPools` of managedCluster() (each is merged over the
 * example's pool). `spot` is as AKS reports a Spot pool: its own label in nodeLabels and its own taint in
 * nodeTaints; `windows` carries the taint many clusters put on Windows pools.
 * @param {'system' | 'arm64' | 'windows' | 'spot' | 'gpu'} kind @param {Json} [overrides] @returns {Json}
 */
export function agentPoolProfile(kind, overrides = {}) {
  /** @type {Record<string, Json>} */
  const profiles = {
    system: { name: 'system', mode: 'System', osType: 'Linux', osSKU: 'Ubuntu', vmSize: 'Standard_D4s_v5' },
    arm64: { name: 'armpool', mode: 'User', osType: 'Linux', osSKU: 'AzureLinux', vmSize: 'Standard_D4ps_v5', nodeLabels: { workload: 'batch' } },
    windows: { name: 'win22', mode: 'User', osType: 'Windows', osSKU: 'Windows2022', vmSize: 'Standard_D4s_v5', nodeTaints: ['os=windows:NoSchedule'] },
    spot: {
      name: 'spot',
      mode: 'User',
      osType: 'Linux',
      osSKU: 'Ubuntu',
      vmSize: 'Standard_D4ps_v5',
      scaleSetPriority: 'Spot',
      scaleSetEvictionPolicy: 'Delete',
      spotMaxPrice: -1,
      nodeLabels: { 'kubernetes.azure.com/scalesetpriority': 'spot' },
      nodeTaints: ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule'],
    },
    gpu: { name: 'gpu', mode: 'User', osType: 'Linux', osSKU: 'Ubuntu', vmSize: 'Standard_NC24ads_A100_v4', nodeLabels: { gpu: 'a100' }, nodeTaints: ['sku=gpu:NoSchedule'] },
  };
  return { ...clone(profiles[kind]), ...overrides };
}

/** Registry properties a fixture may override (all optional). */
const REGISTRY_PROPERTIES = /** @type {const} */ ([
  'loginServer', 'roleAssignmentMode', 'anonymousPullEnabled', 'publicNetworkAccess', 'networkRuleSet',
  'networkRuleBypassOptions', 'dataEndpointEnabled', 'dataEndpointHostNames', 'privateEndpointConnections',
  'adminUserEnabled', 'policies', 'provisioningState',
]);

/**
 * @param {{ subscriptionId: string, resourceGroup: string, name: string, location?: string, sku?: string,
 *   loginServer?: string, roleAssignmentMode?: string, anonymousPullEnabled?: boolean, publicNetworkAccess?: string,
 *   networkRuleSet?: Json, networkRuleBypassOptions?: string, dataEndpointEnabled?: boolean,
 *   dataEndpointHostNames?: string[], privateEndpointConnections?: Json[], adminUserEnabled?: boolean,
 *   policies?: Json, provisioningState?: string }} o  loginServer defaults to `<lower-case name>.azurecr.io`
 * @returns {Json}
 */
export function registry(o) {
  const body = example('containerregistry/2025-11-01/RegistryGet.json').responses['200'].body;
  body.id = resourceId(o.subscriptionId, o.resourceGroup, 'Microsoft.ContainerRegistry/registries', o.name);
  body.name = o.name;
  body.location = o.location ?? 'westeurope';
  if (o.sku) body.sku = { name: o.sku, tier: o.sku };
  body.properties.loginServer = `${o.name.toLowerCase()}.azurecr.io`;
  for (const key of REGISTRY_PROPERTIES) {
    if (o[key] !== undefined) body.properties[key] = clone(o[key]);
  }
  return body;
}

/**
 * @param {{ scope: string, roleDefinitionGuid: string, principalId: string, principalType?: string,
 *   condition?: string, conditionVersion?: string, createdOn?: string, name?: string }} o
 *   `roleDefinitionId` is subscription-qualified when the scope has a subscription, else tenant-level.
 * @returns {Json}
 */
export function roleAssignment(o) {
  const body = example('authorization/2022-04-01/RoleAssignments_ListForScope.json').responses['200'].body.value[0];
  const name = o.name ?? randomUUID();
  const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(o.scope)?.[1];
  const definitionScope = subscriptionId ? `/subscriptions/${subscriptionId}` : '/';
  const createdOn = o.createdOn ?? '2025-01-01T00:00:00.0000000Z';
  body.id = authorizationId(o.scope, 'roleAssignments', name);
  body.name = name;
  body.properties = {
    roleDefinitionId: authorizationId(definitionScope, 'roleDefinitions', o.roleDefinitionGuid),
    principalId: o.principalId,
    principalType: o.principalType ?? 'ServicePrincipal',
    scope: o.scope,
    ...(o.condition !== undefined && { condition: o.condition, conditionVersion: o.conditionVersion ?? '2.0' }),
    createdOn,
    updatedOn: createdOn,
  };
  return body;
}

/**
 * @typedef {{ actions?: string[], notActions?: string[], dataActions?: string[], notDataActions?: string[] }} PermissionInput
 * @param {PermissionInput} p
 */
function permission(p) {
  return { actions: p.actions ?? [], notActions: p.notActions ?? [], dataActions: p.dataActions ?? [], notDataActions: p.notDataActions ?? [] };
}

/**
 * @param {{ guid: string, roleName: string, type?: string, description?: string, permissions: PermissionInput[],
 *   assignableScopes?: string[] }} o  type BuiltInRole (tenant-level id) or CustomRole (default; id under the
 *   subscription of its first assignable scope)
 * @returns {Json}
 */
export function roleDefinition(o) {
  const body = example('authorization/2022-04-01/GetRoleDefinitionByName.json').responses['200'].body;
  const type = o.type ?? 'CustomRole';
  const assignableScopes = o.assignableScopes ?? ['/'];
  const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(assignableScopes[0] ?? '')?.[1];
  const scope = type === 'CustomRole' && subscriptionId ? `/subscriptions/${subscriptionId}` : '/';
  body.id = authorizationId(scope, 'roleDefinitions', o.guid);
  body.name = o.guid;
  body.properties = {
    roleName: o.roleName,
    type,
    description: o.description ?? o.roleName,
    assignableScopes,
    permissions: o.permissions.map(permission),
  };
  return body;
}

const CR = 'Microsoft.ContainerRegistry/registries';

/** Built-in role GUIDs by role name. */
export const ROLE_IDS = Object.freeze({
  AcrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  AcrPush: '8311e382-0749-4cb8-b61a-304f252e45ec',
  AcrDelete: 'c2f4ef07-c644-48eb-af81-4b1b4947fb11',
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  'Container Registry Repository Reader': 'b93aa761-3e63-49ed-ac28-beffa264f7ac',
  'Container Registry Repository Writer': '2a1e307c-b015-4ebd-883e-5b7698a07328',
  'Container Registry Repository Contributor': '2efddaa5-3f1f-4df3-97df-af3f13818f4c',
  'Container Registry Repository Catalog Lister': 'bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7',
  'Container Registry Data Importer and Data Reader': '577a9874-89fd-4f24-9dbd-b5034d0ad23a',
});

/**
 * The built-in roles relevant to pulling, with their real descriptions and permissions (Azure docs of 06/30/2025).
 * @type {{ roleName: keyof typeof ROLE_IDS, description: string, permissions: PermissionInput }[]}
 */
const BUILT_IN_ROLES = [
  {
    roleName: 'AcrPull',
    description: 'acr pull',
    permissions: { actions: [`${CR}/pull/read`] },
  },
  {
    roleName: 'AcrPush',
    description: 'acr push',
    permissions: { actions: [`${CR}/pull/read`, `${CR}/push/write`] },
  },
  {
    roleName: 'AcrDelete',
    description: 'acr delete',
    permissions: { actions: [`${CR}/artifacts/delete`] },
  },
  {
    roleName: 'Owner',
    description: 'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    permissions: { actions: ['*'] },
  },
  {
    roleName: 'Contributor',
    description: 'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    permissions: {
      actions: ['*'],
      notActions: [
        'Microsoft.Authorization/*/Delete',
        'Microsoft.Authorization/*/Write',
        'Microsoft.Authorization/elevateAccess/Action',
        'Microsoft.Blueprint/blueprintAssignments/write',
        'Microsoft.Blueprint/blueprintAssignments/delete',
        'Microsoft.Compute/galleries/share/action',
        'Microsoft.Purview/consents/write',
        'Microsoft.Purview/consents/delete',
        'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
        'Microsoft.Subscription/cancel/action',
        'Microsoft.Subscription/enable/action',
      ],
    },
  },
  {
    roleName: 'Reader',
    description: 'View all resources, but does not allow you to make any changes.',
    permissions: { actions: ['*/read'] },
  },
  {
    roleName: 'Container Registry Repository Reader',
    description: 'Allows for read access to Azure Container Registry repositories, but excluding catalog listing. This role is in preview and subject to change.',
    permissions: { dataActions: [`${CR}/repositories/metadata/read`, `${CR}/repositories/content/read`] },
  },
  {
    roleName: 'Container Registry Repository Writer',
    description: 'Allows for read and write access to Azure Container Registry repositories, but excluding catalog listing. This role is in preview and subject to change.',
    permissions: {
      dataActions: [
        `${CR}/repositories/metadata/read`,
        `${CR}/repositories/content/read`,
        `${CR}/repositories/metadata/write`,
        `${CR}/repositories/content/write`,
      ],
    },
  },
  {
    roleName: 'Container Registry Repository Contributor',
    description: 'Allows for read, write, and delete access to Azure Container Registry repositories, but excluding catalog listing. This role is in preview and subject to change.',
    permissions: {
      dataActions: [
        `${CR}/repositories/metadata/read`,
        `${CR}/repositories/content/read`,
        `${CR}/repositories/metadata/write`,
        `${CR}/repositories/content/write`,
        `${CR}/repositories/metadata/delete`,
        `${CR}/repositories/content/delete`,
      ],
    },
  },
  {
    roleName: 'Container Registry Repository Catalog Lister',
    description: 'Allows for listing all repositories in an Azure Container Registry. This role is in preview and subject to change.',
    permissions: { dataActions: [`${CR}/catalog/read`] },
  },
  {
    roleName: 'Container Registry Data Importer and Data Reader',
    description: 'Provides the ability to import images into a registry through the registry import operation. Provides the ability to list repositories, view images and tags, get manifests, and pull images. Does not provide permissions for importing images through configuring registry transfer pipelines such as import and export pipelines. Does not provide permissions for importing through configuring Artifact Cache or Sync rules.',
    permissions: {
      actions: [`${CR}/importImage/action`, `${CR}/read`, `${CR}/pull/read`],
      dataActions: [`${CR}/repositories/content/read`, `${CR}/repositories/metadata/read`, `${CR}/catalog/read`],
    },
  },
];

/** The real built-in roles relevant to ACR, at tenant level, type BuiltInRole. @returns {Json[]} */
export function builtInRoleDefinitions() {
  return BUILT_IN_ROLES.map(({ roleName, description, permissions }) =>
    roleDefinition({ guid: ROLE_IDS[roleName], roleName, description, type: 'BuiltInRole', permissions: [permissions] }),
  );
}

/**
 * @param {{ scope: string, name?: string, denyAssignmentName?: string, description?: string,
 *   principals?: { id: string, type?: string }[], excludePrincipals?: { id: string, type?: string }[],
 *   doNotApplyToChildScopes?: boolean, isSystemProtected?: boolean } & PermissionInput} o
 *   principals default to Everyone (00000000-0000-0000-0000-000000000000, SystemDefined)
 * @returns {Json}
 */
export function denyAssignment(o) {
  const body = example('authorization/2022-04-01/GetDenyAssignmentByScope.json').responses['200'].body.value[0];
  const name = o.name ?? randomUUID();
  body.id = authorizationId(o.scope, 'denyAssignments', name);
  body.name = name;
  Object.assign(body.properties, {
    denyAssignmentName: o.denyAssignmentName ?? `deny ${name}`,
    description: o.description ?? 'Created by a managed application',
    permissions: [permission(o)],
    scope: o.scope,
    doNotApplyToChildScopes: o.doNotApplyToChildScopes ?? false,
    principals: o.principals ?? [{ id: '00000000-0000-0000-0000-000000000000', type: 'SystemDefined' }],
    excludePrincipals: o.excludePrincipals ?? [],
    isSystemProtected: o.isSystemProtected ?? true,
  });
  return body;
}

// ---- network, private DNS and registry child resources (kept in World.resources) ----

const NETWORK = 'Microsoft.Network';

/** @param {string} id @returns {string} the last segment of a resource id */
function lastSegment(id) {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** @param {string} id @returns {{ subscriptionId: string, resourceGroup: string }} */
function containerOf(id) {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(id);
  if (!m?.[1] || !m[2]) throw new Error(`not a resource-group resource id: ${id}`);
  return { subscriptionId: m[1], resourceGroup: m[2] };
}

/**
 * A virtual network with its subnets embedded (GET of a subnet and the subnets list are served from them).
 * No `dnsServers` (or []) means Azure-provided DNS, which resolves linked private DNS zones.
 * @param {{ subscriptionId: string, resourceGroup: string, name: string, location?: string, addressPrefixes?: string[],
 *   subnets: { name: string, addressPrefix: string, natGatewayId?: string }[], dnsServers?: string[] }} o
 * @returns {Json}
 */
export function virtualNetwork(o) {
  const body = example('network/2026-01-01/VirtualNetworkGet.json').responses['200'].body;
  const id = resourceId(o.subscriptionId, o.resourceGroup, `${NETWORK}/virtualNetworks`, o.name);
  body.id = id;
  body.name = o.name;
  body.location = o.location ?? 'westeurope';
  const p = body.properties;
  p.addressSpace.addressPrefixes = [...(o.addressPrefixes ?? p.addressSpace.addressPrefixes)];
  // dhcpOptions as VirtualNetworkList.json shows it; the example's default NAT gateway points nowhere here
  p.dhcpOptions = { dnsServers: [...(o.dnsServers ?? [])] };
  delete p.defaultPublicNatGateway;
  p.subnets = o.subnets.map((s) => {
    const subnet = example('network/2026-01-01/SubnetGet.json').responses['200'].body;
    subnet.id = `${id}/subnets/${s.name}`;
    subnet.name = s.name;
    subnet.type = `${NETWORK}/virtualNetworks/subnets`;
    subnet.properties.addressPrefix = s.addressPrefix;
    if (s.natGatewayId) subnet.properties.natGateway = { id: s.natGatewayId };
    return subnet;
  });
  return body;
}

/**
 * A Standard, static public IP address.
 * @param {{ subscriptionId: string, resourceGroup: string, name: string, location?: string, ipAddress: string,
 *   ipConfigurationId?: string }} o  ipConfigurationId: what uses it (a load balancer frontend, a NIC's ipConfiguration)
 * @returns {Json}
 */
export function publicIPAddress(o) {
  const body = example('network/2026-01-01/PublicIpAddressGet.json').responses['200'].body;
  body.id = resourceId(o.subscriptionId, o.resourceGroup, `${NETWORK}/publicIPAddresses`, o.name);
  body.name = o.name;
  body.location = o.location ?? 'westeurope';
  body.sku = { name: 'Standard', tier: 'Regional' };
  const p = body.properties;
  p.publicIPAllocationMethod = 'Static';
  p.ipAddress = o.ipAddress;
  p.ipTags = [];
  p.ddosSettings = { protectionMode: 'VirtualNetworkInherited' };
  if (o.ipConfigurationId) p.ipConfiguration = { id: o.ipConfigurationId };
  else delete p.ipConfiguration;
  return body;
}

/**
 * @param {{ subscriptionId: string, resourceGroup: string, name: string, location?: string, ipPrefix: string,
 *   publicIpAddressIds?: string[] }} o  ipPrefix in CIDR form, e.g. 20.61.12.0/30
 * @returns {Json}
 */
export function publicIPPrefix(o) {
  const body = example('network/2026-01-01/PublicIpPrefixGet.json').responses['200'].body;
  body.id = resourceId(o.subscriptionId, o.resourceGroup, `${NETWORK}/publicIPPrefixes`, o.name);
  body.name = o.name;
  body.location = o.location ?? 'westeurope';
  body.etag = `W/"${randomUUID()}"`;
  body.properties.resourceGuid = randomUUID();
  body.properties.ipPrefix = o.ipPrefix;
  body.properties.prefixLength = Number(o.ipPrefix.split('/')[1] ?? 32);
  body.properties.publicIPAddresses = (o.publicIpAddressIds ?? []).map((id) => ({ id }));
  return body;
}

/**
 * @param {{ subscriptionId: string, resourceGroup: string, name: string, location?: string,
 *   publicIpAddressIds?: string[], publicIpPrefixIds?: string[], subnetIds?: string[] }} o
 * @returns {Json}
 */
export function natGateway(o) {
  const body = example('network/2026-01-01/NatGatewayGet.json').responses['200'].body;
  body.id = resourceId(o.subscriptionId, o.resourceGroup, `${NETWORK}/natGateways`, o.name);
  body.name = o.name;
  body.location = o.location ?? 'westeurope';
  const p = body.properties;
  p.publicIpAddresses = (o.publicIpAddressIds ?? []).map((id) => ({ id }));
  p.publicIpPrefixes = (o.publicIpPrefixIds ?? []).map((id) => ({ id }));
  p.subnets = (o.subnetIds ?? []).map((id) => ({ id }));
  return body;
}

/** The private-link member name ACR gives an address: `registry`, or `registry_data_<region>` for a data endpoint. @param {string} fqdn */
function registryMemberName(fqdn) {
  const region = /^[^.]+\.([^.]+)\.data\.azurecr\.io$/i.exec(fqdn)?.[1];
  return region ? `registry_data_${region.toLowerCase()}` : 'registry';
}

/** @param {'Approved' | 'Pending' | 'Rejected' | 'Disconnected'} status */
function connectionState(status) {
  const description = { Approved: 'Auto-Approved', Pending: 'Awaiting approval', Rejected: 'Rejected by the registry owner', Disconnected: 'Disconnected' }[status];
  return { status, description, actionsRequired: 'None' };
}

/**
 * A private endpoint to a registry (group `registry`), its network interface, and the matching entry for
 * the registry's `properties.privateEndpointConnections` (the caller adds it there; the privateEndpointConnections
 * list is served from that array).
 * `addresses`: one per name the endpoint serves, e.g. { fqdn: 'myacr.azurecr.io', ip: '10.1.0.4' } and
 * { fqdn: 'myacr.westeurope.data.azurecr.io', ip: '10.1.0.5' }; each becomes a NIC ipConfiguration with
 * privateLinkConnectionProperties { groupId, requiredMemberName, fqdns } and a customDnsConfigs entry.
 * `manual`: the connection is a manualPrivateLinkServiceConnections entry (approval requested) instead of
 * a privateLinkServiceConnections one.
 * Synthetic parts: no official example shows a private-endpoint NIC, so its ipConfigurations follow the
 * NetworkInterfaceIPConfiguration schema (privateLinkConnectionProperties) on the NetworkInterfaceGet.json body.
 * @param {{ subscriptionId: string, resourceGroup: string, name: string, location?: string, subnetId: string,
 *   registryId: string, status?: 'Approved' | 'Pending' | 'Rejected' | 'Disconnected', manual?: boolean,
 *   addresses: { fqdn: string, ip: string, memberName?: string }[], connectionName?: string }} o
 * @returns {{ privateEndpoint: Json, networkInterface: Json, connection: Json }}
 */
export function privateEndpoint(o) {
  const status = o.status ?? 'Approved';
  const location = o.location ?? 'westeurope';
  const peId = resourceId(o.subscriptionId, o.resourceGroup, `${NETWORK}/privateEndpoints`, o.name);
  const nicName = `${o.name}.nic.${randomUUID()}`;
  const nicId = resourceId(o.subscriptionId, o.resourceGroup, `${NETWORK}/networkInterfaces`, nicName);

  const pe = example('network/2026-01-01/PrivateEndpointGet.json').responses['200'].body;
  pe.id = peId;
  pe.name = o.name;
  pe.location = location;
  const pp = pe.properties;
  const [plsc] = pp.privateLinkServiceConnections;
  plsc.id = `${peId}/${o.manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections'}/${o.name}`;
  plsc.name = o.name;
  plsc.type = `${NETWORK}/privateEndpoints/${o.manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections'}`;
  plsc.properties.privateLinkServiceId = o.registryId;
  plsc.properties.groupIds = ['registry'];
  plsc.properties.requestMessage = o.manual ? 'Please approve my connection.' : '';
  plsc.properties.privateLinkServiceConnectionState = connectionState(status);
  plsc.properties.provisioningState = 'Succeeded';
  pp.privateLinkServiceConnections = o.manual ? [] : [plsc];
  pp.manualPrivateLinkServiceConnections = o.manual ? [plsc] : [];
  pp.subnet = { id: o.subnetId };
  pp.networkInterfaces = [{ id: nicId }];
  pp.customDnsConfigs = o.addresses.map((a) => ({ fqdn: a.fqdn, ipAddresses: [a.ip] }));
  pp.ipConfigurations = [];
  delete pp.customNetworkInterfaceName;

  const nic = example('network/2026-01-01/NetworkInterfaceGet.json').responses['200'].body;
  nic.id = nicId;
  nic.name = nicName;
  nic.location = location;
  const np = nic.properties;
  const [ipConfig] = np.ipConfigurations;
  np.ipConfigurations = o.addresses.map((a, i) => {
    const name = `privateEndpointIpConfig.${randomUUID()}`;
    const c = clone(ipConfig);
    c.id = `${nicId}/ipConfigurations/${name}`;
    c.name = name;
    c.type = `${NETWORK}/networkInterfaces/ipConfigurations`;
    c.properties = {
      provisioningState: 'Succeeded',
      privateIPAddress: a.ip,
      privateIPAllocationMethod: 'Dynamic',
      subnet: { id: o.subnetId },
      primary: i === 0,
      privateIPAddressVersion: 'IPv4',
      privateLinkConnectionProperties: { groupId: 'registry', requiredMemberName: a.memberName ?? registryMemberName(a.fqdn), fqdns: [a.fqdn] },
    };
    return c;
  });
  np.dnsSettings = { dnsServers: [], appliedDnsServers: [] };
  np.macAddress = '';
  np.enableAcceleratedNetworking = false;
  np.primary = true;
  np.privateEndpoint = { id: peId };
  delete np.disableTcpStateTracking;
  delete np.networkSecurityGroup;
  delete np.virtualMachine;
  delete np.dscpConfiguration;

  const connection = example('containerregistry/2025-11-01/PrivateEndpointConnectionList.json').responses['200'].body.value[0];
  const connectionName = o.connectionName ?? `${lastSegment(o.registryId).toLowerCase()}.${randomUUID()}`;
  connection.id = `${o.registryId}/privateEndpointConnections/${connectionName}`;
  connection.name = connectionName;
  connection.properties.privateEndpoint = { id: peId };
  connection.properties.privateLinkServiceConnectionState = connectionState(status);
  return { privateEndpoint: pe, networkInterface: nic, connection };
}

/**
 * The DNS zone group of a private endpoint: the zones its A records are written to. `recordSets` lists
 * the records the group manages, per zone (as ARM reports them; the records themselves are aRecordSet()s).
 * @param {{ privateEndpointId: string, name?: string, zoneIds: string[],
 *   recordSets?: { zoneId: string, name: string, ips: string[] }[] }} o
 * @returns {Json}
 */
export function privateDnsZoneGroup(o) {
  const body = example('network/2026-01-01/PrivateEndpointDnsZoneGroupList.json').responses['200'].body.value[0];
  const name = o.name ?? 'default';
  body.id = `${o.privateEndpointId}/privateDnsZoneGroups/${name}`;
  body.name = name;
  body.type = `${NETWORK}/privateEndpoints/privateDnsZoneGroups`;
  const [config] = body.properties.privateDnsZoneConfigs;
  const [record] = config.properties.recordSets;
  body.properties.privateDnsZoneConfigs = o.zoneIds.map((zoneId) => {
    const zoneName = lastSegment(zoneId);
    const c = clone(config);
    c.name = zoneName.replace(/\./g, '-');
    c.properties.privateDnsZoneId = zoneId;
    c.properties.recordSets = (o.recordSets ?? [])
      .filter((r) => r.zoneId.toLowerCase() === zoneId.toLowerCase())
      .map((r) => ({ ...clone(record), recordSetName: r.name, fqdn: `${r.name}.${zoneName}`, ttl: 10, ipAddresses: [...r.ips], provisioningState: 'Succeeded' }));
    return c;
  });
  return body;
}

/**
 * @param {{ subscriptionId: string, resourceGroup: string, name: string, numberOfRecordSets?: number,
 *   numberOfVirtualNetworkLinks?: number }} o  name e.g. privatelink.azurecr.io
 * @returns {Json}
 */
export function privateDnsZone(o) {
  const body = example('privatedns/2024-06-01/PrivateZoneGet.json').responses['200'].body;
  body.id = resourceId(o.subscriptionId, o.resourceGroup, `${NETWORK}/privateDnsZones`, o.name);
  body.name = o.name;
  body.etag = randomUUID();
  delete body.tags;
  body.properties.numberOfRecordSets = o.numberOfRecordSets ?? 1;
  body.properties.numberOfVirtualNetworkLinks = o.numberOfVirtualNetworkLinks ?? 0;
  return body;
}

/**
 * A link from a private DNS zone to a VNet, so that the VNet's Azure-provided DNS resolves the zone.
 * @param {{ zoneId: string, name: string, vnetId: string, registrationEnabled?: boolean,
 *   virtualNetworkLinkState?: 'Completed' | 'InProgress' }} o
 * @returns {Json}
 */
export function virtualNetworkLink(o) {
  const body = example('privatedns/2024-06-01/VirtualNetworkLinkList.json').responses['200'].body.value[0];
  body.id = `${o.zoneId}/virtualNetworkLinks/${o.name}`;
  body.name = o.name;
  body.etag = randomUUID();
  delete body.tags;
  Object.assign(body.properties, {
    virtualNetwork: { id: o.vnetId },
    registrationEnabled: o.registrationEnabled ?? false,
    resolutionPolicy: 'Default',
    virtualNetworkLinkState: o.virtualNetworkLinkState ?? 'Completed',
  });
  return body;
}

/**
 * An A record set of a private DNS zone.
 * @param {{ zoneId: string, name: string, ips: string[], ttl?: number }} o  name relative to the zone, e.g.
 *   myacr or myacr.westeurope.data in privatelink.azurecr.io
 * @returns {Json}
 */
export function aRecordSet(o) {
  const body = example('privatedns/2024-06-01/RecordSetAGet.json').responses['200'].body;
  body.id = `${o.zoneId}/A/${o.name}`;
  body.name = o.name;
  body.etag = randomUUID();
  delete body.properties.metadata;
  body.properties.ttl = o.ttl ?? 10;
  body.properties.fqdn = `${o.name}.${lastSegment(o.zoneId)}.`;
  body.properties.aRecords = o.ips.map((ip) => ({ ipv4Address: ip }));
  return body;
}

/**
 * A geo-replication of a registry (named after its region unless `name` is given).
 * @param {{ registryId: string, location: string, name?: string, regionEndpointEnabled?: boolean }} o
 * @returns {Json}
 */
export function replication(o) {
  const body = example('containerregistry/2025-11-01/ReplicationList.json').responses['200'].body.value[0];
  const name = o.name ?? o.location;
  body.id = `${o.registryId}/replications/${name}`;
  body.name = name;
  body.location = o.location;
  delete body.tags;
  body.properties.regionEndpointEnabled = o.regionEndpointEnabled ?? true;
  return body;
}

/**
 * An artifact-cache rule: pulls of `targetRepository` are served from `sourceRepository` upstream.
 * @param {{ registryId: string, name: string, sourceRepository: string, targetRepository: string,
 *   credentialSetResourceId?: string }} o
 * @returns {Json}
 */
export function cacheRule(o) {
  const body = example('containerregistry/2025-11-01/CacheRuleList.json').responses['200'].body.value[0];
  body.id = `${o.registryId}/cacheRules/${o.name}`;
  body.name = o.name;
  body.properties.sourceRepository = o.sourceRepository;
  body.properties.targetRepository = o.targetRepository;
  if (o.credentialSetResourceId) body.properties.credentialSetResourceId = o.credentialSetResourceId;
  else delete body.properties.credentialSetResourceId;
  return body;
}

const SUBSCRIPTION = '22222222-2222-4222-8222-222222222222';
const OTHER_SUBSCRIPTION = '33333333-3333-4333-8333-333333333333';
const NODE_RG = 'MC_rg-aks_aks1_westeurope';
const NODE_VNET = 'aks-vnet-12345678';
const NODE_VNET_ID = resourceId(SUBSCRIPTION, NODE_RG, `${NETWORK}/virtualNetworks`, NODE_VNET);

/** The fixed identifiers of standardWorld(). */
export const IDS = Object.freeze({
  tenant: '11111111-1111-4111-8111-111111111111',
  subscription: SUBSCRIPTION,
  otherSubscription: OTHER_SUBSCRIPTION,
  managementGroup: '/providers/Microsoft.Management/managementGroups/mg1',
  clusterResourceGroup: 'rg-aks',
  cluster: 'aks1',
  clusterId: resourceId(SUBSCRIPTION, 'rg-aks', 'Microsoft.ContainerService/managedClusters', 'aks1'),
  nodeResourceGroup: NODE_RG,
  kubeletObjectId: '44444444-4444-4444-8444-444444444444',
  kubeletClientId: '55555555-5555-4555-8555-555555555555',
  kubeletResourceId: resourceId(SUBSCRIPTION, 'MC_rg-aks_aks1_westeurope', 'Microsoft.ManagedIdentity/userAssignedIdentities', 'aks1-agentpool'),
  controlPlanePrincipalId: '66666666-6666-4666-8666-666666666666',
  registryResourceGroup: 'rg-acr',
  registry: 'myacr',
  registryId: resourceId(SUBSCRIPTION, 'rg-acr', 'Microsoft.ContainerRegistry/registries', 'myacr'),
  otherRegistryResourceGroup: 'rg-other',
  otherRegistry: 'otheracr',
  otherRegistryId: resourceId(OTHER_SUBSCRIPTION, 'rg-other', 'Microsoft.ContainerRegistry/registries', 'otheracr'),
  acrPullAssignment: '77777777-7777-4777-8777-777777777777',
  /** the app registration the action signs in as (client secret or GitHub federation) */
  clientId: '88888888-8888-4888-8888-888888888888',
  clientObjectId: '99999999-9999-4999-8999-999999999999',
  /** the managed identity behind IDENTITY_ENDPOINT */
  managedIdentityClientId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  managedIdentityObjectId: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
  /** the VNet AKS made in the node resource group (kubenet, Azure-provided DNS) and its one subnet */
  nodeVnet: NODE_VNET,
  nodeVnetId: NODE_VNET_ID,
  nodeVnetAddressPrefix: '10.224.0.0/12',
  nodeSubnet: 'aks-subnet',
  nodeSubnetId: `${NODE_VNET_ID}/subnets/aks-subnet`,
  nodeSubnetAddressPrefix: '10.224.0.0/16',
  /** the cluster's loadBalancerProfile.effectiveOutboundIPs (node resource group), and their addresses */
  outboundIpIds: Object.freeze([1, 2].map((n) => resourceId(SUBSCRIPTION, NODE_RG, `${NETWORK}/publicIPAddresses`, `mgdoutboundip${n}`))),
  outboundIps: Object.freeze(['20.61.10.1', '20.61.10.2']),
  /** the cluster's loadBalancerProfile.outboundIPs.publicIPs (cluster resource group), and their addresses */
  customerOutboundIpIds: Object.freeze([1, 2].map((n) => resourceId(SUBSCRIPTION, 'rg-aks', `${NETWORK}/publicIPAddresses`, `customeroutboundip${n}`))),
  customerOutboundIps: Object.freeze(['20.61.20.1', '20.61.20.2']),
});

/** Credentials of standardWorld(): tests assert none of them (nor any issued token) leaks into output. */
export const SECRETS = Object.freeze({
  clientSecret: 'fake-client-secret-5f0c1e2d9a',
  githubRequestToken: 'fake-github-request-token-8d41b7',
  managedIdentityHeader: 'fake-identity-header-3c9e70',
});

/** A world with nothing in it but the default audiences: every sign-in and every read fails. @returns {World} */
export function emptyWorld() {
  return {
    tenantId: '',
    subscriptions: [],
    managementGroups: [],
    clusters: [],
    registries: [],
    roleAssignments: [],
    roleDefinitions: [],
    denyAssignments: [],
    resources: [],
    groups: {},
    servicePrincipals: [],
    entra: { clientId: '', clientSecret: '' },
    github: { requestToken: '', repository: 'owner/repo', ref: 'refs/heads/main' },
    managedIdentity: { header: '', clientId: '' },
    armAudience: 'https://management.azure.com',
    graphAudience: 'https://graph.microsoft.com',
  };
}

/**
 * A ready world: tenant, two subscriptions (both in management group mg1), managed-identity cluster aks1
 * in rg-aks (westeurope, one Linux pool, kubenet on the VNet AKS manages in its node resource group, with
 * Azure-provided DNS, outbound through the load balancer's public IPs), registry myacr in the cluster's
 * subscription (public, Standard), otheracr in the other one, the built-in roles, and AcrPull for the
 * kubelet on myacr. See IDS and SECRETS.
 * @returns {World}
 */
export function standardWorld() {
  const world = emptyWorld();
  const ip = (/** @type {string} */ id, /** @type {string} */ ipAddress) => {
    const { subscriptionId, resourceGroup } = containerOf(id);
    return publicIPAddress({ subscriptionId, resourceGroup, name: lastSegment(id), ipAddress });
  };
  return {
    ...world,
    tenantId: IDS.tenant,
    subscriptions: [
      { subscriptionId: IDS.subscription, displayName: 'Production', state: 'Enabled', tenantId: IDS.tenant },
      { subscriptionId: IDS.otherSubscription, displayName: 'Shared registries', state: 'Enabled', tenantId: IDS.tenant },
    ],
    managementGroups: [{ id: IDS.managementGroup, subscriptions: [IDS.subscription, IDS.otherSubscription] }],
    clusters: [
      managedCluster({
        subscriptionId: IDS.subscription,
        resourceGroup: IDS.clusterResourceGroup,
        name: IDS.cluster,
        location: 'westeurope',
        kubelet: { objectId: IDS.kubeletObjectId, clientId: IDS.kubeletClientId, resourceId: IDS.kubeletResourceId },
        controlPlanePrincipalId: IDS.controlPlanePrincipalId,
        tenantId: IDS.tenant,
      }),
    ],
    registries: [
      registry({ subscriptionId: IDS.subscription, resourceGroup: IDS.registryResourceGroup, name: IDS.registry, location: 'westeurope' }),
      registry({ subscriptionId: IDS.otherSubscription, resourceGroup: IDS.otherRegistryResourceGroup, name: IDS.otherRegistry, location: 'northeurope' }),
    ],
    roleDefinitions: builtInRoleDefinitions(),
    roleAssignments: [
      roleAssignment({ scope: IDS.registryId, roleDefinitionGuid: ROLE_IDS.AcrPull, principalId: IDS.kubeletObjectId, name: IDS.acrPullAssignment }),
    ],
    resources: [
      virtualNetwork({
        subscriptionId: IDS.subscription,
        resourceGroup: IDS.nodeResourceGroup,
        name: IDS.nodeVnet,
        addressPrefixes: [IDS.nodeVnetAddressPrefix],
        subnets: [{ name: IDS.nodeSubnet, addressPrefix: IDS.nodeSubnetAddressPrefix }],
      }),
      ...IDS.outboundIpIds.map((id, i) => ip(id, IDS.outboundIps[i] ?? '')),
      ...IDS.customerOutboundIpIds.map((id, i) => ip(id, IDS.customerOutboundIps[i] ?? '')),
    ],
    servicePrincipals: [
      { id: IDS.clientObjectId, appId: IDS.clientId, displayName: 'aks-acr-preflight-ci', servicePrincipalType: 'Application' },
      { id: IDS.kubeletObjectId, appId: IDS.kubeletClientId, displayName: 'aks1-agentpool', servicePrincipalType: 'ManagedIdentity' },
      { id: IDS.managedIdentityObjectId, appId: IDS.managedIdentityClientId, displayName: 'runner-identity', servicePrincipalType: 'ManagedIdentity' },
    ],
    entra: { clientId: IDS.clientId, clientSecret: SECRETS.clientSecret },
    github: { ...world.github, requestToken: SECRETS.githubRequestToken },
    managedIdentity: { header: SECRETS.managedIdentityHeader, clientId: IDS.managedIdentityClientId },
  };
}

/** @param {World} world @param {string} name @returns {Json} */
function registryNamed(world, name) {
  const found = world.registries.find((r) => String(r.name).toLowerCase() === name.toLowerCase());
  if (!found) throw new Error(`no registry named ${name} in the world`);
  return found;
}

/**
 * The VNet the cluster's nodes are in: the parent of its first pool's vnetSubnetID (bring-your-own VNet),
 * else the VNet in its node resource group (the one AKS manages).
 * @param {World} world @param {string} [clusterId] default: the first cluster
 * @returns {Json}
 */
export function clusterVnet(world, clusterId) {
  const cluster = clusterId ? world.clusters.find((c) => String(c.id).toLowerCase() === clusterId.toLowerCase()) : world.clusters[0];
  if (!cluster) throw new Error(`no cluster ${clusterId ?? ''} in the world`);
  const subnetId = cluster.properties.agentPoolProfiles?.find((/** @type {Json} */ p) => p.vnetSubnetID)?.vnetSubnetID;
  const vnetId = typeof subnetId === 'string' ? subnetId.replace(/\/subnets\/[^/]+$/i, '') : undefined;
  const prefix = `/subscriptions/${containerOf(String(cluster.id)).subscriptionId}/resourceGroups/${cluster.properties.nodeResourceGroup}/providers/${NETWORK}/virtualNetworks/`.toLowerCase();
  const vnet = world.resources.find((r) =>
    vnetId ? String(r.id).toLowerCase() === vnetId.toLowerCase() : String(r.id).toLowerCase().startsWith(prefix) && !String(r.id).slice(prefix.length).includes('/'),
  );
  if (!vnet) throw new Error(`the world has no VNet for cluster ${String(cluster.name)}`);
  return vnet;
}

/** The ACR private-link DNS zone. */
export const ACR_PRIVATE_ZONE = 'privatelink.azurecr.io';

/**
 * @typedef {object} PrivateRegistryOptions
 * @property {string} [registryName] default IDS.registry
 * @property {string} [clusterId] whose VNet is "the cluster's VNet"; default the first cluster
 * @property {boolean} [linkZoneToClusterVnet] link privatelink.azurecr.io to the cluster's VNet (default true)
 * @property {boolean} [approved] false: the connection is a manual request, still Pending (default true)
 * @property {'Approved' | 'Pending' | 'Rejected' | 'Disconnected'} [status] overrides `approved`
 * @property {'match' | 'stale' | 'missing'} [records] the zone's A records: the endpoint's addresses (default),
 *   other addresses (left from an older endpoint), or none
 * @property {boolean} [dataEndpoints] enable dedicated data endpoints: `<name>.<region>.data.azurecr.io` for the
 *   registry's region and each replication already in the world, each with its own address and A record
 * @property {'cluster' | 'separate'} [endpointVnet] where the endpoint lives: a new subnet `snet-private-endpoints`
 *   (10.225.0.0/24) of the cluster's VNet (default), or a new VNet `vnet-<registry>-pe` (10.10.0.0/16) in the
 *   registry's resource group, not peered, to which the zone is always linked
 */

/**
 * Makes a registry private: Premium, publicNetworkAccess Disabled, with a private endpoint (and its NIC)
 * in a VNet, the connection in the registry's privateEndpointConnections, a DNS zone group pointing at
 * privatelink.azurecr.io (in the registry's resource group), that zone with its A records and, unless
 * told otherwise, a link from the zone to the cluster's VNet. Mutates `world`; returns what it made.
 * @param {World} world @param {PrivateRegistryOptions} [o]
 */
export function withPrivateRegistry(world, o = {}) {
  const reg = registryNamed(world, o.registryName ?? IDS.registry);
  const regId = String(reg.id);
  const { subscriptionId, resourceGroup } = containerOf(regId);
  const name = String(reg.name).toLowerCase();
  const location = String(reg.location);
  const status = o.status ?? (o.approved === false ? 'Pending' : 'Approved');
  const records = o.records ?? 'match';
  const clusterVnetBody = clusterVnet(world, o.clusterId);

  reg.sku = { name: 'Premium', tier: 'Premium' };
  reg.properties.publicNetworkAccess = 'Disabled';
  const regions = [location, ...world.resources.filter((r) => String(r.id).toLowerCase().startsWith(`${regId}/replications/`.toLowerCase())).map((r) => String(r.location))];
  const dataHosts = o.dataEndpoints ? [...new Set(regions.map((r) => `${name}.${r.toLowerCase()}.data.azurecr.io`))] : [];
  if (o.dataEndpoints) {
    reg.properties.dataEndpointEnabled = true;
    reg.properties.dataEndpointHostNames = dataHosts;
  }

  /** @type {Json} */
  let peVnet = clusterVnetBody;
  let subnetId;
  let base;
  if ((o.endpointVnet ?? 'cluster') === 'cluster') {
    subnetId = `${String(peVnet.id)}/subnets/snet-private-endpoints`;
    const [subnet] = virtualNetwork({ ...containerOf(String(peVnet.id)), name: String(peVnet.name), subnets: [{ name: 'snet-private-endpoints', addressPrefix: '10.225.0.0/24' }] }).properties.subnets;
    peVnet.properties.subnets.push(subnet);
    base = '10.225.0';
  } else {
    peVnet = virtualNetwork({ subscriptionId, resourceGroup, name: `vnet-${name}-pe`, location, addressPrefixes: ['10.10.0.0/16'], subnets: [{ name: 'snet-private-endpoints', addressPrefix: '10.10.1.0/24' }] });
    world.resources.push(peVnet);
    subnetId = `${String(peVnet.id)}/subnets/snet-private-endpoints`;
    base = '10.10.1';
  }

  const loginServer = String(reg.properties.loginServer);
  const addresses = [loginServer, ...dataHosts].map((fqdn, i) => ({ fqdn, ip: `${base}.${4 + i}` }));
  const { privateEndpoint: pe, networkInterface, connection } = privateEndpoint({
    subscriptionId,
    resourceGroup,
    name: `pe-${name}`,
    location,
    subnetId,
    registryId: regId,
    status,
    manual: status === 'Pending',
    addresses,
  });
  reg.properties.privateEndpointConnections = [...(reg.properties.privateEndpointConnections ?? []), connection];

  const zone = privateDnsZone({ subscriptionId, resourceGroup, name: ACR_PRIVATE_ZONE });
  const zoneId = String(zone.id);
  /** @param {string} fqdn the record's name relative to the zone: myacr, myacr.westeurope.data */
  const relative = (fqdn) => fqdn.replace(/\.azurecr\.io$/i, '');
  const wanted = addresses.map((a) => ({ zoneId, name: relative(a.fqdn), ips: [a.ip] }));
  const group = privateDnsZoneGroup({ privateEndpointId: String(pe.id), zoneIds: [zoneId], recordSets: wanted });
  const aRecords =
    records === 'missing' ? [] : wanted.map((w, i) => aRecordSet({ zoneId, name: w.name, ips: records === 'stale' ? [`${base}.${200 + i}`] : w.ips }));
  const links = [];
  if (peVnet !== clusterVnetBody) links.push(virtualNetworkLink({ zoneId, name: `link-${String(peVnet.name)}`, vnetId: String(peVnet.id) }));
  if (o.linkZoneToClusterVnet ?? true) links.push(virtualNetworkLink({ zoneId, name: `link-${String(clusterVnetBody.name)}`, vnetId: String(clusterVnetBody.id) }));
  zone.properties.numberOfRecordSets = aRecords.length + 1; // + the zone's SOA
  zone.properties.numberOfVirtualNetworkLinks = links.length;
  world.resources.push(pe, networkInterface, group, zone, ...aRecords, ...links);
  return {
    registry: reg,
    privateEndpointId: String(pe.id),
    networkInterfaceId: String(networkInterface.id),
    connectionId: String(connection.id),
    zoneGroupId: String(group.id),
    zoneId,
    endpointVnetId: String(peVnet.id),
    endpointSubnetId: subnetId,
    clusterVnetId: String(clusterVnetBody.id),
    /** what the endpoint serves: the login server, then each data endpoint */
    addresses,
  };
}

/**
 * Puts a registry behind its firewall: Premium, public network access Enabled but networkRuleSet
 * defaultAction Deny, allowing only `ipRules` (addresses or CIDR ranges). Mutates `world`; returns the registry.
 * @param {World} world @param {{ registryName?: string, ipRules: string[], bypassAzureServices?: boolean }} o
 */
export function withFirewall(world, o) {
  const reg = registryNamed(world, o.registryName ?? IDS.registry);
  reg.sku = { name: 'Premium', tier: 'Premium' };
  reg.properties.publicNetworkAccess = 'Enabled';
  reg.properties.networkRuleSet = { defaultAction: 'Deny', ipRules: o.ipRules.map((value) => ({ action: 'Allow', value })) };
  reg.properties.networkRuleBypassOptions = o.bypassAzureServices === false ? 'None' : 'AzureServices';
  return reg;
}
