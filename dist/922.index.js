export const id = 922;
export const ids = [922];
export const modules = {

/***/ 6922:
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
const sameId = (a, b) => a.toLowerCase() === b.toLowerCase();
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
            grants.push({ assignment: a, role, via: sameId(a.principalId, rbac.principalId) ? 'direct' : 'group', ops, limit, settled });
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
    const isKubelet = (p) => sameId(p.id, principalId);
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
            const mistaken = pulls && !BROAD_ROLES.has(roleGuidOf(a.roleDefinitionId)) && sameId(a.principalId, m.principalId) && scopeApplies(a.scope, registry.id);
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
function skipped(cluster, registry, why) {
    return { id: 'pull-permission', cluster, registry, status: 'skip', title: `Pull permission of ${cluster} on ${registry} not checked`, detail: why };
}
async function runPreflight(config, deps) {
    const started = Date.now();
    const now = deps.now ?? (() => new Date());
    const log = deps.log ?? (() => { });
    const signal = AbortSignal.timeout(config.timeoutMs);
    const clients = new ArmClients(deps.credential, config, signal);
    const graph = new GraphClient(deps.credential, config.graphEndpoint, config.cloud.graphScope, signal);
    const rbac = new RbacReader(clients);
    // Sign in once before anything else, so that a sign-in failure is reported once and plainly.
    log(`Signing in (${config.auth})`);
    // The sign-in may be shared with one the adapter started earlier: bound it by this run's budget too.
    const budget = new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    const signIn = await Promise.race([deps.credential.getToken(config.cloud.armScope, { abortSignal: signal }), budget]).then(() => undefined, (err) => toReadFailure(`signing in with auth '${config.auth}'`, err));
    const findings = [];
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
        const clusterReads = config.clusters.map((ref) => gatherCluster(clients, graph, config, ref));
        const registryReads = resolveRegistries(clients, config.registries, config.subscriptionId);
        // Each pair starts as soon as its own cluster and registry are known.
        const pairs = clusterReads.flatMap((clusterRead) => registryReads.map(async (registryRead) => {
            const [c, r] = await Promise.all([clusterRead, registryRead]);
            const cName = c.facts.ok && c.facts.value ? c.facts.value.name : c.ref.name;
            const rName = r.registry.ok && r.registry.value ? r.registry.value.name : r.ref.input;
            if (!c.facts.ok || !c.facts.value)
                return skipped(cName, rName, `The cluster ${c.ref.name} could not be resolved (see the cluster check).`);
            if (!r.registry.ok || !r.registry.value)
                return skipped(cName, rName, `The registry ${r.ref.input} could not be resolved (see the registry check).`);
            return pullPermission(rbac, config, c.facts.value, r.registry.value, now);
        }));
        clusterOutcomes.push(...(await Promise.all(clusterReads)));
        resolutions.push(...(await Promise.all(registryReads)));
        for (const c of clusterOutcomes)
            findings.push(safely({ id: 'cluster', cluster: c.ref.name }, () => judgeCluster(c.ref, c.facts)));
        for (const r of resolutions)
            findings.push(safely({ id: 'registry', registry: r.ref.input }, () => judgeRegistry(r)));
        findings.push(...(await Promise.all(pairs)));
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
        registries: registries.map((r) => ({ id: r.id, name: r.name, loginServer: r.loginServer })),
        checks: findings,
    };
}


/***/ })

};
