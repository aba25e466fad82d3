// The `pod-symptoms` check: pods stuck in ImagePullBackOff / ErrImagePull, each kubelet message
// classified and tied to the finding of this run that explains it ("401 on pool np1 ← Kubelet identity
// of aks1 cannot pull from myacr"). When none does, it says so plainly: that is the case users are stuck
// with. Pure judge; gather reads the explaining findings through the checks' own gather and judge.
import type { ClusterFacts, Config, Fact, Finding, InClusterRun, StuckPod } from '../model.js';
import { defineCheck } from './check.js';
import { describeFailure } from './describe.js';
import { endSentence, runCost, scannedNamespaces, unavailableFinding } from './in-cluster.js';
import { explain, findingsAboutImage } from './pull-cause.js';
import { classifyPullMessage, symptomLine, tellingMessage, type Symptom } from './pull-symptom.js';

export interface PodSymptomsInput {
  cluster: ClusterFacts;
  run: Fact<InClusterRun>;
  config: Pick<Config, 'namespace'>;
  /** by image as the pods name it: this run's findings that can explain its failed pull */
  related: Record<string, Finding[]>;
}


function symptomsOf(pods: StuckPod[], related: Record<string, Finding[]>): Symptom[] {
  const groups = new Map<string, Symptom>();
  for (const pod of pods) {
    const message = tellingMessage(pod.messages);
    const cls = classifyPullMessage(message ?? '');
    const workload = pod.owner ?? pod.name;
    const key = [pod.namespace, workload, pod.container, pod.image, pod.pool ?? '', cls.kind].join('|');
    const known = groups.get(key);
    if (known) {
      known.pods.push(pod.name);
      continue;
    }
    const cause = explain(cls, related[pod.image] ?? []);
    groups.set(key, {
      namespace: pod.namespace,
      workload,
      pods: [pod.name],
      container: pod.container,
      image: pod.image,
      ...(pod.pool && { pool: pod.pool }),
      reason: pod.reason,
      kind: cls.kind,
      label: cls.label,
      meaning: cls.meaning,
      ...(message && { message }),
      ...(cause && { cause }),
    });
  }
  return [...groups.values()];
}


export function judgePodSymptoms({ cluster, run, config, related }: PodSymptomsInput): Finding {
  const c = cluster.name;
  const base = { id: 'pod-symptoms' as const, cluster: c, path: 'cluster' as const };
  if (!run.ok) return unavailableFinding(base, 'Pod scan', cluster, run.error);
  const where = scannedNamespaces(config);
  const evidence: Record<string, unknown> = { namespaces: where, run: runCost(run.value) };
  const symptoms = symptomsOf(run.value.stuckPods, related);
  evidence.symptoms = symptoms;
  if (symptoms.length === 0) {
    if (run.value.truncated) {
      return { ...base, status: 'unknown', title: `Pods of ${c} not fully scanned`, detail: `The in-cluster run's output reached Run Command's 512 kB cap and was cut, so pods stuck on a pull in ${where} may be missing.`, evidence };
    }
    const unread = run.value.failures?.stuckPods;
    if (unread) return { ...base, status: 'unknown', title: `Pods of ${c} not scanned`, detail: `The pods in ${where} of ${c} could not be listed: ${describeFailure(unread)}`, evidence };
    return { ...base, status: 'pass', title: `No pod of ${c} is stuck pulling an image`, detail: `No pod in ${where} of ${c} is in ImagePullBackOff or ErrImagePull.`, evidence };
  }
  const pods = symptoms.reduce((n, s) => n + s.pods.length, 0);
  const unexplained = symptoms.filter((s) => !s.cause).length;
  const lines = symptoms.map((s) => {
    const said = s.message ? ` The kubelet said: ${endSentence(s.message)}` : '';
    const meaning = s.kind === 'unclassified' ? '' : ` (${s.meaning})`;
    return `${symptomLine(s)}${meaning}.${said}`;
  });
  if (unexplained > 0) lines.push(`${unexplained === symptoms.length ? 'No' : `For ${unexplained} of them no`} finding of this run explains the failure: the cause lies beyond what Azure Resource Manager shows (read the kubelet's message above).`);
  if (run.value.truncated) lines.push("The output reached Run Command's 512 kB cap and was cut: more pods may be stuck.");
  const fixes = [...new Set(symptoms.flatMap((s) => (s.cause?.fix ? [s.cause.fix] : [])))];
  return {
    ...base,
    status: 'fail',
    title: `${pods} pod${pods === 1 ? '' : 's'} of ${c} stuck pulling an image${unexplained ? ` (${unexplained} unexplained)` : ''}`,
    detail: `In ${where}: ${lines.join(' ')}`,
    ...(fixes.length && { fix: fixes.join('\n') }),
    evidence,
  };
}

export const check = defineCheck({
  meta: { id: 'pod-symptoms', subject: 'cluster', path: 'cluster', what: 'Pod scan', appliesTo: (config) => config.inCluster },
  async gather(facts, ref): Promise<PodSymptomsInput> {
    const cluster = await facts.requireCluster(ref);
    const run = await facts.inCluster(cluster);
    const images = run.ok ? [...new Set(run.value.stuckPods.map((p) => p.image))] : [];
    const related = await Promise.all(images.map((i) => findingsAboutImage(facts, ref, i)));
    return { cluster, run, config: facts.config, related: Object.fromEntries(images.map((i, n) => [i, related[n]!])) };
  },
  judge: judgePodSymptoms,
});
