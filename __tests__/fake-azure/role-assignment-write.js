// @ts-check
// The one write the fake ARM takes, as the 2022-04-01 authorization API does it:
// PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{guid} with
// { properties: { roleDefinitionId, principalId, principalType?, condition?, conditionVersion? } }.
//   201 with the created assignment (RoleAssignments_CreateForResource.json's shape), added to the world;
//   409 RoleAssignmentExists when the principal already holds that role at that scope (nothing added);
//   403 AuthorizationFailed when the caller holds no role that grants Microsoft.Authorization/
//       roleAssignments/write at or above the scope (actions and notActions with wildcards, through groups;
//       a conditioned assignment of the caller counts only for the roles its condition names, the way
//       Role Based Access Control Administrator is limited);
//   400 for a name that is not a GUID or a body without roleDefinitionId/principalId, 404 for an
//       unknown role definition.
// Propagation: `delayListing(world, n)` keeps each new assignment out of the role-assignment listings
// that ask for its principal, for the first n of them, as ARM's replicas lag behind a write;
// `propagating(world, assignment, n)` puts one there that exists already (a PUT of it gets 409).
import { armError, armFaultReply, armRoutes } from './arm.js';
import { roleAssignment } from './fixtures.js';
import { atOrAbove, normaliseScope, parseRoleAssignmentFilter, sameId } from './scopes.js';

/** @typedef {import('./server.js').Ctx} Ctx */
/** @typedef {import('./server.js').Reply} Reply */
/** @typedef {import('./server.js').Route} Route */
/** @typedef {import('./fixtures.js').World} World */
/** @typedef {import('./fixtures.js').Json} Json */

const WRITE = 'Microsoft.Authorization/roleAssignments/write';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** @type {WeakMap<World, { listingsToWait: number, pending: { assignment: Json, listingsLeft: number }[], received: { path: string, body: string }[] }>} */
const PROPAGATION = new WeakMap();

/** @param {World} world */
function propagation(world) {
  let p = PROPAGATION.get(world);
  if (!p) PROPAGATION.set(world, (p = { listingsToWait: 0, pending: [], received: [] }));
  return p;
}

/** Every role-assignment PUT this world received, path and body as sent (the fake's requests record no bodies). @param {World} world */
export function receivedWrites(world) {
  return propagation(world).received;
}

/**
 * New assignments stay out of role-assignment listings for their first `listings` listings.
 * @param {World} world @param {number} listings
 */
export function delayListing(world, listings) {
  propagation(world).listingsToWait = listings;
}

/**
 * An assignment that exists but is not listed yet: the next n listings that ask for its principal miss it.
 * @param {World} world @param {Json} assignment @param {number} listings
 */
export function propagating(world, assignment, listings) {
  propagation(world).pending.push({ assignment, listingsLeft: listings });
}

/** @param {string} id */
const lastSegment = (id) => id.split('/').filter(Boolean).pop() ?? '';

/** Does an `actions` pattern (with `*` wildcards, case-insensitive) match the operation? @param {string} pattern @param {string} operation */
function matches(pattern, operation) {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 'i').test(operation);
}

/** @param {Json | undefined} definition @param {string} operation */
function grants(definition, operation) {
  return (definition?.properties.permissions ?? []).some(
    (/** @type {{ actions?: string[], notActions?: string[] }} */ p) =>
      (p.actions ?? []).some((a) => matches(a, operation)) && !(p.notActions ?? []).some((a) => matches(a, operation)),
  );
}

/** The caller's object ID, as arm.js finds it: its service principal, else its client ID. @param {Ctx} ctx */
function callerObjectId(ctx) {
  const clientId = ctx.caller?.clientId ?? '';
  return ctx.world.servicePrincipals.find((sp) => sameId(sp.appId, clientId))?.id ?? clientId;
}

