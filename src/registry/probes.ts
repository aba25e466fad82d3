// The runner's look at a registry: resolve its names, knock on /v2/, and fetch image manifests with a
// pull token (ACR: Entra token → /oauth2/exchange → /oauth2/token; any other registry: the anonymous
// token flow its challenge names). Collectors only: they record what happened, the judges decide.
import type { DnsAnswer, EndpointProbe, ImageFacts, ImageLookup, ImageRef, Platform, RegistryFacts, RunnerProbeFacts } from '../model.js';
import { isAttestation } from '../checks/platform.js';
import { blockedClientIp, parseBearerChallenge } from './challenge.js';
import type { DnsResolver } from './dns.js';
import type { HttpResult, RegistryHttp } from './http.js';

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
/** The Entra audience ACR accepts when ARM-audience tokens are disabled by policy. */
export const ACR_AUDIENCE_SCOPE = 'https://containerregistry.azure.net/.default';

export interface ProbeDeps {
  dns: DnsResolver;
  http: RegistryHttp;
  /** an Entra access token for the scope (the signed-in identity's) */
  entraToken: (scope: string) => Promise<string>;
  /** the ARM scope of the cloud, e.g. https://management.azure.com/.default */
  armScope: string;
  tenantId?: string;
  /** called with every registry token before anything could print it (core.setSecret in the action) */
  secret: (value: string) => void;
}

/** Resolves the login server and every data endpoint, then probes /v2/ on the login server. */
export async function probeRegistry(deps: ProbeDeps, registry: RegistryFacts, dataEndpoints: string[]): Promise<RunnerProbeFacts> {
  const names = [registry.loginServer, ...dataEndpoints.filter((h) => h.toLowerCase() !== registry.loginServer.toLowerCase())];
  const dnsAnswers = Promise.all(names.map((h) => deps.dns.resolve(h)));
  // The /v2/ probe starts with the login server's answer; data endpoints resolve alongside.
  const login = await deps.dns.resolve(registry.loginServer);
  // Through a proxy the runner's own DNS answer does not matter: the proxy resolves the name.
  const proxied = deps.http.proxied(`https://${registry.loginServer}/v2/`);
  const endpoint = login.addresses.length || proxied ? await probeEndpoint(deps, registry.loginServer) : undefined;
  const withProxy = (a: DnsAnswer): DnsAnswer => {
    const proxy = deps.http.proxyOf(`https://${a.host}/`);
    return proxy ? { ...a, proxy } : a;
  };
  const facts: RunnerProbeFacts = { dns: (await dnsAnswers).map(withProxy) };
  if (endpoint) facts.endpoint = endpoint;
  return facts;
}

export async function probeEndpoint(deps: ProbeDeps, host: string): Promise<EndpointProbe> {
  const { outcome } = await deps.http.request({ method: 'GET', url: `https://${host}/v2/` });
  const probe: EndpointProbe = { http: outcome };
  const challenge = parseBearerChallenge(outcome.headers?.['www-authenticate']);
  if (challenge) probe.challenge = challenge;
  const ip = outcome.status === 403 ? blockedClientIp(outcome.body) : undefined;
  if (ip) probe.blockedClientIp = ip;
  return probe;
}

/** Docker Hub's registry host for docker.io references. */
export function registryHostOf(ref: ImageRef): string {
  return ref.host === 'docker.io' ? 'registry-1.docker.io' : ref.host;
}

interface RegistryError {
  code?: string;
  message?: string;
}

function registryErrors(body: string): RegistryError[] {
  try {
    const parsed = JSON.parse(body) as { errors?: RegistryError[] };
    return Array.isArray(parsed.errors) ? parsed.errors : [];
  } catch {
    return [];
  }
}

function describeHttp(r: HttpResult, what: string): string {
  const o = r.outcome;
  const how = `${o.proxy ? ` through proxy ${o.proxy}` : ''}${o.attempts ? ` after ${o.attempts} attempts` : ''}`;
  if (o.error) return `${what}${how}: ${o.error.code} during ${o.error.phase} (${o.error.message})`;
  const errors = registryErrors(r.body).map((e) => [e.code, e.message].filter(Boolean).join(': '));
  return `${what}${how}: HTTP ${o.status}${errors.length ? ` (${errors.join('; ')})` : ''}`;
}

/** The outcome without its body: token responses carry secrets and never become evidence. */
function withoutBody(r: HttpResult): HttpResult['outcome'] {
  const { body: _body, ...rest } = r.outcome;
  return rest;
}

const form = (fields: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined)).toString();

