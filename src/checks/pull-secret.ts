// The `pull-secret` check: an image on a registry the kubelet's identity does not pull from (not a
// checked ACR) needs an imagePullSecret of type kubernetes.io/dockerconfigjson with an entry for its
// host, named by the pod spec or by its service account, in the workload's namespace. Pure judge. The
// engine only ever sees the hosts of a secret's `auths` map, never a value.
// An image the runner pulled anonymously needs no secret (never a false alarm); what cannot be seen
// (a service account's secrets without an in-cluster run) is never a pass.
import { hostAndPort } from '../image-ref.js';
import type { ClusterFacts, Fact, Finding, ImageFacts, ImageRef, InClusterRun, PullSecretFacts, Status } from '../model.js';
import { defineCheck, Unresolved } from './check.js';
import { SEVERITY } from './verdict.js';
import { describeFailure } from './describe.js';
import { runUnavailable } from './in-cluster.js';

export interface PullSecretInput {
  ref: ImageRef;
  /** how the image's host stands to the registry inputs: a resolved input (the kubelet's identity pulls), an input that did not resolve, or none */
  registry: 'checked' | 'unresolved' | 'none';
  /** the registry's name as ARM reports it, when it is a resolved input */
  registryName?: string;
  /** the runner's lookup of the image, when it was made */
  image?: ImageFacts;
  /** with in-cluster: each cluster's run; without it: empty */
  runs: { cluster: Pick<ClusterFacts, 'name' | 'resourceGroup'>; run: Fact<InClusterRun> }[];
  inCluster: boolean;
  /** the namespace input: the in-cluster run reads secrets and service accounts there only (all namespaces when absent) */
  namespace?: string;
}

/** Who pulls the image: a workload from manifests, or (for an `images` entry alone) a pod with the default service account. */
interface Puller {
  label: string;
  namespace: string;
  /** the manifest gives no namespace */
  namespaceAssumed: boolean;
  serviceAccount: string;
  podSecrets: string[];
}

/** How much the image needs a secret. */
type Need = 'required' | 'maybe-acr' | 'unknown';

interface Outcome {
  status: Status;
  line: string;
  evidence: Record<string, unknown>;
}

const PULL_SECRET_TYPES = new Set(['kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg']);
const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const ACR_HOST = /\.azurecr\.(?:io|cn|us)$/i;

function hostGlob(pattern: string, host: string): boolean {
  const [p, h] = [hostAndPort(pattern), hostAndPort(host)];
  const ps = p.hostname.split('.');
  const hs = h.hostname.split('.');
  if (p.port !== h.port || ps.length !== hs.length) return false;
  return ps.every((seg, i) => new RegExp(`^${seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]*')}$`).test(hs[i]!));
}

/**
 * Whether an `auths` key serves this image, as the kubelet's keyring matches it: scheme and a /v1/ or
 * /v2/ path ignored, `*` globs per host label, the port equal, an optional repository path prefix; the
 * Docker Hub forms (https://index.docker.io/v1/, docker.io, …) all name Docker Hub.
 */
