// Bounded, throttling-aware concurrency for every Azure read: one gate per service host (ARM, Resource
// Graph, Microsoft Graph), each letting a fixed number of requests through at once. A 429 pauses the
// whole gate until Retry-After has passed (a shared pause, not one per request, so no retry storm
// starts), and so does a quota header that says the budget is spent: ARM's
// x-ms-ratelimit-remaining-subscription-reads (a token bucket refilled at ~25 reads/s), Resource Graph's
// x-ms-user-quota-remaining / x-ms-user-quota-resets-after (15 queries per 5 s). A throttled request is
// sent again after the pause until the run's time budget (the request's abort signal) ends it.
import type { PipelinePolicy, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';

type AbortSignalLike = NonNullable<PipelineRequest['abortSignal']>;

/** How many requests each kind of host serves at once. */
export const POOL_SIZE = { arm: 24, resourceGraph: 4, graph: 8 } as const;
export type HostKind = keyof typeof POOL_SIZE;

/** ARM refills a subscription's read bucket at about this rate (reads per second). */
const ARM_REFILL_PER_S = 25;
/** A 429 without Retry-After waits this long. */
const DEFAULT_PAUSE_MS = 1_000;
/** Retry-After and quota resets beyond this are capped (the run's own time budget still ends the wait). */
const MAX_PAUSE_MS = 60_000;
/** A request answered 429 this many times in a row is given back as it is (the SDK's retry policy may still retry it). */
const MAX_THROTTLED_ATTEMPTS = 30;

/** Retry-After as milliseconds: delta-seconds (`2`, `0.5`) or an HTTP-date; undefined when it is neither. */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.min(Number(v) * 1000, MAX_PAUSE_MS);
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(at - now, 0), MAX_PAUSE_MS);
}

/** x-ms-user-quota-resets-after (`hh:mm:ss`, optionally with fractions of a second) as milliseconds. */
export function quotaResetsAfterMs(value: string | undefined): number | undefined {
  const m = /^\s*(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)\s*$/.exec(value ?? '');
  if (!m) return undefined;
  return Math.min((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000, MAX_PAUSE_MS);
}

/** A remaining-quota header as a whole number; undefined when absent or not a number. */
export function remainingQuota(value: string | undefined): number | undefined {
  const v = value?.trim();
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** How long a host should rest after this answer, from its status and quota headers (0: not at all). */
export function pauseAfter(status: number, header: (name: string) => string | undefined, poolSize: number, now: number = Date.now()): number {
  const resetsAfter = quotaResetsAfterMs(header('x-ms-user-quota-resets-after'));
  if (status === 429) return retryAfterMs(header('retry-after'), now) ?? resetsAfter ?? DEFAULT_PAUSE_MS;
  if (remainingQuota(header('x-ms-user-quota-remaining')) === 0) return resetsAfter ?? DEFAULT_PAUSE_MS;
  const reads = remainingQuota(header('x-ms-ratelimit-remaining-subscription-reads'));
  // Fewer reads left than requests in flight: wait for the bucket to refill what the pool may still spend.
  if (reads !== undefined && reads < poolSize) return Math.ceil(((poolSize - reads) * 1000) / ARM_REFILL_PER_S);
  return 0;
}

function abortError(signal: AbortSignalLike): unknown {
  return (signal as { reason?: unknown }).reason ?? Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
}

/** Sleeps `ms`, or rejects as soon as the signal aborts. */
function rest(ms: number, signal: AbortSignalLike | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignalLike));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One host's pool: at most `size` requests at once, and a pause every request waits out. */
export class HostGate {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  private pausedUntil = 0;
  /** answers 429 this gate has met */
  throttled = 0;

  constructor(readonly size: number) {}

  /** Waits for the pause to end and a free place in the pool. */
  async enter(signal?: AbortSignalLike): Promise<void> {
    for (;;) {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) await rest(wait, signal);
      if (this.active < this.size) {
        this.active += 1;
        return;
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const i = this.queue.indexOf(go);
          if (i >= 0) this.queue.splice(i, 1);
          reject(abortError(signal as AbortSignalLike));
        };
        const go = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.queue.push(go);
      });
    }
  }

  leave(): void {
    this.active -= 1;
    this.next();
  }

  private next(): void {
    this.queue.shift()?.();
  }

  /** Takes in what an answer says about the host's budget. */
  learn(response: Pick<PipelineResponse, 'status' | 'headers'>): void {
    if (response.status === 429) this.throttled += 1;
    const ms = pauseAfter(response.status, (name) => response.headers.get(name), this.size);
    if (ms > 0) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }
}

/** The run's gates, one per host and kind of service. */
export class HostGates {
  private readonly gates = new Map<string, HostGate>();

  of(kind: HostKind, host: string): HostGate {
    const key = `${kind}|${host.toLowerCase()}`;
    let gate = this.gates.get(key);
    if (!gate) {
      gate = new HostGate(POOL_SIZE[kind]);
      this.gates.set(key, gate);
    }
    return gate;
  }

  /** 429s met by every gate. */
  get throttled(): number {
    return [...this.gates.values()].reduce((n, g) => n + g.throttled, 0);
  }
}

/** Resource Graph shares ARM's host; it has its own quota, so its own pool. */
function kindOf(url: URL, fallback: HostKind): HostKind {
  return /^\/providers\/microsoft\.resourcegraph\//i.test(url.pathname) ? 'resourceGraph' : fallback;
}

/** The pipeline policy (position perRetry) that sends every request through its host's gate. */
export function throttlePolicy(gates: HostGates, kind: HostKind): PipelinePolicy {
  return {
    name: 'aksAcrPreflightHostGate',
    async sendRequest(request, next) {
      const url = new URL(request.url);
      const gate = gates.of(kindOf(url, kind), url.host);
      for (let attempt = 1; ; attempt++) {
        await gate.enter(request.abortSignal);
        let response: PipelineResponse;
        try {
          response = await next(request);
        } finally {
          gate.leave();
        }
        gate.learn(response);
        if (response.status !== 429 || attempt >= MAX_THROTTLED_ATTEMPTS) return response;
      }
    },
  };
}
