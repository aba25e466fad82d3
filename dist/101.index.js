export const id = 101;
export const ids = [101];
export const modules = {

/***/ 3101:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runPreflight: () => (/* binding */ runPreflight)
});

// EXTERNAL MODULE: ./node_modules/@azure/arm-authorization/dist/index.js
var dist = __webpack_require__(1043);
// EXTERNAL MODULE: ./node_modules/@azure/arm-containerregistry/dist/esm/index.js + 33 modules
var esm = __webpack_require__(9751);
// EXTERNAL MODULE: ./node_modules/@azure/arm-containerservice/dist/esm/index.js + 39 modules
var dist_esm = __webpack_require__(7744);
// EXTERNAL MODULE: ./node_modules/@azure/arm-resources-subscriptions/dist/esm/index.js + 9 modules
var arm_resources_subscriptions_dist_esm = __webpack_require__(2692);
;// CONCATENATED MODULE: ./src/azure/arm.ts
// ARM plumbing shared by the readers: one client per service and subscription, built with the
// cloud's token audience, bounded retries (429 honouring Retry-After, 408, 5xx, connection resets:
// the SDK pipeline's own policies), and a translation of any failure into a ReadFailure that keeps
// the status, ARM error code and correlation id.




const RETRY_OPTIONS = { maxRetries: 3, retryDelayInMs: 400, maxRetryDelayInMs: 5_000 };
const USER_AGENT = 'aks-acr-preflight';
class ArmClients {
    credential;
    config;
    signal;
    cache = new Map();
    constructor(credential, config, signal) {
        this.credential = credential;
        this.config = config;
        this.signal = signal;
    }
    /** One instance per key (clients of other SDKs are kept here too). */
    cached(key, make) {
        return this.memo(key, make);
    }
    memo(key, make) {
        if (!this.cache.has(key))
            this.cache.set(key, make());
        return this.cache.get(key);
    }
    /** options for the generated (modular) clients: containerservice, containerregistry */
    modularOptions() {
        return {
            endpoint: this.config.armEndpoint,
            credentials: { scopes: [this.config.cloud.armScope] },
            retryOptions: RETRY_OPTIONS,
            userAgentOptions: { userAgentPrefix: USER_AGENT },
        };
    }
    /** options for the older core-client clients: authorization, subscriptions (they build URLs from $host) */
    classicOptions() {
        return {
            endpoint: this.config.armEndpoint,
            $host: this.config.armEndpoint,
            credentialScopes: [this.config.cloud.armScope],
            retryOptions: RETRY_OPTIONS,
            userAgentOptions: { userAgentPrefix: USER_AGENT },
        };
    }
    containerService(subscriptionId) {
        return this.memo(`aks:${subscriptionId}`, () => new dist_esm/* ContainerServiceClient */.u(this.credential, subscriptionId, this.modularOptions()));
    }
    containerRegistry(subscriptionId) {
        return this.memo(`acr:${subscriptionId}`, () => new esm/* ContainerRegistryManagementClient */.PG(this.credential, subscriptionId, this.modularOptions()));
    }
    /** role and deny assignments are addressed by scope; the subscription only fills the constructor */
    authorization(subscriptionId) {
        return this.memo(`authz:${subscriptionId}`, () => new dist/* AuthorizationManagementClient */.IK(this.credential, subscriptionId, this.classicOptions()));
    }
    subscriptions() {
        return this.memo('subs', () => new arm_resources_subscriptions_dist_esm/* SubscriptionClient */.DI(this.credential, this.classicOptions()));
    }
}
function armErrorBody(e) {
    if (e.details?.error)
        return e.details.error;
    const text = e.response?.bodyAsText;
    if (!text)
        return undefined;
    try {
        const parsed = JSON.parse(text);
        return parsed.error;
    }
    catch {
        return undefined;
    }
}
function isAbort(err) {
    const e = err;
    return e?.name === 'AbortError' || e?.name === 'TimeoutError';
}
/** A failure of any read, in the terms a user can act on. */
function toReadFailure(what, err, missingPermission) {
    const e = (err ?? {});
    if (isAbort(err)) {
        return { what, message: 'the time budget ran out before Azure answered (raise the `timeout` input if Azure is slow)' };
    }
    const status = e.statusCode ?? e.response?.status;
    const body = armErrorBody(e);
    const correlationId = e.response?.headers?.get('x-ms-correlation-request-id') ?? undefined;
    const failure = {
        what,
        message: body?.message ?? e.message ?? String(err),
    };
    if (status !== undefined)
        failure.status = status;
    const code = body?.code ?? (typeof e.code === 'string' ? e.code : undefined);
    if (code)
        failure.code = code;
    if (correlationId)
        failure.correlationId = correlationId;
    if (missingPermission && (status === 403 || status === 401))
        failure.missingPermission = missingPermission;
    return failure;
}
/** Runs a read and returns its value or why it failed; never throws. */
async function readFact(what, missingPermission, read) {
    try {
        return { ok: true, value: await read() };
    }
    catch (err) {
        return { ok: false, error: toReadFailure(what, err, missingPermission) };
    }
}
/** Collects every page of a paged SDK listing. */
async function collectAll(iter) {
    const out = [];
    for await (const item of iter)
        out.push(item);
    return out;
}

;// CONCATENATED MODULE: ./src/azure/resource-id.ts
// ARM resource IDs: the pieces the readers need, and ancestry.
/** Subscription, resource group and last name of /subscriptions/{s}/resourceGroups/{rg}/providers/…/{name}. */
function parseResourceId(id) {
    const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/.+\/([^/]+)\/?$/i.exec(id);
    if (!m)
        throw new Error(`not an ARM resource ID: ${id}`);
    return { subscriptionId: m[1], resourceGroup: m[2], name: m[3] };
}

;// CONCATENATED MODULE: ./src/azure/cluster.ts


const CLUSTER_READ_PERMISSION = 'Microsoft.ContainerService/managedClusters/read (e.g. the Reader role on the cluster)';
function readCluster(clients, ref) {
    const what = `reading cluster ${ref.name} in resource group ${ref.resourceGroup}`;
    return readFact(what, CLUSTER_READ_PERMISSION, () => clients.containerService(ref.subscriptionId).managedClusters.get(ref.resourceGroup, ref.name, { abortSignal: clients.signal }));
}
/** The service-principal client ID of a cluster that pulls with a service principal, else undefined. */
function servicePrincipalClientId(mc) {
    const clientId = mc.servicePrincipalProfile?.clientId;
    return clientId && clientId.toLowerCase() !== 'msi' ? clientId : undefined;
}
function kubeletIdentity(mc) {
    const mi = mc.identityProfile?.['kubeletidentity'];
    if (mi?.objectId || mi?.clientId) {
        const k = { source: 'managedIdentity' };
        if (mi.objectId) {
            k.objectId = mi.objectId;
            k.objectIdFrom = 'cluster';
        }
        if (mi.clientId)
            k.clientId = mi.clientId;
        if (mi.resourceId)
            k.resourceId = mi.resourceId;
        return k;
    }
    const spClientId = servicePrincipalClientId(mc);
    return spClientId ? { source: 'servicePrincipal', clientId: spClientId } : { source: 'managedIdentity' };
}
/** The facts the judges use, from the ARM body. The kubelet's object ID may still be missing. */
function clusterFacts(mc) {
    const id = mc.id ?? '';
    const parsed = parseResourceId(id);
    const pools = (mc.agentPoolProfiles ?? []).map((p) => ({
        name: p.name,
        osType: p.osType,
        osSku: p.osSKU,
        vmSize: p.vmSize,
        mode: p.mode,
        count: p.count,
        maxCount: p.maxCount,
        vnetSubnetID: p.vnetSubnetID,
    }));
    return {
        id,
        name: mc.name ?? parsed.name,
        subscriptionId: parsed.subscriptionId,
        resourceGroup: parsed.resourceGroup,
        location: mc.location,
        provisioningState: mc.provisioningState,
        powerState: mc.powerState?.code,
        nodeResourceGroup: mc.nodeResourceGroup,
        controlPlanePrincipalId: mc.identity?.principalId,
        controlPlaneIdentityType: mc.identity?.type,
        kubelet: kubeletIdentity(mc),
        agentPools: pools,
        outboundType: mc.networkProfile?.outboundType,
        outboundResourceIds: [
            ...(mc.networkProfile?.loadBalancerProfile?.effectiveOutboundIPs ?? []),
            ...(mc.networkProfile?.natGatewayProfile?.effectiveOutboundIPs ?? []),
        ].flatMap((r) => (r.id ? [r.id] : [])),
    };
}

// EXTERNAL MODULE: ./node_modules/@azure/core-rest-pipeline/dist/esm/index.js + 37 modules
var core_rest_pipeline_dist_esm = __webpack_require__(1818);
;// CONCATENATED MODULE: ./src/azure/graph.ts
// Microsoft Graph: the object ID of a service principal from its application (client) ID.


const GRAPH_READ_PERMISSION = 'Microsoft Graph Application.Read.All (or Directory.Read.All), or the kubelet-object-id input';
class GraphClient {
    endpoint;
    signal;
    pipeline = (0,core_rest_pipeline_dist_esm/* createPipelineFromOptions */.Fp)({ retryOptions: RETRY_OPTIONS, userAgentOptions: { userAgentPrefix: USER_AGENT } });
    http = (0,core_rest_pipeline_dist_esm/* createDefaultHttpClient */.fl)();
    constructor(credential, endpoint, scope, signal) {
        this.endpoint = endpoint;
        this.signal = signal;
        this.pipeline.addPolicy((0,core_rest_pipeline_dist_esm/* bearerTokenAuthenticationPolicy */.N$)({ credential, scopes: scope }));
    }
    /** GET a Graph path; throws RestError (with status and body) on anything but 2xx. */
    async get(path) {
        const request = (0,core_rest_pipeline_dist_esm/* createPipelineRequest */.G6)({ url: `${this.endpoint}${path}`, method: 'GET', abortSignal: this.signal });
        const response = await this.pipeline.sendRequest(this.http, request);
        if (response.status < 200 || response.status > 299) {
            throw new core_rest_pipeline_dist_esm/* RestError */.pj(`Microsoft Graph answered ${response.status}`, { statusCode: response.status, request, response });
        }
        return JSON.parse(response.bodyAsText ?? '{}');
    }
    servicePrincipalObjectId(appId) {
        return readFact(`looking up service principal ${appId} in Microsoft Graph`, GRAPH_READ_PERMISSION, async () => {
            const sp = await this.get(`/v1.0/servicePrincipals(appId='${encodeURIComponent(appId)}')`);
            if (!sp.id)
                throw new Error('Microsoft Graph returned a service principal without an id');
            return sp.id;
        });
    }
}

