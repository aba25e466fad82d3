// Table tests of the `cluster` and `registry` judges.
import { judgeCluster } from '../../src/checks/cluster.js';
import { judgeRegistry } from '../../src/checks/registry.js';
import type { RegistryResolution } from '../../src/azure/registry.js';
import type { ClusterFacts, ClusterRef, Fact, KubeletIdentity, RegistryRef, Status } from '../../src/model.js';
import { registryFacts } from './facts.js';

const ref: ClusterRef = { kind: 'name', input: 'aks1', name: 'aks1', resourceGroup: 'rg', subscriptionId: 's1' };
const cluster = (over: Partial<ClusterFacts> = {}, kubelet: Partial<KubeletIdentity> = {}): Fact<ClusterFacts> => ({
  ok: true,
  value: {
    id: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1',
    name: 'aks1',
    subscriptionId: 's1',
    resourceGroup: 'rg',
    location: 'westeurope',
    provisioningState: 'Succeeded',
    powerState: 'Running',
    kubelet: { source: 'managedIdentity', objectId: 'obj-1', objectIdFrom: 'cluster', clientId: 'cid-1', resourceId: '/…/aks1-agentpool', ...kubelet },
    agentPools: [],
    ...over,
  },
});

describe('judgeCluster', () => {
  test.each<[string, Fact<ClusterFacts | undefined>, Status, RegExp, RegExp?]>([
    ['found, managed identity', cluster(), 'pass', /Cluster aks1 found/, /managed identity \/…\/aks1-agentpool \(object ID obj-1, from cluster\)/],
    ['found, service principal resolved through Graph', cluster({}, { source: 'servicePrincipal', objectIdFrom: 'graph', resourceId: undefined }), 'pass', /found/, /service principal cid-1 \(object ID obj-1, from graph\)/],
    ['still provisioning', cluster({ provisioningState: 'Updating' }), 'warn', /found/, /Provisioning state: Updating/],
    ['stopped', cluster({ powerState: 'Stopped' }), 'warn', /found/, /The cluster is stopped/],
    ['no kubelet identity at all', cluster({}, { objectId: undefined, clientId: undefined, resourceId: undefined }), 'unknown', /Kubelet identity of aks1 unknown/, /identityProfile\.kubeletidentity/],
    [
      'service principal whose object ID Graph would not give',
      cluster({}, { source: 'servicePrincipal', objectId: undefined, objectIdError: { what: 'reading service principal cid-1 from Microsoft Graph', status: 403, message: 'Insufficient privileges' } }),
      'unknown',
      /unknown/,
      /service principal cid-1.*403.*Insufficient privileges.*kubelet-object-id/,
    ],
    ['not found', { ok: true, value: undefined }, 'fail', /Cluster aks1 not found/, /No AKS cluster aks1 in resource group rg of subscription s1/],
    [
      'could not be read',
      { ok: false, error: { what: 'reading cluster aks1 in resource group rg', status: 403, code: 'AuthorizationFailed', message: 'no', missingPermission: 'Microsoft.ContainerService/managedClusters/read', correlationId: 'c-1' } },
      'unknown',
      /could not be read/,
      /403 AuthorizationFailed.*needs Microsoft\.ContainerService\/managedClusters\/read.*Correlation id: c-1/,
    ],
  ])('%s', (_name, fact, status, title, detail) => {
    const f = judgeCluster(ref, fact);
    expect(f).toMatchObject({ id: 'cluster', cluster: 'aks1', status });
    expect(f.title).toMatch(title);
    if (detail) expect(f.detail).toMatch(detail);
    if (status === 'fail') expect(f.fix).toContain('az aks list --subscription s1');
  });
});

const byName: RegistryRef = { kind: 'name', input: 'myacr', name: 'myacr' };
const resolution = (over: Partial<RegistryResolution>): RegistryResolution => ({ ref: byName, registry: { ok: true, value: registryFacts() }, searched: ['s1'], failures: [], seen: [], ...over });

describe('judgeRegistry', () => {
  test.each<[string, RegistryResolution, Status, RegExp, RegExp]>([
    ['found', resolution({}), 'pass', /Registry myacr found/, /myacr\.azurecr\.io \(unknown SKU, westeurope, role assignment mode LegacyRegistryPermissions\)\.$/],
    [
      'found although a subscription could not be listed',
      resolution({ failures: [{ what: 'listing registries in subscription s2', status: 403, message: 'denied' }] }),
      'pass',
      /found/,
      /some subscriptions could not be listed: listing registries in subscription s2 failed \(403\): denied/,
    ],
    ['not found, with a near name', resolution({ registry: { ok: true, value: undefined }, seen: ['myacr1', 'other'] }), 'fail', /Registry myacr not found/, /Closest registries the signed-in identity can see: myacr1.*another tenant/],
    [
      'not found by resource ID',
      resolution({ ref: { kind: 'id', input: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myacr', id: '…', subscriptionId: 's1', resourceGroup: 'rg', name: 'myacr' }, registry: { ok: true, value: undefined } }),
      'fail',
      /not found/,
      /in resource group rg of subscription s1/,
    ],
    ['could not be read', resolution({ registry: { ok: false, error: { what: 'listing registries in subscription s1', status: 403, message: 'denied' } } }), 'unknown', /could not be resolved/, /403.*denied/],
  ])('%s', (_name, res, status, title, detail) => {
    const f = judgeRegistry(res);
    expect(f).toMatchObject({ id: 'registry', status });
    expect(f.title).toMatch(title);
    expect(f.detail).toMatch(detail);
    expect(f.registry).toBe(status === 'pass' ? 'myacr' : res.ref.input);
  });
});
