// @ts-check
// The telling situations, as data: each changes the standard simulated world, runs the action, and
// says what the verdict must be. The end-to-end tests assert them; `npm run demo` shows them.
import { IDS, ROLE_IDS, SECRETS, roleAssignment, standardWorld } from '../fake-azure/fixtures.js';

/**
 * @typedef {import('../fake-azure/server.js').FakeAzure} FakeAzure
 * @typedef {{
 *   name: string, title: string,
 *   setup?: (fake: FakeAzure) => void,
 *   inputs?: Record<string, string>,
 *   expect: { result: 'pass' | 'warn' | 'fail', checks: Record<string, string> }
 * }} Scenario
 */

/** The inputs that point a run at the standard world's cluster and registry on the fake. @param {string} url */
function standardInputs(url) {
  return {
    cluster: IDS.cluster,
    'resource-group': IDS.clusterResourceGroup,
    registry: IDS.registry,
    subscription: IDS.subscription,
    'arm-endpoint': url,
    'graph-endpoint': url,
  };
}

/** The environment variables of a client-secret sign-in (auth: environment) against the fake. @param {string} url */
export function environmentCredentials(url) {
  return { AZURE_AUTHORITY_HOST: url, AZURE_CLIENT_ID: IDS.clientId, AZURE_TENANT_ID: IDS.tenant, AZURE_CLIENT_SECRET: SECRETS.clientSecret };
}

/** The inputs and environment of a run that signs in with GitHub OIDC against the fake. @param {string} url */
export function oidcRun(url) {
  return {
    inputs: { ...standardInputs(url), auth: 'oidc', 'client-id': IDS.clientId, 'tenant-id': IDS.tenant },
    env: {
      AZURE_AUTHORITY_HOST: url,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/_github/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: SECRETS.githubRequestToken,
    },
  };
}

/** The inputs and environment of a run that signs in with a client secret (auth: environment). @param {string} url */
export function environmentRun(url) {
  return { inputs: { ...standardInputs(url), auth: 'environment' }, env: environmentCredentials(url) };
}

/** @param {FakeAzure} fake @param {(w: ReturnType<typeof standardWorld>) => void} change */
function withWorld(fake, change) {
  const world = standardWorld();
  change(world);
  fake.reset(world);
}

/** @type {Scenario[]} */
export const SCENARIOS = [
  {
    name: 'granted',
    title: 'AcrPull for the kubelet identity on the registry',
    setup: (fake) => fake.reset(standardWorld()),
    expect: { result: 'pass', checks: { cluster: 'pass', registry: 'pass', 'pull-permission': 'pass' } },
  },
  {
    name: 'no-role',
    title: 'No role assignment at all',
    setup: (fake) => withWorld(fake, (w) => (w.roleAssignments = [])),
    expect: { result: 'fail', checks: { cluster: 'pass', registry: 'pass', 'pull-permission': 'fail' } },
  },
  {
    name: 'abac',
    title: 'ABAC-mode registry: AcrPull is not honoured',
    setup: (fake) =>
      withWorld(fake, (w) => {
        const reg = /** @type {any} */ (w.registries[0]);
        reg.properties.roleAssignmentMode = 'AbacRepositoryPermissions';
      }),
    expect: { result: 'fail', checks: { 'pull-permission': 'fail' } },
  },
  {
    name: 'wrong-identity',
    title: "AcrPull given to the cluster's control-plane identity instead of the kubelet",
    setup: (fake) =>
      withWorld(fake, (w) => {
        w.roleAssignments = [roleAssignment({ scope: IDS.registryId, roleDefinitionGuid: ROLE_IDS.AcrPull, principalId: IDS.controlPlanePrincipalId, principalType: 'ServicePrincipal' })];
      }),
    expect: { result: 'fail', checks: { 'pull-permission': 'fail' } },
  },
  {
    name: 'rbac-forbidden',
    title: 'The signed-in identity may not read role assignments (403)',
    setup: (fake) => {
      fake.reset(standardWorld());
      fake.addFault({ path: /\/providers\/Microsoft\.Authorization\/roleAssignments$/i, status: 403 });
    },
    expect: { result: 'fail', checks: { 'pull-permission': 'unknown' } },
  },
];
