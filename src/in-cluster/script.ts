// The in-cluster probe as one AKS Run Command invocation: a POSIX shell script, its go-templates and awk
// helpers, and one pod manifest per node pool × registry, zipped into the `context` Run Command unpacks
// into the command's working directory. Pure.
//
// What the script does, in order (output: JSON lines on stdout, see parse.ts):
//   1. creates every probe pod (pinned to its pool, tolerating the pool's taints, imagePullPolicy Always,
//      unprivileged, no service-account token, a command that does not exist in the image: the kubelet
//      pulls the image, then the container fails to start, so the user's code never runs);
//   2. waits, within `waitSeconds`, until the kubelet has said Pulled or failed the pull, or the scheduler
//      has said it cannot place the pod (unless the cluster autoscaler is scaling up for it);
//   3. prints each probe pod's events and status, deletes the probe pods (a trap does it on every path),
//      then lists every pod carrying the probe label, from this run or an earlier one, and deletes it;
//   4. scans pods stuck in ImagePullBackOff/ErrImagePull with the kubelet's Failed events, the pull
//      secrets (kubernetes.io/dockerconfigjson: the secret is decoded inside the script and only the
//      keys of its `auths` map, the registry hosts, are printed; never a value), and the service
//      accounts' imagePullSecrets.
// Run Command caps the output at 512 kB: the probes come first, so a cut only loses the scans' tail.
// Needs in Run Command's image: sh, kubectl, awk, sed, tr, head, base64, date, sleep.
import { strToU8, zipSync } from 'fflate';
import { parseTaint, poolTaints, type Taint } from '../azure/node-taints.js';
import type { AgentPool, Toleration } from '../model.js';

export const PROBE_LABEL = 'aks-acr-preflight/run';
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'aks-acr-preflight';
export const POD_PREFIX = 'aks-acr-preflight-';
/** the command the probe container is given: it exists in no image, so nothing of the image runs */
const NO_SUCH_COMMAND = { linux: '/aks-acr-preflight-pull-only', windows: 'C:\\aks-acr-preflight-pull-only.exe' };

export interface ScriptProbe {
  /** the pod's name (POD_PREFIX + run + index) */
  pod: string;
  pool: AgentPool;
  os: 'linux' | 'windows';
  image: string;
}

export interface ScriptInput {
  /** a short lower-case id of this run: names and labels of its pods */
  run: string;
  /** where the probe pods go */
  namespace: string;
  /** the namespace scanned for stuck pods, secrets and service accounts; undefined: all */
  scanNamespace?: string;
  probes: ScriptProbe[];
  /** how long the script waits for the kubelet */
  waitSeconds: number;
  /** seconds between looks */
  pollSeconds: number;
}

export interface RunCommandPayload {
  command: string;
  /** base64 of the zip */
  context: string;
}

/** The toleration that tolerates exactly this taint. */
const tolerationFor = (t: Taint): Toleration => (t.value === '' ? { key: t.key, operator: 'Exists', effect: t.effect } : { key: t.key, operator: 'Equal', value: t.value, effect: t.effect });

/** A node taint as AKS writes it ("key=value:Effect", "key:Effect") → the toleration that tolerates exactly it. */
export function tolerationOf(taint: string): Toleration | undefined {
  const t = parseTaint(taint);
  return t && tolerationFor(t);
}

/** The probe pod: pinned to its pool, tolerating the pool's taints, small, unprivileged, short-lived. */
export function probePod(probe: ScriptProbe, input: Pick<ScriptInput, 'run' | 'namespace' | 'waitSeconds'>): Record<string, unknown> {
  const linux = probe.os === 'linux';
  // the pool's taints as placement reads them: nodeTaints, and the one AKS puts on Spot pools
  const tolerations = poolTaints(probe.pool).taints.map(tolerationFor);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: probe.pod,
      namespace: input.namespace,
      labels: { [MANAGED_BY]: MANAGED_BY_VALUE, [PROBE_LABEL]: input.run, 'aks-acr-preflight/pool': probe.pool.name },
      annotations: { 'aks-acr-preflight/purpose': 'pulls one image on one node pool, then is deleted' },
    },
    spec: {
      os: { name: probe.os },
      nodeSelector: { 'kubernetes.azure.com/agentpool': probe.pool.name, 'kubernetes.io/os': probe.os },
      ...(tolerations.length > 0 && { tolerations }),
      restartPolicy: 'Never',
      activeDeadlineSeconds: input.waitSeconds + 120,
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      ...(linux && { securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } } }),
      containers: [
        {
          name: 'probe',
          image: probe.image,
          imagePullPolicy: 'Always',
          command: [NO_SUCH_COMMAND[probe.os]],
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '50m', memory: '32Mi' } },
          ...(linux && { securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } }),
        },
      ],
    },
  };
}

