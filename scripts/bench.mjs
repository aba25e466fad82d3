#!/usr/bin/env node
// @ts-check
// `npm run bench`: how long the bundled action (dist/index.js) takes for one cluster × one registry
// against the built-in simulated Azure (the fake ARM of the tests, on 127.0.0.1) with 100 ms of
// latency on every request, and why:
//   1. wall time of a real run (auth: environment, client secret), whose verdict must be 'pass';
//   2. the requests it made: how many ARM requests, whether any was made twice, and the longest chain
//      of dependent requests (depth = 1 + the deepest request that ended before this one started;
//      with 100 ms latency concurrent requests overlap and dependent ones do not);
//   3. start-up: spawn → first request (latency 0), `node dist/index.js` with no inputs, `node -e 0`;
//   4. five more runs (median, min, max) and the peak RSS of the child;
//   5. the size of dist/.
// The bundle runs on Node 24, as action.yml declares (scripts/node24.mjs).
// Prints a table, then a line `bench: {…}` with every figure, also written to .tmp/bench.json.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureCerts } from './certs.mjs';
import { prepare } from './prepare.mjs';
import { NODE, ROOT, nodeVersion, runAction } from '../__tests__/harness/run-action.js';
import { startFakeAzure } from '../__tests__/fake-azure/server.js';
import { IDS, standardWorld } from '../__tests__/fake-azure/fixtures.js';
import { IMAGES, LAB_HOSTS, environmentRun, startLab } from '../__tests__/harness/scenarios.js';
import { signInRoutes } from '../__tests__/fake-azure/sign-in.js';
import { armRoutes } from '../__tests__/fake-azure/arm.js';
import { graphRoutes } from '../__tests__/fake-azure/graph.js';
import { resourceGraphRoutes } from '../__tests__/fake-azure/resource-graph.js';
import { fleetWorld } from '../__tests__/fake-azure/fleet.js';
import { Throttling } from '../__tests__/fake-azure/throttling.js';
import { benchInCluster } from './bench-in-cluster.mjs';

