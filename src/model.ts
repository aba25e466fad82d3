// The engine's vocabulary: parsed configuration, facts read from Azure, findings, the report.
// Nothing here does I/O and nothing here knows GitHub exists.

export type Status = 'pass' | 'warn' | 'fail' | 'unknown' | 'skip';
export type Verdict = 'pass' | 'warn' | 'fail';
export type CheckId =
  | 'cluster'
  | 'registry'
  | 'pull-permission'
  | 'registry-network'
  | 'registry-dns'
  | 'registry-endpoint'
  | 'image'
  | 'in-cluster-pull'
  | 'pod-symptoms'
  | 'pull-secret';
/** Whose network a check looks through: the runner's (DNS, /v2/, images) or the cluster's (from ARM). */
export type NetworkPath = 'runner' | 'cluster';
export type FailOn = 'error' | 'warning' | 'never';
export type CloudName = 'AzureCloud' | 'AzureChinaCloud' | 'AzureUSGovernment';
export type AuthMode = 'oidc' | 'azure-cli' | 'environment' | 'managed-identity';

export interface Cloud {
  name: CloudName;
  /** ARM base URL without a trailing slash, e.g. https://management.azure.com */
  armEndpoint: string;
  /** the token scope for ARM, e.g. https://management.azure.com/.default */
  armScope: string;
  /** Entra authority host, e.g. https://login.microsoftonline.com */
  authorityHost: string;
  /** Microsoft Graph base URL without a trailing slash */
  graphEndpoint: string;
  /** the token scope for Graph, e.g. https://graph.microsoft.com/.default */
  graphScope: string;
  /** login-server suffix, e.g. azurecr.io */
  acrSuffix: string;
}

/** A cluster as the user named it. */
export type ClusterRef =
  | { kind: 'id'; input: string; id: string; subscriptionId: string; resourceGroup: string; name: string }
  | { kind: 'name'; input: string; name: string; resourceGroup: string; subscriptionId: string };

/** A registry as the user named it. `name` is the registry name (derived from a login server when given one). */
export type RegistryRef =
  | { kind: 'name'; input: string; name: string }
  | { kind: 'loginServer'; input: string; loginServer: string; name: string }
  | { kind: 'id'; input: string; id: string; subscriptionId: string; resourceGroup: string; name: string };

/** An image reference parsed with the distribution reference grammar. */
export interface ImageRef {
  input: string;
  /** registry host (with port), lower-case; docker.io for Docker Hub */
  host: string;
  /** repository path, e.g. library/nginx or team/app */
  repository: string;
  tag?: string;
  digest?: string;
  /** why the reference cannot be pulled as written (a template placeholder, no tag or digest): a `warn` on its line */
  unusable?: { kind: 'placeholder' | 'untagged'; detail: string };
  /** every place the image appears in `manifests`, first first (absent for an `images` entry alone) */
  uses?: ImageUse[];
  /** named in the `images` input as well as in `manifests`: judged on every node pool, as an `images` entry is */
  given?: true;
}

// ── Workloads from manifests ──────────────────────────────────────────────────────────────────────

export interface Toleration {
  key?: string;
  /** Equal (default) or Exists */
  operator?: string;
  value?: string;
  /** NoSchedule, PreferNoSchedule, NoExecute; absent: all effects */
  effect?: string;
}

export interface NodeSelectorRequirement {
  key: string;
  /** In, NotIn, Exists, DoesNotExist, Gt, Lt */
  operator: string;
  values: string[];
}

/** What decides which nodes a pod can land on, as the pod spec says it. */
export interface PodPlacement {
  nodeSelector: Record<string, string>;
  /** requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: the terms are ORed, each term's matchExpressions ANDed; empty: no requirement */
  requiredTerms: NodeSelectorRequirement[][];
  tolerations: Toleration[];
}

/** A workload (any object with a pod spec) read from a manifest. */
export interface Workload {
  /** Deployment, CronJob, Rollout, Pod, … */
  kind: string;
  name: string;
  namespace?: string;
  /** where the object starts (its first line) */
  source: ImageSource;
  placement: PodPlacement;
  serviceAccountName?: string;
  /** spec.imagePullSecrets[].name */
  imagePullSecrets: string[];
}

/** One place an image appears in the manifests. */
export interface ImageUse {
  source: ImageSource;
  workload: Workload;
  container: string;
  containerKind: 'containers' | 'initContainers' | 'ephemeralContainers';
}

