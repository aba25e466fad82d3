// The fault matrix: every call the engine makes, each fault in turn. A baseline run records every route
// it calls (the fake Azure's route names for sign-in, ARM and Graph; the registry lab's routes, named
// here from their paths), then for each route every fault is injected on its own:
//   persistent: 403, 404, 409, 429, 500, 503, a reset connection, a stall past `timeout`, malformed JSON,
//               an answer cut short, a nextLink pointing back (list routes);
//   once:       429, 500, 503, a reset connection.
// What must hold: the run ends with a report (valid against the schema) and no stack trace; no token in
// anything it shows; a fault never turns a check into a better status than the baseline's, a check it
// changes is `unknown` (or `skip`, when what it depends on is gone), some check names the fault as the
// cause, and none says "crashed"; a fault that happens once is retried and changes nothing (the tests
// count the route's requests). Persistent faults run against a world where every
// check passes and one where pull permission and an image fail, so that a fault read as "no problem"
// shows. The bulk runs the engine in-process (runPreflight, a real credential against the fake, workers in
// parallel, each with a fake Azure and a registry of its own); a sample runs the bundled action as the
// runner does, with the real retry delays, and checks its exit status.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RETRY_OPTIONS } from '../../src/azure/arm.js';
import { createCredential } from '../../src/azure/credential.js';
import { failsRun } from '../../src/checks/verdict.js';
import { INPUT_NAMES, parseConfig, type RawInputs } from '../../src/config.js';
import { runPreflight } from '../../src/engine.js';
import type { Finding, Report, Status, Verdict } from '../../src/model.js';
import { writeReport } from '../../src/report/json.js';
import { renderSummary } from '../../src/report/summary.js';
import { renderText } from '../../src/report/text.js';
import { IDS, ROLE_IDS, SECRETS, managedCluster, registry, roleAssignment, standardWorld, type World } from '../fake-azure/fixtures.js';
import { startFakeAzure, type FakeAzure, type FaultRule } from '../fake-azure/server.js';
import { validateReport } from '../harness/report-schema.js';
import { runAction, visibleOutput } from '../harness/run-action.js';
import { environmentCredentials } from '../harness/scenarios.js';
import { startRegistryLab, type Fault, type RegistryLab } from '../registry-lab/index.js';

