// Where a workload can land: its pod spec's nodeSelector, required node affinity and tolerations against
// each node pool's labels and taints, matched as the Kubernetes scheduler matches them. Pure.
//
// A pool's node labels are its nodeLabels plus the labels AKS puts on every node (learn.microsoft.com,
// "Reserved labels for AKS"; kubelet's well-known labels): kubernetes.io/os, kubernetes.io/arch,
// node.kubernetes.io/instance-type, kubernetes.azure.com/agentpool, agentpool, kubernetes.azure.com/mode,
// kubernetes.azure.com/role, kubernetes.azure.com/cluster, topology.kubernetes.io/region, … A label ARM
// cannot tell the value of (the hostname, the zone, the node image version) makes the answer undetermined,
// never a "cannot land". A pool's taints are its nodeTaints plus the one AKS puts on Spot pools.
import type { AgentPool, ClusterFacts, NodeSelectorRequirement, PodPlacement, Toleration } from '../model.js';
import { isSpot, poolTaints, SPOT_LABEL, type Taint } from '../azure/node-taints.js';
import { poolPlatform } from './platform.js';

export type { Taint } from '../azure/node-taints.js';
export { parseTaint, poolTaints } from '../azure/node-taints.js';

/** A label every node of the pool may carry but whose value ARM does not tell. */
export interface UnknownLabel {
  /** true: every node has it; undefined: not known either */
  exists?: true;
  /** values it is known not to have */
  notOneOf?: string[];
}
export type LabelValue = string | UnknownLabel;

export interface PoolLanding {
  pool: string;
  /** lands: the scheduler may place the workload there; blocked: it never will; undetermined: ARM does not tell */
  outcome: 'lands' | 'blocked' | 'undetermined';
  /** why it is blocked (or, when undetermined, what is not known) */
  reasons: string[];
}

export type PoolCluster = Pick<ClusterFacts, 'location' | 'nodeResourceGroup'> & Partial<Pick<ClusterFacts, 'agentPools'>>;

/** Effects that keep a pod off a node it does not tolerate (PreferNoSchedule only discourages). */
const BLOCKING = new Set(['NoSchedule', 'NoExecute']);
/** Label namespaces Kubernetes and AKS reserve: a key there that is not modelled here may be on the node with any value. */
const RESERVED = /^(?:[^/]*\.)?(?:kubernetes\.io|k8s\.io|azure\.com)\//i;
/** The deprecated labels without a prefix that AKS still sets */
const AKS_UNPREFIXED = new Set(['storageprofile', 'storagetier', 'accelerator']);
/** OS SKUs whose kubernetes.azure.com/os-sku label value is the SKU itself */
const OS_SKU_LABELS = new Set(['Ubuntu', 'AzureLinux']);
const EVERY_NODE: UnknownLabel = { exists: true };

export const describeTaint = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

/** Kubernetes' Toleration.ToleratesTaint: an empty effect matches all effects, an empty key with Exists every taint, Equal is the default. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === taint.value;
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** The labels every node of the pool carries: its nodeLabels, then the ones AKS and the kubelet set. */
export function poolLabels(pool: AgentPool, cluster: PoolCluster): Map<string, LabelValue> {
  const platform = poolPlatform(pool);
  const windows = platform.os === 'windows';
  const region = cluster.location ? cluster.location.toLowerCase().replace(/\s+/g, '') : EVERY_NODE;
  const both = (keys: string[], value: LabelValue) => keys.map((k) => [k, value] as const);
  const osSku: LabelValue = pool.osSku && OS_SKU_LABELS.has(pool.osSku) ? pool.osSku : windows ? {} : EVERY_NODE;
  return new Map<string, LabelValue>([
    ...Object.entries(pool.nodeLabels ?? {}),
    [SPOT_LABEL, isSpot(pool) ? 'spot' : { notOneOf: ['spot'] }],
    ...both(['kubernetes.io/os', 'beta.kubernetes.io/os'], platform.os),
    ...both(['kubernetes.io/arch', 'beta.kubernetes.io/arch'], platform.architecture ?? EVERY_NODE),
    ...both(['node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type'], pool.vmSize ?? EVERY_NODE),
    ...both(['kubernetes.azure.com/agentpool', 'agentpool'], pool.name),
    ['kubernetes.azure.com/mode', pool.mode ? pool.mode.toLowerCase() : EVERY_NODE],
    ['kubernetes.azure.com/role', 'agent'],
    ['kubernetes.azure.com/cluster', cluster.nodeResourceGroup ?? EVERY_NODE],
    ['kubernetes.azure.com/os-sku', osSku],
    ...both(['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'], region),
    ...both(['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone', 'kubernetes.io/hostname'], EVERY_NODE),
    ...(windows ? [['node.kubernetes.io/windows-build', platform.osVersion ?? EVERY_NODE] as const] : []),
  ]);
}

/** true, false, or undefined when ARM does not tell; with why. */
interface Match {
  result: boolean | undefined;
  why: string;
}

export function describeRequirement(r: NodeSelectorRequirement): string {
  return r.operator === 'Exists' || r.operator === 'DoesNotExist' ? `${r.key} ${r.operator}` : `${r.key} ${r.operator} [${r.values.join(', ')}]`;
}

const INTEGER = /^[+-]?\d+$/;

