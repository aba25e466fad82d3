// The engine: gather facts concurrently, judge them, return the report. Knows nothing of GitHub.
//
// Dependency chain (after sign-in), which sets the run time:
//   1. cluster GET  ‖  registry GET/list (default subscription)
//   2. role assignments ‖ deny assignments             (need the kubelet object ID and the registry ID)
//   3. custom role definitions                           (built-in ones are known locally)
// A service-principal cluster adds a Graph lookup before 2; a registry outside the default
// subscription adds the subscription list before 1's second half; a failing verdict adds the
// misassignment diagnosis after 3.
//
// Alongside, as soon as a registry is resolved: the runner's probes (DNS of the login server and data
// endpoints, then GET /v2/) and its network facts (private endpoints → zones, replications); as soon as
// a cluster is read: its VNets and, when a registry's firewall needs them, its egress addresses; and
// for each image: pull token → manifest (→ config blob for a single-platform manifest).
import type { TokenCredential } from '@azure/identity';
import { ArmClients, toReadFailure } from './azure/arm.js';
import { clusterFacts, readCluster } from './azure/cluster.js';
import { GraphClient } from './azure/graph.js';
import { RbacReader } from './azure/rbac.js';
import { NetworkReader, preloadNetworkSdks } from './azure/network.js';
import { resolveRegistries, type RegistryResolution } from './azure/registry.js';
import { judgeCluster } from './checks/cluster.js';
import { dataEndpointHosts } from './checks/egress.js';
import { judgeImage } from './checks/image.js';
import { judgeRegistryDns } from './checks/registry-dns.js';
import { judgeRegistryEndpoint } from './checks/registry-endpoint.js';
import { egressHosts, judgeRegistryNetwork } from './checks/registry-network.js';
import { judgePullPermission, needsMisassignmentDiagnosis } from './checks/pull-permission.js';
import { judgeRegistry } from './checks/registry.js';
import { verdictOf } from './checks/verdict.js';
import type { ClusterFacts, ClusterNetworkFacts, ClusterRef, Config, Fact, Finding, ImageRef, RbacFacts, RegistryFacts, Report } from './model.js';
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

interface ClusterOutcome {
  ref: ClusterRef;
  facts: Fact<ClusterFacts | undefined>;
}

/** Reads a cluster and settles its kubelet's object ID (Graph, else the input). */
async function gatherCluster(clients: ArmClients, graph: GraphClient, config: Config, ref: ClusterRef): Promise<ClusterOutcome> {
  const read = await readCluster(clients, ref);
  if (!read.ok) return { ref, facts: read.error.status === 404 ? { ok: true, value: undefined } : read };
  const facts = clusterFacts(read.value);
  const k = facts.kubelet;
  if (!k.objectId && k.source === 'servicePrincipal' && k.clientId) {
    const fromGraph = await graph.servicePrincipalObjectId(k.clientId);
    if (fromGraph.ok) {
      k.objectId = fromGraph.value;
      k.objectIdFrom = 'graph';
    } else if (config.kubeletObjectId) {
      k.objectId = config.kubeletObjectId;
      k.objectIdFrom = 'input';
    } else {
      k.objectIdError = fromGraph.error;
    }
  }
  return { ref, facts: { ok: true, value: facts } };
}

/** Reads what RBAC says about one principal on one registry. */
async function gatherRbac(rbac: RbacReader, registry: RegistryFacts, principalId: string): Promise<RbacFacts> {
  const [roleAssignments, denyAssignments] = await Promise.all([rbac.roleAssignments(registry.id, principalId), rbac.denyAssignments(registry.id)]);
  const roleDefinitions = roleAssignments.ok ? await rbac.roleDefinitions(roleAssignments.value) : {};
  return { principalId, roleAssignments, denyAssignments, roleDefinitions };
}

