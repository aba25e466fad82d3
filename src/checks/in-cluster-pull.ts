// The `in-cluster-pull` check: a pod pinned to each node pool pulled an image of the registry, as the
// kubelet does (through AKS Run Command). Pure judge: the run's probes in, one finding per node pool out.
// A pod that never got scheduled, or was still waiting at the deadline, says nothing about the pull:
// that is `unknown`, never `fail`.
import { sameHost } from '../image-ref.js';
import type { ClusterFacts, Fact, Finding, InClusterRun, PoolProbe, RegistryFacts, Status } from '../model.js';
import { defineCheck } from './check.js';
import { endSentence, runCost, unavailableFinding } from './in-cluster.js';
import { describePoolPlatform, poolPlatform } from './platform.js';
import { explain, findingsAboutImage } from './pull-cause.js';
import { check as pullPermission, judgePullPermission } from './pull-permission.js';
import { causeLine, classifyPullMessage } from './pull-symptom.js';

export interface InClusterPullInput {
  cluster: ClusterFacts;
  registry: RegistryFacts;
  run: Fact<InClusterRun>;
  /** the pull-permission finding, when the grant it found is still within the propagation window */
  youngGrant?: Finding;
  /** by probed image: this run's findings that can explain its failed pull (pull permission, network path, the image) */
  related: Record<string, Finding[]>;
}

/** When every grant has settled, however young it is now. */
const SETTLED = new Date(8.64e15);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function platformOf(cluster: ClusterFacts, pool: string, probe: PoolProbe | undefined): string {
  if (probe?.os && probe.arch) return `${probe.os}/${probe.arch}`;
  const p = cluster.agentPools.find((a) => a.name === pool);
  return p ? describePoolPlatform(poolPlatform(p)) : 'unknown platform';
}

function judgePool(input: InClusterPullInput, run: InClusterRun, pool: string, probe: PoolProbe | undefined): Finding {
  const { cluster, registry } = input;
  const c = cluster.name;
  const r = registry.name;
  const platform = platformOf(cluster, pool, probe);
  const where = `node pool ${pool} of ${c} (${platform})`;
  const evidence: Record<string, unknown> = { platform, run: runCost(run) };
  const notes: string[] = [];
  const finding = (status: Status, title: string, detail: string, more: Partial<Finding> = {}): Finding => ({
    id: 'in-cluster-pull',
    status,
    title,
    detail,
    cluster: c,
    registry: r,
    pool,
    path: 'cluster',
    evidence,
    ...(notes.length && { notes }),
    ...more,
  });
  if (!probe) {
    if (run.truncated) {
      return finding('unknown', `Pull on ${pool} of ${c} from ${r} not verified`, `The in-cluster run's output reached Run Command's 512 kB cap and was cut before the result for ${where}.`);
    }
    if (cluster.agentPools.find((a) => a.name === pool)?.count === 0) {
      return finding(
        'skip',
        `${pool} of ${c} has no node to probe`,
        `Node pool ${pool} of ${c} is scaled to zero, so no probe pod was started there: a probe would wait for (or trigger) a scale-up. It is probed on a run when the pool has nodes.`,
      );
    }
    return finding(
      'skip',
      `No image of ${r} to probe ${pool} of ${c} with`,
      `No image on ${registry.loginServer} that ${where} can run is known, so no probe pod was started there. Name one in the images or manifests input, or give probe-image (e.g. ${registry.loginServer}/<repository>:<tag>).`,
    );
  }
  Object.assign(evidence, { image: probe.image, outcome: probe.outcome, pullMs: probe.pullMs, message: probe.message, deleted: probe.deleted });
  if (!probe.deleted) notes.push(`The probe pod on ${pool} could not be confirmed deleted; the next in-cluster run deletes leftovers.`);
  const said = (fallback: string) => (probe.message ? `: ${endSentence(probe.message)}` : `${fallback}.`);
  switch (probe.outcome) {
    case 'pulled':
      return finding(
        'pass',
        `${pool} of ${c} pulled from ${r}`,
        `A pod pinned to ${where} pulled ${probe.image}${probe.pullMs !== undefined ? ` in ${seconds(probe.pullMs)}` : ''}, as the kubelet pulls.`,
      );
    case 'failed': {
      const symptom = classifyPullMessage(probe.message ?? '');
      const cause = explain(symptom, input.related[probe.image] ?? []);
      evidence.symptom = symptom.kind;
      if (cause) evidence.cause = cause;
      const retry =
        input.youngGrant && (symptom.kind === 'auth' || symptom.kind === 'unclassified')
          ? [`The pull role is new (${input.youngGrant.detail}): a kubelet may need up to 60 minutes to see a new assignment, so a retry later may pass.`]
          : [];
      const detail = [
        `A pod pinned to ${where} could not pull ${probe.image}. The kubelet said${said(' nothing more')}`,
        symptom.kind === 'unclassified' ? '' : `That is ${symptom.label}: ${symptom.meaning}.`,
        `Cause: ${causeLine(cause)}.`,
        ...retry,
      ].filter(Boolean);
      return finding('fail', `${pool} of ${c} cannot pull from ${r}`, detail.join(' '), cause?.fix ? { fix: cause.fix } : {});
    }
    case 'unschedulable':
      return finding(
        'unknown',
        `Pull on ${pool} of ${c} from ${r} not verified: the probe pod was not scheduled`,
        `The probe pod for ${where} was never scheduled, so the pull was not tried (this is not a pull failure). The scheduler said${said(' nothing more')}`,
      );
    case 'timeout':
      return finding(
        'unknown',
        `Pull on ${pool} of ${c} from ${r} not verified: no answer by the deadline`,
        `The probe pod for ${where} had neither pulled nor failed when the time ran out${said('')} A longer timeout input gives it longer.`,
      );
    case 'error':
      return finding('unknown', `Pull on ${pool} of ${c} from ${r} not verified`, `The probe on ${where} failed before the kubelet answered${said('')}`);
  }
}

