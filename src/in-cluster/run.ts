// One in-cluster run on one cluster: the probe plan → one script → one Run Command invocation → its
// output parsed. A run that cannot happen, or whose probes could not start, is a ReadFailure whose code
// (InClusterFailureCode) says why and what would enable it.
import { randomBytes } from 'node:crypto';
import { inClusterFailure, resultFailure, runClusterCommand, type RunCommandDeps } from '../azure/run-command.js';
import type { ClusterFacts, Fact, InClusterRun, PlannedProbe } from '../model.js';
import { kubernetesFailure, parseRun, type ParsedProbe } from './parse.js';
import { POD_PREFIX, probeScript, type ScriptProbe } from './script.js';

/** What Run Command itself takes besides the script's wait: its pod's start (up to 30 s), ARM's polling, the script's cleanup and scans. */
export const RUN_COMMAND_OVERHEAD_SECONDS = 45;
/** The least wait worth a Run Command call. */
export const MIN_WAIT_SECONDS = 10;
export const MAX_WAIT_SECONDS = 300;
export const POLL_SECONDS = 2;

export interface InClusterOptions {
  /** where probe pods run (default `default`) */
  namespace: string;
  /** the scan's namespace; undefined: all */
  scanNamespace?: string;
  /** seconds left of the run's time budget */
  remainingSeconds: number;
}

/** A fresh run id: names and labels the probe pods of this run. */
const newRunId = () => randomBytes(4).toString('hex');

export async function runInCluster(deps: RunCommandDeps, cluster: ClusterFacts, plan: PlannedProbe[], options: InClusterOptions): Promise<Fact<InClusterRun>> {
  const waitSeconds = Math.min(MAX_WAIT_SECONDS, Math.floor(options.remainingSeconds - RUN_COMMAND_OVERHEAD_SECONDS));
  if (waitSeconds < MIN_WAIT_SECONDS) {
    return {
      ok: false,
      error: inClusterFailure(cluster, 'Timeout', `too little of the time budget is left for Run Command (${Math.floor(options.remainingSeconds)} s; it needs about ${RUN_COMMAND_OVERHEAD_SECONDS + MIN_WAIT_SECONDS} s): raise the \`timeout\` input`),
    };
  }
  const run = newRunId();
  const pools = new Map(cluster.agentPools.map((p) => [p.name, p]));
  const probes: (ScriptProbe & Omit<ParsedProbe, 'pool'>)[] = plan.flatMap((p, i) => {
    const pool = pools.get(p.pool);
    return p.image && pool
      ? [{ pod: `${POD_PREFIX}${run}-${i}`, pool, host: p.host, image: p.image.input, os: p.os, ...(p.arch && { arch: p.arch }) }]
      : [];
  });
  const payload = probeScript({ run, namespace: options.namespace, ...(options.scanNamespace && { scanNamespace: options.scanNamespace }), probes, waitSeconds, pollSeconds: POLL_SECONDS });
  const called = await runClusterCommand(deps, cluster, payload);
  if (!called.ok) return called;
  const result = called.value;
  const failed = resultFailure(cluster, result);
  if (failed) return { ok: false, error: failed };
  const commandSeconds = result.startedAt && result.finishedAt ? (result.finishedAt.getTime() - result.startedAt.getTime()) / 1000 : undefined;
  const parsed = parseRun(result.logs, probes.map((p) => ({ ...p, pool: p.pool.name })), {
    ...(result.id && { commandId: result.id }),
    ...(commandSeconds !== undefined && { commandSeconds }),
    calls: result.calls,
    wallMs: result.wallMs,
    ...(result.exitCode !== undefined && { exitCode: result.exitCode }),
  });
  // No probe pod could be created, all for one reason (Forbidden, a policy): the run as a whole failed.
  const errors = parsed.probes.filter((p) => p.outcome === 'error' && p.message);
  if (probes.length > 0 && errors.length === probes.length && parsed.podsStarted === 0) {
    const why = kubernetesFailure(`creating the probe pods in namespace ${options.namespace} on ${cluster.name}`, errors[0]?.message ?? '');
    if (why.code) return { ok: false, error: why };
  }
  return { ok: true, value: parsed };
}