/** The classic mistakes, read only after a first `fail`: a pull role on the wrong principal. */
async function gatherMisassignments(rbac: RbacReader, cluster: ClusterFacts, registry: RegistryFacts, facts: RbacFacts): Promise<RbacFacts> {
  const controlPlane = cluster.controlPlanePrincipalId;
  const clientId = cluster.kubelet.clientId;
  const [cp, cid] = await Promise.all([
    controlPlane ? rbac.roleAssignments(registry.id, controlPlane) : undefined,
    clientId && clientId !== facts.principalId ? rbac.roleAssignments(registry.id, clientId, 'principalId') : undefined,
  ]);
  const misassigned: NonNullable<RbacFacts['misassigned']> = {};
  if (controlPlane && cp) misassigned.controlPlane = { principalId: controlPlane, assignments: cp };
  if (clientId && cid) misassigned.clientIdAsObjectId = { principalId: clientId, assignments: cid };
  const found = [...(cp?.ok ? cp.value : []), ...(cid?.ok ? cid.value : [])];
  const extraDefinitions = await rbac.roleDefinitions(found);
  return { ...facts, misassigned, roleDefinitions: { ...extraDefinitions, ...facts.roleDefinitions } };
}

/** Runs a judge; a crash becomes an `unknown` finding instead of ending the run. */
function safely(fallback: Omit<Finding, 'status' | 'title' | 'detail'>, judge: () => Finding): Finding {
  try {
    return judge();
  } catch (err) {
    return { ...fallback, status: 'unknown', title: `Check ${fallback.id} crashed`, detail: `Internal error: ${(err as Error).message ?? String(err)}` };
  }
}

async function pullPermission(
  rbac: RbacReader,
  config: Config,
  cluster: ClusterFacts,
  registry: RegistryFacts,
  now: () => Date,
): Promise<Finding> {
  const images = config.images.filter((i) => i.host === registry.loginServer.toLowerCase());
  const base = { id: 'pull-permission' as const, cluster: cluster.name, registry: registry.name };
  const principalId = cluster.kubelet.objectId;
  let facts = principalId ? await gatherRbac(rbac, registry, principalId) : undefined;
  const judge = () => safely(base, () => judgePullPermission({ cluster, registry, rbac: facts, images, now: now() }));
  let finding = judge();
  if (facts && needsMisassignmentDiagnosis(finding)) {
    facts = await gatherMisassignments(rbac, cluster, registry, facts);
    finding = judge();
  }
  return finding;
}

function skipped(id: 'pull-permission' | 'registry-network', cluster: string, registry: string, why: string): Finding {
  const what = id === 'pull-permission' ? 'Pull permission' : 'Network path';
  return { id, cluster, registry, status: 'skip', title: `${what} of ${cluster} to ${registry} not checked`, detail: why, ...(id === 'registry-network' && { path: 'cluster' as const }) };
}

const sameHost = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The images whose host is this registry's login server. */
function imagesOn(config: Config, registry: RegistryFacts): ImageRef[] {
  return config.images.filter((i) => sameHost(i.host, registry.loginServer));
}

/** The cluster's path to one registry, read from ARM: VNets always, egress addresses only when a firewall needs them. */
async function registryNetwork(net: NetworkReader, config: Config, cluster: ClusterFacts, registry: RegistryFacts): Promise<Finding> {
  const firewalled = registry.publicNetworkAccess?.toLowerCase() !== 'disabled' && registry.networkRuleSet?.defaultAction?.toLowerCase() === 'deny';
  const images = imagesOn(config, registry);
  const [vnets, egress, registryNet] = await Promise.all([net.vnets(cluster), firewalled ? net.egress(cluster) : undefined, net.registryNetwork(registry, images.length > 0)]);
  const clusterNet: ClusterNetworkFacts = {
    subnetIds: cluster.agentPools.flatMap((p) => (p.vnetSubnetID ? [p.vnetSubnetID] : [])),
    vnets,
  };
  if (cluster.outboundType) clusterNet.outboundType = cluster.outboundType;
  if (egress) clusterNet.egress = egress;
  const base = { id: 'registry-network' as const, cluster: cluster.name, registry: registry.name, path: 'cluster' as const };
  return safely(base, () => judgeRegistryNetwork({ cluster, clusterNet, registry, registryNet, images }));
}

