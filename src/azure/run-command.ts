// AKS Run Command: POST …/managedClusters/{name}/runCommand {command, context, clusterToken?} answers 200
// with the result, or 202 with Location and Retry-After (no Azure-AsyncOperation); GET …/commandResults/{id}
// answers 202 until done, then 200 with { id, properties: { provisioningState, exitCode, startedAt,
// finishedAt, logs, reason } }. The SDK's poller (@azure/arm-containerservice managedClusters.runCommand,
// core-lro in Location mode) does exactly this: done on the first 200, Retry-After honoured, and the
// result's provisioningState left to us, compared case-insensitively (the API's examples say
// `succeeded`, the CLIs compare `Succeeded`).
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { ClusterFacts, Fact, InClusterFailureCode, ReadFailure } from '../model.js';
import { isAbort, toReadFailure, type ArmClients } from './arm.js';

/** The scope of a token of the signed-in identity for the AKS server app (Entra-integrated clusters' clusterToken). */
export const AKS_SERVER_APP_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';
export const RUN_COMMAND_PERMISSION = 'Microsoft.ContainerService/managedClusters/runcommand/action';
export const COMMAND_RESULTS_PERMISSION = 'Microsoft.ContainerService/managedClusters/commandResults/read';
const PERMISSIONS = `${RUN_COMMAND_PERMISSION} and ${COMMAND_RESULTS_PERMISSION} on the cluster (e.g. a custom role with both, or Contributor)`;
const MCR_NOTE =
  "Run Command starts its own pod (namespace aks-command) from Microsoft's container registry (mcr.microsoft.com): nodes that cannot reach MCR cannot run it, and every other image from MCR fails to pull on them too";

export interface CommandResult {
  id?: string;
  provisioningState?: string;
  exitCode?: number;
  startedAt?: Date;
  finishedAt?: Date;
  logs: string;
  reason?: string;
  /** ARM requests made: the POST and every poll */
  calls: number;
  wallMs: number;
}

export interface RunCommandDeps {
  clients: ArmClients;
  /** a token of the signed-in identity for AKS_SERVER_APP_SCOPE */
  clusterToken: () => Promise<string>;
  /** masks a token before anything could print it */
  secret: (value: string) => void;
  /** seconds between polls when Azure gives no Retry-After */
  pollIntervalMs?: number;
}

const fix = (c: ClusterFacts) => `-g ${c.resourceGroup} -n ${c.name}${c.subscriptionId ? ` --subscription ${c.subscriptionId}` : ''}`;

const running = (cluster: ClusterFacts) => `running the in-cluster probe on ${cluster.name} (AKS Run Command)`;

export function inClusterFailure(cluster: ClusterFacts, code: InClusterFailureCode, message: string): ReadFailure {
  return { what: running(cluster), code, message };
}

/** Why Run Command cannot run on this cluster, read from the cluster itself: disabled, or stopped. */
export function runCommandUnavailable(cluster: ClusterFacts): ReadFailure | undefined {
  if (cluster.runCommandDisabled) {
    return inClusterFailure(cluster, 'RunCommandDisabled', `Run Command is disabled on ${cluster.name} (apiServerAccessProfile.disableRunCommand): enable it with \`az aks update ${fix(cluster)} --enable-run-command\`, or set in-cluster: false`);
  }
  if (cluster.powerState?.toLowerCase() === 'stopped') {
    return inClusterFailure(cluster, 'ClusterStopped', `${cluster.name} is stopped (powerState Stopped): nothing runs on it until \`az aks start ${fix(cluster)}\``);
  }
  return undefined;
}

/** A failed Run Command call in the terms a user can act on. */
function callFailure(cluster: ClusterFacts, err: unknown, polling: boolean): ReadFailure {
  if (isAbort(err)) return inClusterFailure(cluster, 'Timeout', 'the time budget ran out before Run Command finished: raise the `timeout` input (Run Command needs about a minute)');
  const base = toReadFailure(running(cluster), err, polling ? COMMAND_RESULTS_PERMISSION : RUN_COMMAND_PERMISSION);
  const text = `${base.code ?? ''} ${base.message}`;
  if (base.status === 403 || base.code === 'AuthorizationFailed') return { ...base, code: 'AuthorizationFailed', missingPermission: PERMISSIONS };
  if (/MissingAADClusterToken/i.test(text)) return { ...base, code: 'MissingAADClusterToken', message: `${base.message} (${cluster.name} is Entra-integrated: Run Command needs a token of the signed-in identity for ${AKS_SERVER_APP_SCOPE})` };
  if (/KubernetesPerformanceError/i.test(text)) return { ...base, code: 'KubernetesPerformanceError', message: `${base.message}. ${MCR_NOTE}` };
  if (/disableRunCommand|run ?command is disabled/i.test(text)) return { ...base, code: 'RunCommandDisabled', message: `${base.message} (enable it with \`az aks update ${fix(cluster)} --enable-run-command\`)` };
  if (/\bstopped\b/i.test(text)) return { ...base, code: 'ClusterStopped', message: `${base.message} (start it with \`az aks start ${fix(cluster)}\`)` };
  return base;
}

