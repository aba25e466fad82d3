// The `image` check: the image exists and has a manifest every node pool can run. Pure: the lookup the
// runner made (as the signed-in identity, or anonymously) and the clusters' node pools in, one finding out.
// The lookup is the runner's view: a registry that refuses the runner says nothing about the kubelet, but
// an image asked for that could not be looked at is never a pass.
//
// An image taken from `manifests` carries its uses: then only the pools its workloads can land on are
// judged (placement.ts), exactly; a workload that no pool of a cluster can run is a finding of its own.
import type { AzureUnavailable, ClusterFacts, Finding, ImageFacts, ImageRef, ImageUse, Platform, RegistryFacts, Status, Workload } from '../model.js';
import { isPrivateRegistry } from './registry-dns.js';
import { describePlatform, describePoolPlatform, isAttestation, platformsFor, poolPlatform, type PoolPlatform } from './platform.js';
import { landingOn, whereItLands, type PoolLanding } from './placement.js';
import { defineCheck, Unresolved } from './check.js';
import { SEVERITY } from './verdict.js';
import { aboutLine } from './subjects.js';

export interface ImageInput {
  /** the lookup; absent for a reference that is not looked up (a template placeholder, or its registry unresolved) */
  image?: ImageFacts;
  /** the reference, when there is no lookup (else image.ref) */
  ref?: ImageRef;
  /** the resolved clusters (may be empty when none could be read) */
  clusters: ClusterFacts[];
  /** the ACR this image is on, when it is one of the `registry` inputs */
  registry?: RegistryFacts;
  /** the workloads whose placement this image's check reports (each workload by the first image it uses) */
  workloads?: Workload[];
  /** why the image could not be looked up: something it depends on was not resolved */
  unresolved?: { reason: string; fix?: string };
  /** set when nothing could sign in to Azure: the node pools are not known, and that is a skip, not an unknown */
  azureSkipped?: AzureUnavailable;
}

interface PoolResult {
  cluster: string;
  pool: string;
  vmSize?: string;
  platform: PoolPlatform;
  /** the image's platforms this pool can run */
  runs: Platform[];
  /** warn: a pool of another OS than every platform of the image, while other pools run it (a nodeSelector keeps pods off it) */
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  /** with uses: the workloads that land there, and those that may (ARM does not tell) */
  lands?: string[];
  mayLand?: { workload: string; reasons: string[] }[];
}

/** A pool no workload of the image can land on: not judged. */
interface OffPool {
  cluster: string;
  pool: string;
  workloads: { workload: string; reasons: string[] }[];
}

/** An Azure Container Registry login server (with or without a domain name label hash): the registry name. */
const ACR_HOST = /^([a-z0-9]+)(?:-[a-z0-9]+)?\.azurecr\.(?:io|cn|us)$/i;
const ABAC = 'AbacRepositoryPermissions';
const TAGS_SHOWN = 5;

function acrNameOf(host: string): string | undefined {
  return ACR_HOST.exec(host)?.[1]?.toLowerCase();
}

const denies = (r: RegistryFacts | undefined) => r?.networkRuleSet?.defaultAction?.toLowerCase() === 'deny';

export const workloadName = (w: Workload) => w.source.workload ?? `${w.kind}/${w.name}`;
const workloadKey = (w: Workload) => `${w.source.file}:${w.source.line}|${w.kind}/${w.namespace ?? ''}/${w.name}`;

/** The distinct workloads of these uses, first first. */
export function workloadsOf(uses: ImageUse[]): Workload[] {
  const seen = new Map<string, Workload>();
  for (const u of uses) if (!seen.has(workloadKey(u.workload))) seen.set(workloadKey(u.workload), u.workload);
  return [...seen.values()];
}

/** The workloads of `ref` whose placement its check reports: those for which it is the first of `images` used. */
export function workloadsCarriedBy(ref: ImageRef, images: ImageRef[]): Workload[] {
  const first = (w: Workload) => images.find((i) => i.uses?.some((u) => workloadKey(u.workload) === workloadKey(w)));
  return workloadsOf(ref.uses ?? []).filter((w) => first(w)?.input === ref.input);
}

