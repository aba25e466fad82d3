// @ts-check
// A fake of the Azure endpoints aks-acr-preflight talks to (Entra ID, GitHub OIDC, managed identity,
// ARM, Microsoft Graph), served over HTTPS on loopback from a mutable `world`. It records every
// request (never a token value), lets tests inject faults and latency, and remembers every token it
// issued so tests can assert none leaks.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { URLSearchParams } from 'node:url';
import { armError, armFaultReply, armGuard, armRoutes } from './arm.js';
import { emptyWorld } from './fixtures.js';
import { graphFaultReply, graphGuard, graphRoutes } from './graph.js';
import { resourceGraphRoutes } from './resource-graph.js';
import { roleAssignmentWriteRoutes } from './role-assignment-write.js';
import { runCommandRoutes } from './run-command.js';
import { entraError, signInRoutes, TokenStore } from './sign-in.js';

/** @typedef {import('./fixtures.js').World} World */
/** @typedef {import('./sign-in.js').TokenInfo} TokenInfo */

/**
 * What a route handler sees.
 * @typedef {object} Ctx
 * @property {string} method upper-case
 * @property {string} path normalised: repeated slashes collapsed, no trailing slash, segments percent-decoded
 * @property {string} rawQuery the query string as sent, without the '?'
 * @property {(name: string) => string | undefined} param a query parameter by case-insensitive name (first value)
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string} body the request body as text
 * @property {(string | undefined)[]} match the route pattern's match on `path`
 * @property {string | undefined} bearer the bearer token sent, if any
 * @property {TokenInfo | undefined} caller what the fake knows of that token (undefined if it never issued it)
 * @property {World} world
 * @property {TokenStore} tokens
 * @property {string} baseUrl e.g. https://127.0.0.1:41234
 * @property {number} pageSize
 * @property {string} requestId this response's x-ms-request-id
 * @property {string} correlationId this response's x-ms-correlation-request-id
 */

/** @typedef {{ status: number, body?: unknown, headers?: Record<string, string> }} Reply */
/** @typedef {'entra' | 'github' | 'managedIdentity' | 'arm' | 'graph'} Family */
/** @typedef {{ name: string, family: Family, method: string, pattern: RegExp, handle: (ctx: Ctx) => Reply }} Route */

/**
 * An injected fault. Matching faults take precedence over normal handling, first added first.
 * @typedef {object} FaultRule
 * @property {string} [method] any method when absent
 * @property {string | RegExp} [path] a path (normalised, compared case-insensitively) or a pattern tested on the normalised path; required unless `route`
 * @property {string} [route] the name of the route it applies to (e.g. 'arm.registries.get'), with `path` or instead of it
 * @property {RegExp} [query] tested on the raw query string
 * @property {number} [status] required unless `reset`
 * @property {Record<string, string>} [headers] e.g. { 'Retry-After': '1' }
 * @property {unknown} [body] JSON value or text, or a function of the request's Ctx returning one; by default the error body the matched service would send
 * @property {number} [times] how many requests it applies to (default: all)
 * @property {number} [delayMs] extra delay before the answer
 * @property {boolean} [reset] destroy the connection without answering
 * @property {boolean} [stall] accept the request and never answer (until the client gives up or the fake stops)
 * @property {boolean} [truncate] answer as usual, but close the connection halfway through the body (a page cut short)
 * @property {(reply: Reply, ctx: Ctx) => Reply} [rewrite] answer as usual, changed by this function (e.g. a nextLink pointing back)
 */

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path normalised
 * @property {Record<string, string>} query decoded, first value per name
 * @property {string} host the Host header
 * @property {string} authorization the scheme of the Authorization header, lower-case ('bearer', 'basic'), or 'none'
 * @property {string | undefined} audience the audience of the fake-issued token used, if any
 * @property {string} route the name of the route that answered, or 'unhandled'
 * @property {number} status the status sent; 0 while in flight or when the connection was reset
 * @property {number} startedAt performance.now() on arrival
 * @property {number} endedAt performance.now() when answered (NaN while in flight)
 * @property {string} [body] the request body, for a POST (e.g. a Resource Graph query)
 */

