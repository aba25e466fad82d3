// The `manifests` input, read before any Azure call: files → workloads → the images to check, merged
// with `images`. Both adapters call loadManifests right after parsing the inputs; an InputError from
// here (malformed YAML, a pattern that matches nothing, an unreadable file) ends the run as any
// invalid input does.
import type { Config, Workload } from '../model.js';
import { manifestFiles, readManifest } from './files.js';
import { mergeImages } from './images.js';
import { parseManifest } from './parse.js';

export interface ManifestsRead {
  /** the config with `images` replaced by the merge (the same config when there are no manifests) */
  config: Config;
  /** the files read, relative to the workspace */
  files: string[];
  workloads: Workload[];
  /** one line for the log: what was read */
  summary?: string;
  /** a fact worth a notice: the manifests name no image at all */
  notice?: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Reads config.manifests relative to `workspace` (GITHUB_WORKSPACE in the action, the working directory in the CLI). */
export async function loadManifests(config: Config, workspace: string): Promise<ManifestsRead> {
  if (config.manifests.length === 0) return { config, files: [], workloads: [] };
  const files = await manifestFiles(config.manifests, workspace);
  const texts = await Promise.all(files.map(readManifest));
  const parsed = files.map((f, i) => parseManifest(texts[i] ?? '', f.file));
  const found = parsed.flatMap((p) => p.images);
  const workloads = parsed.flatMap((p) => p.workloads);
  const images = mergeImages(config.images, found);
  const fromManifests = images.filter((i) => i.uses?.length).length;
  const read: ManifestsRead = {
    config: { ...config, images },
    files: files.map((f) => f.file),
    workloads,
    summary: `manifests: ${plural(files.length, 'file')}, ${plural(workloads.length, 'workload')}, ${plural(found.length, 'container image')} (${plural(fromManifests, 'distinct reference')})`,
  };
  if (found.length === 0) {
    read.notice =
      `The manifests (${files.map((f) => f.file).join(', ')}) name no container image: no Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod, Rollout ` +
      `or other object with a pod spec (spec.template.spec) was found in them${config.images.length ? '; only the images input is checked' : ', so no image is checked'}.`;
  }
  return read;
}