/** With uses: the pools some workload lands on (or may), and the pools none can. */
function poolsLandedOn(clusters: ClusterFacts[], uses: ImageUse[]) {
  const workloads = workloadsOf(uses);
  const on: { cluster: ClusterFacts; pool: ClusterFacts['agentPools'][number]; lands: string[]; mayLand: PoolResult['mayLand'] }[] = [];
  const off: OffPool[] = [];
  for (const c of clusters) {
    for (const p of c.agentPools) {
      const landings = workloads.map((w): [string, PoolLanding] => [workloadName(w), landingOn(w.placement, p, c)]);
      const lands = landings.filter(([, l]) => l.outcome === 'lands').map(([w]) => w);
      const mayLand = landings.filter(([, l]) => l.outcome === 'undetermined').map(([workload, l]) => ({ workload, reasons: l.reasons }));
      if (lands.length || mayLand.length) on.push({ cluster: c, pool: p, lands, mayLand });
      else off.push({ cluster: c.name, pool: p.name, workloads: landings.map(([workload, l]) => ({ workload, reasons: l.reasons })) });
    }
  }
  return { on, off };
}

function judgePools(clusters: ClusterFacts[], platforms: Platform[], uses?: ImageUse[]): { pools: PoolResult[]; off: OffPool[] } {
  const landed = uses ? poolsLandedOn(clusters, uses) : undefined;
  const targets = landed?.on ?? clusters.flatMap((cluster) => cluster.agentPools.map((pool) => ({ cluster, pool, lands: undefined, mayLand: undefined })));
  const results = targets.map(({ cluster: c, pool: p, lands, mayLand }): PoolResult => {
    const platform = poolPlatform(p);
    const runs = platformsFor(p, platforms);
    // A pool a workload only may land on (ARM does not tell) and that cannot run the image: not verified.
    const status = !platform.architecture ? 'unknown' : runs.length > 0 ? 'pass' : lands && lands.length === 0 ? 'unknown' : 'fail';
    return { cluster: c.name, pool: p.name, ...(p.vmSize ? { vmSize: p.vmSize } : {}), platform, runs, status, ...(lands && { lands, mayLand }) };
  });
  // With uses, the pools are exactly those the workloads can land on: no pool is another OS's matter.
  if (landed) return { pools: results, off: landed.off };
  // Mixed-OS clusters: a Linux image never runs on the Windows pool (and the reverse). Pods are kept on
  // their OS by the kubernetes.io/os node selector, so a pool of another OS is a risk, not a failure,
  // as long as some pool of the same cluster runs the image.
  const offOs = (r: PoolResult) => r.status === 'fail' && !platforms.some((p) => p.os.toLowerCase() === r.platform.os);
  const pools = results.map((r): PoolResult => (offOs(r) && results.some((o) => o.cluster === r.cluster && o.status === 'pass') ? { ...r, status: 'warn' } : r));
  return { pools, off: [] };
}

const poolName = (r: PoolResult) => `${r.cluster}/${r.pool}`;
const poolText = (r: PoolResult) => `${poolName(r)} (${describePoolPlatform(r.platform)}${r.vmSize ? `, ${r.vmSize}` : ''})`;

const landText = (r: PoolResult) => {
  const lands = r.lands?.length ? `${r.lands.join(', ')} can land there` : '';
  const may = r.mayLand?.length ? `${r.mayLand.map((m) => m.workload).join(', ')} may land there (${r.mayLand.flatMap((m) => m.reasons).join('; ')})` : '';
  return lands || may ? ` ${[lands, may].filter(Boolean).join('; ')}.` : '';
};

/** With uses: the first use whose workload lands (or may land) on one of these pools, so that the finding sits on its line. */
function culprit(uses: ImageUse[] | undefined, pools: PoolResult[]): Pick<Finding, 'source'> {
  const names = new Set(pools.flatMap((r) => [...(r.lands ?? []), ...(r.mayLand ?? []).map((m) => m.workload)]));
  const use = uses?.find((u) => names.has(workloadName(u.workload)));
  return use ? { source: use.source } : {};
}


