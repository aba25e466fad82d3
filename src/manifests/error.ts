// The error every problem with the `manifests` input ends in: an InputError naming the input, with the
// place (file, line, column) when there is one, so the action can annotate the failure on that line.
import { InputError, INPUT_NAMES } from '../config.js';

/** What `manifests` accepts, for every error about it. */
export const MANIFESTS_ACCEPTED =
  'files, directories (read recursively for *.yaml, *.yml and *.json) or globs (e.g. k8s/**/*.yaml), one per line, relative to the workspace, ' +
  'holding Kubernetes manifests as YAML (one or more documents, e.g. `helm template` or `kustomize build` output) or JSON';

export interface ManifestPlace {
  /** relative to the workspace */
  file: string;
  line: number;
  column: number;
}

export class ManifestError extends InputError {
  constructor(
    message: string,
    readonly place?: ManifestPlace,
  ) {
    super(INPUT_NAMES.manifests, message);
  }
}

/** `Input 'manifests': k8s/app.yaml:12:5: <reason>. Accepted: …`; without a line, the file (or pattern) alone. */
export function manifestError(file: string, at: { line: number; col: number } | undefined, reason: string): ManifestError {
  const where = at ? `${file}:${at.line}:${at.col}` : file;
  const message = `Input '${INPUT_NAMES.manifests}': ${where}: ${reason}. Accepted: ${MANIFESTS_ACCEPTED}.`;
  return new ManifestError(message, at && { file, line: at.line, column: at.col });
}
