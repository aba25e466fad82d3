// Property tests (fast-check) for the fleet's parsers and matchers: Retry-After, the quota headers and
// the pause they give, KQL string literals, Resource Graph role-assignment rows, cluster-tags, and the
// host pool's bound on concurrent requests.
import fc from 'fast-check';
import { carriesTags } from '../../src/azure/fleet.js';
import { kqlString, roleAssignmentFromRow } from '../../src/azure/resource-graph.js';
import { HostGate, pauseAfter, quotaResetsAfterMs, remainingQuota, retryAfterMs } from '../../src/azure/throttle.js';

const MAX_PAUSE_MS = 60_000;
const noHeaders = () => undefined;

describe('Retry-After', () => {
  test('delta-seconds: n seconds is n × 1000 ms, capped at a minute', () => {
    fc.assert(fc.property(fc.nat(100_000), (n) => expect(retryAfterMs(String(n))).toBe(Math.min(n * 1000, MAX_PAUSE_MS))));
  });

  test('an HTTP-date: the time until then (never negative, at most a minute)', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: -3600, max: 3600 }), (s) => {
        const at = new Date(now + s * 1000).toUTCString();
        expect(retryAfterMs(at, now)).toBe(Math.min(Math.max(s * 1000, 0), MAX_PAUSE_MS));
      }),
    );
  });

  test('anything else is no Retry-After at all, never a negative or endless wait', () => {
    fc.assert(
      fc.property(fc.string(), (v) => {
        const ms = retryAfterMs(v, 0);
        expect(ms === undefined || (ms >= 0 && ms <= MAX_PAUSE_MS)).toBe(true);
      }),
    );
  });
});

describe('Resource Graph quota headers', () => {
  test('x-ms-user-quota-resets-after hh:mm:ss round-trips, capped at a minute', () => {
    fc.assert(
      fc.property(fc.nat(99), fc.nat(59), fc.nat(59), (h, m, s) => {
        const pad = (n: number) => String(n).padStart(2, '0');
        expect(quotaResetsAfterMs(`${pad(h)}:${pad(m)}:${pad(s)}`)).toBe(Math.min((h * 3600 + m * 60 + s) * 1000, MAX_PAUSE_MS));
      }),
    );
  });

  test('a remaining count is a whole number, anything else undefined', () => {
    fc.assert(fc.property(fc.nat(), (n) => expect(remainingQuota(String(n))).toBe(n)));
    fc.assert(fc.property(fc.string().filter((s) => !/^\s*\d+\s*$/.test(s)), (s) => expect(remainingQuota(s)).toBeUndefined()));
  });
});

describe('the pause an answer gives its host', () => {
  test.each<[string, number, Record<string, string>, number]>([
    ['a 429 with Retry-After', 429, { 'retry-after': '3' }, 3000],
    ['a 429 of Resource Graph', 429, { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': '00:00:04' }, 4000],
    ['a 429 saying nothing', 429, {}, 1000],
    ['a Resource Graph quota spent', 200, { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': '00:00:02' }, 2000],
    ['quota left', 200, { 'x-ms-user-quota-remaining': '7', 'x-ms-user-quota-resets-after': '00:00:02' }, 0],
    ['ARM reads plenty', 200, { 'x-ms-ratelimit-remaining-subscription-reads': '249' }, 0],
    ['ARM reads spent', 200, { 'x-ms-ratelimit-remaining-subscription-reads': '0' }, 960],
    ['no headers', 200, {}, 0],
  ])('%s', (_, status, headers, ms) => {
    expect(pauseAfter(status, (n) => headers[n], 24)).toBe(ms);
  });

  test('a 429 without a usable Retry-After still pauses; fewer ARM reads left never pauses less', () => {
    const unusable = fc.option(fc.string().filter((s) => retryAfterMs(s, 0) === undefined), { nil: undefined });
    fc.assert(fc.property(unusable, (retryAfter) => expect(pauseAfter(429, (n) => (n === 'retry-after' ? retryAfter : undefined), 24, 0)).toBe(1000)));
    fc.assert(
      fc.property(fc.nat(300), fc.nat(300), fc.integer({ min: 1, max: 64 }), (a, b, pool) => {
        const [few, many] = a < b ? [a, b] : [b, a];
        const pause = (left: number) => pauseAfter(200, (n) => (n === 'x-ms-ratelimit-remaining-subscription-reads' ? String(left) : undefined), pool);
        expect(pause(few)).toBeGreaterThanOrEqual(pause(many));
      }),
    );
    expect(pauseAfter(200, noHeaders, 24)).toBe(0);
  });
});

describe('KQL string literals', () => {
  test('round-trip through the grammar: one quoted literal, backslash escapes', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const m = /^'((?:[^'\\]|\\.)*)'$/s.exec(kqlString(s));
        expect(m).not.toBeNull();
        expect((m?.[1] ?? '').replace(/\\(.)/gs, '$1')).toBe(s);
      }),
    );
  });
});