/** A NodeSelectorRequirement against the labels, as Kubernetes' nodeaffinity matching does it. */
export function matchRequirement(r: NodeSelectorRequirement, labels: Map<string, LabelValue>, what = describeRequirement(r)): Match {
  const value = labels.get(r.key) ?? (RESERVED.test(r.key) || AKS_UNPREFIXED.has(r.key) ? {} : undefined);
  if (typeof value === 'string') {
    const result = compare(r, value);
    return { result, why: `${what}: the pool's nodes have ${r.key}=${value}` };
  }
  if (value === undefined) {
    const result = r.operator === 'NotIn' || r.operator === 'DoesNotExist';
    return { result, why: `${what}: the pool's nodes have no label ${r.key}` };
  }
  const unknown = { result: undefined, why: `${what}: ARM does not tell ${value.exists ? 'the value of' : 'whether the nodes carry'} ${r.key}` };
  const excluded = value.notOneOf ?? [];
  switch (r.operator) {
    case 'Exists':
      return value.exists ? { result: true, why: `${what}: every node has it` } : unknown;
    case 'DoesNotExist':
      return value.exists ? { result: false, why: `${what}: every node of the pool has ${r.key}` } : unknown;
    case 'In':
      return r.values.every((v) => excluded.includes(v)) ? { result: false, why: `${what}: the pool's nodes never have ${r.key}=${r.values.join(' or ')}` } : unknown;
    case 'NotIn':
      return r.values.every((v) => excluded.includes(v)) ? { result: true, why: `${what}: the pool's nodes never have ${r.key}=${r.values.join(' or ')}` } : unknown;
    case 'Gt':
    case 'Lt':
      return unknown;
    default:
      return { result: false, why: `${what}: ${r.operator} is not a node selector operator` };
  }
}

function compare(r: NodeSelectorRequirement, value: string): boolean {
  switch (r.operator) {
    case 'In':
      return r.values.includes(value);
    case 'NotIn':
      return !r.values.includes(value);
    case 'Exists':
      return true;
    case 'DoesNotExist':
      return false;
    case 'Gt':
    case 'Lt': {
      const [bound, ...more] = r.values;
      if (bound === undefined || more.length > 0 || !INTEGER.test(bound) || !INTEGER.test(value)) return false;
      return r.operator === 'Gt' ? BigInt(value) > BigInt(bound) : BigInt(value) < BigInt(bound);
    }
    default:
      return false;
  }
}

/** Every match true → true; any false → false; else undefined. */
function all(matches: Match[]): boolean | undefined {
  if (matches.some((m) => m.result === false)) return false;
  return matches.every((m) => m.result === true) ? true : undefined;
}

/** The nodeSelector and the required node affinity terms (ORed; each term's expressions ANDed). */
function selects(placement: PodPlacement, labels: Map<string, LabelValue>): Match[] {
  const selector = Object.entries(placement.nodeSelector).map(([key, v]) => matchRequirement({ key, operator: 'In', values: [v] }, labels, `nodeSelector ${key}: ${v}`));
  if (placement.requiredTerms.length === 0) return selector;
  const terms = placement.requiredTerms.map((term, i) => {
    const name = placement.requiredTerms.length > 1 ? `term ${i + 1} of the required node affinity` : 'required node affinity';
    // Kubernetes: an empty term matches no node. But a term of matchFields only (metadata.name) reads as
    // empty here, and which node names match is not known from ARM: never a "cannot land" on that.
    if (term.length === 0) return { result: undefined, why: `${name} has no matchExpressions: its matchFields (node names), if any, are not known from ARM` };
    const matches = term.map((r) => matchRequirement(r, labels));
    const result = all(matches);
    const telling = matches.filter((m) => m.result === result);
    return { result, why: `${name}: ${telling.map((m) => m.why).join('; ')}` };
  });
  const result = terms.some((t) => t.result === true) ? true : terms.every((t) => t.result === false) ? false : undefined;
  const affinity: Match = { result, why: terms.filter((t) => t.result === result).map((t) => t.why).join('; ') };
  return [...selector, affinity];
}

/** Whether the scheduler may place a pod with this placement on the pool's nodes. */
export function landingOn(placement: PodPlacement, pool: AgentPool, cluster: PoolCluster): PoolLanding {
  const labels = poolLabels(pool, cluster);
  // A key no pool of the cluster sets through ARM (nodeLabels) and AKS does not set either may still be on
  // the nodes (kubectl label, an operator): whether they carry it is not known, never a "cannot land".
  const armKeys = new Set((cluster.agentPools ?? [pool]).flatMap((p) => Object.keys(p.nodeLabels ?? {})));
  const keys = [...Object.keys(placement.nodeSelector), ...placement.requiredTerms.flat().map((r) => r.key)];
  for (const key of keys) if (!labels.has(key) && !armKeys.has(key)) labels.set(key, {});
  const { taints, unreadable } = poolTaints(pool);
  const matches: Match[] = [
    ...selects(placement, labels),
    ...taints
      .filter((t) => BLOCKING.has(t.effect))
      .map((t): Match => (placement.tolerations.some((tol) => tolerates(tol, t)) ? { result: true, why: '' } : { result: false, why: `taint ${describeTaint(t)} is not tolerated` })),
    ...unreadable.map((text): Match => ({ result: undefined, why: `taint "${text}" could not be read` })),
  ];
  const outcome = all(matches);
  const reasons = matches.filter((m) => m.result === outcome && m.result !== true).map((m) => m.why);
  return { pool: pool.name, outcome: outcome === true ? 'lands' : outcome === false ? 'blocked' : 'undetermined', reasons };
}

/** Per pool of the cluster: can the workload land there, and if not, why. */
export function whereItLands(placement: PodPlacement, cluster: Pick<ClusterFacts, 'location' | 'nodeResourceGroup' | 'agentPools'>): PoolLanding[] {
  return cluster.agentPools.map((pool) => landingOn(placement, pool, cluster));
}