;// CONCATENATED MODULE: ./src/azure/builtin-roles.ts
const ACR = 'Microsoft.ContainerRegistry/registries';
const ROLE = {
    acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
    acrPush: '8311e382-0749-4cb8-b61a-304f252e45ec',
    acrDelete: 'c2f4ef07-c644-48eb-af81-4b1b4947fb11',
    owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    repositoryReader: 'b93aa761-3e63-49ed-ac28-beffa264f7ac',
    repositoryWriter: '2a1e307c-b015-4ebd-883e-5b7698a07328',
    repositoryContributor: '2efddaa5-3f1f-4df3-97df-af3f13818f4c',
    repositoryCatalogLister: 'bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7',
    dataImporterAndDataReader: '577a9874-89fd-4f24-9dbd-b5034d0ad23a',
};
function role(guid, roleName, actions, dataActions = [], notActions = []) {
    return {
        id: `/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
        name: guid,
        roleName,
        type: 'BuiltInRole',
        permissions: [{ actions, notActions, dataActions, notDataActions: [] }],
    };
}
const REPOSITORY_READ = [`${ACR}/repositories/metadata/read`, `${ACR}/repositories/content/read`];
const REPOSITORY_WRITE = [`${ACR}/repositories/metadata/write`, `${ACR}/repositories/content/write`];
const REPOSITORY_DELETE = [`${ACR}/repositories/metadata/delete`, `${ACR}/repositories/content/delete`];
const BUILT_IN = [
    role(ROLE.acrPull, 'AcrPull', [`${ACR}/pull/read`]),
    role(ROLE.acrPush, 'AcrPush', [`${ACR}/pull/read`, `${ACR}/push/write`]),
    role(ROLE.acrDelete, 'AcrDelete', [`${ACR}/artifacts/delete`]),
    role(ROLE.owner, 'Owner', ['*']),
    role(ROLE.contributor, 'Contributor', ['*'], [], [
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
    ]),
    role(ROLE.reader, 'Reader', ['*/read']),
    role(ROLE.repositoryReader, 'Container Registry Repository Reader', [], REPOSITORY_READ),
    role(ROLE.repositoryWriter, 'Container Registry Repository Writer', [], [...REPOSITORY_READ, ...REPOSITORY_WRITE]),
    role(ROLE.repositoryContributor, 'Container Registry Repository Contributor', [], [...REPOSITORY_READ, ...REPOSITORY_WRITE, ...REPOSITORY_DELETE]),
    role(ROLE.repositoryCatalogLister, 'Container Registry Repository Catalog Lister', [], [`${ACR}/catalog/read`]),
    role(ROLE.dataImporterAndDataReader, 'Container Registry Data Importer and Data Reader', [`${ACR}/importImage/action`, `${ACR}/read`, `${ACR}/pull/read`], [`${ACR}/repositories/content/read`, `${ACR}/repositories/metadata/read`, `${ACR}/catalog/read`]),
];
const BY_GUID = new Map(BUILT_IN.map((d) => [d.name, d]));
/** The trailing GUID of `/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}` or `/providers/…/{guid}`, lower-case. */
function roleGuidOf(roleDefinitionId) {
    return (roleDefinitionId.split('/').filter(Boolean).pop() ?? '').toLowerCase();
}
function builtInRole(guid) {
    return BY_GUID.get(guid.toLowerCase());
}

;// CONCATENATED MODULE: ./src/checks/permissions.ts
// The permissions the signed-in identity needs for each RBAC read, in the words the checks use.
// Shared by the readers (which attach them to a 403) and the judge (which falls back on them).
const READER_ON_REGISTRY = '(granted by the Reader role on the registry)';
const RBAC_READ_PERMISSION = {
    roleAssignments: `Microsoft.Authorization/roleAssignments/read ${READER_ON_REGISTRY}`,
    denyAssignments: `Microsoft.Authorization/denyAssignments/read ${READER_ON_REGISTRY}`,
    roleDefinitions: `Microsoft.Authorization/roleDefinitions/read ${READER_ON_REGISTRY}`,
};

;// CONCATENATED MODULE: ./src/azure/rbac.ts



/** The SDK puts scope paths after a '/', so pass them without their leading one. */
const scopeArg = (scope) => scope.replace(/^\/+/, '');
function permission(p) {
    return { actions: p.actions ?? [], notActions: p.notActions ?? [], dataActions: p.dataActions ?? [], notDataActions: p.notDataActions ?? [] };
}
function roleAssignment(a) {
    const out = {
        id: a.id ?? '',
        name: a.name ?? '',
        scope: a.scope ?? '',
        roleDefinitionId: a.roleDefinitionId ?? '',
        principalId: a.principalId ?? '',
    };
    if (a.principalType)
        out.principalType = a.principalType;
    if (a.condition)
        out.condition = a.condition;
    if (a.conditionVersion)
        out.conditionVersion = a.conditionVersion;
    if (a.createdOn)
        out.createdOn = new Date(a.createdOn).toISOString();
    return out;
}
function denyAssignment(d) {
    const out = {
        id: d.id ?? '',
        name: d.name ?? '',
        scope: d.scope ?? '',
        permissions: (d.permissions ?? []).map(permission),
        principals: (d.principals ?? []).map((p) => ({ id: p.id ?? '', type: p.type })),
        excludePrincipals: (d.excludePrincipals ?? []).map((p) => ({ id: p.id ?? '', type: p.type })),
        doNotApplyToChildScopes: d.doNotApplyToChildScopes === true,
    };
    if (d.denyAssignmentName)
        out.denyAssignmentName = d.denyAssignmentName;
    if (d.isSystemProtected !== undefined)
        out.isSystemProtected = d.isSystemProtected;
    if (d.condition)
        out.condition = d.condition;
    return out;
}
/** Every RBAC read of a run goes through one reader, so nothing is fetched twice. */
class RbacReader {
    clients;
    memo = new Map();
    constructor(clients) {
        this.clients = clients;
    }
    once(key, read) {
        const k = key.toLowerCase();
        if (!this.memo.has(k))
            this.memo.set(k, read());
        return this.memo.get(k);
    }
    client(scope) {
        const sub = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? '00000000-0000-0000-0000-000000000000';
        return this.clients.authorization(sub);
    }
    /** Assignments that apply to the principal at, above or below the scope; `filter` picks direct-only or with groups. */
    roleAssignments(scope, principalId, filter = 'assignedTo') {
        const odata = filter === 'assignedTo' ? `assignedTo('${principalId}')` : `principalId eq '${principalId}'`;
        return this.once(`ra|${scope}|${odata}`, () => readFact(`reading role assignments of ${principalId} on ${scope}`, RBAC_READ_PERMISSION.roleAssignments, async () => (await collectAll(this.client(scope).roleAssignments.listForScope(scopeArg(scope), { filter: odata, abortSignal: this.clients.signal }))).map(roleAssignment)));
    }
    /** Deny assignments at or above the scope, for every principal (the judge applies principals and exclusions). */
    denyAssignments(scope) {
        return this.once(`da|${scope}`, () => readFact(`reading deny assignments on ${scope}`, RBAC_READ_PERMISSION.denyAssignments, async () => (await collectAll(this.client(scope).denyAssignments.listForScope(scopeArg(scope), { filter: 'atScope()', abortSignal: this.clients.signal }))).map(denyAssignment)));
    }
    /** A role definition by its full ID; a built-in one is answered from the local table. */
    roleDefinition(roleDefinitionId) {
        const guid = roleGuidOf(roleDefinitionId);
        const known = builtInRole(guid);
        if (known)
            return Promise.resolve({ ok: true, value: known });
        return this.once(`rd|${guid}`, () => readFact(`reading role definition ${roleDefinitionId}`, RBAC_READ_PERMISSION.roleDefinitions, async () => {
            const d = await this.client(roleDefinitionId).roleDefinitions.getById(scopeArg(roleDefinitionId), { abortSignal: this.clients.signal });
            const def = { id: d.id ?? roleDefinitionId, name: d.name ?? guid, roleName: d.roleName ?? guid, permissions: (d.permissions ?? []).map(permission) };
            if (d.roleType)
                def.type = d.roleType;
            return def;
        }));
    }
    /** The definitions of every distinct role the assignments name, keyed by lower-case GUID. */
    async roleDefinitions(assignments) {
        const ids = [...new Map(assignments.map((a) => [roleGuidOf(a.roleDefinitionId), a.roleDefinitionId])).entries()];
        const defs = await Promise.all(ids.map(([, id]) => this.roleDefinition(id)));
        return Object.fromEntries(ids.map(([guid], i) => [guid, defs[i]]));
    }
}

;// CONCATENATED MODULE: ./src/azure/network.ts


const NETWORK_READ_PERMISSION = 'Microsoft.Network/*/read on the resources involved (e.g. the Reader role on the node resource group and the network resource groups)';
const REGISTRY_CHILD_READ_PERMISSION = 'Microsoft.ContainerRegistry/registries/*/read (e.g. the Reader role on the registry)';
let sdks;
/** Starts loading the network SDKs (call early; they take a moment to parse). */
function preloadNetworkSdks() {
    sdks ??= Promise.all([__webpack_require__.e(/* import() */ 163).then(__webpack_require__.bind(__webpack_require__, 2163)), __webpack_require__.e(/* import() */ 998).then(__webpack_require__.bind(__webpack_require__, 9998))]).then(([network, privateDns]) => ({ network, privateDns }));
    return sdks;
}
const lower = (s) => s.toLowerCase();
/** The VNet id of a subnet id (…/virtualNetworks/{v}/subnets/{s}). */
const vnetOfSubnet = (subnetId) => subnetId.replace(/\/subnets\/[^/]+$/i, '');
class NetworkReader {
    clients;
    memo = new Map();
    constructor(clients) {
        this.clients = clients;
        void preloadNetworkSdks().catch(() => undefined);
    }
    once(key, read) {
        let p = this.memo.get(key);
        if (!p) {
            p = read();
            this.memo.set(key, p);
        }
        return p;
    }
    async network(subscriptionId) {
        const { network } = await preloadNetworkSdks();
        return this.clients.cached(`network:${subscriptionId}`, () => new network.NetworkManagementClient(this.clients.credential, subscriptionId, this.clients.modularOptions()));
    }
    async privateDns(subscriptionId) {
        const { privateDns } = await preloadNetworkSdks();
        return this.clients.cached(`privatedns:${subscriptionId}`, () => new privateDns.PrivateDnsManagementClient(this.clients.credential, subscriptionId, this.clients.modularOptions()));
    }
    get opts() {
        return { abortSignal: this.clients.signal };
    }
    // ── the cluster ──────────────────────────────────────────────────────────────────────────────
    /** The node VNets: those of the pools' subnets, else the managed VNet AKS made in the node resource group. */
    vnets(cluster) {
        return this.once(`vnets:${lower(cluster.id)}`, async () => {
            const subnetVnets = [...new Set(cluster.agentPools.flatMap((p) => (p.vnetSubnetID ? [vnetOfSubnet(p.vnetSubnetID)] : [])).map(lower))];
            if (subnetVnets.length) {
                const reads = await Promise.all(subnetVnets.map((id) => this.vnet(id)));
                const failed = reads.find((r) => !r.ok);
                return failed ?? { ok: true, value: reads.flatMap((r) => (r.ok ? [r.value] : [])) };
            }
            const rg = cluster.nodeResourceGroup;
            if (!rg)
                return { ok: true, value: [] };
            return readFact(`listing the managed virtual network in node resource group ${rg}`, NETWORK_READ_PERMISSION, async () => {
                const list = await collectAll((await this.network(cluster.subscriptionId)).virtualNetworks.list(rg, this.opts));
                return list.map((v) => ({ id: v.id ?? '', dnsServers: v.dhcpOptions?.dnsServers ?? [] }));
            });
        });
    }
    vnet(id) {
        return this.once(`vnet:${lower(id)}`, () => {
            const p = parseResourceId(id);
            return readFact(`reading virtual network ${p.name} in resource group ${p.resourceGroup}`, NETWORK_READ_PERMISSION, async () => {
                const v = await (await this.network(p.subscriptionId)).virtualNetworks.get(p.resourceGroup, p.name, this.opts);
                return { id: v.id ?? id, dnsServers: v.dhcpOptions?.dnsServers ?? [] };
            });
        });
    }
    /** The addresses the cluster's traffic leaves from; undefined when ARM cannot know (user-defined routing). */
    egress(cluster) {
        const type = cluster.outboundType?.toLowerCase();
        if (type === 'userdefinedrouting' || type === 'none')
            return undefined;
        return this.once(`egress:${lower(cluster.id)}`, async () => {
            const ids = [...(cluster.outboundResourceIds ?? [])];
            if (type === 'userassignednatgateway') {
                const nat = await this.subnetNatGatewayIps(cluster);
                if (!nat.ok)
                    return nat;
                ids.push(...nat.value);
            }
            const reads = await Promise.all([...new Set(ids.map(lower))].map((id) => this.publicAddress(id)));
            const failed = reads.find((r) => !r.ok);
            if (failed)
                return failed;
            return { ok: true, value: reads.flatMap((r) => (r.ok && r.value ? [r.value] : [])) };
        });
    }
    /** userAssignedNATGateway: the NAT gateways on the node subnets, and their IPs and prefixes. */
    async subnetNatGatewayIps(cluster) {
        const subnetIds = [...new Set(cluster.agentPools.flatMap((p) => (p.vnetSubnetID ? [p.vnetSubnetID] : [])))];
        const subnets = await Promise.all(subnetIds.map((id) => {
            const m = /\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)$/i.exec(id);
            const p = parseResourceId(vnetOfSubnet(id));
            return readFact(`reading subnet ${m?.[2]} of ${m?.[1]}`, NETWORK_READ_PERMISSION, async () => (await this.network(p.subscriptionId)).subnets.get(p.resourceGroup, m?.[1] ?? '', m?.[2] ?? '', this.opts));
        }));
        const failed = subnets.find((s) => !s.ok);
        if (failed && !failed.ok)
            return failed;
        const natIds = [...new Set(subnets.flatMap((s) => (s.ok && s.value.natGateway?.id ? [s.value.natGateway.id] : [])))];
        const nats = await Promise.all(natIds.map((id) => {
            const p = parseResourceId(id);
            return readFact(`reading NAT gateway ${p.name} in resource group ${p.resourceGroup}`, NETWORK_READ_PERMISSION, async () => (await this.network(p.subscriptionId)).natGateways.get(p.resourceGroup, p.name, this.opts));
        }));
        const natFailed = nats.find((n) => !n.ok);
        if (natFailed && !natFailed.ok)
            return natFailed;
        return {
            ok: true,
            value: nats.flatMap((n) => (n.ok ? [...(n.value.publicIpAddresses ?? []), ...(n.value.publicIpPrefixes ?? [])].flatMap((r) => (r.id ? [r.id] : [])) : [])),
        };
    }
    /** A public IP address or prefix by id, as an egress address. */
    publicAddress(id) {
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
    registryNetwork(registry, withCacheRules) {
        return this.once(`registry:${lower(registry.id)}:${withCacheRules}`, async () => {
            const [privateEndpoints, replications, cacheRules] = await Promise.all([
                Promise.all(registry.privateEndpointConnections.map((c) => this.privateEndpoint(c))),
                this.replications(registry),
                withCacheRules ? this.cacheRules(registry) : undefined,
            ]);
            const facts = { privateEndpoints, replications };
            if (cacheRules)
                facts.cacheRules = cacheRules;
            return facts;
        });
    }
    replications(registry) {
        if (registry.sku?.toLowerCase() !== 'premium')
            return Promise.resolve({ ok: true, value: [] });
        return this.once(`replications:${lower(registry.id)}`, () => readFact(`listing replications of registry ${registry.name}`, REGISTRY_CHILD_READ_PERMISSION, async () => {
            const list = await collectAll(this.clients.containerRegistry(registry.subscriptionId).replications.list(registry.resourceGroup, registry.name, this.opts));
            return list.map((r) => ({ location: r.location, regionEndpointEnabled: r.regionEndpointEnabled, provisioningState: r.provisioningState }));
        }));
    }
    cacheRules(registry) {
        return readFact(`listing cache rules of registry ${registry.name}`, REGISTRY_CHILD_READ_PERMISSION, async () => {
            const list = await collectAll(this.clients.containerRegistry(registry.subscriptionId).cacheRules.list(registry.resourceGroup, registry.name, this.opts));
            return list.map((r) => ({ name: r.name ?? '', sourceRepository: r.sourceRepository, targetRepository: r.targetRepository }));
        });
    }
    async privateEndpoint(c) {
        const facts = {};
        if (c.id)
            facts.connectionId = c.id;
        if (c.privateEndpointId)
            facts.privateEndpointId = c.privateEndpointId;
        if (c.status)
            facts.status = c.status;
        if (c.status?.toLowerCase() !== 'approved' || !c.privateEndpointId)
            return facts;
        const p = parseResourceId(c.privateEndpointId);
        const [endpoint, zones] = await Promise.all([this.endpointAddresses(c.privateEndpointId), this.zonesOf(p)]);
        return { ...facts, endpoint, zones };
    }
    endpointAddresses(id) {
        const p = parseResourceId(id);
        return readFact(`reading private endpoint ${p.name} in resource group ${p.resourceGroup}`, NETWORK_READ_PERMISSION, async () => {
            const client = await this.network(p.subscriptionId);
            const pe = await client.privateEndpoints.get(p.resourceGroup, p.name, this.opts);
            const nics = await Promise.all((pe.networkInterfaces ?? []).flatMap((n) => (n.id ? [n.id] : [])).map((nicId) => {
                const n = parseResourceId(nicId);
                return client.networkInterfaces.get(n.resourceGroup, n.name, this.opts);
            }));
            const fromNics = nics.flatMap((nic) => (nic.ipConfigurations ?? []).flatMap((ipc) => (ipc.privateLinkConnectionProperties?.fqdns ?? []).map((fqdn) => ({ fqdn: lower(fqdn), ip: ipc.privateIPAddress ?? '' }))));
            const fromCustomDns = (pe.customDnsConfigs ?? []).flatMap((d) => (d.ipAddresses ?? []).map((ip) => ({ fqdn: lower(d.fqdn ?? ''), ip })));
            const addresses = fromNics.length ? fromNics : fromCustomDns;
            return { ...(pe.subnet?.id && { subnetId: pe.subnet.id }), addresses: addresses.filter((a) => a.fqdn && a.ip) };
        });
    }
    async zonesOf(pe) {
        const groups = await readFact(`listing DNS zone groups of private endpoint ${pe.name}`, NETWORK_READ_PERMISSION, async () => collectAll((await this.network(pe.subscriptionId)).privateDnsZoneGroups.list(pe.resourceGroup, pe.name, this.opts)));
        if (!groups.ok)
            return groups;
        const zoneIds = [...new Set(groups.value.flatMap((g) => (g.privateDnsZoneConfigs ?? []).flatMap((z) => (z.privateDnsZoneId ? [z.privateDnsZoneId] : [])).map(lower)))];
        return { ok: true, value: await Promise.all(zoneIds.map((id) => this.zone(id))) };
    }
    zone(id) {
        return this.once(`zone:${id}`, async () => {
            const p = parseResourceId(id);
            const client = await this.privateDns(p.subscriptionId);
            const [linkedVnetIds, aRecords] = await Promise.all([
                readFact(`listing virtual network links of private DNS zone ${p.name}`, NETWORK_READ_PERMISSION, async () => (await collectAll(client.virtualNetworkLinks.list(p.resourceGroup, p.name, this.opts))).flatMap((l) => (l.virtualNetwork?.id ? [l.virtualNetwork.id] : []))),
                readFact(`listing A records of private DNS zone ${p.name}`, NETWORK_READ_PERMISSION, async () => {
                    const sets = await collectAll(client.recordSets.listByType(p.resourceGroup, p.name, 'A', this.opts));
                    const out = {};
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

;// CONCATENATED MODULE: ./src/azure/registry.ts


const REGISTRY_READ_PERMISSION = 'Microsoft.ContainerRegistry/registries/read (e.g. the Reader role on the registry)';
const SUBSCRIPTIONS_READ_PERMISSION = 'Microsoft.Resources/subscriptions/read (the Reader role on the subscription)';
function registryFacts(r) {
    const id = r.id ?? '';
    const parsed = parseResourceId(id);
    return {
        id,
        name: r.name ?? parsed.name,
        subscriptionId: parsed.subscriptionId,
        resourceGroup: parsed.resourceGroup,
        location: r.location,
        loginServer: r.loginServer ?? '',
        sku: r.sku?.name,
        publicNetworkAccess: r.publicNetworkAccess,
        anonymousPullEnabled: r.anonymousPullEnabled === true,
        roleAssignmentMode: r.roleAssignmentMode ?? 'LegacyRegistryPermissions',
        adminUserEnabled: r.adminUserEnabled,
        dataEndpointEnabled: r.dataEndpointEnabled,
        dataEndpointHostNames: r.dataEndpointHostNames ?? [],
        networkRuleSet: r.networkRuleSet
            ? { defaultAction: r.networkRuleSet.defaultAction, ipRules: (r.networkRuleSet.ipRules ?? []).map((i) => ({ action: i.action, value: i.iPAddressOrRange })) }
            : undefined,
        networkRuleBypassOptions: r.networkRuleBypassOptions,
        privateEndpointConnections: (r.privateEndpointConnections ?? []).map((c) => ({
            id: c.id,
            privateEndpointId: c.privateEndpoint?.id,
            status: c.privateLinkServiceConnectionState?.status,
        })),
        azureADAuthenticationAsArmPolicy: r.policies?.azureADAuthenticationAsArmPolicy?.status,
    };
}
function matches(ref, r) {
    if (ref.kind === 'loginServer')
        return r.loginServer.toLowerCase() === ref.loginServer.toLowerCase();
    return r.name.toLowerCase() === ref.name.toLowerCase();
}
/** Reads each subscription's registry list at most once, however many inputs need it. */
class RegistryDirectory {
    clients;
    lists = new Map();
    subscriptionIds;
    constructor(clients) {
        this.clients = clients;
    }
    list(subscriptionId) {
        const key = subscriptionId.toLowerCase();
        let list = this.lists.get(key);
        if (!list) {
            list = readFact(`listing registries in subscription ${subscriptionId}`, REGISTRY_READ_PERMISSION, async () => (await collectAll(this.clients.containerRegistry(subscriptionId).registries.list({ abortSignal: this.clients.signal }))).map(registryFacts));
            this.lists.set(key, list);
        }
        return list;
    }
    subscriptions() {
        this.subscriptionIds ??= readFact('listing the subscriptions the signed-in identity can read', SUBSCRIPTIONS_READ_PERMISSION, async () => (await collectAll(this.clients.subscriptions().subscriptions.list({ abortSignal: this.clients.signal })))
            .map((s) => s.subscriptionId)
            .filter((s) => Boolean(s)));
        return this.subscriptionIds;
    }
}
async function resolveById(clients, ref) {
    const what = `reading registry ${ref.name} in resource group ${ref.resourceGroup}`;
    const fact = await readFact(what, REGISTRY_READ_PERMISSION, () => clients.containerRegistry(ref.subscriptionId).registries.get(ref.resourceGroup, ref.name, { abortSignal: clients.signal }));
    const base = { ref, searched: [ref.subscriptionId], seen: [] };
    if (fact.ok)
        return { ...base, registry: { ok: true, value: registryFacts(fact.value) }, failures: [] };
    if (fact.error.status === 404)
        return { ...base, registry: { ok: true, value: undefined }, failures: [] };
    return { ...base, registry: fact, failures: [fact.error] };
}
async function resolveBySearch(dir, ref, defaultSubscription) {
    const searched = [];
    const failures = [];
    const seen = new Set();
    const look = async (subscriptionIds) => {
        searched.push(...subscriptionIds);
        const lists = await Promise.all(subscriptionIds.map((s) => dir.list(s)));
        let found;
        for (const list of lists) {
            if (!list.ok) {
                failures.push(list.error);
                continue;
            }
            for (const r of list.value) {
                seen.add(r.name);
                if (!found && matches(ref, r))
                    found = r;
            }
        }
        return found;
    };
    const inDefault = await look([defaultSubscription]);
    if (inDefault)
        return { ref, registry: { ok: true, value: inDefault }, searched, failures, seen: [...seen] };
    const subs = await dir.subscriptions();
    if (!subs.ok)
        failures.push(subs.error);
    const others = subs.ok ? subs.value.filter((s) => s.toLowerCase() !== defaultSubscription.toLowerCase()) : [];
    const elsewhere = await look(others);
    if (elsewhere)
        return { ref, registry: { ok: true, value: elsewhere }, searched, failures, seen: [...seen] };
    // Not found: that is a verified "not there" only if every place it could be was read.
    const registry = failures.length ? { ok: false, error: failures[0] } : { ok: true, value: undefined };
    return { ref, registry, searched, failures, seen: [...seen] };
}
function resolveRegistries(clients, refs, defaultSubscription) {
    const dir = new RegistryDirectory(clients);
    return refs.map((ref) => (ref.kind === 'id' ? resolveById(clients, ref) : resolveBySearch(dir, ref, defaultSubscription)));
}

;// CONCATENATED MODULE: ./src/checks/describe.ts
function describeFailure(f) {
    const status = [f.status, f.code].filter((x) => x !== undefined).join(' ');
    const parts = [`${f.what} failed${status ? ` (${status})` : ''}: ${f.message}`];
    if (f.missingPermission)
        parts.push(`The signed-in identity needs ${f.missingPermission}.`);
    if (f.correlationId)
        parts.push(`Correlation id: ${f.correlationId}.`);
    return parts.join(' ');
}

;// CONCATENATED MODULE: ./src/checks/cluster.ts
// The `cluster` check: the cluster exists and the principal its kubelet pulls with is known.

function judgeCluster(ref, cluster) {
    const base = { id: 'cluster', cluster: ref.name };
    if (!cluster.ok) {
        return { ...base, status: 'unknown', title: `Cluster ${ref.name} could not be read`, detail: describeFailure(cluster.error), evidence: { error: cluster.error } };
    }
    const c = cluster.value;
    if (!c) {
        return {
            ...base,
            status: 'fail',
            title: `Cluster ${ref.name} not found`,
            detail: `No AKS cluster ${ref.name} in resource group ${ref.resourceGroup} of subscription ${ref.subscriptionId}.`,
            fix: `az aks list --subscription ${ref.subscriptionId} --query "[].{name:name, resourceGroup:resourceGroup}" -o table`,
        };
    }
    const k = c.kubelet;
    const evidence = { id: c.id, location: c.location, kubeletIdentity: k, controlPlanePrincipalId: c.controlPlanePrincipalId, agentPools: c.agentPools };
    const named = { ...base, cluster: c.name };
    if (!k.objectId) {
        const why = k.objectIdError ? ` ${describeFailure(k.objectIdError)}` : '';
        const what = k.source === 'servicePrincipal'
            ? `The kubelet pulls with service principal ${k.clientId}, whose object ID could not be determined.${why} Give it in the kubelet-object-id input (az ad sp show --id ${k.clientId} --query id -o tsv).`
            : 'The cluster reports no kubelet identity (properties.identityProfile.kubeletidentity).';
        return { ...named, status: 'unknown', title: `Kubelet identity of ${c.name} unknown`, detail: what, evidence };
    }
    const from = k.source === 'servicePrincipal' ? `service principal ${k.clientId}` : `managed identity ${k.resourceId ?? k.clientId ?? ''}`.trim();
    const state = c.provisioningState && c.provisioningState !== 'Succeeded' ? ` Provisioning state: ${c.provisioningState}.` : '';
    const stopped = c.powerState === 'Stopped' ? ' The cluster is stopped.' : '';
    return {
        ...named,
        status: state || stopped ? 'warn' : 'pass',
        title: `Cluster ${c.name} found`,
        detail: `The kubelet pulls as ${from} (object ID ${k.objectId}, from ${k.objectIdFrom ?? 'cluster'}).${state}${stopped}`,
        evidence,
    };
}

;// CONCATENATED MODULE: ./src/checks/ipv4.ts
// IPv4 addresses and CIDR ranges, as ACR network rules and Azure public IP prefixes write them.
// Pure. IPv6 is recognised only to say that it is not IPv4 (ACR IP rules are IPv4 only).
/** The address as a 32-bit unsigned number, or undefined when it is not a dotted-quad IPv4 address. */
function parseIpv4(s) {
    const parts = s.trim().split('.');
    if (parts.length !== 4)
        return undefined;
    let n = 0;
    for (const p of parts) {
        if (!/^\d{1,3}$/.test(p))
            return undefined;
        const v = Number(p);
        if (v > 255)
            return undefined;
        n = n * 256 + v;
    }
    return n;
}
/** "a.b.c.d" (a /32) or "a.b.c.d/n"; undefined when neither. Host bits set in a CIDR are ignored, as Azure does. */
function parseIpv4Range(s) {
    const [addr = '', bits, extra] = s.trim().split('/');
    if (extra !== undefined)
        return undefined;
    const base = parseIpv4(addr);
    if (base === undefined)
        return undefined;
    if (bits === undefined)
        return { start: base, end: base };
    if (!/^\d{1,2}$/.test(bits) || Number(bits) > 32)
        return undefined;
    const size = 2 ** (32 - Number(bits));
    const start = Math.floor(base / size) * size;
    return { start, end: start + size - 1 };
}
/** Whether every address of `inner` (an address or CIDR) lies within `outer` (an address or CIDR). */
function rangeContains(outer, inner) {
    const o = parseIpv4Range(outer);
    const i = parseIpv4Range(inner);
    return Boolean(o && i && o.start <= i.start && i.end <= o.end);
}
const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16'];
/**
 * Whether an address (IPv4 or IPv6) is not on the public internet: RFC 1918, shared (CGNAT), loopback,
 * link-local, IPv6 unique-local, link-local and loopback. Private endpoints answer with such addresses.
 */
function isPrivateAddress(address) {
    if (parseIpv4(address) !== undefined)
        return PRIVATE_V4.some((r) => rangeContains(r, address));
    const a = address.toLowerCase();
    if (a === '::1')
        return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
    if (mapped?.[1])
        return isPrivateAddress(mapped[1]);
    return /^f[cd][0-9a-f]{2}:/.test(a) || /^fe[89ab][0-9a-f]:/.test(a);
}

;// CONCATENATED MODULE: ./src/checks/egress.ts

/** Blob storage (where layers come from when data endpoints are off), by login-server suffix. */
const BLOB_WILDCARD = {
    'azurecr.io': '*.blob.core.windows.net',
    'azurecr.cn': '*.blob.core.chinacloudapi.cn',
    'azurecr.us': '*.blob.core.usgovcloudapi.net',
};
const egress_lower = (s) => s.trim().toLowerCase().replace(/\.$/, '');
/** "West Europe" and "westeurope" are the same region. */
function normaliseRegion(location) {
    return location.toLowerCase().replace(/\s+/g, '');
}
/** The login server's DNS suffix: azurecr.io, azurecr.cn, azurecr.us. */
function acrSuffixOf(loginServer) {
    const host = egress_lower(loginServer);
    const dot = host.indexOf('.');
    return dot < 0 ? host : host.slice(dot + 1);
}
/** The private DNS zone a private endpoint of this registry needs: privatelink.azurecr.io (.cn, .us). */
function privateLinkZoneOf(loginServer) {
    return `privatelink.${acrSuffixOf(loginServer)}`;
}
/** The name a registry host has in the private DNS zone: myacr.azurecr.io → myacr.privatelink.azurecr.io. */
function privateLinkFqdn(host, suffix) {
    const h = egress_lower(host);
    if (h.endsWith(`.privatelink.${suffix}`) || !h.endsWith(`.${suffix}`))
        return h;
    return `${h.slice(0, -suffix.length)}privatelink.${suffix}`;
}
/** Data endpoint host names: ARM's dataEndpointHostNames, plus <label>.<region>.data.<suffix> for the home and each replica region when enabled. */
function dataEndpointHosts(registry, replications = []) {
    const hosts = registry.dataEndpointHostNames.map(egress_lower);
    if (registry.dataEndpointEnabled) {
        const label = egress_lower(registry.loginServer).split('.')[0] ?? registry.name.toLowerCase();
        const suffix = acrSuffixOf(registry.loginServer);
        for (const location of [registry.location, ...replications.map((r) => r.location)]) {
            if (location)
                hosts.push(`${label}.${normaliseRegion(location)}.data.${suffix}`);
        }
    }
    return [...new Set(hosts)];
}
/**
 * Hosts an egress firewall must allow for pulls from this registry: the login server, then the data
 * endpoints when they are enabled, else the blob storage wildcard of the registry's cloud.
 */
function egressHosts(registry, replications = []) {
    const login = egress_lower(registry.loginServer);
    if (registry.dataEndpointEnabled)
        return [...new Set([login, ...dataEndpointHosts(registry, replications)])];
    const blob = BLOB_WILDCARD[acrSuffixOf(login)] ?? BLOB_WILDCARD['azurecr.io'];
    return [login, ...dataEndpointHosts(registry, replications).filter((h) => h !== login), blob];
}
const overlaps = (a, b) => {
    const x = parseIpv4Range(a);
    const y = parseIpv4Range(b);
    return Boolean(x && y && x.start <= y.end && y.start <= x.end);
};
/** Which egress addresses the registry's IP rules (action Allow, or no action) admit. */
function egressCoverage(egress, ipRules) {
    const rules = ipRules.filter((r) => (r.action ?? 'Allow').toLowerCase() === 'allow').map((r) => r.value);
    const out = { allowed: [], missing: [], ipv6: [], unparsed: [] };
    for (const { value } of egress) {
        if (parseIpv4Range(value) === undefined) {
            (value.includes(':') ? out.ipv6 : out.unparsed).push(value);
            continue;
        }
        const rule = rules.find((r) => rangeContains(r, value));
        if (rule)
            out.allowed.push({ address: value, rule });
        else
            out.missing.push({ address: value, partly: rules.filter((r) => overlaps(r, value)) });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/checks/registry-dns.ts

/** DNS error codes meaning "this name does not exist / has no address" (an answer, not a failure to ask). */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'NXDOMAIN', 'ENODATA', 'NODATA']);
function isPrivateRegistry(registry) {
    return registry.publicNetworkAccess?.toLowerCase() === 'disabled';
}
/** Why the runner's probes do not judge a private registry. */
function outsideNetwork(registry, what) {
    const suffix = registry.loginServer.split('.').slice(1).join('.') || 'azurecr.io';
    return (`${registry.name} has public network access disabled and ${what}: the runner is outside the registry's network. ` +
        `Its private endpoint only resolves and answers inside VNets linked to the privatelink.${suffix} zone. ` +
        `The cluster's path is judged by the registry-network check; run on a self-hosted runner inside the network to probe it from here.`);
}
function examine(a, registry, acrSuffix) {
    const privateLink = `.privatelink.${acrSuffix.toLowerCase()}`;
    const error = a.error ?? (a.addresses.length === 0 ? { code: 'ENODATA', message: 'no addresses in the answer' } : undefined);
    const outcome = !error ? 'resolved' : NO_SUCH_NAME.has(error.code.toUpperCase()) ? 'no-such-name' : 'not-answered';
    return {
        host: a.host,
        role: a.host.toLowerCase() === registry.loginServer.toLowerCase() ? 'login server' : 'data endpoint',
        cnames: a.cnames,
        addresses: a.addresses,
        private: a.addresses.length > 0 && a.addresses.every(isPrivateAddress),
        viaPrivateLink: a.cnames.some((c) => c.toLowerCase().replace(/\.$/, '').endsWith(privateLink)),
        elapsedMs: a.elapsedMs,
        servers: a.servers,
        ...(error ? { error } : {}),
        outcome,
    };
}
function servers(s) {
    return s === 'system' ? "the runner's system DNS servers" : `DNS servers ${s}`;
}
/** host → cname → … → addresses (or the error) */
function chain(n) {
    const hops = [n.host, ...n.cnames].join(' → ');
    const end = n.error ? `${n.error.code}` : n.addresses.join(', ');
    return `${hops} → ${end}${n.private ? ' (private)' : ''}`;
}
function judgeRegistryDns({ registry, answers, acrSuffix }) {
    const r = registry.name;
    const names = answers.map((a) => examine(a, registry, acrSuffix));
    const evidence = { publicNetworkAccess: registry.publicNetworkAccess, names };
    const finding = (status, title, detail) => ({ id: 'registry-dns', status, title, detail, registry: r, path: 'runner', evidence });
    const listing = `Answers: ${names.map(chain).join('; ')}.`;
    if (names.length === 0)
        return finding('unknown', `DNS for ${r} not checked`, `No name of ${r} was looked up from the runner.`);
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
            ...missing.map((n) => `The ${n.role} ${n.host} does not resolve (${n.error?.code} from ${servers(n.servers)})` +
                (n.role === 'login server' ? ': a typo, or a deleted or renamed registry.' : ': the data endpoint is not provisioned yet (or was removed), or a private DNS zone lacks its record.')),
            ...leaking.map((n) => `The ${n.role} ${n.host} resolves to public address(es) ${n.addresses.join(', ')} while ${r} has public network access disabled and its other names resolve privately here: ` +
                `the privatelink.${acrSuffix} zone lacks a record for it, so pulls through it are refused from this network.`),
        ];
        const first = missing[0] ?? leaking[0];
        const title = missing.length + leaking.length > 1 ? `${missing.length + leaking.length} names of ${r} do not resolve usefully` : `${first?.host} does not resolve${missing.length ? '' : ' privately'}`;
        return finding('fail', title, `${lines.join(' ')} ${listing}`);
    }
    const unanswered = names.filter((n) => n.outcome === 'not-answered');
    if (unanswered.length > 0) {
        const lines = unanswered.map((n) => `${n.host} could not be resolved (${n.error?.code}: ${n.error?.message}) using ${servers(n.servers)} after ${n.elapsedMs} ms.`);
        return finding('unknown', `DNS for ${r} could not be verified`, `${lines.join(' ')} ${listing}`);
    }
    const privately = names.some((n) => n.private);
    const what = privately ? `private endpoint address(es)` : 'public address(es)';
    const slowest = Math.max(...names.map((n) => n.elapsedMs));
    return finding('pass', `${r} resolves from the runner`, `${names.length === 1 ? 'The login server resolves' : `The login server and ${names.length - 1} data endpoint(s) resolve`} to ${what} (slowest ${slowest} ms, ${servers(names[0]?.servers ?? 'system')}). ${listing}`);
}

