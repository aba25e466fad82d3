// HTTPS to registries from the runner: the address comes from our own DNS answer (so the probe uses what
// registry-dns saw), TLS is verified by Node against the registry's host name, the connect and TLS phases
// are bounded (default 5 s), and every failure is reported with the phase it happened in. With
// HTTPS_PROXY set (and the host not in NO_PROXY), requests go through a CONNECT tunnel as docker's do:
// the proxy resolves the name, TLS is still verified against the registry. Retries are those of ARM
// reads, bounded: a reset, 408, 429 or 5xx is sent again at most twice, honouring Retry-After up to 5 s;
// a stalled connect or handshake is not (the connect timeout the user set bounds it once).
import http, { type ClientRequest } from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import tls from 'node:tls';
import type { HttpOutcome } from '../model.js';
import type { DnsResolver } from './dns.js';
import { proxyFor, type ProxyRoute } from './proxy.js';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** form or JSON text */
  body?: string;
  /** false: send once, never retry (every request the probes make is a read or a token request, so the default is to retry) */
  retry?: boolean;
  /** follow up to 3 redirects (blob downloads redirect to storage) */
  follow?: boolean;
}

export interface HttpResult {
  outcome: HttpOutcome;
  /** the whole body (up to maxBodyBytes), '' on failure */
  body: string;
}

export interface RegistryHttpOptions {
  dns: DnsResolver;
  /** TCP connect + TLS handshake budget per attempt */
  connectTimeoutMs?: number;
  /** whole request budget per attempt */
  requestTimeoutMs?: number;
  /** the run's overall budget */
  signal?: AbortSignal;
  userAgent?: string;
  maxBodyBytes?: number;
  /** where HTTPS_PROXY / NO_PROXY (either case) are read (default process.env) */
  env?: NodeJS.ProcessEnv;
}

const EVIDENCE_BODY_CHARS = 2_000;
/** retries after the first attempt */
export const MAX_RETRIES = 2;
const MAX_RETRY_AFTER_MS = 5_000;
const FIRST_BACKOFF_MS = 500;
/** transport failures worth another try: the connection was cut, not refused or stalled */
const RETRYABLE_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

interface Failure {
  code: string;
  message: string;
  phase: NonNullable<HttpOutcome['error']>['phase'];
}