describe('Resource Graph role-assignment rows', () => {
  const guid = fc.uuid();
  test('keep the fields of the assignment; an invalid createdOn is left out', () => {
    fc.assert(
      fc.property(guid, guid, guid, fc.constantFrom('/', '/subscriptions/s1', '/subscriptions/s1/resourceGroups/rg'), fc.option(fc.date({ noInvalidDate: true }), { nil: undefined }), (name, principalId, role, scope, created) => {
        const id = `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
        const row = { id, name, properties: { scope, principalId, roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalType: 'ServicePrincipal', createdOn: created?.toISOString() ?? 'not a date' } };
        expect(roleAssignmentFromRow(row)).toEqual({
          id,
          name,
          scope,
          principalId,
          roleDefinitionId: row.properties.roleDefinitionId,
          principalType: 'ServicePrincipal',
          ...(created && { createdOn: created.toISOString() }),
        });
      }),
    );
  });

  test('a row without a resource id is malformed', () => {
    expect(() => roleAssignmentFromRow({ name: 'x', properties: {} })).toThrow(/resource id/);
  });
});

describe('cluster-tags', () => {
  const tags = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), fc.string({ maxLength: 8 }), { maxKeys: 5 });
  test('a cluster carries any of its own tags (names in any case, or a name alone)', () => {
    fc.assert(
      fc.property(tags, fc.boolean(), (t, byNameOnly) => {
        const wanted = Object.entries(t).map(([key, value]) => (byNameOnly ? { key: key.toUpperCase() } : { key: key.toUpperCase(), value }));
        expect(carriesTags(t, wanted)).toBe(true);
      }),
    );
  });

  test('a value that differs, or a tag it lacks, does not match', () => {
    fc.assert(
      fc.property(tags.filter((t) => Object.keys(t).length > 0), (t) => {
        const [key, value] = Object.entries(t)[0]!;
        expect(carriesTags(t, [{ key, value: `${value}x` }])).toBe(false);
        expect(carriesTags(t, [{ key: `${key}-missing` }])).toBe(false);
      }),
    );
  });
});

describe('a host pool', () => {
  test('never lets more than its size through at once, and lets every request through in the end', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(3), { minLength: 1, maxLength: 20 }), async (size, waits) => {
        const gate = new HostGate(size);
        let active = 0;
        let peak = 0;
        await Promise.all(
          waits.map(async (w) => {
            await gate.enter();
            active += 1;
            peak = Math.max(peak, active);
            await new Promise((r) => setTimeout(r, w));
            active -= 1;
            gate.leave();
          }),
        );
        expect(peak).toBeLessThanOrEqual(size);
        expect(active).toBe(0);
      }),
      { numRuns: 30 },
    );
  });

  test('a request waiting for a place ends when its signal aborts', async () => {
    const gate = new HostGate(1);
    await gate.enter();
    const controller = new AbortController();
    const waiting = gate.enter(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeDefined();
  });
});