type TokenResult = { ok: true; token?: string; auth: ImageFacts['auth'] } | { ok: false; lookup: ImageLookup; auth: ImageFacts['auth'] };

/** The token in a 200 answer of a token endpoint, or what was wrong with the answer. */
function tokenFrom(r: HttpResult, fields: string[], what: string, refused: (r: HttpResult) => ImageLookup): { token: string } | { lookup: ImageLookup } {
  if (r.outcome.status !== 200) return { lookup: refused(r) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.body);
  } catch {
    return { lookup: { kind: 'malformed', detail: `${describeHttp(r, what)}, but the answer is not JSON`, http: withoutBody(r) } };
  }
  const record = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
  const token = fields.map((f) => record[f]).find((v): v is string => typeof v === 'string' && v !== '');
  if (token) return { token };
  return { lookup: { kind: 'malformed', detail: `${describeHttp(r, what)}, but the answer holds no ${fields.join(' or ')}`, http: withoutBody(r) } };
}

/** Pull tokens for one run: refresh tokens per ACR and access tokens per repository, each fetched once. */
export class PullTokens {
  private readonly refresh = new Map<string, Promise<{ ok: true; token: string } | { ok: false; lookup: ImageLookup }>>();
  private readonly access = new Map<string, Promise<TokenResult>>();

  constructor(private readonly deps: ProbeDeps) {}

  /** The signed-in identity's pull token on an ACR of the registry input, else the registry's anonymous flow. */
  forImage(host: string, repository: string, acr: RegistryFacts | undefined): Promise<TokenResult> {
    return acr ? this.memo(`acr|${host}|${repository}`, () => this.acr(acr, repository)) : this.anonymousFor(host, repository);
  }

  /** A token from the anonymous flow (none at all when /v2/ answers 200). */
  anonymousFor(host: string, repository: string): Promise<TokenResult> {
    return this.memo(`anonymous|${host}|${repository}`, () => this.anonymous(host, repository));
  }

  private memo(key: string, fetch: () => Promise<TokenResult>): Promise<TokenResult> {
    let t = this.access.get(key.toLowerCase());
    if (!t) {
      t = fetch();
      this.access.set(key.toLowerCase(), t);
    }
    return t;
  }

  /**
   * Starts the token exchange for a login server before ARM has confirmed the registry: the image
   * references name their hosts up front, and the exchange is the first step of every image lookup.
   */
  prefetch(loginServer: string): void {
    void this.refreshToken(loginServer, this.deps.armScope);
  }

  private scopeFor(acr: RegistryFacts): string {
    return acr.azureADAuthenticationAsArmPolicy?.toLowerCase() === 'disabled' ? ACR_AUDIENCE_SCOPE : this.deps.armScope;
  }

  private refreshToken(loginServer: string, scope: string) {
    const key = `${loginServer.toLowerCase()}|${scope}`;
    let r = this.refresh.get(key);
    if (!r) {
      r = this.exchange(loginServer.toLowerCase(), scope);
      this.refresh.set(key, r);
    }
    return r;
  }

