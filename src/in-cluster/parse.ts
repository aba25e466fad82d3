// The probe script's output (JSON lines, see script.ts) → what the run found. Pure.
//
// Strings in the lines come from kubectl's go-template `printf "%q"`: Go-quoted, which is JSON for
// printable text; the Go-only escapes (\a \v \xNN \UNNNNNNNN) are rewritten before JSON.parse. A line
// that does not parse (a line cut by Run Command's 512 kB cap, a stray message of the shell) is skipped.
import type { InClusterPart, InClusterRun, PoolProbe, PullSecretFacts, ReadFailure, ServiceAccountFacts, StuckPod } from '../model.js';

/** Run Command keeps this much of the command's output. */
export const OUTPUT_CAP_BYTES = 512 * 1024;

export interface ParsedProbe {
  pod: string;
  pool: string;
  host: string;
  image: string;
  os?: string;
  arch?: string;
}

export interface RunMeta {
  commandId?: string;
  commandSeconds?: number;
  calls: number;
  wallMs: number;
  exitCode?: number;
}

type Line = Record<string, unknown> & { t: string };

const GO_ESCAPE = /\\(x[0-9a-fA-F]{2}|U[0-9a-fA-F]{8}|[av]|.)/g;

/** A Go-quoted line as JSON text. */
export function goQuotedToJson(line: string): string {
  return line.replace(GO_ESCAPE, (all, e: string) => {
    if (e[0] === 'x') return `\\u00${e.slice(1)}`;
    if (e[0] === 'U') {
      const cp = Number.parseInt(e.slice(1), 16);
      const s = cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      return s.split('').map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    }
    if (e === 'a') return '\\u0007';
    if (e === 'v') return '\\u000b';
    return all;
  });
}

function parseLine(text: string): Line | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(goQuotedToJson(trimmed)) as unknown;
    return typeof v === 'object' && v !== null && typeof (v as Line).t === 'string' ? (v as Line) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

interface Event {
  namespace: string;
  pod: string;
  reason: string;
  type: string;
  message: string;
  count: number;
  time: string;
}

/** A Go duration as the kubelet prints it (850ms, 1.234s, 1m2.5s) in milliseconds. */
export function goDurationMs(s: string): number | undefined {
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== s) return undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * (unit[p[2] ?? ''] ?? 0), 0));
}