// ── go-templates (kubectl -o go-template-file): one JSON object per line ──────────────────────────
// A missing field must never reach printf (it would print %!q(<nil>)): every optional one goes through `with`.
const q = (path: string) => `{{with ${path}}}{{printf "%q" .}}{{else}}""{{end}}`;
const NL = '{{"\\n"}}';
const podKeys = (p: string) => `"namespace":${q(`${p}.metadata.namespace`)},"name":${q(`${p}.metadata.name`)}`;
const waiting = (extra: string) =>
  `{{$c := .}}{{with .state.waiting}}{"t":"waiting",${podKeys('$p')}${extra},"container":${q('$c.name')},"image":${q('$c.image')},"reason":${q('.reason')},"message":${q('.message')}}${NL}{{end}}`;
const containers = (extra: string) => `{{range .status.initContainerStatuses}}${waiting(extra)}{{end}}{{range .status.containerStatuses}}${waiting(extra)}{{end}}`;

export const TEMPLATES: Readonly<Record<string, string>> = {
  events: `{{range .items}}{"t":"event","namespace":${q('.involvedObject.namespace')},"pod":${q('.involvedObject.name')},"reason":${q('.reason')},"type":${q('.type')},"message":${q('.message')},"count":{{with .count}}{{.}}{{else}}1{{end}},"first":${q('.firstTimestamp')},"last":${q('.lastTimestamp')},"time":${q('.eventTime')}}${NL}{{end}}`,
  pods: `{{range .items}}{{$p := .}}{"t":"pod",${podKeys('$p')},"phase":${q('.status.phase')},"node":${q('.spec.nodeName')},"created":${q('.metadata.creationTimestamp')}}${NL}{{range .status.conditions}}{{if .reason}}{"t":"condition",${podKeys('$p')},"type":${q('.type')},"status":${q('.status')},"reason":${q('.reason')},"message":${q('.message')}}${NL}{{end}}{{end}}${containers('')}{{end}}`,
  stuck: `{{range .items}}{{$p := .}}${containers(`,"node":${q('$p.spec.nodeName')},"owner":"{{range $p.metadata.ownerReferences}}{{.kind}}/{{.name}}{{end}}"`)}{{end}}`,
  secrets: `{{range .items}}{{.metadata.namespace}} {{.metadata.name}} {{with .data}}{{index . ".dockerconfigjson"}}{{end}}${NL}{{end}}`,
  serviceaccounts: `{{range .items}}{{$p := .}}{{range .imagePullSecrets}}{"t":"serviceaccount",${podKeys('$p')},"secret":${q('.name')}}${NL}{{end}}{{end}}`,
  names: `{{range .items}}{{if .metadata.deletionTimestamp}}{{else}}{{.metadata.namespace}} {{.metadata.name}}${NL}{{end}}{{end}}`,
  reasons: `{{range .items}}{{.reason}}${NL}{{end}}`,
  status: `{{.status.phase}}${NL}{{range .status.conditions}}{{with .reason}}{{.}}${NL}{{end}}{{end}}{{range .status.containerStatuses}}{{with .state.waiting}}{{with .reason}}{{.}}${NL}{{end}}{{end}}{{end}}`,
};

