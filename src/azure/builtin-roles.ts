// The built-in role definitions that matter for pulling from ACR, with their real permissions
// (learn.microsoft.com built-in roles: Containers, Privileged, General), so that the engine resolves
// them without a call. Any other role definition is fetched.
import type { RoleDefinition } from '../model.js';

const ACR = 'Microsoft.ContainerRegistry/registries';

export const ROLE = {
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  acrPush: '8311e382-0749-4cb8-b61a-304f252e45ec',
  acrDelete: 'c2f4ef07-c644-48eb-af81-4b1b4947fb11',
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  repositoryReader: 'b93aa761-3e63-49ed-ac28-beffa264f7ac',
  repositoryWriter: '2a1e307c-b015-4ebd-883e-5b7698a07328',
  repositoryContributor: '2efddaa5-3f1f-4df3-97df-af3f13818f4c',
  repositoryCatalogLister: 'bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7',
  dataImporterAndDataReader: '577a9874-89fd-4f24-9dbd-b5034d0ad23a',
} as const;

function role(guid: string, roleName: string, actions: string[], dataActions: string[] = [], notActions: string[] = []): RoleDefinition {
  return {
    id: `/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    name: guid,
    roleName,
    type: 'BuiltInRole',
    permissions: [{ actions, notActions, dataActions, notDataActions: [] }],
  };
}

const REPOSITORY_READ = [`${ACR}/repositories/metadata/read`, `${ACR}/repositories/content/read`];
const REPOSITORY_WRITE = [`${ACR}/repositories/metadata/write`, `${ACR}/repositories/content/write`];
const REPOSITORY_DELETE = [`${ACR}/repositories/metadata/delete`, `${ACR}/repositories/content/delete`];

const BUILT_IN: RoleDefinition[] = [
  role(ROLE.acrPull, 'AcrPull', [`${ACR}/pull/read`]),
  role(ROLE.acrPush, 'AcrPush', [`${ACR}/pull/read`, `${ACR}/push/write`]),
  role(ROLE.acrDelete, 'AcrDelete', [`${ACR}/artifacts/delete`]),
  role(ROLE.owner, 'Owner', ['*']),
  role(ROLE.contributor, 'Contributor', ['*'], [], [
    'Microsoft.Authorization/*/Delete',
    'Microsoft.Authorization/*/Write',
    'Microsoft.Authorization/elevateAccess/Action',
    'Microsoft.Blueprint/blueprintAssignments/write',
    'Microsoft.Blueprint/blueprintAssignments/delete',
    'Microsoft.Compute/galleries/share/action',
    'Microsoft.Purview/consents/write',
    'Microsoft.Purview/consents/delete',
    'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
    'Microsoft.Subscription/cancel/action',
    'Microsoft.Subscription/enable/action',
  ]),
  role(ROLE.reader, 'Reader', ['*/read']),
  role(ROLE.repositoryReader, 'Container Registry Repository Reader', [], REPOSITORY_READ),
  role(ROLE.repositoryWriter, 'Container Registry Repository Writer', [], [...REPOSITORY_READ, ...REPOSITORY_WRITE]),
  role(ROLE.repositoryContributor, 'Container Registry Repository Contributor', [], [...REPOSITORY_READ, ...REPOSITORY_WRITE, ...REPOSITORY_DELETE]),
  role(ROLE.repositoryCatalogLister, 'Container Registry Repository Catalog Lister', [], [`${ACR}/catalog/read`]),
  role(
    ROLE.dataImporterAndDataReader,
    'Container Registry Data Importer and Data Reader',
    [`${ACR}/importImage/action`, `${ACR}/read`, `${ACR}/pull/read`],
    [`${ACR}/repositories/content/read`, `${ACR}/repositories/metadata/read`, `${ACR}/catalog/read`],
  ),
];

const BY_GUID = new Map(BUILT_IN.map((d) => [d.name, d]));

/** The trailing GUID of `/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}` or `/providers/…/{guid}`, lower-case. */
export function roleGuidOf(roleDefinitionId: string): string {
  return (roleDefinitionId.split('/').filter(Boolean).pop() ?? '').toLowerCase();
}

export function builtInRole(guid: string): RoleDefinition | undefined {
  return BY_GUID.get(guid.toLowerCase());
}