;// CONCATENATED MODULE: ./src/checks/platform.ts
const VM_SIZE = /^(?:standard|basic)_([a-z]+)(\d+)(?:-(\d+))?([a-z]*)((?:_[a-z0-9]+)*)$/i;
/** accelerators that are NVIDIA Grace superchips: Arm CPUs */
const GRACE_ACCELERATOR = /^g[bh]\d+$/i;
/** The CPU architecture of an Azure VM size, or undefined when the name does not follow the convention. */
function architectureOfVmSize(vmSize) {
    const m = VM_SIZE.exec(vmSize.trim());
    if (!m)
        return undefined;
    const [, , , , features = '', rest = ''] = m;
    // After the features: an accelerator (A100, NDR_GB200), a suffix (cc), the version (v5), Promo.
    const segments = rest.split('_').filter(Boolean);
    if (features.toLowerCase().includes('p'))
        return 'arm64';
    if (segments.some((s) => GRACE_ACCELERATOR.test(s)))
        return 'arm64';
    return 'amd64';
}
/** Windows Server builds of the AKS Windows OS SKUs (process isolation needs the image's build to match). */
const WINDOWS_BUILDS = {
    windows2019: '10.0.17763',
    windows2022: '10.0.20348',
    windows2025: '10.0.26100',
};
function poolPlatform(pool) {
    if (pool.osType?.toLowerCase() === 'windows') {
        const osVersion = pool.osSku ? WINDOWS_BUILDS[pool.osSku.toLowerCase()] : undefined;
        // AKS Windows node pools are x64 only.
        return { os: 'windows', architecture: 'amd64', ...(osVersion ? { osVersion } : {}) };
    }
    return { os: 'linux', architecture: pool.vmSize ? architectureOfVmSize(pool.vmSize) : undefined };
}
const ARCH_ALIASES = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64' };
/** amd64 for x86_64, arm64 for aarch64, otherwise the architecture lower-cased. */
function normaliseArchitecture(architecture) {
    const a = architecture.toLowerCase();
    return ARCH_ALIASES[a] ?? a;
}
/** An attestation or other non-image entry of an index (platform unknown/unknown). */
function isAttestation(p) {
    // registries' JSON may omit either field: never throw on it
    return String(p.os ?? '').toLowerCase() === 'unknown' && String(p.architecture ?? '').toLowerCase() === 'unknown';
}
/** os/architecture[/variant][ (os.version)] */
function describePlatform(p) {
    const variant = p.variant ? `/${p.variant}` : '';
    const version = p['os.version'] ? ` (${p['os.version']})` : '';
    return `${p.os}/${p.architecture}${variant}${version}`;
}
function describePoolPlatform(p) {
    const build = p.osVersion ? ` (build ${p.osVersion})` : '';
    return `${p.os}/${p.architecture ?? 'unknown architecture'}${build}`;
}
/** major.minor.build of a Windows version such as 10.0.20348.2527 */
function windowsBuild(version) {
    return version.split('.').slice(0, 3).join('.');
}
function variantFits(architecture, variant) {
    if (!variant)
        return true;
    // Azure's Arm CPUs (Neoverse N1, N2, V2) run ARMv8 code: arm64 images are v8 unless they say otherwise.
    if (architecture === 'arm64')
        return /^v8(\.\d+)?$/i.test(variant);
    return true;
}
/** The image platforms this pool can run (none when its architecture is unknown). */
function platformsFor(pool, platforms) {
    const target = poolPlatform(pool);
    if (!target.architecture)
        return [];
    return platforms.filter((p) => {
        if (isAttestation(p))
            return false;
        if (p.os.toLowerCase() !== target.os)
            return false;
        const architecture = normaliseArchitecture(p.architecture);
        if (architecture !== target.architecture || !variantFits(architecture, p.variant))
            return false;
        const imageVersion = p['os.version'];
        if (target.os === 'windows' && target.osVersion && imageVersion)
            return windowsBuild(imageVersion) === target.osVersion;
        return true;
    });
}

;// CONCATENATED MODULE: ./src/checks/image.ts


