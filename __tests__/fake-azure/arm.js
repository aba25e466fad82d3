// @ts-check
// Azure Resource Manager routes of the fake, with ARM's semantics: bearer tokens for the ARM audience,
// a required api-version, SubscriptionNotFound / ResourceGroupNotFound / ResourceNotFound, role and
// deny assignments filtered and paged the way the 2022-04-01 authorization API does it, and GET/list of
// the network, private DNS and registry child resources kept in `world.resources`.
import { STATUS_CODES } from 'node:http';
import { normaliseAudience } from './sign-in.js';
import {
  atOrAbove,
  EVERYONE,
  normaliseScope,
  parseDenyAssignmentFilter,
  parseRoleAssignmentFilter,
  parseRoleDefinitionFilter,
  related,
  sameId,
  subscriptionOf,
} from './scopes.js';

/** @typedef {import('./server.js').Ctx} Ctx */
/** @typedef {import('./server.js').Reply} Reply */
/** @typedef {import('./server.js').Route} Route */
/** @typedef {import('./fixtures.js').Json} Json */

const RESOURCE_NOT_FOUND_FIX = 'For more details please go to https://aka.ms/ARMResourceNotFoundFix';

/** @param {number} status @param {string} code @param {string} message @param {Record<string, string>} [headers] @returns {Reply} */
export function armError(status, code, message, headers) {
  return { status, body: { error: { code, message } }, ...(headers && { headers }) };
}

/** @param {Ctx} ctx @param {string} code @param {string} message */
function unauthorized(ctx, code, message) {
  const challenge = `Bearer authorization_uri="${ctx.baseUrl}/", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`;
  return armError(401, code, message, { 'WWW-Authenticate': challenge });
}

/** @param {string} subscriptionId */
function subscriptionNotFound(subscriptionId) {
  return armError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
}

/** @param {string} resourceGroup */
function resourceGroupNotFound(resourceGroup) {
  return armError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
}

/**
 * ResourceNotFound for a resource path, in ARM's words; a plain NotFound for anything else.
 * @param {string} path normalised request path
 */
function notFound(path) {
  const m = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/(.+)$/i.exec(path);
  if (m) {
    const [, resourceGroup, namespace, rest] = m;
    return armError(404, 'ResourceNotFound', `The Resource '${namespace}/${rest}' under resource group '${resourceGroup}' was not found. ${RESOURCE_NOT_FOUND_FIX}`);
  }
  return armError(404, 'NotFound', `The resource '${path}' was not found.`);
}

const VERBS = /** @type {Record<string, string>} */ ({ GET: 'read', HEAD: 'read', PUT: 'write', PATCH: 'write', DELETE: 'delete', POST: 'action' });

/**
 * The permission a request needs and the scope it is checked at, e.g. GET {registry}/providers/
 * Microsoft.Authorization/roleAssignments → Microsoft.Authorization/roleAssignments/read over {registry}.
 * @param {string} method @param {string} path normalised
 */
function requiredPermission(method, path) {
  const verb = VERBS[method] ?? 'action';
  const at = path.toLowerCase().lastIndexOf('/providers/');
  const segments = (at < 0 ? path : path.slice(at + '/providers/'.length)).split('/').filter(Boolean);
  const namespace = at < 0 ? 'Microsoft.Resources' : segments.shift() ?? '';
  const action = [namespace, ...segments.filter((_, i) => i % 2 === 0), verb].join('/');
  if (segments.length % 2 === 0) return { action, scope: path };
  // a collection is checked at its parent
  const parent = path.slice(0, path.lastIndexOf('/')).replace(/\/providers\/[^/]+$/i, '');
  return { action, scope: parent || '/' };
}

/** @param {Ctx} ctx */
function callerObjectId(ctx) {
  const clientId = ctx.caller?.clientId ?? '';
  return ctx.world.servicePrincipals.find((sp) => sameId(sp.appId, clientId))?.id ?? clientId;
}

