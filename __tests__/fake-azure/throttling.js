// @ts-check
// ARM-like throttling for the fake, off unless a test turns it on (`fake.throttling = new Throttling()`):
// ARM reads draw from a token bucket per subscription and principal (burst 250, refilled at 25/s);
// past it ARM answers 429 with Retry-After, and every ARM answer carries
// x-ms-ratelimit-remaining-subscription-reads. Resource Graph allows 15 queries per 5 s per principal,
// saying so in x-ms-user-quota-remaining / x-ms-user-quota-resets-after (hh:mm:ss), 429 past it.
import { armError } from './arm.js';
import { subscriptionOf } from './scopes.js';

/** @typedef {import('./server.js').Ctx} Ctx */
/** @typedef {import('./server.js').Reply} Reply */
/** @typedef {import('./server.js').Route} Route */

/** @param {number} ms */
function hhmmss(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

export class Throttling {
  /** answers 429 so far, by kind */
  throttled = { arm: 0, resourceGraph: 0 };
  /** answers that said the budget is spent (remaining 0) without refusing the request */
  spent = { arm: 0, resourceGraph: 0 };
  /** @type {Map<string, { tokens: number, at: number }>} */
  #buckets = new Map();
  /** @type {Map<string, number[]>} */
  #queries = new Map();

  /** @param {{ burst?: number, refillPerSecond?: number, queries?: number, windowMs?: number, now?: () => number }} [o] */
  constructor(o = {}) {
    this.burst = o.burst ?? 250;
    this.refillPerSecond = o.refillPerSecond ?? 25;
    this.queries = o.queries ?? 15;
    this.windowMs = o.windowMs ?? 5000;
    this.now = o.now ?? (() => Date.now());
  }

  /**
   * The answer to a request: a 429 past the budget, else `answer()` with the quota headers added.
   * @param {Ctx} ctx @param {Route | undefined} route @param {() => Reply} answer @returns {Reply}
   */
  apply(ctx, route, answer) {
    if (route?.name === 'resourceGraph.resources') return this.#graph(ctx, answer);
    if (route?.family !== 'arm' || ctx.method !== 'GET') return answer();
    return this.#arm(ctx, answer);
  }

  /** @param {Ctx} ctx @param {() => Reply} answer @returns {Reply} */
  #arm(ctx, answer) {
    const key = `${(subscriptionOf(ctx.path) ?? 'tenant').toLowerCase()}|${ctx.caller?.clientId ?? ''}`;
    const now = this.now();
    const b = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.refillPerSecond);
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens < 1) {
      this.throttled.arm += 1;
      const retryAfter = String(Math.max(1, Math.ceil((1 - b.tokens) / this.refillPerSecond)));
      return armError(429, 'TooManyRequests', 'The request is being throttled as the limit has been reached for operation type - Read. For more information, refer to - https://aka.ms/srpthrottlinglimits', {
        'Retry-After': retryAfter,
        'x-ms-ratelimit-remaining-subscription-reads': '0',
      });
    }
    b.tokens -= 1;
    if (b.tokens < 1) this.spent.arm += 1;
    const reply = answer();
    return { ...reply, headers: { ...reply.headers, 'x-ms-ratelimit-remaining-subscription-reads': String(Math.floor(b.tokens)) } };
  }

  /** @param {Ctx} ctx @param {() => Reply} answer @returns {Reply} */
  #graph(ctx, answer) {
    const key = ctx.caller?.clientId ?? '';
    const now = this.now();
    const recent = (this.#queries.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.#queries.set(key, recent);
    const resetsAfter = recent.length ? hhmmss(this.windowMs - (now - (recent[0] ?? now))) : hhmmss(this.windowMs);
    if (recent.length >= this.queries) {
      this.throttled.resourceGraph += 1;
      return {
        status: 429,
        body: { error: { code: 'RateLimiting', message: 'Please provide below info when asking for support: timestamp, correlation id.', details: [{ code: 'RateLimiting', message: 'Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed.' }] } },
        headers: { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': resetsAfter },
      };
    }
    recent.push(now);
    if (recent.length === this.queries) this.spent.resourceGraph += 1;
    const reply = answer();
    return { ...reply, headers: { ...reply.headers, 'x-ms-user-quota-remaining': String(this.queries - recent.length), 'x-ms-user-quota-resets-after': resetsAfter } };
  }
}