/** The image's finding: the lookup against the node pools (those its workloads can land on, when it has uses). */
export function judgeImage(input: ImageInput): Finding {
  const ref = input.image?.ref ?? input.ref;
  if (!ref) throw new Error('judgeImage needs an image lookup or a reference');
  const uses = ref.uses?.length ? ref.uses : undefined;
  const from = uses ? { source: uses[0]!.source, sources: uses.map((u) => u.source) } : {};
  const one = input.clusters.length === 1 && input.clusters[0] ? { cluster: input.clusters[0].name } : {};
  const about = { id: 'image', image: ref.input, path: 'runner' } as const;
  // As the engine says it when a gather is unresolved (the check kept its workloads' findings).
  if (input.unresolved) return { ...about, status: 'skip', title: `${aboutLine('Image', 'image', { image: ref.input })} not checked`, detail: input.unresolved.reason, ...(input.unresolved.fix && { fix: input.unresolved.fix }), registry: ref.host, ...from };
  if (ref.unusable?.kind === 'placeholder' || !input.image) {
    const title = ref.input ? `${ref.input} is a template placeholder` : `The image of ${uses?.[0]?.source.workload ?? 'a workload'} is empty`;
    return { ...about, status: 'warn', title, detail: `${ref.unusable?.detail ?? ''} It was not looked up.`.trim(), ...one, ...from };
  }
  // an `images` entry that manifests name too is still judged on every pool, as the images input asks
  const found = judgeLookup({ ...input, image: input.image }, ref.given ? undefined : uses);
  if (ref.unusable?.kind !== 'untagged') return { ...from, ...found };
  // No tag or digest: the kubelet pulls :latest, which moves under the deploy. At least a warning.
  if (SEVERITY[found.status] >= SEVERITY.warn) return { ...from, ...found, notes: [...(found.notes ?? []), ref.unusable.detail] };
  return { ...from, ...found, status: 'warn', title: `${ref.input} has no tag: it pulls latest`, detail: `${ref.unusable.detail} Looked up as ${ref.input}:latest: ${found.detail}` };
}

/** Per workload and cluster: a workload that no node pool can run (a selector matches nothing, or every pool is tainted against it). */
export function judgeWorkloads({ workloads = [], clusters, ...input }: ImageInput): Finding[] {
  const ref = input.image?.ref ?? input.ref;
  return workloads.flatMap((w) =>
    clusters.flatMap((c): Finding[] => {
      const landings = whereItLands(w.placement, c);
      if (landings.length === 0 || landings.some((l) => l.outcome !== 'blocked')) return [];
      const name = workloadName(w);
      const at = `${w.source.file}:${w.source.line}`;
      const why = `No node pool of ${c.name} can run ${name} (${at}): ${landings.map((l) => `${l.pool}: ${l.reasons.join('; ')}`).join('. ')}.`;
      // Nodes ARM does not describe may still take it: not verified, never a false alarm.
      const others = c.otherNodes?.length ? c.otherNodes.join(' and ') : undefined;
      return [
        {
          id: 'image',
          status: others ? 'unknown' : 'fail',
          title: `${name} can run on no node pool of ${c.name}`,
          detail: others
            ? `${why} It may still land on nodes of ${others}, which ARM does not describe: whether it can run is not verified.`
            : `${why} ${w.kind === 'DaemonSet' ? 'It gets no pods' : 'Its pods stay Pending'}, and its images are never pulled. Change its nodeSelector, node affinity or tolerations, or give a node pool the labels it asks for (az aks nodepool update --labels).`,
          ...(ref && { image: ref.input }),
          cluster: c.name,
          source: w.source,
          sources: [w.source],
          evidence: { workload: name, pools: landings },
        },
      ];
    }),
  );
}