export interface Config {
  clusters: ClusterRef[];
  registries: RegistryRef[];
  /** the subscription a registry given by name is looked for first (the cluster's, else the default) */
  subscriptionId: string;
  images: ImageRef[];
  failOn: FailOn;
  cloud: Cloud;
  /** ARM base URL actually called (arm-endpoint input, else the cloud's), no trailing slash */
  armEndpoint: string;
  /** Graph base URL actually called, no trailing slash */
  graphEndpoint: string;
  /** Entra authority host actually used */
  authorityHost: string;
  auth: AuthMode;
  clientId?: string;
  tenantId?: string;
  kubeletObjectId?: string;
  reportPath: string;
  summary: boolean;
  /** overall time budget for all Azure reads, in milliseconds */
  timeoutMs: number;
  /** DNS servers the runner-side probes ask ("ip[:port]"); empty: the system's */
  dnsServers: string[];
  /** connect + TLS handshake budget of each registry request, in milliseconds */
  connectTimeoutMs: number;
  /** the manifests input: files, directories or globs, as given (read by the adapter before any Azure call) */
  manifests: string[];
  /** create or update the sticky PR comment */
  comment: boolean;
  /** the token for the PR comment (a secret: masked by the adapter) */
  githubToken?: string;
  /** where to write SARIF 2.1.0 */
  sarifPath?: string;
  /** create the missing pull role assignment (the only write the action makes) */
  remediate: boolean;
  /** prove the pull from inside the cluster through AKS Run Command */
  inCluster: boolean;
  /** the namespace of in-cluster probes and of the pod scan */
  namespace?: string;
  /** the image an in-cluster probe pulls when no image of that registry is known */
  probeImage?: ImageRef;
  /** with cluster: *, the tags every cluster must carry */
  clusterTags: ClusterTag[];
  /** cluster: * — every AKS cluster in this resource group, else subscription, else every readable subscription; `clusters` is then filled by discovery */
  fleet?: FleetSelection;
  /** set when nothing can sign in to Azure (a pull request from a fork has no OIDC ID token): the checks that read Azure are `skip` with this reason and fix, never `pass` */
  azureUnavailable?: AzureUnavailable;
}

/** Where `cluster: *` looks for clusters: a resource group (of `subscriptionId`), a subscription, or (neither) every subscription the credential can read. */
export interface FleetSelection {
  subscriptionId?: string;
  resourceGroup?: string;
}

/** How the fleet's facts were read in bulk: Azure Resource Graph, or ARM reads when Resource Graph was not available. */
export interface ReportFleet {
  source: 'resource-graph' | 'arm';
  /** one sentence for the summary: which path, and why the fallback when there was one */
  note: string;
  /** clusters found (after cluster-tags), when `cluster: *` */
  discovered?: number;
  /** answers 429 met (and waited out) during the run */
  throttled?: number;
}

/** Why this run cannot read Azure at all, and how to get a run that can. */
export interface AzureUnavailable {
  reason: string;
  fix: string;
}

/** A tag a cluster must carry (`value` absent: any value). */
export interface ClusterTag {
  key: string;
  value?: string;
}

/** Where an image taken from manifests appears. */
export interface ImageSource {
  /** relative to the workspace, with '/' separators */
  file: string;
  /** 1-based line of the image value */
  line: number;
  endLine?: number;
  column?: number;
  /** "Deployment/web" */
  workload?: string;
  container?: string;
  /** the chart template a rendered Helm file names in its `# Source:` line */
  template?: string;
}

/** What `remediate` changed in Azure. */
export interface Change {
  kind: 'roleAssignment';
  id: string;
  role: string;
  principalId: string;
  scope: string;
}

/** Why a fact could not be read. Never swallowed: it becomes an `unknown` check that says this. */
export interface ReadFailure {
  /** what was being read, e.g. "role assignments on /subscriptions/…/registries/myacr" */
  what: string;
  /** HTTP status, when there was a response */
  status?: number;
  /** ARM error code, e.g. AuthorizationFailed, ResourceNotFound */
  code?: string;
  message: string;
  correlationId?: string;
  /** the permission that would let the signed-in identity read this, when known */
  missingPermission?: string;
}

export type Fact<T> = { ok: true; value: T } | { ok: false; error: ReadFailure };

export interface AgentPool {
  name: string;
  /** nodeTaints, e.g. "sku=gpu:NoSchedule" */
  nodeTaints?: string[];
  nodeLabels?: Record<string, string>;
  /** scaleSetPriority: Spot or Regular (AKS taints and labels Spot pools) */
  scaleSetPriority?: string;
  osType?: string;
  osSku?: string;
  vmSize?: string;
  mode?: string;
  count?: number;
  maxCount?: number;
  vnetSubnetID?: string;
}

