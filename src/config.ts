// Turns the raw action inputs into a Config, or an InputError that names the input and says what it accepts.
// Pure: no network, no @actions import; the environment and the az CLI profile come in through ConfigContext.

import { tmpdir } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { CLOUDS, CLOUD_NAMES } from './clouds.js';
import { parseImageRef } from './image-ref.js';
import type { AuthMode, AzureUnavailable, Cloud, ClusterRef, ClusterTag, Config, FailOn, FleetSelection, ImageRef, RegistryRef } from './model.js';

/** One string per input of action.yml; '' means not given. */
export interface RawInputs {
  cluster: string;
  resourceGroup: string;
  registry: string;
  subscription: string;
  images: string;
  failOn: string;
  cloud: string;
  armEndpoint: string;
  graphEndpoint: string;
  auth: string;
  clientId: string;
  tenantId: string;
  kubeletObjectId: string;
  reportPath: string;
  summary: string;
  timeout: string;
  dnsServers: string;
  connectTimeout: string;
  manifests: string;
  comment: string;
  githubToken: string;
  sarifPath: string;
  remediate: string;
  inCluster: string;
  namespace: string;
  probeImage: string;
  clusterTags: string;
}

/** The input names as action.yml spells them. */
export const INPUT_NAMES: Readonly<Record<keyof RawInputs, string>> = {
  cluster: 'cluster',
  resourceGroup: 'resource-group',
  registry: 'registry',
  subscription: 'subscription',
  images: 'images',
  failOn: 'fail-on',
  cloud: 'cloud',
  armEndpoint: 'arm-endpoint',
  graphEndpoint: 'graph-endpoint',
  auth: 'auth',
  clientId: 'client-id',
  tenantId: 'tenant-id',
  kubeletObjectId: 'kubelet-object-id',
  reportPath: 'report-path',
  summary: 'summary',
  timeout: 'timeout',
  dnsServers: 'dns-servers',
  connectTimeout: 'connect-timeout',
  manifests: 'manifests',
  comment: 'comment',
  githubToken: 'github-token',
  sarifPath: 'sarif-path',
  remediate: 'remediate',
  inCluster: 'in-cluster',
  namespace: 'namespace',
  probeImage: 'probe-image',
  clusterTags: 'cluster-tags',
};

export interface ConfigContext {
  env: Record<string, string | undefined>;
  /** the az CLI's default subscription id, if it has one */
  azCliDefaultSubscription?: () => string | undefined;
  /** true when the az CLI is installed and signed in */
  azCliAvailable?: () => boolean;
  /**
   * set when the run cannot sign in to Azure at all (a pull request from a fork: no OIDC ID token, no
   * secrets or variables). With auth auto or oidc the sign-in inputs are then not required, and the
   * checks that read Azure are skipped
   */
  azureUnavailable?: AzureUnavailable;
}

