// ARM plumbing shared by the readers: one client per service and subscription, built with the
// cloud's token audience, bounded retries (429 honouring Retry-After, 408, 5xx, connection resets:
// the SDK pipeline's own policies), and a translation of any failure into a ReadFailure that keeps
// the status, ARM error code and correlation id.
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/identity';
import type { Config, Fact, ReadFailure } from '../model.js';
import { HostGates, throttlePolicy } from './throttle.js';

export const RETRY_OPTIONS = { maxRetries: 3, retryDelayInMs: 400, maxRetryDelayInMs: 5_000 };
export const USER_AGENT = 'aks-acr-preflight';

export class ArmClients {
  private readonly cache = new Map<string, unknown>();
  /** one pool per host for the run, shared by every client (and Microsoft Graph's) */
  readonly gates = new HostGates();

  constructor(
    readonly credential: TokenCredential,
    readonly config: Pick<Config, 'armEndpoint' | 'cloud'>,
    readonly signal: AbortSignal,
  ) {}

  /** One instance per key (clients of other SDKs are kept here too). */
  cached<T>(key: string, make: () => T): T {
    return this.memo(key, make);
  }

  private memo<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }

  /** options for the generated (modular) clients: containerservice, containerregistry */
  modularOptions() {
    return {
      endpoint: this.config.armEndpoint,
      credentials: { scopes: [this.config.cloud.armScope] },
      retryOptions: RETRY_OPTIONS,
      userAgentOptions: { userAgentPrefix: USER_AGENT },
      additionalPolicies: [this.gatePolicy()],
    };
  }

  /** every request through its host's pool, pausing it on throttling */
  private gatePolicy() {
    return { policy: throttlePolicy(this.gates, 'arm'), position: 'perRetry' as const };
  }

  /** options for the older core-client clients: authorization, subscriptions (they build URLs from $host) */
  private classicOptions() {
    return {
      endpoint: this.config.armEndpoint,
      $host: this.config.armEndpoint,
      credentialScopes: [this.config.cloud.armScope],
      retryOptions: RETRY_OPTIONS,
      userAgentOptions: { userAgentPrefix: USER_AGENT },
      additionalPolicies: [this.gatePolicy()],
    };
  }

  containerService(subscriptionId: string): ContainerServiceClient {
    return this.memo(`aks:${subscriptionId}`, () => new ContainerServiceClient(this.credential, subscriptionId, this.modularOptions()));
  }

  containerRegistry(subscriptionId: string): ContainerRegistryManagementClient {
    return this.memo(`acr:${subscriptionId}`, () => new ContainerRegistryManagementClient(this.credential, subscriptionId, this.modularOptions()));
  }

  /** role and deny assignments are addressed by scope; the subscription only fills the constructor */
  authorization(subscriptionId: string): AuthorizationManagementClient {
    return this.memo(`authz:${subscriptionId}`, () => new AuthorizationManagementClient(this.credential, subscriptionId, this.classicOptions()));
  }

  subscriptions(): SubscriptionClient {
    return this.memo('subs', () => new SubscriptionClient(this.credential, this.classicOptions()));
  }
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  response?: { status?: number; headers?: { get(name: string): string | undefined }; bodyAsText?: string | null };
  details?: { error?: { code?: string; message?: string } };
}

function armErrorBody(e: ErrorLike): { code?: string; message?: string } | undefined {
  if (e.details?.error) return e.details.error;
  const text = e.response?.bodyAsText;
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return parsed.error;
  } catch {
    return undefined;
  }
}

export function isAbort(err: unknown): boolean {
  const e = err as ErrorLike | undefined;
  return e?.name === 'AbortError' || e?.name === 'TimeoutError';
}

/** A paged listing whose next-page links repeat or never end. */
export class ListingDidNotEnd extends Error {
  override readonly name = 'ListingDidNotEnd';
}

/** An answer that is not JSON, or JSON of an unexpected shape. */
export class MalformedAnswer extends Error {
  override readonly name = 'MalformedAnswer';
}

/** What an answer is, for a message: its type, or the fields an object has. */
function shapeOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  const fields = Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [k]));
  return `an object with ${fields.join(', ') || 'no fields'}`;
}