export interface KubeletIdentity {
  source: 'managedIdentity' | 'servicePrincipal';
  /** the object (principal) ID role assignments name; may be missing for a service-principal cluster */
  objectId?: string;
  /** where objectId came from */
  objectIdFrom?: 'cluster' | 'graph' | 'input';
  clientId?: string;
  resourceId?: string;
  /** why objectId could not be determined (Graph read failed, no input) */
  objectIdError?: ReadFailure;
}

export interface ClusterFacts {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  provisioningState?: string;
  powerState?: string;
  nodeResourceGroup?: string;
  /** the control-plane identity's principal ID (identity.principalId): NOT the identity that pulls */
  controlPlanePrincipalId?: string;
  controlPlaneIdentityType?: string;
  kubelet: KubeletIdentity;
  agentPools: AgentPool[];
  /** nodes agentPoolProfiles does not describe: node auto-provisioning (Karpenter NodePools), virtual nodes (ACI) */
  otherNodes?: string[];
  /** networkProfile.outboundType */
  outboundType?: string;
  /** public IP (or prefix) ids the cluster's egress uses: loadBalancerProfile / natGatewayProfile effectiveOutboundIPs */
  outboundResourceIds?: string[];
  /** properties.httpProxyConfig when it is enabled; the URLs without any user name and password */
  httpProxy?: HttpProxyFacts;
  /** aadProfile.managed: Entra-integrated, so Run Command needs a clusterToken of the signed-in identity */
  entraIntegrated?: boolean;
  /** apiServerAccessProfile.disableRunCommand */
  runCommandDisabled?: boolean;
}

/** The HTTP proxy the cluster's nodes (and so containerd's pulls) use: HTTPS_PROXY, HTTP_PROXY, NO_PROXY. */
export interface HttpProxyFacts {
  httpProxy?: string;
  /** the proxy for https:// requests, which registry pulls are */
  httpsProxy?: string;
  /** hosts, domains (`.example.com`, `example.com`), IPs and CIDRs that go direct */
  noProxy: string[];
}

export interface RegistryFacts {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  loginServer: string;
  sku?: string;
  publicNetworkAccess?: string;
  anonymousPullEnabled: boolean;
  roleAssignmentMode: 'LegacyRegistryPermissions' | 'AbacRepositoryPermissions' | string;
  adminUserEnabled?: boolean;
  dataEndpointEnabled?: boolean;
  dataEndpointHostNames: string[];
  networkRuleSet?: { defaultAction?: string; ipRules: { action?: string; value: string }[] };
  networkRuleBypassOptions?: string;
  privateEndpointConnections: { id?: string; privateEndpointId?: string; status?: string }[];
  azureADAuthenticationAsArmPolicy?: string;
}

export interface Permission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export interface RoleAssignment {
  id: string;
  /** the assignment's GUID */
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType?: string;
  condition?: string;
  conditionVersion?: string;
  /** ISO 8601 */
  createdOn?: string;
}

export interface RoleDefinition {
  id: string;
  /** the definition's GUID */
  name: string;
  roleName: string;
  /** BuiltInRole or CustomRole */
  type?: string;
  permissions: Permission[];
}

export interface DenyAssignment {
  id: string;
  name: string;
  denyAssignmentName?: string;
  scope: string;
  permissions: Permission[];
  principals: { id: string; type?: string }[];
  excludePrincipals: { id: string; type?: string }[];
  doNotApplyToChildScopes: boolean;
  isSystemProtected?: boolean;
  condition?: string;
}

/** What Azure RBAC says about one principal on one registry. */
export interface RbacFacts {
  /** the principal whose access is judged (the kubelet's object ID) */
  principalId: string;
  /** role assignments from $filter=assignedTo('{principalId}') at the registry scope, all pages, unfiltered */
  roleAssignments: Fact<RoleAssignment[]>;
  /** deny assignments at or above the registry scope (unfiltered by principal) */
  denyAssignments: Fact<DenyAssignment[]>;
  /** role definitions by lower-case GUID, for every distinct roleDefinitionId in roleAssignments */
  roleDefinitions: Record<string, Fact<RoleDefinition>>;
  /**
   * Read only when the verdict would otherwise be `fail`: assignments on the registry held by the wrong
   * principals, to diagnose the classic mistakes. Keys are the principal IDs asked about.
   */
  misassigned?: {
    controlPlane?: { principalId: string; assignments: Fact<RoleAssignment[]> };
    clientIdAsObjectId?: { principalId: string; assignments: Fact<RoleAssignment[]> };
  };
}

