// What the checks are about: the subjects the engine plans from the configuration, and the names a
// finding carries for each (the resource's name as ARM reports it, else the input as given).
import type { Facts } from '../facts.js';
import type { Config, Finding } from '../model.js';
import type { SubjectKind, Subjects } from './check.js';

type Named = Pick<Finding, 'cluster' | 'registry' | 'image'>;

export function planSubjects<K extends SubjectKind>(config: Config, kind: K): Subjects[K][] {
  const plans: { [P in SubjectKind]: () => Subjects[P][] } = {
    cluster: () => config.clusters,
    registry: () => config.registries,
    pair: () => config.clusters.flatMap((cluster) => config.registries.map((registry) => ({ cluster, registry }))),
    image: () => config.images,
  };
  return plans[kind]() as Subjects[K][];
}

/** The names a finding about this subject carries. */
export async function namesOf<K extends SubjectKind>(facts: Facts, kind: K, subject: Subjects[K]): Promise<Named> {
  const cluster = async (ref: Subjects['cluster']) => {
    const c = await facts.cluster(ref).catch(() => undefined);
    return c?.ok && c.value ? c.value.name : ref.name;
  };
  const registry = async (ref: Subjects['registry']) => {
    const r = await facts.registry(ref).catch(() => undefined);
    return r?.registry.ok && r.registry.value ? r.registry.value.name : ref.input;
  };
  const names: { [P in SubjectKind]: (s: Subjects[P]) => Promise<Named> } = {
    cluster: async (s) => ({ cluster: await cluster(s) }),
    registry: async (s) => ({ registry: await registry(s) }),
    pair: async (s) => ({ cluster: await cluster(s.cluster), registry: await registry(s.registry) }),
    image: async (s) => {
      const owner = await facts.registryOfHost(s.host);
      return { image: s.input, registry: owner?.registry.ok && owner.registry.value ? owner.registry.value.name : s.host };
    },
  };
  return (names[kind] as (s: Subjects[K]) => Promise<Named>)(subject);
}

/** "Pull permission of aks1 to myacr", "Image app:1": what a skipped finding was about. */
export function aboutLine(what: string, kind: SubjectKind, n: Named): string {
  if (kind === 'image') return `${what} ${n.image}`;
  return `${what} of ${[n.cluster, n.registry].filter(Boolean).join(' to ')}`;
}
