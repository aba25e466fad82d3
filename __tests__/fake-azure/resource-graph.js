// @ts-check
// Azure Resource Graph of the fake: POST /providers/Microsoft.ResourceGraph/resources answering, from
// the same `world`, the small part of KQL the checker sends (a table, `where` on =~ and in~ joined by
// `or`, `project` with renames), in the 2024-04-01 shapes: { totalRecords, count, resultTruncated,
// $skipToken?, data }. Paging by $skipToken works only when the query projects `id`; otherwise a
// result longer than a page comes back with resultTruncated "true" and no $skipToken, as Resource Graph
// does. Management-group role assignments appear only when the request names managementGroups; those
// above the given scopes only with authorizationScopeFilter AtScopeAndAbove / AtScopeAboveAndBelow.
import { armError } from './arm.js';
import { sameId, subscriptionOf } from './scopes.js';

/** @typedef {import('./server.js').Ctx} Ctx */
/** @typedef {import('./server.js').Reply} Reply */
/** @typedef {import('./server.js').Route} Route */
/** @typedef {import('./fixtures.js').World} World */
/** @typedef {import('./fixtures.js').Json} Json */

const MG = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)$/i;
const MAX_TOP = 1000;

/** @param {string} message @returns {Reply} */
function badQuery(message) {
  return { status: 400, body: { error: { code: 'BadRequest', message: 'Please provide below info when asking for support: timestamp, correlation id.', details: [{ code: 'InvalidQuery', message }] } } };
}

/** Splits on `sep` outside single-quoted strings and parentheses. @param {string} text @param {RegExp} sep */
function splitOutside(text, sep) {
  /** @type {string[]} */
  const parts = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0) {
      sep.lastIndex = i;
      const m = sep.exec(text);
      if (m && m.index === i) {
        parts.push(text.slice(start, i));
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/** @param {string} literal a KQL string literal */
function unquote(literal) {
  const m = /^'((?:[^'\\]|\\.)*)'$/.exec(literal.trim());
  if (!m) throw new Error(`not a string literal: ${literal}`);
  return (m[1] ?? '').replace(/\\(.)/g, '$1');
}

/** The value at a dotted path (`properties.principalId`). @param {Json} row @param {string} path */
function at(row, path) {
  return path.split('.').reduce((/** @type {any} */ v, key) => (v === null || typeof v !== 'object' ? undefined : v[key]), row);
}

/** @param {string} condition @returns {(row: Json) => boolean} */
function predicate(condition) {
  const terms = splitOutside(condition, / or /y).map((term) => {
    let m = /^([\w.]+)\s*=~\s*('.*')$/.exec(term);
    if (m) {
      const path = m[1] ?? '';
      const value = unquote(m[2] ?? '');
      return (/** @type {Json} */ row) => String(at(row, path) ?? '').toLowerCase() === value.toLowerCase();
    }
    m = /^([\w.]+)\s+in~\s*\((.*)\)$/.exec(term);
    if (m) {
      const path = m[1] ?? '';
      const values = new Set(splitOutside(m[2] ?? '', /,/y).filter(Boolean).map((v) => unquote(v).toLowerCase()));
      return (/** @type {Json} */ row) => values.has(String(at(row, path) ?? '').toLowerCase());
    }
    throw new Error(`unsupported where clause: ${term}`);
  });
  return (row) => terms.some((t) => t(row));
}

/** @param {string} list @returns {{ columns: string[], apply: (row: Json) => Json }} */
function projection(list) {
  const columns = splitOutside(list, /,/y).map((c) => {
    const m = /^(?:(\w+)\s*=\s*)?([\w.]+)$/.exec(c);
    if (!m) throw new Error(`unsupported project column: ${c}`);
    return { name: m[1] ?? m[2] ?? '', path: m[2] ?? '' };
  });
  return { columns: columns.map((c) => c.name), apply: (row) => Object.fromEntries(columns.map((c) => [c.name, at(row, c.path) ?? null])) };
}

/** @param {string} id */
function resourceGroupOf(id) {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '';
}

/** @param {Json} body a resource body from the world */
function resourceRow(body) {
  const id = String(body.id);
  return { ...body, type: String(body.type ?? '').toLowerCase(), resourceGroup: resourceGroupOf(id).toLowerCase(), subscriptionId: subscriptionOf(id) ?? '', tags: body.tags ?? {} };
}

