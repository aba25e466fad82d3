// The run's facts: one object, memoised async getters keyed by subject. Each fact is read once however
// many checks ask for it; asking for everything at once gives the concurrency, awaiting gives the order.
// `prefill` puts a fact into the same memo ahead of time (a bulk read, e.g. Azure Resource Graph for a
// fleet), so that the getters answer from it without a call.
//
// Dependency chain after sign-in, which sets the run time:
//   cluster GET ‖ registry GET/list → role ‖ deny assignments → custom role definitions
// alongside, as soon as each input exists: the runner's probes, the network reads, and the image
// lookups (their ACR token exchange starts right after sign-in, before ARM has confirmed the registry).
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/identity';
import { ArmClients, toReadFailure } from './azure/arm.js';
import { FleetReader } from './azure/fleet.js';
import { clusterFacts, readCluster } from './azure/cluster.js';
import { GraphClient } from './azure/graph.js';
import { NetworkReader } from './azure/network.js';
import { RbacReader } from './azure/rbac.js';
import { grantRole, type GrantOutcome, type PlannedAssignment } from './azure/remediate.js';
import { resolveRegistries, type RegistryResolution } from './azure/registry.js';
import { AKS_SERVER_APP_SCOPE, runCommandUnavailable, type RunCommandDeps } from './azure/run-command.js';
import { dataEndpointHosts, egressHosts } from './checks/egress.js';
import { planProbes } from './checks/probe-plan.js';
import { runInCluster } from './in-cluster/run.js';
import type {
  ClusterFacts,
  ClusterNetworkFacts,
  ClusterRef,
  Config,
  Fact,
  ImageFacts,
  ImageRef,
  InClusterRun,
  PlannedProbe,
  RbacFacts,
  ReadFailure,
  RegistryFacts,
  RegistryNetworkFacts,
  RegistryRef,
  ReplicationFacts,
  RoleAssignment,
  RunnerProbeFacts,
} from './model.js';
import { Unresolved } from './model.js';
import { hostKey, sameHost } from './image-ref.js';
import { SystemDnsResolver } from './registry/dns.js';
import { RegistryHttp } from './registry/http.js';
import { lookupImage, probeRegistry, PullTokens, type ProbeDeps } from './registry/probes.js';

export interface EngineDeps {
  credential: TokenCredential;
  version: string;
  now?: () => Date;
  /** progress lines for the log (the action groups them) */
  log?: (line: string) => void;
  /** called with every registry token before anything could print it (core.setSecret in the action) */
  secret?: (value: string) => void;
}

/** The kinds of fact in the memo and their values; a bulk prefetch fills them under the keys the getters use. */
export interface FactValues {
  /** key: clusterKey(ref) */
  cluster: Fact<ClusterFacts | undefined>;
  /** key: clusterKey(ref): the cluster's ARM body (a fleet's bulk read fills it) */
  clusterBody: Fact<ManagedCluster>;
  /** key: the registry input as given */
  registry: RegistryResolution;
  /** key: `${principalId}|${registryId}` */
  rbac: RbacFacts;
  /** key: `${clusterId}|${registryId}` */
  misassigned: RbacFacts;
  /** key: `${clusterId}|${firewalled}` */
  clusterNetwork: ClusterNetworkFacts;
  /** key: the registry ID */
  registryNetwork: RegistryNetworkFacts;
  replications: Fact<ReplicationFacts[]>;
  runnerPath: RunnerProbeFacts;
  /** key: the image reference as given */
  image: ImageFacts;
  /** key: the cluster ID */
  inCluster: Fact<InClusterRun>;
}
export type FactKind = keyof FactValues;

const lower = (s: string) => s.toLowerCase();
const memoKey = (kind: FactKind, key: string) => `${kind}|${lower(key)}`;

/** The memo key of a cluster: its resource ID, lower-case (the same for a name and an ID input). */
export const clusterKey = (ref: ClusterRef) =>
  lower(ref.kind === 'id' ? ref.id : `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${ref.name}`);

export class Facts {
  readonly signal: AbortSignal;
  readonly now: () => Date;
  private readonly memo = new Map<string, Promise<unknown>>();
  /** the memo keys a bulk read filled (prefill), which no getter needs to read again */
  private readonly prefilled = new Set<string>();
  private readonly clients: ArmClients;
  private readonly graph: GraphClient;
  private readonly rbacReader: RbacReader;
  private readonly net: NetworkReader;
  private readonly http: RegistryHttp;
  private readonly probe: ProbeDeps;
  private readonly tokens: PullTokens;
  private signedIn?: Promise<ReadFailure | undefined>;
  private readonly grants = new Map<string, Promise<GrantOutcome>>();
  private registryReads?: Map<string, Promise<RegistryResolution>>;
  private fleetRead?: FleetReader;
  private current: Config;
  private readonly startedAt = performance.now();
  private readonly runCommand: RunCommandDeps;