/** 403 AuthorizationFailed for this request, naming the caller, the action and the scope as ARM does. @param {Ctx} ctx */
function authorizationFailed(ctx) {
  const { action, scope } = requiredPermission(ctx.method, ctx.path);
  return armError(
    403,
    'AuthorizationFailed',
    `The client '${ctx.caller?.clientId ?? ''}' with object id '${callerObjectId(ctx)}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

/**
 * The body an injected fault gets when the test gave none.
 * @param {Ctx} ctx @param {number} status @returns {Reply}
 */
export function armFaultReply(ctx, status) {
  switch (status) {
    case 401:
      return unauthorized(ctx, 'InvalidAuthenticationToken', 'The access token is invalid.');
    case 403:
      return authorizationFailed(ctx);
    case 404:
      return notFound(ctx.path);
    case 429:
      return armError(429, 'TooManyRequests', 'The request is being throttled as the limit has been reached for operation type - Read. For more information, refer to - https://aka.ms/srpthrottlinglimits');
    case 500:
      return armError(500, 'InternalServerError', `Encountered internal server error. Diagnostic information: timestamp '${new Date().toISOString()}', tracking id '${ctx.requestId}', request correlation id '${ctx.correlationId}'.`);
    default:
      return armError(status, (STATUS_CODES[status] ?? `Status${status}`).replace(/[^A-Za-z]/g, ''), STATUS_CODES[status] ?? `HTTP ${status}`);
  }
}

/**
 * Sign-in and request checks every ARM call passes first: a bearer token this fake issued for the ARM
 * audience, an api-version, and a subscription that exists in the token's tenant.
 * @param {Ctx} ctx @returns {Reply | undefined}
 */
export function armGuard(ctx) {
  if (ctx.bearer === undefined) return unauthorized(ctx, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
  const caller = ctx.caller;
  if (!caller || caller.kind === 'github') return unauthorized(ctx, 'InvalidAuthenticationToken', 'The access token is invalid.');
  const expected = ctx.world.armAudience.replace(/\/+$/, '');
  if (normaliseAudience(caller.audience) !== normaliseAudience(expected)) {
    return unauthorized(
      ctx,
      'InvalidAuthenticationTokenAudience',
      `The access token has been obtained for wrong audience or resource '${caller.audience}'. It should exactly match with one of the allowed audiences '${expected}/','${expected}'.`,
    );
  }
  if (!ctx.param('api-version')) {
    return armError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
  }
  const subscriptionId = subscriptionOf(ctx.path);
  if (subscriptionId === undefined) return undefined;
  const subscription = ctx.world.subscriptions.find((s) => sameId(s.subscriptionId, subscriptionId));
  if (!subscription) return subscriptionNotFound(subscriptionId);
  if (caller.tenantId && !sameId(subscription.tenantId, caller.tenantId)) {
    return unauthorized(
      ctx,
      'InvalidAuthenticationTokenTenant',
      `The access token is from the wrong issuer 'https://sts.windows.net/${caller.tenantId}/'. It must match the tenant 'https://sts.windows.net/${subscription.tenantId}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${subscription.tenantId}' to get the token.`,
    );
  }
  return undefined;
}

/** @param {number} offset */
function skipToken(offset) {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

/**
 * A page of `items` as ARM lists them: `{ value, nextLink? }`, nextLink an absolute URL to this server
 * carrying the same query and a $skipToken.
 * @param {Ctx} ctx @param {unknown[]} items @returns {Reply}
 */
function paged(ctx, items) {
  const token = ctx.param('$skipToken');
  const offset = token === undefined ? 0 : Number(/^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString())?.[1] ?? NaN);
  if (!Number.isInteger(offset)) return armError(400, 'InvalidSkipToken', `The skip token '${token}' is not valid.`);
  const end = offset + ctx.pageSize;
  /** @type {{ value: unknown[], nextLink?: string }} */
  const body = { value: items.slice(offset, end) };
  if (end < items.length) {
    const kept = ctx.rawQuery.split('&').filter((part) => part !== '' && !/^(\$|%24)skiptoken=/i.test(part));
    body.nextLink = `${ctx.baseUrl}${ctx.path}?${[...kept, `$skipToken=${skipToken(end)}`].join('&')}`;
  }
  return { status: 200, body };
}

/** @param {Json[]} resources @param {string} subscriptionId @param {string} [resourceGroup] */
function inContainer(resources, subscriptionId, resourceGroup) {
  const prefix = `/subscriptions/${subscriptionId}/${resourceGroup === undefined ? '' : `resourceGroups/${resourceGroup}/`}`.toLowerCase();
  return resources.filter((r) => String(r.id).toLowerCase().startsWith(prefix));
}

/** Every resource of the world with an id: clusters, registries and the generic `resources`. @param {Ctx} ctx @returns {Json[]} */
function everyResource(ctx) {
  return [...ctx.world.clusters, ...ctx.world.registries, ...ctx.world.resources];
}

/** A resource group exists when something in the world lives in it. @param {Ctx} ctx @param {string} subscriptionId @param {string} resourceGroup */
function resourceGroupExists(ctx, subscriptionId, resourceGroup) {
  return inContainer(everyResource(ctx), subscriptionId, resourceGroup).length > 0;
}

/**
 * GET of one resource by subscription, group and name.
 * @param {(ctx: Ctx) => Json[]} collection @returns {(ctx: Ctx) => Reply}
 */
function getResource(collection) {
  return (ctx) => {
    const [, subscriptionId = '', resourceGroup = ''] = ctx.match;
    const found = collection(ctx).find((r) => sameId(String(r.id), ctx.path));
    if (found) return { status: 200, body: found };
    if (!resourceGroupExists(ctx, subscriptionId, resourceGroup)) return resourceGroupNotFound(resourceGroup);
    return notFound(ctx.path);
  };
}

/**
 * List of resources in a subscription or resource group.
 * @param {(ctx: Ctx) => Json[]} collection @returns {(ctx: Ctx) => Reply}
 */
function listResources(collection) {
  return (ctx) => {
    const [, subscriptionId = '', resourceGroup] = ctx.match;
    if (resourceGroup !== undefined && !resourceGroupExists(ctx, subscriptionId, resourceGroup)) return resourceGroupNotFound(resourceGroup);
    return paged(ctx, inContainer(collection(ctx), subscriptionId, resourceGroup));
  };
}

/**
 * Child collections ARM serves from inside their parent's body as well: a VNet's `properties.subnets`, a
 * registry's `properties.privateEndpointConnections`. GET and list of such children see these entries
 * besides the child resources stored in `world.resources`.
 * @type {Record<string, string>} child type, lower-case → property of the parent's `properties`
 */
const EMBEDDED = { subnets: 'subnets', privateendpointconnections: 'privateEndpointConnections' };

/** The private DNS record types, as they appear in record-set ids and paths. */
const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'PTR', 'SOA', 'SRV', 'TXT'];

/** @param {string} id @returns {string} the id without its last segment */
const parentOf = (id) => id.slice(0, id.lastIndexOf('/'));

/** @param {Json} parent @param {string} childType @returns {Json[]} */
function embeddedChildren(parent, childType) {
  const property = EMBEDDED[childType.toLowerCase()];
  const entries = property ? parent.properties?.[property] : undefined;
  return Array.isArray(entries) ? entries : [];
}

/**
 * Any resource or child resource of the world by id, case-insensitively.
 * @param {Ctx} ctx @param {string} id @returns {Json | undefined}
 */
function findById(ctx, id) {
  const found = everyResource(ctx).find((r) => sameId(String(r.id), id));
  if (found) return found;
  const m = /^(.+)\/([^/]+)\/[^/]+$/.exec(id);
  if (!m?.[1] || !m[2] || !EMBEDDED[m[2].toLowerCase()]) return undefined;
  const parent = everyResource(ctx).find((r) => sameId(String(r.id), m[1] ?? ''));
  return parent && embeddedChildren(parent, m[2]).find((c) => sameId(String(c.id), id));
}

/**
 * The children of `parent` of one type: those in `world.resources` whose id is `{parent id}/{type}/{name}`,
 * after those embedded in the parent's body.
 * @param {Ctx} ctx @param {Json} parent @param {string} childType @returns {Json[]}
 */
function childrenOf(ctx, parent, childType) {
  const collection = `${String(parent.id)}/${childType}`.toLowerCase();
  const stored = ctx.world.resources.filter((r) => parentOf(String(r.id)).toLowerCase() === collection);
  const storedIds = new Set(stored.map((r) => String(r.id).toLowerCase()));
  return [...embeddedChildren(parent, childType).filter((c) => !storedIds.has(String(c.id).toLowerCase())), ...stored];
}

/** The top-level resource a resource path belongs to, e.g. the VNet of a subnet. @param {string} path */
function topLevelOf(path) {
  return /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+/i.exec(path)?.[0] ?? path;
}

/**
 * 404 for a resource path that is not in the world, as ARM words it: ResourceGroupNotFound, else
 * ResourceNotFound naming the missing top-level resource (the parent of a child), else the resource itself.
 * @param {Ctx} ctx @param {string} path @returns {Reply}
 */
function missing(ctx, path) {
  const [, subscriptionId = '', resourceGroup = ''] = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)/i.exec(path) ?? [];
  if (!resourceGroupExists(ctx, subscriptionId, resourceGroup)) return resourceGroupNotFound(resourceGroup);
  const top = topLevelOf(path);
  if (top !== path && !findById(ctx, top)) return notFound(top);
  return notFound(path);
}

/** GET of any resource or child resource in the world by its id (the request path). @param {Ctx} ctx @returns {Reply} */
function getById(ctx) {
  const found = findById(ctx, ctx.path);
  return found ? { status: 200, body: found } : missing(ctx, ctx.path);
}

/** @param {string} id @returns {string | undefined} e.g. microsoft.network/virtualnetworks for a top-level resource id */
function topLevelType(id) {
  return /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/([^/]+\/[^/]+)\/[^/]+$/i.exec(id)?.[1]?.toLowerCase();
}

/** List of the top-level resources of one type (from the path) in a subscription or resource group. @param {Ctx} ctx @returns {Reply} */
function listByType(ctx) {
  const [, subscriptionId = '', resourceGroup] = ctx.match;
  if (resourceGroup !== undefined && !resourceGroupExists(ctx, subscriptionId, resourceGroup)) return resourceGroupNotFound(resourceGroup);
  const at = ctx.path.toLowerCase().lastIndexOf('/providers/');
  const type = ctx.path.slice(at + '/providers/'.length).toLowerCase();
  return paged(ctx, inContainer(ctx.world.resources, subscriptionId, resourceGroup).filter((r) => topLevelType(String(r.id)) === type));
}

/** List of the children of one type of a resource (GET {parent id}/{type}). @param {Ctx} ctx @returns {Reply} */
function listChildren(ctx) {
  const parentId = parentOf(ctx.path);
  const parent = findById(ctx, parentId);
  if (!parent) return missing(ctx, parentId);
  return paged(ctx, childrenOf(ctx, parent, ctx.path.slice(parentId.length + 1)));
}

/** GET {zone}/ALL: every record set of a private DNS zone, of any type (recordSets.list). @param {Ctx} ctx @returns {Reply} */
function listAllRecordSets(ctx) {
  const zoneId = parentOf(ctx.path);
  const zone = findById(ctx, zoneId);
  if (!zone) return missing(ctx, zoneId);
  return paged(ctx, RECORD_TYPES.flatMap((type) => childrenOf(ctx, zone, type)));
}

/** @param {{ subscriptionId: string, displayName: string, state: string, tenantId: string }} s */
function subscriptionBody(s) {
  return { id: `/subscriptions/${s.subscriptionId}`, subscriptionId: s.subscriptionId, displayName: s.displayName, state: s.state, tenantId: s.tenantId };
}

/** GET /subscriptions: those of the token's tenant. @param {Ctx} ctx */
function listSubscriptions(ctx) {
  const tenantId = ctx.caller?.tenantId ?? '';
  return paged(ctx, ctx.world.subscriptions.filter((s) => sameId(s.tenantId, tenantId)).map(subscriptionBody));
}

/** GET /subscriptions/{s} (existence already checked by the guard). @param {Ctx} ctx @returns {Reply} */
function getSubscription(ctx) {
  const found = ctx.world.subscriptions.find((s) => sameId(s.subscriptionId, ctx.match[1] ?? ''));
  return found ? { status: 200, body: subscriptionBody(found) } : subscriptionNotFound(ctx.match[1] ?? '');
}

/** @param {Ctx} ctx */
function requestScope(ctx) {
  return normaliseScope(ctx.match[1] ?? '');
}

/** @param {string} filter */
function invalidFilter(filter) {
  return armError(400, 'InvalidFilter', `The filter '${filter}' is not supported.`);
}

/** GET {scope}/providers/Microsoft.Authorization/roleAssignments[?$filter=…] @param {Ctx} ctx */
function listRoleAssignments(ctx) {
  const scope = requestScope(ctx);
  const filter = ctx.param('$filter');
  const selection = parseRoleAssignmentFilter(ctx.world, filter);
  if (!selection) return invalidFilter(filter ?? '');
  const inRange = selection.range === 'atOrAbove' ? atOrAbove : related;
  const items = ctx.world.roleAssignments.filter(
    (a) =>
      inRange(ctx.world, a.properties.scope, scope) &&
      (!selection.principals || selection.principals.has(String(a.properties.principalId).toLowerCase())),
  );
  return paged(ctx, items);
}

/**
 * A role definition as ARM returns it at a scope: built-in roles read under a subscription carry that
 * subscription in their id.
 * @param {Json} definition @param {string} scope
 */
function definitionAt(definition, scope) {
  const subscriptionId = subscriptionOf(scope);
  if (definition.properties.type !== 'BuiltInRole' || subscriptionId === undefined) return definition;
  return { ...definition, id: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${definition.name}` };
}

