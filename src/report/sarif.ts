// SARIF 2.1.0 for code scanning (github/codeql-action/upload-sarif). Pure: the report in, the log out.
// One rule per check id; one result per finding that points at a file and line (an image taken from
// `manifests`): fail and unknown are `error`, warn is `warning`, a pass with notes is a `note`; what
// passed or was skipped is no alert. Within code scanning's limits: at most 25,000 results per run
// (the most urgent kept, and a notification that says how many were left out), under 10 MB gzipped,
// at most 100 related locations per result (what GitHub shows of its 1,000), messages kept short.
// partialFingerprints hash what the finding is about (check, file, workload, container, image,
// cluster, registry), not its line or wording, so an alert follows its image across runs and edits.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { CheckId, Finding, ImageSource, Report, Status } from '../model.js';
import { byUrgency } from './labels.js';

export const SARIF_SCHEMA_URL = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Where the checks are documented: the README's checks table. */
export const CHECKS_HELP_URI = 'https://github.com/your-org/aks-acr-preflight#checks';

export const SARIF_LIMITS = {
  /** code scanning rejects a run with more */
  resultsPerRun: 25_000,
  /** code scanning rejects a larger upload (gzipped); ours keeps a margin under 10 MB */
  gzipBytes: 9_500_000,
  /** code scanning keeps 1,000 locations per result and shows 100 */
  relatedLocations: 100,
  /** a result's message: long enough for the title, the detail and the fix of any finding we write */
  messageChars: 4_000,
} as const;

/** What each check verifies (CONTRACT.md's checks table), the rules' descriptions. */
const RULES: Record<CheckId, { name: string; short: string }> = {
  cluster: { name: 'Cluster', short: 'The cluster exists and the principal its kubelet pulls with is known.' },
  registry: { name: 'Registry', short: 'The registry exists and is resolved to one ARM resource.' },
  'pull-permission': { name: 'PullPermission', short: "Azure RBAC lets the kubelet's principal pull from the registry." },
  'registry-network': { name: 'RegistryNetwork', short: "The registry's network settings let the cluster's nodes in." },
  'registry-dns': { name: 'RegistryDns', short: 'The login server and data endpoints resolve from the runner.' },
  'registry-endpoint': { name: 'RegistryEndpoint', short: 'The registry answers on https://<login server>/v2/ over valid TLS.' },
  image: { name: 'Image', short: "The image exists and has a manifest for every node pool's OS and architecture it can land on." },
  'in-cluster-pull': { name: 'InClusterPull', short: 'A pod pinned to each node pool pulled the image, as the kubelet does.' },
  'pod-symptoms': { name: 'PodSymptoms', short: 'No pod is stuck in ImagePullBackOff or ErrImagePull without its cause named.' },
  'pull-secret': { name: 'PullSecret', short: 'An image on a registry that is not a checked ACR has an imagePullSecret for its host.' },
};

type Level = 'error' | 'warning' | 'note';
const LEVEL: Partial<Record<Status, Level>> = { fail: 'error', unknown: 'error', warn: 'warning' };

function levelOf(f: Finding): Level | undefined {
  return LEVEL[f.status] ?? (f.status === 'pass' && f.notes?.length ? 'note' : undefined);
}

/** A workspace-relative path as a URI reference: each segment percent-encoded. */
const uriOf = (file: string) => file.split('/').map(encodeURIComponent).join('/');

