import { sameScope, scopeApplies } from '../../src/checks/scope.js';

const REGISTRY = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r';

describe('scopeApplies', () => {
  test.each([
    ['the registry itself', REGISTRY, true],
    ['the registry, other case and a trailing slash', '/SUBSCRIPTIONS/s/resourcegroups/RG/providers/microsoft.containerregistry/registries/R/', true],
    ['its resource group', '/subscriptions/s/resourceGroups/rg', true],
    ['its resource group with a trailing slash', '/subscriptions/s/resourceGroups/rg/', true],
    ['its subscription', '/subscriptions/s', true],
    ['the root', '/', true],
    ['a management group', '/providers/Microsoft.Management/managementGroups/mg1', true],
    ['a management group, other case', '/providers/microsoft.management/MANAGEMENTGROUPS/mg1', true],
    ['another resource group', '/subscriptions/s/resourceGroups/rg2', false],
    ['a resource group whose name is a prefix', '/subscriptions/s/resourceGroups/r', false],
    ['another subscription', '/subscriptions/s2', false],
    ['a sibling registry', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r2', false],
    ['a registry whose name extends it', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/rr', false],
    ['a scope below the registry', `${REGISTRY}/scopeMaps/m`, false],
    ['something below a management group', '/providers/Microsoft.Management/managementGroups/mg1/subscriptions/x', false],
    ['an empty scope', '', false],
    ['a relative scope', 'subscriptions/s', false],
  ])('%s', (_name, scope, expected) => {
    expect(scopeApplies(scope, REGISTRY)).toBe(expected);
  });
});

describe('sameScope', () => {
  test.each([
    [REGISTRY, `${REGISTRY.toUpperCase()}/`, true],
    ['/subscriptions/s/resourceGroups/rg', REGISTRY, false],
  ])('%s = %s → %s', (a, b, expected) => {
    expect(sameScope(a, b)).toBe(expected);
  });
});