// Make the certificates, the bundle and Node 24 (scripts/prepare.mjs), then run the bench proper in a
// child that trusts the simulated Azure's CA and runs the bundle on Node 24.
if (!process.env.PREFLIGHT_BENCH_CHILD) {
  const env = { ...process.env, PREFLIGHT_BENCH_CHILD: '1', ...(await prepare(ROOT)) };
  const child = [process.execPath, import.meta.filename, ...process.argv.slice(2)];
  // As root, in a loopback-only network namespace like the tests (the registry lab listens on port 443).
  const isolate = process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('unshare', ['--version']).status === 0;
  const r = isolate
    ? spawnSync('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...child], { stdio: 'inherit', env })
    : spawnSync(child[0] ?? process.execPath, child.slice(1), { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}

/**
 * @typedef {import('../__tests__/fake-azure/server.js').RecordedRequest} RecordedRequest
 * @typedef {import('../__tests__/fake-azure/server.js').FakeAzure} FakeAzure
 * @typedef {import('../__tests__/harness/run-action.js').ActionRun} ActionRun
 * @typedef {{ route: string, method: string, path: string, query: string, startedMs: number, endedMs: number, status: number }} ChainStep
 * @typedef {{
 *   wallMs: number, engineMs: number | undefined, result: string | undefined, status: number | null,
 *   requests: number, signInRequests: number, armRequests: number, graphRequests: number, otherRequests: number,
 *   duplicates: { request: string, count: number }[],
 *   chainAll: number, chainAllRoutes: string[],
 *   chainArmAfterSignIn: number, chainArmAfterSignInSteps: ChainStep[],
 *   armBeforeSignInEnd: number, signInAfterArm: string[],
 *   phases: { spawnToFirstRequestMs: number, signInMs: number, afterSignInMs: number, lastResponseToExitMs: number },
 *   lastResponseFrom: 'azure' | 'registry',
 *   firstRoute: string | undefined,
 *   registryRequests: number, registryDuplicates: { request: string, count: number }[]
 * }} RunAnalysis
 */

const LATENCY_MS = 100;
const STARTUP_RUNS = 7;
const REPEAT_RUNS = 5;
const RSS_RUNS = 3;
const TARGET_ARM_CHAIN = 3;
const TARGET_STARTUP_MS = 120;
const TARGET_EXIT_MS = 20;
const TARGET_DIST_BYTES = 6e6;
const ENTRY = join(ROOT, 'dist', 'index.js');
/** the chunks both entries share and load (scripts/build.mjs), in dist/chunks/ */
const CHUNKS = readdirSync(join(ROOT, 'dist', 'chunks'));
const CHUNK_BYTES = CHUNKS.reduce((sum, f) => sum + statSync(join(ROOT, 'dist', 'chunks', f)).size, 0);
/** every file of dist/, as `files` ships it */
const DIST_BYTES = readdirSync(join(ROOT, 'dist'), { recursive: true, encoding: 'utf8' }).reduce((sum, f) => sum + (statSync(join(ROOT, 'dist', f)).isFile() ? statSync(join(ROOT, 'dist', f)).size : 0), 0);
/** the runtime of the bundle: Node 24 (scripts/node24.mjs) */
const NODE_VERSION = nodeVersion();

/** route name → family ('entra', 'github', 'managedIdentity', 'arm', 'graph'), from the fake's own tables */
const FAMILY = new Map([...signInRoutes, ...armRoutes, ...graphRoutes, ...resourceGraphRoutes].map((r) => [r.name, r.family]));
const SIGN_IN_FAMILIES = new Set(['entra', 'github', 'managedIdentity']);
/** @param {RecordedRequest} r */
const isSignIn = (r) => SIGN_IN_FAMILIES.has(FAMILY.get(r.route) ?? '');
/** @param {RecordedRequest} r */
const isArm = (r) => FAMILY.get(r.route) === 'arm';
/** @param {RecordedRequest} r */
const isGraph = (r) => FAMILY.get(r.route) === 'graph';

/** @param {number[]} xs */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}
/** @param {number} x */
const round1 = (x) => Math.round(x * 10) / 10;
/** @param {number | undefined} x */
const ms = (x) => (x === undefined || Number.isNaN(x) ? 'n/a' : `${Math.round(x)} ms`);

/** The query as a stable string (keys sorted). @param {Record<string, string>} query */
function queryKey(query) {
  return Object.keys(query)
    .sort()
    .map((k) => `${k}=${query[k]}`)
    .join('&');
}
/** @param {RecordedRequest} r */
const requestKey = (r) => `${r.method} ${r.path}${Object.keys(r.query).length ? `?${queryKey(r.query)}` : ''}`;

/**
 * Depth of each request among `reqs`: 1 + the max depth of the requests of `reqs` that ended before it
 * started. Returns the depths and, for each request, the predecessor that gave it its depth.
 * @param {RecordedRequest[]} reqs
 */
function chainOf(reqs) {
  const sorted = [...reqs].sort((a, b) => a.startedAt - b.startedAt);
  /** @type {Map<RecordedRequest, { depth: number, prev: RecordedRequest | undefined }>} */
  const info = new Map();
  for (const r of sorted) {
    let depth = 1;
    /** @type {RecordedRequest | undefined} */
    let prev;
    for (const q of sorted) {
      if (q === r || !(q.endedAt <= r.startedAt)) continue;
      const d = (info.get(q)?.depth ?? 0) + 1;
      if (d > depth) {
        depth = d;
        prev = q;
      }
    }
    info.set(r, { depth, prev });
  }
  let last = /** @type {RecordedRequest | undefined} */ (undefined);
  for (const r of sorted) if (!last || (info.get(r)?.depth ?? 0) > (info.get(last)?.depth ?? 0)) last = r;
  /** @type {RecordedRequest[]} */
  const chain = [];
  for (let r = last; r; r = info.get(r)?.prev) chain.unshift(r);
  return chain;
}

/** @param {string} what @param {ActionRun} run @returns {never} */
function failLoudly(what, run) {
  console.error(`\nbench: ${what}`);
  console.error(`exit status ${run.status}, outputs ${JSON.stringify(run.outputs)}`);
  console.error('--- stdout ---\n' + run.stdout.slice(-4000));
  console.error('--- stderr ---\n' + run.stderr.slice(-4000));
  process.exit(1);
}

/** @param {string[]} keys */
function duplicatesOf(keys) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([request, count]) => ({ request, count }));
}

