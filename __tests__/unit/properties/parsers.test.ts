// Properties of the parsers: image references round-trip through the distribution grammar (generated
// from the grammar's own productions), resource IDs and registry inputs round-trip through their parsers,
// Retry-After is honoured within its bounds. fast-check with a fixed seed.
import fc from 'fast-check';
import { parseResourceId } from '../../../src/azure/resource-id.js';
import { INPUT_NAMES, InputError, parseConfig, type RawInputs } from '../../../src/config.js';
import { hostAndPort, parseImageRef } from '../../../src/image-ref.js';
import type { RegistryRef } from '../../../src/model.js';
import { retryDelayMs } from '../../../src/registry/http.js';

const RUNS = { seed: 20261201, numRuns: 300 };

// ── image references, from distribution/reference's grammar ───────────────────────────────────────
const alnum = fc.stringMatching(/^[a-z0-9]{1,6}$/);
const separator = fc.constantFrom('.', '_', '__', '-', '--');
const pathComponent = fc.tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 2 })).map(([a, rest]) => a + rest.map(([s, b]) => s + b).join(''));
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const domain = fc.oneof(
  fc.tuple(label, fc.array(label, { minLength: 1, maxLength: 2 })).map(([a, rest]) => [a, ...rest].join('.')),
  fc.constant('localhost'),
  fc.constant('[fd00::1]'),
);
const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`);

const reference = fc.record({
  domain,
  port,
  path: fc.array(pathComponent, { minLength: 1, maxLength: 3 }).map((p) => p.join('/')),
  tag: fc.option(tag, { nil: undefined }),
  digest: fc.option(digest, { nil: undefined }),
});

test('every reference the grammar makes parses back into its parts', () => {
  fc.assert(
    fc.property(reference, (r) => {
      const host = `${r.domain}${r.port ? `:${r.port}` : ''}`;
      const text = `${host}/${r.path}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
      const ref = parseImageRef(text);
      expect(ref).toEqual({ input: text, host, repository: r.path, tag: r.tag ?? (r.digest ? undefined : 'latest'), ...(r.digest && { digest: r.digest }) } as object);
      if (!r.tag && r.digest) expect(ref.tag).toBeUndefined();
      // the host splits for connecting as it was put together
      expect(hostAndPort(ref.host)).toEqual({ hostname: r.domain.replace(/^\[|\]$/g, ''), port: r.port ?? 443 });
    }),
    RUNS,
  );
});

/** A path component docker cannot take for a host: no '.' (nor ':', which the grammar never puts in one). */
const plainComponent = fc.tuple(alnum, fc.array(fc.tuple(fc.constantFrom('_', '__', '-'), alnum), { maxLength: 2 })).map(([a, rest]) => a + rest.map(([s, b]) => s + b).join('')).filter((c) => c !== 'localhost');

test("docker's defaults: a name without a host is on docker.io, a single component under library/", () => {
  fc.assert(
    fc.property(plainComponent, fc.array(pathComponent, { maxLength: 2 }), (first, rest) => {
      const path = [first, ...rest].join('/');
      const ref = parseImageRef(path);
      expect(ref.host).toBe('docker.io');
      expect(ref.repository).toBe(rest.length ? path : `library/${path}`);
      expect(ref.tag).toBe('latest');
    }),
    RUNS,
  );
});

test('upper case in the repository, a bad digest or any junk is refused with a message, never a throw of another kind', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (s) => {
      try {
        const ref = parseImageRef(s);
        expect(ref.repository).toMatch(/^[a-z0-9]/);
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message.length).toBeGreaterThan(5);
      }
    }),
    RUNS,
  );
  fc.assert(fc.property(pathComponent, (p) => void expect(() => parseImageRef(`example.com/${p.toUpperCase()}X`)).toThrow(/lower-case|invalid reference/)), RUNS);
});

// ── resource IDs ──────────────────────────────────────────────────────────────────────────────────
const rg = fc.stringMatching(/^[-A-Za-z0-9_().]{0,12}[-A-Za-z0-9_()]$/);
const resourceName = fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/);

test('parseResourceId returns the subscription, group and name an ID was built from, for any provider type', () => {
  fc.assert(
    fc.property(fc.uuid(), rg, fc.constantFrom('Microsoft.ContainerRegistry/registries', 'Microsoft.ContainerService/managedClusters', 'Microsoft.Network/virtualNetworks/v/subnets'), resourceName, fc.boolean(), (s, g, type, n, slash) => {
      expect(parseResourceId(`/subscriptions/${s}/resourceGroups/${g}/providers/${type}/${n}${slash ? '/' : ''}`)).toEqual({ subscriptionId: s, resourceGroup: g, name: n });
    }),
    RUNS,
  );
});

