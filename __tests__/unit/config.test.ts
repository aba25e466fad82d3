// Inputs as the runner passes them (INPUT_* variables) through getInputs(); the az CLI is a fake
// profile in AZURE_CONFIG_DIR and a fake `az` on PATH.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOUDS } from '../../src/clouds.js';
import { InputError } from '../../src/config.js';
import { getInputs } from '../../src/inputs.js';
import type { Config } from '../../src/model.js';

const SUB = '11111111-2222-3333-4444-555555555555';
const SUB2 = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const AZ_SUB = '99999999-8888-7777-6666-555555555555';
const CLIENT = '0a0a0a0a-1b1b-2c2c-3d3d-4e4e4e4e4e4e';
const TENANT = 'f0f0f0f0-e1e1-d2d2-c3c3-b4b4b4b4b4b4';
const CLUSTER_ID = `/subscriptions/${SUB2}/resourceGroups/rg2/providers/Microsoft.ContainerService/managedClusters/aks2`;
const REGISTRY_ID = `/subscriptions/${SUB2}/resourceGroups/rg2/providers/Microsoft.ContainerRegistry/registries/otheracr`;
const DIGEST = `sha256:${'a'.repeat(64)}`;
const RUNNER_TEMP = join(tmpdir(), 'runner-temp');

type Inputs = Record<string, string>;
type Env = Record<string, string | undefined>;
/** how the fake az CLI looks: on PATH, and which profile it saved */
interface Az {
  onPath?: boolean;
  profile?: string;
}

const BASE: Inputs = { cluster: 'aks1', 'resource-group': 'rg1', registry: 'myacr', subscription: SUB, auth: 'azure-cli' };
const CLEARED = [
  'AZURE_SUBSCRIPTION_ID', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_AUTHORITY_HOST',
];
const ENV_CREDS: Env = { AZURE_CLIENT_ID: CLIENT, AZURE_TENANT_ID: TENANT, AZURE_CLIENT_SECRET: 's3cret' };
const profile = (subscriptions: object[]): string => `\uFEFF${JSON.stringify({ installationId: 'x', subscriptions })}`;
const AZ_LOGGED_IN: Az = {
  onPath: true,
  profile: profile([{ id: SUB2, isDefault: false }, { id: AZ_SUB, isDefault: true, tenantId: TENANT }]),
};

const savedEnv = { ...process.env };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'config-test-'));
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('INPUT_') || CLEARED.includes(key)) delete process.env[key];
  }
  process.env.AZURE_CONFIG_DIR = join(dir, 'azure');
  process.env.PATH = join(dir, 'bin');
  process.env.RUNNER_TEMP = RUNNER_TEMP;
});

afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  rmSync(dir, { recursive: true, force: true });
});

function run(inputs: Inputs, env: Env = {}, az: Az = {}): Config {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  if (az.onPath) {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'az'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, 'az'), 0o755);
  }
  if (az.profile !== undefined) {
    const configDir = join(dir, 'azure');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'azureProfile.json'), az.profile);
  }
  return getInputs();
}

