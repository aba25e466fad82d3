// @ts-check
// Microsoft Graph routes of the fake: service principals by appId, the one lookup the checker needs
// to turn a service-principal cluster's client ID into an object ID.
import { STATUS_CODES } from 'node:http';
import { normaliseAudience } from './sign-in.js';
import { sameId } from './scopes.js';

/** @typedef {import('./server.js').Ctx} Ctx */
/** @typedef {import('./server.js').Reply} Reply */
/** @typedef {import('./server.js').Route} Route */

/** Graph's error body. @param {Ctx} ctx @param {number} status @param {string} code @param {string} message @returns {Reply} */
function graphError(ctx, status, code, message) {
  return {
    status,
    body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': ctx.requestId, 'client-request-id': ctx.requestId } } },
  };
}

/** @param {Ctx} ctx @param {string} message */
function unauthorized(ctx, message) {
  const reply = graphError(ctx, 401, 'InvalidAuthenticationToken', message);
  return { ...reply, headers: { 'WWW-Authenticate': `Bearer realm="", authorization_uri="${ctx.baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"` } };
}

/** Every Graph call needs a token this fake issued for the Graph audience. @param {Ctx} ctx @returns {Reply | undefined} */
export function graphGuard(ctx) {
  if (ctx.bearer === undefined) return unauthorized(ctx, 'Access token is empty.');
  if (!ctx.caller || ctx.caller.kind === 'github') return unauthorized(ctx, 'Access token validation failure.');
  if (normaliseAudience(ctx.caller.audience) !== normaliseAudience(ctx.world.graphAudience)) {
    return unauthorized(ctx, 'Access token validation failure. Invalid audience.');
  }
  return undefined;
}

/** The body an injected fault gets when the test gave none. @param {Ctx} ctx @param {number} status */
export function graphFaultReply(ctx, status) {
  if (status === 403) return graphError(ctx, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  const text = STATUS_CODES[status] ?? `HTTP ${status}`;
  return graphError(ctx, status, text.replace(/[^A-Za-z]/g, ''), text);
}

/** @param {{ id: string, appId: string, displayName: string, servicePrincipalType?: string }} sp */
function servicePrincipalBody(sp) {
  return { id: sp.id, appId: sp.appId, displayName: sp.displayName, servicePrincipalType: sp.servicePrincipalType ?? 'Application' };
}

/** @param {Ctx} ctx @param {string} appId */
function byAppId(ctx, appId) {
  return ctx.world.servicePrincipals.filter((sp) => sameId(sp.appId, appId));
}

/** GET /v1.0/servicePrincipals(appId='{appId}') @param {Ctx} ctx @returns {Reply} */
function getByAppId(ctx) {
  const appId = ctx.match[1] ?? '';
  const [found] = byAppId(ctx, appId);
  if (!found) {
    return graphError(ctx, 404, 'Request_ResourceNotFound', `Resource 'servicePrincipals(appId='${appId}')' does not exist or one of its queried reference-property objects are not present.`);
  }
  return { status: 200, body: { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#servicePrincipals/$entity`, ...servicePrincipalBody(found) } };
}

/** GET /v1.0/servicePrincipals?$filter=appId eq '{appId}' @param {Ctx} ctx @returns {Reply} */
function listServicePrincipals(ctx) {
  const filter = ctx.param('$filter') ?? '';
  const appId = /^appId\s+eq\s+'([^']+)'$/i.exec(filter.trim())?.[1];
  if (appId === undefined) return graphError(ctx, 400, 'BadRequest', `Invalid filter clause: '${filter}' is not supported by this fake.`);
  return {
    status: 200,
    body: { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#servicePrincipals`, value: byAppId(ctx, appId).map(servicePrincipalBody) },
  };
}

/** @type {Route[]} */
export const graphRoutes = [
  { name: 'graph.servicePrincipals.getByAppId', family: 'graph', method: 'GET', pattern: /^\/v1\.0\/servicePrincipals\(appId='([^']*)'\)$/i, handle: getByAppId },
  { name: 'graph.servicePrincipals.list', family: 'graph', method: 'GET', pattern: /^\/v1\.0\/servicePrincipals$/i, handle: listServicePrincipals },
];