/** An invalid input; `input` is the action input (or environment variable) to fix. */
export class InputError extends Error {
  readonly input: string;
  constructor(input: string, message: string) {
    super(message);
    this.name = 'InputError';
    this.input = input;
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const AKS_NAME = /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/i;
const RESOURCE_GROUP = /^[-\p{L}\p{N}_().]{0,89}[-\p{L}\p{N}_()]$/u;
const REGISTRY_NAME = /^[a-z0-9]{5,50}$/i;
/** a login server's first label: the registry name, optionally with a domain-name-label hash (myacr-abc123) */
const LOGIN_SERVER_LABEL = /^[a-z0-9]{5,50}(?:-[a-z0-9]+)?$/;

const CLUSTER_TYPE = 'Microsoft.ContainerService/managedClusters';
const REGISTRY_TYPE = 'Microsoft.ContainerRegistry/registries';
const idForm = (type: string): string =>
  `/subscriptions/<subscription GUID>/resourceGroups/<resource group>/providers/${type}/<name>`;

const ACCEPT = {
  guid: 'a GUID such as 00000000-0000-0000-0000-000000000000',
  subscription: 'a subscription GUID such as 00000000-0000-0000-0000-000000000000',
  cluster:
    "'*' alone (every AKS cluster in resource-group, else subscription, else every subscription the credential can read), or one cluster per line, each an AKS cluster name (1 to 63 letters, digits, '-' and '_', starting and ending with a letter or digit) " +
    `together with resource-group, or a resource ID ${idForm(CLUSTER_TYPE)}`,
  resourceGroup: "1 to 90 letters, digits, '_', '(', ')', '-' and '.', not ending in '.'",
  registry: (cloud: Cloud) =>
    'registries separated by newlines or commas, each a registry name (5 to 50 letters and digits, e.g. myacr), ' +
    `a login server (myacr.${cloud.acrSuffix}, optionally with https:// and a trailing /) or a resource ID ${idForm(REGISTRY_TYPE)}`,
  images:
    'image references separated by newlines or commas, each [host[:port]/]repository[:tag][@digest], e.g. myacr.azurecr.io/team/app:1.2 or nginx',
  tenant: 'a tenant GUID or a domain such as contoso.onmicrosoft.com',
  url: (example: string) => `an absolute https:// URL without query or fragment, e.g. ${example}`,
  timeout: 'a whole number of seconds from 1 to 3600',
  connectTimeout: 'a whole number of seconds from 1 to 60',
  dnsServers: 'DNS server addresses separated by newlines or commas, each an IPv4 address (10.0.0.4), IPv4:port (10.0.0.4:53), an IPv6 address or [IPv6]:port',
  auth: 'auto, oidc, azure-cli, environment, managed-identity',
  manifests: 'files, directories or globs (e.g. k8s/**/*.yaml), one per line',
  namespace: "a Kubernetes namespace name: 1 to 63 lower-case letters, digits and '-', starting and ending with a letter or digit",
  probeImage: 'one image reference [host[:port]/]repository[:tag][@digest], e.g. myacr.azurecr.io/probe:1',
  clusterTags: "tags as key=value, one per line (e.g. env=prod); a key alone matches any value",
};

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'never'];
const AUTH_MODES = ['auto', 'oidc', 'azure-cli', 'environment', 'managed-identity'] as const;
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];
const ENVIRONMENT_SECRETS = ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_FEDERATED_TOKEN_FILE'];

/** What each input takes, as the CLI's help shows it (`--fail-on <error|warning|never>`): the accepted
 *  values themselves where the input takes one of a list. Descriptions come from action.yml (src/inputs-doc.ts). */
export const INPUT_VALUES: Readonly<Record<keyof RawInputs, string>> = {
  cluster: 'name|resource ID',
  resourceGroup: 'name',
  registry: 'name|login server|resource ID',
  subscription: 'subscription ID',
  images: 'image reference',
  failOn: FAIL_ON.join('|'),
  cloud: CLOUD_NAMES.join('|'),
  armEndpoint: 'https URL',
  graphEndpoint: 'https URL',
  auth: AUTH_MODES.join('|'),
  clientId: 'GUID',
  tenantId: 'GUID|domain',
  kubeletObjectId: 'GUID',
  reportPath: 'path',
  summary: 'true|false',
  timeout: 'seconds',
  dnsServers: 'ip[:port]',
  connectTimeout: 'seconds',
  manifests: 'file|directory|glob',
  comment: 'true|false',
  githubToken: 'token',
  sarifPath: 'path',
  remediate: 'true|false',
  inCluster: 'true|false',
  namespace: 'namespace',
  probeImage: 'image reference',
  clusterTags: 'key=value',
};

function invalid(input: string, value: string, accepted: string, reason?: string): InputError {
  return new InputError(
    input,
    `Input '${input}' has an invalid value '${value}'${reason ? `: ${reason}` : ''}. Accepted: ${accepted}.`,
  );
}

function split(raw: string, separators: RegExp): string[] {
  return raw.split(separators).map((s) => s.trim()).filter((s) => s !== '');
}