/** The rows of a table and the scope each row lives at (for the request's scopes). @param {World} world @param {string} table @returns {{ row: Json, scope: string }[] | undefined} */
function table(world, table) {
  switch (table.toLowerCase()) {
    case 'resources':
      return [...world.clusters, ...world.registries].map((b) => ({ row: resourceRow(b), scope: String(b.id) }));
    case 'resourcecontainers':
      return world.subscriptions.map((s) => {
        const chain = world.managementGroups.filter((mg) => mg.subscriptions.some((x) => sameId(x, s.subscriptionId))).map((mg) => {
          const name = MG.exec(mg.id)?.[1] ?? mg.id;
          return { name, displayName: name };
        });
        const id = `/subscriptions/${s.subscriptionId}`;
        return { row: { id, name: s.displayName, type: 'microsoft.resources/subscriptions', subscriptionId: s.subscriptionId, tenantId: s.tenantId, properties: { managementGroupAncestorsChain: chain } }, scope: id };
      });
    case 'authorizationresources':
      return world.roleAssignments.map((a) => ({
        row: { id: a.id, name: a.name, type: 'microsoft.authorization/roleassignments', subscriptionId: subscriptionOf(String(a.properties.scope)) ?? '', properties: a.properties },
        scope: String(a.properties.scope),
      }));
    default:
      return undefined;
  }
}

/**
 * Which scopes a row at `scope` is visible from: the request's subscriptions (else every subscription of
 * the tenant) and, only when given, management groups with the subscriptions under them.
 * @param {World} world @param {Json} request @returns {(scope: string) => boolean}
 */
function visibility(world, request) {
  const groups = Array.isArray(request.managementGroups) ? request.managementGroups.map((g) => String(g).toLowerCase()) : undefined;
  const filter = String(request.options?.authorizationScopeFilter ?? 'AtScopeAndBelow');
  const above = /Above/i.test(filter);
  const groupSubs = (world.managementGroups ?? [])
    .filter((mg) => groups?.includes((MG.exec(mg.id)?.[1] ?? '').toLowerCase()))
    .flatMap((mg) => mg.subscriptions.map((s) => s.toLowerCase()));
  const subs = groups ? groupSubs : Array.isArray(request.subscriptions) ? request.subscriptions.map((s) => String(s).toLowerCase()) : world.subscriptions.map((s) => s.subscriptionId.toLowerCase());
  return (scope) => {
    const mg = MG.exec(scope);
    if (mg) return groups !== undefined && groups.includes((mg[1] ?? '').toLowerCase());
    if (scope === '/' || scope === '') return groups !== undefined && above;
    return subs.includes((subscriptionOf(scope) ?? '').toLowerCase());
  };
}

/** @param {number} offset @param {string} query */
const token = (offset, query) => Buffer.from(JSON.stringify({ offset, length: query.length })).toString('base64url');

/** POST /providers/Microsoft.ResourceGraph/resources @param {Ctx} ctx @returns {Reply} */
function query(ctx) {
  /** @type {Json} */
  let request;
  try {
    request = JSON.parse(ctx.body || '{}');
  } catch {
    return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  }
  const text = String(request.query ?? '');
  const [source = '', ...ops] = splitOutside(text, /\|/y);
  const rows = table(ctx.world, source);
  if (!rows) return badQuery(`Table '${source}' could not be found.`);
  const visible = visibility(ctx.world, request);
  /** @type {Json[]} */
  let data = rows.filter((r) => visible(r.scope)).map((r) => r.row);
  let projectsId = true;
  try {
    for (const op of ops) {
      const m = /^(\w+)\s+([\s\S]*)$/.exec(op);
      if (m?.[1] === 'where') data = data.filter(predicate(m[2] ?? ''));
      else if (m?.[1] === 'project') {
        const p = projection(m[2] ?? '');
        projectsId = p.columns.includes('id');
        data = data.map(p.apply);
      } else throw new Error(`unsupported operator: ${op}`);
    }
  } catch (err) {
    return badQuery(err instanceof Error ? err.message : String(err));
  }
  data.sort((a, b) => String(a.id ?? '').localeCompare(String(b.id ?? '')));
  const options = request.options ?? {};
  const page = Math.min(Number(options.$top ?? 100) || 100, MAX_TOP, ctx.pageSize);
  let offset = 0;
  if (options.$skipToken !== undefined) {
    try {
      offset = Number(JSON.parse(Buffer.from(String(options.$skipToken), 'base64url').toString()).offset);
    } catch {
      offset = NaN;
    }
    if (!Number.isInteger(offset)) return badQuery('The $skipToken is not valid.');
  }
  const slice = data.slice(offset, offset + page);
  const more = offset + page < data.length;
  /** @type {Json} */
  const body = { totalRecords: data.length, count: slice.length, resultTruncated: more && !projectsId ? 'true' : 'false', data: slice, facets: [] };
  if (more && projectsId) body.$skipToken = token(offset + page, text);
  return { status: 200, body };
}

/** @type {Route[]} */
export const resourceGraphRoutes = [{ name: 'resourceGraph.resources', family: 'arm', method: 'POST', pattern: /^\/providers\/Microsoft\.ResourceGraph\/resources$/i, handle: query }];