  private async exchange(service: string, scope: string): Promise<{ ok: true; token: string } | { ok: false; lookup: ImageLookup }> {
    let entra: string;
    try {
      entra = await this.deps.entraToken(scope);
    } catch (err) {
      return { ok: false, lookup: { kind: 'denied', detail: `no Entra token for ${scope}: ${(err as Error).message}` } };
    }
    const r = await this.deps.http.request({
      method: 'POST',
      url: `https://${service}/oauth2/exchange`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'access_token', service, tenant: this.deps.tenantId, access_token: entra }),
    });
    const what = `exchanging the signed-in identity's Entra token at ${service}/oauth2/exchange`;
    const t = tokenFrom(r, ['refresh_token'], what, (x) => failedTokenLookup(x, what, true));
    if ('lookup' in t) return { ok: false, lookup: t.lookup };
    this.deps.secret(t.token);
    return { ok: true, token: t.token };
  }

  private async acr(acr: RegistryFacts, repository: string): Promise<TokenResult> {
    const refresh = await this.refreshToken(acr.loginServer, this.scopeFor(acr));
    if (!refresh.ok) return { ok: false, lookup: refresh.lookup, auth: 'acr-exchange' };
    const service = acr.loginServer.toLowerCase();
    const r = await this.deps.http.request({
      method: 'POST',
      url: `https://${service}/oauth2/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'refresh_token', service, scope: `repository:${repository}:pull`, refresh_token: refresh.token }),
    });
    const what = `getting a pull token for ${repository} at ${service}/oauth2/token`;
    const t = tokenFrom(r, ['access_token'], what, (x) => failedTokenLookup(x, what, true));
    if ('lookup' in t) return { ok: false, lookup: t.lookup, auth: 'acr-exchange' };
    this.deps.secret(t.token);
    return { ok: true, token: t.token, auth: 'acr-exchange' };
  }

  /** The anonymous flow: /v2/ tells where tokens come from; ask without credentials. */
  private async anonymous(host: string, repository: string): Promise<TokenResult> {
    const probe = await probeEndpoint(this.deps, host);
    const status = probe.http.status;
    if (status === 200) return { ok: true, auth: 'none' };
    if (probe.http.error || status === undefined || status >= 500 || status === 429 || status === 403) {
      return { ok: false, lookup: { kind: 'unreachable', detail: describeHttp({ outcome: probe.http, body: probe.http.body ?? '' }, `GET https://${host}/v2/`), http: probe.http }, auth: 'anonymous' };
    }
    const header = probe.http.headers?.['www-authenticate'];
    if (status !== 401 || !probe.challenge) {
      const scheme = header?.split(/\s/)[0] ?? 'no';
      return { ok: false, lookup: { kind: 'needs-credentials', detail: `${host} answers /v2/ with HTTP ${status} and a ${scheme} challenge: it needs credentials`, status }, auth: 'anonymous' };
    }
    const malformed = (why: string): TokenResult => ({
      ok: false,
      lookup: { kind: 'malformed', detail: `${host} answers /v2/ with a Bearer challenge that cannot be used: ${why} (WWW-Authenticate: ${header})`, http: probe.http },
      auth: 'anonymous',
    });
    const realm = probe.challenge.realm;
    if (!realm) return malformed('it names no realm');
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      return malformed('its realm is not a URL');
    }
    if (url.protocol !== 'https:') return malformed(`its realm is not an https URL`);
    if (probe.challenge.service) url.searchParams.set('service', probe.challenge.service);
    url.searchParams.set('scope', `repository:${repository}:pull`);
    const r = await this.deps.http.request({ method: 'GET', url: url.toString() });
    const what = `getting an anonymous pull token for ${repository} from ${url.origin}${url.pathname}`;
    const t = tokenFrom(r, ['token', 'access_token'], what, (x) => failedTokenLookup(x, what, false));
    if ('lookup' in t) return { ok: false, lookup: t.lookup, auth: 'anonymous' };
    this.deps.secret(t.token);
    return { ok: true, token: t.token, auth: 'anonymous' };
  }
}

/** A refused or failed token request, as an ImageLookup. `acr`: refusals mean the signed-in identity lacks pull. */
function failedTokenLookup(r: HttpResult, what: string, acr: boolean): ImageLookup {
  const status = r.outcome.status;
  const detail = describeHttp(r, what);
  if (status === 401 || status === 403) {
    const blocked = blockedClientIp(r.body);
    if (blocked) return { kind: 'unreachable', detail: `${detail}: the registry firewall refuses the runner's IP ${blocked}`, http: withoutBody(r) };
    return acr ? { kind: 'denied', detail, status } : { kind: 'needs-credentials', detail, status };
  }
  return { kind: 'unreachable', detail, http: withoutBody(r) };
}

/** An index entry that is not an image: platform unknown/unknown, or marked as an attestation by buildx. */
function isAttestationEntry(m: { platform?: Platform; annotations?: Record<string, string> }): boolean {
  return (m.platform !== undefined && isAttestation(m.platform)) || m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest';
}

interface ManifestBody {
  mediaType?: string;
  manifests?: { digest?: string; platform?: Platform; annotations?: Record<string, string> }[];
  config?: { digest?: string; mediaType?: string };
}

/** Looks an image up as the kubelet would: token, manifest, and the platforms it offers. */
export async function lookupImage(deps: ProbeDeps, tokens: PullTokens, ref: ImageRef, acr: RegistryFacts | undefined): Promise<ImageFacts> {
  const registryHost = registryHostOf(ref);
  const facts = await lookupWith(deps, await tokens.forImage(registryHost, ref.repository, acr), ref, registryHost);
  // ACR grants anonymous pulls only to requests without credentials: a signed-in identity without pull
  // rights is refused even on a registry with anonymousPullEnabled, so look again as anyone.
  const denied = facts.lookup;
  if (!acr?.anonymousPullEnabled || denied.kind !== 'denied') return facts;
  const anonymous = await lookupWith(deps, await tokens.anonymousFor(registryHost, ref.repository), ref, registryHost);
  const seen = anonymous.lookup;
  if (seen.kind !== 'needs-credentials' && seen.kind !== 'unreachable' && seen.kind !== 'denied') return anonymous;
  return { ...facts, lookup: { ...denied, detail: `${denied.detail}; anonymously (anonymousPullEnabled): ${seen.detail}` } };
}