function judgeLookup({ image, clusters, registry, azureSkipped }: ImageInput & { image: ImageFacts }, uses: ImageUse[] | undefined): Finding {
  const { ref, lookup } = image;
  const name = ref.input;
  const acrName = registry?.name ?? acrNameOf(ref.host);
  const where = registry?.name ?? ref.host;
  const reference = ref.digest ? `digest ${ref.digest}` : `tag ${ref.tag ?? 'latest'}`;
  const evidence: Record<string, unknown> = { host: ref.host, registryHost: image.registryHost, repository: ref.repository, auth: image.auth, lookup };
  const finding = (status: Status, title: string, detail: string, more: Partial<Finding> = {}): Finding => ({
    id: 'image',
    status,
    title,
    detail,
    image: name,
    registry: where,
    ...(clusters.length === 1 && clusters[0] ? { cluster: clusters[0].name } : {}),
    path: 'runner',
    evidence,
    ...more,
  });

  switch (lookup.kind) {
    case 'found': {
      const digest = lookup.digest ?? 'not reported';
      const images = lookup.platforms.filter((p) => !isAttestation(p));
      const has = images.map(describePlatform).join(', ');
      const what = `${lookup.index ? 'index' : 'manifest'} ${digest} (${lookup.mediaType})`;
      if (images.length === 0) {
        return finding(
          'unknown',
          `Platforms of ${name} unknown`,
          `${name} exists (${what}) but names no platform${lookup.platforms.length ? ' other than attestations (unknown/unknown)' : ''}, so it cannot be matched with the node pools.`,
        );
      }
      const { pools, off } = judgePools(clusters, lookup.platforms, uses);
      evidence.pools = pools.map((r) => ({
        cluster: r.cluster,
        pool: r.pool,
        vmSize: r.vmSize,
        ...r.platform,
        runs: r.runs.map(describePlatform),
        status: r.status,
        ...(r.lands && { lands: r.lands, mayLand: r.mayLand }),
      }));
      if (uses) evidence.notLandedOn = off;
      const offText = off.length ? ` Not judged, as no workload of it can land there: ${off.map((o) => `${o.cluster}/${o.pool}`).join(', ')}.` : '';
      if (pools.length === 0 && uses && off.length > 0) {
        const workloads = workloadsOf(uses).map(workloadName).join(', ');
        return finding('skip', `${name}: no node pool to match`, `${name} exists (${what}; platforms ${has}), but no node pool can run ${workloads} (see the finding on ${workloads.includes(',') ? 'each' : 'it'}), so there is no pool to match it with.`);
      }
      if (pools.length === 0 && azureSkipped) {
        return finding('skip', `Node pools for ${name} not checked`, `The image exists (${what}; platforms ${has}); whether the node pools can run it was not checked: ${azureSkipped.reason}`, { fix: azureSkipped.fix });
      }
      if (pools.length === 0) {
        const why = clusters.length === 0 ? 'no cluster could be read' : `no node pool of ${clusters.map((c) => c.name).join(', ')} was reported`;
        return finding('unknown', `Node pools for ${name} unknown`, `The image exists (${what}; platforms ${has}) but the node pools could not be read (${why}), so whether they can run it is unknown.`);
      }
      const failed = pools.filter((r) => r.status === 'fail');
      const unknown = pools.filter((r) => r.status === 'unknown');
      const otherOs = pools.filter((r) => r.status === 'warn');
      const notes = pools
        .filter((r) => r.platform.os === 'windows' && r.status === 'pass')
        .flatMap((r) => {
          if (!r.platform.osVersion) return [`The Windows build of ${poolName(r)} is unknown (osSku not reported): process isolation needs the image's build to equal the node's.`];
          if (r.runs.every((p) => !p['os.version'])) return [`${name} does not say which Windows build it is for: process isolation on ${poolName(r)} needs build ${r.platform.osVersion}.`];
          return [];
        });
      if (lookup.proxy) notes.push(`${image.registryHost} was reached through proxy ${lookup.proxy}.`);
      const withNotes = notes.length ? { notes } : {};
      if (failed.length > 0) {
        const clustersFailed = [...new Set(failed.map((r) => r.cluster))];
        const lines = failed.map((r) => {
          const build = r.platform.os === 'windows' && r.platform.osVersion ? ` (process isolation needs an image for Windows build ${r.platform.osVersion})` : '';
          return `Node pool ${r.pool} of ${r.cluster} runs ${describePoolPlatform(r.platform)}${r.vmSize ? ` on ${r.vmSize}` : ''}${build}, and ${name} has no manifest for it.${landText(r)}`;
        });
        const also = unknown.length ? [`Also not determined: ${unknown.map(poolText).join(', ')}.`] : [];
        return finding(
          'fail',
          failed.length === 1 && failed[0] ? `${name} has no manifest for ${poolName(failed[0])}` : `${name} has no manifest for ${failed.length} node pools`,
          [
            ...lines,
            `The image has: ${has} (${what}).${offText}`,
            ...also,
            'Pods scheduled there fail to pull with "no match for platform in manifest". Build and push the image for that platform (docker buildx build --platform …), or keep the workload off those pools with a nodeSelector on kubernetes.io/os and kubernetes.io/arch.',
          ].join(' '),
          { ...(clustersFailed.length === 1 ? { cluster: clustersFailed[0] } : {}), ...withNotes, ...culprit(uses, failed) },
        );
      }
      if (unknown.length > 0) {
        const lines = unknown.map((r) =>
          r.platform.architecture
            ? `Node pool ${r.pool} of ${r.cluster} runs ${describePoolPlatform(r.platform)}, which ${name} has no manifest for, and whether its workloads land there is not known:${landText(r)}`
            : `Cannot tell the architecture of VM size ${r.vmSize ?? '(not reported)'} of node pool ${r.pool} of ${r.cluster}.`,
        );
        const pools = unknown.length === 1 && unknown[0] ? poolName(unknown[0]) : `${unknown.length} node pools`;
        return finding(
          'unknown',
          unknown.every((r) => r.platform.architecture) ? `${name} may land on ${pools} it has no manifest for` : `Platform${unknown.length === 1 ? '' : 's'} of ${pools} unknown for ${name}`,
          [...lines, `The image has: ${has} (${what}).${offText}`, 'Whether those pools can run it is not verified.'].join(' '),
          { ...withNotes, ...culprit(uses, unknown) },
        );
      }
      const runs = pools.filter((r) => r.status === 'pass').map((r) => `${poolText(r)} runs ${r.runs.map(describePlatform).join(', ')}`);
      if (otherOs.length > 0) {
        const os = [...new Set(images.map((p) => p.os))].join('/');
        return finding(
          'warn',
          `${name} runs on ${os} pools only`,
          `${name} is ${what}, platforms ${has}. ${runs.join('; ')}. It has no manifest for ${otherOs.map(poolText).join(', ')}: pods that land there fail to pull. Keep them off with nodeSelector kubernetes.io/os: ${os}.`,
          withNotes,
        );
      }
      const every = uses ? 'every node pool its workloads can land on' : 'every node pool';
      return finding('pass', `${name} runs on ${every}`, `${name} is ${what}, platforms ${has}. ${runs.join('; ')}.${offText}`, withNotes);
    }

    case 'missing-repository':
      return finding('fail', `Repository ${ref.repository} not found`, `Repository ${ref.repository} does not exist in ${ref.host}: ${lookup.detail} Pods using ${name} fail with ErrImagePull.`, {
        ...(acrName ? { fix: `az acr repository list --name ${acrName} -o table` } : {}),
      });

    case 'missing-tag': {
      const tags = lookup.tags?.length ? ` Some tags it has: ${lookup.tags.slice(0, TAGS_SHOWN).join(', ')}${lookup.tags.length > TAGS_SHOWN ? ', …' : ''}.` : '';
      evidence.tags = lookup.tags;
      return finding(
        'fail',
        `${ref.digest ? 'Digest' : 'Tag'} of ${name} not found`,
        `Repository ${ref.repository} in ${ref.host} has no ${reference}: ${lookup.detail}${tags} Pods using ${name} fail with ErrImagePull (often reported as 401 or "not found").`,
        acrName ? { fix: `az acr repository show-tags --name ${acrName} --repository ${ref.repository} -o table` } : {},
      );
    }

    case 'needs-credentials': {
      if (registry) {
        return finding(
          'unknown',
          `${name} could not be verified`,
          `The runner could not get a pull token for ${registry.loginServer} (${lookup.detail}), so the image was not looked at. Whether the kubelet may pull is judged by the pull-permission check.`,
        );
      }
      const server = ref.host === 'docker.io' ? 'https://index.docker.io/v1/' : ref.host;
      const acr = acrNameOf(ref.host)
        ? ` ${ref.host} is an Azure Container Registry that is not in the registry input: add ${acrNameOf(ref.host)} to the registry input so that the kubelet's role assignments on it can be checked; without a pull role the cluster needs an imagePullSecret for it.`
        : ` The kubelet's managed identity only authenticates to Azure Container Registry: the cluster needs an imagePullSecret for ${ref.host} in the pod's namespace (on the pod spec or its service account).`;
      return finding(
        'warn',
        `${ref.host} needs credentials for ${name}`,
        `${image.registryHost} refused anonymous access to ${ref.repository} (${lookup.detail}).${acr} The image itself could not be verified without credentials.`,
        { fix: `kubectl create secret docker-registry <secret-name> --docker-server=${server} --docker-username=<user> --docker-password=<password-or-token> --namespace <namespace>` },
      );
    }

    case 'denied': {
      const abac = registry?.roleAssignmentMode === ABAC;
      const role = registry ? (abac ? 'Container Registry Repository Reader' : 'AcrPull') : 'AcrPull (or Container Registry Repository Reader when its roleAssignmentMode is AbacRepositoryPermissions)';
      const roleArg = abac ? '"Container Registry Repository Reader"' : 'AcrPull';
      const scope = registry?.id ?? (acrName ? `$(az acr show --name ${acrName} --query id -o tsv)` : undefined);
      return finding(
        'unknown',
        `${name} could not be verified: the signed-in identity may not pull from ${where}`,
        `${where} refused a pull token to the identity this action signed in as (${lookup.detail}). That is the runner's identity, not the kubelet's (the pull-permission check judges the kubelet), so the image could not be looked at. ` +
          `To verify images, give the signed-in identity ${role} on ${where}.`,
        scope ? { fix: `az role assignment create --assignee <the signed-in identity> --role ${roleArg} --scope ${scope}` } : {},
      );
    }

    case 'malformed':
      return finding(
        'unknown',
        `${name} could not be verified: malformed answer from ${image.registryHost}`,
        `${image.registryHost} answered, but not as the registry protocol says: ${lookup.detail}. Whether ${name} exists and runs on the node pools is not verified.`,
      );

    case 'unreachable': {
      const http = lookup.http;
      const how =
        (http?.proxy ? ` through proxy ${http.proxy}` : '') + (http?.error ? ` (${http.error.code} during ${http.error.phase})` : http?.status ? ` (HTTP ${http.status})` : '');
      let why = '';
      if (registry && isPrivateRegistry(registry)) {
        why =
          ` ${where} has public network access disabled and the runner is outside its network: the image can only be verified from a runner inside it ` +
          `(a self-hosted runner in a VNet that reaches its private endpoint). Images asked for must be verified, so this is not skipped; the cluster's own path is judged by the registry-network check.`;
      } else if (denies(registry) && http?.status === 403) {
        why = ` The firewall of ${where} (default action Deny) refuses the runner's IP: verify the image from an allowed network, or allow the runner (az acr network-rule add --name ${where} --ip-address <runner ip>).`;
      }
      return finding('unknown', `${name} could not be looked up`, `${image.registryHost} could not be reached from the runner${how}: ${lookup.detail}${why}`);
    }
  }
}

