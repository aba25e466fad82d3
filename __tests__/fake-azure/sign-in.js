// @ts-check
// Sign-in endpoints of the fake: Entra ID (OpenID metadata, instance discovery, the v2.0 token endpoint
// for client credentials with a secret or a federated assertion), the GitHub Actions OIDC token
// service, and the App Service style managed-identity endpoint. Tokens are opaque random strings the
// fake remembers with their audience.
import { randomBytes, randomUUID } from 'node:crypto';
import { URLSearchParams } from 'node:url';
import { sameId } from './scopes.js';

/** @typedef {import('./server.js').Ctx} Ctx */
/** @typedef {import('./server.js').Reply} Reply */
/** @typedef {import('./server.js').Route} Route */

/**
 * @typedef {object} TokenInfo
 * @property {'entra' | 'github' | 'msi'} kind who issued it
 * @property {string} audience e.g. https://management.azure.com (no /.default), or api://AzureADTokenExchange
 * @property {string} [tenantId] the tenant an Entra or managed-identity token is for
 * @property {string} [clientId] the application (client) ID the token was issued to
 * @property {string} [subject] the `sub` of a GitHub ID token
 */

/** Every token the fake issued, by value. */
export class TokenStore {
  /** @type {Map<string, TokenInfo>} */
  #byValue = new Map();
  /** every token string ever issued, in order */
  issued = /** @type {string[]} */ ([]);

  /** @param {string} token @param {TokenInfo} info */
  add(token, info) {
    this.#byValue.set(token, info);
    this.issued.push(token);
    return token;
  }

  /** @param {string} token */
  lookup(token) {
    return this.#byValue.get(token);
  }
}

const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access']);
const TOKEN_LIFETIME_S = 3599;

/** @param {string} audience */
export function normaliseAudience(audience) {
  return audience.replace(/\/+$/, '').toLowerCase();
}

/** @param {string} prefix */
function opaqueToken(prefix) {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** @param {unknown} value */
function base64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** @param {Ctx} ctx @param {string} tenant */
function knownTenant(ctx, tenant) {
  return ctx.world.tenantId !== '' && sameId(tenant, ctx.world.tenantId);
}

/**
 * Entra's error body: `{ error, error_description, error_codes, timestamp, trace_id, correlation_id, error_uri }`.
 * @param {Ctx} ctx @param {number} status @param {string} error @param {number} code AADSTS number @param {string} description
 * @returns {Reply}
 */
export function entraError(ctx, status, error, code, description) {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${ctx.baseUrl}/error?code=${code}`,
    },
  };
}

/** @param {Ctx} ctx @param {string} tenant */
function tenantNotFound(ctx, tenant) {
  return entraError(ctx, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
}

/** GET /{tenant}/v2.0/.well-known/openid-configuration @param {Ctx} ctx @returns {Reply} */
function openidConfiguration(ctx) {
  const tenant = ctx.match[1] ?? '';
  if (!knownTenant(ctx, tenant)) return tenantNotFound(ctx, tenant);
  const base = `${ctx.baseUrl}/${ctx.world.tenantId}`;
  return {
    status: 200,
    body: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${ctx.baseUrl}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: new URL(ctx.baseUrl).host,
      rbac_url: ctx.baseUrl,
    },
  };
}

/** GET /common/discovery/instance @param {Ctx} ctx @returns {Reply} */
function instanceDiscovery(ctx) {
  const host = new URL(ctx.baseUrl).host;
  return {
    status: 200,
    body: {
      tenant_discovery_endpoint: `${ctx.baseUrl}/${ctx.world.tenantId || 'common'}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    },
  };
}

/**
 * Checks the client's proof (secret or GitHub assertion). Returns an error reply, or undefined when valid.
 * @param {Ctx} ctx @param {URLSearchParams} form @returns {Reply | undefined}
 */
