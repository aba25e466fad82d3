// The `cluster` check: the cluster exists and the principal its kubelet pulls with is known.
import { describeFailure } from './describe.js';
import type { ClusterFacts, ClusterRef, Fact, Finding } from '../model.js';
import { defineCheck } from './check.js';

export function judgeCluster(ref: ClusterRef, cluster: Fact<ClusterFacts | undefined>): Finding {
  const base = { id: 'cluster' as const, cluster: ref.name };
  if (!cluster.ok) {
    return { ...base, status: 'unknown', title: `Cluster ${ref.name} could not be read`, detail: describeFailure(cluster.error), evidence: { error: cluster.error } };
  }
  const c = cluster.value;
  if (!c) {
    return {
      ...base,
      status: 'fail',
      title: `Cluster ${ref.name} not found`,
      detail: `No AKS cluster ${ref.name} in resource group ${ref.resourceGroup} of subscription ${ref.subscriptionId}.`,
      fix: `az aks list --subscription ${ref.subscriptionId} --query "[].{name:name, resourceGroup:resourceGroup}" -o table`,
    };
  }
  const k = c.kubelet;
  const evidence = { id: c.id, location: c.location, kubeletIdentity: k, controlPlanePrincipalId: c.controlPlanePrincipalId, agentPools: c.agentPools };
  const named = { ...base, cluster: c.name };
  if (!k.objectId) {
    const why = k.objectIdError ? ` ${describeFailure(k.objectIdError)}` : '';
    const what = k.source === 'servicePrincipal'
      ? `The kubelet pulls with service principal ${k.clientId}, whose object ID could not be determined.${why} Give it in the kubelet-object-id input (az ad sp show --id ${k.clientId} --query id -o tsv).`
      : 'The cluster reports no kubelet identity (properties.identityProfile.kubeletidentity).';
    return { ...named, status: 'unknown', title: `Kubelet identity of ${c.name} unknown`, detail: what, evidence };
  }
  const from = k.source === 'servicePrincipal' ? `service principal ${k.clientId}` : `managed identity ${k.resourceId ?? k.clientId ?? ''}`.trim();
  const state = c.provisioningState && c.provisioningState !== 'Succeeded' ? ` Provisioning state: ${c.provisioningState}.` : '';
  const stopped = c.powerState === 'Stopped' ? ' The cluster is stopped.' : '';
  return {
    ...named,
    status: state || stopped ? 'warn' : 'pass',
    title: `Cluster ${c.name} found`,
    detail: `The kubelet pulls as ${from} (object ID ${k.objectId}, from ${k.objectIdFrom ?? 'cluster'}).${state}${stopped}`,
    evidence,
  };
}

export const check = defineCheck({
  meta: { id: 'cluster', subject: 'cluster', what: 'Cluster' },
  gather: async (facts, ref) => ({ ref, cluster: await facts.cluster(ref) }),
  judge: ({ ref, cluster }) => judgeCluster(ref, cluster),
});
