// The images the manifests name, merged with the `images` input: one ImageRef per distinct reference,
// in first-seen order, with every place it appears under `uses`.
//
// "Distinct" is the reference as the kubelet would pull it, normalised the way docker normalises it,
// but keeping whether a tag was written: `nginx`, `docker.io/nginx` and `docker.io/library/nginx` are
// one image; `nginx:latest` is another (it pins nothing either, but it says so, and is not flagged);
// `app:1` and `app:1@sha256:…` are two (the digest is what is pulled). A template placeholder is
// distinct by its text as written.
import { parseImageRef } from '../image-ref.js';
import type { ImageRef } from '../model.js';
import { manifestError } from './error.js';
import type { ImageFound } from './parse.js';

/** An unrendered template: Helm/Go `{{ … }}`, shell/envsubst `${…}`, Kubernetes-style `$(…)`. */
const PLACEHOLDER = /\{\{|\$\{|\$\(/;

/** Host and repository of a placeholder, as far as the text before the placeholder says them ('' when it does not). */
function guessName(written: string): { host: string; repository: string } {
  const at = written.search(PLACEHOLDER);
  const before = at < 0 ? written : written.slice(0, at);
  const name = before.replace(/[:@][^/]*$/, '');
  if (name !== before && name !== '') {
    // the placeholder is in the tag or digest: the name before it is whole
    try {
      const ref = parseImageRef(name);
      return { host: ref.host, repository: ref.repository };
    } catch {
      /* not a name after all */
    }
  }
  const slash = before.indexOf('/');
  if (slash > 0) {
    const first = before.slice(0, slash);
    try {
      if (parseImageRef(`${first}/x`).host === first.toLowerCase()) return { host: first.toLowerCase(), repository: '' };
    } catch {
      /* no host either */
    }
  }
  return { host: '', repository: '' };
}

/** Whether a parsed reference was written with a tag (parseImageRef fills in `latest` when not). */
function tagWritten(ref: ImageRef): boolean {
  return ref.tag !== undefined && ref.input.replace(/@.*$/, '').endsWith(`:${ref.tag}`);
}

/** What makes two references one image (see the top of this file). */
function keyOf(ref: ImageRef): string {
  if (ref.unusable?.kind === 'placeholder') return `placeholder ${ref.input}`;
  return `${ref.host}/${ref.repository}${tagWritten(ref) ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** An image from a manifest, with `unusable` when it cannot be pulled as written. Throws an InputError at its place when it is no reference at all. */
function refOf(found: ImageFound): ImageRef {
  const written = found.image;
  const { source } = found.use;
  const at = { line: source.line, col: source.column ?? 1 };
  const where = `${source.workload ?? ''} container ${source.container || '(unnamed)'}`;
  if (written === '' || PLACEHOLDER.test(written)) {
    const detail =
      written === ''
        ? `The image of ${where} is empty: a template value that was never set? Render the manifests with their values (helm template …, kustomize build …) and check the output.`
        : `The image '${written}' of ${where} is an unrendered template placeholder: what it pulls is decided at deploy time and cannot be checked. Render the manifests (helm template …, envsubst, kustomize build …) and check the output.`;
    return { input: written, ...guessName(written), unusable: { kind: 'placeholder', detail } };
  }
  let ref: ImageRef;
  try {
    ref = parseImageRef(written);
  } catch (error) {
    throw manifestError(source.file, at, `the image '${written}' of ${where} is not a valid image reference: ${(error as Error).message}`);
  }
  if (!tagWritten(ref) && ref.digest === undefined) {
    ref.unusable = {
      kind: 'untagged',
      detail: `The image '${written}' of ${where} has no tag or digest: the kubelet pulls :latest, so what runs changes whenever the tag moves. Pin a tag or, better, a digest (${written}:1.2.3 or ${written}@sha256:…).`,
    };
  }
  return ref;
}

/**
 * `images` first (as given; copies, the config's own are not changed), then each image of the manifests in the order found; a
 * reference seen before adds its place to that one's `uses`. An `images` entry that a manifest names
 * too takes that use (and, when untagged, its `unusable`): the warning is about the manifest's line. It is
 * marked `given`: the `images` input asks for every node pool, not only those its workloads land on.
 */
export function mergeImages(given: ImageRef[], found: ImageFound[]): ImageRef[] {
  const byKey = new Map<string, ImageRef>();
  const merged: ImageRef[] = [];
  for (const entry of given) {
    const ref = { ...entry };
    const key = keyOf(ref);
    if (!byKey.has(key)) byKey.set(key, ref);
    merged.push(ref);
  }
  for (const f of found) {
    const ref = refOf(f);
    const seen = byKey.get(keyOf(ref));
    if (seen) {
      // only an `images` entry has no uses yet (a manifest's image gets its first use as it is found)
      if (!seen.uses) seen.given = true;
      seen.uses = [...(seen.uses ?? []), f.use];
      if (ref.unusable && !seen.unusable) seen.unusable = ref.unusable;
      continue;
    }
    ref.uses = [f.use];
    byKey.set(keyOf(ref), ref);
    merged.push(ref);
  }
  return merged;
}
