// The runner's look at a registry: resolve its names, knock on /v2/, and fetch image manifests with a
// pull token (ACR: Entra token → /oauth2/exchange → /oauth2/token; any other registry: the anonymous
// token flow its challenge names). Collectors only: they record what happened, the judges decide.
import type { EndpointProbe, ImageFacts, ImageLookup, ImageRef, Platform, RegistryFacts, RunnerProbeFacts } from '../model.js';
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
  const endpoint = login.addresses.length ? await probeEndpoint(deps, registry.loginServer) : undefined;
  const facts: RunnerProbeFacts = { dns: await dnsAnswers };
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
  if (o.error) return `${what}: ${o.error.code} during ${o.error.phase} (${o.error.message})`;
  const errors = registryErrors(r.body).map((e) => [e.code, e.message].filter(Boolean).join(': '));
  return `${what}: HTTP ${o.status}${errors.length ? ` (${errors.join('; ')})` : ''}`;
}

/** The outcome without its body: token responses carry secrets and never become evidence. */
function withoutBody(r: HttpResult): HttpResult['outcome'] {
  const { body: _body, ...rest } = r.outcome;
  return rest;
}

const form = (fields: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined)).toString();

type TokenResult = { ok: true; token?: string; auth: ImageFacts['auth'] } | { ok: false; lookup: ImageLookup; auth: ImageFacts['auth'] };

/** Pull tokens for one run: refresh tokens per ACR and access tokens per repository, each fetched once. */
export class PullTokens {
  private readonly refresh = new Map<string, Promise<{ ok: true; token: string } | { ok: false; lookup: ImageLookup }>>();
  private readonly access = new Map<string, Promise<TokenResult>>();

  constructor(private readonly deps: ProbeDeps) {}

  forImage(host: string, repository: string, acr: RegistryFacts | undefined): Promise<TokenResult> {
    const key = `${host}|${repository}`;
    let t = this.access.get(key);
    if (!t) {
      t = acr ? this.acr(acr, repository) : this.anonymous(host, repository);
      this.access.set(key, t);
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
      retry: true,
    });
    const token = r.outcome.status === 200 ? tokenIn(r.body, 'refresh_token') : undefined;
    if (token) {
      this.deps.secret(token);
      return { ok: true, token };
    }
    return { ok: false, lookup: failedTokenLookup(r, `exchanging the signed-in identity's Entra token at ${service}/oauth2/exchange`, true) };
  }

  private async acr(acr: RegistryFacts, repository: string): Promise<TokenResult> {
    const refresh = await this.refreshToken(acr.loginServer, this.scopeFor(acr));
    if (!refresh.ok) {
      // An anonymous-pull registry still serves the image to anyone.
      if (acr.anonymousPullEnabled && refresh.lookup.kind === 'denied') return this.anonymous(acr.loginServer, repository);
      return { ok: false, lookup: refresh.lookup, auth: 'acr-exchange' };
    }
    const service = acr.loginServer.toLowerCase();
    const r = await this.deps.http.request({
      method: 'POST',
      url: `https://${service}/oauth2/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'refresh_token', service, scope: `repository:${repository}:pull`, refresh_token: refresh.token }),
      retry: true,
    });
    const token = r.outcome.status === 200 ? tokenIn(r.body, 'access_token') : undefined;
    if (token) {
      this.deps.secret(token);
      return { ok: true, token, auth: 'acr-exchange' };
    }
    return { ok: false, lookup: failedTokenLookup(r, `getting a pull token for ${repository} at ${service}/oauth2/token`, true), auth: 'acr-exchange' };
  }

  /** The anonymous flow: /v2/ tells where tokens come from; ask without credentials. */
  private async anonymous(host: string, repository: string): Promise<TokenResult> {
    const probe = await probeEndpoint(this.deps, host);
    const status = probe.http.status;
    if (status === 200) return { ok: true, auth: 'none' };
    if (probe.http.error || status === undefined || status >= 500 || status === 429 || status === 403) {
      return { ok: false, lookup: { kind: 'unreachable', detail: describeHttp({ outcome: probe.http, body: probe.http.body ?? '' }, `GET https://${host}/v2/`), http: probe.http }, auth: 'anonymous' };
    }
    const realm = probe.challenge?.realm;
    if (status !== 401 || !realm) {
      const scheme = probe.http.headers?.['www-authenticate']?.split(/\s/)[0] ?? 'no';
      return { ok: false, lookup: { kind: 'needs-credentials', detail: `${host} answers /v2/ with HTTP ${status} and a ${scheme} challenge: it needs credentials`, status }, auth: 'anonymous' };
    }
    const url = new URL(realm);
    if (probe.challenge?.service) url.searchParams.set('service', probe.challenge.service);
    url.searchParams.set('scope', `repository:${repository}:pull`);
    const r = await this.deps.http.request({ method: 'GET', url: url.toString(), retry: true });
    const token = r.outcome.status === 200 ? (tokenIn(r.body, 'token') ?? tokenIn(r.body, 'access_token')) : undefined;
    if (token) {
      this.deps.secret(token);
      return { ok: true, token, auth: 'anonymous' };
    }
    return { ok: false, lookup: failedTokenLookup(r, `getting an anonymous pull token for ${repository} from ${url.origin}${url.pathname}`, false), auth: 'anonymous' };
  }
}