  constructor(
    config: Config,
    private readonly deps: EngineDeps,
  ) {
    this.current = config;
    this.signal = AbortSignal.timeout(config.timeoutMs);
    this.now = deps.now ?? (() => new Date());
    this.clients = new ArmClients(deps.credential, config, this.signal);
    this.graph = new GraphClient(deps.credential, config.graphEndpoint, config.cloud.graphScope, this.signal, this.clients.gates);
    this.rbacReader = new RbacReader(this.clients);
    // The network SDKs take a while to parse: the reader starts loading them now, while sign-in is in flight.
    this.net = new NetworkReader(this.clients);
    const dns = new SystemDnsResolver(config.dnsServers);
    this.http = new RegistryHttp({ dns, connectTimeoutMs: config.connectTimeoutMs, signal: this.signal, userAgent: `aks-acr-preflight/${deps.version}` });
    this.probe = {
      dns,
      http: this.http,
      entraToken: async (scope) => (await deps.credential.getToken(scope, { abortSignal: this.signal }))?.token ?? '',
      armScope: config.cloud.armScope,
      secret: deps.secret ?? (() => {}),
      ...(config.tenantId && { tenantId: config.tenantId }),
    };
    this.tokens = new PullTokens(this.probe);
    this.runCommand = { clients: this.clients, clusterToken: () => this.probe.entraToken(AKS_SERVER_APP_SCOPE), secret: this.probe.secret };
  }

  /** The run's configuration; with `cluster: *`, its clusters are the ones discovered. */
  get config(): Config {
    return this.current;
  }

  /** The clusters of a fleet, once known (`cluster: *`): the default subscription becomes the first one's when none was given. */
  useClusters(clusters: ClusterRef[]): void {
    this.current = { ...this.current, clusters, subscriptionId: this.current.subscriptionId || (clusters[0]?.subscriptionId ?? '') };
  }

  /** The reader of the fleet's facts in bulk (Resource Graph, else ARM). */
  fleet(): FleetReader {
    this.fleetRead ??= new FleetReader(this.clients, this.config, this.rbacReader);
    return this.fleetRead;
  }

  /** 429s met so far, by every host's pool. */
  get throttled(): number {
    return this.clients.gates.throttled;
  }

  /** Closes kept-alive connections so that the process can exit at once. */
  close(): void {
    this.http.close();
  }

  private once<K extends FactKind>(kind: K, key: string, read: () => Promise<FactValues[K]>): Promise<FactValues[K]> {
    const k = memoKey(kind, key);
    let p = this.memo.get(k) as Promise<FactValues[K]> | undefined;
    if (!p) {
      p = read();
      this.memo.set(k, p);
    }
    return p;
  }

  /** Puts a fact read in bulk into the memo, under the key its getter uses. A fact already asked for stays. */
  prefill<K extends FactKind>(kind: K, key: string, value: FactValues[K]): void {
    const k = memoKey(kind, key);
    if (!this.memo.has(k)) {
      this.memo.set(k, Promise.resolve(value));
      this.prefilled.add(k);
    }
  }

  /**
   * Signs in once before any Azure read, so that a sign-in failure is reported once and plainly. When
   * nothing can sign in (config.azureUnavailable) it rejects with `Unresolved`, and so does every Azure
   * fact after it: the checks that read Azure are `skip` with the reason and the fix.
   */
  signIn(): Promise<ReadFailure | undefined> {
    const off = this.config.azureUnavailable;
    if (off) return Promise.reject(new Unresolved(off.reason, off.fix));
    this.signedIn ??= (async () => {
      this.deps.log?.(`Signing in (${this.config.auth})`);
      // The sign-in may be shared with one the adapter started earlier: bound it by this run's budget too.
      const budget = new Promise<never>((_, reject) => this.signal.addEventListener('abort', () => reject(this.signal.reason), { once: true }));
      return Promise.race([this.deps.credential.getToken(this.config.cloud.armScope, { abortSignal: this.signal }), budget]).then(
        () => undefined,
        (err: unknown) => toReadFailure(`signing in with auth '${this.config.auth}'`, err),
      );
    })();
    return this.signedIn;
  }

  // ── clusters ───────────────────────────────────────────────────────────────────────────────────

