#!/usr/bin/env node
// @ts-check
// A fake `kubectl` for the fake AKS Run Command: the commands the in-cluster script really sends (create,
// get with -n/-A/-l/--field-selector and -o go-template-file, delete) against a scripted cluster state in
// the JSON file $FAKE_KUBECTL_STATE, which it updates. Probe pods it is given come to life as the
// kubelet and the scheduler would make them: scheduled on their pool or not (taints, OS, a pool that never
// schedules), then Pulled or Failed with the messages containerd and the kubelet really print, according to
// the registries' rules (grant, 401, not found, no matching platform, DNS failure).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderTemplate } from './go-template.js';

/**
 * @typedef {object} FakePool
 * @property {string} name
 * @property {'linux' | 'windows'} [os] default linux
 * @property {'amd64' | 'arm64'} [arch] default amd64
 * @property {string[]} [taints] "key=value:Effect"
 * @property {number} [nodes] default 3
 * @property {string} [neverSchedules] the scheduler's reason when no node of the pool can take any pod (e.g. "Insufficient cpu")
 * @property {string} [dnsFailure] hosts whose names the pool's nodes cannot resolve
 *
 * @typedef {object} FakeRegistry
 * @property {'grant' | 'unauthorized' | 'forbidden' | 'dns' | 'timeout'} [access] default grant
 * @property {string[]} [pools] the pools `access` applies to (default all; the others are granted)
 * @property {Record<string, string[]>} [images] "repository:tag" → its platforms ("linux/amd64"); a missing one is not found
 *
 * @typedef {object} KubeState
 * @property {string} [user] the identity kubectl runs as
 * @property {FakePool[]} pools
 * @property {Record<string, FakeRegistry>} registries by host
 * @property {any[]} pods pod objects (the probe pods are added by `create`)
 * @property {any[]} events event objects (the probe pods' are made on the fly)
 * @property {any[]} secrets
 * @property {any[]} serviceaccounts
 * @property {{ verb: string, resource: string, namespace?: string }[]} [forbidden] RBAC denials (namespace absent: everywhere)
 * @property {string} [policyDenial] the admission message that refuses every pod created
 * @property {number} [pullMs] how long a pull takes (default 200)
 * @property {number} [latencyMs] delay of every kubectl call
 * @property {{ command: string, at: number }[]} [log] every call, appended
 * @property {string[]} [deleted] names of the pods deleted
 * @property {any[]} [createdPods] every pod created, as it was given
 */

const statePath = process.env.FAKE_KUBECTL_STATE ?? '';
/** @type {KubeState} */
const state = JSON.parse(readFileSync(statePath, 'utf8'));
const now = Date.now();
const iso = (/** @type {number} */ ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** @param {string} message @param {number} [code] */
function die(message, code = 1) {
  process.stderr.write(`${message}\n`);
  save();
  process.exit(code);
}
function save() {
  writeFileSync(statePath, JSON.stringify(state));
}

// ── arguments ────────────────────────────────────────────────────────────────────────────────────
const argv = process.argv.slice(2);
(state.log ??= []).push({ command: argv.join(' '), at: now });
/** @type {Record<string, string | true>} */
const flags = {};
/** @type {string[]} */
const positional = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i] ?? '';
  const long = /^--([\w-]+)(?:=(.*))?$/.exec(a);
  if (long?.[1]) {
    const takesValue = ['field-selector', 'selector', 'namespace', 'output', 'filename', 'grace-period', 'timeout'].includes(long[1]);
    flags[long[1]] = long[2] ?? (takesValue ? (argv[++i] ?? '') : true);
  } else if (/^-[nlfo]$/.test(a)) {
    flags[{ '-n': 'namespace', '-l': 'selector', '-f': 'filename', '-o': 'output' }[a] ?? ''] = argv[++i] ?? '';
  } else if (a === '-A') flags['all-namespaces'] = true;
  else positional.push(a);
}
const [verb = '', kindArg = '', name] = positional;
const KINDS = /** @type {Record<string, 'pods' | 'events' | 'secrets' | 'serviceaccounts'>} */ ({ pod: 'pods', pods: 'pods', po: 'pods', event: 'events', events: 'events', ev: 'events', secret: 'secrets', secrets: 'secrets', serviceaccount: 'serviceaccounts', serviceaccounts: 'serviceaccounts', sa: 'serviceaccounts' });
const allNamespaces = flags['all-namespaces'] === true;
const namespace = typeof flags.namespace === 'string' ? flags.namespace : 'default';
const user = state.user ?? 'user@contoso.com';