async function lookupWith(deps: ProbeDeps, t: TokenResult, ref: ImageRef, registryHost: string): Promise<ImageFacts> {
  const facts = (lookup: ImageLookup): ImageFacts => ({ ref, registryHost, auth: t.auth, lookup });
  if (!t.ok) return facts(t.lookup);
  const auth: Record<string, string> = t.token ? { Authorization: `Bearer ${t.token}` } : {};
  const base = `https://${registryHost}/v2/${ref.repository}`;
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const r = await deps.http.request({ method: 'GET', url: `${base}/manifests/${reference}`, headers: { ...auth, Accept: MANIFEST_ACCEPT } });
  const status = r.outcome.status;
  if (status === 200) return facts(await foundManifest(deps, r, base, auth));
  const what = `GET ${base}/manifests/${reference}`;
  if (status === 404) {
    const codes = registryErrors(r.body).map((e) => e.code);
    if (codes.includes('NAME_UNKNOWN')) return facts({ kind: 'missing-repository', detail: describeHttp(r, what) });
    // MANIFEST_UNKNOWN for a missing tag and (on distribution) a missing repository alike: tags/list tells them apart.
    const tags = await deps.http.request({ method: 'GET', url: `${base}/tags/list`, headers: auth });
    if (tags.outcome.status === 404) return facts({ kind: 'missing-repository', detail: describeHttp(tags, `GET ${base}/tags/list`) });
    const lookup: ImageLookup = { kind: 'missing-tag', detail: describeHttp(r, what) };
    if (tags.outcome.status === 200) {
      try {
        const list = (JSON.parse(tags.body) as { tags?: string[] | null }).tags ?? [];
        lookup.tags = list.slice(0, 20);
      } catch {
        /* tags are a courtesy */
      }
    }
    return facts(lookup);
  }
  if (status === 401 || status === 403) {
    const blocked = blockedClientIp(r.body);
    if (blocked) return facts({ kind: 'unreachable', detail: `${describeHttp(r, what)}: the registry firewall refuses the runner's IP ${blocked}`, http: r.outcome });
    return facts(t.auth === 'acr-exchange' ? { kind: 'denied', detail: describeHttp(r, what), status } : { kind: 'needs-credentials', detail: describeHttp(r, what), status });
  }
  return facts({ kind: 'unreachable', detail: describeHttp(r, what), http: r.outcome });
}

async function foundManifest(deps: ProbeDeps, r: HttpResult, base: string, auth: Record<string, string>): Promise<ImageLookup> {
  let body: ManifestBody;
  try {
    body = JSON.parse(r.body) as ManifestBody;
  } catch {
    return { kind: 'malformed', detail: `${describeHttp(r, `GET ${r.outcome.url}`)}, but the manifest is not JSON`, http: r.outcome };
  }
  const mediaType = body.mediaType ?? r.outcome.headers?.['content-type']?.split(';')[0]?.trim() ?? '';
  const digest = r.outcome.headers?.['docker-content-digest'];
  const proxy = r.outcome.proxy;
  const found = (platforms: Platform[], index: boolean): ImageLookup => ({ kind: 'found', mediaType, platforms, index, ...(digest && { digest }), ...(proxy && { proxy }) });
  if (INDEX_TYPES.has(mediaType) || Array.isArray(body.manifests)) {
    const platforms = (body.manifests ?? []).filter((m) => m.platform && !isAttestationEntry(m)).map((m) => m.platform as Platform);
    return found(platforms, true);
  }
  const configDigest = body.config?.digest;
  if (!configDigest) return found([], false);
  const config = await deps.http.request({ method: 'GET', url: `${base}/blobs/${configDigest}`, headers: auth, follow: true });
  // the config names the platform: a config that could not be read is an image that could not be looked at, not one without a platform
  const what = `GET ${base}/blobs/${configDigest} (the image's config, which names its platform)`;
  if (config.outcome.status !== 200) return { kind: 'unreachable', detail: describeHttp(config, what), http: config.outcome };
  try {
    const c = JSON.parse(config.body) as Partial<Platform>;
    if (!c.os || !c.architecture) return found([], false);
    const platform: Platform = { os: c.os, architecture: c.architecture };
    if (c.variant) platform.variant = c.variant;
    if (c['os.version']) platform['os.version'] = c['os.version'];
    return found([platform], false);
  } catch {
    return { kind: 'malformed', detail: `${describeHttp(config, what)}, but the config is not JSON`, http: config.outcome };
  }
}

