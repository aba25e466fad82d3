// Which image each node pool × registry pulls in the in-cluster probe. Pure.
//
// For each pool and each resolved registry: the first image on that registry (from `images`, which holds
// the manifests' images too) that the pool can run, else the first whose platforms the runner could not
// see (the cluster's view may differ: a private registry), else `probe-image` when it is on that registry,
// else none: that pool × registry is not probed, and in-cluster-pull says to set `probe-image`. A pool
// scaled to zero is not probed either (`scaledToZero`): its pod would wait for, or trigger, a scale-up.
import { sameHost } from '../image-ref.js';
import type { AgentPool, ClusterFacts, ImageFacts, ImageRef, PlannedProbe, RegistryFacts } from '../model.js';
import { platformsFor, poolPlatform } from './platform.js';

/** true: the pool can run it; false: it cannot; undefined: the runner could not see its platforms. */
function fits(pool: AgentPool, facts: ImageFacts | undefined): boolean | undefined {
  if (facts?.lookup.kind !== 'found') return undefined;
  return platformsFor(pool, facts.lookup.platforms).length > 0;
}

export interface PlanInput {
  cluster: ClusterFacts;
  registries: RegistryFacts[];
  images: ImageRef[];
  /** what the runner saw of each image, by ImageRef.input (missing: not looked up) */
  lookups: ReadonlyMap<string, ImageFacts>;
  probeImage?: ImageRef;
}

export function planProbes({ cluster, registries, images, lookups, probeImage }: PlanInput): PlannedProbe[] {
  return cluster.agentPools.flatMap((pool) => {
    const platform = poolPlatform(pool);
    return registries.map((registry): PlannedProbe => {
      const candidates = images.filter((i) => !i.unusable && sameHost(i.host, registry.loginServer));
      const verdicts = candidates.map((i) => fits(pool, lookups.get(i.input)));
      const chosen = candidates[verdicts.indexOf(true)] ?? candidates[verdicts.indexOf(undefined)];
      const probe = !chosen && probeImage && sameHost(probeImage.host, registry.loginServer) ? probeImage : undefined;
      const image = pool.count === 0 ? undefined : (chosen ?? probe);
      return {
        pool: pool.name,
        host: registry.loginServer,
        registry: registry.name,
        os: platform.os,
        ...(platform.architecture && { arch: platform.architecture }),
        ...(image && { image, from: chosen ? 'images' : 'probe-image' }),
        ...(pool.count === 0 && { scaledToZero: true }),
      };
    });
  });
}