/** @param {string} kubeVerb @param {string} resource @param {string | undefined} ns undefined: cluster scope */
function authorize(kubeVerb, resource, ns) {
  const denied = (state.forbidden ?? []).find((f) => f.verb === kubeVerb && f.resource === resource && (f.namespace === undefined || f.namespace === ns));
  if (!denied) return;
  const where = ns === undefined ? 'at the cluster scope' : `in the namespace "${ns}"`;
  return `User "${user}" cannot ${kubeVerb} resource "${resource}" in API group "" ${where}`;
}

// ── the kubelet and the scheduler, for the probe pods ────────────────────────────────────────────
/** @param {string} taint */
function parseTaint(taint) {
  const m = /^([^=:]+)(?:=([^:]*))?:(\w+)$/.exec(taint);
  return { key: m?.[1] ?? taint, value: m?.[2], effect: m?.[3] ?? 'NoSchedule' };
}
/** @param {any[]} tolerations @param {{ key: string, value?: string, effect: string }} t */
function tolerated(tolerations, t) {
  return tolerations.some((o) => (o.key === undefined || o.key === t.key) && (!o.effect || o.effect === t.effect) && (o.operator === 'Exists' || o.value === t.value));
}

/** @param {any} pod @param {string} reason @param {string} message @param {number} at @param {string} [type] */
function event(pod, reason, message, at, type = 'Normal') {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod.metadata.name}.${reason.toLowerCase()}${at}`, namespace: pod.metadata.namespace },
    involvedObject: { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
    reason,
    message,
    type,
    count: 1,
    firstTimestamp: iso(at),
    lastTimestamp: iso(at),
    source: { component: reason === 'FailedScheduling' || reason === 'Scheduled' ? 'default-scheduler' : 'kubelet' },
  };
}

/** The failure containerd reports for this pull, or undefined when it succeeds. @param {any} pod @param {FakePool} pool */
function pullFailure(pod, pool) {
  const image = String(pod.spec.containers[0].image);
  const slash = image.indexOf('/');
  const host = image.slice(0, slash);
  const rest = image.slice(slash + 1);
  const repository = rest.replace(/[:@].*$/, '');
  const reference = rest.slice(repository.length + 1);
  const registry = state.registries[host] ?? {};
  const applies = !registry.pools || registry.pools.includes(pool.name);
  const access = applies ? (registry.access ?? 'grant') : 'grant';
  const prefix = `Failed to pull image "${image}": `;
  if ((pool.dnsFailure ?? '').split(',').includes(host) || access === 'dns') {
    return `${prefix}rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to do request: Head "https://${host}/v2/${repository}/manifests/${reference}": dial tcp: lookup ${host} on 168.63.129.16:53: no such host`;
  }
  if (access === 'timeout') {
    return `${prefix}rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to do request: Head "https://${host}/v2/${repository}/manifests/${reference}": dial tcp 10.1.2.3:443: i/o timeout`;
  }
  if (access === 'unauthorized') {
    return `${prefix}rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://${host}/oauth2/token?scope=repository%3A${repository.replace(/\//g, '%2F')}%3Apull&service=${host}: 401 Unauthorized`;
  }
  if (access === 'forbidden') {
    return `${prefix}rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": unexpected status from HEAD request to https://${host}/v2/${repository}/manifests/${reference}: 403 Forbidden`;
  }
  const platforms = registry.images?.[`${repository}:${reference}`] ?? registry.images?.[`${repository}@${reference}`];
  if (!platforms) {
    return `${prefix}rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
  }
  if (!platforms.includes(`${pool.os ?? 'linux'}/${pool.arch ?? 'amd64'}`)) {
    return `${prefix}rpc error: code = NotFound desc = failed to pull and unpack image "${image}": no match for platform in manifest: not found`;
  }
  return undefined;
}

/** Brings a probe pod (one created by `create`) to what it is at `now`; its events go into state.events. @param {any} pod */
function live(pod) {
  const created = Number(pod.metadata.annotations?.['fake-kubectl/created-ms'] ?? now);
  const poolName = pod.spec.nodeSelector?.['kubernetes.azure.com/agentpool'];
  const pool = state.pools.find((p) => p.name === poolName);
  const seen = new Set(state.events.filter((e) => e.involvedObject.name === pod.metadata.name).map((e) => e.reason));
  const add = (/** @type {string} */ reason, /** @type {string} */ message, /** @type {number} */ at, type = 'Normal') => {
    if (!seen.has(reason)) state.events.push(event(pod, reason, message, at, type));
    seen.add(reason);
  };
  const total = state.pools.reduce((n, p) => n + (p.nodes ?? 3), 0);
  const poolNodes = pool?.nodes ?? 3;
  let unschedulable;
  if (!pool) unschedulable = `0/${total} nodes are available: ${total} node(s) didn't match Pod's node affinity/selector. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
  else if (pool.neverSchedules) unschedulable = `0/${total} nodes are available: ${poolNodes} ${pool.neverSchedules}, ${total - poolNodes} node(s) didn't match Pod's node affinity/selector. preemption: 0/${total} nodes are available: ${total} No preemption victims found for incoming pod.`;
  else if ((pod.spec.nodeSelector?.['kubernetes.io/os'] ?? 'linux') !== (pool.os ?? 'linux')) unschedulable = `0/${total} nodes are available: ${total} node(s) didn't match Pod's node affinity/selector.`;
  else {
    const untolerated = (pool.taints ?? []).map(parseTaint).find((t) => t.effect !== 'PreferNoSchedule' && !tolerated(pod.spec.tolerations ?? [], t));
    if (untolerated) unschedulable = `0/${total} nodes are available: ${poolNodes} node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}, ${total - poolNodes} node(s) didn't match Pod's node affinity/selector.`;
  }
  if (unschedulable) {
    add('FailedScheduling', unschedulable, created, 'Warning');
    pod.status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: unschedulable, lastTransitionTime: iso(created) }] };
    return;
  }
  const node = `aks-${pool?.name}-12345678-vmss000000`;
  const image = pod.spec.containers[0].image;
  pod.spec.nodeName = node;
  add('Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`, created);
  add('Pulling', `Pulling image "${image}"`, created + 5);
  const container = { name: 'probe', image, ready: false, restartCount: 0, started: false };
  pod.status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: iso(created) }], hostIP: '10.224.0.4', startTime: iso(created), containerStatuses: [container] };
  const pullMs = state.pullMs ?? 200;
  if (now < created + pullMs || !pool) {
    Object.assign(container, { state: { waiting: { reason: 'ContainerCreating' } } });
    return;
  }
  const failure = pullFailure(pod, pool);
  const at = created + pullMs;
  if (failure) {
    add('Failed', failure, at, 'Warning');
    state.events.push(event(pod, 'Failed', 'Error: ErrImagePull', at + 1, 'Warning'));
    add('BackOff', `Back-off pulling image "${image}"`, at + 2);
    Object.assign(container, { state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } } });
    return;
  }
  add('Pulled', `Successfully pulled image "${image}" in ${pullMs}ms (${pullMs}ms including waiting). Image size: 3623807 bytes.`, at);
  add('Created', 'Created container: probe', at + 1);
  const command = pod.spec.containers[0].command?.[0] ?? '';
  state.events.push(
    event(pod, 'Failed', `Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "${command}": stat ${command}: no such file or directory: unknown`, at + 2, 'Warning'),
  );
  pod.status.phase = 'Failed';
  Object.assign(container, { state: { terminated: { exitCode: 128, reason: 'StartError', message: `exec: "${command}": no such file or directory` } } });
}