/** GET {scope}/providers/Microsoft.Authorization/roleDefinitions/{guid} @param {Ctx} ctx @returns {Reply} */
function getRoleDefinition(ctx) {
  const guid = ctx.match[2] ?? '';
  const found = ctx.world.roleDefinitions.find((d) => sameId(String(d.name), guid));
  if (!found) return armError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${guid}' does not exist.`);
  return { status: 200, body: definitionAt(found, requestScope(ctx)) };
}

/** GET {scope}/providers/Microsoft.Authorization/roleDefinitions[?$filter=roleName eq '…' | type eq '…'] @param {Ctx} ctx */
function listRoleDefinitions(ctx) {
  const scope = requestScope(ctx);
  const filter = ctx.param('$filter');
  const selection = parseRoleDefinitionFilter(filter);
  if (!selection) return invalidFilter(filter ?? '');
  const items = ctx.world.roleDefinitions.filter(
    (d) =>
      d.properties.assignableScopes.some((/** @type {string} */ s) => atOrAbove(ctx.world, s, scope)) &&
      (selection.roleName === undefined || sameId(d.properties.roleName, selection.roleName)) &&
      (selection.type === undefined || sameId(d.properties.type, selection.type)),
  );
  return paged(ctx, items.map((d) => definitionAt(d, scope)));
}

