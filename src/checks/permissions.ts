// The permissions the signed-in identity needs for each RBAC read, in the words the checks use.
// Shared by the readers (which attach them to a 403) and the judge (which falls back on them).
const READER_ON_REGISTRY = '(granted by the Reader role on the registry)';

export const RBAC_READ_PERMISSION = {
  roleAssignments: `Microsoft.Authorization/roleAssignments/read ${READER_ON_REGISTRY}`,
  denyAssignments: `Microsoft.Authorization/denyAssignments/read ${READER_ON_REGISTRY}`,
  roleDefinitions: `Microsoft.Authorization/roleDefinitions/read ${READER_ON_REGISTRY}`,
} as const;

/** What `remediate` needs on the registry to create the pull role assignment. */
export const ROLE_ASSIGNMENT_WRITE = 'Microsoft.Authorization/roleAssignments/write';
