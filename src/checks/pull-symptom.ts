// What a kubelet's pull failure message means. Pure: a message in, a kind out, with the words the
// findings use. The patterns are the ones containerd, dockershim and the registries themselves write
// (the table test lists real messages from public issue threads). Order matters: the most specific
// first, since one message often chains several errors (containerd reports "no match for platform in
// manifest: not found", and a missing tag often follows a refused anonymous token).
import type { CheckId, Finding, StuckPod } from '../model.js';

export type SymptomKind = 'platform' | 'throttling' | 'firewall' | 'not-found' | 'auth' | 'tls' | 'dns' | 'network' | 'unclassified';

export interface SymptomClass {
  kind: SymptomKind;
  /** a short label: "401 Unauthorized", "DNS: no such host" */
  label: string;
  /** what it usually means, in a sentence */
  meaning: string;
  /** the checks of a run whose finding can explain it, most likely first */
  explainedBy: readonly CheckId[];
}

const CLASSES: readonly (SymptomClass & { patterns: readonly RegExp[] })[] = [
  {
    kind: 'platform',
    label: 'no manifest for the node platform',
    meaning: "the image has no manifest for the node's OS and architecture (an arm64 or Windows pool, an amd64-only image)",
    explainedBy: ['image'],
    patterns: [/no match for platform in manifest/i, /no matching manifest for \S+ in the manifest list/i],
  },
  {
    kind: 'throttling',
    label: 'throttled (429)',
    meaning: 'the registry throttled the pulls (too many at once, or a pull rate limit)',
    explainedBy: ['registry-network'],
    patterns: [/toomanyrequests/i, /\b429 Too Many Requests\b/i, /\bstatus(?: code)?:? 429\b/i],
  },
  {
    kind: 'firewall',
    label: '403 Forbidden (firewall or private DNS)',
    meaning: "the registry refused the node's address: its firewall does not allow the cluster's egress, or public access is disabled and the name resolved to the public endpoint instead of the private one",
    explainedBy: ['registry-network'],
    patterns: [/client with IP '[^']*' is not allowed access/i, /\b403 Forbidden\b/i],
  },
  {
    kind: 'not-found',
    label: 'not found (tag or repository)',
    meaning: 'the repository or the tag does not exist in the registry',
    explainedBy: ['image'],
    patterns: [/manifest unknown/i, /\bNAME_UNKNOWN\b/, /repository name not known/i, /: not found\b/i],
  },
  {
    kind: 'auth',
    label: '401 Unauthorized',
    meaning: 'the registry refused the kubelet\'s credentials, or it had none for this registry; an unknown tag can look like this too, because the kubelet tries an anonymous pull first',
    explainedBy: ['pull-permission', 'pull-secret', 'image'],
    patterns: [
      /\b401 Unauthorized\b/i,
      /failed to fetch (?:oauth|anonymous) token/i,
      /unauthorized: authentication required/i,
      /pull access denied/i,
      /requested access to the resource is denied/i,
      /insufficient_scope/i,
    ],
  },
  {
    kind: 'tls',
    label: 'TLS error (x509)',
    meaning: "the node does not trust the registry's certificate: usually a TLS-inspecting proxy or firewall on the way",
    explainedBy: ['registry-network'],
    patterns: [/x509:/i, /tls: failed to verify certificate/i],
  },
  {
    kind: 'dns',
    label: 'DNS: no such host',
    meaning: "the node could not resolve the registry's name (a private DNS zone not linked to the cluster's VNet, or a custom DNS server that does not forward it)",
    explainedBy: ['registry-network'],
    patterns: [/no such host/i, /server misbehaving/i, /\blookup \S+ on \S+: [^,]*i\/o timeout/i],
  },
  {
    kind: 'network',
    label: 'network timeout',
    meaning: 'the node could not connect to the registry: an egress firewall, a route, or a private endpoint the nodes cannot reach',
    explainedBy: ['registry-network'],
    patterns: [/dial tcp \S+: connect: connection (?:refused|timed out)/i, /i\/o timeout/i, /context deadline exceeded/i],
  },
];

const UNCLASSIFIED: SymptomClass = {
  kind: 'unclassified',
  label: 'pull failure',
  meaning: 'the message does not say why',
  explainedBy: [],
};

/** The kind of a kubelet pull-failure message. */
export function classifyPullMessage(message: string): SymptomClass {
  const found = CLASSES.find((c) => c.patterns.some((p) => p.test(message)));
  if (!found) return UNCLASSIFIED;
  const { patterns: _patterns, ...cls } = found;
  return cls;
}

/** The message that says most of a pod's pull events (newest last): the newest that classifies, else the newest. */
export function tellingMessage(messages: readonly string[]): string | undefined {
  return [...messages].reverse().find((m) => classifyPullMessage(m).kind !== 'unclassified') ?? messages.at(-1);
}

/** What explains a symptom: the finding's check, status, title and fix. */
export interface Cause {
  id: Finding['id'];
  status: Finding['status'];
  title: string;
  fix?: string;
  /** the note of that finding that explains it, when the finding itself passes (throttling on Basic) */
  note?: string;
}

/** Pods of one owner stuck the same way. */
export interface Symptom {
  namespace: string;
  /** the owner, else the pod */
  workload: string;
  pods: string[];
  container: string;
  image: string;
  pool?: string;
  reason: StuckPod['reason'];
  kind: SymptomKind;
  label: string;
  meaning: string;
  /** the kubelet's message, verbatim */
  message?: string;
  cause?: Cause;
}

/** "← Kubelet identity of aks1 cannot pull from myacr (pull-permission fail)", or the plain statement that nothing explains it. */
export function causeLine(cause: Cause | undefined): string {
  if (!cause) return '← no finding of this run explains it';
  return `← ${cause.note ?? cause.title} (${cause.id} ${cause.status})`;
}

/** "401 Unauthorized on pool np1 (default/Deployment/web, container web, 2 pods) ← …" */
export function symptomLine(s: Symptom): string {
  const pods = s.pods.length === 1 ? `pod ${s.pods[0]}` : `${s.pods.length} pods`;
  const pool = s.pool ? ` on pool ${s.pool}` : '';
  return `${s.label}${pool} pulling ${s.image} (${s.namespace}/${s.workload}, container ${s.container}, ${pods}) ${causeLine(s.cause)}`;
}