/** An Azure Container Registry login server (with or without a domain name label hash): the registry name. */
const ACR_HOST = /^([a-z0-9]+)(?:-[a-z0-9]+)?\.azurecr\.(?:io|cn|us)$/i;
const ABAC = 'AbacRepositoryPermissions';
const TAGS_SHOWN = 5;
function acrNameOf(host) {
    return ACR_HOST.exec(host)?.[1]?.toLowerCase();
}
const denies = (r) => r?.networkRuleSet?.defaultAction?.toLowerCase() === 'deny';
function judgePools(clusters, platforms) {
    const results = clusters.flatMap((c) => c.agentPools.map((p) => {
        const platform = poolPlatform(p);
        const runs = platformsFor(p, platforms);
        const status = !platform.architecture ? 'unknown' : runs.length > 0 ? 'pass' : 'fail';
        return { cluster: c.name, pool: p.name, ...(p.vmSize ? { vmSize: p.vmSize } : {}), platform, runs, status };
    }));
    // Mixed-OS clusters: a Linux image never runs on the Windows pool (and the reverse). Pods are kept on
    // their OS by the kubernetes.io/os node selector, so a pool of another OS is a risk, not a failure,
    // as long as some pool of the same cluster runs the image.
    const offOs = (r) => r.status === 'fail' && !platforms.some((p) => p.os.toLowerCase() === r.platform.os);
    return results.map((r) => offOs(r) && results.some((o) => o.cluster === r.cluster && o.status === 'pass') ? { ...r, status: 'warn' } : r);
}
const poolName = (r) => `${r.cluster}/${r.pool}`;
const poolText = (r) => `${poolName(r)} (${describePoolPlatform(r.platform)}${r.vmSize ? `, ${r.vmSize}` : ''})`;
function judgeImage({ image, clusters, registry }) {
    const { ref, lookup } = image;
    const name = ref.input;
    const acrName = registry?.name ?? acrNameOf(ref.host);
    const where = registry?.name ?? ref.host;
    const reference = ref.digest ? `digest ${ref.digest}` : `tag ${ref.tag ?? 'latest'}`;
    const evidence = { host: ref.host, registryHost: image.registryHost, repository: ref.repository, auth: image.auth, lookup };
    const finding = (status, title, detail, more = {}) => ({
        id: 'image',
        status,
        title,
        detail,
        image: name,
        registry: where,
        ...(clusters.length === 1 && clusters[0] ? { cluster: clusters[0].name } : {}),
        path: 'runner',
        evidence,
        ...more,
    });
    switch (lookup.kind) {
        case 'found': {
            const digest = lookup.digest ?? 'not reported';
            const images = lookup.platforms.filter((p) => !isAttestation(p));
            const has = images.map(describePlatform).join(', ');
            const what = `${lookup.index ? 'index' : 'manifest'} ${digest} (${lookup.mediaType})`;
            if (images.length === 0) {
                return finding('unknown', `Platforms of ${name} unknown`, `${name} exists (${what}) but names no platform${lookup.platforms.length ? ' other than attestations (unknown/unknown)' : ''}, so it cannot be matched with the node pools.`);
            }
            const pools = judgePools(clusters, lookup.platforms);
            evidence.pools = pools.map((r) => ({ cluster: r.cluster, pool: r.pool, vmSize: r.vmSize, ...r.platform, runs: r.runs.map(describePlatform), status: r.status }));
            if (pools.length === 0) {
                const why = clusters.length === 0 ? 'no cluster could be read' : `no node pool of ${clusters.map((c) => c.name).join(', ')} was reported`;
                return finding('unknown', `Node pools for ${name} unknown`, `The image exists (${what}; platforms ${has}) but the node pools could not be read (${why}), so whether they can run it is unknown.`);
            }
            const failed = pools.filter((r) => r.status === 'fail');
            const unknown = pools.filter((r) => r.status === 'unknown');
            const otherOs = pools.filter((r) => r.status === 'warn');
            const notes = pools
                .filter((r) => r.platform.os === 'windows' && r.status === 'pass')
                .flatMap((r) => {
                if (!r.platform.osVersion)
                    return [`The Windows build of ${poolName(r)} is unknown (osSku not reported): process isolation needs the image's build to equal the node's.`];
                if (r.runs.every((p) => !p['os.version']))
                    return [`${name} does not say which Windows build it is for: process isolation on ${poolName(r)} needs build ${r.platform.osVersion}.`];
                return [];
            });
            const withNotes = notes.length ? { notes } : {};
            if (failed.length > 0) {
                const clustersFailed = [...new Set(failed.map((r) => r.cluster))];
                const lines = failed.map((r) => {
                    const build = r.platform.os === 'windows' && r.platform.osVersion ? ` (process isolation needs an image for Windows build ${r.platform.osVersion})` : '';
                    return `Node pool ${r.pool} of ${r.cluster} runs ${describePoolPlatform(r.platform)}${r.vmSize ? ` on ${r.vmSize}` : ''}${build}, and ${name} has no manifest for it.`;
                });
                const also = unknown.length ? [`Also not determined: ${unknown.map(poolText).join(', ')}.`] : [];
                return finding('fail', failed.length === 1 && failed[0] ? `${name} has no manifest for ${poolName(failed[0])}` : `${name} has no manifest for ${failed.length} node pools`, [
                    ...lines,
                    `The image has: ${has} (${what}).`,
                    ...also,
                    'Pods scheduled there fail to pull with "no match for platform in manifest". Build and push the image for that platform (docker buildx build --platform …), or keep the workload off those pools with a nodeSelector on kubernetes.io/os and kubernetes.io/arch.',
                ].join(' '), { ...(clustersFailed.length === 1 ? { cluster: clustersFailed[0] } : {}), ...withNotes });
            }
            if (unknown.length > 0) {
                const lines = unknown.map((r) => `Cannot tell the architecture of VM size ${r.vmSize ?? '(not reported)'} of node pool ${r.pool} of ${r.cluster}.`);
                return finding('unknown', unknown.length === 1 && unknown[0] ? `Platform of ${poolName(unknown[0])} unknown for ${name}` : `Platforms of ${unknown.length} node pools unknown for ${name}`, [...lines, `The image has: ${has} (${what}).`, 'Whether those pools can run it is not verified.'].join(' '), withNotes);
            }
            const runs = pools.filter((r) => r.status === 'pass').map((r) => `${poolText(r)} runs ${r.runs.map(describePlatform).join(', ')}`);
            if (otherOs.length > 0) {
                const os = [...new Set(images.map((p) => p.os))].join('/');
                return finding('warn', `${name} runs on ${os} pools only`, `${name} is ${what}, platforms ${has}. ${runs.join('; ')}. It has no manifest for ${otherOs.map(poolText).join(', ')}: pods that land there fail to pull. Keep them off with nodeSelector kubernetes.io/os: ${os}.`, withNotes);
            }
            return finding('pass', `${name} runs on every node pool`, `${name} is ${what}, platforms ${has}. ${runs.join('; ')}.`, withNotes);
        }
        case 'missing-repository':
            return finding('fail', `Repository ${ref.repository} not found`, `Repository ${ref.repository} does not exist in ${ref.host}: ${lookup.detail} Pods using ${name} fail with ErrImagePull.`, {
                ...(acrName ? { fix: `az acr repository list --name ${acrName} -o table` } : {}),
            });
        case 'missing-tag': {
            const tags = lookup.tags?.length ? ` Some tags it has: ${lookup.tags.slice(0, TAGS_SHOWN).join(', ')}${lookup.tags.length > TAGS_SHOWN ? ', …' : ''}.` : '';
            evidence.tags = lookup.tags;
            return finding('fail', `${ref.digest ? 'Digest' : 'Tag'} of ${name} not found`, `Repository ${ref.repository} in ${ref.host} has no ${reference}: ${lookup.detail}${tags} Pods using ${name} fail with ErrImagePull (often reported as 401 or "not found").`, acrName ? { fix: `az acr repository show-tags --name ${acrName} --repository ${ref.repository} -o table` } : {});
        }
        case 'needs-credentials': {
            if (registry) {
                return finding('unknown', `${name} could not be verified`, `The runner could not get a pull token for ${registry.loginServer} (${lookup.detail}), so the image was not looked at. Whether the kubelet may pull is judged by the pull-permission check.`);
            }
            const server = ref.host === 'docker.io' ? 'https://index.docker.io/v1/' : ref.host;
            const acr = acrNameOf(ref.host)
                ? ` ${ref.host} is an Azure Container Registry that is not in the registry input: add ${acrNameOf(ref.host)} to the registry input so that the kubelet's role assignments on it can be checked; without a pull role the cluster needs an imagePullSecret for it.`
                : ` The kubelet's managed identity only authenticates to Azure Container Registry: the cluster needs an imagePullSecret for ${ref.host} in the pod's namespace (on the pod spec or its service account).`;
            return finding('warn', `${ref.host} needs credentials for ${name}`, `${image.registryHost} refused anonymous access to ${ref.repository} (${lookup.detail}).${acr} The image itself could not be verified without credentials.`, { fix: `kubectl create secret docker-registry <secret-name> --docker-server=${server} --docker-username=<user> --docker-password=<password-or-token> --namespace <namespace>` });
        }
        case 'denied': {
            const abac = registry?.roleAssignmentMode === ABAC;
            const role = registry ? (abac ? 'Container Registry Repository Reader' : 'AcrPull') : 'AcrPull (or Container Registry Repository Reader when its roleAssignmentMode is AbacRepositoryPermissions)';
            const roleArg = abac ? '"Container Registry Repository Reader"' : 'AcrPull';
            const scope = registry?.id ?? (acrName ? `$(az acr show --name ${acrName} --query id -o tsv)` : undefined);
            return finding('unknown', `${name} could not be verified: the signed-in identity may not pull from ${where}`, `${where} refused a pull token to the identity this action signed in as (${lookup.detail}). That is the runner's identity, not the kubelet's (the pull-permission check judges the kubelet), so the image could not be looked at. ` +
                `To verify images, give the signed-in identity ${role} on ${where}.`, scope ? { fix: `az role assignment create --assignee <the signed-in identity> --role ${roleArg} --scope ${scope}` } : {});
        }
        case 'unreachable': {
            const http = lookup.http;
            const how = http?.error ? ` (${http.error.code} during ${http.error.phase})` : http?.status ? ` (HTTP ${http.status})` : '';
            let why = '';
            if (registry && isPrivateRegistry(registry)) {
                why =
                    ` ${where} has public network access disabled and the runner is outside its network: the image can only be verified from a runner inside it ` +
                        `(a self-hosted runner in a VNet that reaches its private endpoint). Images asked for must be verified, so this is not skipped; the cluster's own path is judged by the registry-network check.`;
            }
            else if (denies(registry) && http?.status === 403) {
                why = ` The firewall of ${where} (default action Deny) refuses the runner's IP: verify the image from an allowed network, or allow the runner (az acr network-rule add --name ${where} --ip-address <runner ip>).`;
            }
            return finding('unknown', `${name} could not be looked up`, `${image.registryHost} could not be reached from the runner${how}: ${lookup.detail}${why}`);
        }
    }
}

;// CONCATENATED MODULE: ./src/checks/registry-endpoint.ts

