// GitHub's limits, end to end: the bundled action (dist/index.js) run as a child process against the fake
// Azure, with more failing checks than a step can show as annotations. At most 10 error annotations
// (the step's own failure message is one of them), the most urgent first, one notice counting the rest,
// and the job summary still lists every check.
import { startFakeAzure, type FakeAzure } from '../fake-azure/server.js';
import { IDS, managedCluster, standardWorld } from '../fake-azure/fixtures.js';
import { runAction, type ActionRun } from '../harness/run-action.js';
import { oidcRun } from '../harness/scenarios.js';

const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null') as { cert: string; key: string } | null;
if (!certs || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');

/** registries that exist nowhere: each one a failing `registry` check */
const MISSING = Array.from({ length: 12 }, (_, i) => `missingacr${String(i + 1).padStart(2, '0')}`);

let fake: FakeAzure;
let r: ActionRun;

beforeAll(async () => {
  fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
  // a service-principal cluster whose client ID Graph refuses to resolve: the `cluster` check is unknown,
  // and it comes first in the report, before the registries
  const world = standardWorld();
  world.clusters = [managedCluster({ subscriptionId: IDS.subscription, resourceGroup: IDS.clusterResourceGroup, name: IDS.cluster, servicePrincipalClientId: IDS.kubeletClientId })];
  fake.reset(world);
  fake.addFault({ path: /^\/v1\.0\/servicePrincipals/, status: 403 });
  const base = oidcRun(fake.url);
  r = await runAction({ inputs: { ...base.inputs, registry: MISSING.join('\n') }, env: base.env });
});
afterAll(async () => {
  await fake?.stop();
});

const of = (command: string) => r.commands.filter((c) => c.command === command);

test('the run fails with 13 checks that need attention: 12 registries not found and the cluster unknown', () => {
  expect(r.status).toBe(1);
  expect(r.outputs.result).toBe('fail');
  const attention = r.report.checks.filter((c: { status: string }) => c.status === 'fail' || c.status === 'unknown');
  expect(attention.map((c: { id: string; status: string }) => `${c.id} ${c.status}`)).toEqual(['cluster unknown', ...MISSING.map(() => 'registry fail')]);
});

test('exactly 10 error annotations: the 9 most urgent checks (fail before unknown, in input order) and the step failure', () => {
  const errors = of('error');
  expect(errors).toHaveLength(10);
  expect(errors.slice(0, 9).map((e) => e.properties.title)).toEqual(MISSING.slice(0, 9).map((name) => `registry: ${name}`));
  expect(errors[9]?.properties.title).toBeUndefined();
  expect(errors[9]?.message).toContain('aks-acr-preflight: the verdict is fail');
  expect(errors.some((e) => e.properties.title?.startsWith('cluster'))).toBe(false);
});

test('one notice says how many were left out and where they all are', () => {
  const overflow = of('notice').filter((n) => n.properties.title?.startsWith('aks-acr-preflight:'));
  expect(overflow).toHaveLength(1);
  expect(overflow[0]?.properties.title).toBe('aks-acr-preflight: more in the job summary');
  expect(overflow[0]?.message).toContain('left out here: 4 errors.');
  expect(overflow[0]?.message).toContain('The job summary lists every check');
  expect(of('notice').length).toBeLessThanOrEqual(10);
  expect(of('warning').length).toBeLessThanOrEqual(10);
});

test('the job summary lists every check, those left out of the annotations too', () => {
  const table = /<tbody>(.*?)<\/tbody>/.exec(r.summary)?.[1] ?? '';
  expect(table.match(/<tr>/g)).toHaveLength(r.report.checks.length);
  for (const name of MISSING) expect(table).toContain(`<td>${name}</td>`);
  expect(table).toContain(`<td>${IDS.cluster}</td>`);
  expect(r.summary).not.toContain('Left out');
});