/** A finished command whose provisioningState is not succeeded: Run Command's own pod did not start, or another reason. */
export function resultFailure(cluster: ClusterFacts, result: CommandResult): ReadFailure | undefined {
  if (result.provisioningState?.toLowerCase() === 'succeeded') return undefined;
  const reason = result.reason ?? result.provisioningState ?? 'no provisioningState';
  if (/ImagePull|KubernetesPerformance|ErrImage|not start|timed? ?out|pending/i.test(reason)) {
    return inClusterFailure(cluster, 'KubernetesPerformanceError', `Run Command's pod did not start (${reason}). ${MCR_NOTE}`);
  }
  return { what: running(cluster), message: `Run Command did not succeed (provisioningState ${result.provisioningState ?? 'missing'}, reason ${reason})` };
}

/** Counts the Run Command requests of each cluster (the POST and each poll), by cluster path. */
class CallCounter {
  readonly counts = new Map<string, number>();
  readonly policy: PipelinePolicy = {
    name: 'aks-acr-preflight-run-command-calls',
    sendRequest: (request, next) => {
      const m = /(\/subscriptions\/[^?]*?\/managedClusters\/[^/?]+)\/(?:runCommand|commandResults)/i.exec(new URL(request.url).pathname);
      if (m?.[1]) this.counts.set(m[1].toLowerCase(), (this.counts.get(m[1].toLowerCase()) ?? 0) + 1);
      return next(request);
    },
  };
}

/** Runs one command on the cluster and waits for its result; never throws. */
export async function runClusterCommand(deps: RunCommandDeps, cluster: ClusterFacts, payload: { command: string; context: string }): Promise<Fact<CommandResult>> {
  const { clients } = deps;
  const counter = clients.cached('run-command-calls', () => new CallCounter());
  const client = clients.cached(
    `aks-run-command:${cluster.subscriptionId}`,
    () => {
      // the counter beside the shared policies (the throttle gate among them), never instead of them
      const options = clients.modularOptions();
      return new ContainerServiceClient(clients.credential, cluster.subscriptionId, { ...options, additionalPolicies: [...options.additionalPolicies, { policy: counter.policy, position: 'perCall' }] });
    },
  );
  let clusterToken: string | undefined;
  if (cluster.entraIntegrated) {
    try {
      clusterToken = await deps.clusterToken();
      deps.secret(clusterToken);
    } catch (err) {
      return {
        ok: false,
        error: inClusterFailure(
          cluster,
          'MissingAADClusterToken',
          `${cluster.name} is Entra-integrated, so Run Command needs a token of the signed-in identity for the AKS server app (${AKS_SERVER_APP_SCOPE}), and none could be obtained: ${toReadFailure('', err).message}`,
        ),
      };
    }
  }
  const key = `${cluster.id}`.toLowerCase().replace(/^\/+/, '/');
  const before = counter.counts.get(key) ?? 0;
  const started = performance.now();
  let polling = false;
  try {
    const poller = client.managedClusters.runCommand(
      cluster.resourceGroup,
      cluster.name,
      { command: payload.command, context: payload.context, ...(clusterToken && { clusterToken }) },
      { abortSignal: clients.signal, updateIntervalInMs: deps.pollIntervalMs ?? 2000 },
    );
    poller.onProgress(() => (polling = true));
    await poller.submitted();
    polling = true;
    const r = await poller.pollUntilDone();
    return {
      ok: true,
      value: {
        ...(r.id && { id: r.id }),
        ...(r.provisioningState && { provisioningState: r.provisioningState }),
        ...(r.exitCode !== undefined && { exitCode: r.exitCode }),
        ...(r.startedAt && { startedAt: r.startedAt }),
        ...(r.finishedAt && { finishedAt: r.finishedAt }),
        ...(r.reason && { reason: r.reason }),
        logs: r.logs ?? '',
        calls: (counter.counts.get(key) ?? 0) - before,
        wallMs: Math.round(performance.now() - started),
      },
    };
  } catch (err) {
    return { ok: false, error: callFailure(cluster, err, polling) };
  }
}