export interface Finding {
  id: CheckId;
  status: Status;
  /** short, stable enough to be an annotation title */
  title: string;
  detail: string;
  /** the exact command that resolves it, when there is one */
  fix?: string;
  cluster?: string;
  registry?: string;
  image?: string;
  evidence?: Record<string, unknown>;
  /** for network checks: whose path was looked at (runner probes vs the cluster's path read from ARM) */
  path?: NetworkPath;
  /** side remarks worth a notice that do not change the status (throttling on Basic, a cache rule applies, …) */
  notes?: string[];
  /** for an image taken from manifests: where it appears first */
  source?: ImageSource;
  /** every place it appears */
  sources?: ImageSource[];
  /** the node pool (in-cluster-pull) */
  pool?: string;
}

export interface ReportCluster {
  id: string;
  name: string;
  location: string;
  kubeletIdentity: { source: 'managedIdentity' | 'servicePrincipal'; objectId?: string; clientId?: string; resourceId?: string };
}

export interface ReportRegistry {
  id: string;
  name: string;
  loginServer: string;
  /** the hosts an egress firewall must allow for pulls (login server, data endpoints or the storage wildcard) */
  egressHosts?: string[];
}

export interface Report {
  /** the URL of the JSON Schema the report follows: schema/report.schema.json as published for the tool's version (reportSchemaUrl) */
  $schema?: string;
  schemaVersion: 1;
  tool: { name: 'aks-acr-preflight'; version: string };
  result: Verdict;
  durationMs: number;
  clusters: ReportCluster[];
  registries: ReportRegistry[];
  checks: Finding[];
  /** what remediate changed; empty when nothing was */
  changes?: Change[];
  /** several clusters or `cluster: *`: how the fleet's facts were read */
  fleetFacts?: ReportFleet;
  /** set when the checks that read Azure were skipped because nothing could sign in (a pull request from a fork) */
  azureSkipped?: AzureUnavailable;
}

// ── The cluster's network path, read from ARM ─────────────────────────────────────────────────────

/** An address the cluster's traffic leaves from: a single IPv4 address or an IPv4 CIDR (public IP prefix). */
export interface EgressAddress {
  /** "20.1.2.3" or "20.1.2.0/28" */
  value: string;
  /** the resource it comes from (public IP address or prefix id) */
  sourceId: string;
}

export interface VirtualNetworkFacts {
  id: string;
  /** dhcpOptions.dnsServers: empty means Azure-provided DNS */
  dnsServers: string[];
}

/** What ARM says about how the cluster's nodes reach the internet and resolve names. */
export interface ClusterNetworkFacts {
  /** networkProfile.outboundType: loadBalancer | userDefinedRouting | managedNATGateway | userAssignedNATGateway | none */
  outboundType?: string;
  /** the node subnets (agentPoolProfiles[].vnetSubnetID); empty for the managed VNet */
  subnetIds: string[];
  /** the VNets the nodes are in (from the subnets, else the managed VNet found in the node resource group) */
  vnets: Fact<VirtualNetworkFacts[]>;
  /** egress addresses (load balancer effectiveOutboundIPs, NAT gateway outbound IPs and prefixes); undefined when outboundType makes them unknowable from ARM */
  egress?: Fact<EgressAddress[]>;
}

export interface PrivateDnsZoneFacts {
  id: string;
  /** e.g. privatelink.azurecr.io */
  name: string;
  /** virtualNetworkLinks[].properties.virtualNetwork.id */
  linkedVnetIds: Fact<string[]>;
  /** A record sets: fully qualified name (record name + zone, lower-case) → IPv4 addresses */
  aRecords: Fact<Record<string, string[]>>;
}

export interface PrivateEndpointFacts {
  /** the registry's privateEndpointConnections[].id */
  connectionId?: string;
  privateEndpointId?: string;
  /** privateLinkServiceConnectionState.status: Approved | Pending | Rejected | Disconnected */
  status?: string;
  /** read only for Approved connections */
  endpoint?: Fact<{
    subnetId?: string;
    /** the registry FQDNs and the private IP each maps to (from the endpoint's NICs) */
    addresses: { fqdn: string; ip: string }[];
  }>;
  /** the private DNS zones its DNS zone groups point at; read only for Approved connections */
  zones?: Fact<PrivateDnsZoneFacts[]>;
}