/** The bench's run: the standard world's cluster and registry, auth environment, one multi-arch image, registries resolved through the lab. @param {FakeAzure} fake */
function benchRun(fake) {
  const base = environmentRun(fake.url, lab);
  return { inputs: { ...base.inputs, images: IMAGES.app }, env: base.env };
}

/**
 * One full run of the action with the standard world; checks it passes and analyses its requests.
 * @param {FakeAzure} fake
 * @returns {Promise<RunAnalysis>}
 */
async function fullRun(fake) {
  fake.reset(standardWorld());
  fake.latencyMs = LATENCY_MS;
  const spawnedAt = performance.now();
  const labBefore = lab.requests.length;
  const run = await runAction(benchRun(fake));
  const labRequests = lab.requests.slice(labBefore);
  const exitedAt = spawnedAt + run.durationMs;
  if (run.outputs.result !== 'pass') failLoudly(`the run's outputs.result is '${run.outputs.result}', expected 'pass' (the standard world grants AcrPull)`, run);
  if (run.status !== 0) failLoudly(`the run passed but exited with status ${run.status}`, run);
  const reqs = [...fake.requests];
  const inFlight = reqs.filter((r) => Number.isNaN(r.endedAt));
  if (inFlight.length) failLoudly(`${inFlight.length} request(s) still in flight after the action exited: ${inFlight.map(requestKey).join(', ')}`, run);

  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const r of reqs) counts.set(requestKey(r), (counts.get(requestKey(r)) ?? 0) + 1);
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([request, count]) => ({ request, count }));

  const signIn = reqs.filter(isSignIn);
  const arm = reqs.filter(isArm);
  const signInEnd = Math.max(-Infinity, ...signIn.map((r) => r.endedAt));
  const firstArmStart = Math.min(Infinity, ...arm.map((r) => r.startedAt));
  const armAfter = arm.filter((r) => r.startedAt >= signInEnd);
  const chainAll = chainOf(reqs);
  const chainArm = chainOf(armAfter);
  const first = [...reqs].sort((a, b) => a.startedAt - b.startedAt)[0];
  // the last answer of the run: the fake Azure's or a registry's (the image check ends on the registry)
  const lastArmEnd = Math.max(...reqs.map((r) => r.endedAt));
  const lastEnd = Math.max(lastArmEnd, ...labRequests.flatMap((q) => (q.endedAt === undefined ? [] : [q.endedAt])));
  return {
    wallMs: run.durationMs,
    engineMs: run.report?.durationMs,
    result: run.outputs.result,
    status: run.status,
    requests: reqs.length,
    signInRequests: signIn.length,
    armRequests: arm.length,
    graphRequests: reqs.filter(isGraph).length,
    otherRequests: reqs.filter((r) => !isSignIn(r) && !isArm(r) && !isGraph(r)).length,
    duplicates,
    chainAll: chainAll.length,
    chainAllRoutes: chainAll.map((r) => r.route),
    chainArmAfterSignIn: chainArm.length,
    chainArmAfterSignInSteps: chainArm.map((r) => ({
      route: r.route,
      method: r.method,
      path: r.path,
      query: queryKey(r.query),
      startedMs: round1(r.startedAt - spawnedAt),
      endedMs: round1(r.endedAt - spawnedAt),
      status: r.status,
    })),
    armBeforeSignInEnd: arm.length - armAfter.length,
    signInAfterArm: signIn.filter((r) => r.startedAt > firstArmStart).map((r) => r.route),
    phases: {
      spawnToFirstRequestMs: round1((first?.startedAt ?? NaN) - spawnedAt),
      signInMs: round1(signInEnd - (first?.startedAt ?? NaN)),
      afterSignInMs: round1(lastEnd - signInEnd),
      lastResponseToExitMs: round1(exitedAt - lastEnd),
    },
    lastResponseFrom: lastEnd > lastArmEnd ? 'registry' : 'azure',
    firstRoute: first?.route,
    registryRequests: labRequests.length,
    registryDuplicates: duplicatesOf(labRequests.map((q) => `${q.method} ${q.host}${q.path}`)),
  };
}