/** Node's codes for a certificate that does not verify */
const CERTIFICATE_PROBLEMS = {
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate chain does not lead to a trusted root (intermediate missing or unknown issuer)',
    UNABLE_TO_GET_ISSUER_CERT: 'the issuer of a certificate in the chain is not known',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of the certificate is not among the trusted roots',
    SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed certificate that is not trusted',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'the server presented a self-signed certificate',
    CERT_HAS_EXPIRED: 'the certificate has expired',
    CERT_NOT_YET_VALID: 'the certificate is not valid yet',
    CERT_REVOKED: 'the certificate was revoked',
    ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not for this host name',
};
/** Failures of the connection itself (no answer, reset) during the handshake: they say nothing of the certificate. */
const TRANSPORT_FAILURES = new Set(['ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** These status codes say "busy" or "broken for now", not "not a registry". */
const TRANSIENT = (status) => status === 429 || status >= 500;
function header(headers, name) {
    if (!headers)
        return undefined;
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    return key === undefined ? undefined : headers[key];
}
function judgeRegistryEndpoint({ registry, dns, probe }) {
    const r = registry.name;
    const login = registry.loginServer;
    const url = `https://${login}/v2/`;
    const evidence = { url, dns: dns && { addresses: dns.addresses, cnames: dns.cnames, error: dns.error } };
    const finding = (status, title, detail, more = {}) => ({
        id: 'registry-endpoint',
        status,
        title,
        detail,
        registry: r,
        path: 'runner',
        evidence,
        ...more,
    });
    if (!probe) {
        const why = dns?.error ? `${login} did not resolve from the runner (${dns.error.code})` : `${login} was not probed`;
        return finding('skip', `${url} not probed`, `${why}; this check depends on registry-dns.`);
    }
    const { http, challenge, blockedClientIp } = probe;
    evidence.status = http.status;
    evidence.address = http.address;
    evidence.elapsedMs = http.elapsedMs;
    if (http.error)
        evidence.error = http.error;
    if (challenge)
        evidence.challenge = challenge;
    if (blockedClientIp)
        evidence.blockedClientIp = blockedClientIp;
    const wwwAuthenticate = header(http.headers, 'www-authenticate');
    if (wwwAuthenticate !== undefined)
        evidence.wwwAuthenticate = wwwAuthenticate;
    const at = http.address ? ` at ${http.address}` : '';
    const body = http.body ? ` Response: ${http.body.slice(0, 200).trim()}` : '';
    const tls = http.error !== undefined && (http.error.code in CERTIFICATE_PROBLEMS || (http.error.phase === 'tls' && !TRANSPORT_FAILURES.has(http.error.code)));
    const refused = http.status === 403 || (http.error !== undefined && !tls);
    if (isPrivateRegistry(registry) && refused) {
        const what = http.error ? `the runner could not connect to ${login}${at} (${http.error.code})` : `${login} refused the runner (HTTP ${http.status}${blockedClientIp ? ` for ${blockedClientIp}` : ''})`;
        return finding('skip', `${r} is private: not reachable from the runner`, outsideNetwork(registry, what));
    }
    if (http.status === 403 && blockedClientIp) {
        const fix = { fix: `az acr network-rule add --name ${registry.name} --resource-group ${registry.resourceGroup} --subscription ${registry.subscriptionId} --ip-address ${blockedClientIp}` };
        if (registry.networkRuleSet?.defaultAction?.toLowerCase() === 'deny') {
            return finding('skip', `${r}'s firewall refuses the runner`, `The firewall of ${r} (default action Deny) refuses the runner's IP ${blockedClientIp}, as expected when the runner is not an allowed network. ` +
                `The cluster's egress is judged by the registry-network check. To let the runner reach ${r} too, add its IP to the rules.`, fix);
        }
        return finding('unknown', `${r} refuses the runner's IP`, `${login}${at} refused the runner's IP ${blockedClientIp} (HTTP 403) although ARM reports no firewall default action Deny for ${r}` +
            ` (networkRuleSet.defaultAction: ${registry.networkRuleSet?.defaultAction ?? 'not set'}): the rules may have just changed. The endpoint could not be verified.${body}`, fix);
    }
    if (tls && http.error) {
        const problem = CERTIFICATE_PROBLEMS[http.error.code] ?? `the TLS handshake failed (${http.error.message})`;
        return finding('fail', `TLS to ${login} fails`, `The certificate presented by ${login}${at} does not verify: ${problem} (${http.error.code}: ${http.error.message}). Pulls through this network fail the same way. ` +
            `A TLS-inspecting proxy or firewall on the runner's network causes this as well, by re-signing the registry's certificate: then trust its root (NODE_EXTRA_CA_CERTS) or exempt ${login} from inspection, and the cluster's own path may be unaffected.`);
    }
    if (http.error) {
        return finding('unknown', `${url} could not be reached`, `The runner could not complete a request to ${url}${at}: ${http.error.code} during ${http.error.phase} after ${http.elapsedMs} ms (${http.error.message}). Whether it answers as a registry is not verified.`);
    }
    const status = http.status;
    if (status === 401 && challenge?.realm && challenge.service) {
        const notes = [];
        if (challenge.service.toLowerCase() !== login.toLowerCase())
            notes.push(`The challenge names service ${challenge.service}, not ${login}.`);
        return finding('pass', `${login} answers as a registry`, `GET ${url}${at} answered 401 with a Bearer challenge (realm ${challenge.realm}, service ${challenge.service}) in ${http.elapsedMs} ms, over a certificate that verifies.`, notes.length ? { notes } : {});
    }
    if (status === 200) {
        return finding('pass', `${login} answers as a registry`, `GET ${url}${at} answered 200 in ${http.elapsedMs} ms, over a certificate that verifies: it allows anonymous access to /v2/.`);
    }
    if (status !== undefined && TRANSIENT(status)) {
        const retry = header(http.headers, 'retry-after');
        return finding('unknown', `${url} answered ${status}`, `GET ${url}${at} answered ${status}${status === 429 ? ' (throttled)' : ' (a server error)'}${retry ? `, Retry-After ${retry}` : ''}: whether it serves pulls is not verified.${body}`);
    }
    if (status === 403) {
        return finding('unknown', `${url} answered 403`, `GET ${url}${at} answered 403 without naming the runner's IP: a proxy or a firewall may be in the way. Whether it answers as a registry is not verified.${body}`);
    }
    const what = status === 401
        ? `401 without a Bearer challenge naming realm and service${wwwAuthenticate ? ` (WWW-Authenticate: ${wwwAuthenticate})` : ' (no WWW-Authenticate header)'}`
        : status === undefined
            ? 'no status'
            : `${status}`;
    return finding('fail', `${url} does not answer as a registry`, `GET ${url}${at} answered ${what}; a registry answers 401 with a Bearer challenge (or 200). Something else is answering for ${login}: a proxy, a captive portal or a wrong DNS answer.${body}`);
}

;// CONCATENATED MODULE: ./src/checks/registry-network.ts
// The registry-network judge: can the cluster's nodes reach the registry, judged from what ARM says
// about both (public network access, firewall rules vs. the cluster's egress, private endpoints, their
// DNS zones and links). Pure: facts in, one finding out. Anything unread that the verdict depends on
// makes it `unknown`, never `pass`.




/** The permissions the signed-in identity needs for each network read, used when a failure does not name one. */
const registry_network_NETWORK_READ_PERMISSION = {
    vnets: "Microsoft.Network/virtualNetworks/read (granted by the Reader role on the cluster's virtual network)",
    egress: 'Microsoft.Network/loadBalancers/read, Microsoft.Network/natGateways/read, Microsoft.Network/publicIPAddresses/read and Microsoft.Network/publicIPPrefixes/read (granted by the Reader role on the node resource group)',
    privateEndpoint: 'Microsoft.Network/privateEndpoints/read and Microsoft.Network/networkInterfaces/read (granted by the Reader role on the private endpoint)',
    zones: 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/read and Microsoft.Network/privateDnsZones/read (granted by the Reader role on the private endpoint and the zone)',
    zoneLinks: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks/read (granted by the Reader role on the private DNS zone)',
    aRecords: 'Microsoft.Network/privateDnsZones/A/read (granted by the Reader role on the private DNS zone)',
    replications: 'Microsoft.ContainerRegistry/registries/replications/read (granted by the Reader role on the registry)',
    cacheRules: 'Microsoft.ContainerRegistry/registries/cacheRules/read (granted by the Reader role on the registry)',
};
/** Node count at which a Basic registry's ReadOps limit becomes a real risk during a rollout. */
const BASIC_NODE_THRESHOLD = 20;
const SEVERITY = { fail: 4, unknown: 3, warn: 2, pass: 1, skip: 0 };
const sameId = (a, b) => a.toLowerCase().replace(/\/+$/, '') === b.toLowerCase().replace(/\/+$/, '');
const list = (xs) => xs.join(', ');
function parsed(id) {
    if (!id)
        return undefined;
    try {
        return parseResourceId(id);
    }
    catch {
        return undefined;
    }
}
const withPermission = (f, permission) => describeFailure({ ...f, missingPermission: f.missingPermission ?? permission });
function nodeCount(cluster) {
    return cluster.agentPools.reduce((n, p) => n + (p.maxCount ?? p.count ?? 0), 0);
}
/** ACR cache rule targets are a repository or a `prefix/*` wildcard. */
function cacheRuleMatches(target, repository) {
    const t = target.toLowerCase();
    const repo = repository.toLowerCase();
    return t.endsWith('/*') ? repo.startsWith(t.slice(0, -1)) : t === repo;
}
function sameIps(a, b) {
    const x = new Set(a);
    const y = new Set(b);
    return x.size === y.size && [...x].every((ip) => y.has(ip));
}
class Judge {
    input;
    c;
    r;
    suffix;
    zoneName;
    vnets;
    customDns;
    hosts;
    registryArgs;
    constructor(input) {
        this.input = input;
        const { cluster, clusterNet, registry, registryNet } = input;
        this.c = cluster.name;
        this.r = registry.name;
        this.suffix = acrSuffixOf(registry.loginServer);
        this.zoneName = privateLinkZoneOf(registry.loginServer);
        this.vnets = clusterNet.vnets.ok ? clusterNet.vnets.value : undefined;
        this.customDns = (this.vnets ?? []).filter((v) => v.dnsServers.length > 0);
        this.hosts = egressHosts(registry, registryNet.replications.ok ? registryNet.replications.value : []);
        this.registryArgs = `--name ${registry.name} --resource-group ${registry.resourceGroup} --subscription ${registry.subscriptionId}`;
    }
    // ── Private endpoints ──────────────────────────────────────────────────────────────────────────
    linkFixes(zone) {
        const vnets = this.vnets ?? [];
        const targets = vnets.length > 0 ? vnets.map((v) => v.id) : ['<cluster VNet id>'];
        return targets.map((id) => {
            const linkName = targets.length > 1 ? `${this.c}-${parsed(id)?.name ?? 'vnet'}-link` : `${this.c}-link`;
            const sub = zone.sub ? ` --subscription ${zone.sub}` : '';
            return `az network private-dns link vnet create --resource-group ${zone.rg} --zone-name ${zone.name} --name ${linkName} --virtual-network ${id} --registration-enabled false${sub}`;
        });
    }
    evaluateEndpoint(pe) {
        const peId = parsed(pe.privateEndpointId);
        const name = peId?.name ?? pe.privateEndpointId ?? pe.connectionId ?? 'unnamed';
        const base = { pe, name, problems: [], unread: [] };
        if (pe.status !== 'Approved') {
            const status = pe.status ?? 'of unknown state';
            const fix = pe.status === 'Pending' && pe.connectionId ? [`az network private-endpoint-connection approve --id ${pe.connectionId}`] : undefined;
            const how = pe.status === 'Pending'
                ? 'it must be approved before traffic flows'
                : 'only an approved connection carries traffic; a rejected or disconnected connection cannot be approved again: delete the private endpoint and create it anew';
            return { ...base, outcome: 'not-approved', problems: [{ text: `Private endpoint connection ${name} is ${status}: ${how}.`, fix }] };
        }
        const { endpoint, zones } = pe;
        if (!endpoint)
            base.unread.push(`The private endpoint ${name} was not read.`);
        else if (!endpoint.ok)
            base.unread.push(withPermission(endpoint.error, registry_network_NETWORK_READ_PERMISSION.privateEndpoint));
        if (!zones)
            base.unread.push(`The DNS zone groups of private endpoint ${name} were not read.`);
        else if (!zones.ok)
            base.unread.push(withPermission(zones.error, registry_network_NETWORK_READ_PERMISSION.zones));
        if (!endpoint?.ok || !zones?.ok)
            return { ...base, outcome: 'unread' };
        const addresses = {};
        for (const a of endpoint.value.addresses)
            (addresses[a.fqdn.toLowerCase().replace(/\.$/, '')] ??= []).push(a.ip);
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
                        text: `Private endpoint ${name} has no DNS zone group for ${this.zoneName}${others}: nothing makes ${this.input.registry.loginServer} resolve to its private address. ` +
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
        let linked;
        if (!zone.linkedVnetIds.ok)
            base.unread.push(withPermission(zone.linkedVnetIds.error, registry_network_NETWORK_READ_PERMISSION.zoneLinks));
        else if (zone.linkedVnetIds.value.length === 0)
            linked = false;
        else if (this.vnets)
            linked = zone.linkedVnetIds.value.some((id) => this.vnets.some((v) => sameId(v.id, id)));
        else if (!this.input.clusterNet.vnets.ok)
            base.unread.push(withPermission(this.input.clusterNet.vnets.error, registry_network_NETWORK_READ_PERMISSION.vnets));
        if (linked === false) {
            const vnetText = this.vnets ? list(this.vnets.map((v) => v.id)) : 'the VNet of the cluster';
            const linkedText = zone.linkedVnetIds.ok && zone.linkedVnetIds.value.length > 0 ? `it is linked to ${list(zone.linkedVnetIds.value)} only` : 'it has no VNet links';
            base.problems.push({
                text: `The private DNS zone ${zone.name} (${zone.id}) of private endpoint ${name} is not linked to ${vnetText} of ${this.c}: ${linkedText}, so the nodes resolve ${this.input.registry.loginServer} to its public address.`,
                fix: this.linkFixes(zoneRef),
            });
        }
        // Does the zone hold the endpoint's addresses, for the login server and every data endpoint?
        let recordsOk;
        if (!zone.aRecords.ok)
            base.unread.push(withPermission(zone.aRecords.error, registry_network_NETWORK_READ_PERMISSION.aRecords));
        else {
            const records = Object.fromEntries(Object.entries(zone.aRecords.value).map(([k, v]) => [k.toLowerCase().replace(/\.$/, ''), v]));
            const login = this.input.registry.loginServer.toLowerCase();
            const recordProblems = [];
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
                }
                else if (!sameIps(have, ips)) {
                    const stale = have.filter((ip) => !ips.includes(ip));
                    const remove = stale.map((ip) => `az network private-dns record-set a remove-record ${zoneArgs} --record-set-name ${relative} --ipv4-address ${ip}${zoneSub}`);
                    recordProblems.push({
                        text: `The A record ${recordName} in ${zone.name} is stale: it holds ${list(have)}, private endpoint ${name} has ${list(ips)} for ${fqdn}. ` +
                            `Fix the record, or recreate the DNS zone group of ${name} so Azure rewrites it.`,
                        fix: [...add.filter((_, i) => !have.includes(ips[i])), ...remove],
                    });
                }
            }
            recordsOk = recordProblems.length === 0;
            base.problems.push(...recordProblems);
        }
        const outcome = recordsOk === false ? 'records-bad' : base.unread.length > 0 ? 'unread' : linked ? 'ok' : 'not-linked';
        return { ...evaluated, zone, linked, outcome };
    }
    // ── The public endpoint ────────────────────────────────────────────────────────────────────────
    evaluatePublic() {
        const { registry, clusterNet, cluster } = this.input;
        if ((registry.publicNetworkAccess ?? 'Enabled').toLowerCase() === 'disabled')
            return { kind: 'disabled' };
        const { c, r } = this;
        const outbound = clusterNet.outboundType ?? 'loadBalancer';
        const udr = ['userdefinedrouting', 'none'].includes(outbound.toLowerCase());
        const hosts = list(this.hosts);
        const rules = registry.networkRuleSet?.ipRules ?? [];
        const deny = (registry.networkRuleSet?.defaultAction ?? 'Allow').toLowerCase() === 'deny';
        const via = `(outbound type ${outbound})`;
        if (!deny) {
            const text = `${c} pulls from ${r} over its public endpoint: public network access is enabled and the registry firewall allows all networks.`;
            if (!udr)
                return { kind: 'judged', status: 'pass', path: 'public', text, issues: [] };
            const issue = {
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
                        text: `The egress of ${c} ${via} leaves through a firewall or appliance whose public IP cannot be read from ARM: it must be inside an IP rule of ${r} ` +
                            `(az acr network-rule add ${this.registryArgs} --ip-address <egress public IP>), and the firewall must allow HTTPS (443) to ${hosts}.`,
                    },
                ],
            };
        }
        const egress = clusterNet.egress;
        const unknown = (text) => ({
            kind: 'judged',
            status: 'unknown',
            path: 'public-allowed',
            text: `The registry firewall of ${r} allows only the IP rules ${rulesText}.`,
            issues: [{ status: 'unknown', text }],
        });
        if (!egress)
            return unknown(`The egress addresses of ${c} ${via} were not read, so they cannot be compared with the IP rules.`);
        if (!egress.ok)
            return unknown(withPermission(egress.error, registry_network_NETWORK_READ_PERMISSION.egress));
        if (egress.value.length === 0)
            return unknown(`No egress address of ${c} ${via} was found (is the cluster stopped?), so none can be compared with the IP rules.`);
        return this.judgeEgress(egress.value, rules, rulesText, cluster.name);
    }
    judgeEgress(egress, rules, rulesText, c) {
        const r = this.r;
        const cover = egressCoverage(egress, rules);
        const issues = [];
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
        if (cover.unparsed.length > 0)
            issues.push({ status: 'unknown', text: `Egress value${cover.unparsed.length > 1 ? 's' : ''} ${list(cover.unparsed)} of ${c} is not an IPv4 address or range.` });
        const allowed = cover.allowed.map((a) => `${a.address} in ${a.rule}`);
        const status = issues.reduce((s, i) => (SEVERITY[i.status] > SEVERITY[s] ? i.status : s), 'pass');
        const text = cover.missing.length === 0
            ? `${c} pulls from ${r} over its public endpoint: every IPv4 egress address of ${c} is inside an IP rule of the registry firewall (${list(allowed)}).`
            : `${c} would pull from ${r} over its public endpoint, whose firewall allows only the IP rules ${rulesText}.`;
        return { kind: 'judged', status, path: 'public-allowed', text, issues };
    }
    // ── Everything together ────────────────────────────────────────────────────────────────────────
    run() {
        const { cluster, clusterNet, registry, registryNet } = this.input;
        const { c, r } = this;
        const issues = [];
        const info = [];
        const notes = [];
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
        const endpointProblems = (es) => es.flatMap((e) => e.problems);
        const asIssues = (status, ps) => ps.map((p) => ({ status, text: p.text, fix: p.fix }));
        const unreadIssues = () => unread.flatMap((e) => e.unread.map((text) => ({ status: 'unknown', text: `Private endpoint ${e.name}: ${text}` })));
        const customDnsIssue = (es) => ({
            status: 'warn',
            text: `The VNet of ${c} uses custom DNS servers (${dnsText}): ARM cannot show whether they forward ${this.zoneName} to Azure DNS (168.63.129.16) from a VNet linked to the zone, ` +
                `or otherwise resolve ${list(es.flatMap((e) => Object.entries(e.addresses ?? {}).map(([h, ips]) => `${h} → ${list(ips)}`))) || `the registry's hosts`} to private endpoint ${list(es.map((e) => e.name))}.`,
        });
        const privateText = (e) => `${c} pulls from ${r} through private endpoint ${e.name}: the connection is approved` +
            (e.zone && e.linked ? `, ${e.zone.name} is linked to the VNet of ${c}` : '') +
            (e.zone ? ` and its A records match the endpoint's addresses (${list(Object.entries(e.addresses ?? {}).map(([h, ips]) => `${privateLinkFqdn(h, this.suffix)} → ${list(ips)}`))}).` : '.');
        let path;
        let pathText;
        const pub = this.evaluatePublic();
        // A path that is verified broken is `fail` only when no alternative could still work: an endpoint
        // that could not be read, or VNets (and so their DNS servers) that could not be read, may be one.
        const vnetsUnread = !clusterNet.vnets.ok && approved.length > 0 && unread.length === 0;
        const alternativeUnverified = unread.length > 0 || vnetsUnread;
        const unlessAlternative = (is) => (alternativeUnverified ? is.map((i) => (i.status === 'fail' ? { ...i, status: 'unknown' } : i)) : is);
        const vnetIssues = () => (vnetsUnread && !clusterNet.vnets.ok ? [{ status: 'unknown', text: withPermission(clusterNet.vnets.error, registry_network_NETWORK_READ_PERMISSION.vnets) }] : []);
        const privatePathFails = () => [...unlessAlternative(asIssues('fail', endpointProblems([...approved, ...notApproved]))), ...unreadIssues(), ...vnetIssues()];
        if (!customDns && ok.length > 0) {
            path = 'private';
            pathText = privateText(ok[0]);
            issues.push(...asIssues('fail', endpointProblems(brokenInUse)));
            const others = evals.filter((e) => e.outcome !== 'ok' && !brokenInUse.includes(e));
            info.push(...endpointProblems(others).map((p) => `(Not used by ${c}) ${p.text}`));
        }
        else if (brokenInUse.length > 0) {
            path = 'private';
            pathText = `The nodes of ${c} resolve ${registry.loginServer} through ${this.zoneName}, which is linked to their VNet, and the zone's records are wrong: pulls fail whatever the public network settings.`;
            issues.push(...asIssues('fail', endpointProblems(brokenInUse)));
        }
        else if (pub.kind === 'disabled') {
            path = 'private';
            if (customDns && usable.length > 0) {
                pathText = `Public network access to ${r} is disabled; ${c} can pull only through private endpoint ${list(usable.map((e) => e.name))}.`;
                issues.push(customDnsIssue(usable));
                for (const e of usable.filter((x) => x.outcome !== 'ok'))
                    info.push(...e.problems.map((p) => p.text));
            }
            else if (evals.length === 0) {
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
            }
            else {
                path = 'none';
                const what = approved.length === 0 ? `${r} has no approved private endpoint connection` : `no private endpoint of ${r} gives ${c} a working private path`;
                pathText = `Public network access to ${r} is disabled and ${what}.`;
                issues.push(...privatePathFails());
            }
        }
        else {
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
                    issues.push(...endpointProblems(maybeInUse).map((p) => ({ status, text: `${p.text} ${why}, pulls fail.`, fix: p.fix })));
                }
                info.push(...endpointProblems([...notApproved, ...approved.filter((e) => !maybeInUse.includes(e))]).map((p) => `(Not used by ${c}) ${p.text}`));
            }
            else if (customDns && usable.length > 0) {
                // The public path is blocked or unverified; the private one may carry the pulls.
                path = 'private';
                pathText = `${pub.text} ${c} can pull through private endpoint ${list(usable.map((e) => e.name))} instead.`;
                issues.push(customDnsIssue(usable));
                info.push(...pub.issues.map((i) => `(Public path) ${i.text}`));
            }
            else {
                issues.push(...unlessAlternative(pub.issues), ...unreadIssues(), ...vnetIssues());
                const alternatives = endpointProblems([...approved, ...notApproved]);
                if (alternatives.length > 0)
                    info.push(`Alternatively, make the private path work: ${alternatives.map((p) => p.text).join(' ')}`);
            }
            if (customDns && path !== 'private') {
                notes.push(`The VNet of ${c} uses custom DNS servers (${dnsText}); they must resolve ${list(this.hosts.filter((h) => !h.startsWith('*')))} to the registry's public addresses.`);
            }
        }
        if (path === 'private') {
            const peVnets = usable.concat(ok).map((e) => e.pe.endpoint?.ok && e.pe.endpoint.value.subnetId);
            for (const subnetId of new Set(peVnets.filter((s) => Boolean(s)))) {
                const vnetId = subnetId.replace(/\/subnets\/[^/]+\/?$/i, '');
                if (this.vnets && !this.vnets.some((v) => sameId(v.id, vnetId))) {
                    notes.push(`The private endpoint's subnet ${subnetId} is not in a VNet of ${c}: the nodes reach it only through VNet peering or routing, which this check does not read.`);
                }
            }
        }
        this.region(issues, info);
        this.notes(notes);
        const status = issues.reduce((s, i) => (SEVERITY[i.status] > SEVERITY[s] ? i.status : s), 'pass');
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
    region(issues, info) {
        const { cluster, registry, registryNet } = this.input;
        const want = normaliseRegion(cluster.location);
        if (normaliseRegion(registry.location) === want)
            return;
        const { c, r } = this;
        const where = `${r} is in ${registry.location} and ${c} in ${cluster.location}`;
        if (!registryNet.replications.ok) {
            issues.push({ status: 'unknown', text: `${where}; whether ${r} has a replica in ${cluster.location} is not known: ${withPermission(registryNet.replications.error, registry_network_NETWORK_READ_PERMISSION.replications)}` });
            return;
        }
        const replica = registryNet.replications.value.find((x) => normaliseRegion(x.location) === want && !['failed', 'deleting'].includes((x.provisioningState ?? '').toLowerCase()));
        if (replica) {
            info.push(`${where}; its replica in ${replica.location} serves the pulls.`);
            return;
        }
        const premium = (registry.sku ?? '').toLowerCase() === 'premium';
        const create = `az acr replication create --registry ${r} --location ${cluster.location} --resource-group ${registry.resourceGroup} --subscription ${registry.subscriptionId}`;
        issues.push({
            status: 'warn',
            text: `${where}, and ${r} has no replica in ${cluster.location}: every pull crosses regions (slower, and data transfer between regions is billed).` +
                (premium ? '' : ` Geo-replication needs the Premium SKU (${r} is ${registry.sku ?? 'of unknown SKU'}): az acr update ${this.registryArgs} --sku Premium first.`),
            fix: premium ? [create] : [`az acr update ${this.registryArgs} --sku Premium`, create],
        });
    }
    notes(notes) {
        const { cluster, registry, registryNet, images } = this.input;
        const nodes = nodeCount(cluster);
        if ((registry.sku ?? '').toLowerCase() === 'basic' && nodes >= BASIC_NODE_THRESHOLD) {
            notes.push(`${registry.name} is a Basic registry and ${cluster.name} can run up to ${nodes} nodes: Basic allows far fewer ReadOps per minute than Standard or Premium, ` +
                `so many nodes pulling at once can be throttled (HTTP 429 toomanyrequests). Consider az acr update ${this.registryArgs} --sku Standard.`);
        }
        const rules = registryNet.cacheRules;
        if (!rules || images.length === 0)
            return;
        if (!rules.ok) {
            notes.push(`Cache rules of ${registry.name} could not be read: ${withPermission(rules.error, registry_network_NETWORK_READ_PERMISSION.cacheRules)}`);
            return;
        }
        for (const image of images) {
            const rule = rules.value.find((x) => x.targetRepository && cacheRuleMatches(x.targetRepository, image.repository));
            if (rule) {
                notes.push(`${image.input} is served by cache rule ${rule.name} (${rule.targetRepository} ← ${rule.sourceRepository ?? 'unknown source'}): ` +
                    `the first pull of each tag is fetched from the upstream registry, which must be reachable and accept the rule's credentials.`);
            }
        }
    }
    evidence(path, evals) {
        const { cluster, clusterNet, registry, registryNet } = this.input;
        const egress = clusterNet.egress;
        return {
            path,
            publicNetworkAccess: registry.publicNetworkAccess ?? 'Enabled',
            defaultAction: registry.networkRuleSet?.defaultAction ?? 'Allow',
            ipRules: registry.networkRuleSet?.ipRules ?? [],
            outboundType: clusterNet.outboundType,
            egress: egress?.ok ? egress.value : undefined,
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
function judgeRegistryNetwork(input) {
    return new Judge(input).run();
}

;// CONCATENATED MODULE: ./src/checks/actions.ts
const escapeRegExp = (s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
function matchesPattern(pattern, operation) {
    const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
    return re.test(operation);
}
/** Granted when some actions (dataActions) pattern matches and no notActions (notDataActions) pattern of the same block does. */
function permissionGrants(perm, op, kind) {
    const [allowed, excluded] = kind === 'action' ? [perm.actions, perm.notActions] : [perm.dataActions, perm.notDataActions];
    return allowed.some((p) => matchesPattern(p, op)) && !excluded.some((p) => matchesPattern(p, op));
}
function roleGrants(def, op, kind) {
    return def.permissions.some((p) => permissionGrants(p, op, kind));
}

;// CONCATENATED MODULE: ./src/checks/abac-condition.ts
// ABAC role-assignment conditions (conditionVersion 2.0) as ACR uses them for repository permissions:
//   ((!(ActionMatches{'…/repositories/content/read'}) AND !(ActionMatches{'…/repositories/metadata/read'}))
//    OR (@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringStartsWithIgnoreCase 'team1/'))
// The condition is parsed, then evaluated for each pull data action: what remains must be a constant
// or an OR of positive comparisons on the repository name. Anything else is `unparsed`: a condition
// this code does not fully understand never becomes a grant.

const PULL_DATA_ACTIONS = [
    'Microsoft.ContainerRegistry/registries/repositories/content/read',
    'Microsoft.ContainerRegistry/registries/repositories/metadata/read',
];
function and(xs) {
    if (xs.includes(false))
        return false;
    const rest = [...new Map(xs.filter((x) => x !== true).map((x) => [JSON.stringify(x), x])).values()];
    if (rest.length === 0)
        return true;
    return rest.length === 1 ? rest[0] : undefined; // an intersection of rule sets is not representable
}
function or(xs) {
    if (xs.includes(true))
        return true;
    const rest = xs.filter((x) => x !== false);
    if (rest.includes(undefined))
        return undefined;
    return rest.length === 0 ? false : rest.flat();
}
const REPOSITORY_NAME = /^@(Request|Resource)\[Microsoft\.ContainerRegistry\/registries\/repositories:name\]$/i;
const OPERATORS = new Map([
    ['stringequals', { op: 'equals', ignoreCase: false }],
    ['stringequalsignorecase', { op: 'equals', ignoreCase: true }],
    ['stringstartswith', { op: 'startsWith', ignoreCase: false }],
    ['stringstartswithignorecase', { op: 'startsWith', ignoreCase: true }],
    ['stringlike', { op: 'like', ignoreCase: false }],
    ['stringlikeignorecase', { op: 'like', ignoreCase: true }],
]);
function comparison(attribute, operator, values, isSet) {
    const [, forAny, name = ''] = /^(ForAnyOfAnyValues:)?(\w+)$/i.exec(operator) ?? [];
    const rule = OPERATORS.get(name.toLowerCase());
    if (!REPOSITORY_NAME.test(attribute) || !rule || Boolean(forAny) !== isSet)
        return undefined;
    return values.map((value) => ({ ...rule, value }));
}
const KEYWORDS = { '&&': 'AND', '||': 'OR', '!': 'NOT' };
function tokenize(text) {
    const re = /\s*(?:([(){},!]|&&|\|\|)|'([^']*)'|(@\w+\[[^\]]*\])|([A-Za-z][\w:]*))\s*/y;
    const tokens = [];
    while (re.lastIndex < text.length) {
        const m = re.exec(text);
        if (!m)
            throw new Error(`unexpected text at ${re.lastIndex}`);
        const [, punct, str, attribute, word] = m;
        if (punct !== undefined)
            tokens.push(KEYWORDS[punct] ? { kind: 'word', text: KEYWORDS[punct] } : { kind: 'punct', text: punct });
        else if (str !== undefined)
            tokens.push({ kind: 'string', text: str });
        else if (attribute !== undefined)
            tokens.push({ kind: 'attribute', text: attribute });
        else
            tokens.push({ kind: 'word', text: /^(and|or|not)$/i.test(word) ? word.toUpperCase() : word });
    }
    return tokens;
}
/** Recursive descent: or := and (OR and)*; and := unary (AND unary)*; unary := NOT unary | primary. */
class Parser {
    tokens;
    i = 0;
    constructor(tokens) {
        this.tokens = tokens;
    }
    parse() {
        const expr = this.or();
        if (this.i !== this.tokens.length)
            throw new Error('trailing tokens');
        return expr;
    }
    peek(text) {
        const token = this.tokens[this.i];
        return token !== undefined && (token.kind === 'punct' || token.kind === 'word') && token.text === text;
    }
    accept(text) {
        if (!this.peek(text))
            return false;
        this.i++;
        return true;
    }
    next(kind) {
        const token = this.tokens[this.i++];
        if (token?.kind !== kind)
            throw new Error(`expected ${kind}`);
        return token.text;
    }
    list(keyword, item, combine) {
        const xs = [item()];
        while (this.accept(keyword))
            xs.push(item());
        return xs.length === 1 ? xs[0] : (action) => combine(xs.map((x) => x(action)));
    }
    or() {
        return this.list('OR', () => this.and(), or);
    }
    and() {
        return this.list('AND', () => this.unary(), and);
    }
    unary() {
        if (!this.accept('NOT'))
            return this.primary();
        const inner = this.unary();
        return (action) => {
            const x = inner(action);
            return typeof x === 'boolean' ? !x : undefined;
        };
    }
    /** `{'a', 'b'}` or `'a'` */
    values() {
        if (!this.accept('{'))
            return { values: [this.next('string')], isSet: false };
        const values = [this.next('string')];
        while (this.accept(','))
            values.push(this.next('string'));
        this.expectPunct('}');
        return { values, isSet: true };
    }
    expectPunct(text) {
        if (!this.accept(text))
            throw new Error(`expected ${text}`);
    }
    primary() {
        if (this.accept('(')) {
            const expr = this.or();
            this.expectPunct(')');
            return expr;
        }
        if (this.tokens[this.i]?.kind === 'attribute') {
            const attribute = this.next('attribute');
            const operator = this.next('word');
            const { values, isSet } = this.values();
            const formula = comparison(attribute, operator, values, isSet);
            return () => formula;
        }
        const fn = this.next('word');
        const { values, isSet } = this.values();
        if (/^ActionMatches$/i.test(fn) && isSet && values.length === 1)
            return (action) => matchesPattern(values[0], action);
        if (/^SubOperationMatches$/i.test(fn))
            return () => undefined;
        throw new Error(`unsupported function ${fn}`);
    }
}
/** What a role-assignment condition means for pulling (both pull data actions) from an ABAC-mode registry. */
function parseRepositoryCondition(condition) {
    let expr;
    try {
        expr = new Parser(tokenize(condition)).parse();
    }
    catch {
        return { kind: 'unparsed', text: condition };
    }
    const pull = and(PULL_DATA_ACTIONS.map((a) => expr(a)));
    if (pull === undefined)
        return { kind: 'unparsed', text: condition };
    if (pull === true)
        return { kind: 'unrestricted' };
    return { kind: 'repositories', rules: pull === false ? [] : pull };
}
function likeToRegExp(pattern, ignoreCase) {
    const source = pattern.replace(/\\([*?])|([*?])|([^*?\\]+|\\)/g, (_, escaped, wildcard, text) => escaped ? `\\${escaped}` : wildcard ? (wildcard === '*' ? '.*' : '.') : escapeRegExp(text ?? ''));
    return new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
}
function ruleAllows(rule, repository) {
    if (rule.op === 'like')
        return likeToRegExp(rule.value, rule.ignoreCase).test(repository);
    const [value, repo] = rule.ignoreCase ? [rule.value.toLowerCase(), repository.toLowerCase()] : [rule.value, repository];
    return rule.op === 'equals' ? repo === value : repo.startsWith(value);
}
function repositoryAllowed(rules, repository) {
    return rules.some((r) => ruleAllows(r, repository));
}
/** e.g. `team1/app`, `team2/* (prefix)`, `team?/app (pattern)` */
function describeRules(rules) {
    if (rules.length === 0)
        return 'no repository';
    return rules.map((r) => (r.op === 'equals' ? r.value : r.op === 'startsWith' ? `${r.value}* (prefix)` : `${r.value} (pattern)`)).join(', ');
}

;// CONCATENATED MODULE: ./src/checks/scope.ts
// Whether an assignment at one ARM scope reaches a resource: the scope is the resource itself or one
// of its ancestors. Compared on path segments, case-insensitively, ignoring trailing slashes.
const MANAGEMENT_GROUP = ['providers', 'microsoft.management', 'managementgroups'];
function segments(scope) {
    return scope.toLowerCase().split('/').filter(Boolean);
}
function sameScope(a, b) {
    return segments(a).join('/') === segments(b).join('/');
}
function scopeApplies(assignmentScope, registryId) {
    if (!assignmentScope.startsWith('/'))
        return false;
    const scope = segments(assignmentScope);
    const target = segments(registryId);
    // ARM only returns the management groups that contain the scope it was asked about.
    const managementGroup = scope.length === 4 && MANAGEMENT_GROUP.every((s, i) => scope[i] === s);
    return managementGroup || (scope.length <= target.length && scope.every((s, i) => s === target[i]));
}

;// CONCATENATED MODULE: ./src/checks/pull-permission.ts
// The pull-permission judge: may the kubelet identity pull from the registry, according to Azure RBAC?
// Pure: facts in, one finding out. It never passes on a guess: anything unread or not understood that
// the verdict depends on makes it `unknown`.






const LEGACY_PULL = 'Microsoft.ContainerRegistry/registries/pull/read';
const EVERYONE = '00000000-0000-0000-0000-000000000000';
const PROPAGATION_MS = 30 * 60_000;
const NOT_HONOURED_IN_ABAC = new Set([ROLE.acrPull, ROLE.acrPush, ROLE.acrDelete]);
/** Roles that grant pull only as a side effect of granting (nearly) everything: not "pull roles". */
const BROAD_ROLES = new Set([ROLE.owner, ROLE.contributor, ROLE.reader]);
function modeOf(registry) {
    const name = registry.roleAssignmentMode || 'LegacyRegistryPermissions';
    if (name === 'LegacyRegistryPermissions')
        return { name, ops: [LEGACY_PULL], kind: 'action', roleArg: 'AcrPull' };
    if (name === 'AbacRepositoryPermissions')
        return { name, ops: [...PULL_DATA_ACTIONS], kind: 'dataAction', roleArg: '"Container Registry Repository Reader"' };
    return undefined;
}
const pull_permission_sameId = (a, b) => a.toLowerCase() === b.toLowerCase();
function definitionOf(rbac, roleDefinitionId) {
    const guid = roleGuidOf(roleDefinitionId);
    const fact = rbac.roleDefinitions[guid];
    if (fact)
        return fact;
    const builtIn = builtInRole(guid);
    return builtIn ? { ok: true, value: builtIn } : { ok: false, error: { what: `reading role definition ${roleDefinitionId}`, message: 'it was not read' } };
}
function limitOf(a, mode) {
    if (!a.condition)
        return { kind: 'unrestricted' };
    // Repository conditions only mean something in ABAC mode; elsewhere a condition is not understood.
    return mode.name === 'AbacRepositoryPermissions' ? parseRepositoryCondition(a.condition) : { kind: 'unparsed', text: a.condition };
}
function analyse(assignments, rbac, registry, mode, now) {
    const grants = [];
    const ignored = [];
    const unreadable = [];
    for (const a of assignments) {
        const guid = roleGuidOf(a.roleDefinitionId);
        const def = definitionOf(rbac, a.roleDefinitionId);
        const role = def.ok ? def.value.roleName : guid;
        const ignore = (reason) => ignored.push({ assignmentId: a.id, role, scope: a.scope, reason });
        if (!scopeApplies(a.scope, registry.id)) {
            ignore('its scope is neither the registry nor one of its ancestors');
            continue;
        }
        if (!def.ok) {
            unreadable.push({ ...def.error, missingPermission: def.error.missingPermission ?? RBAC_READ_PERMISSION.roleDefinitions });
            ignore('its role definition could not be read');
            continue;
        }
        if (mode.name === 'AbacRepositoryPermissions' && NOT_HONOURED_IN_ABAC.has(guid)) {
            ignore('not honoured in ABAC mode (roleAssignmentMode AbacRepositoryPermissions)');
            continue;
        }
        const ops = mode.ops.filter((op) => roleGrants(def.value, op, mode.kind));
        const limit = limitOf(a, mode);
        if (ops.length === 0)
            ignore(`does not grant ${mode.ops.join(' or ')}`);
        else if (limit.kind === 'repositories' && limit.rules.length === 0)
            ignore('its condition allows no repository to be pulled');
        else {
            const created = a.createdOn ? Date.parse(a.createdOn) : NaN;
            const settled = Number.isNaN(created) || now.getTime() - created >= PROPAGATION_MS;
            grants.push({ assignment: a, role, via: pull_permission_sameId(a.principalId, rbac.principalId) ? 'direct' : 'group', ops, limit, settled });
        }
    }
    return { grants, ignored, unreadable };
}
/** 0: not allowed, 1: depends on a condition not understood, 2: some repositories only, 3: allowed. */
function level(limit, repository) {
    if (limit.kind === 'unrestricted')
        return 3;
    if (limit.kind === 'unparsed')
        return 1;
    if (repository === undefined)
        return 2;
    return repositoryAllowed(limit.rules, repository) ? 3 : 0;
}
function access(grants, ops, repositories) {
    const byOp = ops.map((op) => grants.filter((g) => g.ops.includes(op)));
    if (byOp.some((gs) => gs.length === 0))
        return { kind: 'none' };
    const targets = repositories.length > 0 ? repositories : [undefined];
    const levels = targets.map((repo) => Math.min(...byOp.map((gs) => Math.max(...gs.map((g) => level(g.limit, repo))))));
    const withLimit = (kind) => grants.filter((g) => g.limit.kind === kind);
    const blocked = repositories.filter((_, i) => levels[i] === 0);
    if (blocked.length > 0)
        return { kind: 'blocked', repositories: blocked, conditions: withLimit('repositories') };
    if (levels.includes(1))
        return { kind: 'indeterminate', conditions: withLimit('unparsed') };
    if (levels.includes(2))
        return { kind: 'limited' };
    return { kind: 'granted' };
}
function denyMatch(d, registryId, principalId, mode) {
    if (!scopeApplies(d.scope, registryId) || (d.doNotApplyToChildScopes && !sameScope(d.scope, registryId)))
        return undefined;
    if (!mode.ops.some((op) => roleGrants(d, op, mode.kind)))
        return undefined;
    const isKubelet = (p) => pull_permission_sameId(p.id, principalId);
    const isGroup = (p) => p.type?.toLowerCase() === 'group';
    if (d.excludePrincipals.some(isKubelet))
        return undefined;
    const named = d.principals.find((p) => isKubelet(p) || p.id === EVERYONE);
    const group = d.principals.find(isGroup);
    const excludedGroup = d.excludePrincipals.find(isGroup);
    const whom = named && (isKubelet(named) ? 'names the kubelet identity' : 'applies to Everyone');
    if (!whom) {
        return group && { deny: d, effect: 'may-apply', reason: `denies group ${group.id}, which may contain the kubelet identity (group membership cannot be verified from these facts)` };
    }
    if (excludedGroup)
        return { deny: d, effect: 'may-apply', reason: `${whom} but excludes group ${excludedGroup.id}, which may contain the kubelet identity` };
    if (d.condition)
        return { deny: d, effect: 'may-apply', reason: `${whom} with a condition that was not evaluated: ${d.condition}` };
    return { deny: d, effect: 'applies', reason: whom };
}
function describeGrant(g) {
    const via = g.via === 'group' ? ` through group ${g.assignment.principalId}` : '';
    const limit = g.limit.kind === 'repositories' ? ` limited to ${describeRules(g.limit.rules)}` : '';
    return `${g.role} at ${g.assignment.scope}${via}${limit}`;
}
const describeCondition = (g) => `${g.role} at ${g.assignment.scope}: ${g.assignment.condition}`;
const describeDeny = (m) => `deny assignment ${m.deny.denyAssignmentName ?? m.deny.name} at ${m.deny.scope} ${m.reason}`;
/** The ABAC condition that lets these repositories be pulled, for the fix. */
function repositoryCondition(repositories) {
    const actions = PULL_DATA_ACTIONS.map((a) => `!(ActionMatches{'${a}'})`).join(' AND ');
    const names = repositories.map((r) => `(@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase '${r}')`);
    return `((${actions}) OR ${names.join(' OR ')})`;
}
/** The classic mistakes: a pull role held by the control-plane identity, or by the kubelet's client ID. */
function misassignments(rbac, cluster, registry) {
    const pullRoles = (m) => {
        if (!m?.assignments.ok)
            return [];
        return m.assignments.value.flatMap((a) => {
            const def = definitionOf(rbac, a.roleDefinitionId);
            const pulls = def.ok && (roleGrants(def.value, LEGACY_PULL, 'action') || PULL_DATA_ACTIONS.every((op) => roleGrants(def.value, op, 'dataAction')));
            const mistaken = pulls && !BROAD_ROLES.has(roleGuidOf(a.roleDefinitionId)) && pull_permission_sameId(a.principalId, m.principalId) && scopeApplies(a.scope, registry.id);
            return mistaken ? [`${def.value.roleName} at ${a.scope}`] : [];
        });
    };
    const { controlPlane, clientIdAsObjectId } = rbac.misassigned ?? {};
    const kubelet = `the kubelet identity (object ID ${rbac.principalId})`;
    const cp = pullRoles(controlPlane).map((r) => `${r} was given to the control-plane identity of ${cluster.name} (${controlPlane.principalId}) instead of ${kubelet}: nodes pull with the kubelet identity.`);
    const cid = pullRoles(clientIdAsObjectId).map((r) => `${r} is assigned to ${clientIdAsObjectId.principalId}, the kubelet's client ID: an object ID was expected, the kubelet's client ID was used; assign it to ${rbac.principalId}.`);
    return [...cp, ...cid];
}
function noObjectId(cluster) {
    const { clientId = '<clientId>', source, objectIdError } = cluster.kubelet;
    const why = objectIdError ? ` (${describeFailure(objectIdError)})` : '';
    return (`The object ID of the kubelet identity of ${cluster.name} (${source}, client ID ${clientId}) is not known${why}; role assignments name object IDs, so pull permission cannot be checked. ` +
        `Find it with \`az ad sp show --id ${clientId} --query id -o tsv\` and pass it as the kubelet-object-id input, ` +
        `or let the signed-in identity read Microsoft Graph service principals (e.g. Application.Read.All).`);
}
function judgeRbac({ cluster, registry, rbac, images, now }) {
    const c = cluster.name;
    const r = registry.name;
    const mode = modeOf(registry);
    const evidence = { mode: mode?.name ?? registry.roleAssignmentMode, principalId: cluster.kubelet.objectId };
    const title = { pass: `${c} can pull from ${r}`, fail: `Kubelet identity of ${c} cannot pull from ${r}`, unknown: `Pull permission of ${c} on ${r} could not be verified` };
    const finding = (status, heading, detail, more = {}) => ({
        id: 'pull-permission',
        status,
        title: heading,
        detail,
        cluster: c,
        registry: r,
        evidence,
        ...more,
    });
    const unverified = (reasons) => finding('unknown', title.unknown, `Could not verify that ${c} can pull from ${r}: ${reasons.join(' ')}`);
    const failure = (f, needs) => describeFailure({ ...f, missingPermission: f.missingPermission ?? needs });
    const principalId = cluster.kubelet.objectId;
    if (!principalId)
        return finding('unknown', title.unknown, noObjectId(cluster), { evidence: { ...evidence, clientId: cluster.kubelet.clientId } });
    if (!mode)
        return unverified([`the registry's roleAssignmentMode '${registry.roleAssignmentMode}' is not one this version understands.`]);
    if (!rbac)
        return unverified([`the role assignments of ${principalId} were not read.`]);
    if (!rbac.roleAssignments.ok)
        return unverified([failure(rbac.roleAssignments.error, RBAC_READ_PERMISSION.roleAssignments)]);
    const { grants, ignored, unreadable } = analyse(rbac.roleAssignments.value, rbac, registry, mode, now);
    const repositories = [...new Set(images.map((i) => i.repository))];
    const found = access(grants, mode.ops, repositories);
    const denies = rbac.denyAssignments.ok ? rbac.denyAssignments.value.flatMap((d) => denyMatch(d, registry.id, principalId, mode) ?? []) : [];
    Object.assign(evidence, {
        grants: grants.map(({ assignment: a, role, via }) => ({
            assignmentId: a.id,
            role,
            roleDefinitionId: a.roleDefinitionId,
            scope: a.scope,
            principalId: a.principalId,
            via,
            createdOn: a.createdOn,
            ...(a.condition ? { condition: a.condition } : {}),
        })),
        ignored,
        denies: denies.map((m) => ({ id: m.deny.id, name: m.deny.denyAssignmentName ?? m.deny.name, scope: m.deny.scope, effect: m.effect, reason: m.reason })),
    });
    const kubelet = `kubelet identity of ${c} (object ID ${principalId})`;
    const ops = mode.ops.join(' and ');
    const grantsText = grants.map(describeGrant).join('; ');
    const deny = denies.find((m) => m.effect === 'applies');
    if (deny) {
        evidence.cause = 'deny';
        return finding('fail', title.fail, `${describeDeny(deny)}, and it denies ${ops} on ${r}: a deny assignment overrides any role. Its owner (e.g. a managed application or deployment stack) must exclude ${principalId} or remove it.`);
    }
    if ((found.kind === 'none' || found.kind === 'blocked') && unreadable.length === 0) {
        const assign = `az role assignment create --assignee-object-id ${principalId} --assignee-principal-type ServicePrincipal --role ${mode.roleArg} --scope ${registry.id}`;
        const ignoredText = ignored.length > 0 ? [`Ignored: ${ignored.map((i) => `${i.role} at ${i.scope}: ${i.reason}`).join('; ')}.`] : [];
        if (found.kind === 'blocked') {
            evidence.cause = 'repository-condition';
            return finding('fail', title.fail, [`The role assignments of the ${kubelet} on ${r} do not allow pulling ${found.repositories.join(', ')}: ${found.conditions.map(describeCondition).join('; ')}.`, ...ignoredText].join(' '), { fix: `${assign} --condition-version 2.0 --condition "${repositoryCondition(found.repositories)}"` });
        }
        evidence.cause = 'no-grant';
        const partial = grants.length > 0 ? [`Partial: ${grants.map((g) => `${describeGrant(g)} grants only ${g.ops.join(' and ')}`).join('; ')}.`] : [];
        // --attach-acr assigns AcrPull, which ABAC mode does not honour.
        const attach = mode.name === 'LegacyRegistryPermissions' ? [`Alternatively: az aks update -n ${c} -g ${cluster.resourceGroup} --attach-acr ${registry.id}`] : [];
        const detail = [`No role assignment at or above ${r} grants ${ops} to the ${kubelet}.`, ...partial, ...ignoredText, ...misassignments(rbac, cluster, registry), ...attach];
        return finding('fail', title.fail, detail.join(' '), { fix: assign });
    }
    const reasons = [
        ...(found.kind === 'granted' ? [] : unreadable.map((f) => failure(f, RBAC_READ_PERMISSION.roleDefinitions))),
        ...(found.kind === 'indeterminate' ? found.conditions.map((g) => `The condition on ${describeCondition(g)} could not be interpreted.`) : []),
        ...(rbac.denyAssignments.ok ? [] : [failure(rbac.denyAssignments.error, RBAC_READ_PERMISSION.denyAssignments)]),
        ...denies.map((m) => `${describeDeny(m)}.`),
    ];
    if (reasons.length > 0)
        return unverified(grants.length > 0 ? [...reasons, `Grants found: ${grantsText}.`] : reasons);
    if (found.kind === 'limited') {
        return finding('warn', `${c} can pull only some repositories of ${r}`, `The ${kubelet} may pull only some repositories of ${r}: ${grantsText}. Images outside them fail with ImagePullBackOff; list the images in the images input to check them.`);
    }
    const granted = `${grantsText} grants ${ops} to the ${kubelet}.`;
    if (access(grants.filter((g) => g.settled), mode.ops, repositories).kind !== 'granted') {
        const newest = grants.filter((g) => !g.settled).map((g) => `${g.role} at ${g.assignment.scope} was created at ${g.assignment.createdOn}`);
        return finding('warn', `Pull permission of ${c} on ${r} is new and may not have propagated`, `${granted} ${newest.join('; ')}: role assignments can take up to ~30 minutes to propagate (longer through a group). Pulls may fail until then.`);
    }
    return finding('pass', title.pass, granted);
}
function judgePullPermission(input) {
    const finding = judgeRbac(input);
    if (!input.registry.anonymousPullEnabled)
        return finding;
    const { fix: _rbacFix, ...rest } = finding;
    return {
        ...rest,
        status: 'pass',
        title: `${input.cluster.name} can pull from ${input.registry.name} (anonymous pull)`,
        detail: `Anonymous pull is enabled on ${input.registry.name}: pulls work without any role. What RBAC alone says (${finding.status}): ${finding.detail}`,
        evidence: { ...finding.evidence, anonymousPullEnabled: true, rbacStatus: finding.status },
    };
}
/** A `fail` that a role assignment could fix (not a deny): worth reading the classic misassignments. */
function needsMisassignmentDiagnosis(f) {
    return f.id === 'pull-permission' && f.status === 'fail' && f.evidence?.['cause'] !== 'deny';
}

;// CONCATENATED MODULE: ./src/checks/closest.ts
// "Did you mean": the names closest to what was asked for.
function distance(a, b) {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(above + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length];
}
/** Up to `max` candidates, nearest first, that are within half the wanted name's length. */
function closestNames(wanted, candidates, max = 3) {
    const w = wanted.toLowerCase();
    return [...new Set(candidates)]
        .map((c) => ({ c, d: distance(w, c.toLowerCase()) }))
        .filter(({ d }) => d <= Math.max(2, Math.ceil(w.length / 2)))
        .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
        .slice(0, max)
        .map(({ c }) => c);
}

;// CONCATENATED MODULE: ./src/checks/registry.ts
// The `registry` check: the registry exists and is resolved to one ARM resource.


function judgeRegistry(res) {
    const { ref } = res;
    const base = { id: 'registry', registry: ref.input };
    const evidence = { input: ref.input, searchedSubscriptions: res.searched };
    if (res.failures.length)
        evidence.failures = res.failures;
    if (!res.registry.ok) {
        return { ...base, status: 'unknown', title: `Registry ${ref.input} could not be resolved`, detail: describeFailure(res.registry.error), evidence };
    }
    const r = res.registry.value;
    if (!r) {
        const near = closestNames(ref.name, res.seen);
        const where = ref.kind === 'id' ? `resource group ${ref.resourceGroup} of subscription ${ref.subscriptionId}` : `the ${res.searched.length} subscription(s) the signed-in identity can read`;
        const hint = near.length ? ` Closest registries the signed-in identity can see: ${near.join(', ')}.` : '';
        const otherTenant = ' A registry in another tenant is not visible here, and a managed identity cannot pull across tenants: use an image pull secret.';
        return { ...base, status: 'fail', title: `Registry ${ref.input} not found`, detail: `No registry ${ref.input} in ${where}.${hint}${otherTenant}`, evidence: { ...evidence, closest: near } };
    }
    const warnings = res.failures.length ? ` (some subscriptions could not be listed: ${res.failures.map(describeFailure).join(' ')})` : '';
    return {
        ...base,
        registry: r.name,
        status: 'pass',
        title: `Registry ${r.name} found`,
        detail: `${r.loginServer} (${r.sku ?? 'unknown'} SKU, ${r.location}, role assignment mode ${r.roleAssignmentMode}).${warnings}`,
        evidence: { ...evidence, id: r.id, loginServer: r.loginServer, sku: r.sku, roleAssignmentMode: r.roleAssignmentMode, anonymousPullEnabled: r.anonymousPullEnabled },
    };
}

// EXTERNAL MODULE: ./src/checks/verdict.ts
var verdict = __webpack_require__(9948);
// EXTERNAL MODULE: external "node:dns/promises"
var promises_ = __webpack_require__(1553);
;// CONCATENATED MODULE: ./src/registry/dns.ts
// Name resolution from the runner, with the CNAME chain recorded. Uses c-ares (node:dns Resolver) so
// that the servers can be chosen (the dns-servers input); the system's servers otherwise.

const MAX_CNAME_HOPS = 8;
/** codes that mean "no such record" rather than "could not ask" */
const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND']);
class SystemDnsResolver {
    resolver;
    servers;
    cache = new Map();
    /** `servers`: "ip[:port]" entries; empty for the system's. `timeoutMs` per query attempt. */
    constructor(servers = [], timeoutMs = 2_000) {
        this.resolver = new promises_.Resolver({ timeout: timeoutMs, tries: 2 });
        if (servers.length)
            this.resolver.setServers(servers);
        this.servers = servers.length ? servers.join(', ') : 'system';
    }
    resolve(host) {
        const key = host.toLowerCase();
        let answer = this.cache.get(key);
        if (!answer) {
            answer = this.lookup(key);
            this.cache.set(key, answer);
        }
        return answer;
    }
    async lookup(host) {
        const started = performance.now();
        const cnames = [];
        const done = (addresses, error) => {
            const answer = { host, cnames, addresses, servers: this.servers, elapsedMs: Math.round(performance.now() - started) };
            if (error)
                answer.error = { code: error.code ?? 'EUNKNOWN', message: error.message ?? String(error) };
            return answer;
        };
        // Follow the chain one CNAME at a time, so that each hop is known (privatelink shows up here).
        let name = host;
        for (let hop = 0; hop < MAX_CNAME_HOPS; hop++) {
            const next = await this.resolver.resolveCname(name).then((targets) => targets[0], (err) => (NO_RECORD.has(err.code ?? '') ? undefined : err));
            if (next === undefined)
                break;
            if (typeof next !== 'string')
                return done([], next);
            cnames.push(next.toLowerCase());
            name = next;
        }
        const [v4, v6] = await Promise.all([
            this.resolver.resolve4(name).then((a) => ({ a }), (err) => ({ err })),
            this.resolver.resolve6(name).then((a) => ({ a }), (err) => ({ err })),
        ]);
        const addresses = [...('a' in v4 ? v4.a : []), ...('a' in v6 ? v6.a : [])];
        if (addresses.length)
            return done(addresses);
        // Neither family: report the more telling error (a failure to ask beats "no such name").
        const errors = ['err' in v4 ? v4.err : undefined, 'err' in v6 ? v6.err : undefined].filter((e) => Boolean(e));
        const hard = errors.find((e) => !NO_RECORD.has(e.code ?? ''));
        return done([], hard ?? errors[0] ?? { code: 'ENODATA', message: `${name} has no A or AAAA record` });
    }
}

// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: external "node:timers/promises"
var external_node_timers_promises_ = __webpack_require__(8500);
;// CONCATENATED MODULE: ./src/registry/http.ts
// HTTPS to registries from the runner: the address comes from our own DNS answer (so the probe uses what
// registry-dns saw), TLS is verified by Node against the registry's host name, the connect and TLS phases
// are bounded (default 5 s), and every failure is reported with the phase it happened in. No retry storms:
// a request is retried at most once, and only for 429/502/503/504 or a reset, honouring Retry-After up to 5 s.



const EVIDENCE_BODY_CHARS = 2_000;
const RETRYABLE = new Set([429, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 5_000;
function headerRecord(raw) {
    const out = {};
    for (const [k, v] of Object.entries(raw))
        if (v !== undefined)
            out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    return out;
}
function retryAfterMs(headers) {
    const value = headers?.['retry-after'];
    if (!value)
        return 500;
    const seconds = Number(value);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
    return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
class RegistryHttp {
    options;
    agent = new (external_node_https_default()).Agent({ keepAlive: true, maxSockets: 8 });
    connectTimeoutMs;
    requestTimeoutMs;
    maxBodyBytes;
    constructor(options) {
        this.options = options;
        this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
        this.requestTimeoutMs = options.requestTimeoutMs ?? 20_000;
        this.maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
    }
    /** Closes kept-alive connections so the process can exit. */
    close() {
        this.agent.destroy();
    }
    async request(req) {
        let result = await this.follow(req);
        const status = result.outcome.status;
        const reset = result.outcome.error?.code === 'ECONNRESET';
        if (req.retry && ((status !== undefined && RETRYABLE.has(status)) || reset) && !this.options.signal?.aborted) {
            await (0,external_node_timers_promises_.setTimeout)(retryAfterMs(result.outcome.headers), undefined, { signal: this.options.signal }).catch(() => undefined);
            if (!this.options.signal?.aborted)
                result = await this.follow(req);
        }
        return result;
    }
    async follow(req) {
        let current = req;
        for (let hop = 0;; hop++) {
            const result = await this.once(current);
            const location = result.outcome.headers?.['location'];
            const status = result.outcome.status ?? 0;
            if (!req.follow || hop >= 3 || !location || status < 300 || status >= 400)
                return result;
            const next = new URL(location, current.url);
            const headers = { ...current.headers };
            // Credentials never travel to another host (storage redirects carry their own SAS).
            if (next.host !== new URL(current.url).host)
                delete headers['Authorization'];
            current = { ...current, method: current.method === 'HEAD' ? 'HEAD' : 'GET', url: next.toString(), headers, body: undefined };
        }
    }
    async once(req) {
        const started = performance.now();
        const url = new URL(req.url);
        const host = url.hostname.replace(/^\[|\]$/g, '');
        const elapsed = () => Math.round(performance.now() - started);
        const fail = (f, address) => ({
            outcome: { url: req.url, ...(address && { address }), error: f, elapsedMs: elapsed() },
            body: '',
        });
        let address = host;
        if (!(0,external_node_net_.isIP)(host)) {
            const answer = await this.options.dns.resolve(host);
            const chosen = answer.addresses.find((a) => (0,external_node_net_.isIP)(a) === 4) ?? answer.addresses[0];
            if (!chosen)
                return fail({ code: answer.error?.code ?? 'ENOTFOUND', message: answer.error?.message ?? `${host} did not resolve`, phase: 'dns' });
            address = chosen;
        }
        return new Promise((resolve) => {
            let phase = 'connect';
            let settled = false;
            const finish = (r) => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(connectTimer);
                clearTimeout(requestTimer);
                this.options.signal?.removeEventListener('abort', onAbort);
                resolve(r);
            };
            const headers = {
                Host: url.host,
                'User-Agent': this.options.userAgent ?? 'aks-acr-preflight',
                ...req.headers,
            };
            if (req.body !== undefined)
                headers['Content-Length'] = String(Buffer.byteLength(req.body));
            const request = external_node_https_default().request({
                host: address,
                port: url.port || 443,
                method: req.method,
                path: `${url.pathname}${url.search}`,
                headers,
                agent: this.agent,
                ...((0,external_node_net_.isIP)(host) ? {} : { servername: host }),
            });
            const abort = (f) => {
                finish(fail(f, address));
                request.destroy();
            };
            const onAbort = () => abort({ code: 'ETIMEDOUT', message: 'the run\'s time budget ran out', phase });
            const connectTimer = setTimeout(() => abort({ code: 'ETIMEDOUT', message: `no ${phase === 'tls' ? 'TLS handshake' : 'connection'} within ${this.connectTimeoutMs} ms`, phase }), this.connectTimeoutMs);
            const requestTimer = setTimeout(() => abort({ code: 'ETIMEDOUT', message: `no complete answer within ${this.requestTimeoutMs} ms`, phase }), this.requestTimeoutMs);
            this.options.signal?.addEventListener('abort', onAbort, { once: true });
            if (this.options.signal?.aborted)
                return onAbort();
            request.on('socket', (socket) => {
                const secured = () => {
                    phase = 'response';
                    clearTimeout(connectTimer);
                };
                // A reused keep-alive socket is already connected and secured.
                if (!socket.connecting && socket.encrypted)
                    return secured();
                socket.once('connect', () => {
                    phase = 'tls';
                });
                socket.once('secureConnect', secured);
            });
            request.on('error', (err) => {
                const code = err.code ?? 'EUNKNOWN';
                const tlsCode = /CERT|SELF_SIGNED|UNABLE_TO_|TLS|SSL|ALTNAME|EPROTO/.test(code);
                abort({ code, message: err.message, phase: tlsCode ? 'tls' : phase });
            });
            request.on('response', (res) => {
                const chunks = [];
                let size = 0;
                res.on('data', (chunk) => {
                    size += chunk.length;
                    if (size <= this.maxBodyBytes)
                        chunks.push(chunk);
                });
                res.on('error', (err) => abort({ code: err.code ?? 'ECONNRESET', message: err.message, phase: 'response' }));
                res.on('end', () => {
                    const body = Buffer.concat(chunks).toString('utf8');
                    const outcome = {
                        url: req.url,
                        address,
                        status: res.statusCode,
                        headers: headerRecord(res.headers),
                        elapsedMs: elapsed(),
                    };
                    if (body)
                        outcome.body = body.slice(0, EVIDENCE_BODY_CHARS);
                    finish({ outcome, body });
                });
            });
            request.end(req.body);
        });
    }
}

;// CONCATENATED MODULE: ./src/registry/challenge.ts
/** The Bearer challenge in a WWW-Authenticate header value, or undefined when there is none. */
function parseBearerChallenge(header) {
    if (!header)
        return undefined;
    const m = /(?:^|,\s*)Bearer\s+(.*)$/i.exec(header.trim());
    if (!m?.[1])
        return undefined;
    const params = {};
    const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/g;
    for (const p of m[1].matchAll(re)) {
        const [, name = '', quoted, bare] = p;
        params[name.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
    }
    const challenge = {};
    if (params.realm !== undefined)
        challenge.realm = params.realm;
    if (params.service !== undefined)
        challenge.service = params.service;
    if (params.scope !== undefined)
        challenge.scope = params.scope;
    if (params.error !== undefined)
        challenge.error = params.error;
    return challenge;
}
/** The IP in ACR's firewall refusal: "client with IP '203.0.113.7' is not allowed access…" */
function blockedClientIp(body) {
    return /client with IP '([^']+)' is not allowed/i.exec(body ?? '')?.[1];
}

;// CONCATENATED MODULE: ./src/registry/probes.ts


const MANIFEST_ACCEPT = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
/** The Entra audience ACR accepts when ARM-audience tokens are disabled by policy. */
const ACR_AUDIENCE_SCOPE = 'https://containerregistry.azure.net/.default';
/** Resolves the login server and every data endpoint, then probes /v2/ on the login server. */
async function probeRegistry(deps, registry, dataEndpoints) {
    const names = [registry.loginServer, ...dataEndpoints.filter((h) => h.toLowerCase() !== registry.loginServer.toLowerCase())];
    const dnsAnswers = Promise.all(names.map((h) => deps.dns.resolve(h)));
    // The /v2/ probe starts with the login server's answer; data endpoints resolve alongside.
    const login = await deps.dns.resolve(registry.loginServer);
    const endpoint = login.addresses.length ? await probeEndpoint(deps, registry.loginServer) : undefined;
    const facts = { dns: await dnsAnswers };
    if (endpoint)
        facts.endpoint = endpoint;
    return facts;
}
async function probeEndpoint(deps, host) {
    const { outcome } = await deps.http.request({ method: 'GET', url: `https://${host}/v2/` });
    const probe = { http: outcome };
    const challenge = parseBearerChallenge(outcome.headers?.['www-authenticate']);
    if (challenge)
        probe.challenge = challenge;
    const ip = outcome.status === 403 ? blockedClientIp(outcome.body) : undefined;
    if (ip)
        probe.blockedClientIp = ip;
    return probe;
}
/** Docker Hub's registry host for docker.io references. */
function registryHostOf(ref) {
    return ref.host === 'docker.io' ? 'registry-1.docker.io' : ref.host;
}
function registryErrors(body) {
    try {
        const parsed = JSON.parse(body);
        return Array.isArray(parsed.errors) ? parsed.errors : [];
    }
    catch {
        return [];
    }
}
function describeHttp(r, what) {
    const o = r.outcome;
    if (o.error)
        return `${what}: ${o.error.code} during ${o.error.phase} (${o.error.message})`;
    const errors = registryErrors(r.body).map((e) => [e.code, e.message].filter(Boolean).join(': '));
    return `${what}: HTTP ${o.status}${errors.length ? ` (${errors.join('; ')})` : ''}`;
}
/** The outcome without its body: token responses carry secrets and never become evidence. */
function withoutBody(r) {
    const { body: _body, ...rest } = r.outcome;
    return rest;
}
const probes_form = (fields) => new URLSearchParams(Object.entries(fields).filter((e) => e[1] !== undefined)).toString();
/** Pull tokens for one run: refresh tokens per ACR and access tokens per repository, each fetched once. */
class PullTokens {
    deps;
    refresh = new Map();
    access = new Map();
    constructor(deps) {
        this.deps = deps;
    }
    forImage(host, repository, acr) {
        const key = `${host}|${repository}`;
        let t = this.access.get(key);
        if (!t) {
            t = acr ? this.acr(acr, repository) : this.anonymous(host, repository);
            this.access.set(key, t);
        }
        return t;
    }
    /**
     * Starts the token exchange for a login server before ARM has confirmed the registry: the image
     * references name their hosts up front, and the exchange is the first step of every image lookup.
     */
    prefetch(loginServer) {
        void this.refreshToken(loginServer, this.deps.armScope);
    }
    scopeFor(acr) {
        return acr.azureADAuthenticationAsArmPolicy?.toLowerCase() === 'disabled' ? ACR_AUDIENCE_SCOPE : this.deps.armScope;
    }
    refreshToken(loginServer, scope) {
        const key = `${loginServer.toLowerCase()}|${scope}`;
        let r = this.refresh.get(key);
        if (!r) {
            r = this.exchange(loginServer.toLowerCase(), scope);
            this.refresh.set(key, r);
        }
        return r;
    }
    async exchange(service, scope) {
        let entra;
        try {
            entra = await this.deps.entraToken(scope);
        }
        catch (err) {
            return { ok: false, lookup: { kind: 'denied', detail: `no Entra token for ${scope}: ${err.message}` } };
        }
        const r = await this.deps.http.request({
            method: 'POST',
            url: `https://${service}/oauth2/exchange`,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: probes_form({ grant_type: 'access_token', service, tenant: this.deps.tenantId, access_token: entra }),
            retry: true,
        });
        const token = r.outcome.status === 200 ? tokenIn(r.body, 'refresh_token') : undefined;
        if (token) {
            this.deps.secret(token);
            return { ok: true, token };
        }
        return { ok: false, lookup: failedTokenLookup(r, `exchanging the signed-in identity's Entra token at ${service}/oauth2/exchange`, true) };
    }
    async acr(acr, repository) {
        const refresh = await this.refreshToken(acr.loginServer, this.scopeFor(acr));
        if (!refresh.ok) {
            // An anonymous-pull registry still serves the image to anyone.
            if (acr.anonymousPullEnabled && refresh.lookup.kind === 'denied')
                return this.anonymous(acr.loginServer, repository);
            return { ok: false, lookup: refresh.lookup, auth: 'acr-exchange' };
        }
        const service = acr.loginServer.toLowerCase();
        const r = await this.deps.http.request({
            method: 'POST',
            url: `https://${service}/oauth2/token`,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: probes_form({ grant_type: 'refresh_token', service, scope: `repository:${repository}:pull`, refresh_token: refresh.token }),
            retry: true,
        });
        const token = r.outcome.status === 200 ? tokenIn(r.body, 'access_token') : undefined;
        if (token) {
            this.deps.secret(token);
            return { ok: true, token, auth: 'acr-exchange' };
        }
        return { ok: false, lookup: failedTokenLookup(r, `getting a pull token for ${repository} at ${service}/oauth2/token`, true), auth: 'acr-exchange' };
    }
    /** The anonymous flow: /v2/ tells where tokens come from; ask without credentials. */
    async anonymous(host, repository) {
        const probe = await probeEndpoint(this.deps, host);
        const status = probe.http.status;
        if (status === 200)
            return { ok: true, auth: 'none' };
        if (probe.http.error || status === undefined || status >= 500 || status === 429 || status === 403) {
            return { ok: false, lookup: { kind: 'unreachable', detail: describeHttp({ outcome: probe.http, body: probe.http.body ?? '' }, `GET https://${host}/v2/`), http: probe.http }, auth: 'anonymous' };
        }
        const realm = probe.challenge?.realm;
        if (status !== 401 || !realm) {
            const scheme = probe.http.headers?.['www-authenticate']?.split(/\s/)[0] ?? 'no';
            return { ok: false, lookup: { kind: 'needs-credentials', detail: `${host} answers /v2/ with HTTP ${status} and a ${scheme} challenge: it needs credentials`, status }, auth: 'anonymous' };
        }
        const url = new URL(realm);
        if (probe.challenge?.service)
            url.searchParams.set('service', probe.challenge.service);
        url.searchParams.set('scope', `repository:${repository}:pull`);
        const r = await this.deps.http.request({ method: 'GET', url: url.toString(), retry: true });
        const token = r.outcome.status === 200 ? (tokenIn(r.body, 'token') ?? tokenIn(r.body, 'access_token')) : undefined;
        if (token) {
            this.deps.secret(token);
            return { ok: true, token, auth: 'anonymous' };
        }
        return { ok: false, lookup: failedTokenLookup(r, `getting an anonymous pull token for ${repository} from ${url.origin}${url.pathname}`, false), auth: 'anonymous' };
    }
}
function tokenIn(body, field) {
    try {
        const value = JSON.parse(body)[field];
        return typeof value === 'string' && value ? value : undefined;
    }
    catch {
        return undefined;
    }
}
/** A refused or failed token request, as an ImageLookup. `acr`: refusals mean the signed-in identity lacks pull. */
function failedTokenLookup(r, what, acr) {
    const status = r.outcome.status;
    const detail = describeHttp(r, what);
    if (status === 401 || status === 403) {
        const blocked = blockedClientIp(r.body);
        if (blocked)
            return { kind: 'unreachable', detail: `${detail}: the registry firewall refuses the runner's IP ${blocked}`, http: withoutBody(r) };
        return acr ? { kind: 'denied', detail, status } : { kind: 'needs-credentials', detail, status };
    }
    return { kind: 'unreachable', detail, http: withoutBody(r) };
}
/** An index entry that is not an image: platform unknown/unknown, or marked as an attestation by buildx. */
function isAttestationEntry(m) {
    return (m.platform !== undefined && isAttestation(m.platform)) || m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest';
}
/** Looks an image up as the kubelet would: token, manifest, and the platforms it offers. */
async function lookupImage(deps, tokens, ref, acr) {
    const registryHost = registryHostOf(ref);
    const t = await tokens.forImage(registryHost, ref.repository, acr);
    const facts = (lookup) => ({ ref, registryHost, auth: t.auth, lookup });
    if (!t.ok)
        return facts(t.lookup);
    const auth = t.token ? { Authorization: `Bearer ${t.token}` } : {};
    const base = `https://${registryHost}/v2/${ref.repository}`;
    const reference = ref.digest ?? ref.tag ?? 'latest';
    const r = await deps.http.request({ method: 'GET', url: `${base}/manifests/${reference}`, headers: { ...auth, Accept: MANIFEST_ACCEPT }, retry: true });
    const status = r.outcome.status;
    if (status === 200)
        return facts(await foundManifest(deps, r, base, auth));
    const what = `GET ${base}/manifests/${reference}`;
    if (status === 404) {
        const codes = registryErrors(r.body).map((e) => e.code);
        if (codes.includes('NAME_UNKNOWN'))
            return facts({ kind: 'missing-repository', detail: describeHttp(r, what) });
        // MANIFEST_UNKNOWN for a missing tag and (on distribution) a missing repository alike: tags/list tells them apart.
        const tags = await deps.http.request({ method: 'GET', url: `${base}/tags/list`, headers: auth, retry: true });
        if (tags.outcome.status === 404)
            return facts({ kind: 'missing-repository', detail: describeHttp(tags, `GET ${base}/tags/list`) });
        const lookup = { kind: 'missing-tag', detail: describeHttp(r, what) };
        if (tags.outcome.status === 200) {
            try {
                const list = JSON.parse(tags.body).tags ?? [];
                lookup.tags = list.slice(0, 20);
            }
            catch {
                /* tags are a courtesy */
            }
        }
        return facts(lookup);
    }
    if (status === 401 || status === 403) {
        const blocked = blockedClientIp(r.body);
        if (blocked)
            return facts({ kind: 'unreachable', detail: `${describeHttp(r, what)}: the registry firewall refuses the runner's IP ${blocked}`, http: r.outcome });
        return facts(acr ? { kind: 'denied', detail: describeHttp(r, what), status } : { kind: 'needs-credentials', detail: describeHttp(r, what), status });
    }
    return facts({ kind: 'unreachable', detail: describeHttp(r, what), http: r.outcome });
}
async function foundManifest(deps, r, base, auth) {
    let body;
    try {
        body = JSON.parse(r.body);
    }
    catch {
        return { kind: 'unreachable', detail: `the manifest at ${r.outcome.url} is not JSON`, http: r.outcome };
    }
    const mediaType = body.mediaType ?? r.outcome.headers?.['content-type']?.split(';')[0]?.trim() ?? '';
    const digest = r.outcome.headers?.['docker-content-digest'];
    const found = (platforms, index) => ({ kind: 'found', mediaType, platforms, index, ...(digest && { digest }) });
    if (INDEX_TYPES.has(mediaType) || Array.isArray(body.manifests)) {
        const platforms = (body.manifests ?? []).filter((m) => m.platform && !isAttestationEntry(m)).map((m) => m.platform);
        return found(platforms, true);
    }
    const configDigest = body.config?.digest;
    if (!configDigest)
        return found([], false);
    const config = await deps.http.request({ method: 'GET', url: `${base}/blobs/${configDigest}`, headers: auth, retry: true, follow: true });
    if (config.outcome.status !== 200)
        return found([], false);
    try {
        const c = JSON.parse(config.body);
        if (!c.os || !c.architecture)
            return found([], false);
        const platform = { os: c.os, architecture: c.architecture };
        if (c.variant)
            platform.variant = c.variant;
        if (c['os.version'])
            platform['os.version'] = c['os.version'];
        return found([platform], false);
    }
    catch {
        return found([], false);
    }
}

;// CONCATENATED MODULE: ./src/engine.ts


















/** Reads a cluster and settles its kubelet's object ID (Graph, else the input). */
async function gatherCluster(clients, graph, config, ref) {
    const read = await readCluster(clients, ref);
    if (!read.ok)
        return { ref, facts: read.error.status === 404 ? { ok: true, value: undefined } : read };
    const facts = clusterFacts(read.value);
    const k = facts.kubelet;
    if (!k.objectId && k.source === 'servicePrincipal' && k.clientId) {
        const fromGraph = await graph.servicePrincipalObjectId(k.clientId);
        if (fromGraph.ok) {
            k.objectId = fromGraph.value;
            k.objectIdFrom = 'graph';
        }
        else if (config.kubeletObjectId) {
            k.objectId = config.kubeletObjectId;
            k.objectIdFrom = 'input';
        }
        else {
            k.objectIdError = fromGraph.error;
        }
    }
    return { ref, facts: { ok: true, value: facts } };
}
/** Reads what RBAC says about one principal on one registry. */
async function gatherRbac(rbac, registry, principalId) {
    const [roleAssignments, denyAssignments] = await Promise.all([rbac.roleAssignments(registry.id, principalId), rbac.denyAssignments(registry.id)]);
    const roleDefinitions = roleAssignments.ok ? await rbac.roleDefinitions(roleAssignments.value) : {};
    return { principalId, roleAssignments, denyAssignments, roleDefinitions };
}
/** The classic mistakes, read only after a first `fail`: a pull role on the wrong principal. */
async function gatherMisassignments(rbac, cluster, registry, facts) {
    const controlPlane = cluster.controlPlanePrincipalId;
    const clientId = cluster.kubelet.clientId;
    const [cp, cid] = await Promise.all([
        controlPlane ? rbac.roleAssignments(registry.id, controlPlane) : undefined,
        clientId && clientId !== facts.principalId ? rbac.roleAssignments(registry.id, clientId, 'principalId') : undefined,
    ]);
    const misassigned = {};
    if (controlPlane && cp)
        misassigned.controlPlane = { principalId: controlPlane, assignments: cp };
    if (clientId && cid)
        misassigned.clientIdAsObjectId = { principalId: clientId, assignments: cid };
    const found = [...(cp?.ok ? cp.value : []), ...(cid?.ok ? cid.value : [])];
    const extraDefinitions = await rbac.roleDefinitions(found);
    return { ...facts, misassigned, roleDefinitions: { ...extraDefinitions, ...facts.roleDefinitions } };
}
/** Runs a judge; a crash becomes an `unknown` finding instead of ending the run. */
function safely(fallback, judge) {
    try {
        return judge();
    }
    catch (err) {
        return { ...fallback, status: 'unknown', title: `Check ${fallback.id} crashed`, detail: `Internal error: ${err.message ?? String(err)}` };
    }
}
async function pullPermission(rbac, config, cluster, registry, now) {
    const images = config.images.filter((i) => i.host === registry.loginServer.toLowerCase());
    const base = { id: 'pull-permission', cluster: cluster.name, registry: registry.name };
    const principalId = cluster.kubelet.objectId;
    let facts = principalId ? await gatherRbac(rbac, registry, principalId) : undefined;
    const judge = () => safely(base, () => judgePullPermission({ cluster, registry, rbac: facts, images, now: now() }));
    let finding = judge();
    if (facts && needsMisassignmentDiagnosis(finding)) {
        facts = await gatherMisassignments(rbac, cluster, registry, facts);
        finding = judge();
    }
    return finding;
}
function skipped(id, cluster, registry, why) {
    const what = id === 'pull-permission' ? 'Pull permission' : 'Network path';
    return { id, cluster, registry, status: 'skip', title: `${what} of ${cluster} to ${registry} not checked`, detail: why, ...(id === 'registry-network' && { path: 'cluster' }) };
}
const sameHost = (a, b) => a.toLowerCase() === b.toLowerCase();
/** The images whose host is this registry's login server. */
function imagesOn(config, registry) {
    return config.images.filter((i) => sameHost(i.host, registry.loginServer));
}
/** The cluster's path to one registry, read from ARM: VNets always, egress addresses only when a firewall needs them. */
async function registryNetwork(net, config, cluster, registry) {
    const firewalled = registry.publicNetworkAccess?.toLowerCase() !== 'disabled' && registry.networkRuleSet?.defaultAction?.toLowerCase() === 'deny';
    const images = imagesOn(config, registry);
    const [vnets, egress, registryNet] = await Promise.all([net.vnets(cluster), firewalled ? net.egress(cluster) : undefined, net.registryNetwork(registry, images.length > 0)]);
    const clusterNet = {
        subnetIds: cluster.agentPools.flatMap((p) => (p.vnetSubnetID ? [p.vnetSubnetID] : [])),
        vnets,
    };
    if (cluster.outboundType)
        clusterNet.outboundType = cluster.outboundType;
    if (egress)
        clusterNet.egress = egress;
    const base = { id: 'registry-network', cluster: cluster.name, registry: registry.name, path: 'cluster' };
    return safely(base, () => judgeRegistryNetwork({ cluster, clusterNet, registry, registryNet, images }));
}
/** The runner's path to one registry: registry-dns and registry-endpoint. */
async function runnerPath(probe, net, registry, acrSuffix) {
    const replications = registry.dataEndpointEnabled ? await net.replications(registry) : undefined;
    const facts = await probeRegistry(probe, registry, dataEndpointHosts(registry, replications?.ok ? replications.value : []));
    const base = { registry: registry.name, path: 'runner' };
    return [
        safely({ ...base, id: 'registry-dns' }, () => judgeRegistryDns({ registry, answers: facts.dns, acrSuffix })),
        safely({ ...base, id: 'registry-endpoint' }, () => judgeRegistryEndpoint({ registry, dns: facts.dns[0], probe: facts.endpoint })),
    ];
}
async function runPreflight(config, deps) {
    const started = Date.now();
    const now = deps.now ?? (() => new Date());
    const log = deps.log ?? (() => { });
    const signal = AbortSignal.timeout(config.timeoutMs);
    const clients = new ArmClients(deps.credential, config, signal);
    const graph = new GraphClient(deps.credential, config.graphEndpoint, config.cloud.graphScope, signal);
    const rbac = new RbacReader(clients);
    // The network SDKs take a while to parse: let that happen while the sign-in request is in flight.
    void preloadNetworkSdks().catch(() => undefined);
    // Sign in once before anything else, so that a sign-in failure is reported once and plainly.
    log(`Signing in (${config.auth})`);
    // The sign-in may be shared with one the adapter started earlier: bound it by this run's budget too.
    const budget = new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    const signIn = await Promise.race([deps.credential.getToken(config.cloud.armScope, { abortSignal: signal }), budget]).then(() => undefined, (err) => toReadFailure(`signing in with auth '${config.auth}'`, err));
    const findings = [];
    const egress = new Map();
    const clusterOutcomes = [];
    const resolutions = [];
    if (signIn) {
        const detail = `${signIn.what} failed: ${signIn.message}`;
        for (const c of config.clusters)
            findings.push({ id: 'cluster', cluster: c.name, status: 'unknown', title: `Cluster ${c.name} could not be read`, detail });
        for (const r of config.registries)
            findings.push({ id: 'registry', registry: r.input, status: 'unknown', title: `Registry ${r.input} could not be resolved`, detail });
    }
    else {
        log(`Reading ${config.clusters.length} cluster(s) and ${config.registries.length} registry(ies)`);
        const net = new NetworkReader(clients);
        const dns = new SystemDnsResolver(config.dnsServers);
        const http = new RegistryHttp({ dns, connectTimeoutMs: config.connectTimeoutMs, signal, userAgent: `aks-acr-preflight/${deps.version}` });
        const probe = {
            dns,
            http,
            entraToken: async (scope) => (await deps.credential.getToken(scope, { abortSignal: signal }))?.token ?? '',
            armScope: config.cloud.armScope,
            secret: deps.secret ?? (() => { }),
            ...(config.tenantId && { tenantId: config.tenantId }),
        };
        const tokens = new PullTokens(probe);
        try {
            const clusterReads = config.clusters.map((ref) => gatherCluster(clients, graph, config, ref));
            const registryReads = resolveRegistries(clients, config.registries, config.subscriptionId);
            const resolved = (c) => (c.facts.ok && c.facts.value ? c.facts.value : undefined);
            // Each pair starts as soon as its own cluster and registry are known.
            const pairChecks = (id) => clusterReads.flatMap((clusterRead) => registryReads.map(async (registryRead) => {
                const [c, r] = await Promise.all([clusterRead, registryRead]);
                const cluster = resolved(c);
                const cName = cluster?.name ?? c.ref.name;
                const rName = r.registry.ok && r.registry.value ? r.registry.value.name : r.ref.input;
                if (!cluster)
                    return skipped(id, cName, rName, `The cluster ${c.ref.name} could not be resolved (see the cluster check).`);
                if (!r.registry.ok || !r.registry.value)
                    return skipped(id, cName, rName, `The registry ${r.ref.input} could not be resolved (see the registry check).`);
                return id === 'pull-permission' ? pullPermission(rbac, config, cluster, r.registry.value, now) : registryNetwork(net, config, cluster, r.registry.value);
            }));
            const permissions = pairChecks('pull-permission');
            const networks = pairChecks('registry-network');
            // The runner's path starts as soon as each registry is resolved.
            const runner = registryReads.map(async (registryRead) => {
                const r = await registryRead;
                return r.registry.ok && r.registry.value ? runnerPath(probe, net, r.registry.value, config.cloud.acrSuffix) : [];
            });
            // The token exchange for ACR-hosted images starts now, alongside the ARM reads that confirm the registry.
            const inputHosts = new Set(config.registries.map((r) => (r.kind === 'loginServer' ? r.loginServer : `${r.name}.${config.cloud.acrSuffix}`).toLowerCase()));
            const acrHosts = new Set(config.images.map((i) => i.host).filter((h) => inputHosts.has(h)));
            for (const host of acrHosts)
                tokens.prefetch(host);
            const images = config.images.map(async (ref) => {
                const all = await Promise.all(registryReads);
                const input = all.find((r) => {
                    const v = r.registry.ok ? r.registry.value : undefined;
                    return v ? sameHost(v.loginServer, ref.host) : r.ref.kind === 'loginServer' && sameHost(r.ref.loginServer, ref.host);
                });
                const acr = input?.registry.ok ? input.registry.value : undefined;
                const base = { id: 'image', image: ref.input, registry: acr?.name ?? ref.host, path: 'runner' };
                if (input && !acr)
                    return { ...base, status: 'skip', title: `Image ${ref.input} not checked`, detail: `The registry ${input.ref.input} could not be resolved (see the registry check).` };
                const [facts, clusters] = await Promise.all([lookupImage(probe, tokens, ref, acr), Promise.all(clusterReads)]);
                const readClusters = clusters.flatMap((c) => resolved(c) ?? []);
                return safely(base, () => judgeImage({ image: facts, clusters: readClusters, ...(acr && { registry: acr }) }));
            });
            clusterOutcomes.push(...(await Promise.all(clusterReads)));
            resolutions.push(...(await Promise.all(registryReads)));
            for (const c of clusterOutcomes)
                findings.push(safely({ id: 'cluster', cluster: c.ref.name }, () => judgeCluster(c.ref, c.facts)));
            for (const r of resolutions)
                findings.push(safely({ id: 'registry', registry: r.ref.input }, () => judgeRegistry(r)));
            findings.push(...(await Promise.all(permissions)));
            findings.push(...(await Promise.all(networks)));
            findings.push(...(await Promise.all(runner)).flat());
            findings.push(...(await Promise.all(images)));
            for (const r of resolutions) {
                const registry = r.registry.ok ? r.registry.value : undefined;
                if (!registry)
                    continue;
                const replications = await net.replications(registry);
                egress.set(registry.id, egressHosts(registry, replications.ok ? replications.value : []));
            }
        }
        finally {
            http.close();
        }
    }
    const clusters = clusterOutcomes.flatMap((c) => (c.facts.ok && c.facts.value ? [c.facts.value] : []));
    const registries = resolutions.flatMap((r) => (r.registry.ok && r.registry.value ? [r.registry.value] : []));
    return {
        schemaVersion: 1,
        tool: { name: 'aks-acr-preflight', version: deps.version },
        result: (0,verdict/* verdictOf */.V)(findings),
        durationMs: Date.now() - started,
        clusters: clusters.map((c) => ({
            id: c.id,
            name: c.name,
            location: c.location,
            kubeletIdentity: { source: c.kubelet.source, objectId: c.kubelet.objectId, clientId: c.kubelet.clientId, resourceId: c.kubelet.resourceId },
        })),
        registries: registries.map((r) => ({ id: r.id, name: r.name, loginServer: r.loginServer, ...(egress.has(r.id) && { egressHosts: egress.get(r.id) }) })),
        checks: findings,
    };
}


/***/ })

};