/** GET {scope}/providers/Microsoft.Authorization/denyAssignments[?$filter=…] @param {Ctx} ctx */
function listDenyAssignments(ctx) {
  const scope = requestScope(ctx);
  const filter = ctx.param('$filter');
  const selection = parseDenyAssignmentFilter(filter);
  if (!selection) return invalidFilter(filter ?? '');
  const inRange = selection.range === 'atOrAbove' ? atOrAbove : related;
  const { principal, name } = selection;
  const items = ctx.world.denyAssignments.filter(
    (d) =>
      inRange(ctx.world, d.properties.scope, scope) &&
      (principal === undefined ||
        d.properties.principals.some((/** @type {{ id: string }} */ p) => [principal, EVERYONE].includes(p.id.toLowerCase()))) &&
      (name === undefined || sameId(d.properties.denyAssignmentName, name)),
  );
  return paged(ctx, items);
}

const SUB = '/subscriptions/([^/]+)';
const RG = '/resourceGroups/([^/]+)';
const AUTHZ = '^(.*)/providers/Microsoft\\.Authorization';

/** @param {string} source */
const re = (source) => new RegExp(source, 'i');

/** @param {Ctx} ctx */
const clusters = (ctx) => ctx.world.clusters;
/** @param {Ctx} ctx */
const registries = (ctx) => ctx.world.registries;

