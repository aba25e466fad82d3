// @ts-check
// Scope arithmetic and $filter parsing as ARM does them: case-insensitive, on whole path segments,
// with a management group above every subscription it contains and the tenant root `/` above all.

/** @typedef {import('./fixtures.js').World} World */

const MANAGEMENT_GROUP = /^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/i;
const SUBSCRIPTION = /^\/subscriptions\/([^/]+)/i;

/** @param {string} scope a normalised request path prefix; '' is the tenant root */
export function normaliseScope(scope) {
  const trimmed = scope.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** @param {string} scope @returns {string | undefined} the subscription ID in the scope, if any */
export function subscriptionOf(scope) {
  return SUBSCRIPTION.exec(scope)?.[1];
}

/** @param {string} a @param {string} b */
export function sameId(a, b) {
  return a.toLowerCase() === b.toLowerCase();
}

/** @param {string} prefix @param {string} scope true when `prefix` is `scope` or one of its path-segment ancestors */
function segmentPrefix(prefix, scope) {
  const p = prefix.toLowerCase();
  const s = scope.toLowerCase();
  return s === p || s.startsWith(`${p}/`);
}

/** @param {World} world @param {string} groupId @param {string} subscriptionId */
function managementGroupContains(world, groupId, subscriptionId) {
  return world.managementGroups.some(
    (mg) => sameId(mg.id, groupId) && mg.subscriptions.some((s) => sameId(s, subscriptionId)),
  );
}

/**
 * Is `outer` the same scope as `inner` or above it?
 * @param {World} world @param {string} outer @param {string} inner
 */
export function atOrAbove(world, outer, inner) {
  if (outer === '/' || segmentPrefix(outer, inner)) return true;
  const subscriptionId = subscriptionOf(inner);
  return MANAGEMENT_GROUP.test(outer) && subscriptionId !== undefined && managementGroupContains(world, outer, subscriptionId);
}

/**
 * At, above or below: on the same branch of the hierarchy.
 * @param {World} world @param {string} a @param {string} b
 */
export function related(world, a, b) {
  return atOrAbove(world, a, b) || atOrAbove(world, b, a);
}

/**
 * The principal and every group that contains it, directly or through other groups (lower-case IDs).
 * @param {World} world @param {string} principalId
 */
function principalAndGroups(world, principalId) {
  const ids = new Set([principalId.toLowerCase()]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [groupId, members] of Object.entries(world.groups)) {
      const group = groupId.toLowerCase();
      if (!ids.has(group) && members.some((m) => ids.has(m.toLowerCase()))) {
        ids.add(group);
        grew = true;
      }
    }
  }
  return ids;
}

/**
 * What a role-assignment $filter selects: `range` relative to the request scope, and (when the filter
 * names a principal) the set of principal IDs that match. `undefined` for a filter ARM rejects.
 * @typedef {{ range: 'atOrAbove' | 'related', principals?: Set<string> }} AssignmentSelection
 * @param {World} world @param {string | undefined} filter
 * @returns {AssignmentSelection | undefined}
 */
export function parseRoleAssignmentFilter(world, filter) {
  const f = (filter ?? '').trim();
  if (f === '') return { range: 'related' };
  if (/^atScope\(\)$/i.test(f)) return { range: 'atOrAbove' };
  let m = /^assignedTo\('([^']+)'\)$/i.exec(f);
  if (m?.[1]) return { range: 'related', principals: principalAndGroups(world, m[1]) };
  m = /^principalId\s+eq\s+'([^']+)'$/i.exec(f);
  if (m?.[1]) return { range: 'related', principals: new Set([m[1].toLowerCase()]) };
  m = /^atScope\(\)\s+and\s+assignedTo\('([^']+)'\)$/i.exec(f) ?? /^assignedTo\('([^']+)'\)\s+and\s+atScope\(\)$/i.exec(f);
  if (m?.[1]) return { range: 'atOrAbove', principals: principalAndGroups(world, m[1]) };
  return undefined;
}

/** The principal ID ARM uses for "Everyone" in deny assignments. */
export const EVERYONE = '00000000-0000-0000-0000-000000000000';

/**
 * What a deny-assignment $filter selects. `principalId eq` matches deny assignments that name the
 * principal or Everyone among their principals (exclusions are the caller's business, as in ARM).
 * @typedef {{ range: 'atOrAbove' | 'related', principal?: string, name?: string }} DenySelection
 * @param {string | undefined} filter
 * @returns {DenySelection | undefined}
 */
export function parseDenyAssignmentFilter(filter) {
  const f = (filter ?? '').trim();
  if (f === '') return { range: 'related' };
  if (/^atScope\(\)$/i.test(f)) return { range: 'atOrAbove' };
  let m = /^principalId\s+eq\s+'([^']+)'$/i.exec(f);
  if (m?.[1]) return { range: 'related', principal: m[1].toLowerCase() };
  m = /^denyAssignmentName\s+eq\s+'([^']+)'$/i.exec(f);
  if (m?.[1]) return { range: 'related', name: m[1] };
  return undefined;
}

/**
 * Role-definition list filters: `roleName eq '…'`, `type eq '…'`, or none.
 * @param {string | undefined} filter
 * @returns {{ roleName?: string, type?: string } | undefined}
 */
export function parseRoleDefinitionFilter(filter) {
  const f = (filter ?? '').trim();
  if (f === '') return {};
  let m = /^roleName\s+eq\s+'([^']+)'$/i.exec(f);
  if (m?.[1]) return { roleName: m[1] };
  m = /^type\s+eq\s+'([^']+)'$/i.exec(f);
  if (m?.[1]) return { type: m[1] };
  return undefined;
}
