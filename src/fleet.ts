// The fleet phase, before the engine plans its subjects: with `cluster: *` the clusters are discovered
// (Resource Graph, else ARM listings, narrowed by cluster-tags); with several clusters their bodies,
// the registries and the role assignments are read in bulk and put into the facts memo. A pair whose
// grant the bulk rows show directly is judged from them; any other pair keeps the precise per-pair read.
import type { ManagedCluster } from '@azure/arm-containerservice';
import { fleetWhere } from './azure/fleet.js';
import { matches } from './azure/registry.js';
import { parseResourceId } from './azure/resource-id.js';
import { describeFailure } from './checks/describe.js';
import { judgePullPermission } from './checks/pull-permission.js';
import { clusterKey, type Facts } from './facts.js';
import type { ClusterFacts, ClusterRef, Config, Finding, RbacFacts, RegistryFacts, ReportFleet } from './model.js';
import { isFleet } from './report/matrix.js';

export interface FleetPhase {
  /** findings about the fleet itself (`cluster: *` found nothing, or could not look) */
  findings: Finding[];
  /** how the facts were read; undefined for a single cluster */
  report?: ReportFleet;
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function refOf(body: ManagedCluster): ClusterRef {
  const id = body.id ?? '';
  const { subscriptionId, resourceGroup, name } = parseResourceId(id);
  return { kind: 'id', input: id, id, subscriptionId: subscriptionId.toLowerCase(), resourceGroup, name };
}

function discoveryFinding(config: Config, failure?: Parameters<typeof describeFailure>[0]): Finding {
  const where = fleetWhere(config);
  const tags = config.clusterTags.map((t) => (t.value === undefined ? t.key : `${t.key}=${t.value}`));
  if (failure) return { id: 'cluster', cluster: '*', status: 'unknown', title: `The AKS clusters in ${where} could not be listed`, detail: describeFailure(failure) };
  return {
    id: 'cluster',
    cluster: '*',
    status: 'fail',
    title: `No AKS cluster found in ${where}`,
    detail: `cluster: * found no AKS cluster in ${where}${tags.length ? ` carrying the tags ${tags.join(', ')}` : ''} that the signed-in identity can read.`,
  };
}

/** Is the pair decided by these facts alone? Only a `pass` is: more assignments (through groups) can only add grants. */
function decidedBy(facts: Facts, cluster: ClusterFacts, registry: RegistryFacts): (rbac: RbacFacts) => boolean {
  return (rbac) =>
    judgePullPermission({ cluster, registry: { ...registry, anonymousPullEnabled: false }, rbac, images: facts.imagesOn(registry), now: facts.now() }).status === 'pass';
}

/** Discovers the fleet and prefills the facts of its pairs. Never throws: a read that fails leaves the per-pair reads to say why. */
export async function readFleet(facts: Facts): Promise<FleetPhase> {
  const config = facts.config;
  if (!isFleet(config)) return { findings: [] };
  // nothing can sign in (a fork's pull request): the clusters are not listed, and say so, as every Azure check does
  const off = config.azureUnavailable;
  if (off) {
    const where = fleetWhere(config);
    return { findings: config.fleet ? [{ id: 'cluster', cluster: '*', status: 'skip', title: `The AKS clusters in ${where} not listed`, detail: off.reason, fix: off.fix }] : [] };
  }
  const signIn = await facts.signIn();
  if (signIn) return { findings: config.fleet ? [discoveryFinding(config, signIn)] : [] };
  const reader = facts.fleet();
  const registries = reader.registries(config.registries);
  const findings: Finding[] = [];
  let bodies: ManagedCluster[];
  if (config.fleet) {
    const found = await reader.discover();
    bodies = found.ok ? found.value : [];
    if (!found.ok || bodies.length === 0) findings.push(discoveryFinding(config, found.ok ? undefined : found.error));
    facts.useClusters(bodies.map(refOf));
  } else {
    bodies = await reader.clustersById(config.clusters.map(clusterKey));
  }
  for (const body of bodies) facts.prefill('clusterBody', body.id ?? '', { ok: true, value: body });
  const found = await registries;
  for (const ref of config.registries) {
    const hits = found.filter((r) => (ref.kind === 'id' ? sameId(r.id, ref.id) : matches(ref, r)));
    // exactly one: the registry; none or several: resolved by ARM as for one cluster (a precise "not found", or the default subscription first)
    if (hits.length === 1) facts.prefill('registry', ref.input, { ref, registry: { ok: true, value: hits[0]! }, searched: [hits[0]!.subscriptionId], failures: [], seen: [hits[0]!.name] });
  }

  const [clusters, resolved] = await Promise.all([facts.resolvedClusters(), facts.resolvedRegistries()]);
  const principals = [...new Set(clusters.flatMap((c) => (c.kubelet.objectId ? [c.kubelet.objectId.toLowerCase()] : [])))];
  const rows = await reader.assignments(resolved, principals);
  for (const registry of resolved) {
    const atRegistry = rows.get(registry.id.toLowerCase());
    if (!atRegistry?.ok) continue;
    for (const cluster of clusters) {
      const principalId = cluster.kubelet.objectId;
      const direct = principalId ? atRegistry.value.filter((a) => sameId(a.principalId, principalId)) : [];
      if (principalId && direct.length > 0) void facts.rbacFromRows(principalId, registry, direct, decidedBy(facts, cluster, registry));
    }
  }
  return { findings, report: { source: reader.source, note: reader.note, ...(config.fleet && { discovered: bodies.length }) } };
}