export function judgeInClusterPull(input: InClusterPullInput): Finding[] {
  const { cluster, registry, run } = input;
  if (!run.ok) {
    return [unavailableFinding({ id: 'in-cluster-pull', cluster: cluster.name, registry: registry.name, path: 'cluster' }, 'In-cluster pull', cluster, run.error)];
  }
  const probes = run.value.probes.filter((p) => sameHost(p.host, registry.loginServer));
  const pools = [...new Set([...cluster.agentPools.map((p) => p.name), ...probes.map((p) => p.pool)])];
  if (pools.length === 0) {
    return [{ id: 'in-cluster-pull', status: 'unknown', title: `No node pool of ${cluster.name} to probe`, detail: `${cluster.name} reports no node pool, and the in-cluster run probed none.`, cluster: cluster.name, registry: registry.name, path: 'cluster' }];
  }
  return pools.map((pool) => judgePool(input, run.value, pool, probes.find((p) => p.pool === pool)));
}

export const check = defineCheck({
  meta: { id: 'in-cluster-pull', subject: 'pair', path: 'cluster', what: 'In-cluster pull', appliesTo: (config) => config.inCluster },
  async gather(facts, pair): Promise<InClusterPullInput> {
    const [cluster, registry] = await facts.requirePair(pair);
    const run = await facts.inCluster(cluster);
    const input: InClusterPullInput = { cluster, registry, run, related: {} };
    const failed = run.ok ? run.value.probes.filter((p) => p.outcome === 'failed' && sameHost(p.host, registry.loginServer)) : [];
    if (failed.length === 0) return input;
    // A failed pull is tied to what explains it, from the same memoised facts the other checks read.
    const permission = await pullPermission.gather(facts, pair);
    const [now, settled] = [judgePullPermission(permission), judgePullPermission({ ...permission, now: SETTLED })];
    if (now.status === 'warn' && settled.status === 'pass') input.youngGrant = now;
    const images = [...new Set(failed.map((p) => p.image))];
    const related = await Promise.all(images.map((i) => findingsAboutImage(facts, pair.cluster, i)));
    input.related = Object.fromEntries(images.map((i, n) => [i, related[n]!]));
    return input;
  },
  judge: judgeInClusterPull,
});