/**
 * @typedef {object} FakeAzureOptions
 * @property {string} cert server certificate: a PEM file path or PEM text
 * @property {string} key its private key: a PEM file path or PEM text
 * @property {World} [world] initial state (default: emptyWorld())
 * @property {number} [latencyMs] delay of every response (default 0)
 * @property {number} [pageSize] items per page of every list (default 100)
 * @property {string} [host] loopback address to listen on (default 127.0.0.1)
 * @property {number} [port] default 0: any free port
 */

/** @type {Route[]} */
const ROUTES = [...signInRoutes, ...roleAssignmentWriteRoutes, ...armRoutes, ...graphRoutes, ...resourceGraphRoutes, ...runCommandRoutes];

/** @type {Partial<Record<Family, (ctx: Ctx) => Reply | undefined>>} */
const GUARDS = { arm: armGuard, graph: graphGuard };

/** @param {string} value */
function pem(value) {
  return value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
}

/** @param {string} segment */
function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Collapses repeated slashes (`//subscriptions/…`) as ARM does, drops a trailing slash, decodes segments. @param {string} rawPath */
function normalisePath(rawPath) {
  return `/${rawPath.split('/').filter(Boolean).map(decodeSegment).join('/')}`;
}

/** @param {string} url the request target as sent */
function splitTarget(url) {
  const q = url.indexOf('?');
  return q < 0 ? { path: normalisePath(url), rawQuery: '' } : { path: normalisePath(url.slice(0, q)), rawQuery: url.slice(q + 1) };
}

/** The first value of each query parameter. @param {string} rawQuery @returns {Record<string, string>} */
function firstValues(rawQuery) {
  /** @type {Record<string, string>} */
  const values = {};
  for (const [name, value] of new URLSearchParams(rawQuery)) if (!Object.hasOwn(values, name)) values[name] = value;
  return values;
}

/** Lookup by case-insensitive name (the first of names differing only in case wins). @param {Record<string, string>} query @returns {(name: string) => string | undefined} */
function caseInsensitiveLookup(query) {
  const byName = new Map(Object.entries(query).reverse().map(([name, value]) => [name.toLowerCase(), value]));
  return (name) => byName.get(name.toLowerCase());
}

/** @param {string | undefined} header */
function parseAuthorization(header) {
  const m = /^(\S+)(?:\s+(.*))?$/.exec(header?.trim() ?? '');
  if (!m?.[1]) return { scheme: 'none', bearer: undefined };
  const scheme = m[1].toLowerCase();
  return { scheme, bearer: scheme === 'bearer' ? (m[2] ?? '') : undefined };
}

