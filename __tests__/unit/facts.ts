// Facts the judges' table tests start from: one registry as ARM would describe it, overridable per case.
import type { RegistryFacts } from '../../src/model.js';

export const REGISTRY_ID = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myacr';

/** myacr in rg of subscription s1, westeurope, public, legacy RBAC mode, no data endpoints; `over` wins. */
export function registryFacts(over: Partial<RegistryFacts> = {}): RegistryFacts {
  return {
    id: REGISTRY_ID,
    name: 'myacr',
    subscriptionId: 's1',
    resourceGroup: 'rg',
    location: 'westeurope',
    loginServer: 'myacr.azurecr.io',
    publicNetworkAccess: 'Enabled',
    anonymousPullEnabled: false,
    roleAssignmentMode: 'LegacyRegistryPermissions',
    dataEndpointHostNames: [],
    privateEndpointConnections: [],
    ...over,
  };
}
