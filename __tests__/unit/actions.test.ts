import { matchesPattern, permissionGrants, roleGrants } from '../../src/checks/actions.js';
import type { Permission } from '../../src/model.js';

const PULL = 'Microsoft.ContainerRegistry/registries/pull/read';
const CONTENT_READ = 'Microsoft.ContainerRegistry/registries/repositories/content/read';

describe('matchesPattern', () => {
  test.each([
    ['*', PULL, true],
    ['*/read', PULL, true],
    ['*/write', PULL, false],
    ['Microsoft.ContainerRegistry/*', PULL, true],
    ['microsoft.containerregistry/REGISTRIES/PULL/READ', PULL, true],
    ['Microsoft.ContainerRegistry/registries/*/read', PULL, true],
    ['Microsoft.ContainerRegistry/registries/*/read', 'Microsoft.ContainerRegistry/registries/push/write', false],
    ['Microsoft.ContainerRegistry/registries/pull', PULL, false],
    ['registries/pull/read', PULL, false],
    ['Microsoft.ContainerRegistry/registries/pull/read/extra', PULL, false],
    ['Microsoft.Storage/*', PULL, false],
    ['Microsoft.ContainerRegistry/registries/pull/rea?', PULL, false],
    ['Microsoft.ContainerRegistry.registries/pull/read', 'Microsoft.ContainerRegistryXregistries/pull/read', false],
    ['Microsoft.ContainerRegistry/registries/repositories/*', CONTENT_READ, true],
  ])('%s vs %s → %s', (pattern, op, expected) => {
    expect(matchesPattern(pattern, op)).toBe(expected);
  });
});

const perm = (p: Partial<Permission>): Permission => ({ actions: [], notActions: [], dataActions: [], notDataActions: [], ...p });

describe('permissionGrants', () => {
  test.each<[string, Permission, string, 'action' | 'dataAction', boolean]>([
    ['action matched', perm({ actions: [PULL] }), PULL, 'action', true],
    ['wildcard minus notActions', perm({ actions: ['Microsoft.ContainerRegistry/*'], notActions: ['*/pull/read'] }), PULL, 'action', false],
    ['notActions that does not match', perm({ actions: ['*'], notActions: ['Microsoft.Authorization/*/Write'] }), PULL, 'action', true],
    ['an action is not a data action', perm({ actions: [CONTENT_READ] }), CONTENT_READ, 'dataAction', false],
    ['a data action is not an action', perm({ dataActions: [PULL] }), PULL, 'action', false],
    ['data action matched', perm({ dataActions: ['Microsoft.ContainerRegistry/registries/repositories/*/read'] }), CONTENT_READ, 'dataAction', true],
    ['notDataActions removes it', perm({ dataActions: ['*'], notDataActions: [CONTENT_READ] }), CONTENT_READ, 'dataAction', false],
    ['notActions do not remove data actions', perm({ dataActions: [CONTENT_READ], notActions: ['*'] }), CONTENT_READ, 'dataAction', true],
    ['nothing', perm({}), PULL, 'action', false],
  ])('%s', (_name, p, op, kind, expected) => {
    expect(permissionGrants(p, op, kind)).toBe(expected);
  });
});

describe('roleGrants', () => {
  test.each<[string, Permission[], boolean]>([
    ['one block grants', [perm({ actions: ['Microsoft.Storage/*'] }), perm({ actions: [PULL] })], true],
    ['notActions only apply to their own block', [perm({ actions: ['*'], notActions: [PULL] }), perm({ actions: ['*/read'] })], true],
    ['no block grants', [perm({ actions: ['*'], notActions: [PULL] })], false],
    ['no blocks', [], false],
  ])('%s', (_name, permissions, expected) => {
    expect(roleGrants({ permissions }, PULL, 'action')).toBe(expected);
  });
});