describe('getInputs: valid inputs', () => {
  test('defaults', () => {
    expect(run(BASE)).toEqual({
      clusters: [{ kind: 'name', input: 'aks1', name: 'aks1', resourceGroup: 'rg1', subscriptionId: SUB }],
      registries: [{ kind: 'name', input: 'myacr', name: 'myacr' }],
      subscriptionId: SUB,
      images: [],
      failOn: 'error',
      cloud: CLOUDS.AzureCloud,
      armEndpoint: 'https://management.azure.com',
      graphEndpoint: 'https://graph.microsoft.com',
      authorityHost: 'https://login.microsoftonline.com',
      auth: 'azure-cli',
      reportPath: join(RUNNER_TEMP, 'aks-acr-preflight.json'),
      summary: true,
      timeoutMs: 120_000,
      dnsServers: [],
      connectTimeoutMs: 5_000,
      manifests: [],
      comment: false,
      remediate: false,
      inCluster: false,
      clusterTags: [],
    } satisfies Config);
  });

  test.each<[string, Inputs, Env, Az, Partial<Config>]>([
    // cluster and subscription
    ['cluster *: every cluster of the resource group', { ...BASE, cluster: '*', 'cluster-tags': 'env=prod' }, {}, {},
      { clusters: [], fleet: { subscriptionId: SUB, resourceGroup: 'rg1' }, subscriptionId: SUB, clusterTags: [{ key: 'env', value: 'prod' }] }],
    ['cluster *: every cluster of the subscription', { ...BASE, cluster: '*', 'resource-group': '' }, {}, {}, { clusters: [], fleet: { subscriptionId: SUB } }],
    ['cluster *: every cluster the credential can read', { ...BASE, cluster: ' * ', 'resource-group': '', subscription: '' }, {}, {}, { clusters: [], fleet: {}, subscriptionId: '' }],
    ['cluster ID: segments in any case, trailing slash; its subscription becomes the default',
      { ...BASE, 'resource-group': '', subscription: '', cluster: `${CLUSTER_ID.toLowerCase().replace(SUB2, SUB2.toUpperCase())}/` }, {}, {},
      { subscriptionId: SUB2, clusters: [{ kind: 'id', input: `${CLUSTER_ID.toLowerCase().replace(SUB2, SUB2.toUpperCase())}/`, id: CLUSTER_ID, subscriptionId: SUB2, resourceGroup: 'rg2', name: 'aks2' }] }],
    ['cluster ID keeps its own subscription; the input is the default',
      { ...BASE, cluster: CLUSTER_ID }, {}, {},
      { subscriptionId: SUB, clusters: [{ kind: 'id', input: CLUSTER_ID, id: CLUSTER_ID, subscriptionId: SUB2, resourceGroup: 'rg2', name: 'aks2' }] }],
    ['subscription from AZURE_SUBSCRIPTION_ID', { ...BASE, subscription: '' }, { AZURE_SUBSCRIPTION_ID: SUB2.toUpperCase() }, {},
      { subscriptionId: SUB2, clusters: [{ kind: 'name', input: 'aks1', name: 'aks1', resourceGroup: 'rg1', subscriptionId: SUB2 }] }],
    ['subscription from the az CLI default (profile with a BOM)', { ...BASE, subscription: '' }, {}, { profile: AZ_LOGGED_IN.profile },
      { subscriptionId: AZ_SUB }],
    ['the subscription input wins over AZURE_SUBSCRIPTION_ID', BASE, { AZURE_SUBSCRIPTION_ID: SUB2 }, {}, { subscriptionId: SUB }],
    ['AZURE_SUBSCRIPTION_ID wins over the az CLI default', { ...BASE, subscription: '' }, { AZURE_SUBSCRIPTION_ID: SUB2 }, AZ_LOGGED_IN,
      { subscriptionId: SUB2 }],
    ['several clusters, one per line, blank lines dropped', { ...BASE, cluster: `aks1\n\n  ${CLUSTER_ID}  \r\nAks_3` }, {}, {},
      { clusters: [
        { kind: 'name', input: 'aks1', name: 'aks1', resourceGroup: 'rg1', subscriptionId: SUB },
        { kind: 'id', input: CLUSTER_ID, id: CLUSTER_ID, subscriptionId: SUB2, resourceGroup: 'rg2', name: 'aks2' },
        { kind: 'name', input: 'Aks_3', name: 'Aks_3', resourceGroup: 'rg1', subscriptionId: SUB },
      ] }],
    ['63-character cluster name, 1-character name', { ...BASE, cluster: `${'a'.repeat(63)}\nb` }, {}, {},
      { clusters: [
        { kind: 'name', input: 'a'.repeat(63), name: 'a'.repeat(63), resourceGroup: 'rg1', subscriptionId: SUB },
        { kind: 'name', input: 'b', name: 'b', resourceGroup: 'rg1', subscriptionId: SUB },
      ] }],
    ['resource group with ( ) . - _ and non-ASCII letters', { ...BASE, 'resource-group': 'My_RG.(prod)-é' }, {}, {},
      { clusters: [{ kind: 'name', input: 'aks1', name: 'aks1', resourceGroup: 'My_RG.(prod)-é', subscriptionId: SUB }] }],
    // registries
    ['registry forms: name, login server with https:// and /, resource ID; commas and newlines; empty entries dropped',
      { ...BASE, registry: `MyAcr,\n https://Team1Acr.AzureCR.io/ ,,\n${REGISTRY_ID}` }, {}, {},
      { registries: [
        { kind: 'name', input: 'MyAcr', name: 'myacr' },
        { kind: 'loginServer', input: 'https://Team1Acr.AzureCR.io/', loginServer: 'team1acr.azurecr.io', name: 'team1acr' },
        { kind: 'id', input: REGISTRY_ID, id: REGISTRY_ID, subscriptionId: SUB2, resourceGroup: 'rg2', name: 'otheracr' },
      ] }],
    ['login server with a domain-name-label hash', { ...BASE, registry: 'myacr-abc123h.azurecr.io' }, {}, {},
      { registries: [{ kind: 'loginServer', input: 'myacr-abc123h.azurecr.io', loginServer: 'myacr-abc123h.azurecr.io', name: 'myacr-abc123h' }] }],
    ['5- and 50-character registry names', { ...BASE, registry: `abcde,${'b'.repeat(50)}` }, {}, {},
      { registries: [{ kind: 'name', input: 'abcde', name: 'abcde' }, { kind: 'name', input: 'b'.repeat(50), name: 'b'.repeat(50) }] }],
    ['China login server with cloud AzureChinaCloud', { ...BASE, cloud: 'AzureChinaCloud', registry: 'myacr.azurecr.cn' }, {}, {},
      { registries: [{ kind: 'loginServer', input: 'myacr.azurecr.cn', loginServer: 'myacr.azurecr.cn', name: 'myacr' }] }],
    // images
    ['images, newline and comma separated', { ...BASE, images: `nginx, localhost:5000/x:y\nmyacr.azurecr.io/team/app@${DIGEST}\n` }, {}, {},
      { images: [
        { input: 'nginx', host: 'docker.io', repository: 'library/nginx', tag: 'latest' },
        { input: 'localhost:5000/x:y', host: 'localhost:5000', repository: 'x', tag: 'y' },
        { input: `myacr.azurecr.io/team/app@${DIGEST}`, host: 'myacr.azurecr.io', repository: 'team/app', digest: DIGEST },
      ] }],
    // enumerations, booleans, numbers
    ['fail-on, case-insensitive', { ...BASE, 'fail-on': 'WARNING' }, {}, {}, { failOn: 'warning' }],
    ['fail-on never', { ...BASE, 'fail-on': 'never' }, {}, {}, { failOn: 'never' }],
    ['summary False', { ...BASE, summary: 'False' }, {}, {}, { summary: false }],
    ['summary TRUE', { ...BASE, summary: 'TRUE' }, {}, {}, { summary: true }],
    ['summary false', { ...BASE, summary: 'false' }, {}, {}, { summary: false }],
    ['timeout 1', { ...BASE, timeout: '1' }, {}, {}, { timeoutMs: 1000 }],
    ['timeout 3600', { ...BASE, timeout: '3600' }, {}, {}, { timeoutMs: 3_600_000 }],
    ['connect-timeout 1', { ...BASE, 'connect-timeout': '1' }, {}, {}, { connectTimeoutMs: 1000 }],
    ['connect-timeout 60', { ...BASE, 'connect-timeout': '60' }, {}, {}, { connectTimeoutMs: 60_000 }],
    ['comment, remediate and in-cluster true', { ...BASE, comment: 'true', remediate: 'True', 'in-cluster': 'TRUE' }, {}, {}, { comment: true, remediate: true, inCluster: true }],
    ['manifests: one pattern per line, blank lines dropped', { ...BASE, manifests: 'k8s/**/*.yaml\n\n  deploy/app.json \r\nrendered' }, {}, {}, { manifests: ['k8s/**/*.yaml', 'deploy/app.json', 'rendered'] }],
    ['namespace, sarif-path and github-token kept as given', { ...BASE, namespace: 'team-a', 'sarif-path': 'out/preflight.sarif', 'github-token': 'ghs_x' }, {}, {},
      { namespace: 'team-a', sarifPath: 'out/preflight.sarif', githubToken: 'ghs_x' }],
    ['probe-image parsed as a reference', { ...BASE, 'probe-image': 'myacr.azurecr.io/probe:1' }, {}, {},
      { probeImage: { input: 'myacr.azurecr.io/probe:1', host: 'myacr.azurecr.io', repository: 'probe', tag: '1' } }],
    ['cluster-tags: key=value and a key alone, value may hold =', { ...BASE, 'cluster-tags': 'env = prod\nteam\nsel=a=b' }, {}, {},
      { clusterTags: [{ key: 'env', value: 'prod' }, { key: 'team' }, { key: 'sel', value: 'a=b' }] }],
    ['dns-servers, several forms', { ...BASE, 'dns-servers': '10.0.0.4\n10.0.0.5:5353, [fd00::53]:53,::1' }, {}, {}, { dnsServers: ['10.0.0.4', '10.0.0.5:5353', '[fd00::53]:53', '::1'] }],
    // clouds and endpoints
    ['cloud azurechinacloud, case-insensitive', { ...BASE, cloud: 'azurechinacloud' }, {}, {},
      { cloud: CLOUDS.AzureChinaCloud, armEndpoint: 'https://management.chinacloudapi.cn', graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn', authorityHost: 'https://login.chinacloudapi.cn' }],
    ['cloud AzureUSGovernment', { ...BASE, cloud: 'AzureUSGovernment' }, {}, {},
      { cloud: CLOUDS.AzureUSGovernment, armEndpoint: 'https://management.usgovcloudapi.net', graphEndpoint: 'https://graph.microsoft.us', authorityHost: 'https://login.microsoftonline.us' }],
    ['arm-endpoint and graph-endpoint overrides: trailing slash removed, scopes stay the cloud\'s',
      { ...BASE, 'arm-endpoint': 'https://127.0.0.1:8443/arm/', 'graph-endpoint': 'HTTPS://Proxy.example.com/' }, {}, {},
      { armEndpoint: 'https://127.0.0.1:8443/arm', graphEndpoint: 'https://proxy.example.com', cloud: CLOUDS.AzureCloud }],
    ['AZURE_AUTHORITY_HOST', BASE, { AZURE_AUTHORITY_HOST: 'https://login.example.com/' }, {}, { authorityHost: 'https://login.example.com' }],
    // auth
    ['auto → oidc with client-id and tenant-id', { ...BASE, auth: '', 'client-id': CLIENT.toUpperCase(), 'tenant-id': TENANT }, ENV_CREDS, AZ_LOGGED_IN,
      { auth: 'oidc', clientId: CLIENT, tenantId: TENANT }],
    ['auto → azure-cli when az is on PATH and signed in', { ...BASE, auth: 'AUTO' }, ENV_CREDS, AZ_LOGGED_IN, { auth: 'azure-cli' }],
    ['auto → environment with a client secret', { ...BASE, auth: '' }, ENV_CREDS, {}, { auth: 'environment' }],
    ['auto → environment with a certificate, az on PATH but not signed in', { ...BASE, auth: '' },
      { ...ENV_CREDS, AZURE_CLIENT_SECRET: undefined, AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' }, { onPath: true }, { auth: 'environment' }],
    ['auto → environment with a federated token file, az signed in but not on PATH', { ...BASE, auth: '' },
      { ...ENV_CREDS, AZURE_CLIENT_SECRET: undefined, AZURE_FEDERATED_TOKEN_FILE: '/t' }, { profile: AZ_LOGGED_IN.profile }, { auth: 'environment' }],
    ['explicit managed-identity with a client-id', { ...BASE, auth: 'managed-identity', 'client-id': CLIENT }, {}, {},
      { auth: 'managed-identity', clientId: CLIENT }],
    ['explicit environment', { ...BASE, auth: 'environment' }, ENV_CREDS, {}, { auth: 'environment' }],
    ['explicit oidc; tenant-id as a domain', { ...BASE, auth: 'oidc', 'client-id': CLIENT, 'tenant-id': 'Contoso.onmicrosoft.com' }, {}, {},
      { auth: 'oidc', clientId: CLIENT, tenantId: 'contoso.onmicrosoft.com' }],
    ['kubelet-object-id, lower-cased', { ...BASE, 'kubelet-object-id': CLIENT.toUpperCase() }, {}, {}, { kubeletObjectId: CLIENT }],
    // report path
    ['report-path given', { ...BASE, 'report-path': 'out/report.json' }, {}, {}, { reportPath: 'out/report.json' }],
    ['report-path default without RUNNER_TEMP', BASE, { RUNNER_TEMP: undefined }, {}, { reportPath: join(tmpdir(), 'aks-acr-preflight.json') }],
  ])('%s', (_title, inputs, env, az, expected) => {
    expect(run(inputs, env, az)).toMatchObject(expected);
  });

  test('auto never chooses managed-identity', () => {
    expect(() => run({ ...BASE, auth: 'auto' }, { IDENTITY_ENDPOINT: 'http://169.254.169.254', MSI_ENDPOINT: 'x' })).toThrow(InputError);
  });
});

describe('getInputs: invalid inputs name the input and list what is accepted', () => {
  const badCluster = (tail: string): string => `/subscriptions/${SUB}/resourceGroups/rg1/providers/${tail}`;
  test.each<[string, Inputs, Env, Az, string, (string | RegExp)[]]>([
    // cluster
    ['cluster missing', { ...BASE, cluster: '' }, {}, {}, 'cluster', ['is required', 'Microsoft.ContainerService/managedClusters']],
    ['cluster only blank lines', { ...BASE, cluster: ' \n \n' }, {}, {}, 'cluster', ['is required']],
    ['cluster * beside another cluster', { ...BASE, cluster: '*\naks1' }, {}, {}, 'cluster', ["'*' stands alone"]],
    ['remediate with cluster *: the one write goes only to clusters named', { ...BASE, cluster: '*', remediate: 'true' }, {}, {}, 'remediate', ["Input 'remediate' is true while input 'cluster' is '*'", 'names or resource IDs']],
    ['cluster * in a resource group without a subscription', { ...BASE, cluster: '*', subscription: '' }, {}, {}, 'subscription', ["'cluster' is '*'", 'resource-group']],
    ['comment yes', { ...BASE, comment: 'yes' }, {}, {}, 'comment', ["Input 'comment' has an invalid value 'yes'", 'true, True, TRUE, false, False, FALSE']],
    ['remediate 1', { ...BASE, remediate: '1' }, {}, {}, 'remediate', ['true, True, TRUE']],
    ['in-cluster on', { ...BASE, 'in-cluster': 'on' }, {}, {}, 'in-cluster', ['true, True, TRUE']],
    ['namespace with upper case', { ...BASE, namespace: 'Team' }, {}, {}, 'namespace', ['lower-case letters']],
    ['namespace of 64 characters', { ...BASE, namespace: 'a'.repeat(64) }, {}, {}, 'namespace', ['1 to 63']],
    ['probe-image not a reference', { ...BASE, 'probe-image': 'myacr.azurecr.io/Team/app:1' }, {}, {}, 'probe-image', ["Input 'probe-image'", 'myacr.azurecr.io/probe:1']],
    ['cluster-tags with an empty key', { ...BASE, 'cluster-tags': '=prod' }, {}, {}, 'cluster-tags', ['key=value']],
    ['cluster ID with the wrong provider', { ...BASE, cluster: badCluster('Microsoft.Compute/virtualMachines/vm1') }, {}, {}, 'cluster',
      ['not a Microsoft.ContainerService/managedClusters resource ID', '/subscriptions/<subscription GUID>/resourceGroups/<resource group>/providers/Microsoft.ContainerService/managedClusters/<name>']],
    ['cluster ID missing the name', { ...BASE, cluster: badCluster('Microsoft.ContainerService/managedClusters') }, {}, {}, 'cluster',
      ['not a Microsoft.ContainerService/managedClusters resource ID']],
    ['cluster ID missing the resource group', { ...BASE, cluster: `/subscriptions/${SUB}/providers/Microsoft.ContainerService/managedClusters/a` }, {}, {}, 'cluster',
      ['resource ID']],
    ['cluster ID with a non-GUID subscription', { ...BASE, cluster: CLUSTER_ID.replace(SUB2, 'my-sub') }, {}, {}, 'cluster',
      ["the subscription 'my-sub' is not a GUID"]],
    ['cluster ID with an invalid resource group', { ...BASE, cluster: CLUSTER_ID.replace('rg2', 'rg2.') }, {}, {}, 'cluster',
      ["not ending in '.'"]],
    ['cluster ID with an invalid cluster name', { ...BASE, cluster: CLUSTER_ID.replace('aks2', '-aks2') }, {}, {}, 'cluster',
      ["'-aks2' is not an AKS cluster name"]],
    ['cluster name starting with -', { ...BASE, cluster: '-aks' }, {}, {}, 'cluster', ['1 to 63 letters']],
    ['cluster name ending with _', { ...BASE, cluster: 'aks_' }, {}, {}, 'cluster', ['starting and ending with a letter or digit']],
    ['cluster name of 64 characters', { ...BASE, cluster: 'a'.repeat(64) }, {}, {}, 'cluster', ['1 to 63']],
    ['cluster name with a dot', { ...BASE, cluster: 'aks.prod' }, {}, {}, 'cluster', ['resource ID']],
    ['cluster name without resource-group', { ...BASE, 'resource-group': '' }, {}, {}, 'resource-group',
      ["Input 'resource-group' is required when input 'cluster' is a name ('aks1')", 'Microsoft.ContainerService/managedClusters']],
    ['cluster name and no subscription anywhere', { ...BASE, subscription: '' }, {}, { onPath: true, profile: profile([{ id: 'not-a-guid', isDefault: true }]) },
      'subscription', ["Input 'subscription' is required when input 'cluster' is a name", 'AZURE_SUBSCRIPTION_ID', 'az CLI', 'resource ID']],
    ['the same cluster twice, as a name and as an ID',
      { ...BASE, 'resource-group': 'RG2', subscription: SUB2, cluster: `AKS2\n${CLUSTER_ID}` }, {}, {}, 'cluster',
      [`'${CLUSTER_ID}'`, "same cluster as 'AKS2'", 'each cluster once']],
    // resource-group, subscription
    ['resource-group ending in .', { ...BASE, 'resource-group': 'rg.' }, {}, {}, 'resource-group', ["not ending in '.'"]],
    ['resource-group of 91 characters', { ...BASE, 'resource-group': 'r'.repeat(91) }, {}, {}, 'resource-group', ['1 to 90']],
    ['resource-group with a slash', { ...BASE, 'resource-group': 'rg/x' }, {}, {}, 'resource-group', ["'rg/x'"]],
    ['subscription not a GUID', { ...BASE, subscription: 'prod' }, {}, {}, 'subscription', ["'prod'", 'GUID']],
    ['AZURE_SUBSCRIPTION_ID not a GUID', { ...BASE, subscription: '' }, { AZURE_SUBSCRIPTION_ID: 'prod' }, {}, 'subscription',
      ['AZURE_SUBSCRIPTION_ID', "'prod'", 'GUID']],
    // registry
    ['registry missing', { ...BASE, registry: '' }, {}, {}, 'registry', ['is required', 'myacr.azurecr.io']],
    ['registry only commas', { ...BASE, registry: ' , ,' }, {}, {}, 'registry', ['is required']],
    ['registry name too short', { ...BASE, registry: 'acr1' }, {}, {}, 'registry', ['5 to 50 letters and digits']],
    ['registry name too long', { ...BASE, registry: 'a'.repeat(51) }, {}, {}, 'registry', ['5 to 50 letters and digits']],
    ['registry name with a dash', { ...BASE, registry: 'my-acr' }, {}, {}, 'registry', ['5 to 50 letters and digits']],
    ['registry docker.io', { ...BASE, registry: 'docker.io' }, {}, {}, 'registry', ['only Azure Container Registry login servers']],
    ['registry ghcr.io', { ...BASE, registry: 'https://ghcr.io/' }, {}, {}, 'registry', ['only Azure Container Registry login servers']],
    ['registry login server with a path', { ...BASE, registry: 'myacr.azurecr.io/team' }, {}, {}, 'registry', ['only Azure Container Registry login servers']],
    ['registry login server with http://', { ...BASE, registry: 'http://myacr.azurecr.io' }, {}, {}, 'registry', ['5 to 50 letters and digits', 'https://']],
    ['registry data endpoint', { ...BASE, registry: 'myacr.eastus.data.azurecr.io' }, {}, {}, 'registry', ['5 to 50 letters and digits']],
    ['registry of another cloud', { ...BASE, registry: 'myacr.azurecr.cn' }, {}, {}, 'registry',
      ["input 'cloud' is AzureCloud", 'AzureChinaCloud', '.azurecr.io']],
    ['registry of the public cloud while cloud is AzureUSGovernment', { ...BASE, cloud: 'AzureUSGovernment', registry: 'myacr.azurecr.io' }, {}, {}, 'registry',
      ["input 'cloud' is AzureUSGovernment", '.azurecr.us']],
    ['registry ID with the wrong provider', { ...BASE, registry: REGISTRY_ID.replace('Microsoft.ContainerRegistry', 'Microsoft.Storage') }, {}, {}, 'registry',
      ['not a Microsoft.ContainerRegistry/registries resource ID', '/providers/Microsoft.ContainerRegistry/registries/<name>']],
    ['registry ID with a non-GUID subscription', { ...BASE, registry: REGISTRY_ID.replace(SUB2, 'x') }, {}, {}, 'registry', ['not a GUID']],
    ['registry ID with an invalid name', { ...BASE, registry: REGISTRY_ID.replace('otheracr', 'acr') }, {}, {}, 'registry', ["'acr' is not a registry name"]],
    ['the same registry twice, as a name and as a login server', { ...BASE, registry: 'myacr, MYACR.azurecr.io' }, {}, {}, 'registry',
      ["same registry as 'myacr'", 'each registry once']],
    // images
    ['image with an upper-case repository', { ...BASE, images: 'nginx,myacr.azurecr.io/Team/app' }, {}, {}, 'images',
      ["'myacr.azurecr.io/Team/app'", 'lower-case', '[host[:port]/]repository[:tag][@digest]']],
    ['image a//b', { ...BASE, images: 'a//b' }, {}, {}, 'images', ['invalid reference format']],
    // enumerations, booleans, numbers
    ['fail-on sometimes', { ...BASE, 'fail-on': 'sometimes' }, {}, {}, 'fail-on',
      ["Input 'fail-on' has an invalid value 'sometimes'. Accepted: error, warning, never."]],
    ['cloud AzureGermanCloud', { ...BASE, cloud: 'AzureGermanCloud' }, {}, {}, 'cloud', ['AzureCloud, AzureChinaCloud, AzureUSGovernment']],
    ['summary yes', { ...BASE, summary: 'yes' }, {}, {}, 'summary', ['true, True, TRUE, false, False, FALSE']],
    ['summary tRUE', { ...BASE, summary: 'tRUE' }, {}, {}, 'summary', ['true, True, TRUE']],
    ['timeout 0', { ...BASE, timeout: '0' }, {}, {}, 'timeout', ['1 to 3600']],
    ['timeout 3601', { ...BASE, timeout: '3601' }, {}, {}, 'timeout', ['1 to 3600']],
    ['timeout 1.5', { ...BASE, timeout: '1.5' }, {}, {}, 'timeout', ['whole number of seconds']],
    ['timeout 2m', { ...BASE, timeout: '2m' }, {}, {}, 'timeout', ['whole number of seconds']],
    ['connect-timeout 0', { ...BASE, 'connect-timeout': '0' }, {}, {}, 'connect-timeout', ['1 to 60']],
    ['connect-timeout 61', { ...BASE, 'connect-timeout': '61' }, {}, {}, 'connect-timeout', ['1 to 60']],
    ['dns-servers host name', { ...BASE, 'dns-servers': 'dns.example.com' }, {}, {}, 'dns-servers', ['IPv4 address']],
    ['dns-servers bad octet', { ...BASE, 'dns-servers': '10.0.0.256' }, {}, {}, 'dns-servers', ['IPv4 address']],
    ['dns-servers bad port', { ...BASE, 'dns-servers': '10.0.0.4:70000' }, {}, {}, 'dns-servers', ['IPv4:port']],
    // endpoints
    ['arm-endpoint over http', { ...BASE, 'arm-endpoint': 'http://127.0.0.1:8080' }, {}, {}, 'arm-endpoint', ['https://']],
    ['arm-endpoint without a scheme', { ...BASE, 'arm-endpoint': 'management.azure.com' }, {}, {}, 'arm-endpoint', ['absolute https:// URL']],
    ['arm-endpoint with a query', { ...BASE, 'arm-endpoint': 'https://arm.example.com/?x=1' }, {}, {}, 'arm-endpoint', ['without query or fragment']],
    ['graph-endpoint with a fragment', { ...BASE, 'graph-endpoint': 'https://graph.example.com/#a' }, {}, {}, 'graph-endpoint',
      ['without query or fragment', 'https://graph.microsoft.com']],
    ['AZURE_AUTHORITY_HOST over http', BASE, { AZURE_AUTHORITY_HOST: 'http://login.example.com' }, {}, 'AZURE_AUTHORITY_HOST',
      ['environment variable AZURE_AUTHORITY_HOST', 'https://login.microsoftonline.com']],
    // auth
    ['auth basic', { ...BASE, auth: 'basic' }, {}, {}, 'auth', ['auto, oidc, azure-cli, environment, managed-identity']],
    ['oidc without client-id and tenant-id', { ...BASE, auth: 'oidc' }, {}, {}, 'client-id',
      ["'client-id' and 'tenant-id' are required", 'id-token: write']],
    ['oidc without tenant-id', { ...BASE, auth: 'oidc', 'client-id': CLIENT }, {}, {}, 'tenant-id', ["Input 'tenant-id' is required", 'id-token: write']],
    ['environment without the variables', { ...BASE, auth: 'environment' }, { AZURE_CLIENT_ID: CLIENT }, {}, 'auth',
      ['AZURE_TENANT_ID, AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE']],
    ['auto with client-id but no tenant-id (a half-given oidc sign-in)', { ...BASE, auth: 'auto', 'client-id': CLIENT },
      ENV_CREDS, AZ_LOGGED_IN, 'tenant-id', ["'client-id' is set", 'tenant-id', 'auto, oidc, azure-cli, environment, managed-identity']],
    ['auto with no way to sign in (az on PATH, not signed in)', { ...BASE, auth: 'auto' },
      { AZURE_CLIENT_ID: CLIENT, AZURE_TENANT_ID: TENANT }, { onPath: true, profile: profile([]) }, 'auth',
      ['azure/login', 'client-id and tenant-id', 'id-token: write', 'AZURE_CLIENT_ID', 'managed-identity']],
    ['client-id not a GUID', { ...BASE, 'client-id': 'my-app' }, {}, {}, 'client-id', ['GUID']],
    ['tenant-id neither GUID nor domain', { ...BASE, 'tenant-id': 'contoso' }, {}, {}, 'tenant-id', ['contoso.onmicrosoft.com']],
    ['kubelet-object-id not a GUID', { ...BASE, 'kubelet-object-id': '1234' }, {}, {}, 'kubelet-object-id', ['GUID']],
  ])('%s', (_title, inputs, env, az, input, fragments) => {
    let error: unknown;
    try {
      run(inputs, env, az);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const { message, input: named } = error as InputError;
    expect(named).toBe(input);
    expect(message).toContain(input);
    expect(message).toContain('Accepted:');
    for (const fragment of fragments) expect(message).toMatch(fragment);
  });
});

describe('getInputs: a pull request from a fork (no OIDC ID token, no secrets or variables)', () => {
  const FORK_INPUTS: Inputs = { cluster: 'aks1', 'resource-group': 'rg1', registry: 'myacr' };
  const event = (head: string): Env => {
    const path = join(dir, 'event.json');
    writeFileSync(path, JSON.stringify({ pull_request: { number: 3, head: { sha: 'abc', repo: { full_name: head } }, base: { repo: { full_name: 'o/r' } } } }));
    return { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path, ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined };
  };

  test.each<[string, Inputs]>([
    ['auth auto (the default)', FORK_INPUTS],
    ['auth oidc with the empty client-id and tenant-id of a fork', { ...FORK_INPUTS, auth: 'oidc', 'client-id': '', 'tenant-id': '' }],
  ])('%s: no sign-in input is required, and Azure is marked unavailable with the reason and the fix', (_, inputs) => {
    const config = run(inputs, event('m/r'));
    expect(config.auth).toBe('oidc');
    expect(config.azureUnavailable?.reason).toContain('pull request #3 from m/r');
    expect(config.azureUnavailable?.fix).toContain('pull_request_target');
    expect(config.clusters).toEqual([{ kind: 'name', input: 'aks1', name: 'aks1', resourceGroup: 'rg1', subscriptionId: '' }]);
  });

  test('an explicit auth other than oidc is left as it is', () => {
    expect(run({ ...FORK_INPUTS, auth: 'azure-cli', subscription: SUB }, event('m/r')).azureUnavailable).toBeUndefined();
  });

  test.each<[string, Env]>([
    ['the same repository', {}],
    ['a fork with an ID token', { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' }],
  ])('%s: the inputs are required as ever', (name, env) => {
    const e = { ...event(name === 'the same repository' ? 'o/r' : 'm/r'), ...env };
    expect(() => run(FORK_INPUTS, e)).toThrow(InputError);
  });
});