/** The runner's path to one registry: registry-dns and registry-endpoint. */
async function runnerPath(probe: ProbeDeps, net: NetworkReader, registry: RegistryFacts, acrSuffix: string): Promise<Finding[]> {
  const replications = registry.dataEndpointEnabled ? await net.replications(registry) : undefined;
  const facts = await probeRegistry(probe, registry, dataEndpointHosts(registry, replications?.ok ? replications.value : []));
  const base = { registry: registry.name, path: 'runner' as const };
  return [
    safely({ ...base, id: 'registry-dns' }, () => judgeRegistryDns({ registry, answers: facts.dns, acrSuffix })),
    safely({ ...base, id: 'registry-endpoint' }, () => judgeRegistryEndpoint({ registry, dns: facts.dns[0], probe: facts.endpoint })),
  ];
}

export async function runPreflight(config: Config, deps: EngineDeps): Promise<Report> {
  const started = Date.now();
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => {});
  const signal = AbortSignal.timeout(config.timeoutMs);
  const clients = new ArmClients(deps.credential, config, signal);
  const graph = new GraphClient(deps.credential, config.graphEndpoint, config.cloud.graphScope, signal);
  const rbac = new RbacReader(clients);

  // The network SDKs take a while to parse: let that happen while the sign-in request is in flight.
  void preloadNetworkSdks().catch(() => undefined);
  // Sign in once before anything else, so that a sign-in failure is reported once and plainly.
  log(`Signing in (${config.auth})`);
  // The sign-in may be shared with one the adapter started earlier: bound it by this run's budget too.
  const budget = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
  const signIn = await Promise.race([deps.credential.getToken(config.cloud.armScope, { abortSignal: signal }), budget]).then(
    () => undefined,
    (err: unknown) => toReadFailure(`signing in with auth '${config.auth}'`, err),
  );

  const findings: Finding[] = [];
  const egress = new Map<string, string[]>();
  const clusterOutcomes: ClusterOutcome[] = [];
  const resolutions: RegistryResolution[] = [];
  if (signIn) {
    const detail = `${signIn.what} failed: ${signIn.message}`;
    for (const c of config.clusters) findings.push({ id: 'cluster', cluster: c.name, status: 'unknown', title: `Cluster ${c.name} could not be read`, detail });
    for (const r of config.registries) findings.push({ id: 'registry', registry: r.input, status: 'unknown', title: `Registry ${r.input} could not be resolved`, detail });
  } else {
    log(`Reading ${config.clusters.length} cluster(s) and ${config.registries.length} registry(ies)`);
    const net = new NetworkReader(clients);
    const dns = new SystemDnsResolver(config.dnsServers);
    const http = new RegistryHttp({ dns, connectTimeoutMs: config.connectTimeoutMs, signal, userAgent: `aks-acr-preflight/${deps.version}` });
    const probe: ProbeDeps = {
      dns,
      http,
      entraToken: async (scope) => (await deps.credential.getToken(scope, { abortSignal: signal }))?.token ?? '',
      armScope: config.cloud.armScope,
      secret: deps.secret ?? (() => {}),
      ...(config.tenantId && { tenantId: config.tenantId }),
    };
    const tokens = new PullTokens(probe);
    try {
      const clusterReads = config.clusters.map((ref) => gatherCluster(clients, graph, config, ref));
      const registryReads = resolveRegistries(clients, config.registries, config.subscriptionId);
      const resolved = (c: ClusterOutcome) => (c.facts.ok && c.facts.value ? c.facts.value : undefined);
      // Each pair starts as soon as its own cluster and registry are known.
      const pairChecks = (id: 'pull-permission' | 'registry-network') =>
        clusterReads.flatMap((clusterRead) =>
          registryReads.map(async (registryRead) => {
            const [c, r] = await Promise.all([clusterRead, registryRead]);
            const cluster = resolved(c);
            const cName = cluster?.name ?? c.ref.name;
            const rName = r.registry.ok && r.registry.value ? r.registry.value.name : r.ref.input;
            if (!cluster) return skipped(id, cName, rName, `The cluster ${c.ref.name} could not be resolved (see the cluster check).`);
            if (!r.registry.ok || !r.registry.value) return skipped(id, cName, rName, `The registry ${r.ref.input} could not be resolved (see the registry check).`);
            return id === 'pull-permission' ? pullPermission(rbac, config, cluster, r.registry.value, now) : registryNetwork(net, config, cluster, r.registry.value);
          }),
        );
      const permissions = pairChecks('pull-permission');
      const networks = pairChecks('registry-network');
      // The runner's path starts as soon as each registry is resolved.
      const runner = registryReads.map(async (registryRead) => {
        const r = await registryRead;
        return r.registry.ok && r.registry.value ? runnerPath(probe, net, r.registry.value, config.cloud.acrSuffix) : [];
      });
      // The token exchange for ACR-hosted images starts now, alongside the ARM reads that confirm the registry.
      const inputHosts = new Set(config.registries.map((r) => (r.kind === 'loginServer' ? r.loginServer : `${r.name}.${config.cloud.acrSuffix}`).toLowerCase()));
      const acrHosts = new Set(config.images.map((i) => i.host).filter((h) => inputHosts.has(h)));
      for (const host of acrHosts) tokens.prefetch(host);
      const images = config.images.map(async (ref) => {
        const all = await Promise.all(registryReads);
        const input = all.find((r) => {
          const v = r.registry.ok ? r.registry.value : undefined;
          return v ? sameHost(v.loginServer, ref.host) : r.ref.kind === 'loginServer' && sameHost(r.ref.loginServer, ref.host);
        });
        const acr = input?.registry.ok ? input.registry.value : undefined;
        const base = { id: 'image' as const, image: ref.input, registry: acr?.name ?? ref.host, path: 'runner' as const };
        if (input && !acr) return { ...base, status: 'skip' as const, title: `Image ${ref.input} not checked`, detail: `The registry ${input.ref.input} could not be resolved (see the registry check).` };
        const [facts, clusters] = await Promise.all([lookupImage(probe, tokens, ref, acr), Promise.all(clusterReads)]);
        const readClusters = clusters.flatMap((c) => resolved(c) ?? []);
        return safely(base, () => judgeImage({ image: facts, clusters: readClusters, ...(acr && { registry: acr }) }));
      });
      clusterOutcomes.push(...(await Promise.all(clusterReads)));
      resolutions.push(...(await Promise.all(registryReads)));
      for (const c of clusterOutcomes) findings.push(safely({ id: 'cluster', cluster: c.ref.name }, () => judgeCluster(c.ref, c.facts)));
      for (const r of resolutions) findings.push(safely({ id: 'registry', registry: r.ref.input }, () => judgeRegistry(r)));
      findings.push(...(await Promise.all(permissions)));
      findings.push(...(await Promise.all(networks)));
      findings.push(...(await Promise.all(runner)).flat());
      findings.push(...(await Promise.all(images)));
      for (const r of resolutions) {
        const registry = r.registry.ok ? r.registry.value : undefined;
        if (!registry) continue;
        const replications = await net.replications(registry);
        egress.set(registry.id, egressHosts(registry, replications.ok ? replications.value : []));
      }
    } finally {
      http.close();
    }
  }

  const clusters = clusterOutcomes.flatMap((c) => (c.facts.ok && c.facts.value ? [c.facts.value] : []));
  const registries = resolutions.flatMap((r) => (r.registry.ok && r.registry.value ? [r.registry.value] : []));
  return {
    schemaVersion: 1,
    tool: { name: 'aks-acr-preflight', version: deps.version },
    result: verdictOf(findings),
    durationMs: Date.now() - started,
    clusters: clusters.map((c) => ({
      id: c.id,
      name: c.name,
      location: c.location,
      kubeletIdentity: { source: c.kubelet.source, objectId: c.kubelet.objectId, clientId: c.kubelet.clientId, resourceId: c.kubelet.resourceId },
    })),
    registries: registries.map((r) => ({ id: r.id, name: r.name, loginServer: r.loginServer, ...(egress.has(r.id) && { egressHosts: egress.get(r.id) }) })),
    checks: findings,
  };
}
