// Properties of the matchers: IP ranges (v4 and v6) against an oracle on BigInt, RBAC action patterns
// against a hand-written wildcard matcher, ARM scope ancestry against a segment-prefix oracle, and ABAC
// repository rules against the ACR condition they were written as. fast-check with a fixed seed.
import fc from 'fast-check';
import { parseRepositoryCondition, repositoryAllowed } from '../../../src/checks/abac-condition.js';
import { matchesPattern, permissionGrants } from '../../../src/checks/actions.js';
import { isPrivateAddress, parseRange, rangeContains, rangesOverlap } from '../../../src/checks/ip.js';
import { sameScope, scopeApplies } from '../../../src/checks/scope.js';

const RUNS = { seed: 20261201, numRuns: 300 };

// ── IP ranges ─────────────────────────────────────────────────────────────────────────────────────
const v4 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });
const v6 = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }).filter((g) => !(g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff));
const toBig = (parts: number[], width: number) => parts.reduce((n, p) => (n << BigInt(width)) | BigInt(p), 0n);
/** the oracle: is every address of b/bb within a/ab, computed on the numbers */
function oracleContains(a: bigint, ab: number, b: bigint, bb: number, bits: number): boolean {
  if (ab > bb) return false;
  const shift = BigInt(bits - ab);
  return a >> shift === b >> shift;
}
const v4text = (p: number[]) => p.join('.');
const v6text = (g: number[]) => g.map((x) => x.toString(16)).join(':');

test('IPv4: containment and overlap agree with arithmetic on the address', () => {
  fc.assert(
    fc.property(v4, fc.integer({ min: 0, max: 32 }), v4, fc.integer({ min: 0, max: 32 }), (a, ab, b, bb) => {
      const [x, y] = [`${v4text(a)}/${ab}`, `${v4text(b)}/${bb}`];
      const [na, nb] = [toBig(a, 8), toBig(b, 8)];
      expect(rangeContains(x, y)).toBe(oracleContains(na, ab, nb, bb, 32));
      expect(rangesOverlap(x, y)).toBe(oracleContains(na, ab, nb, bb, 32) || oracleContains(nb, bb, na, ab, 32));
      expect(rangesOverlap(x, y)).toBe(rangesOverlap(y, x));
    }),
    RUNS,
  );
});

test('IPv6: containment agrees with arithmetic, also in compressed and IPv4-mapped forms', () => {
  fc.assert(
    fc.property(v6, fc.integer({ min: 0, max: 128 }), v6, fc.integer({ min: 0, max: 128 }), (a, ab, b, bb) => {
      expect(rangeContains(`${v6text(a)}/${ab}`, `${v6text(b)}/${bb}`)).toBe(oracleContains(toBig(a, 16), ab, toBig(b, 16), bb, 128));
    }),
    RUNS,
  );
  fc.assert(
    fc.property(v4, fc.integer({ min: 0, max: 32 }), (a, bits) => {
      // ::ffff:a.b.c.d/96+n is the IPv4 range a.b.c.d/n
      expect(parseRange(`::ffff:${v4text(a)}/${96 + bits}`)).toEqual(parseRange(`${v4text(a)}/${bits}`));
      expect(rangeContains(`${v4text(a)}/${bits}`, `::ffff:${v4text(a)}`)).toBe(true);
    }),
    RUNS,
  );
});

test('a range contains itself and its every address; families never mix; junk is no range', () => {
  fc.assert(
    fc.property(v4, fc.integer({ min: 0, max: 32 }), v6, (a, bits, g) => {
      const r = `${v4text(a)}/${bits}`;
      expect(rangeContains(r, r)).toBe(true);
      expect(rangeContains(r, v4text(a))).toBe(true);
      expect(rangeContains(r, v6text(g))).toBe(false);
      expect(rangeContains(`${v6text(g)}/0`, v4text(a))).toBe(false);
    }),
    RUNS,
  );
  fc.assert(fc.property(fc.string(), (s) => void expect(() => parseRange(s)).not.toThrow()), RUNS);
  fc.assert(fc.property(v4, fc.integer({ min: 33, max: 999 }), (a, bits) => void expect(parseRange(`${v4text(a)}/${bits}`)).toBeUndefined()), RUNS);
});

test('RFC 1918 addresses are private; the oracle is the three blocks', () => {
  fc.assert(
    fc.property(v4, (a) => {
      const [x, y] = a as [number, number];
      const rfc1918 = x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168);
      if (rfc1918) expect(isPrivateAddress(v4text(a))).toBe(true);
    }),
    RUNS,
  );
});

// ── RBAC action patterns ──────────────────────────────────────────────────────────────────────────
/** The oracle: a wildcard matcher by dynamic programming over characters, case-insensitive. */
function wildcard(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let row = Array.from({ length: t.length + 1 }, (_, j) => j === 0);
  for (const c of p) {
    const next = [c === '*' && row[0]!];
    for (let j = 1; j <= t.length; j++) next[j] = c === '*' ? next[j - 1]! || row[j]! : row[j - 1]! && c === t[j - 1];
    row = next as boolean[];
  }
  return row[t.length]!;
}
const segment = fc.stringMatching(/^[A-Za-z.()+?^$|[\]\\{}]{0,6}$/);
const operation = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
const pattern = fc.array(fc.oneof(segment, fc.constant('*')), { minLength: 1, maxLength: 6 }).map((s) => s.join(''));