function oneOf<T extends string>(input: string, raw: string, values: readonly T[], fallback: T): T {
  if (raw === '') return fallback;
  const found = values.find((v) => v.toLowerCase() === raw.toLowerCase());
  if (found === undefined) throw invalid(input, raw, values.join(', '));
  return found;
}

function guid(input: string, raw: string): string | undefined {
  if (raw === '') return undefined;
  if (!GUID.test(raw)) throw invalid(input, raw, ACCEPT.guid);
  return raw.toLowerCase();
}

/** An absolute https URL without query or fragment, trailing slashes removed. */
function httpsUrl(raw: string, fail: () => InputError): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fail();
  }
  if (!/^https:\/\//i.test(raw) || /[?#]/.test(raw) || url.username !== '' || url.password !== '') throw fail();
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function endpoint(input: string, raw: string, fallback: string): string {
  return raw === '' ? fallback : httpsUrl(raw, () => invalid(input, raw, ACCEPT.url(fallback)));
}

function timeoutMs(raw: string): number {
  if (raw === '') return 120_000;
  const seconds = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(seconds >= 1 && seconds <= 3600)) throw invalid(INPUT_NAMES.timeout, raw, ACCEPT.timeout);
  return seconds * 1000;
}

function connectTimeoutMs(raw: string): number {
  if (raw === '') return 5_000;
  const seconds = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(seconds >= 1 && seconds <= 60)) throw invalid(INPUT_NAMES.connectTimeout, raw, ACCEPT.connectTimeout);
  return seconds * 1000;
}

/** DNS servers in the forms node:dns setServers takes. */
function dnsServers(raw: string): string[] {
  return split(raw, /[\n,]/).map((s) => {
    const v4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
    const [host, p] = /^\[(.+)\](?::(\d+))?$/.exec(s)?.slice(1) ?? (/^[^:]+:\d+$/.test(s) ? s.split(':') : [s, undefined]);
    const okPort = p === undefined || (/^\d{1,5}$/.test(p) && Number(p) >= 1 && Number(p) <= 65535);
    const okHost = host !== undefined && (v4.test(host) || (host.includes(':') && isIP(host) === 6));
    if (!okHost || !okPort) throw invalid(INPUT_NAMES.dnsServers, s, ACCEPT.dnsServers);
    return s;
  });
}

/** A true/false input (YAML 1.2 core schema booleans, as @actions/core's getBooleanInput takes them). */
function boolean(input: string, raw: string, fallback: boolean): boolean {
  if (raw === '') return fallback;
  if (TRUE.includes(raw)) return true;
  if (FALSE.includes(raw)) return false;
  throw invalid(input, raw, [...TRUE, ...FALSE].join(', '));
}

const NAMESPACE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function namespace(raw: string): string | undefined {
  if (raw === '') return undefined;
  if (!NAMESPACE.test(raw)) throw invalid(INPUT_NAMES.namespace, raw, ACCEPT.namespace);
  return raw;
}

function probeImage(raw: string): ImageRef | undefined {
  if (raw === '') return undefined;
  try {
    return parseImageRef(raw);
  } catch (error) {
    throw invalid(INPUT_NAMES.probeImage, raw, ACCEPT.probeImage, error instanceof Error ? error.message : String(error));
  }
}

/** key=value (or a key alone), one per line; keys as ARM allows them (no < > % & \\ ? /). */
function clusterTags(raw: string): ClusterTag[] {
  return split(raw, /\r?\n/).map((line) => {
    const at = line.indexOf('=');
    const key = (at < 0 ? line : line.slice(0, at)).trim();
    const value = at < 0 ? undefined : line.slice(at + 1).trim();
    if (key === '' || key.length > 512 || /[<>%&\\?/]/.test(key)) throw invalid(INPUT_NAMES.clusterTags, line, ACCEPT.clusterTags);
    return value === undefined ? { key } : { key, value };
  });
}