function headerRecord(raw: NodeJS.Dict<string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Whether an outcome is worth sending again, as ARM reads are: a cut connection, 408, 429, or a 5xx other than 501/505. */
export function isRetryable(outcome: HttpOutcome): boolean {
  if (outcome.error) return outcome.error.phase !== 'dns' && RETRYABLE_ERRORS.has(outcome.error.code);
  const s = outcome.status ?? 0;
  return s === 408 || s === 429 || (s >= 500 && s <= 599 && s !== 501 && s !== 505);
}

/** How long to wait before retry number `retry` (0-based): Retry-After (seconds or a date) up to 5 s, else 500 ms, then 1 s. */
export function retryDelayMs(headers: Record<string, string> | undefined, retry: number, now = Date.now()): number {
  const value = headers?.['retry-after']?.trim();
  const backoff = FIRST_BACKOFF_MS * 2 ** retry;
  if (!value) return backoff;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : backoff;
}

/** host:port as a CONNECT request names it (IPv6 in brackets). */
function authority(host: string, port: number | string): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** An error that says in which phase it happened. */
function phased(message: string, code: string, phase: Failure['phase']): Error {
  return Object.assign(new Error(message), { code, phase });
}

/**
 * Kept-alive TLS connections through one HTTP(S) proxy: each new connection is a CONNECT tunnel to the
 * registry's host:port, then TLS over it, verified against the registry's name.
 */
class TunnelAgent extends https.Agent {
  private readonly pending = new Set<ClientRequest>();

  constructor(
    private readonly route: ProxyRoute,
    private readonly connectTimeoutMs: number,
  ) {
    super({ keepAlive: true, maxSockets: 8 });
  }

  override createConnection(options: tls.ConnectionOptions & { host: string; port: number }, callback: (err: Error | null, socket?: Duplex) => void): undefined {
    const { url, shown, authorization } = this.route;
    const target = authority(options.host, options.port);
    const client = url.protocol === 'https:' ? https : http;
    const proxyHost = url.hostname.replace(/^\[|\]$/g, '');
    const connect = client.request({
      host: proxyHost,
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: target,
      headers: { Host: target, ...(authorization && { 'Proxy-Authorization': authorization }) },
      agent: false,
      ...(url.protocol === 'https:' && !isIP(proxyHost) ? { servername: proxyHost } : {}),
    });
    this.pending.add(connect);
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      this.pending.delete(connect);
      connect.destroy();
      callback(err);
    };
    connect.on('error', (err: NodeJS.ErrnoException) => fail(phased(`proxy ${shown}: ${err.message}`, err.code ?? 'ECONNRESET', 'connect')));
    connect.setTimeout(this.connectTimeoutMs, () => fail(phased(`the proxy ${shown} did not answer CONNECT ${target} within ${this.connectTimeoutMs} ms`, 'ETIMEDOUT', 'connect')));
    connect.once('response', (res) => fail(phased(`the proxy ${shown} answered CONNECT ${target} with HTTP ${res.statusCode}`, 'ERR_PROXY_TUNNEL', 'connect')));
    connect.once('connect', (res, socket: Socket, head: Buffer) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return fail(phased(`the proxy ${shown} answered CONNECT ${target} with HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim(), 'ERR_PROXY_TUNNEL', 'connect'));
      }
      done = true;
      this.pending.delete(connect);
      connect.setTimeout(0);
      if (head.length) socket.unshift(head);
      const secure = tls.connect({ ...options, socket });
      // The tunnel's own errors end the TLS connection over it, whose errors the request handles; a
      // connection whose request was given up meanwhile (timeout, budget) has none, so never crash on it.
      socket.on('error', (err) => secure.destroy(err));
      secure.on('error', () => secure.destroy());
      callback(null, secure);
    });
    connect.end();
    return undefined;
  }

  override destroy(): void {
    for (const r of this.pending) r.destroy();
    this.pending.clear();
    super.destroy();
  }
}

export class RegistryHttp {
  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly tunnels = new Map<string, TunnelAgent>();
  /** sockets whose TLS handshake completed (a kept-alive one is reused secured) */
  private readonly secured = new WeakSet<object>();
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: RegistryHttpOptions) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 20_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
    this.env = options.env ?? process.env;
  }

  /** Closes kept-alive connections (and tunnels being opened) so the process can exit. */
  close(): void {
    this.agent.destroy();
    for (const t of this.tunnels.values()) t.destroy();
  }

  async request(req: HttpRequest): Promise<HttpResult> {
    const signal = this.options.signal;
    let result = await this.follow(req);
    let attempts = 1;
    while (req.retry !== false && attempts <= MAX_RETRIES && isRetryable(result.outcome) && !signal?.aborted) {
      await sleep(retryDelayMs(result.outcome.headers, attempts - 1), undefined, { signal }).catch(() => undefined);
      if (signal?.aborted) break;
      result = await this.follow(req);
      attempts += 1;
    }
    if (attempts > 1) result.outcome.attempts = attempts;
    return result;
  }

  /** Whether a request to `url` is meant to go through a proxy (HTTPS_PROXY set and the host not in NO_PROXY). */
  proxied(url: string): boolean {
    return proxyFor(new URL(url), this.env) !== undefined;
  }

  /** The proxy a request to `url` goes through, as shown to users (no credentials), if any. */
  proxyOf(url: string): string | undefined {
    const route = proxyFor(new URL(url), this.env);
    return route && 'shown' in route ? route.shown : undefined;
  }

  private tunnel(route: ProxyRoute): TunnelAgent {
    let agent = this.tunnels.get(route.url.href);
    if (!agent) {
      agent = new TunnelAgent(route, this.connectTimeoutMs);
      this.tunnels.set(route.url.href, agent);
    }
    return agent;
  }

  private async follow(req: HttpRequest): Promise<HttpResult> {
    let current = req;
    for (let hop = 0; ; hop++) {
      const result = await this.once(current);
      const location = result.outcome.headers?.['location'];
      const status = result.outcome.status ?? 0;
      if (!req.follow || hop >= 3 || !location || status < 300 || status >= 400) return result;
      const next = URL.canParse(location, current.url) ? new URL(location, current.url) : undefined;
      if (!next) return result;
      const headers = { ...current.headers };
      // Credentials never travel to another host (storage redirects carry their own SAS).
      if (next.host !== new URL(current.url).host) delete headers['Authorization'];
      current = { ...current, method: current.method === 'HEAD' ? 'HEAD' : 'GET', url: next.toString(), headers, body: undefined };
    }
  }

  private async once(req: HttpRequest): Promise<HttpResult> {
    const started = performance.now();
    const url = new URL(req.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const elapsed = () => Math.round(performance.now() - started);
    const route = proxyFor(url, this.env);
    const proxy = route && 'url' in route ? route : undefined;
    const fail = (f: Failure, address?: string): HttpResult => ({
      outcome: { url: req.url, ...(address && { address }), ...(proxy && { proxy: proxy.shown }), error: f, elapsedMs: elapsed() },
      body: '',
    });
    const budgetSpent: Failure = { code: 'ETIMEDOUT', message: "the run's time budget ran out", phase: 'connect' };
    if (this.options.signal?.aborted) return fail(budgetSpent);
    if (route && 'problem' in route) return fail({ code: 'ERR_PROXY_CONFIG', message: route.problem, phase: 'connect' });

    // Through a proxy, the name is the proxy's to resolve (CONNECT host:port), as docker does.
    let address: string | undefined;
    if (!proxy) {
      address = host;
      if (!isIP(host)) {
        const answer = await this.options.dns.resolve(host);
        const chosen = answer.addresses.find((a) => isIP(a) === 4) ?? answer.addresses[0];
        if (!chosen) return fail({ code: answer.error?.code ?? 'ENOTFOUND', message: answer.error?.message ?? `${host} did not resolve`, phase: 'dns' });
        address = chosen;
      }
    }

    // Already out of time: make no request (one destroyed before its error listener exists would crash the process).
    if (this.options.signal?.aborted) return fail(budgetSpent, address);
    return new Promise<HttpResult>((resolve) => {
      let phase: Failure['phase'] = 'connect';
      let settled = false;
      const finish = (r: HttpResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(requestTimer);
        this.options.signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const headers: Record<string, string> = {
        Host: url.host,
        'User-Agent': this.options.userAgent ?? 'aks-acr-preflight',
        ...req.headers,
      };
      if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
      let request: ClientRequest;
      try {
        request = https.request({
          host: proxy ? host : address,
          port: url.port || 443,
          method: req.method,
          path: `${url.pathname}${url.search}`,
          headers,
          agent: proxy ? this.tunnel(proxy) : this.agent,
          ...(isIP(host) ? {} : { servername: host }),
        });
      } catch (err) {
        // e.g. a token with a line break from a malformed answer, refused as a header value
        const e = err as NodeJS.ErrnoException;
        return resolve(fail({ code: e.code ?? 'EINVAL', message: e.message, phase: 'connect' }, address));
      }
      const abort = (f: Failure) => {
        finish(fail(f, address));
        request.destroy();
      };
      // Before anything else: an error on a request nobody listens to crashes the process ("socket hang up").
      request.on('error', (err: NodeJS.ErrnoException & { phase?: Failure['phase'] }) => {
        const code = err.code ?? 'EUNKNOWN';
        const tlsCode = /CERT|SELF_SIGNED|UNABLE_TO_|TLS|SSL|ALTNAME|EPROTO/.test(code) && code !== 'ERR_PROXY_TUNNEL';
        abort({ code, message: err.message, phase: err.phase ?? (tlsCode ? 'tls' : phase) });
      });
      const onAbort = () => abort({ ...budgetSpent, phase });
      const via = proxy ? ` through the proxy ${proxy.shown}` : '';
      const connectTimer = setTimeout(
        () => abort({ code: 'ETIMEDOUT', message: `no ${phase === 'tls' ? 'TLS handshake' : 'connection'}${via} within ${this.connectTimeoutMs} ms`, phase }),
        this.connectTimeoutMs,
      );
      const requestTimer = setTimeout(
        () => abort({ code: 'ETIMEDOUT', message: `no complete answer within ${this.requestTimeoutMs} ms`, phase }),
        this.requestTimeoutMs,
      );
      this.options.signal?.addEventListener('abort', onAbort, { once: true });

      request.on('socket', (socket) => {
        const secured = () => {
          phase = 'response';
          clearTimeout(connectTimer);
        };
        if (this.secured.has(socket)) return secured();
        // A tunnel arrives connected (through the proxy): only its TLS handshake is left.
        if (proxy) phase = 'tls';
        else socket.once('connect', () => (phase = 'tls'));
        socket.once('secureConnect', () => {
          this.secured.add(socket);
          secured();
        });
      });
      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= this.maxBodyBytes) chunks.push(chunk);
        });
        res.on('error', (err: NodeJS.ErrnoException) => abort({ code: err.code ?? 'ECONNRESET', message: err.message, phase: 'response' }));
        res.on('close', () => {
          if (!res.complete) abort({ code: 'ECONNRESET', message: 'the connection closed before the answer was complete', phase: 'response' });
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const outcome: HttpOutcome = {
            url: req.url,
            ...(address && { address }),
            ...(proxy && { proxy: proxy.shown }),
            status: res.statusCode,
            headers: headerRecord(res.headers),
            elapsedMs: elapsed(),
          };
          if (body) outcome.body = body.slice(0, EVIDENCE_BODY_CHARS);
          finish({ outcome, body });
        });
      });
      request.end(req.body);
    });
  }
}
