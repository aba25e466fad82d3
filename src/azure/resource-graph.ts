// Azure Resource Graph: the fleet's facts in a few queries (clusters, registries, the subscriptions'
// management-group chains, role assignments), paged by $skipToken. Paging works only when a query
// projects `id`; a page with resultTruncated "true" has no skipToken, so such a query is split in two
// (by the list it filters on) and each half asked again. At most 300 subscriptions go in one query.
import { ResourceGraphClient, type QueryRequest } from '@azure/arm-resourcegraph';
import type { Registry } from '@azure/arm-containerregistry';
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { RoleAssignment } from '../model.js';
import { ListingDidNotEnd, MAX_PAGES, MalformedAnswer, type ArmClients } from './arm.js';

export type Row = Record<string, unknown>;
type Scopes = Pick<QueryRequest, 'subscriptions' | 'managementGroups'> & { authorizationScopeFilter?: NonNullable<QueryRequest['options']>['authorizationScopeFilter'] };

export const RESOURCE_GRAPH_READ_PERMISSION = 'Microsoft.ResourceGraph/resources/read with Reader on the subscriptions (Resource Graph shows only what the identity may read)';
const MAX_SUBSCRIPTIONS = 300;
const PAGE_ROWS = 1000;

/** A page said resultTruncated "true": the query must be made smaller. */
export class ResultTruncated extends Error {
  override readonly name = 'ResultTruncated';
}

/** A KQL string literal. */
export const kqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const kqlList = (xs: string[]) => `(${xs.map(kqlString).join(', ')})`;

// ── the queries ──────────────────────────────────────────────────────────────────────────────────

/** AKS clusters, optionally only those of a resource group or with these IDs. */
export function clustersQuery(filter: { resourceGroup?: string; ids?: string[] } = {}): string {
  return [
    'resources',
    "| where type =~ 'microsoft.containerservice/managedclusters'",
    ...(filter.resourceGroup ? [`| where resourceGroup =~ ${kqlString(filter.resourceGroup)}`] : []),
    ...(filter.ids ? [`| where id in~ ${kqlList(filter.ids)}`] : []),
    '| project id, name, type, location, resourceGroup, subscriptionId, tags, identity, properties',
  ].join('\n');
}

/** Container registries by name (a name, or the first label of a login server) or ID. */
export function registriesQuery(names: string[], ids: string[]): string {
  const where = [...(names.length ? [`name in~ ${kqlList(names)}`] : []), ...(ids.length ? [`id in~ ${kqlList(ids)}`] : [])].join(' or ');
  return ['resources', "| where type =~ 'microsoft.containerregistry/registries'", `| where ${where}`, '| project id, name, type, location, resourceGroup, subscriptionId, sku, tags, properties'].join('\n');
}

/** The management groups above each subscription. */
export function subscriptionChainsQuery(subscriptionIds: string[]): string {
  return [
    'resourcecontainers',
    "| where type =~ 'microsoft.resources/subscriptions'",
    `| where subscriptionId in~ ${kqlList(subscriptionIds)}`,
    '| project id, subscriptionId, managementGroupAncestorsChain = properties.managementGroupAncestorsChain',
  ].join('\n');
}

/** Role assignments made directly to these principals (group membership is not expanded by Resource Graph). */
export function roleAssignmentsQuery(principalIds: string[]): string {
  return [
    'authorizationresources',
    "| where type =~ 'microsoft.authorization/roleassignments'",
    `| where properties.principalId in~ ${kqlList(principalIds)}`,
    '| project id, name, properties',
  ].join('\n');
}

// ── rows into the SDK shapes the readers already turn into facts ─────────────────────────────────

