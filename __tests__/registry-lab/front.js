// @ts-check
// The lab's front door: one HTTPS server on <loopback address>:443 that answers for every lab host name
// (chosen by SNI for the certificate, by the Host header for the route). `/v2/…` goes unchanged to that
// host's real docker-registry; the token services are played here:
//   - ACR (`kind: 'acr'`): POST /oauth2/exchange (Entra access token → ACR refresh token), POST
//     /oauth2/token (refresh token → access token), GET /oauth2/token (anonymous, or Basic with an admin
//     user or with the zero GUID and a refresh token, as `docker login` does);
//   - Docker Hub (`kind: 'anonymous'`): GET https://auth.docker.io/token grants pull to anyone;
//   - a private third-party registry (`kind: 'basic'`, like ghcr.io): GET /token grants only with Basic
//     credentials.
// Tests can put a registry behind ACR's firewall (403 naming the client IP) and inject faults. Every
// request is recorded, never a token value.
import { STATUS_CODES } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { URLSearchParams } from 'node:url';
import { decodeJwt } from './jwt.js';

/** @typedef {import('./jwt.js').Access} Access */
/** @typedef {import('./jwt.js').TokenSigner} TokenSigner */
/** @typedef {import('./backend.js').Backend} Backend */

/**
 * @typedef {object} HostSpec one registry host of the lab
 * @property {string} name e.g. myacr.azurecr.io
 * @property {'acr' | 'anonymous' | 'basic'} kind ACR; Docker Hub style (anonymous tokens from auth.docker.io); Basic-only token service (like a private ghcr.io repository)
 * @property {'trusted' | 'untrusted'} [tls] 'untrusted': a certificate from a CA nobody trusts (default 'trusted')
 * @property {'any' | string[]} [pullers] acr: client IDs that may pull (default 'any')
 * @property {boolean} [anonymousPull] acr: an anonymous token grants pull
 * @property {Record<string, string>} [users] basic (and acr admin users): user name → password; they may pull and push
 * @property {'unauthorized' | 'empty'} [denied] acr: how /oauth2/token refuses a caller that may not pull: 401 UNAUTHORIZED (default) or a 200 token granting nothing
 * @property {number} [port] served at <name>:<port> as well (the front listens there too: at the address itself when the name is an IP literal such as [::1] or 127.0.0.1, else at the lab's address); the challenge realm names the port
 */

/** What the front knows of an Entra token: refused when its audience (if given) is not ARM's or ACR's, or its tenant differs from the one sent. @typedef {{ clientId: string, tenantId?: string, audience?: string }} AadIdentity */
/** @typedef {(token: string) => AadIdentity | undefined} VerifyAadToken */

/**
 * @typedef {object} LabRequest
 * @property {string} host the Host header, without port, lower-case
 * @property {string} method
 * @property {string} path without the query
 * @property {number} status 0 while in flight, or when the connection was reset
 * @property {'bearer' | 'basic' | 'none' | string} authorization the scheme sent, lower-case
 * @property {number} port the port it arrived on (not enumerable, like `at`)
 * @property {number} at performance.now() of the test process on arrival (not enumerable: toEqual and JSON leave it out)
 * @property {number} [endedAt] performance.now() when the answer was sent (not enumerable either; unset until then)
 */

/**
 * An injected fault on one host. Matching faults come before normal handling, first added first.
 * @typedef {object} Fault
 * @property {RegExp} [path] tested on the path (without query); every path when absent
 * @property {number} [status] answer this status (with `body`, or ACR's error body for it)
 * @property {string | object} [body]
 * @property {Record<string, string>} [headers]
 * @property {boolean} [reset] destroy the connection without answering
 * @property {boolean} [truncate] start a 200 JSON answer and close the connection halfway through its body
 * @property {number} [delayMs] wait first (alone: then answer normally)
 * @property {number} [times] how many requests it applies to (default: all)
 */

/** @typedef {{ spec: HostSpec, backend: Backend, service: string, realm: string }} LabHost */

export const DOCKER_HUB_AUTH = 'auth.docker.io';
export const DOCKER_HUB_SERVICE = 'registry.docker.io';
/** The user name `docker login` uses with an ACR refresh token as password. */
export const ACR_REFRESH_TOKEN_USER = '00000000-0000-0000-0000-000000000000';