export function entryServes(entry: string, ref: Pick<ImageRef, 'host' | 'repository'>): boolean {
  const bare = entry.trim().toLowerCase().replace(/^https?:\/\//, '');
  const slash = bare.indexOf('/');
  const host = slash < 0 ? bare : bare.slice(0, slash);
  const path = (slash < 0 ? '' : bare.slice(slash + 1)).replace(/^v[12](?:\/|$)/, '').replace(/\/+$/, '');
  const hub = DOCKER_HUB.has(ref.host);
  if (hub ? !DOCKER_HUB.has(host) : !hostGlob(host, ref.host)) return false;
  return !path || ref.repository === path || ref.repository.startsWith(`${path}/`);
}

function pullersOf(ref: ImageRef): Puller[] {
  const seen = new Map<string, Puller>();
  for (const use of ref.uses ?? []) {
    const w = use.workload;
    const key = `${w.source.file}:${w.source.line}`;
    if (seen.has(key)) continue;
    seen.set(key, {
      label: `${w.kind}/${w.name} (${w.source.file}:${w.source.line})`,
      namespace: w.namespace ?? 'default',
      namespaceAssumed: !w.namespace,
      serviceAccount: w.serviceAccountName ?? 'default',
      podSecrets: w.imagePullSecrets,
    });
  }
  if (seen.size > 0) return [...seen.values()];
  return [{ label: 'A pod with the default service account (no workload from manifests uses this image)', namespace: 'default', namespaceAssumed: true, serviceAccount: 'default', podSecrets: [] }];
}

const hostsOf = (s: PullSecretFacts) => (s.hosts.length ? s.hosts.join(', ') : 'no host');
/** What a finding may show of a secret: its name, place, type and hosts (a secret's facts never carry more, and nothing else is copied). */
const shown = (s: PullSecretFacts) => ({ namespace: s.namespace, name: s.name, type: s.type, hosts: [...s.hosts] });

/** One puller in one cluster whose run was read. */
function judgePuller(ref: ImageRef, p: Puller, run: InClusterRun, need: Need, scanned: string | undefined): Outcome {
  const ns = p.namespace;
  const inNs = (n: { namespace: string }) => n.namespace === ns;
  if (scanned && scanned !== ns && !run.pullSecrets.some(inNs) && !run.serviceAccounts.some(inNs)) {
    return { ...judgeUnseen(p, need), line: `${p.label}: namespace ${ns} was not read (the in-cluster run reads namespace ${scanned}, the namespace input).` };
  }
  // what the run could not read is not missing: a Forbidden on secrets or service accounts is no false "does not exist"
  const unread = run.failures?.pullSecrets ?? run.failures?.serviceAccounts;
  if (unread) return { ...judgeUnseen(p, need), line: `${p.label}: the pull secrets or service accounts of namespace ${ns} could not be read: ${describeFailure(unread)}` };
  const sa = run.serviceAccounts.find((s) => inNs(s) && s.name === p.serviceAccount);
  const named = [...p.podSecrets.map((name) => ({ name, from: 'the pod spec' })), ...(sa?.imagePullSecrets ?? []).map((name) => ({ name, from: `service account ${p.serviceAccount}` }))];
  const assumed = p.namespaceAssumed ? ' (no namespace in the manifest: default assumed)' : '';
  const evidence: Record<string, unknown> = { puller: p.label, namespace: ns, serviceAccount: p.serviceAccount, secrets: [] as unknown[] };
  const problems: string[] = [];
  for (const { name, from } of named) {
    const local = run.pullSecrets.find((s) => inNs(s) && s.name === name);
    (evidence.secrets as unknown[]).push({ from, ...(local ? shown(local) : { namespace: ns, name, missing: true }) });
    if (local && PULL_SECRET_TYPES.has(local.type) && local.hosts.some((h) => entryServes(h, ref))) {
      return { status: 'pass', line: `${p.label} in namespace ${ns}${assumed}: ${from} names ${name}, a ${local.type} secret with an entry for ${ref.host}.`, evidence };
    }
    if (local && !PULL_SECRET_TYPES.has(local.type)) problems.push(`${from} names ${name}, which is of type ${local.type}: the kubelet only uses kubernetes.io/dockerconfigjson (or the older kubernetes.io/dockercfg) secrets.`);
    else if (local) problems.push(`${from} names ${name}, whose entries (${hostsOf(local)}) do not include ${ref.host}.`);
    else {
      const elsewhere = run.pullSecrets.filter((s) => s.name === name && !inNs(s)).map((s) => s.namespace);
      problems.push(
        elsewhere.length
          ? `${from} names ${name}, which exists only in namespace ${elsewhere.join(', ')}: pull secrets are namespace-local, so create it in ${ns}.`
          : `${from} names ${name}, which does not exist in namespace ${ns}.`,
      );
    }
  }
  if (!sa && p.serviceAccount !== 'default') problems.push(`Service account ${p.serviceAccount} was not found in namespace ${ns}.`);
  if (named.length === 0) problems.push(`Neither the pod spec nor service account ${p.serviceAccount} names an imagePullSecret.`);
  const usable = run.pullSecrets.filter((s) => !inNs(s) && PULL_SECRET_TYPES.has(s.type) && s.hosts.some((h) => entryServes(h, ref)));
  if (usable.length) problems.push(`A secret with an entry for ${ref.host} exists in another namespace (${usable.map((s) => `${s.namespace}/${s.name}`).join(', ')}): pull secrets are namespace-local.`);
  const status: Status = need === 'required' ? 'fail' : need === 'maybe-acr' ? 'warn' : 'unknown';
  return { status, line: `${p.label} in namespace ${ns}${assumed}: ${problems.join(' ')}`, evidence };
}

function judgeUnseen(p: Puller, need: Need): Outcome {
  const what = p.podSecrets.length
    ? `the pod spec names ${p.podSecrets.join(', ')}, but whether it holds an entry for the host`
    : `the pod spec names no imagePullSecret, and whether service account ${p.serviceAccount} names one`;
  return {
    status: need === 'maybe-acr' ? 'warn' : 'unknown',
    line: `${p.label}: ${what} cannot be seen without an in-cluster run (in-cluster: true).`,
    evidence: { puller: p.label, namespace: p.namespace, serviceAccount: p.serviceAccount, podSecrets: p.podSecrets },
  };
}

/**
 * Images the check says nothing about, so that a reviewer's table holds no row per image that needs no
 * secret: one on a checked ACR (the kubelet pulls with its identity's role: pull-permission speaks for
 * it) and a reference that is no image yet (a placeholder: the image check warns on its line).
 */
export const needsNoFinding = (input: PullSecretInput): boolean => input.registry === 'checked' || input.ref.unusable?.kind === 'placeholder';

export function judgePullSecret(input: PullSecretInput): Finding {
  const { ref, image } = input;
  const finding = (status: Status, title: string, detail: string, more: Partial<Finding> = {}): Finding => ({
    id: 'pull-secret',
    status,
    title,
    detail,
    image: ref.input,
    registry: input.registryName ?? ref.host,
    ...(ref.uses?.[0] && { source: ref.uses[0].source, sources: ref.uses.map((u) => u.source) }),
    ...more,
  });
  if (image?.lookup.kind === 'found' && image.auth !== 'acr-exchange') {
    return finding('pass', `${ref.input} is public: no pull secret needed`, `The runner pulled ${ref.input}'s manifest from ${image.registryHost} without credentials, so the kubelet can too.`, {
      evidence: { auth: image.auth, lookup: image.lookup.kind },
    });
  }
  const acr = ACR_HOST.test(ref.host);
  const tenant = ' Managed identities cannot cross tenants: an ACR in another tenant needs a pull secret.';
  const need: Need = input.registry === 'unresolved' ? 'unknown' : acr ? 'maybe-acr' : image?.lookup.kind === 'needs-credentials' ? 'required' : 'unknown';
  const why: Record<Need, string> = {
    required: `${image?.registryHost ?? ref.host} refused anonymous access, and the kubelet's managed identity only signs in to Azure Container Registry: pods need an imagePullSecret with an entry for ${ref.host}.`,
    'maybe-acr': `${ref.host} is an Azure Container Registry that is not a registry input, so the kubelet's role on it is not checked: add it to the registry input.${tenant}`,
    unknown:
      input.registry === 'unresolved'
        ? `${ref.host} is a registry input that could not be resolved (see the registry check); it may be in another tenant.${tenant}`
        : `Whether ${ref.host} needs credentials is not known (the runner could not tell: ${image?.lookup.kind ?? 'not looked up'}).`,
  };
  const pullers = pullersOf(ref);
  const outcomes: Outcome[] = [];
  const runLines: string[] = [];
  if (!input.inCluster) outcomes.push(...pullers.map((p) => judgeUnseen(p, need)));
  for (const { cluster, run } of input.runs) {
    const c = cluster.name;
    if (!run.ok) {
      runLines.push(`In ${c} the secrets could not be read: ${runUnavailable(cluster, run.error).detail}`);
      outcomes.push(...pullers.map((p) => ({ ...judgeUnseen(p, need), line: `${p.label} in ${c}: its pull secrets were not read.` })));
      continue;
    }
    outcomes.push(
      ...pullers.map((p) => {
        const o = judgePuller(ref, p, run.value, need, input.namespace);
        return { ...o, line: input.runs.length > 1 ? `${c}: ${o.line}` : o.line, evidence: { cluster: c, ...o.evidence } };
      }),
    );
  }
  if (outcomes.length === 0) outcomes.push(...pullers.map((p) => ({ ...judgeUnseen(p, need), line: `${p.label}: no cluster could be read, so its pull secrets were not seen.` })));
  const status = outcomes.reduce<Status>((worst, o) => (SEVERITY[o.status] > SEVERITY[worst] ? o.status : worst), 'pass');
  const evidence = { need, auth: image?.auth, lookup: image?.lookup.kind, pullers: outcomes.map((o) => o.evidence) };
  const lines = outcomes.map((o) => o.line);
  if (status === 'pass') return finding('pass', `${ref.input} has a pull secret for ${ref.host}`, lines.join(' '), { evidence });
  const server = DOCKER_HUB.has(ref.host) ? 'https://index.docker.io/v1/' : ref.host;
  const ns = pullers[0]?.namespace ?? 'default';
  const fix =
    `kubectl create secret docker-registry <secret-name> --docker-server=${server} --docker-username=<user> --docker-password=<password-or-token> --namespace ${ns}\n` +
    `kubectl patch serviceaccount ${pullers[0]?.serviceAccount ?? 'default'} --namespace ${ns} -p '{"imagePullSecrets":[{"name":"<secret-name>"}]}'`;
  const title = { fail: `${ref.input} has no usable pull secret for ${ref.host}`, warn: `Pull credentials for ${ref.input} not checked`, unknown: `Pull secret for ${ref.input} could not be verified` }[status as 'fail' | 'warn' | 'unknown'];
  return finding(status, title, [why[need], ...lines, ...runLines].join(' '), { evidence, fix });
}

export const check = defineCheck({
  meta: { id: 'pull-secret', subject: 'image', what: 'Pull secret', appliesTo: (config) => config.inCluster || config.manifests.length > 0 },
  async gather(facts, ref): Promise<PullSecretInput> {
    const owner = await facts.registryOfHost(ref.host);
    const resolved = owner?.registry.ok && owner.registry.value;
    const registry = resolved ? 'checked' : owner ? 'unresolved' : 'none';
    const input: PullSecretInput = { ref, registry, runs: [], inCluster: facts.config.inCluster, ...(facts.config.namespace && { namespace: facts.config.namespace }) };
    if (resolved) return { ...input, registryName: resolved.name };
    const image = await facts.image(ref).catch((err: unknown) => {
      if (err instanceof Unresolved) return undefined;
      throw err;
    });
    if (image) input.image = image;
    if (facts.config.inCluster) {
      const clusters = await facts.resolvedClusters();
      input.runs = await Promise.all(clusters.map(async (c) => ({ cluster: { name: c.name, resourceGroup: c.resourceGroup }, run: await facts.inCluster(c) })));
    }
    return input;
  },
  judge: (input) => (needsNoFinding(input) ? [] : judgePullSecret(input)),
});