/** subscription input, else AZURE_SUBSCRIPTION_ID, else the az CLI's default; lower-case. */
function defaultSubscription(raw: string, ctx: ConfigContext): string | undefined {
  const input = INPUT_NAMES.subscription;
  if (raw !== '') return guid(input, raw);
  const fromEnv = ctx.env.AZURE_SUBSCRIPTION_ID;
  if (fromEnv) {
    if (!GUID.test(fromEnv)) {
      throw new InputError(
        input,
        `Input '${input}' is not set and the environment variable AZURE_SUBSCRIPTION_ID has an invalid value '${fromEnv}'. Accepted: ${ACCEPT.subscription}.`,
      );
    }
    return fromEnv.toLowerCase();
  }
  const fromAz = ctx.azCliDefaultSubscription?.();
  return fromAz !== undefined && GUID.test(fromAz) ? fromAz.toLowerCase() : undefined;
}

/** `/subscriptions/{guid}/resourceGroups/{rg}/providers/{type}/{name}`, segments case-insensitive, trailing slash tolerated. */
function resourceId(input: string, value: string, type: string, accepted: string) {
  const pattern = new RegExp(
    `^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/${type.replaceAll('.', '\\.')}/([^/]+)/?$`,
    'i',
  );
  const match = pattern.exec(value);
  if (!match) throw invalid(input, value, accepted, `not a ${type} resource ID`);
  const [, subscription = '', group = '', name = ''] = match;
  if (!GUID.test(subscription)) throw invalid(input, value, accepted, `the subscription '${subscription}' is not a GUID`);
  if (!RESOURCE_GROUP.test(group)) throw invalid(input, value, accepted, `the resource group must be ${ACCEPT.resourceGroup}`);
  const subscriptionId = subscription.toLowerCase();
  return { id: `/subscriptions/${subscriptionId}/resourceGroups/${group}/providers/${type}/${name}`, subscriptionId, resourceGroup: group, name };
}

function clusters(raw: RawInputs, subscriptionId: string | undefined): ClusterRef[] {
  const input = INPUT_NAMES.cluster;
  const values = split(raw.cluster, /\r?\n/);
  if (values.length === 0) throw new InputError(input, `Input '${input}' is required. Accepted: ${ACCEPT.cluster}.`);
  if (values.includes('*')) {
    if (values.length > 1) throw invalid(input, values.join(', '), ACCEPT.cluster, "'*' stands alone: it already means every cluster");
    return [];
  }
  const seen = new Map<string, string>();
  return values.map((value): ClusterRef => {
    let ref: ClusterRef;
    if (value.startsWith('/')) {
      const id = resourceId(input, value, CLUSTER_TYPE, ACCEPT.cluster);
      if (!AKS_NAME.test(id.name)) throw invalid(input, value, ACCEPT.cluster, `'${id.name}' is not an AKS cluster name`);
      ref = { kind: 'id', input: value, ...id };
    } else {
      if (!AKS_NAME.test(value)) throw invalid(input, value, ACCEPT.cluster);
      const rgInput = INPUT_NAMES.resourceGroup;
      if (raw.resourceGroup === '') {
        throw new InputError(
          rgInput,
          `Input '${rgInput}' is required when input '${input}' is a name ('${value}'). Accepted: ${ACCEPT.resourceGroup}; or give '${input}' as a resource ID ${idForm(CLUSTER_TYPE)}.`,
        );
      }
      if (subscriptionId === undefined) {
        const subInput = INPUT_NAMES.subscription;
        throw new InputError(
          subInput,
          `Input '${subInput}' is required when input '${input}' is a name ('${value}'), and none was found. Accepted: ${ACCEPT.subscription}, ` +
            `given as input '${subInput}', as the environment variable AZURE_SUBSCRIPTION_ID, or as the az CLI's default subscription (sign in with an azure/login step first); ` +
            `or give '${input}' as a resource ID ${idForm(CLUSTER_TYPE)}.`,
        );
      }
      ref = { kind: 'name', input: value, name: value, resourceGroup: raw.resourceGroup, subscriptionId };
    }
    const key = `${ref.subscriptionId}/${ref.resourceGroup}/${ref.name}`.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw invalid(input, value, 'each cluster once', `it names the same cluster as '${earlier}'`);
    }
    seen.set(key, value);
    return ref;
  });
}

