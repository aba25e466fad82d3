// Reads an AKS cluster and the identity its kubelet pulls with.
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { AgentPool, ClusterFacts, ClusterRef, Fact, HttpProxyFacts, KubeletIdentity } from '../model.js';
import { expectResource, readFact, type ArmClients } from './arm.js';
import { parseResourceId } from './resource-id.js';

export const CLUSTER_READ_PERMISSION = 'Microsoft.ContainerService/managedClusters/read (e.g. the Reader role on the cluster)';

export function readCluster(clients: ArmClients, ref: ClusterRef): Promise<Fact<ManagedCluster>> {
  const what = `reading cluster ${ref.name} in resource group ${ref.resourceGroup}`;
  return readFact(what, CLUSTER_READ_PERMISSION, async () =>
    expectResource(await clients.containerService(ref.subscriptionId).managedClusters.get(ref.resourceGroup, ref.name, { abortSignal: clients.signal }), 'a managed cluster'),
  );
}

/** The service-principal client ID of a cluster that pulls with a service principal, else undefined. */
export function servicePrincipalClientId(mc: ManagedCluster): string | undefined {
  const clientId = mc.servicePrincipalProfile?.clientId;
  return clientId && clientId.toLowerCase() !== 'msi' ? clientId : undefined;
}

function kubeletIdentity(mc: ManagedCluster): KubeletIdentity {
  const mi = mc.identityProfile?.['kubeletidentity'];
  if (mi?.objectId || mi?.clientId) {
    const k: KubeletIdentity = { source: 'managedIdentity' };
    if (mi.objectId) {
      k.objectId = mi.objectId;
      k.objectIdFrom = 'cluster';
    }
    if (mi.clientId) k.clientId = mi.clientId;
    if (mi.resourceId) k.resourceId = mi.resourceId;
    return k;
  }
  const spClientId = servicePrincipalClientId(mc);
  return spClientId ? { source: 'servicePrincipal', clientId: spClientId } : { source: 'managedIdentity' };
}

/** A proxy URL without the user name and password it may carry (`http://user:pass@proxy:3128` → `http://proxy:3128`). */
export function withoutCredentials(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#]*)(.*)$/is.exec(url.trim());
  if (!m) return url;
  const [, scheme = '', authority = '', rest = ''] = m;
  return `${scheme}${authority.slice(authority.lastIndexOf('@') + 1)}${rest}`;
}

/** The proxy the nodes use; undefined when none is set or it is disabled. The trusted CA is not kept. */
function httpProxy(mc: ManagedCluster): HttpProxyFacts | undefined {
  const p = mc.httpProxyConfig;
  if (!p || p.enabled === false || (!p.httpProxy && !p.httpsProxy)) return undefined;
  return {
    ...(p.httpProxy && { httpProxy: withoutCredentials(p.httpProxy) }),
    ...(p.httpsProxy && { httpsProxy: withoutCredentials(p.httpsProxy) }),
    noProxy: p.noProxy ?? [],
  };
}

/** Where pods may run besides the agent pools: nodes that node auto-provisioning creates, the ACI virtual node. */
function otherNodes(mc: ManagedCluster): string[] {
  const aci = Object.entries(mc.addonProfiles ?? {}).some(([name, addon]) => name.toLowerCase() === 'aciconnectorlinux' && addon.enabled);
  return [
    ...(mc.nodeProvisioningProfile?.mode?.toLowerCase() === 'auto' ? ['node auto-provisioning (its Karpenter NodePools live in the cluster)'] : []),
    ...(aci ? ['the virtual node (ACI connector)'] : []),
  ];
}

/** The facts the judges use, from the ARM body. The kubelet's object ID may still be missing. */
export function clusterFacts(mc: ManagedCluster): ClusterFacts {
  const id = mc.id ?? '';
  const parsed = parseResourceId(id);
  const pools: AgentPool[] = (mc.agentPoolProfiles ?? []).map((p) => ({
    name: p.name,
    nodeTaints: p.nodeTaints,
    nodeLabels: p.nodeLabels,
    scaleSetPriority: p.scaleSetPriority,
    osType: p.osType,
    osSku: p.osSKU,
    vmSize: p.vmSize,
    mode: p.mode,
    count: p.count,
    maxCount: p.maxCount,
    vnetSubnetID: p.vnetSubnetID,
  }));
  const proxy = httpProxy(mc);
  const others = otherNodes(mc);
  return {
    id,
    name: mc.name ?? parsed.name,
    subscriptionId: parsed.subscriptionId,
    resourceGroup: parsed.resourceGroup,
    location: mc.location,
    provisioningState: mc.provisioningState,
    powerState: mc.powerState?.code,
    nodeResourceGroup: mc.nodeResourceGroup,
    controlPlanePrincipalId: mc.identity?.principalId,
    controlPlaneIdentityType: mc.identity?.type,
    kubelet: kubeletIdentity(mc),
    agentPools: pools,
    ...(others.length && { otherNodes: others }),
    outboundType: mc.networkProfile?.outboundType,
    outboundResourceIds: [
      ...(mc.networkProfile?.loadBalancerProfile?.effectiveOutboundIPs ?? []),
      ...(mc.networkProfile?.natGatewayProfile?.effectiveOutboundIPs ?? []),
    ].flatMap((r) => (r.id ? [r.id] : [])),
    ...(proxy && { httpProxy: proxy }),
    ...(mc.aadProfile?.managed && { entraIntegrated: true }),
    ...(mc.apiServerAccessProfile?.disableRunCommand && { runCommandDisabled: true }),
  };
}