/** Audiences ACR accepts in an Entra token: ARM of each cloud, or ACR's own. */
const ACR_AAD_AUDIENCE = /^https:\/\/(management\.(azure\.com|core\.windows\.net|chinacloudapi\.cn|core\.chinacloudapi\.cn|usgovcloudapi\.net|core\.usgovcloudapi\.net)|containerregistry\.azure\.net)\/?$/i;
const ACR_AUTH_REQUIRED = 'authentication required, visit https://aka.ms/acr/authorization for more information.';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);
const ALL_ACTIONS = ['pull', 'push', 'delete', '*'];

/** The error body of a registry (distribution, ACR, GHCR). @param {string} code @param {string} message @param {unknown} [detail] */
export function registryError(code, message, detail) {
  return { errors: [detail === undefined ? { code, message } : { code, message, detail }] };
}

/**
 * The TLS server name option for connecting to `host`: none for an IP literal ([::1], 127.0.0.1), which
 * the certificate's IP addresses are checked against.
 * @param {string} host
 */
export function serverNameOf(host) {
  return net.isIP(host.replace(/^\[(.*)\]$/, '$1')) ? {} : { servername: host };
}

/** ACR's firewall refusal, word for word. @param {string} clientIp */
export function firewallError(clientIp) {
  return registryError('DENIED', `client with IP '${clientIp}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`);
}

/** The body a fault sends by default for `status`. @param {number} status */
function defaultFaultBody(status) {
  if (status === 401) return registryError('UNAUTHORIZED', ACR_AUTH_REQUIRED);
  if (status === 403) return registryError('DENIED', 'requested access to the resource is denied');
  if (status === 404) return registryError('NOT_FOUND', 'not found');
  if (status === 429) return registryError('TOOMANYREQUESTS', 'too many requests');
  return registryError('UNAVAILABLE', STATUS_CODES[status] ?? `HTTP ${status}`);
}

/**
 * The grants a token request asks for: `scope` may be repeated and each may hold several
 * space-separated scopes (`repository:team/app:pull,push`, `registry:catalog:*`).
 * @param {string[]} scopes
 * @returns {Access[]}
 */
export function parseScopes(scopes) {
  /** @type {Access[]} */
  const out = [];
  for (const scope of scopes.flatMap((s) => s.split(' ')).filter(Boolean)) {
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first < 0 || last <= first) continue;
    out.push({ type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) });
  }
  return out;
}

/** Keeps of each requested grant the actions in `allowed`; drops grants left empty. @param {Access[]} requested @param {string[]} allowed */
function grant(requested, allowed) {
  return requested
    .map((a) => ({ ...a, actions: a.actions.filter((x) => allowed.includes(x)) }))
    .filter((a) => a.actions.length > 0);
}