export interface ReplicationFacts {
  location: string;
  regionEndpointEnabled?: boolean;
  provisioningState?: string;
}

export interface CacheRuleFacts {
  name: string;
  sourceRepository?: string;
  targetRepository?: string;
}

/** What ARM says about how a registry can be reached. */
export interface RegistryNetworkFacts {
  privateEndpoints: PrivateEndpointFacts[];
  /** …/replications (Premium only; an empty list otherwise, without a read) */
  replications: Fact<ReplicationFacts[]>;
  /** …/cacheRules, read only when images on this registry are given */
  cacheRules?: Fact<CacheRuleFacts[]>;
}

// ── The runner's path: DNS, the /v2/ endpoint, images ───────────────────────────────────────────

export interface DnsAnswer {
  host: string;
  /** the CNAME chain followed, in order (without the host itself) */
  cnames: string[];
  /** IPv4 and IPv6 addresses of the last name */
  addresses: string[];
  /** set when the name did not resolve: ENOTFOUND (NXDOMAIN), ENODATA, ETIMEOUT, ESERVFAIL, ECONNREFUSED, … */
  error?: { code: string; message: string };
  /** which DNS servers answered: 'system' or the dns-servers input */
  servers: string;
  elapsedMs: number;
  /**
   * who gave the addresses: 'os' is the runner's own resolver (getaddrinfo: /etc/hosts, nsswitch, search
   * domains), used without the dns-servers input; 'dns-servers' is that input, asked directly
   */
  resolver?: 'os' | 'dns-servers';
  /**
   * resolver 'os': what the system's DNS servers said when asked directly (the source of `cnames`).
   * `agrees`: it shares an address with the OS's answer; when not, the OS answered from elsewhere (e.g.
   * /etc/hosts) and the CNAME chain is unknown
   */
  dns?: { addresses: string[]; error?: { code: string; message: string }; agrees: boolean };
  /** the proxy (HTTPS_PROXY, no credentials) the runner's requests to this host go through: it resolves the name, not the runner */
  proxy?: string;
}

export interface BearerChallenge {
  realm?: string;
  service?: string;
  scope?: string;
  error?: string;
}

/** One HTTPS exchange as far as it went. */
export interface HttpOutcome {
  url: string;
  /** the address connected to */
  address?: string;
  status?: number;
  headers?: Record<string, string>;
  /** at most a few kB of the body, as text */
  body?: string;
  /** connect/TLS/timeout/reset failure: code is the Node error code (ECONNREFUSED, ETIMEDOUT, ECONNRESET, CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID, …) */
  error?: { code: string; message: string; phase: 'dns' | 'connect' | 'tls' | 'response' };
  elapsedMs: number;
  /** the proxy the request was tunnelled through (CONNECT, from HTTPS_PROXY), without credentials */
  proxy?: string;
  /** how many times it was sent, when more than once (retries after a reset, 408, 429 or 5xx) */
  attempts?: number;
}

export interface EndpointProbe {
  http: HttpOutcome;
  challenge?: BearerChallenge;
  /** the runner's IP when the registry firewall refused it ("client with IP '…' is not allowed access") */
  blockedClientIp?: string;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
}

export type ImageLookup =
  /** the manifest (or index) exists; platforms from the index, or from the single manifest's config */
  | { kind: 'found'; mediaType: string; digest?: string; platforms: Platform[]; index: boolean; /** the proxy the manifest was fetched through (HTTPS_PROXY), without credentials */ proxy?: string }
  | { kind: 'missing-repository'; detail: string }
  | { kind: 'missing-tag'; detail: string; /** some of the tags the repository has, for "did you mean" */ tags?: string[] }
  /** the registry wants credentials the action does not have (anonymous token refused, 401 on the manifest) */
  | { kind: 'needs-credentials'; detail: string; status?: number }
  /** the signed-in identity was refused a pull token on an ACR (it lacks pull rights): not the kubelet's problem */
  | { kind: 'denied'; detail: string; status?: number }
  /** network, TLS, timeout, 5xx: the image could not be looked at */
  | { kind: 'unreachable'; detail: string; http?: HttpOutcome }
  /** the registry answered, but with something that is not what the protocol says (a token answer that is not JSON, a manifest that does not parse, a challenge without a realm) */
  | { kind: 'malformed'; detail: string; http?: HttpOutcome };