function location(s: ImageSource, message?: string) {
  const region: Record<string, number> = { startLine: s.line, endLine: Math.max(s.endLine ?? s.line, s.line) };
  if (s.column) region.startColumn = s.column;
  return {
    physicalLocation: { artifactLocation: { uri: uriOf(s.file), uriBaseId: '%SRCROOT%' }, region },
    ...(message && { message: { text: message } }),
  };
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function messageOf(f: Finding, level: Level): string {
  const where = f.source?.template ? ` (rendered from ${f.source.template})` : '';
  const body = level === 'note' ? (f.notes ?? []).join(' ') : f.detail;
  const fix = f.fix ? ` Fix: ${f.fix}` : '';
  const head = `${f.title}${where}.`;
  // The fix stays whole when it fits: the detail is cut first.
  const room = SARIF_LIMITS.messageChars - head.length - fix.length - 1;
  return room > 40 ? `${head} ${clip(body, room)}${fix}` : clip(`${head} ${body}${fix}`, SARIF_LIMITS.messageChars);
}

/** Stable across runs: what the finding is about, never its line, status or wording. */
export function fingerprintOf(f: Finding): string {
  const s = f.source;
  const about = [f.id, s?.file, s?.workload, s?.container, f.image, f.cluster, f.registry, f.pool].map((x) => x ?? '').join('\u0000');
  return createHash('sha256').update(about).digest('hex').slice(0, 32);
}

function result(f: Finding & { source: ImageSource }, level: Level) {
  const related = (f.sources ?? []).filter((s) => s !== f.source && !(s.file === f.source.file && s.line === f.source.line));
  return {
    ruleId: f.id,
    ruleIndex: (Object.keys(RULES) as CheckId[]).indexOf(f.id),
    level,
    message: { text: messageOf(f, level) },
    locations: [location(f.source)],
    ...(related.length && {
      relatedLocations: related.slice(0, SARIF_LIMITS.relatedLocations).map((s, i) => ({ id: i + 1, ...location(s, [s.workload, s.container].filter(Boolean).join(' ') || 'also here') })),
    }),
    partialFingerprints: { 'aksAcrPreflightFinding/v1': fingerprintOf(f) },
    properties: { status: f.status, ...(f.cluster && { cluster: f.cluster }), ...(f.registry && { registry: f.registry }), ...(f.image && { image: f.image }) },
  };
}

export interface SarifOptions {
  /** the workspace's absolute path, for originalUriBaseIds (GITHUB_WORKSPACE); the uris are relative to it */
  srcRoot?: string;
  /** for tests: other limits */
  limits?: { resultsPerRun?: number; gzipBytes?: number };
}

/** The SARIF log, and how many results were left out to stay within code scanning's limits. */
export function sarifLog(report: Report, options: SarifOptions = {}) {
  const limits: { resultsPerRun: number; gzipBytes: number } = { ...SARIF_LIMITS, ...options.limits };
  const all = byUrgency(report.checks).flatMap((f) => {
    const level = levelOf(f);
    return f.source && level ? [result(f as Finding & { source: ImageSource }, level)] : [];
  });
  let kept = all.slice(0, limits.resultsPerRun);
  const log = (results: typeof all) => {
    const dropped = all.length - results.length;
    const notes = dropped
      ? [{ level: 'warning', message: { text: `${dropped} of ${all.length} results were left out to stay within code scanning's limits (${limits.resultsPerRun} results per run, ${limits.gzipBytes} bytes gzipped), the least urgent first; the JSON report lists every finding.` } }]
      : [];
    return {
      $schema: SARIF_SCHEMA_URL,
      version: '2.1.0' as const,
      runs: [
        {
          tool: {
            driver: {
              name: 'aks-acr-preflight',
              version: report.tool.version,
              semanticVersion: report.tool.version,
              informationUri: CHECKS_HELP_URI.replace(/#.*$/, ''),
              rules: (Object.entries(RULES) as [CheckId, (typeof RULES)[CheckId]][]).map(([id, r]) => ({
                id,
                name: r.name,
                shortDescription: { text: r.short },
                fullDescription: { text: r.short },
                helpUri: CHECKS_HELP_URI,
                help: { text: `${r.short} See the checks table of the README for what the check reads and how to fix what it finds.` },
                defaultConfiguration: { level: 'error' },
              })),
            },
          },
          invocations: [{ executionSuccessful: true, toolExecutionNotifications: notes }],
          ...(options.srcRoot && { originalUriBaseIds: { '%SRCROOT%': { uri: `file://${uriOf(options.srcRoot.replace(/\/?$/, '/'))}` } } }),
          results,
          properties: { result: report.result, resultsDropped: dropped },
        },
      ],
    };
  };
  // Under the gzipped size limit: drop the least urgent tenth until it fits (a few rounds at most).
  while (kept.length > 0 && gzipSync(JSON.stringify(log(kept))).length > limits.gzipBytes) kept = kept.slice(0, Math.floor(kept.length * 0.9));
  return log(kept);
}

export type SarifLog = ReturnType<typeof sarifLog>;
