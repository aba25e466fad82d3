// Ties a pull failure seen inside the cluster to the finding of this run that explains it. The ARM
// findings come from the checks' own gather and judge over the run's memoised facts, so nothing is read
// twice; `explain` is pure.
import type { Facts } from '../facts.js';
import { parseImageRef } from '../image-ref.js';
import type { ClusterRef, Finding, ImageRef } from '../model.js';
import type { AnyCheck, SubjectKind, Subjects } from './check.js';
import { check as image } from './image.js';
import { check as pullPermission } from './pull-permission.js';
import { check as pullSecret } from './pull-secret.js';
import type { Cause, SymptomClass } from './pull-symptom.js';
import { check as registryNetwork } from './registry-network.js';


/**
 * One check on one subject, as the engine runs it. What could not be judged (something unresolved, or a
 * crash, which that check's own finding reports) explains nothing.
 */
async function findingsOf<K extends SubjectKind>(facts: Facts, c: AnyCheck, subject: Subjects[K]): Promise<Finding[]> {
  try {
    const out = c.judge(await c.gather(facts, subject));
    return Array.isArray(out) ? out : [out];
  } catch {
    return [];
  }
}

const sameImage = (a: ImageRef, b: ImageRef) =>
  a.host === b.host && a.repository === b.repository && (a.digest ?? a.tag) === (b.digest ?? b.tag);

/**
 * The findings that can explain a failed pull of `ref` on `cluster`: pull permission and network path
 * when the image is on a registry input; the image check when the image is one of the run's images, and
 * its pull secret when it is on another registry.
 */
export async function findingsAbout(facts: Facts, cluster: ClusterRef, ref: ImageRef): Promise<Finding[]> {
  const owner = await facts.registryOfHost(ref.host);
  const known = facts.config.images.find((i) => sameImage(i, ref));
  const reads: Promise<Finding[]>[] = [];
  if (owner) {
    const pair = { cluster, registry: owner.ref };
    reads.push(findingsOf(facts, pullPermission as AnyCheck, pair), findingsOf(facts, registryNetwork as AnyCheck, pair));
  }
  if (known) reads.push(findingsOf(facts, image as AnyCheck, known));
  if (known && !owner) reads.push(findingsOf(facts, pullSecret as AnyCheck, known));
  return (await Promise.all(reads)).flat();
}

/** The same for an image as the cluster names it; an image that does not parse has nothing to explain it. */
export async function findingsAboutImage(facts: Facts, cluster: ClusterRef, image: string): Promise<Finding[]> {
  let ref: ImageRef;
  try {
    ref = parseImageRef(image);
  } catch {
    return [];
  }
  return findingsAbout(facts, cluster, ref);
}

const THROTTLING_NOTE = /throttl|toomanyrequests|429/i;

/** The finding that explains a symptom of this class, most likely first; undefined when none does. */
export function explain(symptom: SymptomClass, findings: readonly Finding[]): Cause | undefined {
  for (const id of symptom.explainedBy) {
    for (const f of findings.filter((x) => x.id === id)) {
      const cause = { id: f.id, status: f.status, title: f.title, ...(f.fix && { fix: f.fix }) };
      // An image the runner could not look at says nothing about why the kubelet failed.
      if (f.status === 'fail' || f.status === 'warn' || (f.status === 'unknown' && f.id !== 'image')) return cause;
      const note = symptom.kind === 'throttling' ? f.notes?.find((n) => THROTTLING_NOTE.test(n)) : undefined;
      if (note) return { ...cause, note };
    }
  }
  return undefined;
}