// ── selectors ────────────────────────────────────────────────────────────────────────────────────
/** @param {any} obj @param {string} path */
const field = (obj, path) => path.split('.').reduce((v, k) => (v && typeof v === 'object' ? v[k] : undefined), obj);
/** @param {any} obj */
function selected(obj) {
  for (const term of String(flags.selector ?? '').split(',').filter(Boolean)) {
    const [k = '', v] = term.split('=');
    const labels = obj.metadata?.labels ?? {};
    if (v === undefined ? !(k in labels) : labels[k] !== v) return false;
  }
  for (const term of String(flags['field-selector'] ?? '').split(',').filter(Boolean)) {
    const m = /^([\w.]+)(!=|==|=)(.*)$/.exec(term);
    if (!m) die(`error: invalid field selector: ${term}`);
    const value = field(obj, m?.[1] ?? '') ?? '';
    if ((m?.[2] === '!=') === (String(value) === m?.[3])) return false;
  }
  return true;
}
/** @param {any} obj */
const nsOf = (obj) => obj.metadata?.namespace ?? obj.involvedObject?.namespace;

/** @param {'pods' | 'events' | 'secrets' | 'serviceaccounts'} kind */
function collection(kind) {
  if (kind === 'pods') return state.pods;
  if (kind === 'events') return state.events;
  return state[kind];
}