/** Prints the keys of the top-level `auths` object of the docker config JSON on stdin, as JSON strings joined by commas; never a value. */
export const AUTHS_AWK = String.raw`# Prints the keys of the top-level "auths" object of a docker config JSON read on stdin, as JSON strings
# joined by commas. It prints no value: only strings read where the auths object expects a key.
{ s = s $0 "\n" }
END {
  n = length(s); depth = 0; auths = 0; top = ""; out = ""
  for (i = 1; i <= n; i++) {
    c = substr(s, i, 1)
    if (c == "\"") {
      raw = ""
      for (j = i + 1; j <= n; j++) {
        d = substr(s, j, 1)
        if (d == "\\") { raw = raw d substr(s, j + 1, 1); j++; continue }
        if (d == "\"") break
        raw = raw d
      }
      i = j
      if (obj[depth] && want[depth]) {
        want[depth] = 0
        if (depth == 1) top = raw
        else if (depth == auths) out = out (out == "" ? "" : ",") "\"" raw "\""
      }
      continue
    }
    if (c == "{" || c == "[") {
      depth++; obj[depth] = (c == "{"); want[depth] = (c == "{")
      if (c == "{" && depth == 2 && auths == 0 && top == "auths") auths = 2
      continue
    }
    if (c == "}" || c == "]") { if (depth == auths) auths = -1; depth--; continue }
    if (c == ",") { if (obj[depth]) want[depth] = 1; continue }
    if (c == ":") { want[depth] = 0 }
  }
  printf "%s", out
}
`;

