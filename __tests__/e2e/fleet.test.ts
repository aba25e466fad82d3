// Fleet mode end to end: the bundled action (dist/index.js) against a generated fleet on the fake
// Azure. `cluster: *` with cluster-tags, the matrix output, the Resource Graph path (its query text
// asserted), the ARM fallback when Resource Graph is refused, and ARM's token bucket: throttling slows
// the run, and no pair ends unknown because of it.
import { startFakeAzure, type FakeAzure, type RecordedRequest } from '../fake-azure/server.js';
import { fleetWorld, type Fleet } from '../fake-azure/fleet.js';
import { IDS } from '../fake-azure/fixtures.js';
import { Throttling } from '../fake-azure/throttling.js';
import { runAction, visibleOutput, type ActionRun } from '../harness/run-action.js';
import { environmentRun } from '../harness/scenarios.js';

const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null') as { cert: string; key: string } | null;
if (!certs || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');

type Check = { id: string; status: string; cluster?: string; registry?: string; title: string; detail: string };
const RESOURCE_GRAPH = '/providers/Microsoft.ResourceGraph/resources';

let fake: FakeAzure;
beforeAll(async () => {
  fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
});
afterAll(() => fake?.stop());
afterEach(() => {
  fake.throttling = undefined;
});

/** Runs against the fleet's world, which the test has put into the fake (with its faults). */
async function run(fleet: Fleet, inputs: Record<string, string>): Promise<ActionRun> {
  const base = environmentRun(fake.url);
  // no registry lab: the runner's DNS probes ask a closed port and fail fast
  return runAction({
    inputs: { ...base.inputs, 'resource-group': '', registry: fleet.registryNames.join('\n'), 'dns-servers': '127.0.0.1:9', 'connect-timeout': '1', ...inputs },
    env: base.env,
  });
}

/** pull-permission per "cluster|registry" */
function pullVerdicts(r: ActionRun): Record<string, string> {
  return Object.fromEntries(r.report.checks.filter((c: Check) => c.id === 'pull-permission').map((c: Check) => [`${c.cluster}|${c.registry}`, c.status]));
}

const queries = (): string[] => fake.requests.filter((q: RecordedRequest) => q.route === 'resourceGraph.resources').map((q) => JSON.parse(q.body ?? '{}').query as string);
const only = <T extends Record<string, unknown>>(o: T, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));

describe('cluster: * over Resource Graph', () => {
  const fleet = fleetWorld({ clusters: 12, registries: 3 });
  const prod = fleet.clusterNames.filter((n) => fleet.tags[n]?.env === 'prod');
  const inProd = fleet.clusterIds.filter((_, i) => prod.includes(fleet.clusterNames[i] ?? ''));
  let r: ActionRun;
  beforeAll(async () => {
    fake.reset(fleet.world);
    r = await run(fleet, { cluster: '*', subscription: '', 'cluster-tags': 'env=prod' });
  });

  test('finds every cluster the credential can read that carries the tags, and checks each against every registry', () => {
    expect(r.report.fleetFacts).toMatchObject({ source: 'resource-graph', discovered: prod.length });
    expect(r.report.clusters.map((c: { name: string }) => c.name).sort()).toEqual([...prod].sort());
    const keys = prod.flatMap((c) => fleet.registryNames.map((g) => `${c}|${g}`));
    expect(pullVerdicts(r)).toEqual(only(fleet.expected, keys));
  });

  test('the matrix output lists each cluster by resource ID and name, for strategy.matrix', () => {
    const matrix = JSON.parse(r.outputs.matrix ?? '');
    expect(matrix.include.map((m: { cluster: string }) => m.cluster.toLowerCase()).sort()).toEqual(inProd.map((id) => id.toLowerCase()).sort());
    expect(matrix.include[0]).toEqual({ cluster: r.report.clusters[0].id, name: r.report.clusters[0].name });
  });

  test('reads clusters, registries, management-group chains and role assignments in one query each, and no cluster or registry by ARM GET', () => {
    const q = queries();
    expect(q).toHaveLength(4);
    expect(q).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^resources\n\| where type =~ 'microsoft\.containerservice\/managedclusters'\n\| project id, /),
        expect.stringMatching(/^resources\n\| where type =~ 'microsoft\.containerregistry\/registries'\n\| where name in~ \('myacr', 'otheracr', 'sharedacr2'\)/),
        expect.stringMatching(/^resourcecontainers\n\| where type =~ 'microsoft\.resources\/subscriptions'/),
        expect.stringMatching(/^authorizationresources\n\| where type =~ 'microsoft\.authorization\/roleassignments'\n\| where properties\.principalId in~ \(/),
      ]),
    );
    const bodies = fake.requests.filter((q) => q.route === 'resourceGraph.resources').map((q) => JSON.parse(q.body ?? '{}'));
    const assignments = bodies.find((b) => b.query.startsWith('authorizationresources'));
    expect(assignments).toMatchObject({ managementGroups: ['mg1'], options: { authorizationScopeFilter: 'AtScopeAboveAndBelow', resultFormat: 'objectArray' } });
    const routes = fake.requests.map((q) => q.route);
    expect(routes).not.toContain('arm.managedClusters.get');
    expect(routes).not.toContain('arm.registries.get');
    expect(routes).not.toContain('arm.registries.list');
  });

  test('a pair granted only through a group is read per pair with assignedTo (Resource Graph does not expand groups)', () => {
    const grouped = prod.flatMap((c) => fleet.registryNames.map((g) => `${c}|${g}`)).filter((k) => fleet.grants[k] === 'group');
    expect(grouped.length).toBeGreaterThan(0);
    const kubelets = new Set(r.report.clusters.map((c: { kubeletIdentity: { objectId: string } }) => c.kubeletIdentity.objectId.toLowerCase()));
    const perPair = fake.requests.filter((q) => q.route === 'arm.roleAssignments.list' && kubelets.has(/^assignedTo\('([^']+)'\)$/.exec(q.query.$filter ?? '')?.[1]?.toLowerCase() ?? ''));
    // the pairs granted through a group, and the failing ones: no pair whose grant the rows show
    const undecided = prod.flatMap((c) => fleet.registryNames.map((g) => `${c}|${g}`)).filter((k) => ['group', 'none'].includes(fleet.grants[k] ?? ''));
    expect(perPair).toHaveLength(undecided.length);
  });

  test('no token in any output', () => {
    const out = visibleOutput(r);
    for (const t of fake.issuedTokens) expect(out).not.toContain(t);
  });
});