/** @param {unknown} data */
function output(data) {
  const o = String(flags.output ?? '');
  const file = /^go-template-file=(.*)$/.exec(o)?.[1];
  const inline = /^go-template=(.*)$/s.exec(o)?.[1];
  if (file !== undefined || inline !== undefined) process.stdout.write(renderTemplate(inline ?? readFileSync(file ?? '', 'utf8'), data));
  else if (o === 'json') process.stdout.write(`${JSON.stringify(data, null, 4)}\n`);
  else if (o === 'name') for (const item of /** @type {any} */ (data).items ?? [data]) process.stdout.write(`pod/${item.metadata.name}\n`);
  else die(`error: the fake kubectl does not print -o ${o}`);
}

// ── verbs ────────────────────────────────────────────────────────────────────────────────────────
async function main() {
  if (state.latencyMs) await new Promise((r) => setTimeout(r, state.latencyMs));
  for (const pod of state.pods) if (pod.metadata.annotations?.['fake-kubectl/created-ms']) live(pod);

  if (verb === 'create') {
    const file = String(flags.filename ?? '');
    const pod = JSON.parse(readFileSync(file, 'utf8'));
    const ns = pod.metadata.namespace ?? namespace;
    const refused = authorize('create', 'pods', ns);
    if (refused) die(`Error from server (Forbidden): error when creating "${file}": pods is forbidden: ${refused}`);
    if (state.policyDenial) die(`Error from server (Forbidden): error when creating "${file}": admission webhook "validation.gatekeeper.sh" denied the request: ${state.policyDenial}`);
    if (state.pods.some((p) => p.metadata.name === pod.metadata.name && p.metadata.namespace === ns)) die(`Error from server (AlreadyExists): error when creating "${file}": pods "${pod.metadata.name}" already exists`);
    pod.metadata = { ...pod.metadata, namespace: ns, uid: `uid-${pod.metadata.name}`, creationTimestamp: iso(now), annotations: { ...pod.metadata.annotations, 'fake-kubectl/created-ms': String(now) } };
    pod.status = { phase: 'Pending' };
    (state.createdPods ??= []).push(JSON.parse(JSON.stringify(pod)));
    state.pods.push(pod);
    process.stdout.write(`pod/${pod.metadata.name} created\n`);
  } else if (verb === 'get') {
    const kind = KINDS[kindArg];
    if (!kind) die(`error: the server doesn't have a resource type "${kindArg}"`);
    const k = /** @type {'pods' | 'events' | 'secrets' | 'serviceaccounts'} */ (kind);
    const refused = authorize(name ? 'get' : 'list', k, allNamespaces ? undefined : namespace);
    if (refused) die(`Error from server (Forbidden): ${k} ${name ? `"${name}" ` : ''}is forbidden: ${refused}`);
    const items = collection(k).filter((o) => (allNamespaces || nsOf(o) === namespace) && selected(o));
    if (name) {
      const one = items.find((o) => o.metadata.name === name);
      if (!one) die(`Error from server (NotFound): ${k} "${name}" not found`);
      output(one);
    } else output({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items });
  } else if (verb === 'delete') {
    const k = KINDS[kindArg];
    if (k !== 'pods') die(`error: the fake kubectl deletes pods only, not ${kindArg}`);
    const refused = authorize('delete', 'pods', namespace);
    if (refused) die(`Error from server (Forbidden): pods is forbidden: ${refused}`);
    const doomed = state.pods.filter((p) => p.metadata.namespace === namespace && (name ? p.metadata.name === name : selected(p)));
    if (name && !doomed.length && !flags['ignore-not-found']) die(`Error from server (NotFound): pods "${name}" not found`);
    state.pods = state.pods.filter((p) => !doomed.includes(p));
    (state.deleted ??= []).push(...doomed.map((p) => p.metadata.name));
    for (const p of doomed) process.stdout.write(`pod "${p.metadata.name}" deleted\n`);
  } else {
    die(`error: the fake kubectl does not know "${verb}"`);
  }
  save();
}

main().catch((err) => die(`fake kubectl: ${err instanceof Error ? err.stack : String(err)}`, 2));