/** @param {import('node:http').IncomingMessage} req */
async function readBody(req) {
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** @param {FaultRule} rule @param {string} method @param {string} path @param {string} rawQuery @param {string} routeName */
function faultMatches(rule, method, path, rawQuery, routeName) {
  if (rule.method && rule.method.toUpperCase() !== method) return false;
  if (rule.route !== undefined && rule.route !== routeName) return false;
  if (rule.query) {
    rule.query.lastIndex = 0;
    if (!rule.query.test(rawQuery)) return false;
  }
  if (rule.path === undefined) return true;
  if (typeof rule.path === 'string') return normalisePath(rule.path).toLowerCase() === path.toLowerCase();
  rule.path.lastIndex = 0;
  return rule.path.test(path);
}

/** The error body the matched service sends for `status`. @param {Ctx} ctx @param {Family | undefined} family @param {number} status @returns {Reply} */
function defaultFaultReply(ctx, family, status) {
  switch (family) {
    case 'graph':
      return graphFaultReply(ctx, status);
    case 'entra':
      return status === 429 || status >= 500
        ? entraError(ctx, status, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.')
        : entraError(ctx, status, 'invalid_request', 90014, 'Injected by a test fault.');
    case 'github':
    case 'managedIdentity':
      return { status, body: { statusCode: status, message: STATUS_CODES[status] ?? `HTTP ${status}` } };
    default:
      return armFaultReply(ctx, status);
  }
}

/** @param {import('node:http').ServerResponse} res @param {Reply} reply @param {Ctx} ctx */
function send(res, reply, ctx) {
  const isText = typeof reply.body === 'string';
  const payload = reply.body === undefined ? '' : isText ? String(reply.body) : JSON.stringify(reply.body);
  if (payload !== '') res.setHeader('Content-Type', isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.setHeader('x-ms-request-id', ctx.requestId);
  res.setHeader('x-ms-correlation-request-id', ctx.correlationId);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.writeHead(reply.status);
  res.end(payload);
}

export class FakeAzure {
  /** the state served; replace it or mutate it freely */
  world;
  /** delay of every response, in milliseconds */
  latencyMs;
  /** items per page of every list */
  pageSize;
  /** ARM-like throttling (./throttling.js), off when undefined */
  throttling = /** @type {import('./throttling.js').Throttling | undefined} */ (undefined);
  /** every request received, in arrival order */
  requests = /** @type {RecordedRequest[]} */ ([]);
  /** base URL, e.g. https://127.0.0.1:41234 */
  url = '';
  #tokens = new TokenStore();
  /** @type {{ rule: FaultRule, remaining: number }[]} */
  #faults = [];
  /** @type {https.Server | undefined} */
  #server;

  /** @param {FakeAzureOptions} options */
  constructor(options) {
    this.world = options.world ?? emptyWorld();
    this.latencyMs = options.latencyMs ?? 0;
    this.pageSize = options.pageSize ?? 100;
  }

  /** every token string the fake ever issued (access tokens, GitHub ID tokens, managed-identity tokens) */
  get issuedTokens() {
    return this.#tokens.issued;
  }

  /**
   * What the fake knows of a token it issued (access tokens, GitHub ID tokens, managed-identity tokens),
   * e.g. so that a fake registry can validate the Entra token it is handed; undefined for any other string.
   * Tokens stay known across reset(), as issuedTokens do.
   * @param {string} token
   * @returns {{ clientId: string | undefined, tenantId: string | undefined, audience: string, kind: TokenInfo['kind'] } | undefined}
   */
  identify(token) {
    const info = this.#tokens.lookup(token);
    return info && { clientId: info.clientId, tenantId: info.tenantId, audience: info.audience, kind: info.kind };
  }

  /** @param {FaultRule} rule */
  addFault(rule) {
    if (!rule.reset && !rule.stall && !rule.truncate && !rule.rewrite && rule.status === undefined) throw new Error('addFault: a rule needs a status, or reset, stall, truncate or rewrite');
    if (rule.path === undefined && rule.route === undefined) throw new Error('addFault: a rule needs a path or a route');
    this.#faults.push({ rule, remaining: rule.times ?? Infinity });
  }

  /**
   * Replaces the world and clears faults and recorded requests. Issued tokens stay valid (and listed in
   * issuedTokens), as real ones do: MSAL caches managed-identity tokens process-wide, across credential
   * instances, so an in-process test would otherwise present a token the fake had forgotten.
   * @param {World} [world]
   */
  reset(world = emptyWorld()) {
    this.world = world;
    this.#faults.length = 0;
    this.requests.length = 0;
  }

  /** Closes the server and every open connection. */
  async stop() {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  /**
   * Starts a fake on loopback.
   * @param {FakeAzureOptions} options
   */
  static async start(options) {
    const fake = new FakeAzure(options);
    await fake.#listen({ cert: pem(options.cert), key: pem(options.key) }, options.host ?? '127.0.0.1', options.port ?? 0);
    return fake;
  }

  /** @param {{ cert: string, key: string }} tls @param {string} host @param {number} port */
  async #listen(tls, host, port) {
    if (!/^(127\.\d+\.\d+\.\d+|localhost)$/.test(host)) throw new Error(`the fake Azure listens on loopback only, not ${host}`);
    const server = https.createServer(tls, (req, res) => {
      this.#handle(req, res).catch((err) => res.destroy(err));
    });
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(undefined));
    });
    const address = /** @type {import('node:net').AddressInfo} */ (server.address());
    this.#server = server;
    this.url = `https://${host}:${address.port}`;
  }

  /** @param {string} method @param {string} path @param {string} rawQuery @param {string} routeName */
  #takeFault(method, path, rawQuery, routeName) {
    const index = this.#faults.findIndex((f) => faultMatches(f.rule, method, path, rawQuery, routeName));
    const fault = this.#faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults.splice(index, 1);
    return fault.rule;
  }

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async #handle(req, res) {
    const startedAt = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const { path, rawQuery } = splitTarget(req.url ?? '/');
    const query = firstValues(rawQuery);
    const { scheme, bearer } = parseAuthorization(req.headers.authorization);
    const caller = bearer === undefined ? undefined : this.#tokens.lookup(bearer);
    const route = ROUTES.find((r) => r.method === method && r.pattern.test(path));
    /** @type {RecordedRequest} */
    const record = {
      method,
      path,
      query,
      host: req.headers.host ?? '',
      authorization: scheme,
      audience: caller?.audience,
      route: route?.name ?? 'unhandled',
      status: 0,
      startedAt,
      endedAt: NaN,
    };
    this.requests.push(record);
    const correlationHeader = req.headers['x-ms-correlation-request-id'];
    /** @type {Ctx} */
    const ctx = {
      method,
      path,
      rawQuery,
      param: caseInsensitiveLookup(query),
      headers: req.headers,
      body: await readBody(req),
      match: route?.pattern.exec(path) ?? [],
      bearer,
      caller,
      world: this.world,
      tokens: this.#tokens,
      baseUrl: this.url,
      pageSize: this.pageSize,
      requestId: randomUUID(),
      correlationId: typeof correlationHeader === 'string' ? correlationHeader : randomUUID(),
    };
    if (method === 'POST' && route?.family === 'arm') record.body = ctx.body;
    const fault = this.#takeFault(method, path, rawQuery, record.route);
    const delay = this.latencyMs + (fault?.delayMs ?? 0);
    if (delay > 0) await sleep(delay);
    if (fault?.stall) return;
    if (fault?.reset) {
      req.socket.destroy();
    } else if (fault?.truncate) {
      const reply = this.#answer(ctx, route);
      const payload = JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload) });
      res.write(payload.slice(0, Math.floor(payload.length / 2)), () => req.socket.destroy());
      record.status = reply.status;
    } else {
      const answer = () => this.#answer(ctx, route);
      const reply = fault?.rewrite ? fault.rewrite(answer(), ctx) : fault ? this.#faultReply(ctx, route, fault) : this.throttling ? this.throttling.apply(ctx, route, answer) : answer();
      send(res, reply, ctx);
      record.status = reply.status;
    }
    record.endedAt = performance.now();
  }

  /** @param {Ctx} ctx @param {Route | undefined} route @param {FaultRule} fault @returns {Reply} */
  #faultReply(ctx, route, fault) {
    const status = fault.status ?? 500;
    const body = typeof fault.body === 'function' ? fault.body(ctx) : fault.body;
    /** @type {Reply} */
    const base = body !== undefined ? { status, body } : defaultFaultReply(ctx, route?.family, status);
    return { status, body: base.body, headers: { ...base.headers, ...fault.headers } };
  }

  /** @param {Ctx} ctx @param {Route | undefined} route @returns {Reply} */
  #answer(ctx, route) {
    if (!route) return armError(404, 'NotFound', `The fake Azure has no route for ${ctx.method} ${ctx.path}.`);
    try {
      return GUARDS[route.family]?.(ctx) ?? route.handle(ctx);
    } catch (err) {
      return armError(500, 'InternalServerError', `fake Azure bug in ${route.name}: ${err instanceof Error ? err.stack : String(err)}`);
    }
  }
}

/**
 * Starts the fake on loopback (HTTPS with the given certificate).
 * @param {FakeAzureOptions} options
 * @returns {Promise<FakeAzure>}
 */
export function startFakeAzure(options) {
  return FakeAzure.start(options);
}