/** @type {Route[]} */
export const armRoutes = [
  { name: 'arm.subscriptions.list', family: 'arm', method: 'GET', pattern: /^\/subscriptions$/i, handle: listSubscriptions },
  { name: 'arm.subscriptions.get', family: 'arm', method: 'GET', pattern: re(`^${SUB}$`), handle: getSubscription },
  { name: 'arm.managedClusters.list', family: 'arm', method: 'GET', pattern: re(`^${SUB}(?:${RG})?/providers/Microsoft\\.ContainerService/managedClusters$`), handle: listResources(clusters) },
  { name: 'arm.managedClusters.get', family: 'arm', method: 'GET', pattern: re(`^${SUB}${RG}/providers/Microsoft\\.ContainerService/managedClusters/[^/]+$`), handle: getResource(clusters) },
  { name: 'arm.registries.list', family: 'arm', method: 'GET', pattern: re(`^${SUB}(?:${RG})?/providers/Microsoft\\.ContainerRegistry/registries$`), handle: listResources(registries) },
  { name: 'arm.registries.get', family: 'arm', method: 'GET', pattern: re(`^${SUB}${RG}/providers/Microsoft\\.ContainerRegistry/registries/[^/]+$`), handle: getResource(registries) },
  { name: 'arm.roleAssignments.list', family: 'arm', method: 'GET', pattern: re(`${AUTHZ}/roleAssignments$`), handle: listRoleAssignments },
  { name: 'arm.roleDefinitions.get', family: 'arm', method: 'GET', pattern: re(`${AUTHZ}/roleDefinitions/([^/]+)$`), handle: getRoleDefinition },
  { name: 'arm.roleDefinitions.list', family: 'arm', method: 'GET', pattern: re(`${AUTHZ}/roleDefinitions$`), handle: listRoleDefinitions },
  { name: 'arm.denyAssignments.list', family: 'arm', method: 'GET', pattern: re(`${AUTHZ}/denyAssignments$`), handle: listDenyAssignments },
  ...resourceRoutes(),
];

