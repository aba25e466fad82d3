// The fleet's facts in bulk: the clusters (`cluster: *`, or several given), the registries, and the
// role assignments of every kubelet principal at or above every registry. Azure Resource Graph first;
// when it is not available (403, not registered, a 400 in a sovereign or test cloud) the same facts
// from ARM reads: cluster listings, and one `atScope()` listing of role assignments per registry.
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { ClusterTag, Config, Fact, ReadFailure, RegistryFacts, RegistryRef, RoleAssignment } from '../model.js';
import { collectAll, expectResource, readFact, toReadFailure, type ArmClients } from './arm.js';
import { CLUSTER_READ_PERMISSION } from './cluster.js';
import type { RbacReader } from './rbac.js';
import { listSubscriptionIds, registryFacts } from './registry.js';
import {
  chainsFromRows,
  clusterFromRow,
  clustersQuery,
  registriesQuery,
  registryFromRow,
  RESOURCE_GRAPH_READ_PERMISSION,
  ResourceGraph,
  roleAssignmentFromRow,
  roleAssignmentsQuery,
  subscriptionChainsQuery,
  type Row,
} from './resource-graph.js';

export type FleetSource = 'resource-graph' | 'arm';

const lower = (s: string) => s.toLowerCase();
const MANAGEMENT_GROUP = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)$/i;

/** Does the cluster carry every tag (names case-insensitive as in ARM, values exact; a name alone matches any value)? */
export function carriesTags(tags: Record<string, string> | undefined, wanted: ClusterTag[]): boolean {
  const have = new Map(Object.entries(tags ?? {}).map(([k, v]) => [lower(k), v]));
  return wanted.every((t) => have.has(lower(t.key)) && (t.value === undefined || have.get(lower(t.key)) === t.value));
}

/** Where `cluster: *` looked, for messages. */
export function fleetWhere(config: Pick<Config, 'fleet'>): string {
  const f = config.fleet ?? {};
  if (f.resourceGroup) return `resource group ${f.resourceGroup} of subscription ${f.subscriptionId}`;
  if (f.subscriptionId) return `subscription ${f.subscriptionId}`;
  return 'the subscriptions the signed-in identity can read';
}

/**
 * Does an assignment at `scope` reach a resource in this subscription? A management group only when it
 * is one of the subscription's ancestors (Resource Graph returns every management group's assignments).
 */
export function scopeReaches(scope: string, resourceId: string, chain: readonly string[]): boolean {
  const mg = MANAGEMENT_GROUP.exec(scope);
  if (mg) return chain.includes(lower(mg[1] ?? ''));
  const s = lower(scope).replace(/\/+$/, '');
  return s === '' || lower(resourceId) === s || lower(resourceId).startsWith(`${s}/`);
}

export class FleetReader {
  private readonly graph: ResourceGraph;
  /** why Resource Graph was not used, once it failed */
  private unavailable?: ReadFailure;

  constructor(
    private readonly clients: ArmClients,
    private readonly config: Config,
    private readonly rbac: RbacReader,
  ) {
    this.graph = new ResourceGraph(clients);
  }

  get source(): FleetSource {
    return this.unavailable ? 'arm' : 'resource-graph';
  }

  /** One sentence for the report: which path read the fleet's facts, and why ARM when it was ARM. */
  get note(): string {
    if (!this.unavailable) return 'The fleet was read with Azure Resource Graph (clusters, registries and role assignments in bulk).';
    const status = this.unavailable.status ? ` (${this.unavailable.status}${this.unavailable.code ? ` ${this.unavailable.code}` : ''})` : '';
    return `Azure Resource Graph was not available${status}: ${this.unavailable.message.replace(/\.+$/, '')}. The fleet was read with ARM reads instead, with the same results.`;
  }

  /** A Resource Graph read, or undefined once Resource Graph has failed (the caller reads ARM instead). */
  private async fromGraph<T>(what: string, read: (graph: ResourceGraph) => Promise<T>): Promise<T | undefined> {
    if (this.unavailable) return undefined;
    try {
      return await read(this.graph);
    } catch (err) {
      this.unavailable ??= toReadFailure(what, err, RESOURCE_GRAPH_READ_PERMISSION);
      return undefined;
    }
  }