function checkClientProof(ctx, form) {
  const { entra } = ctx.world;
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    if (secret === entra.clientSecret) return undefined;
    return entraError(ctx, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${entra.clientId}'.`);
  }
  if (assertion === null) {
    return entraError(ctx, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  if (form.get('client_assertion_type') !== ASSERTION_TYPE) {
    return entraError(ctx, 400, 'invalid_request', 700023, "Invalid 'client_assertion_type' parameter value.");
  }
  const info = ctx.tokens.lookup(assertion);
  if (info?.kind !== 'github') {
    return entraError(ctx, 401, 'invalid_client', 700211, `No matching federated identity record found for presented assertion issuer '${GITHUB_ISSUER}'.`);
  }
  if (info.audience !== FEDERATION_AUDIENCE) {
    return entraError(ctx, 401, 'invalid_client', 700212, `No matching federated identity record found for presented assertion audience '${info.audience}'.`);
  }
  if (entra.federatedSubject !== undefined && info.subject !== entra.federatedSubject) {
    return entraError(ctx, 401, 'invalid_client', 70021, `No matching federated identity record found for presented assertion. Assertion Issuer: '${GITHUB_ISSUER}'. Assertion Subject: '${info.subject}'. Assertion Audience: '${FEDERATION_AUDIENCE}'.`);
  }
  return undefined;
}

/**
 * The one `<resource>/.default` scope of a client-credentials request (OIDC scopes ignored), or undefined.
 * @param {string | null} scope
 */
function defaultScopeResource(scope) {
  const scopes = (scope ?? '').split(/\s+/).filter((s) => s !== '' && !OIDC_SCOPES.has(s));
  const only = scopes.length === 1 ? scopes[0] : undefined;
  return only?.endsWith('/.default') ? only.slice(0, -'/.default'.length) : undefined;
}

/** POST /{tenant}/oauth2/v2.0/token (client credentials) @param {Ctx} ctx @returns {Reply} */
function entraToken(ctx) {
  const tenant = ctx.match[1] ?? '';
  if (!knownTenant(ctx, tenant)) return tenantNotFound(ctx, tenant);
  const form = new URLSearchParams(ctx.body);
  const grantType = form.get('grant_type');
  if (grantType !== 'client_credentials') {
    return entraError(ctx, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
  }
  const clientId = form.get('client_id') ?? '';
  if (!sameId(clientId, ctx.world.entra.clientId)) {
    return entraError(ctx, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${ctx.world.tenantId}'.`);
  }
  const proofError = checkClientProof(ctx, form);
  if (proofError) return proofError;
  const resource = defaultScopeResource(form.get('scope'));
  if (resource === undefined) {
    return entraError(ctx, 400, 'invalid_scope', 1002012, `The provided value for scope ${form.get('scope')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const accessToken = ctx.tokens.add(opaqueToken('fake-at-'), { kind: 'entra', audience: resource, tenantId: ctx.world.tenantId, clientId });
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, ext_expires_in: TOKEN_LIFETIME_S, access_token: accessToken },
  };
}

/** GET /_github/idtoken?api-version=2.0&audience=… (the runner's ACTIONS_ID_TOKEN_REQUEST_URL) @param {Ctx} ctx @returns {Reply} */
function githubIdToken(ctx) {
  const { github } = ctx.world;
  if (github.requestToken === '' || ctx.headers.authorization !== `Bearer ${github.requestToken}`) {
    return { status: 401, body: { message: 'Unauthorized' } };
  }
  const [owner] = github.repository.split('/');
  const audience = ctx.param('audience') ?? `https://github.com/${owner}`;
  const now = Math.floor(Date.now() / 1000);
  const subject = `repo:${github.repository}:ref:${github.ref}`;
  const payload = {
    jti: randomUUID(),
    sub: subject,
    aud: audience,
    ref: github.ref,
    ref_type: 'branch',
    repository: github.repository,
    repository_owner: owner,
    event_name: 'push',
    iss: GITHUB_ISSUER,
    nbf: now - 5,
    iat: now,
    exp: now + 300,
  };
  const jwt = `${base64url({ typ: 'JWT', alg: 'RS256', kid: 'fake-azure' })}.${base64url(payload)}.${randomBytes(32).toString('base64url')}`;
  ctx.tokens.add(jwt, { kind: 'github', audience, subject });
  return { status: 200, body: { value: jwt } };
}

/** GET /msi/token?resource=…&api-version=2019-08-01[&client_id=…] (IDENTITY_ENDPOINT) @param {Ctx} ctx @returns {Reply} */
function managedIdentityToken(ctx) {
  const { managedIdentity } = ctx.world;
  if (managedIdentity.header === '' || ctx.headers['x-identity-header'] !== managedIdentity.header) {
    return { status: 401, body: { statusCode: 401, message: 'X-IDENTITY-HEADER is missing or does not match IDENTITY_HEADER.' } };
  }
  const resource = ctx.param('resource');
  if (!ctx.param('api-version') || !resource) {
    return { status: 400, body: { statusCode: 400, message: "The 'api-version' and 'resource' query parameters are required." } };
  }
  const clientId = ctx.param('client_id');
  const unsupported = ['mi_res_id', 'object_id', 'principal_id'].find((p) => ctx.param(p) !== undefined);
  if (unsupported || (clientId !== undefined && !sameId(clientId, managedIdentity.clientId))) {
    return { status: 400, body: { statusCode: 400, message: 'Unable to load the proper Managed Identity.', correlationId: randomUUID() } };
  }
  const audience = resource.replace(/\/\.default$/, '');
  const accessToken = ctx.tokens.add(opaqueToken('fake-mi-'), { kind: 'msi', audience, tenantId: ctx.world.tenantId, clientId: managedIdentity.clientId });
  return {
    status: 200,
    body: {
      access_token: accessToken,
      expires_on: String(Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S),
      resource,
      token_type: 'Bearer',
      client_id: managedIdentity.clientId,
    },
  };
}

/** @type {Route[]} */
export const signInRoutes = [
  { name: 'entra.openidConfiguration', family: 'entra', method: 'GET', pattern: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/i, handle: openidConfiguration },
  { name: 'entra.instanceDiscovery', family: 'entra', method: 'GET', pattern: /^\/common\/discovery\/instance$/i, handle: instanceDiscovery },
  { name: 'entra.token', family: 'entra', method: 'POST', pattern: /^\/([^/]+)\/oauth2\/v2\.0\/token$/i, handle: entraToken },
  { name: 'github.idToken', family: 'github', method: 'GET', pattern: /^\/_github\/idtoken$/i, handle: githubIdToken },
  { name: 'managedIdentity.token', family: 'managedIdentity', method: 'GET', pattern: /^\/msi\/token$/i, handle: managedIdentityToken },
];