/** The resource itself when ARM's answer has the shape of one (an object with a resource ID), else MalformedAnswer. */
export function expectResource<T extends { id?: string }>(value: T, kind: string): T {
  const id = typeof value === 'object' && value !== null ? value.id : undefined;
  if (typeof id !== 'string' || !/^\/subscriptions\//i.test(id)) throw new MalformedAnswer(`expected ${kind} with a resource id, got ${shapeOf(value)}`);
  return value;
}

/** The SDKs' ways of saying a body could not be parsed or paged (core-client PARSE_ERROR, the paging helpers, JSON.parse). */
const MALFORMED = /Couldn't paginate response|Body Property \S+ should be|occurred while parsing the response body|in JSON at position|is not valid JSON|Unexpected (token|end of JSON)/;

function malformedDetail(e: ErrorLike): string | undefined {
  const message = e.message ?? '';
  if (e.name !== 'MalformedAnswer' && e.code !== 'PARSE_ERROR' && !MALFORMED.test(message)) return undefined;
  const inner = /Error "([^"]+)" occurred while parsing/.exec(message)?.[1];
  return (inner ?? message.split('\n').filter(Boolean).join(': ')).slice(0, 200);
}

/** A failure of any read, in the terms a user can act on. */
export function toReadFailure(what: string, err: unknown, missingPermission?: string): ReadFailure {
  const e = (err ?? {}) as ErrorLike;
  if (isAbort(err)) {
    return { what, message: 'the time budget ran out before Azure answered (raise the `timeout` input if Azure is slow)' };
  }
  if (e.name === 'ListingDidNotEnd') return { what, message: e.message ?? 'the listing did not end' };
  const status = e.statusCode ?? e.response?.status;
  const body = armErrorBody(e);
  const correlationId = e.response?.headers?.get('x-ms-correlation-request-id') ?? undefined;
  const malformed = malformedDetail(e);
  const failure: ReadFailure = {
    what,
    message: malformed
      ? `Azure answered, but the answer was malformed (${malformed}); retry, and if it persists, give Azure support the correlation id`
      : (body?.message ?? e.message ?? String(err)),
  };
  if (status !== undefined) failure.status = status;
  const code = body?.code ?? (typeof e.code === 'string' ? e.code : undefined);
  if (code) failure.code = code;
  if (correlationId) failure.correlationId = correlationId;
  if (missingPermission && (status === 403 || status === 401)) failure.missingPermission = missingPermission;
  return failure;
}

/** Runs a read and returns its value or why it failed; never throws. */
export async function readFact<T>(what: string, missingPermission: string | undefined, read: () => Promise<T>): Promise<Fact<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    return { ok: false, error: toReadFailure(what, err, missingPermission) };
  }
}

/** More pages than any real listing of this tool's has: a listing this long is taken as one that never ends. */
export const MAX_PAGES = 1000;

/** A paged SDK listing: its pages carry the next-page link as their continuation token. */
interface Paged<T> extends AsyncIterable<T> {
  byPage?: (settings?: { continuationToken?: string }) => AsyncIterable<T[]>;
}

/** The continuation token of a page of the modular SDKs (the classic ones export their own getContinuationToken). */
const pageToken = (page: unknown) => (page as { continuationToken?: string } | undefined)?.continuationToken;

/**
 * Collects every page of a paged SDK listing. A next-page link seen before, or more than `maxPages`
 * pages, is a listing that does not end: it throws ListingDidNotEnd instead of looping until killed, and
 * so does a time budget that runs out in the middle of the pages.
 */
export async function collectAll<T>(iter: Paged<T>, tokenOf: (page: T[]) => string | undefined = pageToken, maxPages = MAX_PAGES): Promise<T[]> {
  const out: T[] = [];
  if (!iter.byPage) {
    for await (const item of iter) out.push(item);
    return out;
  }
  const seen = new Map<string, number>();
  let pages = 0;
  try {
    for await (const page of iter.byPage()) {
      pages += 1;
      out.push(...page);
      const token = tokenOf(page);
      if (!token) break;
      const first = seen.get(token);
      if (first !== undefined) throw new ListingDidNotEnd(`the listing did not end: page ${pages} repeated the next-page link of page ${first}`);
      if (pages >= maxPages) throw new ListingDidNotEnd(`the listing did not end after ${maxPages} pages (each pointed to another)`);
      seen.set(token, pages);
    }
  } catch (err) {
    if (isAbort(err) && pages > 1) throw new ListingDidNotEnd(`the listing had not ended after ${pages} pages when the time budget ran out`);
    throw err;
  }
  return out;
}