test('action patterns agree with a wildcard matcher (regex characters in names are literal)', () => {
  fc.assert(fc.property(pattern, operation, (p, op) => void expect(matchesPattern(p, op)).toBe(wildcard(p, op))), { ...RUNS, numRuns: 1000 });
});

test('a pattern matches the operation it was cut from, in any case; notActions take it away', () => {
  fc.assert(
    fc.property(operation, fc.nat(), fc.nat(), (op, i, j) => {
      const [x, y] = [i % (op.length + 1), j % (op.length + 1)];
      const [from, to] = [Math.min(x, y), Math.max(x, y)];
      const p = `${op.slice(0, from)}*${op.slice(to)}`;
      expect(matchesPattern(p, op)).toBe(true);
      expect(matchesPattern(op.toUpperCase(), op.toLowerCase())).toBe(true);
      expect(permissionGrants({ actions: [p], notActions: [], dataActions: [], notDataActions: [] }, op, 'action')).toBe(true);
      expect(permissionGrants({ actions: [p], notActions: [op], dataActions: [], notDataActions: [] }, op, 'action')).toBe(false);
      expect(permissionGrants({ actions: [p], notActions: [], dataActions: [], notDataActions: [] }, op, 'dataAction')).toBe(false);
    }),
    RUNS,
  );
});

// ── ARM scopes ────────────────────────────────────────────────────────────────────────────────────
const name = fc.stringMatching(/^[A-Za-z0-9-]{1,8}$/);
const registryId = fc.tuple(fc.uuid(), name, name).map(([s, rg, n]) => `/subscriptions/${s}/resourceGroups/${rg}/providers/Microsoft.ContainerRegistry/registries/${n}`);
const flipCase = (s: string, mask: number) => [...s].map((c, i) => ((mask >> i % 31) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');

test('a scope applies exactly when its segments are a prefix of the registry ID, whatever the case and trailing slash', () => {
  fc.assert(
    fc.property(registryId, fc.integer({ min: 1, max: 8 }), fc.integer(), fc.boolean(), (id, n, mask, slash) => {
      const segments = id.split('/').filter(Boolean);
      const ancestor = `/${segments.slice(0, n).join('/')}${slash ? '/' : ''}`;
      expect(scopeApplies(flipCase(ancestor, mask), id)).toBe(true);
      expect(sameScope(flipCase(id, mask), id)).toBe(true);
      // a sibling: the last segment changed
      const sibling = `/${[...segments.slice(0, n - 1), `${segments[n - 1]}x`].join('/')}`;
      expect(scopeApplies(sibling, id)).toBe(n === 4 && /^\/providers\/microsoft\.management\/managementgroups/i.test(sibling));
      // below the registry never applies
      expect(scopeApplies(`${id}/child/x`, id)).toBe(false);
    }),
    RUNS,
  );
});

// ── ABAC repository conditions ────────────────────────────────────────────────────────────────────
const repo = fc.stringMatching(/^[a-z0-9]{1,5}(\/[a-z0-9]{1,5}){0,2}$/);
const OPS = { StringEquals: (v: string, r: string) => r === v, StringStartsWith: (v: string, r: string) => r.startsWith(v), StringEqualsIgnoreCase: (v: string, r: string) => r.toLowerCase() === v.toLowerCase(), StringStartsWithIgnoreCase: (v: string, r: string) => r.toLowerCase().startsWith(v.toLowerCase()) } as const;

test("ACR's repository condition, written with any operator and values, allows exactly the repositories the operator does", () => {
  fc.assert(
    fc.property(fc.constantFrom(...(Object.keys(OPS) as (keyof typeof OPS)[])), fc.array(repo, { minLength: 1, maxLength: 3 }), repo, (op, values, candidate) => {
      const list = values.length === 1 ? `'${values[0]}'` : `{${values.map((v) => `'${v}'`).join(', ')}}`;
      const operator = values.length === 1 ? op : `ForAnyOfAnyValues:${op}`;
      const condition =
        "((!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'}) AND !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'})) " +
        `OR (@Request[Microsoft.ContainerRegistry/registries/repositories:name] ${operator} ${list}))`;
      const parsed = parseRepositoryCondition(condition);
      expect(parsed.kind).toBe('repositories');
      if (parsed.kind === 'repositories') expect(repositoryAllowed(parsed.rules, candidate)).toBe(values.some((v) => OPS[op](v, candidate)));
    }),
    RUNS,
  );
});

test('any text is parsed without throwing, and what is not understood is never a grant', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (text) => {
      const parsed = parseRepositoryCondition(text);
      expect(['repositories', 'unrestricted', 'unparsed']).toContain(parsed.kind);
    }),
    RUNS,
  );
});