const obj = (v: unknown): Row => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Row) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function expectId(row: Row, kind: string): string {
  const id = str(row['id']);
  if (!id || !/^\/(subscriptions|providers)\//i.test(id)) throw new MalformedAnswer(`expected ${kind} with a resource id in the Resource Graph rows`);
  return id;
}

/** A cluster row as the SDK's ManagedCluster (its properties are flattened, under the same names). */
export function clusterFromRow(row: Row): ManagedCluster {
  return { ...obj(row['properties']), id: expectId(row, 'a managed cluster'), name: str(row['name']), location: str(row['location']) ?? '', tags: obj(row['tags']), identity: row['identity'] } as ManagedCluster;
}

/** A registry row as the SDK's Registry: properties flattened, IP rules' `value` as iPAddressOrRange, connections flattened. */
export function registryFromRow(row: Row): Registry {
  const p = obj(row['properties']);
  const rules = obj(p['networkRuleSet']);
  const connections = Array.isArray(p['privateEndpointConnections']) ? (p['privateEndpointConnections'] as unknown[]) : [];
  return {
    ...p,
    id: expectId(row, 'a registry'),
    name: str(row['name']),
    location: str(row['location']) ?? '',
    sku: obj(row['sku']),
    ...(p['networkRuleSet'] !== undefined && {
      networkRuleSet: { ...rules, ipRules: (Array.isArray(rules['ipRules']) ? (rules['ipRules'] as Row[]) : []).map((r) => ({ action: r['action'], iPAddressOrRange: r['value'] })) },
    }),
    privateEndpointConnections: connections.map((c) => ({ id: str(obj(c)['id']), ...obj(obj(c)['properties']) })),
  } as unknown as Registry;
}

/** A role-assignment row in the model's shape (the same fields ARM's listForScope gives). */
export function roleAssignmentFromRow(row: Row): RoleAssignment {
  const p = obj(row['properties']);
  const out: RoleAssignment = {
    id: expectId(row, 'a role assignment'),
    name: str(row['name']) ?? '',
    scope: str(p['scope']) ?? '',
    roleDefinitionId: str(p['roleDefinitionId']) ?? '',
    principalId: str(p['principalId']) ?? '',
  };
  const type = str(p['principalType']);
  if (type) out.principalType = type;
  const condition = str(p['condition']);
  if (condition) out.condition = condition;
  const conditionVersion = str(p['conditionVersion']);
  if (conditionVersion) out.conditionVersion = conditionVersion;
  const created = str(p['createdOn']);
  if (created && !Number.isNaN(Date.parse(created))) out.createdOn = new Date(created).toISOString();
  return out;
}

/** subscription ID (lower-case) → the names of the management groups above it. */
export function chainsFromRows(rows: Row[]): Map<string, string[]> {
  return new Map(
    rows.map((r) => [
      (str(r['subscriptionId']) ?? '').toLowerCase(),
      (Array.isArray(r['managementGroupAncestorsChain']) ? (r['managementGroupAncestorsChain'] as unknown[]) : []).flatMap((m) => str(obj(m)['name']) ?? []).map((n) => n.toLowerCase()),
    ]),
  );
}

// ── the client ───────────────────────────────────────────────────────────────────────────────────

export class ResourceGraph {
  constructor(private readonly clients: ArmClients) {}

  private client(): ResourceGraphClient {
    return this.clients.cached('resourcegraph', () => new ResourceGraphClient(this.clients.credential, this.clients.modularOptions()));
  }

  /** Every row of one query, page by page. */
  async rows(query: string, scopes: Scopes = {}): Promise<Row[]> {
    const out: Row[] = [];
    const seen = new Set<string>();
    let skipToken: string | undefined;
    for (let page = 1; ; page++) {
      const { authorizationScopeFilter, ...where } = scopes;
      const answer = await this.client().resources(
        { ...where, query, options: { resultFormat: 'objectArray', top: PAGE_ROWS, ...(skipToken && { skipToken }), ...(authorizationScopeFilter && { authorizationScopeFilter }) } },
        { abortSignal: this.clients.signal },
      );
      if (!Array.isArray(answer.data)) throw new MalformedAnswer('expected Resource Graph rows (objectArray)');
      out.push(...(answer.data as Row[]));
      if (answer.resultTruncated === 'true' && !answer.skipToken) throw new ResultTruncated('Resource Graph truncated the result');
      skipToken = answer.skipToken;
      if (!skipToken) return out;
      if (seen.has(skipToken) || page >= MAX_PAGES) throw new ListingDidNotEnd(`the Resource Graph query did not end after ${page} pages`);
      seen.add(skipToken);
    }
  }

  /**
   * One query over a list of values (IDs, names, principals), split in halves while Resource Graph
   * truncates its result, and over at most 300 subscriptions at a time.
   */
  async rowsFor(values: string[], build: (values: string[]) => string, scopes: Scopes = {}): Promise<Row[]> {
    if (values.length === 0) return [];
    const subs = scopes.subscriptions;
    if (subs && subs.length > MAX_SUBSCRIPTIONS) {
      const parts = await Promise.all(chunks(subs, MAX_SUBSCRIPTIONS).map((s) => this.rowsFor(values, build, { ...scopes, subscriptions: s })));
      return parts.flat();
    }
    try {
      return await this.rows(build(values), scopes);
    } catch (err) {
      if (!(err instanceof ResultTruncated) || values.length < 2) throw err;
      const half = Math.ceil(values.length / 2);
      const [a, b] = await Promise.all([this.rowsFor(values.slice(0, half), build, scopes), this.rowsFor(values.slice(half), build, scopes)]);
      return [...a, ...b];
    }
  }
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