/** cluster: * — in resource-group (which needs a subscription), else in the subscription, else everywhere the credential reads. */
function fleetSelection(raw: RawInputs, subscriptionId: string | undefined): FleetSelection {
  if (raw.resourceGroup === '') return subscriptionId === undefined ? {} : { subscriptionId };
  if (subscriptionId === undefined) {
    const subInput = INPUT_NAMES.subscription;
    throw new InputError(
      subInput,
      `Input '${subInput}' is required when input 'cluster' is '*' and input 'resource-group' is set, and none was found. Accepted: ${ACCEPT.subscription}, ` +
        `given as input '${subInput}', as the environment variable AZURE_SUBSCRIPTION_ID, or as the az CLI's default subscription; or leave out 'resource-group' to look in every subscription.`,
    );
  }
  return { subscriptionId, resourceGroup: raw.resourceGroup };
}

function registry(value: string, cloud: Cloud): RegistryRef {
  const input = INPUT_NAMES.registry;
  const accepted = ACCEPT.registry(cloud);
  if (value.startsWith('/')) {
    const id = resourceId(input, value, REGISTRY_TYPE, accepted);
    if (!REGISTRY_NAME.test(id.name)) throw invalid(input, value, accepted, `'${id.name}' is not a registry name`);
    return { kind: 'id', input: value, ...id, name: id.name.toLowerCase() };
  }
  if (!/[./:]/.test(value)) {
    if (!REGISTRY_NAME.test(value)) throw invalid(input, value, accepted, 'a registry name is 5 to 50 letters and digits');
    return { kind: 'name', input: value, name: value.toLowerCase() };
  }
  const host = value.replace(/^https:\/\//i, '').replace(/\/$/, '').toLowerCase();
  const suffix = `.${cloud.acrSuffix}`;
  if (host.endsWith(suffix)) {
    const label = host.slice(0, -suffix.length);
    if (!LOGIN_SERVER_LABEL.test(label)) {
      throw invalid(input, value, accepted, `the part before ${suffix} must be a registry name of 5 to 50 letters and digits`);
    }
    return { kind: 'loginServer', input: value, loginServer: host, name: label };
  }
  const other = Object.values(CLOUDS).find((c) => host.endsWith(`.${c.acrSuffix}`));
  if (other !== undefined) {
    throw new InputError(
      input,
      `Input '${input}' has an invalid value '${value}': it is a login server of ${other.name}, but input 'cloud' is ${cloud.name}. ` +
        `Accepted: login servers ending in ${suffix}, or set input 'cloud' to ${other.name}.`,
    );
  }
  throw invalid(input, value, accepted, `only Azure Container Registry login servers (<name>${suffix}) are accepted`);
}

function registries(raw: string, cloud: Cloud): RegistryRef[] {
  const input = INPUT_NAMES.registry;
  const values = split(raw, /[\r\n,]+/);
  if (values.length === 0) throw new InputError(input, `Input '${input}' is required. Accepted: ${ACCEPT.registry(cloud)}.`);
  const seen = new Map<string, string>();
  return values.map((value) => {
    const ref = registry(value, cloud);
    const earlier = seen.get(ref.name);
    if (earlier !== undefined) throw invalid(input, value, 'each registry once', `it names the same registry as '${earlier}'`);
    seen.set(ref.name, value);
    return ref;
  });
}

function images(raw: string): ImageRef[] {
  return split(raw, /[\r\n,]+/).map((value) => {
    try {
      return parseImageRef(value);
    } catch (error) {
      throw invalid(INPUT_NAMES.images, value, ACCEPT.images, error instanceof Error ? error.message : String(error));
    }
  });
}

function auth(raw: RawInputs, clientId: string | undefined, tenantId: string | undefined, ctx: ConfigContext): AuthMode {
  const input = INPUT_NAMES.auth;
  const mode = oneOf(input, raw.auth, AUTH_MODES, 'auto');
  const missingEnvironment = [
    ...['AZURE_CLIENT_ID', 'AZURE_TENANT_ID'].filter((name) => !ctx.env[name]),
    ...(ENVIRONMENT_SECRETS.some((name) => ctx.env[name]) ? [] : [ENVIRONMENT_SECRETS.join(' or ')]),
  ];
  switch (mode) {
    case 'oidc': {
      const missing = [
        ...(clientId === undefined ? [INPUT_NAMES.clientId] : []),
        ...(tenantId === undefined ? [INPUT_NAMES.tenantId] : []),
      ];
      if (missing.length === 0) return mode;
      throw new InputError(
        missing[0] ?? input,
        `Input${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required when input 'auth' is oidc ` +
          `(the job also needs permissions: id-token: write). Accepted: client-id ${ACCEPT.guid}; tenant-id ${ACCEPT.tenant}.`,
      );
    }
    case 'environment':
      if (missingEnvironment.length === 0) return mode;
      throw new InputError(
        input,
        `Input 'auth' is environment, but these environment variables are not set: ${missingEnvironment.join(', ')}. ` +
          `Accepted: ${ACCEPT.auth}; environment needs AZURE_CLIENT_ID, AZURE_TENANT_ID and ${ENVIRONMENT_SECRETS.join(' or ')}.`,
      );
    case 'auto':
      if (clientId !== undefined && tenantId !== undefined) return 'oidc';
      // client-id alone is a half-given oidc sign-in, not a reason to fall back to another credential
      if (clientId !== undefined) {
        throw new InputError(
          INPUT_NAMES.tenantId,
          `Input 'client-id' is set but input 'tenant-id' is not: with auth auto, client-id and tenant-id together select oidc. ` +
            `Accepted: tenant-id ${ACCEPT.tenant}; or remove client-id, or set auth explicitly (${ACCEPT.auth}).`,
        );
      }
      if (ctx.azCliAvailable?.() === true) return 'azure-cli';
      if (missingEnvironment.length === 0) return 'environment';
      throw new InputError(
        input,
        `Input 'auth' is auto and found no way to sign in. Accepted: ${ACCEPT.auth}. Either add an azure/login step before this one (azure-cli); ` +
          `or set client-id and tenant-id and give the job permissions: id-token: write (oidc); ` +
          `or set the environment variables AZURE_CLIENT_ID, AZURE_TENANT_ID and ${ENVIRONMENT_SECRETS.join(' or ')} (environment); ` +
          `or, on a self-hosted runner on Azure, set auth: managed-identity.`,
      );
    default:
      return mode;
  }
}

export function parseConfig(raw: RawInputs, ctx: ConfigContext): Config {
  const cloud = CLOUDS[oneOf(INPUT_NAMES.cloud, raw.cloud, CLOUD_NAMES, 'AzureCloud')];
  const failOn = oneOf(INPUT_NAMES.failOn, raw.failOn, FAIL_ON, 'error');
  const armEndpoint = endpoint(INPUT_NAMES.armEndpoint, raw.armEndpoint, cloud.armEndpoint);
  const graphEndpoint = endpoint(INPUT_NAMES.graphEndpoint, raw.graphEndpoint, cloud.graphEndpoint);
  const authorityEnv = ctx.env.AZURE_AUTHORITY_HOST;
  const authorityHost = authorityEnv
    ? httpsUrl(authorityEnv, () => new InputError(
        'AZURE_AUTHORITY_HOST',
        `The environment variable AZURE_AUTHORITY_HOST has an invalid value '${authorityEnv}'. Accepted: ${ACCEPT.url(cloud.authorityHost)}; or unset it to use the cloud's.`,
      ))
    : cloud.authorityHost;
  if (raw.resourceGroup !== '' && !RESOURCE_GROUP.test(raw.resourceGroup)) {
    throw invalid(INPUT_NAMES.resourceGroup, raw.resourceGroup, ACCEPT.resourceGroup);
  }
  // A pull request from a fork: with auth auto or oidc nothing can sign in, so no sign-in input is required.
  const mode = oneOf(INPUT_NAMES.auth, raw.auth, AUTH_MODES, 'auto');
  const offline = mode === 'auto' || mode === 'oidc' ? ctx.azureUnavailable : undefined;
  const subscription = defaultSubscription(raw.subscription, ctx) ?? (offline && '');
  const clusterRefs = clusters(raw, subscription);
  const fleet = clusterRefs.length === 0 ? fleetSelection(raw, subscription) : undefined;
  if (fleet && boolean(INPUT_NAMES.remediate, raw.remediate, false)) {
    // the one write the action makes goes to clusters someone named, never to whatever a query found
    throw new InputError(
      INPUT_NAMES.remediate,
      `Input 'remediate' is true while input 'cluster' is '*': remediate creates role assignments only for clusters named one by one. Accepted: remediate false with cluster '*', or cluster given as names or resource IDs (one per line) with remediate true.`,
    );
  }
  const registryRefs = registries(raw.registry, cloud);
  const imageRefs = images(raw.images);
  const clientId = guid(INPUT_NAMES.clientId, raw.clientId);
  if (raw.tenantId !== '' && !GUID.test(raw.tenantId) && !DOMAIN.test(raw.tenantId)) {
    throw invalid(INPUT_NAMES.tenantId, raw.tenantId, ACCEPT.tenant);
  }
  const tenantId = raw.tenantId === '' ? undefined : raw.tenantId.toLowerCase();
  const kubeletObjectId = guid(INPUT_NAMES.kubeletObjectId, raw.kubeletObjectId);
  const config: Config = {
    clusters: clusterRefs,
    registries: registryRefs,
    // cluster: * without a subscription: the first discovered cluster's, as for an explicit cluster ID
    subscriptionId: subscription ?? clusterRefs[0]?.subscriptionId ?? '',
    images: imageRefs,
    failOn,
    cloud,
    armEndpoint,
    graphEndpoint,
    authorityHost,
    auth: offline ? 'oidc' : auth(raw, clientId, tenantId, ctx),
    reportPath: raw.reportPath || join(ctx.env.RUNNER_TEMP || tmpdir(), 'aks-acr-preflight.json'),
    summary: boolean(INPUT_NAMES.summary, raw.summary, true),
    manifests: split(raw.manifests, /\r?\n/),
    comment: boolean(INPUT_NAMES.comment, raw.comment, false),
    remediate: boolean(INPUT_NAMES.remediate, raw.remediate, false),
    inCluster: boolean(INPUT_NAMES.inCluster, raw.inCluster, false),
    clusterTags: clusterTags(raw.clusterTags),
    timeoutMs: timeoutMs(raw.timeout),
    dnsServers: dnsServers(raw.dnsServers),
    connectTimeoutMs: connectTimeoutMs(raw.connectTimeout),
  };
  if (fleet !== undefined) config.fleet = fleet;
  if (offline) config.azureUnavailable = offline;
  if (clientId !== undefined) config.clientId = clientId;
  if (tenantId !== undefined) config.tenantId = tenantId;
  if (kubeletObjectId !== undefined) config.kubeletObjectId = kubeletObjectId;
  if (raw.githubToken !== '') config.githubToken = raw.githubToken;
  if (raw.sarifPath !== '') config.sarifPath = raw.sarifPath;
  const ns = namespace(raw.namespace);
  if (ns !== undefined) config.namespace = ns;
  const probe = probeImage(raw.probeImage);
  if (probe !== undefined) config.probeImage = probe;
  return config;
}