  /** The cluster, with its kubelet's object ID settled (the cluster, else Graph, else the input); undefined when it does not exist. */
  cluster(ref: ClusterRef): Promise<Fact<ClusterFacts | undefined>> {
    return this.once('cluster', clusterKey(ref), async () => {
      const signIn = await this.signIn();
      if (signIn) return { ok: false, error: signIn };
      const read = await this.once('clusterBody', clusterKey(ref), () => readCluster(this.clients, ref));
      if (!read.ok) return read.error.status === 404 ? { ok: true, value: undefined } : read;
      const facts = clusterFacts(read.value);
      const k = facts.kubelet;
      if (!k.objectId && k.source === 'servicePrincipal' && k.clientId) {
        const fromGraph = await this.graph.servicePrincipalObjectId(k.clientId);
        if (fromGraph.ok) Object.assign(k, { objectId: fromGraph.value, objectIdFrom: 'graph' });
        else if (this.config.kubeletObjectId) Object.assign(k, { objectId: this.config.kubeletObjectId, objectIdFrom: 'input' });
        else k.objectIdError = fromGraph.error;
      }
      return { ok: true, value: facts };
    });
  }

  /** The cluster, or `Unresolved` for the checks that depend on it. */
  async requireCluster(ref: ClusterRef): Promise<ClusterFacts> {
    const c = await this.cluster(ref);
    if (c.ok && c.value) return c.value;
    throw new Unresolved(`The cluster ${ref.name} could not be resolved (see the cluster check).`);
  }

  /** A pair's cluster and registry, or `Unresolved` (naming the cluster first) when either could not be resolved. */
  async requirePair(pair: { cluster: ClusterRef; registry: RegistryRef }): Promise<[ClusterFacts, RegistryFacts]> {
    await Promise.all([this.cluster(pair.cluster), this.registry(pair.registry)]);
    return [await this.requireCluster(pair.cluster), await this.requireRegistry(pair.registry)];
  }

  /** Every cluster of the run that could be read. */
  async resolvedClusters(): Promise<ClusterFacts[]> {
    if (this.config.azureUnavailable) return [];
    const all = await Promise.all(this.config.clusters.map((ref) => this.cluster(ref)));
    return all.flatMap((c) => (c.ok && c.value ? [c.value] : []));
  }

  // ── registries ─────────────────────────────────────────────────────────────────────────────────

  /** The registry input resolved to one ARM resource (the run's inputs share one directory of subscription lists). */
  registry(ref: RegistryRef): Promise<RegistryResolution> {
    return this.once('registry', ref.input, async () => {
      const signIn = await this.signIn();
      if (signIn) return { ref, registry: { ok: false, error: signIn }, searched: [], failures: [], seen: [] };
      // the inputs still to resolve, together (they share one directory of subscription lists); a bulk read's are in the memo already
      if (!this.registryReads) {
        const open = this.config.registries.filter((r) => !this.prefilled.has(memoKey('registry', r.input)));
        this.registryReads = new Map(resolveRegistries(this.clients, open, this.config.subscriptionId).map((read, i) => [lower(open[i]!.input), read]));
      }
      return this.registryReads.get(lower(ref.input)) ?? resolveRegistries(this.clients, [ref], this.config.subscriptionId)[0]!;
    });
  }

  async requireRegistry(ref: RegistryRef): Promise<RegistryFacts> {
    const r = await this.registry(ref);
    if (r.registry.ok && r.registry.value) return r.registry.value;
    throw new Unresolved(`The registry ${ref.input} could not be resolved (see the registry check).`);
  }

  /** Every registry of the run that could be resolved. */
  async resolvedRegistries(): Promise<RegistryFacts[]> {
    if (this.config.azureUnavailable) return [];
    const all = await Promise.all(this.config.registries.map((ref) => this.registry(ref)));
    return all.flatMap((r) => (r.registry.ok && r.registry.value ? [r.registry.value] : []));
  }

  /** The registry input an image host belongs to (its resolved login server, else the login server the input names or implies), if any. */
  async registryOfHost(host: string): Promise<RegistryResolution | undefined> {
    if (this.config.azureUnavailable) return undefined;
    const all = await Promise.all(this.config.registries.map((ref) => this.registry(ref)));
    return all.find((r) => {
      const v = r.registry.ok ? r.registry.value : undefined;
      return v ? sameHost(v.loginServer, host) : sameHost(this.impliedHost(r.ref), host);
    });
  }

  /** The images of the run whose host is this registry's login server. */
  imagesOn(registry: RegistryFacts): ImageRef[] {
    return this.config.images.filter((i) => sameHost(i.host, registry.loginServer));
  }

