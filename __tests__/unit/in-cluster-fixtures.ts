// Facts the in-cluster judges' tests start from: a cluster with a Linux, an arm64 and a Windows pool,
// and an in-cluster run as the Run Command script reports it (hosts of pull secrets only, never a value).
import type { ClusterFacts, Fact, Finding, InClusterRun, PoolProbe, ReadFailure, StuckPod } from '../../src/model.js';

export const SUB = '11111111-2222-3333-4444-555555555555';
export const CLUSTER_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1`;

export function clusterFacts(over: Partial<ClusterFacts> = {}): ClusterFacts {
  return {
    id: CLUSTER_ID,
    name: 'aks1',
    subscriptionId: SUB,
    resourceGroup: 'rg',
    location: 'westeurope',
    kubelet: { source: 'managedIdentity', objectId: 'kubelet-oid', objectIdFrom: 'cluster' },
    agentPools: [
      { name: 'np1', osType: 'Linux', vmSize: 'Standard_D4s_v5' },
      { name: 'arm1', osType: 'Linux', vmSize: 'Standard_D4ps_v5' },
      { name: 'win1', osType: 'Windows', osSku: 'Windows2022', vmSize: 'Standard_D4s_v5' },
    ],
    ...over,
  };
}

export function probe(over: Partial<PoolProbe> = {}): PoolProbe {
  return { pool: 'np1', host: 'myacr.azurecr.io', image: 'myacr.azurecr.io/app:1', outcome: 'pulled', pullMs: 2300, os: 'linux', arch: 'amd64', deleted: true, ...over };
}

export function stuck(over: Partial<StuckPod> = {}): StuckPod {
  return {
    namespace: 'default',
    name: 'web-5d8f-abcde',
    owner: 'ReplicaSet/web-5d8f',
    container: 'web',
    image: 'myacr.azurecr.io/app:1',
    reason: 'ImagePullBackOff',
    pool: 'np1',
    messages: [
      'Pulling image "myacr.azurecr.io/app:1"',
      'Failed to pull image "myacr.azurecr.io/app:1": failed to pull and unpack image "myacr.azurecr.io/app:1": failed to resolve reference "myacr.azurecr.io/app:1": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized',
      'Back-off pulling image "myacr.azurecr.io/app:1"',
    ],
    ...over,
  };
}

export function inClusterRun(over: Partial<InClusterRun> = {}): InClusterRun {
  return {
    commandId: 'cmd-1',
    commandSeconds: 41,
    calls: 6,
    wallMs: 47_000,
    podsStarted: 4,
    truncated: false,
    exitCode: 0,
    probes: [probe(), probe({ pool: 'arm1', arch: 'arm64', pullMs: 3100 }), probe({ pool: 'win1', os: 'windows', image: 'myacr.azurecr.io/app-win:1', pullMs: 41_000 })],
    stuckPods: [],
    pullSecrets: [],
    serviceAccounts: [],
    leftoversDeleted: 0,
    ...over,
  };
}

export const ran = (over: Partial<InClusterRun> = {}): Fact<InClusterRun> => ({ ok: true, value: inClusterRun(over) });
export const runFailed = (code: string, more: Partial<ReadFailure> = {}): Fact<InClusterRun> => ({
  ok: false,
  error: { what: 'running the in-cluster probes on aks1', status: 400, code, message: `${code}: as Azure said it`, ...more },
});

/** pull-permission's fail, as the judge writes it, to tie symptoms to. */
export const noPullRole: Finding = {
  id: 'pull-permission',
  status: 'fail',
  title: 'Kubelet identity of aks1 cannot pull from myacr',
  detail: 'No role assignment at or above myacr grants Microsoft.ContainerRegistry/registries/pull/read to the kubelet identity of aks1.',
  fix: 'az role assignment create --assignee-object-id kubelet-oid --assignee-principal-type ServicePrincipal --role AcrPull --scope /subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myacr',
  cluster: 'aks1',
  registry: 'myacr',
};