const PROBE_SH = String.raw`#!/bin/sh
# aks-acr-preflight: the in-cluster probe, run by AKS Run Command (generated by src/in-cluster/script.ts).
# Prints JSON lines. Prints no secret value: pull secrets are decoded here and only the keys of their
# auths map (registry hosts) are printed.
NS=$1 RUN=$2 WAIT=$3 POLL=$4 SCAN=$5
RUNLABEL="${PROBE_LABEL}=$RUN"
MANAGED="${MANAGED_BY}=${MANAGED_BY_VALUE}"
if [ -n "$SCAN" ]; then SCOPE="-n $SCAN"; else SCOPE="-A"; fi
CLEANED=""
now() { date +%s; }
# stdin as one JSON string: control characters dropped, at most 4000 bytes
jstr() { tr -d '\000-\010\013-\037' | head -c 4000 | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | awk 'BEGIN { printf "\"" } NR > 1 { printf "\\n" } { printf "%s", $0 } END { printf "\"" }'; }
fail() { printf '{"t":"error","step":"%s","pod":"%s","message":%s}\n' "$1" "$2" "$(jstr < .err)"; }
finished() { printf '{"t":"done","part":"%s"}\n' "$1"; }

cleanup() {
  [ -z "$CLEANED" ] || return 0
  CLEANED=1
  kubectl delete pods -n "$NS" -l "$RUNLABEL" --ignore-not-found --wait=false --grace-period=0 >/dev/null 2>.err || fail cleanup ""
  # the last step: every pod still carrying the probe label, of this run or an earlier one, is deleted
  kubectl get pods -A -l "$MANAGED" -o go-template-file=t/names.tmpl >.left 2>.err || kubectl get pods -n "$NS" -l "$MANAGED" -o go-template-file=t/names.tmpl >.left 2>.err || fail leftovers ""
  while read -r lns lname; do
    [ -n "$lname" ] || continue
    if kubectl delete pod -n "$lns" "$lname" --ignore-not-found --wait=false --grace-period=0 >/dev/null 2>.err; then ok=true; else ok=false; fi
    printf '{"t":"leftover","namespace":"%s","name":"%s","deleted":%s}\n' "$lns" "$lname" "$ok"
  done <.left
  printf '{"t":"cleaned","at":%s}\n' "$(now)"
}
trap cleanup EXIT
trap 'cleanup; exit 143' INT TERM HUP

# settled POD: the kubelet pulled or failed, or the scheduler cannot place it (and no scale-up is coming)
settled() {
  r=$( (kubectl get events -n "$NS" --field-selector "involvedObject.name=$1" -o go-template-file=t/reasons.tmpl; kubectl get pod -n "$NS" "$1" -o go-template-file=t/status.tmpl || echo Gone) 2>/dev/null | tr '\n' ' ')
  case " $r " in
    *" Pulled "* | *" Failed "* | *" ErrImagePull "* | *" ImagePullBackOff "* | *" InvalidImageName "* | *" Gone "* | *" Succeeded "*) return 0 ;;
    *" TriggeredScaleUp "*) return 1 ;;
    *" Unschedulable "* | *" FailedScheduling "*) return 0 ;;
  esac
  return 1
}

printf '{"t":"start","run":"%s","namespace":"%s","wait":%s,"at":%s}\n' "$RUN" "$NS" "$WAIT" "$(now)"
created=""
for f in pods/*.json; do
  [ -e "$f" ] || continue
  p=$(basename "$f" .json)
  if kubectl create -f "$f" >/dev/null 2>.err; then
    created="$created $p"
    printf '{"t":"created","pod":"%s","at":%s}\n' "$p" "$(now)"
  else
    fail create "$p"
  fi
done

deadline=$(($(now) + WAIT))
open=$created
while [ -n "$open" ]; do
  still=""
  for p in $open; do settled "$p" || still="$still $p"; done
  open=$still
  [ -n "$open" ] || break
  [ "$(now)" -lt "$deadline" ] || break
  sleep "$POLL"
done
for p in $open; do printf '{"t":"unsettled","pod":"%s","at":%s}\n' "$p" "$(now)"; done
for p in $created; do
  kubectl get events -n "$NS" --field-selector "involvedObject.name=$p" -o go-template-file=t/events.tmpl 2>.err || fail events "$p"
done
[ -z "$created" ] || kubectl get pods -n "$NS" -l "$RUNLABEL" -o go-template-file=t/pods.tmpl 2>.err || fail pods ""
cleanup
finished probes

kubectl get pods $SCOPE --field-selector status.phase=Pending -o go-template-file=t/stuck.tmpl 2>.err &&
  kubectl get events $SCOPE --field-selector involvedObject.kind=Pod,reason=Failed -o go-template-file=t/events.tmpl 2>.err && finished stuckPods || fail stuckPods ""
# the secret's data stays inside this pipe: decoded, then reduced to the hosts of its auths map
{ kubectl get secrets $SCOPE --field-selector type=kubernetes.io/dockerconfigjson -o go-template-file=t/secrets.tmpl 2>.err; echo $? >.rc; } | while read -r sns sname data; do
  case "$sns$sname" in *[!a-z0-9.-]*) continue ;; esac
  hosts=$(printf '%s' "$data" | base64 -d 2>/dev/null | awk -f auths.awk 2>/dev/null)
  printf '{"t":"secret","namespace":"%s","name":"%s","type":"kubernetes.io/dockerconfigjson","hosts":[%s]}\n' "$sns" "$sname" "$hosts"
done
if [ "$(cat .rc)" = 0 ]; then finished pullSecrets; else fail pullSecrets ""; fi
kubectl get serviceaccounts $SCOPE -o go-template-file=t/serviceaccounts.tmpl 2>.err && finished serviceAccounts || fail serviceAccounts ""
printf '{"t":"end","at":%s}\n' "$(now)"
`;

const SAFE = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

/** The Run Command request body's command and context for one cluster. */
export function probeScript(input: ScriptInput): RunCommandPayload {
  for (const v of [input.run, input.namespace, ...(input.scanNamespace ? [input.scanNamespace] : [])]) {
    if (!SAFE.test(v)) throw new Error(`not a Kubernetes name: ${v}`);
  }
  const files: Record<string, Uint8Array> = {
    'probe.sh': strToU8(PROBE_SH),
    'auths.awk': strToU8(AUTHS_AWK),
  };
  for (const [name, text] of Object.entries(TEMPLATES)) files[`t/${name}.tmpl`] = strToU8(text);
  for (const probe of input.probes) files[`pods/${probe.pod}.json`] = strToU8(JSON.stringify(probePod(probe, input), null, 1));
  const zip = zipSync(files, { level: 6, mtime: new Date('2026-01-01T00:00:00Z') });
  const args = [input.namespace, input.run, String(Math.floor(input.waitSeconds)), String(input.pollSeconds), input.scanNamespace ?? ''];
  return { command: `sh probe.sh ${args.map((a) => `'${a}'`).join(' ')}`, context: Buffer.from(zip).toString('base64') };
}