describe('several clusters given, Resource Graph refused', () => {
  const fleet = fleetWorld({ clusters: 6, registries: 3 });
  test.each([
    ['403 (no Resource Graph read)', 403],
    ['400 (a cloud without Resource Graph)', 400],
  ])('%s: the same verdicts from ARM reads, and the report says which path', async (_, status) => {
    fake.reset(fleet.world);
    fake.addFault({ method: 'POST', path: RESOURCE_GRAPH, status });
    const r = await run(fleet, { cluster: fleet.clusterIds.join('\n') });
    expect(r.report.fleetFacts.source).toBe('arm');
    expect(r.report.fleetFacts.note).toContain(`Azure Resource Graph was not available (${status}`);
    expect(pullVerdicts(r)).toEqual(fleet.expected);
    expect(JSON.parse(r.outputs.matrix ?? '').include).toHaveLength(6);
  });
});

describe('throttling', () => {
  test("ARM's token bucket answers 429s: the run waits them out, no pair is unknown, and the 429s are counted", async () => {
    const fleet = fleetWorld({ clusters: 10, registries: 3 });
    fake.reset(fleet.world);
    fake.throttling = new Throttling({ burst: 5, refillPerSecond: 5 });
    fake.addFault({ method: 'POST', path: RESOURCE_GRAPH, status: 403 });
    const r = await run(fleet, { cluster: fleet.clusterIds.join('\n'), timeout: '120' });
    expect(fake.throttling.throttled.arm).toBeGreaterThan(0);
    expect(r.report.fleetFacts.throttled).toBeGreaterThan(0);
    expect(pullVerdicts(r)).toEqual(fleet.expected);
    expect(r.report.checks.filter((c: Check) => c.id === 'cluster' || c.id === 'registry').map((c: Check) => c.status)).not.toContain('unknown');
  });

  test('Resource Graph says its quota is spent: the run waits for it to reset instead of meeting 429s, and still reads the fleet from it', async () => {
    const fleet = fleetWorld({ clusters: 4, registries: 3 });
    fake.reset(fleet.world);
    fake.throttling = new Throttling({ queries: 2, windowMs: 1000 });
    const r = await run(fleet, { cluster: '*', subscription: IDS.subscription });
    expect(fake.throttling.spent.resourceGraph).toBeGreaterThan(0);
    expect(fake.throttling.throttled.resourceGraph).toBe(0);
    expect(queries()).toHaveLength(4);
    expect(r.report.fleetFacts.source).toBe('resource-graph');
    const inSub = fleet.clusterNames.filter((_, i) => fleet.clusterIds[i]?.includes(IDS.subscription));
    expect(pullVerdicts(r)).toEqual(only(fleet.expected, inSub.flatMap((c) => fleet.registryNames.map((g) => `${c}|${g}`))));
  });

  test('a Resource Graph 429 is waited out (x-ms-user-quota-resets-after) and counted; the fleet still comes from Resource Graph', async () => {
    const fleet = fleetWorld({ clusters: 4, registries: 3 });
    fake.reset(fleet.world);
    fake.addFault({ method: 'POST', path: RESOURCE_GRAPH, status: 429, times: 1, headers: { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': '00:00:01' } });
    const r = await run(fleet, { cluster: '*', subscription: IDS.subscription });
    expect(r.report.fleetFacts).toMatchObject({ source: 'resource-graph', throttled: 1 });
    expect(queries()).toHaveLength(5);
    // every check read from Azure is known (the runner's own DNS probes have no DNS server here)
    expect(r.report.checks.filter((c: Check & { path?: string }) => c.status === 'unknown' && c.path !== 'runner')).toEqual([]);
  });
});

describe('timeout', () => {
  test('bounds the whole run: pairs whose per-pair read is still pending then are unknown and say so; the others keep their verdicts', async () => {
    const fleet = fleetWorld({ clusters: 6, registries: 3 });
    fake.reset(fleet.world);
    fake.addFault({ path: /\/providers\/Microsoft\.Authorization\/roleAssignments$/i, query: /assignedTo/i, stall: true });
    const r = await run(fleet, { cluster: fleet.clusterIds.join('\n'), timeout: '4' });
    const pull = r.report.checks.filter((c: Check) => c.id === 'pull-permission');
    expect(pull).toHaveLength(18);
    for (const c of pull as Check[]) {
      const key = `${c.cluster}|${c.registry}`;
      if (['group', 'none'].includes(fleet.grants[key] ?? '')) {
        expect({ key, status: c.status }).toEqual({ key, status: 'unknown' });
        expect(c.detail).toContain('the time budget ran out');
      } else {
        expect({ key, status: c.status }).toEqual({ key, status: fleet.expected[key] });
      }
    }
    expect(r.status).not.toBe(0);
  });
});