export interface ImageFacts {
  ref: ImageRef;
  /** the registry host actually contacted (docker.io → registry-1.docker.io) */
  registryHost: string;
  /** how the pull token was obtained */
  auth: 'acr-exchange' | 'anonymous' | 'none';
  lookup: ImageLookup;
}

export interface RunnerProbeFacts {
  /** the login server first, then each data endpoint */
  dns: DnsAnswer[];
  /** undefined when DNS for the login server failed (nothing to connect to) */
  endpoint?: EndpointProbe;
}

/**
 * Thrown by the require* getters (and so by a check's gather) when a fact it depends on failed: the
 * cluster or the registry could not be resolved. The engine turns it into `skip` with this reason, never
 * into `pass`.
 */
export class Unresolved extends Error {
  /** `fix`: how to get a run where it is resolved, when there is one */
  constructor(
    readonly reason: string,
    readonly fix?: string,
  ) {
    super(reason);
    this.name = 'Unresolved';
  }
}

// ── Ground truth from inside the cluster (AKS Run Command) ────────────────────────────────────────

/** One probe pod's result: a pod pinned to one node pool that pulled one image. */
export interface PoolProbe {
  pool: string;
  /** the registry host the image is on */
  host: string;
  image: string;
  /** the kubelet's verdict: Pulled; Failed/ErrImagePull/ImagePullBackOff; never scheduled; still waiting at the deadline */
  outcome: 'pulled' | 'failed' | 'unschedulable' | 'timeout' | 'error';
  /** the kubelet's (or the scheduler's) message, verbatim */
  message?: string;
  /** from the pod's creation to the Pulled event */
  pullMs?: number;
  os?: string;
  arch?: string;
  /** the pod was deleted afterwards */
  deleted: boolean;
}

/** A pod stuck on a pull, with the kubelet's events. */
export interface StuckPod {
  namespace: string;
  name: string;
  /** the owner, "ReplicaSet/web-5d8f…" or "Deployment/web" */
  owner?: string;
  container: string;
  image: string;
  reason: 'ImagePullBackOff' | 'ErrImagePull';
  node?: string;
  pool?: string;
  /** the kubelet's event messages about the pull, verbatim, newest last */
  messages: string[];
}

/** A pull secret as the in-cluster script reports it: the hosts of its `auths` map, never a value. */
export interface PullSecretFacts {
  namespace: string;
  name: string;
  type: string;
  hosts: string[];
}

export interface ServiceAccountFacts {
  namespace: string;
  name: string;
  imagePullSecrets: string[];
}

/** Which image one node pool × registry pulls in the in-cluster probe (src/checks/probe-plan.ts). */
export interface PlannedProbe {
  pool: string;
  /** the registry's login server */
  host: string;
  registry: string;
  /** the image to pull; undefined: nothing to pull (set `probe-image`) */
  image?: ImageRef;
  /** where the image comes from */
  from?: 'images' | 'probe-image';
  /** the pool has no nodes (count 0): not probed, as a probe would only wait for (or trigger) a scale-up */
  scaledToZero?: true;
  os: 'linux' | 'windows';
  arch?: string;
}

/** What one Run Command invocation on a cluster found. */
export interface InClusterRun {
  commandId?: string;
  /** startedAt → finishedAt of the command, as Azure reports it */
  commandSeconds?: number;
  /** ARM calls made (the POST and every poll) */
  calls: number;
  /** wall time from the POST to the result */
  wallMs: number;
  podsStarted: number;
  /** the output reached Run Command's 512 kB cap and was cut */
  truncated: boolean;
  exitCode?: number;
  probes: PoolProbe[];
  stuckPods: StuckPod[];
  pullSecrets: PullSecretFacts[];
  serviceAccounts: ServiceAccountFacts[];
  /** probe pods from earlier runs found and deleted by the last step */
  leftoversDeleted: number;
  /** the parts of the run that could not be read (e.g. Kubernetes Forbidden on secrets); absent parts were read */
  failures?: Partial<Record<InClusterPart, ReadFailure>>;
}

/** The parts of an in-cluster run that can fail on their own. */
export type InClusterPart = 'probes' | 'stuckPods' | 'pullSecrets' | 'serviceAccounts';

/** Why the in-cluster run could not run (the `code` of its ReadFailure). */
export type InClusterFailureCode =
  | 'RunCommandDisabled'
  | 'ClusterStopped'
  | 'AuthorizationFailed'
  | 'MissingAADClusterToken'
  | 'KubernetesForbidden'
  | 'PolicyDenied'
  | 'KubernetesPerformanceError'
  | 'Timeout';