/**
 * GET and list routes of the resources kept in `world.resources` (and of the children embedded in
 * their parents): the network and private DNS resources, and the registry child resources.
 * @returns {Route[]}
 */
function resourceRoutes() {
  const NET = '/providers/Microsoft\\.Network';
  const NAME = '[^/]+';
  /** @type {Route[]} */
  const routes = [];
  /** @param {string} name @param {string} source @param {(ctx: Ctx) => Reply} handle */
  const add = (name, source, handle) => routes.push({ name, family: 'arm', method: 'GET', pattern: re(source), handle });
  for (const type of ['publicIPAddresses', 'publicIPPrefixes', 'natGateways', 'virtualNetworks', 'privateEndpoints', 'networkInterfaces', 'privateDnsZones']) {
    add(`arm.${type}.list`, `^${SUB}(?:${RG})?${NET}/${type}$`, listByType);
    add(`arm.${type}.get`, `^${SUB}${RG}${NET}/${type}/${NAME}$`, getById);
  }
  const children = [
    [`${NET}/virtualNetworks/${NAME}`, 'subnets'],
    [`${NET}/privateEndpoints/${NAME}`, 'privateDnsZoneGroups'],
    [`${NET}/privateDnsZones/${NAME}`, 'virtualNetworkLinks'],
    [`/providers/Microsoft\\.ContainerRegistry/registries/${NAME}`, 'replications'],
    [`/providers/Microsoft\\.ContainerRegistry/registries/${NAME}`, 'cacheRules'],
    [`/providers/Microsoft\\.ContainerRegistry/registries/${NAME}`, 'privateEndpointConnections'],
  ];
  for (const [parent, type] of children) {
    add(`arm.${type}.list`, `^${SUB}${RG}${parent}/${type}$`, listChildren);
    add(`arm.${type}.get`, `^${SUB}${RG}${parent}/${type}/${NAME}$`, getById);
  }
  const zone = `^${SUB}${RG}${NET}/privateDnsZones/${NAME}`;
  const recordType = `(?:${RECORD_TYPES.join('|')})`;
  add('arm.recordSets.list', `${zone}/ALL$`, listAllRecordSets);
  add('arm.recordSets.listByType', `${zone}/${recordType}$`, listChildren);
  add('arm.recordSets.get', `${zone}/${recordType}/${NAME}$`, getById);
  return routes;
}