/** The pull time the kubelet states: 'Successfully pulled image "x" in 1.234s (1.234s including waiting)'. */
export function pulledInMs(message: string): number | undefined {
  const m = /\bin (\S+?)[.,]?(?: \(|$| Image size)/.exec(message);
  return m?.[1] ? goDurationMs(m[1]) : undefined;
}

/** The Kubernetes RBAC permission a kubectl Forbidden names: 'User "x" cannot list resource "secrets" in API group "" at the cluster scope'. */
export function forbiddenPermission(message: string): string | undefined {
  const m = /cannot (\w+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)"| at the cluster scope)?/.exec(message);
  if (!m) return undefined;
  const [, verb, resource, group, namespace] = m;
  return `Kubernetes RBAC: ${verb} ${resource}${group ? `.${group}` : ''} ${namespace ? `in namespace ${namespace}` : 'at the cluster scope'} (e.g. a RoleBinding for the signed-in identity)`;
}

const POLICY = /admission webhook "[^"]*(gatekeeper|azurepolicy|policy)[^"]*" denied the request|\[azurepolicy-|denied by policy|violates PodSecurity/i;

/** A kubectl failure in the terms a user can act on: Kubernetes Forbidden, or a policy that refused the pod. */
export function kubernetesFailure(what: string, message: string): ReadFailure {
  if (POLICY.test(message)) return { what, code: 'PolicyDenied', message, missingPermission: 'an exemption from the policy for the probe pods (label app.kubernetes.io/managed-by=aks-acr-preflight)' };
  if (/\(Forbidden\)|is forbidden/.test(message)) {
    const missing = forbiddenPermission(message);
    return { what, code: 'KubernetesForbidden', message, ...(missing && { missingPermission: missing }) };
  }
  return { what, message };
}

/** The pool of an AKS node name: aks-<pool>-<digits>-vmss<suffix> (Linux), else undefined. */
export function poolOfNode(node: string): string | undefined {
  return /^aks-([a-z0-9]+)-\d+-vmss[0-9a-z]+$/i.exec(node)?.[1];
}

const PULL_FAILURE_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const PART_WHAT: Record<InClusterPart, string> = {
  probes: 'the probe pods',
  stuckPods: 'pods stuck on a pull',
  pullSecrets: 'pull secrets',
  serviceAccounts: "service accounts' imagePullSecrets",
};

/** The verdict on one probe pod from what the kubelet and the scheduler said. */
function judgeProbe(pod: string, lines: Line[], events: Event[]): Pick<PoolProbe, 'outcome' | 'message' | 'pullMs'> {
  const mine = events.filter((e) => e.pod === pod);
  const of = (t: string) => lines.filter((l) => l.t === t && (l.name === pod || l.pod === pod));
  const createError = of('error').find((l) => l.step === 'create');
  if (createError) return { outcome: 'error', message: str(createError.message) };
  const pulled = mine.find((e) => e.reason === 'Pulled' && !/already present/i.test(e.message)) ?? mine.find((e) => e.reason === 'Pulled');
  if (pulled) {
    const created = Date.parse(str(of('pod')[0]?.created));
    const at = Date.parse(pulled.time);
    const pullMs = pulledInMs(pulled.message) ?? (Number.isFinite(created) && Number.isFinite(at) ? at - created : undefined);
    return { outcome: 'pulled', message: pulled.message, ...(pullMs !== undefined && { pullMs }) };
  }
  const failedPull = mine.find((e) => e.reason === 'Failed' && /^Failed to pull image|failed to pull|pull access denied/i.test(e.message));
  const waiting = of('waiting').find((l) => PULL_FAILURE_REASONS.has(str(l.reason)));
  if (failedPull || waiting) return { outcome: 'failed', message: failedPull?.message ?? (str(waiting?.message) || str(waiting?.reason)) };
  const unschedulable = of('condition').find((l) => l.type === 'PodScheduled' && l.status === 'False');
  const failedScheduling = mine.filter((e) => e.reason === 'FailedScheduling').at(-1);
  if (unschedulable || failedScheduling) return { outcome: 'unschedulable', message: failedScheduling?.message ?? str(unschedulable?.message) };
  if (of('unsettled').length) {
    const last = mine.at(-1);
    return { outcome: 'timeout', message: last ? `${last.reason}: ${last.message}` : 'the kubelet said nothing before the wait ended' };
  }
  const gone = of('pod').length === 0;
  return { outcome: 'error', message: gone ? 'the probe pod disappeared before the kubelet reported on it' : 'the kubelet reported neither a pull nor a failure' };
}

/**
 * The run's facts from the script's output. `probes` is the plan the script was made from (pod names to
 * pools, hosts and images); an output cut at the cap is `truncated`, and a part it never reached is in `failures`.
 */
export function parseRun(logs: string, probes: ParsedProbe[], meta: RunMeta): InClusterRun {
  const lines = logs.split('\n').flatMap((l) => parseLine(l) ?? []);
  const ended = lines.some((l) => l.t === 'end');
  const truncated = !ended && Buffer.byteLength(logs) >= OUTPUT_CAP_BYTES * 0.95;
  const events: Event[] = lines
    .filter((l) => l.t === 'event')
    .map((l) => ({
      namespace: str(l.namespace),
      pod: str(l.pod),
      reason: str(l.reason),
      type: str(l.type),
      message: str(l.message),
      count: typeof l.count === 'number' ? l.count : 1,
      time: str(l.last) || str(l.time) || str(l.first),
    }));
  const probeNames = new Set(probes.map((p) => p.pod));
  const leftovers = lines.filter((l) => l.t === 'leftover');
  const cleanupFailed = lines.some((l) => l.t === 'error' && l.step === 'cleanup') || !lines.some((l) => l.t === 'cleaned');
  const created = new Set(lines.filter((l) => l.t === 'created').map((l) => str(l.pod)));

  const poolProbes: PoolProbe[] = probes.map((p) => {
    const verdict = judgeProbe(p.pod, lines, events);
    const notDeleted = leftovers.some((l) => l.name === p.pod && l.deleted === false);
    return {
      pool: p.pool,
      host: p.host,
      image: p.image,
      ...verdict,
      ...(p.os && { os: p.os }),
      ...(p.arch && { arch: p.arch }),
      deleted: !created.has(p.pod) || (!cleanupFailed && !notDeleted),
    };
  });

  const stuckMessages = (ns: string, name: string) =>
    events.filter((e) => e.namespace === ns && e.pod === name && e.reason === 'Failed' && !probeNames.has(name)).map((e) => e.message);
  const stuckPods: StuckPod[] = lines
    .filter((l) => l.t === 'waiting' && l.owner !== undefined && (l.reason === 'ImagePullBackOff' || l.reason === 'ErrImagePull') && !probeNames.has(str(l.name)))
    .map((l) => {
      const node = str(l.node);
      const pool = node ? poolOfNode(node) : undefined;
      const messages = stuckMessages(str(l.namespace), str(l.name));
      return {
        namespace: str(l.namespace),
        name: str(l.name),
        ...(str(l.owner) && { owner: str(l.owner) }),
        container: str(l.container),
        image: str(l.image),
        reason: l.reason as StuckPod['reason'],
        ...(node && { node }),
        ...(pool && { pool }),
        messages: messages.length ? messages : str(l.message) ? [str(l.message)] : [],
      };
    });

  const pullSecrets: PullSecretFacts[] = lines
    .filter((l) => l.t === 'secret')
    .map((l) => ({
      namespace: str(l.namespace),
      name: str(l.name),
      type: str(l.type),
      hosts: Array.isArray(l.hosts) ? l.hosts.filter((h): h is string => typeof h === 'string') : [],
    }));

  const accounts = new Map<string, ServiceAccountFacts>();
  for (const l of lines.filter((x) => x.t === 'serviceaccount')) {
    const key = `${str(l.namespace)}/${str(l.name)}`;
    const sa = accounts.get(key) ?? { namespace: str(l.namespace), name: str(l.name), imagePullSecrets: [] };
    sa.imagePullSecrets.push(str(l.secret));
    accounts.set(key, sa);
  }

  const failures: Partial<Record<InClusterPart, ReadFailure>> = {};
  for (const part of Object.keys(PART_WHAT) as InClusterPart[]) {
    const what = `reading ${PART_WHAT[part]} in the cluster (Run Command)`;
    const error = lines.find((l) => l.t === 'error' && l.step === part);
    if (error) failures[part] = kubernetesFailure(what, str(error.message));
    else if (!lines.some((l) => l.t === 'done' && l.part === part)) {
      failures[part] = {
        what,
        message: truncated
          ? "not read: the output reached Run Command's 512 kB limit before this part (set `namespace` to scan less)"
          : `not read: the script stopped before this part${meta.exitCode !== undefined ? ` (exit code ${meta.exitCode})` : ''}`,
      };
    }
  }

  const run: InClusterRun = {
    ...(meta.commandId && { commandId: meta.commandId }),
    ...(meta.commandSeconds !== undefined && { commandSeconds: meta.commandSeconds }),
    calls: meta.calls,
    wallMs: meta.wallMs,
    podsStarted: created.size,
    truncated,
    ...(meta.exitCode !== undefined && { exitCode: meta.exitCode }),
    probes: poolProbes,
    stuckPods,
    pullSecrets,
    serviceAccounts: [...accounts.values()],
    leftoversDeleted: leftovers.filter((l) => l.deleted === true && !probeNames.has(str(l.name))).length,
  };
  if (Object.keys(failures).length) run.failures = failures;
  return run;
}
