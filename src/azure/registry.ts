// Resolves each registry input to one ARM resource: by resource ID (any subscription), by name or by
// login server (the default subscription first, then every subscription the credential can list).
import type { Registry } from '@azure/arm-containerregistry';
import { getContinuationToken } from '@azure/arm-resources-subscriptions';
import type { Fact, ReadFailure, RegistryFacts, RegistryRef } from '../model.js';
import { collectAll, expectResource, readFact, type ArmClients } from './arm.js';
import { parseResourceId } from './resource-id.js';

export const REGISTRY_READ_PERMISSION = 'Microsoft.ContainerRegistry/registries/read (e.g. the Reader role on the registry)';
const SUBSCRIPTIONS_READ_PERMISSION = 'Microsoft.Resources/subscriptions/read (the Reader role on the subscription)';

export interface RegistryResolution {
  ref: RegistryRef;
  /** the registry, or undefined when every place it could be was read and it was not there */
  registry: Fact<RegistryFacts | undefined>;
  /** subscriptions searched, in order */
  searched: string[];
  /** reads that failed along the way (a registry found elsewhere still resolves) */
  failures: ReadFailure[];
  /** registry names seen while searching, for "did you mean" */
  seen: string[];
}

export function registryFacts(r: Registry): RegistryFacts {
  const id = r.id ?? '';
  const parsed = parseResourceId(id);
  return {
    id,
    name: r.name ?? parsed.name,
    subscriptionId: parsed.subscriptionId,
    resourceGroup: parsed.resourceGroup,
    location: r.location,
    loginServer: r.loginServer ?? '',
    sku: r.sku?.name,
    publicNetworkAccess: r.publicNetworkAccess,
    anonymousPullEnabled: r.anonymousPullEnabled === true,
    roleAssignmentMode: r.roleAssignmentMode ?? 'LegacyRegistryPermissions',
    adminUserEnabled: r.adminUserEnabled,
    dataEndpointEnabled: r.dataEndpointEnabled,
    dataEndpointHostNames: r.dataEndpointHostNames ?? [],
    networkRuleSet: r.networkRuleSet
      ? { defaultAction: r.networkRuleSet.defaultAction, ipRules: (r.networkRuleSet.ipRules ?? []).map((i) => ({ action: i.action, value: i.iPAddressOrRange })) }
      : undefined,
    networkRuleBypassOptions: r.networkRuleBypassOptions,
    privateEndpointConnections: (r.privateEndpointConnections ?? []).map((c) => ({
      id: c.id,
      privateEndpointId: c.privateEndpoint?.id,
      status: c.privateLinkServiceConnectionState?.status,
    })),
    azureADAuthenticationAsArmPolicy: r.policies?.azureADAuthenticationAsArmPolicy?.status,
  };
}

/** Does this registry answer to the input (by name or login server)? */
export function matches(ref: RegistryRef, r: RegistryFacts): boolean {
  if (ref.kind === 'loginServer') return r.loginServer.toLowerCase() === ref.loginServer.toLowerCase();
  return r.name.toLowerCase() === ref.name.toLowerCase();
}

/** Reads each subscription's registry list at most once, however many inputs need it. */
class RegistryDirectory {
  private readonly lists = new Map<string, Promise<Fact<RegistryFacts[]>>>();
  private subscriptionIds?: Promise<Fact<string[]>>;

  constructor(private readonly clients: ArmClients) {}

  list(subscriptionId: string): Promise<Fact<RegistryFacts[]>> {
    const key = subscriptionId.toLowerCase();
    let list = this.lists.get(key);
    if (!list) {
      list = readFact(`listing registries in subscription ${subscriptionId}`, REGISTRY_READ_PERMISSION, async () =>
        (await collectAll(this.clients.containerRegistry(subscriptionId).registries.list({ abortSignal: this.clients.signal }))).map((r) => registryFacts(expectResource(r, 'a registry'))),
      );
      this.lists.set(key, list);
    }
    return list;
  }

  subscriptions(): Promise<Fact<string[]>> {
    this.subscriptionIds ??= listSubscriptionIds(this.clients);
    return this.subscriptionIds;
  }
}

/** The subscriptions the signed-in identity can read. */
export function listSubscriptionIds(clients: ArmClients): Promise<Fact<string[]>> {
  return readFact('listing the subscriptions the signed-in identity can read', SUBSCRIPTIONS_READ_PERMISSION, async () =>
    (await collectAll(clients.subscriptions().subscriptions.list({ abortSignal: clients.signal }), getContinuationToken))
      .map((s) => s.subscriptionId)
      .filter((s): s is string => Boolean(s)),
  );
}

async function resolveById(clients: ArmClients, ref: Extract<RegistryRef, { kind: 'id' }>): Promise<RegistryResolution> {
  const what = `reading registry ${ref.name} in resource group ${ref.resourceGroup}`;
  const fact = await readFact(what, REGISTRY_READ_PERMISSION, () =>
    clients.containerRegistry(ref.subscriptionId).registries.get(ref.resourceGroup, ref.name, { abortSignal: clients.signal }).then((r) => expectResource(r, 'a registry')),
  );
  const base = { ref, searched: [ref.subscriptionId], seen: [] as string[] };
  if (fact.ok) return { ...base, registry: { ok: true, value: registryFacts(fact.value) }, failures: [] };
  if (fact.error.status === 404) return { ...base, registry: { ok: true, value: undefined }, failures: [] };
  return { ...base, registry: fact, failures: [fact.error] };
}

async function resolveBySearch(dir: RegistryDirectory, ref: RegistryRef, defaultSubscription: string): Promise<RegistryResolution> {
  const searched: string[] = [];
  const failures: ReadFailure[] = [];
  const seen = new Set<string>();
  const look = async (subscriptionIds: string[]): Promise<RegistryFacts | undefined> => {
    searched.push(...subscriptionIds);
    const lists = await Promise.all(subscriptionIds.map((s) => dir.list(s)));
    let found: RegistryFacts | undefined;
    for (const list of lists) {
      if (!list.ok) {
        failures.push(list.error);
        continue;
      }
      for (const r of list.value) {
        seen.add(r.name);
        if (!found && matches(ref, r)) found = r;
      }
    }
    return found;
  };
  // cluster: * over every subscription, none found: there is no default subscription to look in first
  const inDefault = defaultSubscription ? await look([defaultSubscription]) : undefined;
  if (inDefault) return { ref, registry: { ok: true, value: inDefault }, searched, failures, seen: [...seen] };
  const subs = await dir.subscriptions();
  if (!subs.ok) failures.push(subs.error);
  const others = subs.ok ? subs.value.filter((s) => s.toLowerCase() !== defaultSubscription.toLowerCase()) : [];
  const elsewhere = await look(others);
  if (elsewhere) return { ref, registry: { ok: true, value: elsewhere }, searched, failures, seen: [...seen] };
  // Not found: that is a verified "not there" only if every place it could be was read.
  const registry: Fact<RegistryFacts | undefined> = failures.length ? { ok: false, error: failures[0]! } : { ok: true, value: undefined };
  return { ref, registry, searched, failures, seen: [...seen] };
}

export function resolveRegistries(clients: ArmClients, refs: RegistryRef[], defaultSubscription: string): Promise<RegistryResolution>[] {
  const dir = new RegistryDirectory(clients);
  return refs.map((ref) => (ref.kind === 'id' ? resolveById(clients, ref) : resolveBySearch(dir, ref, defaultSubscription)));
}
