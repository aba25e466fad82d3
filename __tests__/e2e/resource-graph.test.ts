// The Resource Graph reader (src/azure/resource-graph.ts, the official SDK client) against the fake's
// Resource Graph: paging by $skipToken, a truncated result split in halves, management-group
// assignments only when the query runs at management groups, and the query text the fleet sends.
import { ClientSecretCredential } from '@azure/identity';
import { ArmClients } from '../../src/azure/arm.js';
import { FleetReader, scopeReaches } from '../../src/azure/fleet.js';
import { RbacReader } from '../../src/azure/rbac.js';
import { clustersQuery, ResourceGraph, roleAssignmentsQuery, ResultTruncated } from '../../src/azure/resource-graph.js';
import { CLOUDS } from '../../src/clouds.js';
import type { Config } from '../../src/model.js';
import { startFakeAzure, type FakeAzure } from '../fake-azure/server.js';
import { IDS, SECRETS } from '../fake-azure/fixtures.js';
import { fleetWorld, MANAGEMENT_GROUP_CLUSTER } from '../fake-azure/fleet.js';

const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null') as { cert: string; key: string } | null;
if (!certs || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');

let fake: FakeAzure;
let clients: ArmClients;
beforeAll(async () => {
  fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
  const credential = new ClientSecretCredential(IDS.tenant, IDS.clientId, SECRETS.clientSecret, { authorityHost: fake.url, disableInstanceDiscovery: true });
  clients = new ArmClients(credential, { armEndpoint: fake.url, cloud: CLOUDS.AzureCloud }, AbortSignal.timeout(60_000));
});
afterAll(() => fake?.stop());

const fleet = fleetWorld({ clusters: 7, registries: 3 });
const graphBodies = () => fake.requests.filter((r) => r.route === 'resourceGraph.resources').map((r) => JSON.parse(r.body ?? '{}'));

beforeEach(() => {
  fake.reset(fleet.world);
  fake.pageSize = 3;
});
afterEach(() => {
  fake.pageSize = 100;
});

test('pages by $skipToken when the query projects id', async () => {
  const rows = await new ResourceGraph(clients).rows(clustersQuery());
  expect(rows.map((r) => r['id'])).toEqual([...fleet.clusterIds].sort());
  const bodies = graphBodies();
  expect(bodies).toHaveLength(3);
  expect(bodies[0].options).toEqual({ resultFormat: 'objectArray', $top: 1000 });
  expect(bodies[1].options.$skipToken).toEqual(expect.any(String));
});

test('a result truncated without skipToken (no id projected) throws ResultTruncated; rowsFor splits the list until each part fits', async () => {
  const byName = (names: string[]) => `resources\n| where type =~ 'microsoft.containerservice/managedclusters'\n| where name in~ (${names.map((n) => `'${n}'`).join(', ')})\n| project name`;
  const graph = new ResourceGraph(clients);
  await expect(graph.rows(byName(fleet.clusterNames))).rejects.toBeInstanceOf(ResultTruncated);
  const rows = await graph.rowsFor(fleet.clusterNames, byName);
  expect(rows.map((r) => r['name']).sort()).toEqual([...fleet.clusterNames].sort());
  // 7 names → 4 + 3 → 2 + 2 (+ 3 fits)
  expect(graphBodies().filter((b) => b.query.includes('| project name')).length).toBeGreaterThan(2);
});

test('management-group role assignments come only when the query runs at the management group', async () => {
  const graph = new ResourceGraph(clients);
  const principal = fleet.world.clusters[MANAGEMENT_GROUP_CLUSTER]?.properties.identityProfile.kubeletidentity.objectId as string;
  const scopes = async (where: Parameters<ResourceGraph['rows']>[1]) => (await graph.rows(roleAssignmentsQuery([principal]), where)).map((r) => (r['properties'] as { scope: string }).scope);
  expect(await scopes({ subscriptions: [IDS.subscription], authorizationScopeFilter: 'AtScopeAboveAndBelow' })).not.toContain(IDS.managementGroup);
  expect(await scopes({ managementGroups: ['mg1'], authorizationScopeFilter: 'AtScopeAboveAndBelow' })).toContain(IDS.managementGroup);
});

test('the fleet reader asks for role assignments of every kubelet principal in one query at the registries’ management group, and computes what reaches each registry', async () => {
  const config = { fleet: {}, clusterTags: [], registries: [] } as unknown as Config;
  const reader = new FleetReader(clients, config, new RbacReader(clients));
  const clusters = await reader.discover();
  if (!clusters.ok) throw new Error(clusters.error.message);
  const principals = clusters.value.map((c) => c.identityProfile?.['kubeletidentity']?.objectId ?? '');
  const registries = (await reader.registries([{ kind: 'name', input: 'myacr', name: 'myacr' }]));
  expect(registries.map((r) => r.id)).toEqual([IDS.registryId]);
  const rows = await reader.assignments(registries, principals);
  expect(reader.source).toBe('resource-graph');
  const reaching = rows.get(IDS.registryId.toLowerCase());
  expect(reaching?.ok && reaching.value.map((a) => a.scope).sort()).toEqual(
    fleet.world.roleAssignments
      .map((a) => a.properties)
      .filter((p) => principals.includes(p.principalId) && (p.scope === IDS.managementGroup || IDS.registryId.toLowerCase().startsWith(p.scope.toLowerCase())))
      .map((p) => p.scope)
      .sort(),
  );
  const query = graphBodies().find((b) => b.query.startsWith('authorizationresources'));
  expect(query).toEqual({ managementGroups: ['mg1'], query: roleAssignmentsQuery(principals), options: { resultFormat: 'objectArray', $top: 1000, authorizationScopeFilter: 'AtScopeAboveAndBelow' } });
});

test.each([
  ['the registry itself', IDS.registryId, [], true],
  ['its resource group', `/subscriptions/${IDS.subscription}/resourceGroups/${IDS.registryResourceGroup}`, [], true],
  ['its subscription', `/subscriptions/${IDS.subscription}`, [], true],
  ['the tenant root', '/', [], true],
  ['a management group above its subscription', IDS.managementGroup, ['mg1'], true],
  ['a management group elsewhere', '/providers/Microsoft.Management/managementGroups/other', ['mg1'], false],
  ['a sibling resource group', `/subscriptions/${IDS.subscription}/resourceGroups/rg-acr2`, [], false],
  ['another registry', `${IDS.registryId}2`, [], false],
])('scopeReaches: %s', (_, scope, chain, reaches) => {
  expect(scopeReaches(scope, IDS.registryId, chain)).toBe(reaches);
});