export const check = defineCheck({
  meta: { id: 'image', subject: 'image', path: 'runner', what: 'Image', appliesTo: (config) => config.images.length > 0 },
  async gather(facts, ref): Promise<ImageInput> {
    const workloads = workloadsCarriedBy(ref, facts.config.images);
    const carried = workloads.length ? { workloads } : {};
    // A template placeholder is not looked up; its workloads' placement is still judged.
    if (ref.unusable?.kind === 'placeholder') return { ref, clusters: await facts.resolvedClusters(), ...carried };
    const lookup = facts.image(ref).catch((err: unknown) => {
      // Without workloads to report, the engine makes this the usual skip.
      if (err instanceof Unresolved && workloads.length) return err;
      throw err;
    });
    const [image, clusters, owner] = await Promise.all([lookup, facts.resolvedClusters(), facts.registryOfHost(ref.host)]);
    if (image instanceof Unresolved) return { ref, clusters, unresolved: { reason: image.reason, ...(image.fix && { fix: image.fix }) }, ...carried };
    const registry = owner?.registry.ok ? owner.registry.value : undefined;
    const azureSkipped = facts.config.azureUnavailable;
    return { image, clusters, ...(registry && { registry }), ...carried, ...(azureSkipped && { azureSkipped }) };
  },
  judge: (input) => [judgeImage(input), ...judgeWorkloads(input)],
});
