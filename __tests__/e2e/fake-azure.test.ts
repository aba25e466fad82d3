// The test double of Azure, tested with the real clients the action uses: @azure/identity credentials,
// @actions/core's getIDToken, and the ARM SDK clients. Runs with NODE_EXTRA_CA_CERTS pointing at the
// test CA (scripts/test.mjs sets it; Node reads it at start-up only).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as core from '@actions/core';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import {
  ClientAssertionCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { startFakeAzure, type FakeAzure } from '../fake-azure/server.js';
import {
  IDS,
  ROLE_IDS,
  SECRETS,
  denyAssignment,
  managedCluster,
  registry,
  roleAssignment,
  roleDefinition,
  standardWorld,
} from '../fake-azure/fixtures.js';

const ARM_SCOPE = 'https://management.azure.com/.default';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';
const caCert = process.env.NODE_EXTRA_CA_CERTS;

const example = (file: string) =>
  JSON.parse(readFileSync(new URL(`../fake-azure/arm-examples/${file}`, import.meta.url), 'utf8')) as {
    responses: Record<string, { body: Record<string, unknown> & { value?: Record<string, unknown>[] } }>;
  };

describe('fake Azure', () => {
  if (!caCert) {
    throw new Error(
      'NODE_EXTRA_CA_CERTS is not set, so no client can trust the fake Azure. Run the tests through `node scripts/test.mjs`, ' +
        'or: node scripts/certs.mjs .tmp/certs && NODE_EXTRA_CA_CERTS=$PWD/.tmp/certs/ca.pem NODE_OPTIONS=--experimental-vm-modules npx jest __tests__/e2e/fake-azure.test.ts',
    );
  }
  const certDir = dirname(caCert);
  let fake: FakeAzure;
  let issuedBefore = 0;
  /** tokens issued by the current test (issuedTokens spans the fake's life) */
  const issuedNow = () => fake.issuedTokens.slice(issuedBefore);
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    fake = await startFakeAzure({ cert: join(certDir, 'server.pem'), key: join(certDir, 'server-key.pem') });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset(standardWorld());
    fake.pageSize = 100;
    fake.latencyMs = 0;
    issuedBefore = fake.issuedTokens.length;
  });
  afterEach(() => {
    process.env = { ...savedEnv };
    expect(fake.requests.filter((r) => r.route === 'unhandled').map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  const secretCredential = (secret: string = SECRETS.clientSecret, tenant: string = IDS.tenant) =>
    new ClientSecretCredential(tenant, IDS.clientId, secret, { authorityHost: fake.url, disableInstanceDiscovery: true });

  const armOptions = (extra: Record<string, unknown> = {}) => ({
    endpoint: fake.url,
    $host: fake.url,
    credentialScopes: [ARM_SCOPE],
    credentials: { scopes: [ARM_SCOPE] },
    retryOptions: { maxRetries: 2, retryDelayInMs: 20, maxRetryDelayInMs: 200 },
    ...extra,
  });

  const authorization = (credential: TokenCredential = secretCredential(), extra: Record<string, unknown> = {}) =>
    new AuthorizationManagementClient(credential, IDS.subscription, armOptions(extra));

  async function all<T>(iter: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const item of iter) out.push(item);
    return out;
  }

  async function token(scope: string): Promise<string> {
    const t = await secretCredential().getToken(scope);
    if (!t) throw new Error('no token');
    return t.token;
  }

  async function raw(path: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${fake.url}${path}`, { headers });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  }

  function useGitHubRunner() {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `${fake.url}/_github/idtoken?api-version=2.0`;
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = SECRETS.githubRequestToken;
  }

  /** What @actions/core's getIDToken does (tested once below), without its workflow-command output. */
  async function githubIdToken(audience: string): Promise<string> {
    const url = `${process.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${encodeURIComponent(audience)}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } });
    if (!res.ok) throw new Error(`GitHub ID token: HTTP ${res.status}`);
    return ((await res.json()) as { value: string }).value;
  }

  function useManagedIdentityEndpoint() {
    process.env.IDENTITY_ENDPOINT = `${fake.url}/msi/token`;
    process.env.IDENTITY_HEADER = SECRETS.managedIdentityHeader;
  }

  const routes = () => fake.requests.map((r) => `${r.route} ${r.status}`);

  describe('sign-in', () => {
    test('ClientSecretCredential gets an ARM token through the OpenID metadata and the v2.0 token endpoint', async () => {
      const t = await secretCredential().getToken(ARM_SCOPE);
      expect(t?.token).toMatch(/^fake-at-[0-9a-f]{32}$/);
      expect(issuedNow()).toEqual([t?.token]);
      expect(routes()).toEqual(['entra.openidConfiguration 200', 'entra.token 200']);
      expect(fake.requests.every((r) => r.host === new URL(fake.url).host)).toBe(true);
    });

    test('a wrong client secret is refused with invalid_client, an unknown tenant with 400', async () => {
      await expect(secretCredential('wrong').getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS7000215/);
      await expect(secretCredential(SECRETS.clientSecret, '12345678-1234-4234-8234-123456789012').getToken(ARM_SCOPE)).rejects.toThrow();
      expect(routes()).toEqual(['entra.openidConfiguration 200', 'entra.token 401', 'entra.openidConfiguration 400']);
      expect(issuedNow()).toEqual([]);
    });

    test('the OpenID metadata and instance discovery point only at the fake', async () => {
      const metadata = await raw(`/${IDS.tenant}/v2.0/.well-known/openid-configuration`);
      const endpoints = Object.entries(metadata.body).filter(([name]) => /_(endpoint|uri)$/.test(name));
      expect(endpoints.map(([name]) => name)).toEqual(expect.arrayContaining(['token_endpoint', 'authorization_endpoint', 'device_authorization_endpoint', 'end_session_endpoint', 'jwks_uri']));
      for (const [, url] of endpoints) expect(url).toMatch(new RegExp(`^${fake.url}/`));
      expect(metadata.body.issuer).toBe(`${fake.url}/${IDS.tenant}/v2.0`);
      const discovery = await raw(`/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${fake.url}/${IDS.tenant}/oauth2/v2.0/authorize`)}`);
      expect(discovery.body).toMatchObject({ tenant_discovery_endpoint: `${fake.url}/${IDS.tenant}/v2.0/.well-known/openid-configuration`, metadata: [{ aliases: [new URL(fake.url).host] }] });
    });

    test("@actions/core's getIDToken gets a JWT-shaped GitHub ID token for the audience asked", async () => {
      useGitHubRunner();
      const jwt = await core.getIDToken(FEDERATION_AUDIENCE);
      const [header, payload, signature] = jwt.split('.');
      expect(signature).toMatch(/^[\w-]+$/);
      expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toMatchObject({ alg: 'RS256', typ: 'JWT' });
      expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())).toMatchObject({
        aud: FEDERATION_AUDIENCE,
        iss: 'https://token.actions.githubusercontent.com',
        sub: 'repo:owner/repo:ref:refs/heads/main',
      });
      expect(fake.requests[0]).toMatchObject({ route: 'github.idToken', authorization: 'bearer', query: { 'api-version': '2.0', audience: FEDERATION_AUDIENCE } });
      expect(issuedNow()).toEqual([jwt]);
    });

    test('the GitHub token service refuses a wrong request token', async () => {
      useGitHubRunner();
      process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'not-the-runner-token';
      await expect(core.getIDToken(FEDERATION_AUDIENCE)).rejects.toThrow(/401/);
    });

    test('ClientAssertionCredential exchanges a GitHub ID token from the fake for an ARM token', async () => {
      useGitHubRunner();
      const credential = new ClientAssertionCredential(IDS.tenant, IDS.clientId, () => githubIdToken(FEDERATION_AUDIENCE), {
        authorityHost: fake.url,
        disableInstanceDiscovery: true,
      });
      const cluster = await new ContainerServiceClient(credential, IDS.subscription, armOptions()).managedClusters.get(IDS.clusterResourceGroup, IDS.cluster);
      expect(cluster.name).toBe(IDS.cluster);
      expect(fake.requests.filter((r) => r.route === 'entra.token').every((r) => r.status === 200)).toBe(true);
      expect(fake.requests.at(-1)).toMatchObject({ route: 'arm.managedClusters.get', audience: 'https://management.azure.com' });
    });

    test('an assertion the fake did not issue, for another audience, or from another subject is refused', async () => {
      useGitHubRunner();
      const assertionCredential = (getAssertion: () => Promise<string>) =>
        new ClientAssertionCredential(IDS.tenant, IDS.clientId, getAssertion, { authorityHost: fake.url, disableInstanceDiscovery: true });
      await expect(assertionCredential(async () => 'a.b.c').getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS700211/);
      await expect(assertionCredential(() => githubIdToken('api://other')).getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS700212/);
      fake.world.entra.federatedSubject = 'repo:owner/repo:environment:production';
      await expect(assertionCredential(() => githubIdToken(FEDERATION_AUDIENCE)).getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS70021/);
    });

    test('ManagedIdentityCredential signs in through IDENTITY_ENDPOINT with X-IDENTITY-HEADER', async () => {
      useManagedIdentityEndpoint();
      const system = await new ManagedIdentityCredential().getToken(ARM_SCOPE);
      const userAssigned = await new ManagedIdentityCredential({ clientId: IDS.managedIdentityClientId }).getToken(GRAPH_SCOPE);
      expect(system?.token).toMatch(/^fake-mi-/);
      expect(userAssigned?.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3000_000);
      expect(fake.requests.map((r) => r.query)).toEqual([
        { 'api-version': '2019-08-01', resource: 'https://management.azure.com' },
        { 'api-version': '2019-08-01', resource: 'https://graph.microsoft.com', client_id: IDS.managedIdentityClientId },
      ]);
      expect(issuedNow()).toEqual([system?.token, userAssigned?.token]);
    });

    test('the managed-identity endpoint refuses a wrong header and an unknown client ID', async () => {
      // MSAL keeps the first IDENTITY_ENDPOINT and IDENTITY_HEADER it reads, and every token it gets, for the
      // whole process: change what the fake expects instead, and ask for a resource no other test asks for
      const scope = 'https://vault.azure.net/.default';
      useManagedIdentityEndpoint();
      fake.world.managedIdentity.header = 'rotated';
      await expect(new ManagedIdentityCredential().getToken(scope)).rejects.toThrow(/X-IDENTITY-HEADER/);
      fake.world.managedIdentity.header = SECRETS.managedIdentityHeader;
      await expect(new ManagedIdentityCredential({ clientId: IDS.clientId }).getToken(scope)).rejects.toThrow(/Unable to load the proper Managed Identity/);
      expect(fake.requests.map((r) => r.status)).toEqual([401, 400]);
    });
  });

  describe('ARM reads with the SDK clients', () => {
    test('managedClusters.get returns the managed-identity cluster in the official shape', async () => {
      const cluster = await new ContainerServiceClient(secretCredential(), IDS.subscription, armOptions()).managedClusters.get(IDS.clusterResourceGroup, IDS.cluster);
      expect(cluster).toMatchObject({
        id: IDS.clusterId,
        location: 'westeurope',
        servicePrincipalProfile: { clientId: 'msi' },
        identity: { type: 'SystemAssigned', principalId: IDS.controlPlanePrincipalId },
        identityProfile: { kubeletidentity: { objectId: IDS.kubeletObjectId, clientId: IDS.kubeletClientId, resourceId: IDS.kubeletResourceId } },
        nodeResourceGroup: IDS.nodeResourceGroup,
      });
      expect(cluster.agentPoolProfiles?.map((p) => [p.name, p.osType])).toEqual([['nodepool1', 'Linux']]);
      expect(fake.requests.at(-1)).toMatchObject({ route: 'arm.managedClusters.get', authorization: 'bearer', audience: 'https://management.azure.com', status: 200 });
    });

    test('a missing cluster, resource group or subscription gives the ARM error codes', async () => {
      const aks = new ContainerServiceClient(secretCredential(), IDS.subscription, armOptions());
      await expect(aks.managedClusters.get(IDS.clusterResourceGroup, 'nope')).rejects.toMatchObject({
        statusCode: 404,
        code: 'ResourceNotFound',
        message: expect.stringContaining("The Resource 'Microsoft.ContainerService/managedClusters/nope' under resource group 'rg-aks' was not found."),
      });
      await expect(aks.managedClusters.get('rg-nope', IDS.cluster)).rejects.toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' });
      const elsewhere = new ContainerServiceClient(secretCredential(), '12345678-1234-4234-8234-123456789012', armOptions());
      await expect(elsewhere.managedClusters.get(IDS.clusterResourceGroup, IDS.cluster)).rejects.toMatchObject({ statusCode: 404, code: 'SubscriptionNotFound' });
    });

    test('registries.list, listByResourceGroup and get, per subscription', async () => {
      const acr = new ContainerRegistryManagementClient(secretCredential(), IDS.subscription, armOptions());
      expect((await all(acr.registries.list())).map((r) => [r.name, r.loginServer])).toEqual([[IDS.registry, 'myacr.azurecr.io']]);
      expect((await all(acr.registries.listByResourceGroup(IDS.registryResourceGroup))).map((r) => r.id)).toEqual([IDS.registryId]);
      const other = new ContainerRegistryManagementClient(secretCredential(), IDS.otherSubscription, armOptions());
      expect(await other.registries.get(IDS.otherRegistryResourceGroup, 'OTHERACR')).toMatchObject({ id: IDS.otherRegistryId, roleAssignmentMode: 'LegacyRegistryPermissions' });
    });

    test('subscriptions.list lists the subscriptions of the token tenant', async () => {
      const subscriptions = await all(new SubscriptionClient(secretCredential(), armOptions()).subscriptions.list());
      expect(subscriptions.map((s) => s.subscriptionId)).toEqual([IDS.subscription, IDS.otherSubscription]);
    });

    test('roleAssignments.listForScope follows nextLink through every page', async () => {
      fake.pageSize = 2;
      for (let i = 0; i < 4; i++) {
        fake.world.roleAssignments.push(roleAssignment({ scope: IDS.registryId, roleDefinitionGuid: ROLE_IDS.Reader, principalId: IDS.kubeletObjectId }));
      }
      const filter = `assignedTo('${IDS.kubeletObjectId}')`;
      const assignments = await all(authorization().roleAssignments.listForScope(IDS.registryId, { filter }));
      expect(assignments).toHaveLength(5);
      expect(new Set(assignments.map((a) => a.name)).size).toBe(5);
      const lists = fake.requests.filter((r) => r.route === 'arm.roleAssignments.list');
      expect(lists).toHaveLength(3);
      expect(lists.map((r) => r.query.$filter)).toEqual([filter, filter, filter]);
      expect(lists.map((r) => r.query.$skipToken === undefined)).toEqual([true, false, false]);
    });

    test('roleDefinitions.getById finds a role by GUID at any scope; an unknown GUID is RoleDefinitionDoesNotExist', async () => {
      const authz = authorization();
      const atTenant = await authz.roleDefinitions.getById(`/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.AcrPull}`);
      expect(atTenant).toMatchObject({ id: `/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.AcrPull}`, roleName: 'AcrPull', roleType: 'BuiltInRole' });
      expect(atTenant.permissions).toEqual([{ actions: ['Microsoft.ContainerRegistry/registries/pull/read'], notActions: [], dataActions: [], notDataActions: [] }]);
      const underSubscription = await authz.roleDefinitions.getById(`/subscriptions/${IDS.subscription}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.Contributor}`);
      expect(underSubscription.id).toBe(`/subscriptions/${IDS.subscription}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.Contributor}`);
      expect(underSubscription.permissions?.[0]?.notActions).toContain('Microsoft.Authorization/*/Write');
      const viaScope = await authz.roleDefinitions.get(IDS.registryId, ROLE_IDS['Container Registry Repository Reader']);
      expect(viaScope.permissions?.[0]?.dataActions).toContain('Microsoft.ContainerRegistry/registries/repositories/content/read');
      await expect(authz.roleDefinitions.getById('/providers/Microsoft.Authorization/roleDefinitions/00000000-1111-4111-8111-000000000000')).rejects.toMatchObject({
        statusCode: 404,
        code: 'RoleDefinitionDoesNotExist',
      });
    });

    test("roleDefinitions.list with $filter=roleName eq '…' and custom roles by assignable scope", async () => {
      const custom = roleDefinition({
        guid: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
        roleName: 'Image puller',
        permissions: [{ actions: ['Microsoft.ContainerRegistry/registries/*/read'] }],
        assignableScopes: [`/subscriptions/${IDS.subscription}`],
      });
      fake.world.roleDefinitions.push(custom);
      const authz = authorization();
      expect((await all(authz.roleDefinitions.list(IDS.registryId, { filter: "roleName eq 'acrpull'" }))).map((d) => d.name)).toEqual([ROLE_IDS.AcrPull]);
      expect((await all(authz.roleDefinitions.list(IDS.registryId, { filter: "type eq 'CustomRole'" }))).map((d) => d.id)).toEqual([custom.id]);
      expect(await all(authz.roleDefinitions.list(IDS.otherRegistryId, { filter: "type eq 'CustomRole'" }))).toEqual([]);
    });

    test('denyAssignments.listForScope: atScope() is at or above, principalId eq matches the principal or Everyone', async () => {
      const atSubscription = denyAssignment({ scope: `/subscriptions/${IDS.subscription}`, actions: ['*/read'], name: 'deny-sub' });
      const onOther = denyAssignment({ scope: IDS.otherRegistryId, actions: ['*'], name: 'deny-other' });
      const belowRegistry = denyAssignment({ scope: `${IDS.registryId}/scopeMaps/m`, actions: ['*'], name: 'deny-below', principals: [{ id: IDS.kubeletObjectId, type: 'ServicePrincipal' }] });
      fake.world.denyAssignments.push(atSubscription, onOther, belowRegistry);
      const authz = authorization();
      const names = async (filter?: string) => (await all(authz.denyAssignments.listForScope(IDS.registryId, filter === undefined ? {} : { filter }))).map((d) => d.name);
      expect(await names('atScope()')).toEqual(['deny-sub']);
      expect(await names()).toEqual(['deny-sub', 'deny-below']);
      expect(await names(`principalId eq '${IDS.kubeletObjectId}'`)).toEqual(['deny-sub', 'deny-below']);
      expect(await names(`denyAssignmentName eq '${belowRegistry.properties.denyAssignmentName}'`)).toEqual(['deny-below']);
      await expect(names(`assignedTo('${IDS.kubeletObjectId}')`)).rejects.toMatchObject({ statusCode: 400, code: 'InvalidFilter' });
      const [first] = await all(authz.denyAssignments.listForScope(IDS.registryId, { filter: 'atScope()' }));
      expect(first).toMatchObject({ scope: `/subscriptions/${IDS.subscription}`, doNotApplyToChildScopes: false, principals: [{ id: '00000000-0000-0000-0000-000000000000' }] });
    });
  });

  describe('role assignment $filter semantics', () => {
    const GROUP = 'd0d0d0d0-0000-4000-8000-000000000001';
    const OUTER_GROUP = 'd0d0d0d0-0000-4000-8000-000000000002';
    const SOMEONE = 'e0e0e0e0-0000-4000-8000-000000000001';
    const REGISTRY_RG = `/subscriptions/${IDS.subscription}/resourceGroups/${IDS.registryResourceGroup}`;
    const SUBSCRIPTION = `/subscriptions/${IDS.subscription}`;
    const assignment = (name: string, scope: string, principalId: string) =>
      roleAssignment({ name, scope, principalId, roleDefinitionGuid: ROLE_IDS.AcrPull, principalType: principalId === GROUP || principalId === OUTER_GROUP ? 'Group' : 'ServicePrincipal' });

    beforeEach(() => {
      const world = standardWorld();
      world.groups = { [GROUP]: [IDS.kubeletObjectId], [OUTER_GROUP]: [GROUP, SOMEONE] };
      world.roleAssignments = [
        assignment('registry-kubelet', IDS.registryId, IDS.kubeletObjectId),
        assignment('rg-outer-group', REGISTRY_RG, OUTER_GROUP),
        assignment('sub-kubelet', SUBSCRIPTION, IDS.kubeletObjectId),
        assignment('mg-kubelet', IDS.managementGroup, IDS.kubeletObjectId),
        assignment('root-kubelet', '/', IDS.kubeletObjectId),
        assignment('registry-someone', IDS.registryId, SOMEONE),
        assignment('registry-control-plane', IDS.registryId, IDS.controlPlanePrincipalId),
        assignment('sibling-rg-kubelet', `${SUBSCRIPTION}/resourceGroups/rg-sibling`, IDS.kubeletObjectId),
        assignment('other-registry-kubelet', IDS.otherRegistryId, IDS.kubeletObjectId),
        assignment('below-registry-kubelet', `${IDS.registryId}/scopeMaps/m`, IDS.kubeletObjectId),
      ];
      fake.reset(world);
    });

    const kubelet = IDS.kubeletObjectId;
    test.each([
      ['assignedTo: at, above and below, through nested groups', IDS.registryId, `assignedTo('${kubelet}')`,
        ['registry-kubelet', 'rg-outer-group', 'sub-kubelet', 'mg-kubelet', 'root-kubelet', 'below-registry-kubelet']],
      ['principalId eq: direct principal only, at, above and below', IDS.registryId, `principalId eq '${kubelet}'`,
        ['registry-kubelet', 'sub-kubelet', 'mg-kubelet', 'root-kubelet', 'below-registry-kubelet']],
      ['atScope(): at or above, every principal', IDS.registryId, 'atScope()',
        ['registry-kubelet', 'rg-outer-group', 'sub-kubelet', 'mg-kubelet', 'root-kubelet', 'registry-someone', 'registry-control-plane']],
      ['atScope() and assignedTo: at or above, principal and its groups', IDS.registryId, `atScope() and assignedTo('${kubelet}')`,
        ['registry-kubelet', 'rg-outer-group', 'sub-kubelet', 'mg-kubelet', 'root-kubelet']],
      ['no filter: at, above and below, every principal', IDS.registryId, undefined,
        ['registry-kubelet', 'rg-outer-group', 'sub-kubelet', 'mg-kubelet', 'root-kubelet', 'registry-someone', 'registry-control-plane', 'below-registry-kubelet']],
      ['assignedTo at the resource group includes what is below it, not siblings', REGISTRY_RG, `assignedTo('${kubelet}')`,
        ['registry-kubelet', 'rg-outer-group', 'sub-kubelet', 'mg-kubelet', 'root-kubelet', 'below-registry-kubelet']],
      ['atScope() at the resource group leaves out what is below it', REGISTRY_RG, 'atScope()',
        ['rg-outer-group', 'sub-kubelet', 'mg-kubelet', 'root-kubelet']],
      ['principalId eq at the subscription reaches every resource group in it', SUBSCRIPTION, `principalId eq '${kubelet}'`,
        ['registry-kubelet', 'sub-kubelet', 'mg-kubelet', 'root-kubelet', 'sibling-rg-kubelet', 'below-registry-kubelet']],
      ['the management group is above a registry in another subscription it contains', IDS.otherRegistryId, `assignedTo('${kubelet}')`,
        ['mg-kubelet', 'root-kubelet', 'other-registry-kubelet']],
      ['case does not matter in the scope', IDS.registryId.toUpperCase(), `principalId eq '${kubelet.toUpperCase()}'`,
        ['registry-kubelet', 'sub-kubelet', 'mg-kubelet', 'root-kubelet', 'below-registry-kubelet']],
      ['at the management group: everything in its subscriptions', IDS.managementGroup, `principalId eq '${kubelet}'`,
        ['registry-kubelet', 'sub-kubelet', 'mg-kubelet', 'root-kubelet', 'sibling-rg-kubelet', 'other-registry-kubelet', 'below-registry-kubelet']],
    ])('%s', async (_name, scope, filter, expected) => {
      const found = await all(authorization().roleAssignments.listForScope(scope, filter === undefined ? {} : { filter }));
      expect(found.map((a) => a.name).sort()).toEqual([...expected].sort());
    });

    test('an unsupported filter is 400 InvalidFilter', async () => {
      await expect(all(authorization().roleAssignments.listForScope(IDS.registryId, { filter: "roleDefinitionId eq 'x'" }))).rejects.toMatchObject({
        statusCode: 400,
        code: 'InvalidFilter',
      });
    });

    test('repeated slashes in the path are collapsed, as ARM does', async () => {
      const arm = await token(ARM_SCOPE);
      const res = await raw(`//subscriptions/${IDS.subscription}//resourceGroups/${IDS.registryResourceGroup}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=atScope()`, {
        authorization: `Bearer ${arm}`,
      });
      expect(res.status).toBe(200);
      expect(fake.requests.at(-1)?.path).toBe(`${REGISTRY_RG}/providers/Microsoft.Authorization/roleAssignments`);
    });
  });

  describe('faults, latency and authentication failures', () => {
    const listAssignments = (extra: Record<string, unknown> = {}) =>
      all(authorization(secretCredential(), extra).roleAssignments.listForScope(IDS.registryId, { filter: `assignedTo('${IDS.kubeletObjectId}')` }));
    const ASSIGNMENTS_PATH = `${IDS.registryId}/providers/Microsoft.Authorization/roleAssignments`;

    test('403 AuthorizationFailed names the caller, the action and the scope', async () => {
      fake.addFault({ path: ASSIGNMENTS_PATH, status: 403 });
      await expect(listAssignments()).rejects.toMatchObject({
        statusCode: 403,
        code: 'AuthorizationFailed',
        message: `The client '${IDS.clientId}' with object id '${IDS.clientObjectId}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read' over scope '${IDS.registryId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      });
    });

    test('a fault may match by pattern and query, and a given body replaces the default', async () => {
      fake.addFault({ method: 'GET', path: /\/managedClusters\/aks1$/i, query: /api-version=/, status: 404, body: { error: { code: 'Custom', message: 'custom' } }, times: 1 });
      const aks = new ContainerServiceClient(secretCredential(), IDS.subscription, armOptions());
      await expect(aks.managedClusters.get(IDS.clusterResourceGroup, IDS.cluster)).rejects.toMatchObject({ statusCode: 404, code: 'Custom' });
      await expect(aks.managedClusters.get(IDS.clusterResourceGroup, IDS.cluster)).resolves.toMatchObject({ name: IDS.cluster });
    });

    test('429 with Retry-After: 1 is retried after a second, then succeeds', async () => {
      fake.addFault({ path: ASSIGNMENTS_PATH, status: 429, headers: { 'Retry-After': '1' }, times: 1 });
      const started = performance.now();
      await expect(listAssignments()).resolves.toHaveLength(1);
      expect(performance.now() - started).toBeGreaterThanOrEqual(950);
      expect(fake.requests.filter((r) => r.route === 'arm.roleAssignments.list').map((r) => r.status)).toEqual([429, 200]);
    });

    test('500 is retried and surfaces once retries run out', async () => {
      fake.addFault({ path: ASSIGNMENTS_PATH, status: 500 });
      await expect(listAssignments({ retryOptions: { maxRetries: 1, retryDelayInMs: 10, maxRetryDelayInMs: 10 } })).rejects.toMatchObject({
        statusCode: 500,
        code: 'InternalServerError',
      });
      expect(fake.requests.filter((r) => r.route === 'arm.roleAssignments.list').map((r) => r.status)).toEqual([500, 500]);
    });

    test('a reset connection is retried by the SDK', async () => {
      fake.addFault({ path: ASSIGNMENTS_PATH, reset: true, times: 1 });
      await expect(listAssignments()).resolves.toHaveLength(1);
      expect(fake.requests.filter((r) => r.route === 'arm.roleAssignments.list').map((r) => r.status)).toEqual([0, 200]);
    });

    test('latencyMs delays every response, delayMs one fault', async () => {
      const arm = await token(ARM_SCOPE);
      fake.latencyMs = 100;
      fake.addFault({ path: '/subscriptions', status: 503, delayMs: 100, times: 1 });
      expect((await raw('/subscriptions?api-version=2022-12-01', { authorization: `Bearer ${arm}` })).status).toBe(503);
      expect((await raw('/subscriptions?api-version=2022-12-01', { authorization: `Bearer ${arm}` })).status).toBe(200);
      const [slow, normal] = fake.requests.slice(-2).map((r) => r.endedAt - r.startedAt);
      expect(slow).toBeGreaterThanOrEqual(190);
      expect(normal).toBeGreaterThanOrEqual(95);
    });

    test('a token for another audience is 401 with a WWW-Authenticate challenge', async () => {
      const graphToken = { getToken: () => secretCredential().getToken(GRAPH_SCOPE) };
      const aks = new ContainerServiceClient(graphToken, IDS.subscription, armOptions({ credentials: { scopes: [GRAPH_SCOPE] } }));
      await expect(aks.managedClusters.get(IDS.clusterResourceGroup, IDS.cluster)).rejects.toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationTokenAudience' });
      const res = await raw(`/subscriptions/${IDS.subscription}?api-version=2022-12-01`, { authorization: `Bearer ${await token(GRAPH_SCOPE)}` });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer authorization_uri=".*", error="invalid_token"/);
      expect(fake.requests.find((r) => r.route === 'arm.managedClusters.get')).toMatchObject({ audience: 'https://graph.microsoft.com', status: 401 });
    });

    test('no token, an unknown token, no api-version, and a subscription of another tenant', async () => {
      const arm = await token(ARM_SCOPE);
      const path = `/subscriptions/${IDS.subscription}/providers/Microsoft.ContainerRegistry/registries`;
      expect(await raw(`${path}?api-version=2025-11-01`)).toMatchObject({ status: 401, body: { error: { code: 'AuthenticationFailed' } } });
      expect(await raw(`${path}?api-version=2025-11-01`, { authorization: 'Bearer forged' })).toMatchObject({ status: 401, body: { error: { code: 'InvalidAuthenticationToken' } } });
      expect(await raw(path, { authorization: `Bearer ${arm}` })).toMatchObject({ status: 400, body: { error: { code: 'MissingApiVersionParameter' } } });
      fake.world.subscriptions[1]!.tenantId = 'f0f0f0f0-0000-4000-8000-000000000001';
      const other = `/subscriptions/${IDS.otherSubscription}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-11-01`;
      expect(await raw(other, { authorization: `Bearer ${arm}` })).toMatchObject({ status: 401, body: { error: { code: 'InvalidAuthenticationTokenTenant' } } });
      expect(fake.requests.slice(-4).map((r) => r.authorization)).toEqual(['none', 'bearer', 'bearer', 'bearer']);
    });

    test('ARM answers carry request and correlation ids, echoing the caller’s correlation id', async () => {
      const arm = await token(ARM_SCOPE);
      const res = await raw('/subscriptions?api-version=2022-12-01', { authorization: `Bearer ${arm}`, 'x-ms-correlation-request-id': 'corr-1' });
      expect(res.headers.get('x-ms-correlation-request-id')).toBe('corr-1');
      expect(res.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    test('an unknown route is a recorded 404', async () => {
      const res = await raw(`/subscriptions/${IDS.subscription}/providers/Microsoft.Compute/virtualMachines?api-version=1`);
      expect(res).toMatchObject({ status: 404, body: { error: { code: 'NotFound' } } });
      expect(fake.requests.map((r) => r.route)).toEqual(['unhandled']);
      fake.reset(standardWorld());
    });
  });

  describe('Microsoft Graph', () => {
    test('servicePrincipals(appId=…) and ?$filter=appId eq … need a Graph token', async () => {
      const graph = await token(GRAPH_SCOPE);
      const auth = { authorization: `Bearer ${graph}` };
      expect(await raw(`/v1.0/servicePrincipals(appId='${IDS.kubeletClientId}')`, auth)).toMatchObject({
        status: 200,
        body: { id: IDS.kubeletObjectId, appId: IDS.kubeletClientId, servicePrincipalType: 'ManagedIdentity', '@odata.context': expect.stringContaining('$metadata#servicePrincipals/$entity') },
      });
      expect(await raw(`/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${IDS.clientId}'`)}`, auth)).toMatchObject({
        status: 200,
        body: { value: [{ id: IDS.clientObjectId, appId: IDS.clientId, servicePrincipalType: 'Application' }] },
      });
      expect(await raw("/v1.0/servicePrincipals(appId='12345678-1234-4234-8234-123456789012')", auth)).toMatchObject({ status: 404, body: { error: { code: 'Request_ResourceNotFound' } } });
      const arm = await token(ARM_SCOPE);
      expect(await raw(`/v1.0/servicePrincipals(appId='${IDS.kubeletClientId}')`, { authorization: `Bearer ${arm}` })).toMatchObject({ status: 401, body: { error: { code: 'InvalidAuthenticationToken' } } });
      fake.addFault({ path: /^\/v1\.0\//, status: 403, times: 1 });
      expect(await raw(`/v1.0/servicePrincipals(appId='${IDS.kubeletClientId}')`, auth)).toMatchObject({ status: 403, body: { error: { code: 'Authorization_RequestDenied' } } });
    });
  });

  test('no token or secret is ever recorded', async () => {
    useGitHubRunner();
    useManagedIdentityEndpoint();
    const federated = new ClientAssertionCredential(IDS.tenant, IDS.clientId, () => githubIdToken(FEDERATION_AUDIENCE), { authorityHost: fake.url, disableInstanceDiscovery: true });
    await all(authorization(federated).roleAssignments.listForScope(IDS.registryId, { filter: 'atScope()' }));
    await all(authorization(secretCredential()).roleAssignments.listForScope(IDS.registryId));
    await all(authorization(new ManagedIdentityCredential()).roleAssignments.listForScope(IDS.registryId));
    const recorded = JSON.stringify(fake.requests);
    expect(issuedNow().length).toBeGreaterThanOrEqual(3);
    for (const secret of [...fake.issuedTokens, ...Object.values(SECRETS)]) expect(recorded).not.toContain(secret);
  });

  describe('fixtures keep the official shapes', () => {
    const keysOf = (o: object) => Object.keys(o).sort();

    test('managedCluster and registry keep every field of the examples', () => {
      const clusterExample = example('containerservice/2026-02-01/ManagedClustersGet.json').responses['200']!.body;
      const cluster = managedCluster({ subscriptionId: IDS.subscription, resourceGroup: 'rg', name: 'c', servicePrincipalClientId: 'app-id' });
      expect(keysOf(cluster)).toEqual(keysOf(clusterExample));
      expect(keysOf(cluster.properties)).toEqual(keysOf(clusterExample.properties as object));
      expect(cluster.properties.servicePrincipalProfile).toEqual({ clientId: 'app-id' });
      const registryExample = example('containerregistry/2025-11-01/RegistryGet.json').responses['200']!.body;
      const acr = registry({ subscriptionId: IDS.subscription, resourceGroup: 'rg', name: 'Abac', roleAssignmentMode: 'AbacRepositoryPermissions', anonymousPullEnabled: true });
      expect(keysOf(acr)).toEqual(keysOf(registryExample));
      expect(keysOf(acr.properties)).toEqual(keysOf(registryExample.properties as object));
      expect(acr.properties).toMatchObject({ loginServer: 'abac.azurecr.io', roleAssignmentMode: 'AbacRepositoryPermissions', anonymousPullEnabled: true });
    });

    test('role assignments, definitions and deny assignments keep the example keys', () => {
      const assignmentExample = example('authorization/2022-04-01/RoleAssignments_ListForScope.json').responses['200']!.body.value![0]!;
      const a = roleAssignment({ scope: '/', roleDefinitionGuid: ROLE_IDS.Owner, principalId: IDS.kubeletObjectId, condition: 'true' });
      expect(keysOf(a)).toEqual(keysOf(assignmentExample));
      expect(keysOf(a.properties)).toEqual(expect.arrayContaining(keysOf(assignmentExample.properties as object)));
      expect(a).toMatchObject({ id: `/providers/Microsoft.Authorization/roleAssignments/${a.name}`, properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.Owner}`, conditionVersion: '2.0' } });
      const definitionExample = example('authorization/2022-04-01/GetRoleDefinitionByName.json').responses['200']!.body;
      expect(keysOf(roleDefinition({ guid: 'g', roleName: 'r', permissions: [] }))).toEqual(keysOf(definitionExample));
      const denyExample = example('authorization/2022-04-01/GetDenyAssignmentByScope.json').responses['200']!.body.value![0]!;
      const deny = denyAssignment({ scope: '/subscriptions/s' });
      expect(keysOf(deny)).toEqual(keysOf(denyExample));
      expect(keysOf(deny.properties)).toEqual(keysOf(denyExample.properties as object));
    });
  });
});