// ── inputs ────────────────────────────────────────────────────────────────────────────────────────
const blank = Object.fromEntries(Object.keys(INPUT_NAMES).map((k) => [k, ''])) as unknown as RawInputs;
const env = { AZURE_CLIENT_ID: 'c', AZURE_TENANT_ID: 't', AZURE_CLIENT_SECRET: 's' };
const parse = (raw: Partial<RawInputs>) => parseConfig({ ...blank, cluster: 'aks1', resourceGroup: 'rg', subscription: '22222222-2222-4222-8222-222222222222', registry: 'myacr', ...raw }, { env });
const registryName = fc.stringMatching(/^[A-Za-z0-9]{5,50}$/);

test('a registry given as a name, a login server (any case, https://, trailing /) or an ID is the same registry', () => {
  fc.assert(
    fc.property(registryName, fc.uuid(), rg, fc.boolean(), fc.boolean(), (n, s, g, https, slash) => {
      const lower = n.toLowerCase();
      const server = `${https ? 'https://' : ''}${n}.AzureCR.io${slash ? '/' : ''}`;
      const [byName, byServer, byId] = [n, server, `/subscriptions/${s}/resourceGroups/${g}/providers/Microsoft.ContainerRegistry/registries/${n}`].map((registry) => parse({ registry }).registries[0]!) as [RegistryRef, RegistryRef, RegistryRef];
      expect([byName.name, byServer.name, byId.name]).toEqual([lower, lower, lower]);
      expect(byServer).toMatchObject({ kind: 'loginServer', loginServer: `${lower}.azurecr.io` });
      expect(byId).toMatchObject({ kind: 'id', subscriptionId: s.toLowerCase(), resourceGroup: g });
      // the same registry twice is refused, whichever forms name it
      expect(() => parse({ registry: `${n}\n${server}` })).toThrow(InputError);
    }),
    RUNS,
  );
});

test('registry lists split on newlines and commas alike, blanks dropped', () => {
  fc.assert(
    fc.property(fc.uniqueArray(registryName, { minLength: 1, maxLength: 5, selector: (n) => n.toLowerCase() }), fc.array(fc.constantFrom('\n', ',', ' , ', '\r\n', '\n\n'), { minLength: 5, maxLength: 5 }), (names, seps) => {
      const raw = names.map((n, i) => n + seps[i]).join('');
      expect(parse({ registry: raw }).registries.map((r) => r.name)).toEqual(names.map((n) => n.toLowerCase()));
    }),
    RUNS,
  );
});

test('timeout: every whole number of seconds from 1 to 3600 and nothing else', () => {
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: -10, max: 4000 }).map(String), fc.string({ maxLength: 6 })), (t) => {
      const ok = /^\d+$/.test(t) && Number(t) >= 1 && Number(t) <= 3600;
      if (t === '') return;
      if (ok) expect(parse({ timeout: t }).timeoutMs).toBe(Number(t) * 1000);
      else expect(() => parse({ timeout: t })).toThrow(/Input 'timeout' has an invalid value/);
    }),
    RUNS,
  );
});

test('cluster tags: key=value lines round-trip, a key alone matches any value', () => {
  const key = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,12}$/);
  const value = fc.stringMatching(/^[A-Za-z0-9_.:=-]{0,12}$/);
  fc.assert(
    fc.property(fc.array(fc.tuple(key, fc.option(value, { nil: undefined })), { maxLength: 4 }), (tags) => {
      const raw = tags.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join('\n');
      expect(parse({ clusterTags: raw }).clusterTags).toEqual(tags.map(([k, v]) => (v === undefined ? { key: k } : { key: k, value: v })));
    }),
    RUNS,
  );
});

// ── Retry-After ───────────────────────────────────────────────────────────────────────────────────
test('Retry-After in seconds or as a date is honoured up to 5 s; without one, the backoff doubles from 500 ms', () => {
  const now = Date.UTC(2026, 11, 1);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 3 }), (seconds, retry) => {
      expect(retryDelayMs({ 'retry-after': String(seconds) }, retry, now)).toBe(Math.min(seconds * 1000, 5000));
      const date = new Date(now + seconds * 1000).toUTCString();
      expect(retryDelayMs({ 'retry-after': date }, retry, now)).toBe(Math.min(Math.floor(seconds) * 1000, 5000));
      expect(retryDelayMs({}, retry, now)).toBe(500 * 2 ** retry);
    }),
    RUNS,
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 3 }), (junk, retry) => {
      const ms = retryDelayMs({ 'retry-after': junk }, retry, now);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(Math.max(5000, 500 * 2 ** retry));
    }),
    RUNS,
  );
});