  /** `cluster: *`: every cluster where the selection says, carrying the tags, by ID. */
  async discover(): Promise<Fact<ManagedCluster[]>> {
    const { subscriptionId, resourceGroup } = this.config.fleet ?? {};
    const where = fleetWhere(this.config);
    const fromGraph = await this.fromGraph(`querying the AKS clusters in ${where} with Resource Graph`, async (g) =>
      (await g.rows(clustersQuery(resourceGroup ? { resourceGroup } : {}), subscriptionId ? { subscriptions: [subscriptionId] } : {})).map(clusterFromRow),
    );
    const all = fromGraph ? ({ ok: true, value: fromGraph } as const) : await this.listClusters(subscriptionId, resourceGroup);
    if (!all.ok) return all;
    const chosen = all.value.filter((c) => carriesTags(c.tags, this.config.clusterTags));
    return { ok: true, value: chosen.sort((a, b) => lower(a.id ?? '').localeCompare(lower(b.id ?? ''))) };
  }

  private async listClusters(subscriptionId: string | undefined, resourceGroup: string | undefined): Promise<Fact<ManagedCluster[]>> {
    const list = (sub: string) =>
      readFact(`listing the AKS clusters in ${resourceGroup ? `resource group ${resourceGroup} of ` : ''}subscription ${sub}`, CLUSTER_READ_PERMISSION, async () => {
        const clusters = this.clients.containerService(sub).managedClusters;
        const opts = { abortSignal: this.clients.signal };
        return (await collectAll(resourceGroup ? clusters.listByResourceGroup(resourceGroup, opts) : clusters.list(opts))).map((c) => expectResource(c, 'a managed cluster'));
      });
    const subs: Fact<string[]> = subscriptionId ? { ok: true, value: [subscriptionId] } : await listSubscriptionIds(this.clients);
    if (!subs.ok) return subs;
    const lists = await Promise.all(subs.value.map(list));
    const failed = lists.find((l) => !l.ok);
    return failed ?? { ok: true, value: lists.flatMap((l) => (l.ok ? l.value : [])) };
  }

  /** Several clusters given by the user: their bodies in one query (none from ARM: each is then read alone, as for one cluster). */
  async clustersById(ids: string[]): Promise<ManagedCluster[]> {
    const subscriptions = [...new Set(ids.map((id) => lower(id.split('/')[2] ?? '')))];
    return (await this.fromGraph('querying the AKS clusters with Resource Graph', (g) => g.rowsFor(ids, (part) => clustersQuery({ ids: part }), { subscriptions }).then((rows) => rows.map(clusterFromRow)))) ?? [];
  }

  /** The registries the inputs name, as Resource Graph finds them across the readable subscriptions (none from ARM: resolved as today). */
  async registries(refs: RegistryRef[]): Promise<RegistryFacts[]> {
    const names = refs.flatMap((r) => (r.kind === 'id' ? [] : [r.name]));
    const ids = refs.flatMap((r) => (r.kind === 'id' ? [r.id] : []));
    const rows = await this.fromGraph('querying the registries with Resource Graph', (g) => g.rows(registriesQuery(names, ids)));
    return (rows ?? []).map((row: Row) => registryFacts(registryFromRow(row)));
  }

  /**
   * The role assignments at or above each registry, made directly to these principals (Resource Graph)
   * or to anyone (ARM's atScope() listing), keyed by lower-case registry ID.
   */
  async assignments(registries: RegistryFacts[], principalIds: string[]): Promise<Map<string, Fact<RoleAssignment[]>>> {
    const fromGraph = await this.fromGraph('querying role assignments with Resource Graph', async (g) => {
      const subscriptions = [...new Set(registries.map((r) => lower(r.subscriptionId)))];
      const chains = chainsFromRows(await g.rowsFor(subscriptions, subscriptionChainsQuery, { subscriptions }));
      // Management-group assignments come only when the query runs at the management groups: those right above the registries.
      const parents = [...new Set(subscriptions.flatMap((s) => chains.get(s)?.slice(0, 1) ?? []))];
      const scopes = parents.length ? { managementGroups: parents } : { subscriptions };
      const rows = await g.rowsFor(principalIds, roleAssignmentsQuery, { ...scopes, authorizationScopeFilter: 'AtScopeAboveAndBelow' });
      const all = rows.map(roleAssignmentFromRow);
      return new Map(
        registries.map((r): [string, Fact<RoleAssignment[]>] => [lower(r.id), { ok: true, value: all.filter((a) => scopeReaches(a.scope, r.id, chains.get(lower(r.subscriptionId)) ?? [])) }]),
      );
    });
    if (fromGraph) return fromGraph;
    const lists = await Promise.all(registries.map((r) => this.rbac.assignmentsAtScope(r.id)));
    return new Map(registries.map((r, i) => [lower(r.id), lists[i]!]));
  }
}