/** May the caller write role assignments of this role at this scope? @param {Ctx} ctx @param {string} scope @param {string} roleGuid */
function mayWrite(ctx, scope, roleGuid) {
  const principals = parseRoleAssignmentFilter(ctx.world, `assignedTo('${callerObjectId(ctx)}')`)?.principals ?? new Set();
  return ctx.world.roleAssignments.some((a) => {
    const p = a.properties;
    if (!principals.has(String(p.principalId).toLowerCase()) || !atOrAbove(ctx.world, p.scope, scope)) return false;
    if (p.condition && !String(p.condition).toLowerCase().includes(roleGuid.toLowerCase())) return false;
    return grants(ctx.world.roleDefinitions.find((d) => sameId(String(d.name), lastSegment(String(p.roleDefinitionId)))), WRITE);
  });
}

/** PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{name} @param {Ctx} ctx @returns {Reply} */
function createRoleAssignment(ctx) {
  const scope = normaliseScope(ctx.match[1] ?? '');
  const name = ctx.match[2] ?? '';
  const state = propagation(ctx.world);
  state.received.push({ path: ctx.path, body: ctx.body });
  if (!GUID.test(name)) return armError(400, 'InvalidRoleAssignmentId', `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`);
  /** @type {Json} */
  let body;
  try {
    body = JSON.parse(ctx.body || '{}');
  } catch {
    return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  }
  const { roleDefinitionId, principalId, principalType, condition, conditionVersion } = body.properties ?? {};
  if (typeof roleDefinitionId !== 'string' || typeof principalId !== 'string') {
    return armError(400, 'InvalidRoleAssignmentRequest', 'The request must name properties.roleDefinitionId and properties.principalId.');
  }
  const roleGuid = lastSegment(roleDefinitionId);
  if (!mayWrite(ctx, scope, roleGuid)) return armFaultReply(ctx, 403);
  if (!ctx.world.roleDefinitions.some((d) => sameId(String(d.name), roleGuid))) {
    return armError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${roleGuid}' does not exist.`);
  }
  const held = [...ctx.world.roleAssignments, ...state.pending.map((p) => p.assignment)].some(
    (a) => sameId(a.properties.principalId, principalId) && sameId(lastSegment(a.properties.roleDefinitionId), roleGuid) && sameId(normaliseScope(a.properties.scope), scope),
  );
  if (held) return armError(409, 'RoleAssignmentExists', 'The role assignment already exists.');
  const created = roleAssignment({
    scope,
    roleDefinitionGuid: roleGuid,
    principalId,
    ...(principalType && { principalType }),
    ...(condition && { condition, conditionVersion }),
    createdOn: new Date().toISOString(),
    name,
  });
  if (state.listingsToWait > 0) state.pending.push({ assignment: created, listingsLeft: state.listingsToWait });
  else ctx.world.roleAssignments.push(created);
  return { status: 201, body: created };
}

const LIST = armRoutes.find((r) => r.name === 'arm.roleAssignments.list');
if (!LIST) throw new Error('arm.js has no arm.roleAssignments.list route');

/** The listing of arm.js, after counting it against the assignments still propagating. @param {Ctx} ctx @returns {Reply} */
function listAfterPropagation(ctx) {
  const state = propagation(ctx.world);
  const filter = (ctx.param('$filter') ?? '').toLowerCase();
  for (const p of [...state.pending]) {
    if (!filter.includes(String(p.assignment.properties.principalId).toLowerCase())) continue;
    if (p.listingsLeft-- > 0) continue;
    ctx.world.roleAssignments.push(p.assignment);
    state.pending.splice(state.pending.indexOf(p), 1);
  }
  return /** @type {Route} */ (LIST).handle(ctx);
}

/** Listed before armRoutes in server.js: the listing route here wraps arm.js's own. @type {Route[]} */
export const roleAssignmentWriteRoutes = [
  { name: 'arm.roleAssignments.create', family: 'arm', method: 'PUT', pattern: /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments\/([^/]+)$/i, handle: createRoleAssignment },
  { ...LIST, handle: listAfterPropagation },
];
