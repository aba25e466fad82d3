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

const SUBSCRIPTION = '22222222-2222-4222-8222-222222222222';
const OTHER_SUBSCRIPTION = '33333333-3333-4333-8333-333333333333';

/** The fixed identifiers of standardWorld(). */
export const IDS = Object.freeze({
  tenant: '11111111-1111-4111-8111-111111111111',
  subscription: SUBSCRIPTION,
  otherSubscription: OTHER_SUBSCRIPTION,
  managementGroup: '/providers/Microsoft.Management/managementGroups/mg1',
  clusterResourceGroup: 'rg-aks',
  cluster: 'aks1',
  clusterId: resourceId(SUBSCRIPTION, 'rg-aks', 'Microsoft.ContainerService/managedClusters', 'aks1'),
  nodeResourceGroup: 'MC_rg-aks_aks1_westeurope',
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
 * in rg-aks (westeurope, one Linux pool), registry myacr in the cluster's subscription, otheracr in the
 * other one, the built-in roles, and AcrPull for the kubelet on myacr. See IDS and SECRETS.
 * @returns {World}
 */
export function standardWorld() {
  const world = emptyWorld();
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