/**
 * Spawn → first request reaching the fake, latency 0 (the action has loaded, read its inputs and begun
 * signing in). The run is completed normally.
 * @param {FakeAzure} fake
 */
async function timeToFirstRequest(fake) {
  fake.reset(standardWorld());
  fake.latencyMs = 0;
  const spawnedAt = performance.now();
  const run = await runAction(benchRun(fake));
  if (run.outputs.result !== 'pass') failLoudly(`a start-up run's outputs.result is '${run.outputs.result}', expected 'pass'`, run);
  const first = [...fake.requests].sort((a, b) => a.startedAt - b.startedAt)[0];
  if (!first) failLoudly('a start-up run made no request', run);
  return { ms: (first?.startedAt ?? NaN) - spawnedAt, route: first?.route ?? '', wallMs: run.durationMs };
}

/** `node dist/index.js` with no inputs: exits after input validation. */
async function noInputsRun() {
  const run = await runAction({ inputs: {} });
  if (run.status === 0) failLoudly('`node dist/index.js` without inputs exited 0; expected an input validation failure', run);
  return run.durationMs;
}

/** Wall time of `node -e 0`, spawned the same way as the action. */
async function nodeBaseline() {
  const started = performance.now();
  const child = spawn(NODE, ['-e', '0'], { env: { PATH: process.env.PATH }, stdio: 'ignore' });
  const code = await new Promise((res) => child.on('close', res));
  if (code !== 0) throw new Error(`node -e 0 exited ${code}`);
  return performance.now() - started;
}