const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null') as { cert: string; key: string } | null;
const registryCerts = JSON.parse(process.env.PREFLIGHT_REGISTRY_CERTS ?? 'null');
if (!certs || !registryCerts || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');

/** Parallel runs: each has a fake Azure and a registry host of its own, so that faults never cross. */
const WORKERS = 8;
/** The run's `timeout` (seconds) when a call stalls. */
const STALL_TIMEOUT = '1';

type WorldKind = 'passing' | 'failing';
type Family = 'azure' | 'registry';
interface Route {
  family: Family;
  name: string;
  /** the registry lab's routes: the paths they cover */
  pattern?: RegExp;
  list: boolean;
  /** the world whose baseline called it first (a route only the failing world calls, e.g. the tag list after a missing tag) */
  world: WorldKind;
}
type FaultName = '403' | '404' | '409' | '429' | '500' | '503' | 'reset' | 'stall' | 'malformed JSON' | 'truncated' | 'nextLink loop';
interface Case {
  route: Route;
  fault: FaultName;
  once: boolean;
  world: WorldKind;
}
interface Worker {
  index: number;
  fake: FakeAzure;
  /** its registry: in ARM, and its host in the lab */
  registry: string;
  host: string;
}
interface Run {
  report: Report;
  shown: string;
}

// ── the registry lab's routes, named from their paths ───────────────────────────────────────────────
const LAB_ROUTES: { name: string; pattern: RegExp; list?: boolean }[] = [
  { name: 'registry.v2', pattern: /^\/v2\/?$/ },
  { name: 'registry.manifests', pattern: /^\/v2\/.+\/manifests\/[^/]+$/ },
  { name: 'registry.blobs', pattern: /^\/v2\/.+\/blobs\/[^/]+$/ },
  { name: 'registry.tags', pattern: /^\/v2\/.+\/tags\/list$/, list: true },
  { name: 'acr.exchange', pattern: /^\/oauth2\/exchange$/ },
  { name: 'acr.token', pattern: /^\/oauth2\/token$/ },
];
const labRouteOf = (path: string) => LAB_ROUTES.find((r) => r.pattern.test(path));

// ── the worlds ──────────────────────────────────────────────────────────────────────────────────────
/**
 * The standard world plus this worker's registry, with AcrPull for the kubelet unless `failing`; the
 * failing world's cluster pulls with a service principal, whose object ID comes from Microsoft Graph.
 */
function worldFor(worker: Worker, kind: WorldKind): World {
  const w = standardWorld();
  if (kind === 'failing') {
    w.clusters = [managedCluster({ subscriptionId: IDS.subscription, resourceGroup: IDS.clusterResourceGroup, name: IDS.cluster, servicePrincipalClientId: IDS.kubeletClientId, tenantId: IDS.tenant })];
  }
  const r = registry({ subscriptionId: IDS.subscription, resourceGroup: IDS.registryResourceGroup, name: worker.registry, location: 'westeurope' });
  w.registries.push(r);
  if (kind === 'passing') w.roleAssignments.push(roleAssignment({ scope: String(r.id), roleDefinitionGuid: ROLE_IDS.AcrPull, principalId: IDS.kubeletObjectId }));
  return w;
}

/** A multi-platform OCI index, a single Docker v2 manifest, and (failing) a tag that was never pushed. */
const imagesFor = (worker: Worker, kind: WorldKind) => [`${worker.host}/team/app:${kind === 'passing' ? '1.0' : '9.9'}`, `${worker.host}/team/legacy:2.3`].join('\n');

const blank = Object.fromEntries(Object.keys(INPUT_NAMES).map((k) => [k, ''])) as unknown as RawInputs;

let lab: RegistryLab;
const workers: Worker[] = [];
const idle: Worker[] = [];
const waiting: ((w: Worker) => void)[] = [];
const report0: Partial<Record<WorldKind, Report>> = {};
const tmp = mkdtempSync(join(tmpdir(), 'fault-matrix-'));

Object.assign(process.env, environmentCredentials('https://127.0.0.1'));
// In-process the ARM retries wait milliseconds, not seconds (the sample through dist/ keeps the real delays).
Object.assign(RETRY_OPTIONS, { retryDelayInMs: 5, maxRetryDelayInMs: 50 });

async function acquire(): Promise<Worker> {
  return idle.pop() ?? new Promise((resolve) => waiting.push(resolve));
}
function release(w: Worker): void {
  const next = waiting.shift();
  if (next) next(w);
  else idle.push(w);
}

/** Runs the engine in-process as the action does, and what the run shows: the report, summary, text and log. */
async function runEngine(worker: Worker, kind: WorldKind, timeout = ''): Promise<Run> {
  const env = environmentCredentials(worker.fake.url);
  const raw: RawInputs = {
    ...blank,
    cluster: IDS.cluster,
    resourceGroup: IDS.clusterResourceGroup,
    registry: worker.registry,
    subscription: IDS.subscription,
    images: imagesFor(worker, kind),
    armEndpoint: worker.fake.url,
    graphEndpoint: worker.fake.url,
    auth: 'environment',
    dnsServers: lab.dnsServer,
    reportPath: join(tmp, `report-${worker.index}.json`),
    timeout,
    connectTimeout: '2',
  };
  const config = parseConfig(raw, { env });
  const log: string[] = [];
  const credential = createCredential(config, env);
  const report = await runPreflight(config, { credential, version: 'test', log: (l) => log.push(l) });
  rmSync(config.reportPath, { force: true });
  writeReport(config.reportPath, report);
  expect(existsSync(config.reportPath)).toBe(true);
  validateReport(report, `the report of the run on ${worker.registry}`);
  return { report, shown: [JSON.stringify(report), renderSummary(report), renderText(report, false), ...log].join('\n') };
}

/** The fault on the fake Azure. */
function azureFault(route: Route, fault: FaultName, once: boolean): FaultRule {
  const base: FaultRule = { route: route.name, ...(once && { times: 1 }) };
  switch (fault) {
    case 'reset':
      return { ...base, reset: true };
    case 'stall':
      return { ...base, stall: true };
    case 'truncated':
      return { ...base, truncate: true };
    case 'malformed JSON':
      return { ...base, status: 200, body: '{"value": [{"id": "/subscriptions/', headers: { 'Content-Type': 'application/json; charset=utf-8' } };
    case 'nextLink loop':
      return {
        ...base,
        rewrite: (reply, ctx) => {
          const body = reply.body as { value?: unknown[]; nextLink?: string } | undefined;
          return body && Array.isArray(body.value) ? { ...reply, body: { ...body, nextLink: `${ctx.baseUrl}${ctx.path}?${ctx.rawQuery}` } } : reply;
        },
      };
    default:
      return { ...base, status: Number(fault), ...(fault === '429' && { headers: { 'Retry-After': once ? '1' : '0' } }) };
  }
}

/** The fault on the worker's registry host. */
function registryFault(route: Route, fault: FaultName, once: boolean): Fault {
  const base: Fault = { path: route.pattern!, ...(once && { times: 1 }) };
  switch (fault) {
    case 'reset':
      return { ...base, reset: true };
    case 'stall':
      return { ...base, delayMs: 1_500 };
    case 'truncated':
      return { ...base, truncate: true };
    case 'malformed JSON':
      return { ...base, status: 200, body: '{"errors": [{"code": ', headers: { 'Content-Type': 'application/json' } };
    case 'nextLink loop':
      return { ...base, status: 200, body: { name: 'team/app', tags: ['1.0'] }, headers: { Link: `<${'/v2/team/app/tags/list'}?n=100&last=1.0>; rel="next"` } };
    default:
      return { ...base, status: Number(fault), ...(fault === '429' && { headers: { 'Retry-After': once ? '1' : '0' } }) };
  }
}

/** A check's subject, the same on every worker (whose registry's name differs). */
const key = (f: Finding) => (f.image ? [f.id, f.image] : [f.id, f.cluster, f.registry, f.pool]).join('|').replace(/faultacr\d/g, 'faultacr');
const RANK: Record<Verdict, number> = { pass: 0, warn: 1, fail: 2 };
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

/** Every token a run could have shown: the fake's, the lab's, the credentials. */
const tokens = () => [...workers.flatMap((w) => w.fake.issuedTokens), ...lab.issuedTokens, ...Object.values(SECRETS)];

/** What must hold of every run, whatever the fault. */
function expectSafe(run: Run): void {
  expect(STACK.exec(run.shown)?.[0]).toBeUndefined();
  expect(tokens().filter((t) => t.length >= 8 && run.shown.includes(t))).toEqual([]);
}

/** How each check came out against the baseline: changes that are not an `unknown` or `skip` with a cause. */
function unexplained(baseline: Report, got: Report, fault: FaultName): string[] {
  const before = new Map(baseline.checks.map((f) => [key(f), f.status]));
  return got.checks.flatMap((f) => {
    const was = before.get(key(f));
    if (/crashed/.test(f.title)) return [`${key(f)}: crashed: ${f.detail}`];
    if (was === f.status) return [];
    if ((f.status === 'unknown' || f.status === 'skip') && f.detail.trim().length > 20) return [];
    // a resource ARM says is not there is not there; a registry endpoint that answers 4xx to /v2/ is not a registry
    if (fault === '404' && f.status === 'fail' && /not found/i.test(f.title)) return [];
    if (f.id === 'registry-endpoint' && f.status === 'fail' && f.detail.includes(`answered ${fault}`)) return [];
    return [`${key(f)}: ${was ?? '(absent)'} → ${f.status}: ${f.title} — ${f.detail}`];
  });
}

/** How a finding names each fault as its cause. */
const CAUSE: Record<FaultName, RegExp> = {
  ...(Object.fromEntries(['403', '409', '429', '500', '503'].map((s) => [s, new RegExp(`\\b${s}\\b`)])) as Record<'403' | '409' | '429' | '500' | '503', RegExp>),
  '404': /\b404\b|not found|no AKS cluster/i,
  reset: /ECONNRESET|socket hang up|aborted|closed before/i,
  stall: /time budget|ETIMEDOUT/i,
  'malformed JSON': /malformed|not JSON|JSON at position|Unexpected|not as the registry protocol/i,
  truncated: /aborted|ECONNRESET|closed before|malformed|socket hang up|JSON/i,
  'nextLink loop': /did not end/i,
};

/** What MSAL makes of any failed sign-in request: Entra's own error (AADSTS…) or its error code, under "Status code: 400" whatever the status was. */
const SIGN_IN_CAUSE = /AADSTS\d+|\w+_error\b|time budget/;

/** A fault that changed the outcome is named by some changed check (the others may point to it: "see the registry check"). */
function causeNamed(baseline: Report, got: Report, c: Case): string[] {
  const before = statuses(baseline);
  const changed = got.checks.filter((f) => before[key(f)] !== f.status);
  const cause = c.route.name.startsWith('entra.') ? SIGN_IN_CAUSE : CAUSE[c.fault];
  const fault = c.fault;
  if (!changed.length || changed.some((f) => cause.test(`${f.title} ${f.detail}`))) return [];
  return [`no check names the ${fault} as the cause: ${changed.map((f) => `${key(f)} ${f.status}: ${f.detail}`).join('; ')}`];
}

const statuses = (r: Report) => Object.fromEntries(r.checks.map((f) => [key(f), f.status as Status]));
const routes: Route[] = [];
/** milliseconds spent per fault, over all routes */
const spent = new Map<FaultName, number>();

// ── setup and the baseline: what the engine calls ───────────────────────────────────────────────────
beforeAll(async () => {
  const names = Array.from({ length: WORKERS }, (_, i) => `faultacr${i}`);
  const fakes = await Promise.all(names.map(() => startFakeAzure({ cert: certs.cert, key: certs.key })));
  lab = await startRegistryLab({
    certs: registryCerts,
    hosts: names.map((n) => ({ name: `${n}.azurecr.io`, kind: 'acr' as const })),
    verifyAadToken: (token) => {
      const t = fakes.map((f) => f.identify(token)).find(Boolean);
      return t?.clientId ? { clientId: t.clientId, ...(t.tenantId && { tenantId: t.tenantId }), audience: t.audience } : undefined;
    },
  });
  const linux = (architecture: string) => ({ os: 'linux', architecture });
  await Promise.all(
    names.flatMap((n) => [
      lab.push(`${n}.azurecr.io`, 'team/app', '1.0', { platforms: [linux('amd64'), linux('arm64')], format: 'oci', attestation: true }),
      lab.push(`${n}.azurecr.io`, 'team/legacy', '2.3', { platforms: [linux('amd64')], format: 'docker', index: false }),
    ]),
  );
  names.forEach((n, index) => workers.push({ index, fake: fakes[index]!, registry: n, host: `${n}.azurecr.io` }));
  idle.push(...workers);

  const w = workers[0]!;
  for (const kind of ['passing', 'failing'] as const) {
    w.fake.reset(worldFor(w, kind));
    lab.requests.length = 0;
    report0[kind] = (await runEngine(w, kind)).report;
    const azure = [...new Set(w.fake.requests.map((r) => r.route))];
    const registryRoutes = [...new Set(lab.requests.filter((r) => r.host === w.host).flatMap((r) => labRouteOf(r.path)?.name ?? []))];
    for (const name of azure) if (!routes.some((r) => r.name === name)) routes.push({ family: 'azure', name, list: /list/i.test(name), world: kind });
    for (const name of registryRoutes) {
      const spec = LAB_ROUTES.find((r) => r.name === name)!;
      if (!routes.some((r) => r.name === name)) routes.push({ family: 'registry', name, pattern: spec.pattern, list: Boolean(spec.list), world: kind });
    }
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([...workers.map((w) => w.fake.stop()), lab?.stop()]);
  rmSync(tmp, { recursive: true, force: true });
});

test('the baselines: the passing world passes, the failing one fails on pull permission and the image; every route is named', () => {
  expect(report0.passing?.result).toBe('pass');
  expect(report0.failing?.result).toBe('fail');
  expect(report0.failing?.checks.filter((f) => f.status === 'fail').map((f) => f.id).sort()).toEqual(['image', 'pull-permission']);
  expect(routes.filter((r) => r.name === 'unhandled')).toEqual([]);
  // the engine's calls: sign-in, the cluster, the registry, RBAC, and the registry's own endpoints
  expect(routes.map((r) => r.name)).toEqual(expect.arrayContaining(['entra.token', 'arm.managedClusters.get', 'arm.roleAssignments.list', 'graph.servicePrincipals.getByAppId', 'registry.v2', 'acr.exchange', 'registry.manifests']));
});

const PERSISTENT: FaultName[] = ['403', '404', '409', '429', '500', '503', 'reset', 'stall', 'malformed JSON', 'truncated', 'nextLink loop'];
const ONCE: FaultName[] = ['429', '500', '503', 'reset'];

/** Every route × fault, generated once the baseline has run. */
function cases(): Case[] {
  return routes.flatMap((route) => [
    ...PERSISTENT.filter((f) => f !== 'nextLink loop' || route.list).flatMap((fault) => (['passing', 'failing'] as const).map((world) => ({ route, fault, once: false, world }))),
    ...ONCE.map((fault) => ({ route, fault, once: true, world: route.world })),
  ]);
}

/** One case on a free worker: the run, and what went wrong (empty when all holds). */
async function runCase(c: Case): Promise<{ problems: string[]; run: Run }> {
  const w = await acquire();
  const started = performance.now();
  try {
    w.fake.reset(worldFor(w, c.world));
    if (c.route.family === 'azure') w.fake.addFault(azureFault(c.route, c.fault, c.once));
    else lab.fault(w.host, registryFault(c.route, c.fault, c.once));
    const start = lab.requests.length;
    const run = await runEngine(w, c.world, c.fault === 'stall' ? STALL_TIMEOUT : '');
    expectSafe(run);
    const baseline = report0[c.world]!;
    const problems: string[] = [];
    if (c.once) {
      const repeated =
        c.route.family === 'azure'
          ? w.fake.requests.filter((r) => r.route === c.route.name).length
          : lab.requests.slice(start).filter((r) => r.host === w.host && c.route.pattern!.test(r.path)).length;
      if (repeated < 2) problems.push(`${c.route.name} was not sent again after the fault`);
      const before = statuses(baseline);
      const after = statuses(run.report);
      for (const k of Object.keys(before)) if (before[k] !== after[k]) problems.push(`${k}: ${before[k]} → ${after[k]}: ${run.report.checks.find((f) => key(f) === k)?.detail}`);
    } else {
      problems.push(...unexplained(baseline, run.report, c.fault), ...causeNamed(baseline, run.report, c));
      if (RANK[run.report.result] < RANK[baseline.result]) problems.push(`the verdict went from ${baseline.result} to ${run.report.result}`);
    }
    spent.set(c.fault, (spent.get(c.fault) ?? 0) + performance.now() - started);
    return { problems, run };
  } finally {
    lab.clearFaults(w.host);
    release(w);
  }
}

describe('every call × every fault, in-process', () => {
  test('the matrix', async () => {
    const all = cases();
    const outcomes = await Promise.all(all.map(async (c) => ({ c, ...(await runCase(c)) })));
    const failed = outcomes.filter((o) => o.problems.length).map((o) => `${o.c.route.name} × ${o.c.once ? 'once' : 'persistent'} ${o.c.fault} (${o.c.world}): ${o.problems.join('; ')}`);
    // routes whose persistent faults change no check (in the world that calls them): calls the verdict does not depend on there
    const silent = routes.filter((r) =>
      outcomes.filter((o) => o.c.route === r && !o.c.once && o.c.world === r.world && o.c.fault !== 'nextLink loop').every((o) => JSON.stringify(statuses(o.run.report)) === JSON.stringify(statuses(report0[r.world]!))),
    );
    console.log(`fault matrix: ${routes.length} routes, ${all.length} cases; silent routes: ${silent.map((r) => r.name).join(', ') || 'none'}; ms per fault: ${JSON.stringify(Object.fromEntries([...spent].map(([k, v]) => [k, Math.round(v)])))}`);
    expect(failed).toEqual([]);
  }, 300_000);
});

// ── a sample through the bundled action, with the real retry delays and the exit status ─────────────
const SAMPLE: { route: string; fault: FaultName; once: boolean; changed: Record<string, Status> }[] = [
  { route: 'arm.roleAssignments.list', fault: '403', once: false, changed: { 'pull-permission|aks1|faultacr|': 'unknown' } },
  { route: 'arm.managedClusters.get', fault: '500', once: true, changed: {} },
  { route: 'registry.manifests', fault: 'reset', once: false, changed: { 'image|faultacr.azurecr.io/team/app:1.0': 'unknown', 'image|faultacr.azurecr.io/team/legacy:2.3': 'unknown' } },
  { route: 'acr.exchange', fault: '429', once: true, changed: {} },
  {
    route: 'entra.token',
    fault: 'malformed JSON',
    once: false,
    // no sign-in: the cluster and the registry are unknown, and every check on them skipped
    changed: {
      'cluster|aks1||': 'unknown',
      'registry||faultacr|': 'unknown',
      ...Object.fromEntries(['pull-permission|aks1|faultacr|', 'registry-network|aks1|faultacr|', 'registry-dns||faultacr|', 'registry-endpoint||faultacr|', 'image|faultacr.azurecr.io/team/app:1.0', 'image|faultacr.azurecr.io/team/legacy:2.3'].map((k) => [k, 'skip' as const])),
    },
  },
];

describe('a sample through dist/, as the runner runs it', () => {
  test.each(SAMPLE)('$route × $fault (once: $once)', async ({ route: name, fault, once, changed }) => {
    const route = routes.find((r) => r.name === name);
    expect(route).toBeDefined();
    const w = await acquire();
    try {
      w.fake.reset(worldFor(w, 'passing'));
      if (route!.family === 'azure') w.fake.addFault(azureFault(route!, fault, once));
      else lab.fault(w.host, registryFault(route!, fault, once));
      const run = await runAction({
        inputs: {
          cluster: IDS.cluster,
          'resource-group': IDS.clusterResourceGroup,
          registry: w.registry,
          subscription: IDS.subscription,
          images: imagesFor(w, 'passing'),
          'arm-endpoint': w.fake.url,
          'graph-endpoint': w.fake.url,
          auth: 'environment',
          'dns-servers': lab.dnsServer,
        },
        env: environmentCredentials(w.fake.url),
      });
      const shown = visibleOutput(run);
      expect(run.report).toBeDefined();
      expectSafe({ report: run.report as Report, shown });
      const want = { ...statuses(report0.passing!), ...changed };
      expect(statuses(run.report as Report)).toMatchObject(want);
      expect(run.status).toBe(failsRun((run.report as Report).result, 'error') ? 1 : 0);
      expect(run.status).toBe(Object.keys(changed).length ? 1 : 0);
    } finally {
      lab.clearFaults(w.host);
      release(w);
    }
  }, 60_000);
});