function tokenIn(body: string, field: string): string | undefined {
  try {
    const value = (JSON.parse(body) as Record<string, unknown>)[field];
    return typeof value === 'string' && value ? value : undefined;
  } catch {
    return undefined;
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
  const t = await tokens.forImage(registryHost, ref.repository, acr);
  const facts = (lookup: ImageLookup): ImageFacts => ({ ref, registryHost, auth: t.auth, lookup });
  if (!t.ok) return facts(t.lookup);
  const auth: Record<string, string> = t.token ? { Authorization: `Bearer ${t.token}` } : {};
  const base = `https://${registryHost}/v2/${ref.repository}`;
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const r = await deps.http.request({ method: 'GET', url: `${base}/manifests/${reference}`, headers: { ...auth, Accept: MANIFEST_ACCEPT }, retry: true });
  const status = r.outcome.status;
  if (status === 200) return facts(await foundManifest(deps, r, base, auth));
  const what = `GET ${base}/manifests/${reference}`;
  if (status === 404) {
    const codes = registryErrors(r.body).map((e) => e.code);
    if (codes.includes('NAME_UNKNOWN')) return facts({ kind: 'missing-repository', detail: describeHttp(r, what) });
    // MANIFEST_UNKNOWN for a missing tag and (on distribution) a missing repository alike: tags/list tells them apart.
    const tags = await deps.http.request({ method: 'GET', url: `${base}/tags/list`, headers: auth, retry: true });
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
    return facts(acr ? { kind: 'denied', detail: describeHttp(r, what), status } : { kind: 'needs-credentials', detail: describeHttp(r, what), status });
  }
  return facts({ kind: 'unreachable', detail: describeHttp(r, what), http: r.outcome });
}

async function foundManifest(deps: ProbeDeps, r: HttpResult, base: string, auth: Record<string, string>): Promise<ImageLookup> {
  let body: ManifestBody;
  try {
    body = JSON.parse(r.body) as ManifestBody;
  } catch {
    return { kind: 'unreachable', detail: `the manifest at ${r.outcome.url} is not JSON`, http: r.outcome };
  }
  const mediaType = body.mediaType ?? r.outcome.headers?.['content-type']?.split(';')[0]?.trim() ?? '';
  const digest = r.outcome.headers?.['docker-content-digest'];
  const found = (platforms: Platform[], index: boolean): ImageLookup => ({ kind: 'found', mediaType, platforms, index, ...(digest && { digest }) });
  if (INDEX_TYPES.has(mediaType) || Array.isArray(body.manifests)) {
    const platforms = (body.manifests ?? []).filter((m) => m.platform && !isAttestationEntry(m)).map((m) => m.platform as Platform);
    return found(platforms, true);
  }
  const configDigest = body.config?.digest;
  if (!configDigest) return found([], false);
  const config = await deps.http.request({ method: 'GET', url: `${base}/blobs/${configDigest}`, headers: auth, retry: true, follow: true });
  if (config.outcome.status !== 200) return found([], false);
  try {
    const c = JSON.parse(config.body) as Partial<Platform>;
    if (!c.os || !c.architecture) return found([], false);
    const platform: Platform = { os: c.os, architecture: c.architecture };
    if (c.variant) platform.variant = c.variant;
    if (c['os.version']) platform['os.version'] = c['os.version'];
    return found([platform], false);
  } catch {
    return found([], false);
  }
}

