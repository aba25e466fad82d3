// @ts-check
// A generated fleet for the tests and the bench: N managed-identity clusters over the standard world's
// two subscriptions (both in management group mg1), M registries (myacr, otheracr, then sharedacrK),
// and for every pair one of: AcrPull on the registry, AcrPull on its resource group, a custom pull
// role, AcrPull through a group (not in Resource Graph's rows: group membership is not expanded), or
// nothing (a failing pair). One cluster pulls through an AcrPull at the management group. Clusters
// carry tags env (prod, dev every fourth) and team (t0..t4). `expected` says what each pair must be.
import { IDS, ROLE_IDS, managedCluster, registry, resourceId, roleAssignment, roleDefinition, standardWorld } from './fixtures.js';

/** @param {number} n @param {number} width */
const hex = (n, width) => n.toString(16).padStart(width, '0');
/** A GUID of its own for each (kind, number). @param {number} kind @param {number} n */
const guid = (kind, n) => `${hex(kind, 8)}-0000-4000-8000-${hex(n, 12)}`;

export const FLEET_PULLER_ROLE = guid(0xf1ee7, 1);
/** The cluster (by index) whose kubelet pulls through an AcrPull at the management group. */
export const MANAGEMENT_GROUP_CLUSTER = 2;

/**
 * @typedef {'direct' | 'resourceGroup' | 'customRole' | 'group' | 'none'} GrantKind
 * @typedef {{ world: import('./fixtures.js').World, clusterIds: string[], clusterNames: string[],
 *   registryNames: string[], registryIds: string[], tags: Record<string, Record<string, string>>,
 *   grants: Record<string, GrantKind | 'managementGroup'>, expected: Record<string, 'pass' | 'fail'> }} Fleet
 */

/** How pair (i, j) is granted. @param {number} i @param {number} j @returns {GrantKind} */
export function grantOf(i, j) {
  return /** @type {GrantKind[]} */ (['none', 'group', 'resourceGroup', 'customRole', 'direct', 'direct', 'direct', 'direct', 'direct', 'direct'])[(i * 3 + j) % 10] ?? 'direct';
}

/**
 * @param {{ clusters: number, registries: number }} size
 * @returns {Fleet}
 */
export function fleetWorld({ clusters, registries }) {
  const world = standardWorld();
  const subs = [IDS.subscription, IDS.otherSubscription];
  const regs = Array.from({ length: registries }, (_, j) => {
    const name = j === 0 ? IDS.registry : j === 1 ? IDS.otherRegistry : `sharedacr${j}`;
    const subscriptionId = j === 1 ? IDS.otherSubscription : IDS.subscription;
    // each registry in a resource group of its own, so that a grant on one's group reaches no other
    const resourceGroup = j === 0 ? IDS.registryResourceGroup : j === 1 ? IDS.otherRegistryResourceGroup : `rg-shared-${j}`;
    return registry({ subscriptionId, resourceGroup, name, location: 'westeurope' });
  });
  /** @type {Record<string, Record<string, string>>} */
  const tags = {};
  const bodies = Array.from({ length: clusters }, (_, i) => {
    const name = `aks-${String(i).padStart(3, '0')}`;
    const subscriptionId = subs[i % 2] ?? IDS.subscription;
    const resourceGroup = `rg-fleet-${i % 3}`;
    const objectId = guid(0xc1, i);
    const body = managedCluster({
      subscriptionId,
      resourceGroup,
      name,
      kubelet: { objectId, clientId: guid(0xc2, i), resourceId: resourceId(subscriptionId, `MC_${resourceGroup}_${name}_westeurope`, 'Microsoft.ManagedIdentity/userAssignedIdentities', `${name}-agentpool`) },
      controlPlanePrincipalId: guid(0xc3, i),
      tenantId: IDS.tenant,
      agentPools: [{ name: 'nodepool1', vnetSubnetID: IDS.nodeSubnetId }],
    });
    body.tags = { env: i % 4 === 3 ? 'dev' : 'prod', team: `t${i % 5}` };
    tags[name] = body.tags;
    return body;
  });
  /** @type {Record<string, GrantKind | 'managementGroup'>} */
  const grants = {};
  /** @type {Record<string, 'pass' | 'fail'>} */
  const expected = {};
  /** @type {import('./fixtures.js').Json[]} */
  const assignments = [];
  /** @type {Record<string, string[]>} */
  const groups = {};
  regs.forEach((r, j) => {
    const group = guid(0x96, j);
    groups[group] = [];
    assignments.push(roleAssignment({ scope: r.id, roleDefinitionGuid: ROLE_IDS.AcrPull, principalId: group, principalType: 'Group' }));
  });
  bodies.forEach((c, i) => {
    const principalId = c.properties.identityProfile.kubeletidentity.objectId;
    if (i === MANAGEMENT_GROUP_CLUSTER) assignments.push(roleAssignment({ scope: IDS.managementGroup, roleDefinitionGuid: ROLE_IDS.AcrPull, principalId }));
    regs.forEach((r, j) => {
      const kind = grantOf(i, j);
      const key = `${c.name}|${r.name}`;
      grants[key] = i === MANAGEMENT_GROUP_CLUSTER ? 'managementGroup' : kind;
      expected[key] = kind === 'none' && i !== MANAGEMENT_GROUP_CLUSTER ? 'fail' : 'pass';
      const rg = String(r.id).replace(/\/providers\/.*$/, '');
      if (kind === 'direct') assignments.push(roleAssignment({ scope: r.id, roleDefinitionGuid: ROLE_IDS.AcrPull, principalId }));
      if (kind === 'resourceGroup') assignments.push(roleAssignment({ scope: rg, roleDefinitionGuid: ROLE_IDS.AcrPull, principalId }));
      if (kind === 'customRole') assignments.push(roleAssignment({ scope: r.id, roleDefinitionGuid: FLEET_PULLER_ROLE, principalId }));
      if (kind === 'group') groups[guid(0x96, j)]?.push(principalId);
    });
  });
  world.clusters = bodies;
  world.registries = regs;
  world.roleAssignments = assignments;
  world.groups = groups;
  world.roleDefinitions = [
    ...world.roleDefinitions,
    roleDefinition({ guid: FLEET_PULLER_ROLE, roleName: 'Fleet Puller', assignableScopes: [`/subscriptions/${IDS.subscription}`, `/subscriptions/${IDS.otherSubscription}`], permissions: [{ actions: ['Microsoft.ContainerRegistry/registries/pull/read'] }] }),
  ];
  return {
    world,
    clusterIds: bodies.map((c) => String(c.id)),
    clusterNames: bodies.map((c) => String(c.name)),
    registryNames: regs.map((r) => String(r.name)),
    registryIds: regs.map((r) => String(r.id)),
    tags,
    grants,
    expected,
  };
}