  // ── RBAC ───────────────────────────────────────────────────────────────────────────────────────

  /** What RBAC says about one principal on one registry. */
  rbac(principalId: string, registry: RegistryFacts): Promise<RbacFacts> {
    return this.once('rbac', `${principalId}|${registry.id}`, () => this.readRbac(principalId, registry));
  }

  /**
   * A fleet's pair judged from the rows of a bulk read (the principal's direct assignments at or above
   * the registry), with the registry's deny assignments and the roles' definitions read once each; when
   * those facts do not `decide` the pair, the precise per-pair read (assignedTo: through groups too).
   */
  rbacFromRows(principalId: string, registry: RegistryFacts, rows: RoleAssignment[], decide: (facts: RbacFacts) => boolean): Promise<RbacFacts> {
    return this.once('rbac', `${principalId}|${registry.id}`, async () => {
      const [denyAssignments, roleDefinitions] = await Promise.all([this.rbacReader.denyAssignments(registry.id), this.rbacReader.roleDefinitions(rows)]);
      const fromRows: RbacFacts = { principalId, roleAssignments: { ok: true, value: rows }, denyAssignments, roleDefinitions };
      return decide(fromRows) ? fromRows : this.readRbac(principalId, registry);
    });
  }

  private async readRbac(principalId: string, registry: RegistryFacts): Promise<RbacFacts> {
    const [roleAssignments, denyAssignments] = await Promise.all([
      this.rbacReader.roleAssignments(registry.id, principalId),
      this.rbacReader.denyAssignments(registry.id),
    ]);
    const roleDefinitions = roleAssignments.ok ? await this.rbacReader.roleDefinitions(roleAssignments.value) : {};
    return { principalId, roleAssignments, denyAssignments, roleDefinitions };
  }

  /** The classic mistakes, read only after a first `fail`: a pull role on the wrong principal. */
  misassignments(cluster: ClusterFacts, registry: RegistryFacts, facts: RbacFacts): Promise<RbacFacts> {
    return this.once('misassigned', `${cluster.id}|${registry.id}`, async () => {
      const controlPlane = cluster.controlPlanePrincipalId;
      const clientId = cluster.kubelet.clientId;
      const [cp, cid] = await Promise.all([
        controlPlane ? this.rbacReader.roleAssignments(registry.id, controlPlane) : undefined,
        clientId && clientId !== facts.principalId ? this.rbacReader.roleAssignments(registry.id, clientId, 'principalId') : undefined,
      ]);
      const misassigned: NonNullable<RbacFacts['misassigned']> = {};
      if (controlPlane && cp) misassigned.controlPlane = { principalId: controlPlane, assignments: cp };
      if (clientId && cid) misassigned.clientIdAsObjectId = { principalId: clientId, assignments: cid };
      const found = [...(cp?.ok ? cp.value : []), ...(cid?.ok ? cid.value : [])];
      const extraDefinitions = await this.rbacReader.roleDefinitions(found);
      return { ...facts, misassigned, roleDefinitions: { ...extraDefinitions, ...facts.roleDefinitions } };
    });
  }

  /**
   * The tool's one write (`remediate`): creates the planned role assignment, once per principal, role and
   * scope however many findings ask, and re-reads until Azure RBAC lists it (within the run's budget).
   */
  grantRole(plan: PlannedAssignment): Promise<GrantOutcome> {
    const key = lower(`${plan.principalId}|${plan.roleDefinitionId}|${plan.scope}|${plan.condition ?? ''}`);
    let p = this.grants.get(key);
    if (!p) this.grants.set(key, (p = grantRole(this.clients, plan)));
    return p;
  }

  // ── network, from ARM ──────────────────────────────────────────────────────────────────────────

  /** The cluster's network as it bears on one registry: VNets always, egress addresses only when the registry's firewall needs them. */
  clusterNetwork(cluster: ClusterFacts, registry: RegistryFacts): Promise<ClusterNetworkFacts> {
    const firewalled = lower(registry.publicNetworkAccess ?? '') !== 'disabled' && lower(registry.networkRuleSet?.defaultAction ?? '') === 'deny';
    return this.once('clusterNetwork', `${cluster.id}|${firewalled}`, async () => {
      const [vnets, egress] = await Promise.all([this.net.vnets(cluster), firewalled ? this.net.egress(cluster) : undefined]);
      const facts: ClusterNetworkFacts = { subnetIds: cluster.agentPools.flatMap((p) => (p.vnetSubnetID ? [p.vnetSubnetID] : [])), vnets };
      if (cluster.outboundType) facts.outboundType = cluster.outboundType;
      if (egress) facts.egress = egress;
      return facts;
    });
  }