/** @param {string | undefined} header @returns {{ scheme: string, user?: string, password?: string }} */
function parseAuthorization(header) {
  const m = /^(\S+)(?:\s+(.*))?$/.exec(header?.trim() ?? '');
  if (!m?.[1]) return { scheme: 'none' };
  const scheme = m[1].toLowerCase();
  if (scheme !== 'basic') return { scheme };
  const decoded = Buffer.from(m[2] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? { scheme } : { scheme, user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The default reading of an Entra token: its claims, unverified (fake tokens that are no JWT are refused). @type {VerifyAadToken} */
export function claimsOfAadToken(token) {
  const claims = decodeJwt(token);
  const clientId = claims?.appid ?? claims?.azp ?? claims?.client_id;
  if (typeof clientId !== 'string') return undefined;
  return {
    clientId,
    tenantId: typeof claims?.tid === 'string' ? claims.tid : undefined,
    audience: typeof claims?.aud === 'string' ? claims.aud : undefined,
  };
}

/** @param {import('node:http').IncomingMessage} req */
async function readBody(req) {
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
function send(res, status, body, headers = {}) {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
  res.writeHead(status, { ...(text ? { 'Content-Type': type } : {}), 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export class Front {
  /** every request received, in arrival order */
  requests = /** @type {LabRequest[]} */ ([]);
  /** every token the front handed out (refresh and access tokens), so tests can assert none leaks */
  issuedTokens = /** @type {string[]} */ ([]);
  /** the loopback address it listens on */
  address = '';
  port = 0;
  /** @type {Map<string, LabHost>} */
  #hosts;
  #signer;
  #verifyAad;
  #caPem;
  /** host → the client IP its firewall names @type {Map<string, string>} */
  #blocked = new Map();
  /** @type {{ host: string, rule: Fault, remaining: number }[]} */
  #faults = [];
  /** @type {https.Server[]} */
  #servers = [];
  #agent = new https.Agent({ keepAlive: true, maxSockets: 32 });

  /**
   * @param {object} options
   * @param {Map<string, LabHost>} options.hosts by lower-case name
   * @param {TokenSigner} options.signer
   * @param {VerifyAadToken} [options.verifyAadToken]
   * @param {string} options.caPem the test CA (to reach the registries)
   */
  constructor(options) {
    this.#hosts = options.hosts;
    this.#signer = options.signer;
    this.#verifyAad = options.verifyAadToken ?? claimsOfAadToken;
    this.#caPem = options.caPem;
  }
  /** Records a token handed out and returns it. @param {string} token */
  #issued(token) {
    this.issuedTokens.push(token);
    return token;
  }


  /** @param {string} host @param {string} clientIp */
  block(host, clientIp) {
    this.#blocked.set(host.toLowerCase(), clientIp);
  }

  /** @param {string} host */
  unblock(host) {
    this.#blocked.delete(host.toLowerCase());
  }

  /** @param {string} host @param {Fault} rule */
  fault(host, rule) {
    this.#faults.push({ host: host.toLowerCase(), rule, remaining: rule.times ?? Infinity });
  }

  /** @param {string} [host] only this host's (default: every host's) */
  clearFaults(host) {
    if (host === undefined) this.#faults.length = 0;
    else this.#faults = this.#faults.filter((f) => f.host !== host.toLowerCase());
  }

  /**
   * Listens on address:port with a certificate per SNI name (again for each further address or port;
   * `address` and `port` keep the first).
   * @param {string} address @param {number} port
   * @param {{ trusted: { cert: string, key: string }, untrusted: { cert: string, key: string } }} certs PEM text
   */
  async listen(address, port, certs) {
    const trusted = tls.createSecureContext(certs.trusted);
    const untrusted = tls.createSecureContext(certs.untrusted);
    const server = https.createServer({
      ...certs.trusted,
      SNICallback: (servername, cb) => cb(null, this.#hosts.get(servername.toLowerCase())?.spec.tls === 'untrusted' ? untrusted : trusted),
    });
    server.on('request', (req, res) => {
      this.#handle(req, res).catch((err) => {
        if (!res.headersSent) send(res, 500, registryError('UNKNOWN', `registry lab bug: ${err instanceof Error ? err.stack : String(err)}`));
        else res.destroy();
      });
    });
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => {
        server.off('error', reject);
        resolve(undefined);
      });
    });
    this.#servers.push(server);
    if (this.#servers.length === 1) {
      this.address = address;
      this.port = port;
    }
  }

  async stop() {
    const servers = this.#servers.splice(0);
    this.#agent.destroy();
    await Promise.all(
      servers.map((server) => {
        const closed = new Promise((resolve) => server.close(resolve));
        server.closeAllConnections();
        return closed;
      }),
    );
  }

  /** @param {string} host @param {string} path */
  #takeFault(host, path) {
    const index = this.#faults.findIndex((f) => {
      if (f.host !== host) return false;
      if (!f.rule.path) return true;
      f.rule.path.lastIndex = 0;
      return f.rule.path.test(path);
    });
    const fault = this.#faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults.splice(index, 1);
    return fault.rule;
  }

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async #handle(req, res) {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://lab.invalid');
    const auth = parseAuthorization(req.headers.authorization);
    const record = /** @type {LabRequest} */ ({ host, method, path: url.pathname, status: 0, authorization: auth.scheme });
    Object.defineProperty(record, 'port', { value: req.socket.localPort, enumerable: false });
    // the arrival time, not enumerable: left out of equality checks and of JSON
    Object.defineProperty(record, 'at', { value: performance.now(), enumerable: false });
    res.once('finish', () => Object.defineProperty(record, 'endedAt', { value: performance.now(), enumerable: false }));
    this.requests.push(record);
    // the status is known once the head is written (before the client can see the answer)
    const writeHead = res.writeHead;
    res.writeHead = /** @type {typeof res.writeHead} */ (
      function recordStatus(/** @type {number} */ status, /** @type {any[]} */ ...rest) {
        record.status = status;
        return writeHead.call(res, status, ...rest);
      }
    );

    const blockedIp = this.#blocked.get(host);
    if (blockedIp !== undefined) return send(res, 403, firewallError(blockedIp));
    const fault = this.#takeFault(host, url.pathname);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.reset) {
      req.socket.destroy();
      return;
    }
    if (fault?.truncate) {
      const text = JSON.stringify(registryError('UNKNOWN', 'an answer cut short by a test fault'));
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(text.length) });
      res.write(text.slice(0, text.length >> 1), () => req.socket.destroy());
      return;
    }
    if (fault?.status !== undefined) {
      return send(res, fault.status, fault.body ?? defaultFaultBody(fault.status), fault.headers);
    }

    if (host === DOCKER_HUB_AUTH && [...this.#hosts.values()].some((h) => h.spec.kind === 'anonymous')) {
      if (url.pathname === '/token' && method === 'GET') return this.#dockerHubToken(res, url);
      return send(res, 404, registryError('NOT_FOUND', 'not found'));
    }
    const lab = this.#hosts.get(host);
    if (!lab) return send(res, 404, registryError('NOT_FOUND', `the registry lab does not serve ${host || '(no Host header)'}`));
    if (url.pathname === '/v2' || url.pathname.startsWith('/v2/')) return this.#proxy(req, res, lab);
    if (lab.spec.kind === 'acr') {
      if (url.pathname === '/oauth2/exchange' && method === 'POST') return this.#acrExchange(res, lab, new URLSearchParams(await readBody(req)));
      if (url.pathname === '/oauth2/token' && method === 'POST') return this.#acrTokenFromRefresh(res, lab, new URLSearchParams(await readBody(req)));
      if (url.pathname === '/oauth2/token' && method === 'GET') return this.#acrTokenGet(res, lab, url, auth);
    }
    if (lab.spec.kind === 'basic' && url.pathname === '/token' && method === 'GET') return this.#basicToken(res, lab, url, auth);
    return send(res, 404, registryError('NOT_FOUND', 'not found'));
  }

  /** Streams the request to the host's registry and its answer back, unchanged. @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {LabHost} lab */
  #proxy(req, res, lab) {
    /** @type {import('node:http').OutgoingHttpHeaders} */
    const headers = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
    return new Promise((resolve) => {
      const upstream = https.request(
        { host: '127.0.0.1', port: lab.backend.port, ...serverNameOf(lab.spec.name), ca: this.#caPem, method: req.method, path: req.url, headers, agent: this.#agent },
        (answer) => {
          /** @type {import('node:http').OutgoingHttpHeaders} */
          const back = {};
          for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) back[name] = value;
          res.writeHead(answer.statusCode ?? 502, back);
          answer.pipe(res);
          answer.once('end', () => resolve(undefined));
          answer.once('error', () => {
            res.destroy();
            resolve(undefined);
          });
        },
      );
      upstream.once('error', (err) => {
        if (!res.headersSent) send(res, 502, registryError('UNAVAILABLE', `registry lab: ${lab.spec.name}'s registry did not answer: ${err.message}`));
        else res.destroy();
        resolve(undefined);
      });
      req.pipe(upstream);
    });
  }

  /** @param {import('node:http').ServerResponse} res @param {LabHost} lab @param {string} subject @param {Access[]} access */
  #sendAccessToken(res, lab, subject, access) {
    send(res, 200, { access_token: this.#issued(this.#signer.registryToken({ service: lab.service, subject, access })) });
  }

  /** ACR's refusal of a caller. @param {import('node:http').ServerResponse} res */
  #acrUnauthorized(res) {
    send(res, 401, registryError('UNAUTHORIZED', ACR_AUTH_REQUIRED));
  }

  /** @param {LabHost} lab @param {string} clientId */
  #mayPull(lab, clientId) {
    const pullers = lab.spec.pullers ?? 'any';
    return pullers === 'any' || pullers.some((p) => p.toLowerCase() === clientId.toLowerCase());
  }

  /** POST /oauth2/exchange: an Entra access token for an ACR refresh token. @param {import('node:http').ServerResponse} res @param {LabHost} lab @param {URLSearchParams} form */
  #acrExchange(res, lab, form) {
    const grantType = form.get('grant_type');
    if (grantType !== 'access_token' && grantType !== 'access_token_refresh_token') {
      return send(res, 400, registryError('UNSUPPORTED', `grant_type '${grantType ?? ''}' is not supported`));
    }
    if ((form.get('service') ?? '').toLowerCase() !== lab.service) return this.#acrUnauthorized(res);
    const aadToken = form.get('access_token');
    const identity = aadToken ? this.#verifyAad(aadToken) : undefined;
    const tenant = form.get('tenant');
    if (!identity) return this.#acrUnauthorized(res);
    if (identity.audience !== undefined && !ACR_AAD_AUDIENCE.test(identity.audience)) return this.#acrUnauthorized(res);
    if (tenant && identity.tenantId && tenant.toLowerCase() !== identity.tenantId.toLowerCase()) return this.#acrUnauthorized(res);
    const refreshToken = this.#signer.sign(
      { sub: identity.clientId, aud: lab.service, grant_type: 'refresh_token', tenant: identity.tenantId ?? tenant ?? '', permissions: { actions: ['read'] }, lab_kind: 'acr-refresh' },
      3 * 3600,
    );
    send(res, 200, { refresh_token: this.#issued(refreshToken) });
  }

  /** The client ID an ACR refresh token of this host was issued to. @param {LabHost} lab @param {string | null | undefined} token */
  #refreshTokenClient(lab, token) {
    const claims = token ? this.#signer.verify(token) : undefined;
    if (!claims || claims.lab_kind !== 'acr-refresh' || claims.aud !== lab.service || typeof claims.sub !== 'string') return undefined;
    return claims.sub;
  }

  /** Grants pull to an identity, as the host allows. @param {import('node:http').ServerResponse} res @param {LabHost} lab @param {string} clientId @param {Access[]} requested */
  #grantToIdentity(res, lab, clientId, requested) {
    if (this.#mayPull(lab, clientId)) return this.#sendAccessToken(res, lab, clientId, grant(requested, ['pull']));
    if (lab.spec.denied === 'empty') return this.#sendAccessToken(res, lab, clientId, []);
    return this.#acrUnauthorized(res);
  }

  /** POST /oauth2/token: an ACR refresh token for an access token. @param {import('node:http').ServerResponse} res @param {LabHost} lab @param {URLSearchParams} form */
  #acrTokenFromRefresh(res, lab, form) {
    if (form.get('grant_type') !== 'refresh_token') return send(res, 400, registryError('UNSUPPORTED', `grant_type '${form.get('grant_type') ?? ''}' is not supported`));
    if ((form.get('service') ?? '').toLowerCase() !== lab.service) return this.#acrUnauthorized(res);
    const clientId = this.#refreshTokenClient(lab, form.get('refresh_token'));
    if (!clientId) return this.#acrUnauthorized(res);
    this.#grantToIdentity(res, lab, clientId, parseScopes(form.getAll('scope')));
  }

  /** GET /oauth2/token: anonymous, or Basic (admin user, or the zero GUID with a refresh token). @param {import('node:http').ServerResponse} res @param {LabHost} lab @param {URL} url @param {ReturnType<typeof parseAuthorization>} auth */
  #acrTokenGet(res, lab, url, auth) {
    const requested = parseScopes(url.searchParams.getAll('scope'));
    if (auth.scheme === 'basic') {
      if (auth.user === ACR_REFRESH_TOKEN_USER) {
        const clientId = this.#refreshTokenClient(lab, auth.password);
        return clientId ? this.#grantToIdentity(res, lab, clientId, requested) : this.#acrUnauthorized(res);
      }
      const users = lab.spec.users ?? {};
      if (auth.user !== undefined && Object.hasOwn(users, auth.user) && users[auth.user] === auth.password) {
        return this.#sendAccessToken(res, lab, auth.user, grant(requested, ALL_ACTIONS));
      }
      return this.#acrUnauthorized(res);
    }
    if (lab.spec.anonymousPull) return this.#sendAccessToken(res, lab, '', grant(requested, ['pull']));
    if (lab.spec.denied === 'empty') return this.#sendAccessToken(res, lab, '', []);
    return this.#acrUnauthorized(res);
  }

  /** GET https://auth.docker.io/token: pull for anyone. @param {import('node:http').ServerResponse} res @param {URL} url */
  #dockerHubToken(res, url) {
    const service = url.searchParams.get('service') ?? DOCKER_HUB_SERVICE;
    if (service !== DOCKER_HUB_SERVICE) return send(res, 400, { details: `unknown service ${service}` });
    const token = this.#signer.registryToken({ service, subject: '', access: grant(parseScopes(url.searchParams.getAll('scope')), ['pull']) });
    send(res, 200, { token: this.#issued(token), access_token: token, expires_in: 300, issued_at: new Date().toISOString() });
  }

  /** GET /token of a Basic-only registry: a token only with right credentials. @param {import('node:http').ServerResponse} res @param {LabHost} lab @param {URL} url @param {ReturnType<typeof parseAuthorization>} auth */
  #basicToken(res, lab, url, auth) {
    const users = lab.spec.users ?? {};
    const ok = auth.scheme === 'basic' && auth.user !== undefined && Object.hasOwn(users, auth.user) && users[auth.user] === auth.password;
    if (!ok) return send(res, 401, registryError('UNAUTHORIZED', 'authentication required'));
    const token = this.#signer.registryToken({ service: lab.service, subject: auth.user ?? '', access: grant(parseScopes(url.searchParams.getAll('scope')), ALL_ACTIONS) });
    send(res, 200, { token: this.#issued(token) });
  }
}