/** Peak RSS (kB) of a full run, through scripts/bench-child.mjs. @param {FakeAzure} fake */
async function peakRssKb(fake) {
  fake.reset(standardWorld());
  fake.latencyMs = LATENCY_MS;
  const dir = mkdtempSync(join(tmpdir(), 'preflight-bench-'));
  const rssFile = join(dir, 'rss');
  try {
    const { inputs, env } = benchRun(fake);
    const run = await runAction({
      inputs,
      env: { ...env, PREFLIGHT_BENCH_ENTRY: ENTRY, PREFLIGHT_BENCH_RSS_FILE: rssFile },
      entry: join(ROOT, 'scripts', 'bench-child.mjs'),
    });
    if (run.outputs.result !== 'pass') failLoudly(`an RSS run's outputs.result is '${run.outputs.result}', expected 'pass'`, run);
    return Number(readFileSync(rssFile, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** @param {string[][]} rows */
function table(rows) {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

const certs = /** @type {import('./certs.mjs').CertPaths} */ (JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null') ?? (await ensureCerts(join(ROOT, '.tmp', 'certs'))));
const fake = await startFakeAzure({ cert: certs.cert, key: certs.key, world: standardWorld() });
// The registries answer with the same added latency as ARM (a delay before every answer of the front).
const lab = await startLab(fake, JSON.parse(process.env.PREFLIGHT_REGISTRY_CERTS ?? '{}'));
for (const h of LAB_HOSTS) lab.fault(h.name, { path: /.*/, delayMs: LATENCY_MS });
try {
  console.log(`bench: dist/ ${(DIST_BYTES / 1e6).toFixed(2)} MB (dist/index.js ${(statSync(ENTRY).size / 1e6).toFixed(2)} MB + ${CHUNKS.length} chunk(s) ${(CHUNK_BYTES / 1e6).toFixed(2)} MB), node ${NODE_VERSION}, fake Azure at ${fake.url}, latency ${LATENCY_MS} ms\n`);

  // 1 + 2: the first full run, analysed.
  const first = await fullRun(fake);

  // 3: start-up.
  /** @type {{ ms: number, route: string, wallMs: number }[]} */
  const firstRequest = [];
  for (let i = 0; i < STARTUP_RUNS; i++) firstRequest.push(await timeToFirstRequest(fake));
  /** @type {number[]} */
  const noInputs = [];
  for (let i = 0; i < STARTUP_RUNS; i++) noInputs.push(await noInputsRun());
  /** @type {number[]} */
  const baseline = [];
  for (let i = 0; i < STARTUP_RUNS; i++) baseline.push(await nodeBaseline());

  // 4: repeats and peak RSS.
  /** @type {RunAnalysis[]} */
  const repeats = [];
  for (let i = 0; i < REPEAT_RUNS; i++) repeats.push(await fullRun(fake));
  /** @type {number[]} */
  const rss = [];
  for (let i = 0; i < RSS_RUNS; i++) rss.push(await peakRssKb(fake));

  const startupMs = median(firstRequest.map((r) => r.ms));
  const noInputsMs = median(noInputs);
  const baselineMs = median(baseline);
  const walls = repeats.map((r) => r.wallMs);
  const armChains = [first, ...repeats].map((r) => r.chainArmAfterSignIn);
  const anyDuplicates = [first, ...repeats].some((r) => r.duplicates.length > 0);
  const startupMet = startupMs <= TARGET_STARTUP_MS;
  const chainMet = Math.max(...armChains) <= TARGET_ARM_CHAIN;
  const exits = [first, ...repeats].map((r) => r.phases.lastResponseToExitMs);
  const exitMs = median(exits);
  const exitMet = exitMs <= TARGET_EXIT_MS;
  const distMet = DIST_BYTES <= TARGET_DIST_BYTES;

  const rows = [
    ['measure', 'value', 'note'],
    ['1. full run, wall time', ms(first.wallMs), `result ${first.result}, exit ${first.status}; engine's own durationMs ${ms(first.engineMs)}`],
    ['   spawn → first request', ms(first.phases.spawnToFirstRequestMs), `first route: ${first.firstRoute}`],
    ['   sign-in (first → last sign-in response)', ms(first.phases.signInMs), `${first.signInRequests} sign-in request(s)`],
    ['   after sign-in (→ last response)', ms(first.phases.afterSignInMs), `the last response came from ${first.lastResponseFrom === 'registry' ? 'a registry (lab)' : 'the fake Azure'}`],
    ['   last response → exit', ms(first.phases.lastResponseToExitMs), `median of all ${exits.length} runs ${ms(exitMs)}, target ≤ ${TARGET_EXIT_MS} ms: ${exitMet ? 'met' : 'NOT met'} (runs: ${exits.map(Math.round).join(', ')})`],
    ['2. requests', String(first.requests), `${first.signInRequests} sign-in, ${first.armRequests} ARM, ${first.graphRequests} Graph, ${first.otherRequests} other`],
    ['   ARM requests', String(first.armRequests), first.armBeforeSignInEnd ? `${first.armBeforeSignInEnd} started before sign-in ended` : 'all after sign-in'],
    ['   requests made twice', String(first.duplicates.length), first.duplicates.length ? 'target none: NOT met (listed below)' : 'target none: met'],
    ['   dependent ARM round trips after sign-in', String(first.chainArmAfterSignIn), `target ≤ ${TARGET_ARM_CHAIN}: ${first.chainArmAfterSignIn <= TARGET_ARM_CHAIN ? 'met' : 'NOT met'}`],
    ['   longest chain, all requests', String(first.chainAll), first.chainAllRoutes.join(' → ')],
    ['   registry requests (lab, 100 ms each)', String(first.registryRequests), first.registryDuplicates.length ? `made twice: ${first.registryDuplicates.map((d) => `${d.count}× ${d.request}`).join(', ')}` : 'none made twice'],
    [`3a. spawn → first request (latency 0, median of ${STARTUP_RUNS})`, ms(startupMs), `min ${ms(Math.min(...firstRequest.map((r) => r.ms)))}, max ${ms(Math.max(...firstRequest.map((r) => r.ms)))}`],
    [`3b. node dist/index.js, no inputs (median of ${STARTUP_RUNS})`, ms(noInputsMs), `min ${ms(Math.min(...noInputs))}, max ${ms(Math.max(...noInputs))}`],
    [`3c. node -e 0 (median of ${STARTUP_RUNS})`, ms(baselineMs), `min ${ms(Math.min(...baseline))}, max ${ms(Math.max(...baseline))}`],
    ['    start-up beyond bare Node (3a − 3c)', ms(startupMs - baselineMs), `3b − 3c: ${ms(noInputsMs - baselineMs)}`],
    [`    start-up target (3a ≤ ${TARGET_STARTUP_MS} ms)`, startupMet ? 'met' : 'NOT met', `${ms(startupMs)} vs ${TARGET_STARTUP_MS} ms`],
    [`4. full run, wall time (median of ${REPEAT_RUNS})`, ms(median(walls)), `min ${ms(Math.min(...walls))}, max ${ms(Math.max(...walls))}`],
    ['   ARM round trips after sign-in, all runs', armChains.join(', '), `requests per run: ${[first, ...repeats].map((r) => r.requests).join(', ')}`],
    [`   peak RSS of the child (max of ${RSS_RUNS})`, `${(Math.max(...rss) / 1024).toFixed(1)} MB`, `runs: ${rss.map((k) => (k / 1024).toFixed(1)).join(', ')} MB (maxRSS via bench-child.mjs)`],
    ['5. dist/ (what the package ships)', `${(DIST_BYTES / 1e6).toFixed(2)} MB`, `${CHUNKS.length} shared chunk(s); target ≤ ${TARGET_DIST_BYTES / 1e6} MB: ${distMet ? 'met' : 'NOT met'}`],
  ];
  console.log(table(rows));

  console.log('\nchain of dependent ARM requests after sign-in (first run; ms since spawn):');
  first.chainArmAfterSignInSteps.forEach((s, i) =>
    console.log(`  ${i + 1}. ${s.route.padEnd(26)} ${String(s.startedMs).padStart(7)} → ${String(s.endedMs).padStart(7)}  ${s.status}  ${s.method} ${s.path}${s.query ? `?${s.query}` : ''}`),
  );
  if (anyDuplicates) {
    console.log('\nrequests made more than once (method path?query; a POST body is not recorded):');
    [first, ...repeats].forEach((r, i) => r.duplicates.forEach((d) => console.log(`  run ${i + 1}: ${d.count}× ${d.request}`)));
  }
  if (first.signInAfterArm.length) console.log(`\nnote: sign-in request(s) after ARM reads began: ${first.signInAfterArm.join(', ')}`);
  if (new Set(firstRequest.map((r) => r.route)).size > 1) console.log(`\nnote: the first request differs between start-up runs: ${firstRequest.map((r) => r.route).join(', ')}`);

  const bench = {
    node: NODE_VERSION,
    distBytes: DIST_BYTES,
    latencyMs: LATENCY_MS,
    distIndexBytes: statSync(ENTRY).size,
    distChunks: CHUNKS.length,
    distChunkBytes: CHUNK_BYTES,
    firstRun: first,
    startup: {
      spawnToFirstRequestMs: { median: round1(startupMs), runs: firstRequest.map((r) => round1(r.ms)), firstRoute: firstRequest[0]?.route },
      noInputsMs: { median: round1(noInputsMs), runs: noInputs.map(round1) },
      nodeBaselineMs: { median: round1(baselineMs), runs: baseline.map(round1) },
      targetMs: TARGET_STARTUP_MS,
      targetMet: startupMet,
    },
    repeats: {
      wallMs: { median: round1(median(walls)), min: round1(Math.min(...walls)), max: round1(Math.max(...walls)), runs: walls.map(round1) },
      armChainAfterSignIn: armChains,
      requests: repeats.map((r) => r.requests),
      duplicates: repeats.map((r) => r.duplicates),
    },
    peakRssKb: { max: Math.max(...rss), runs: rss },
    inCluster: await benchInCluster(fake),
    lastResponseToExitMs: { median: round1(exitMs), runs: exits },
    targets: {
      armChainAfterSignIn: { target: TARGET_ARM_CHAIN, met: chainMet },
      noDuplicates: { met: !anyDuplicates },
      startup: { target: TARGET_STARTUP_MS, met: startupMet },
      lastResponseToExit: { target: TARGET_EXIT_MS, met: exitMet },
      distBytes: { target: TARGET_DIST_BYTES, met: distMet },
    },
  };
  const line = JSON.stringify(bench);
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  writeFileSync(join(ROOT, '.tmp', 'bench.json'), JSON.stringify(bench, null, 2) + '\n');
  console.log(`\nbench: ${line}`);

  await fleetBench(fake);
} finally {
  await lab.stop();
  await fake.stop();
}

// ── fleets ─────────────────────────────────────────────────────────────────────────────────────────
// N clusters × M registries (__tests__/fake-azure/fleet.js) against the fake with 100 ms latency per
// request and ARM-like throttling (a token bucket of 250 refilled at 25/s per subscription and
// principal; 15 Resource Graph queries per 5 s). Per case: wall time, requests by kind, 429s met, the
// longest dependent chain, peak RSS, and pairs unknown. Targets: 100 × 3 under 5 s and 150 MB.
// Before fleet mode, 100 explicit clusters × 3 made 984 ARM requests, 494 answered 429, and 66 of the
// 300 pairs ended unknown (5.5 s, ~157 MB).


/** A short name for a route, by kind. @param {RecordedRequest} r */
function kindOf(r) {
  if (isSignIn(r)) return 'sign-in';
  if (r.route === 'resourceGraph.resources') return 'resource graph';
  if (isGraph(r)) return 'ms graph';
  if (r.route.startsWith('arm.')) return r.route.slice(4).replace(/\.(get|list)$/, '').replace(/^roleAssignments$/, 'role assignments').replace(/^denyAssignments$/, 'deny assignments');
  return r.route;
}

/** @typedef {{ name: string, clusters: number, registries: number, star: boolean, refuse: boolean }} FleetCase */

/** @param {FakeAzure} fake @param {FleetCase} c @param {boolean} rss */
async function fleetRun(fake, c, rss) {
  const fleet = fleetWorld({ clusters: c.clusters, registries: c.registries });
  fake.reset(fleet.world);
  fake.latencyMs = LATENCY_MS;
  fake.throttling = new Throttling();
  if (c.refuse) fake.addFault({ method: 'POST', path: '/providers/Microsoft.ResourceGraph/resources', status: 403 });
  const base = environmentRun(fake.url, lab);
  const inputs = { ...base.inputs, 'resource-group': '', subscription: c.star ? '' : IDS.subscription, cluster: c.star ? '*' : fleet.clusterIds.join('\n'), registry: fleet.registryNames.join('\n'), timeout: '120' };
  const dir = mkdtempSync(join(tmpdir(), 'preflight-bench-'));
  const rssFile = join(dir, 'rss');
  try {
    const run = await runAction(rss ? { inputs, env: { ...base.env, PREFLIGHT_BENCH_ENTRY: ENTRY, PREFLIGHT_BENCH_RSS_FILE: rssFile }, entry: join(ROOT, 'scripts', 'bench-child.mjs') } : { inputs, env: base.env });
    if (!run.report) failLoudly(`the fleet case '${c.name}' wrote no report`, run);
    const reqs = [...fake.requests];
    /** @type {Record<string, number>} */
    const byKind = {};
    for (const r of reqs) byKind[kindOf(r)] = (byKind[kindOf(r)] ?? 0) + 1;
    const pairs = run.report.checks.filter((/** @type {{ id: string }} */ f) => f.id === 'pull-permission');
    const wrong = pairs.filter((/** @type {{ cluster: string, registry: string, status: string }} */ f) => fleet.expected[`${f.cluster}|${f.registry}`] !== f.status);
    return {
      name: c.name,
      wallMs: run.durationMs,
      engineMs: run.report.durationMs,
      source: run.report.fleetFacts?.source,
      requests: reqs.length,
      armRequests: reqs.filter(isArm).length,
      byKind,
      throttled: (fake.throttling?.throttled.arm ?? 0) + (fake.throttling?.throttled.resourceGraph ?? 0),
      throttledSeenByRun: run.report.fleetFacts?.throttled,
      chain: chainOf(reqs).length,
      pairs: pairs.length,
      pairsUnknown: pairs.filter((/** @type {{ status: string }} */ f) => f.status === 'unknown').length,
      pairsWrong: wrong.length,
      rssKb: rss ? Number(readFileSync(rssFile, 'utf8')) : undefined,
    };
  } finally {
    fake.throttling = undefined;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** @param {FakeAzure} fake */
async function fleetBench(fake) {
  const FLEET_CASES = [
    { name: '10 × 3, cluster: *', clusters: 10, registries: 3, star: true, refuse: false },
    { name: '100 × 3, cluster: *', clusters: 100, registries: 3, star: true, refuse: false },
    { name: '100 × 3, explicit IDs', clusters: 100, registries: 3, star: false, refuse: false },
    { name: '100 × 3, explicit IDs, Resource Graph refused (ARM)', clusters: 100, registries: 3, star: false, refuse: true },
  ];
  const TARGET_FLEET_WALL_MS = 5000;
  const TARGET_FLEET_RSS_KB = 150 * 1024;
  const results = [];
  for (const c of FLEET_CASES) {
    const timed = await fleetRun(fake, c, false);
    const measured = await fleetRun(fake, c, true);
    results.push({ ...timed, rssKb: measured.rssKb });
  }
  const rows = [['fleet case', 'wall', 'requests (ARM)', '429s', 'chain', 'pairs unknown / wrong', 'peak RSS', 'requests by kind']];
  for (const r of results) {
    const kinds = Object.entries(r.byKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ');
    rows.push([r.name, ms(r.wallMs), `${r.requests} (${r.armRequests})`, String(r.throttled), String(r.chain), `${r.pairsUnknown} / ${r.pairsWrong} of ${r.pairs}`, `${((r.rssKb ?? NaN) / 1024).toFixed(1)} MB`, `${r.source ?? '-'}: ${kinds}`]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  console.log(`\nfleets (latency ${LATENCY_MS} ms, ARM bucket 250 + 25/s, Resource Graph 15 per 5 s):`);
  console.log(rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n'));
  const big = results.filter((r) => r.name.startsWith('100 × 3'));
  const wallMet = big.every((r) => r.wallMs < TARGET_FLEET_WALL_MS);
  const rssMet = big.every((r) => (r.rssKb ?? Infinity) < TARGET_FLEET_RSS_KB);
  console.log(`targets for 100 × 3: wall < ${TARGET_FLEET_WALL_MS} ms ${wallMet ? 'met' : 'NOT met'}, peak RSS < 150 MB ${rssMet ? 'met' : 'NOT met'}; no pair unknown ${big.every((r) => r.pairsUnknown === 0) ? 'met' : 'NOT met'}`);
  console.log('before fleet mode (100 explicit clusters × 3): 984 ARM requests, 494 answered 429, 66 of 300 pairs unknown, 5.5 s, ~157 MB');
  writeFileSync(join(ROOT, '.tmp', 'bench-fleet.json'), JSON.stringify({ latencyMs: LATENCY_MS, results, targets: { wallMs: TARGET_FLEET_WALL_MS, wallMet, rssKb: TARGET_FLEET_RSS_KB, rssMet } }, null, 2) + '\n');
}
