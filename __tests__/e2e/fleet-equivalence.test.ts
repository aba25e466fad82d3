// A fleet run gives the same verdict per pair as checking each pair alone: the engine in process,
// against the fake Azure, on a generated fleet with every kind of grant (direct, resource group, custom
// role, group, management group, none), plus a deny assignment over a direct grant and a direct grant so
// new it may not have propagated beside a settled group grant. Over Resource Graph and over its ARM fallback.
import { createCredential } from '../../src/azure/credential.js';
import { INPUT_NAMES, parseConfig, type RawInputs } from '../../src/config.js';
import { runPreflight } from '../../src/engine.js';
import type { Finding } from '../../src/model.js';
import { startFakeAzure, type FakeAzure } from '../fake-azure/server.js';
import { denyAssignment, IDS, ROLE_IDS, roleAssignment, SECRETS } from '../fake-azure/fixtures.js';
import { fleetWorld, grantOf } from '../fake-azure/fleet.js';

const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null') as { cert: string; key: string } | null;
if (!certs || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');

const env = { AZURE_AUTHORITY_HOST: '', AZURE_CLIENT_ID: IDS.clientId, AZURE_TENANT_ID: IDS.tenant, AZURE_CLIENT_SECRET: SECRETS.clientSecret };
let fake: FakeAzure;
const saved = { ...process.env };
beforeAll(async () => {
  fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
  // EnvironmentCredential reads the process's environment
  Object.assign(process.env, env, { AZURE_AUTHORITY_HOST: fake.url });
});
afterAll(async () => {
  for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
  Object.assign(process.env, saved);
  await fake?.stop();
});

const fleet = fleetWorld({ clusters: 8, registries: 3 });
const kubelet = (i: number) => fleet.world.clusters[i]?.properties.identityProfile.kubeletidentity.objectId as string;
// cluster 6 is denied pull on myacr despite its direct AcrPull
const denied = 6;
// cluster 5's AcrPull on otheracr is new; it is also in otheracr's group, whose AcrPull is settled
const fresh = 5;
if (grantOf(denied, 0) !== 'direct' || grantOf(fresh, 1) !== 'direct') throw new Error('the generated fleet changed: pick other clusters');
fleet.world.denyAssignments.push(
  denyAssignment({ scope: fleet.registryIds[0] ?? '', principals: [{ id: kubelet(denied), type: 'ServicePrincipal' }], actions: ['Microsoft.ContainerRegistry/registries/pull/read'] }),
);
fleet.world.roleAssignments = fleet.world.roleAssignments.filter((a) => !(a.properties.principalId === kubelet(fresh) && a.properties.scope === fleet.registryIds[1]));
fleet.world.roleAssignments.push(roleAssignment({ scope: fleet.registryIds[1] ?? '', roleDefinitionGuid: ROLE_IDS.AcrPull, principalId: kubelet(fresh), createdOn: new Date().toISOString() }));
const otherGroup = Object.keys(fleet.world.groups)[1] ?? '';
fleet.world.groups[otherGroup]?.push(kubelet(fresh));

async function check(cluster: string, registry: string): Promise<Finding[]> {
  const raw = Object.fromEntries(Object.keys(INPUT_NAMES).map((k) => [k, ''])) as unknown as RawInputs;
  Object.assign(raw, { cluster, registry, subscription: IDS.subscription, auth: 'environment', armEndpoint: fake.url, graphEndpoint: fake.url, dnsServers: '127.0.0.1:9', connectTimeout: '1' });
  const e = { ...env, AZURE_AUTHORITY_HOST: fake.url };
  const config = parseConfig(raw, { env: e });
  return (await runPreflight(config, { credential: createCredential(config, e), version: 'test' })).checks;
}

/** status per "check|cluster|registry" of the pair checks */
const pairStatuses = (checks: Finding[]) =>
  Object.fromEntries(checks.filter((c) => c.cluster && c.registry && c.id !== 'registry').map((c) => [`${c.id}|${c.cluster}|${c.registry}`, c.status]));

describe.each([
  ['Resource Graph', false],
  ['its ARM fallback', true],
])('fleet vs each pair alone, over %s', (_, refused) => {
  test('the same verdict per pair', async () => {
    fake.reset(fleet.world);
    if (refused) fake.addFault({ method: 'POST', path: '/providers/Microsoft.ResourceGraph/resources', status: 403 });
    const together = pairStatuses(await check(fleet.clusterIds.join('\n'), fleet.registryNames.join('\n')));
    let alone: Record<string, string> = {};
    for (const c of fleet.clusterIds) for (const r of fleet.registryNames) alone = { ...alone, ...pairStatuses(await check(c, r)) };
    expect(together).toEqual(alone);
    // and the verdicts are the ones the fleet was made with, deny and propagation included
    const pull = Object.fromEntries(Object.entries(together).filter(([k]) => k.startsWith('pull-permission|')).map(([k, v]) => [k.slice('pull-permission|'.length), v]));
    expect(pull).toEqual({ ...fleet.expected, [`${fleet.clusterNames[denied]}|${fleet.registryNames[0]}`]: 'fail' });
  });
});
