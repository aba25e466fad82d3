// HTTPS to registries from the runner: the address comes from our own DNS answer (so the probe uses what
// registry-dns saw), TLS is verified by Node against the registry's host name, the connect and TLS phases
// are bounded (default 5 s), and every failure is reported with the phase it happened in. No retry storms:
// a request is retried at most once, and only for 429/502/503/504 or a reset, honouring Retry-After up to 5 s.
import https from 'node:https';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpOutcome } from '../model.js';
import type { DnsResolver } from './dns.js';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** form or JSON text */
  body?: string;
  /** allow one retry on 429/502/503/504/reset (idempotent reads and token requests) */
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
}

const EVIDENCE_BODY_CHARS = 2_000;
const RETRYABLE = new Set([429, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 5_000;

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

function retryAfterMs(headers: Record<string, string> | undefined): number {
  const value = headers?.['retry-after'];
  if (!value) return 500;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

export class RegistryHttp {
  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly maxBodyBytes: number;

  constructor(private readonly options: RegistryHttpOptions) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 20_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  }

  /** Closes kept-alive connections so the process can exit. */
  close(): void {
    this.agent.destroy();
  }

  async request(req: HttpRequest): Promise<HttpResult> {
    let result = await this.follow(req);
    const status = result.outcome.status;
    const reset = result.outcome.error?.code === 'ECONNRESET';
    if (req.retry && ((status !== undefined && RETRYABLE.has(status)) || reset) && !this.options.signal?.aborted) {
      await sleep(retryAfterMs(result.outcome.headers), undefined, { signal: this.options.signal }).catch(() => undefined);
      if (!this.options.signal?.aborted) result = await this.follow(req);
    }
    return result;
  }

  private async follow(req: HttpRequest): Promise<HttpResult> {
    let current = req;
    for (let hop = 0; ; hop++) {
      const result = await this.once(current);
      const location = result.outcome.headers?.['location'];
      const status = result.outcome.status ?? 0;
      if (!req.follow || hop >= 3 || !location || status < 300 || status >= 400) return result;
      const next = new URL(location, current.url);
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
    const fail = (f: Failure, address?: string): HttpResult => ({
      outcome: { url: req.url, ...(address && { address }), error: f, elapsedMs: elapsed() },
      body: '',
    });

    let address = host;
    if (!isIP(host)) {
      const answer = await this.options.dns.resolve(host);
      const chosen = answer.addresses.find((a) => isIP(a) === 4) ?? answer.addresses[0];
      if (!chosen) return fail({ code: answer.error?.code ?? 'ENOTFOUND', message: answer.error?.message ?? `${host} did not resolve`, phase: 'dns' });
      address = chosen;
    }

    // Already out of time: make no request (one destroyed before its error listener exists would crash the process).
    if (this.options.signal?.aborted) return fail({ code: 'ETIMEDOUT', message: "the run's time budget ran out", phase: 'connect' }, address);
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
      const request = https.request({
        host: address,
        port: url.port || 443,
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers,
        agent: this.agent,
        ...(isIP(host) ? {} : { servername: host }),
      });
      const abort = (f: Failure) => {
        finish(fail(f, address));
        request.destroy();
      };
      const onAbort = () => abort({ code: 'ETIMEDOUT', message: 'the run\'s time budget ran out', phase });
      const connectTimer = setTimeout(
        () => abort({ code: 'ETIMEDOUT', message: `no ${phase === 'tls' ? 'TLS handshake' : 'connection'} within ${this.connectTimeoutMs} ms`, phase }),
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
        // A reused keep-alive socket is already connected and secured.
        if (!socket.connecting && (socket as { encrypted?: boolean }).encrypted) return secured();
        socket.once('connect', () => {
          phase = 'tls';
        });
        socket.once('secureConnect', secured);
      });
      request.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? 'EUNKNOWN';
        const tlsCode = /CERT|SELF_SIGNED|UNABLE_TO_|TLS|SSL|ALTNAME|EPROTO/.test(code);
        abort({ code, message: err.message, phase: tlsCode ? 'tls' : phase });
      });
      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= this.maxBodyBytes) chunks.push(chunk);
        });
        res.on('error', (err: NodeJS.ErrnoException) => abort({ code: err.code ?? 'ECONNRESET', message: err.message, phase: 'response' }));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const outcome: HttpOutcome = {
            url: req.url,
            address,
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