  /** Private endpoints and their DNS, replications, and the cache rules when images on it are checked. */
  registryNetwork(registry: RegistryFacts): Promise<RegistryNetworkFacts> {
    const withCacheRules = this.imagesOn(registry).length > 0;
    return this.once('registryNetwork', registry.id, () => this.net.registryNetwork(registry, withCacheRules));
  }

  replications(registry: RegistryFacts): Promise<Fact<ReplicationFacts[]>> {
    return this.once('replications', registry.id, () => this.net.replications(registry));
  }

  /** The hosts an egress firewall must allow for pulls from this registry. */
  async egressHosts(registry: RegistryFacts): Promise<string[]> {
    const replications = await this.replications(registry);
    return egressHosts(registry, replications.ok ? replications.value : []);
  }

  // ── the runner's path ──────────────────────────────────────────────────────────────────────────

  /** DNS of the login server and every data endpoint, then GET /v2/, from the runner. */
  runnerPath(registry: RegistryFacts): Promise<RunnerProbeFacts> {
    return this.once('runnerPath', registry.id, async () => {
      const replications = registry.dataEndpointEnabled ? await this.replications(registry) : undefined;
      return probeRegistry(this.probe, registry, dataEndpointHosts(registry, replications?.ok ? replications.value : []));
    });
  }

  /** The image as the kubelet would look it up; `Unresolved` when its registry input could not be resolved. */
  image(ref: ImageRef): Promise<ImageFacts> {
    return this.once('image', ref.input, async () => {
      // Without Azure, an image on a registry input needs the signed-in identity: skipped; any other is looked up anonymously.
      const off = this.config.azureUnavailable;
      if (off && this.inputHosts().has(hostKey(ref.host))) throw new Unresolved(off.reason, off.fix);
      if (off) return lookupImage(this.probe, this.tokens, ref, undefined);
      // The token exchange for an image on an input registry starts now, alongside the ARM reads that confirm it.
      if (!(await this.signIn()) && this.inputHosts().has(hostKey(ref.host))) this.tokens.prefetch(hostKey(ref.host));
      const owner = await this.registryOfHost(ref.host);
      const acr = owner ? await this.requireRegistry(owner.ref) : undefined;
      return lookupImage(this.probe, this.tokens, ref, acr);
    });
  }

  // ── inside the cluster (AKS Run Command), only with in-cluster: true ────────────────────────────

  /** Which image each node pool × resolved registry of this cluster pulls in the in-cluster probe (PlannedProbe.image undefined: none known). */
  async probePlan(cluster: ClusterFacts): Promise<PlannedProbe[]> {
    const registries = await this.resolvedRegistries();
    const images = this.config.images.filter((i) => !i.unusable && registries.some((r) => sameHost(r.loginServer, i.host)));
    const lookups = new Map((await Promise.all(images.map((i) => this.image(i)))).map((f) => [f.ref.input, f]));
    return planProbes({ cluster, registries, images, lookups, ...(this.config.probeImage && { probeImage: this.config.probeImage }) });
  }

  /** One Run Command invocation on the cluster: a probe pod per pool × registry, the stuck pods, pull secrets and service accounts. */
  inCluster(cluster: ClusterFacts): Promise<Fact<InClusterRun>> {
    return this.once('inCluster', cluster.id, async () => {
      // a cluster that cannot run it says so at once, before the plan waits for every registry and image
      const unavailable = runCommandUnavailable(cluster);
      if (unavailable) return { ok: false, error: unavailable };
      const plan = await this.probePlan(cluster);
      const remainingSeconds = (this.config.timeoutMs - (performance.now() - this.startedAt)) / 1000;
      this.deps.log?.(`Running the in-cluster probe on ${cluster.name} (AKS Run Command, ${plan.filter((p) => p.image).length} probe pods)`);
      return runInCluster(this.runCommand, cluster, plan, {
        namespace: this.config.namespace ?? 'default',
        ...(this.config.namespace && { scanNamespace: this.config.namespace }),
        remainingSeconds,
      });
    });
  }

  /** The login server a registry input names or implies, before ARM has answered (or when it could not). */
  private impliedHost(r: RegistryRef): string {
    return r.kind === 'loginServer' ? r.loginServer : `${r.name}.${this.config.cloud.acrSuffix}`;
  }

  /** The login servers the registry inputs name or imply, before ARM has answered. */
  private inputHosts(): Set<string> {
    return new Set(this.config.registries.map((r) => hostKey(this.impliedHost(r))));
  }
}
