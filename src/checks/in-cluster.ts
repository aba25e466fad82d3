// What the three in-cluster checks share: why the Run Command invocation could not give an answer (and
// what would let it), and what it cost. Pure.
import type { ClusterFacts, Config, Finding, InClusterRun, ReadFailure, Status } from '../model.js';
import { describeFailure } from './describe.js';

/** The AKS server application: an Entra-integrated cluster's Run Command needs a token for it (clusterToken). */
export const AKS_SERVER_APP = '6dae42f8-4368-4678-94ff-3960e28e3630';
export const RUN_COMMAND_PERMISSIONS = 'Microsoft.ContainerService/managedClusters/runcommand/action and Microsoft.ContainerService/managedClusters/commandResults/read';

/** Why the in-cluster checks of a cluster have no answer: `skip` when the cluster is set up so that Run Command cannot run, else `unknown`. */
export interface RunUnavailable {
  status: Extract<Status, 'skip' | 'unknown'>;
  detail: string;
  fix?: string;
}

export function runUnavailable(cluster: Pick<ClusterFacts, 'name' | 'resourceGroup'>, error: ReadFailure): RunUnavailable {
  const az = `-n ${cluster.name} -g ${cluster.resourceGroup}`;
  const said = describeFailure(error);
  switch (error.code) {
    case 'RunCommandDisabled':
      return {
        status: 'skip',
        detail: `Run Command is disabled on ${cluster.name} (apiServerAccessProfile.disableRunCommand), so nothing could be run inside it. ${said}`,
        fix: `az aks update ${az} --enable-run-command`,
      };
    case 'ClusterStopped':
      return { status: 'skip', detail: `${cluster.name} is stopped (powerState Stopped): nothing runs inside it until it is started. ${said}`, fix: `az aks start ${az}` };
    case 'AuthorizationFailed':
      return {
        status: 'unknown',
        detail: `The signed-in identity may not use Run Command on ${cluster.name}. ${describeFailure({ ...error, missingPermission: error.missingPermission ?? RUN_COMMAND_PERMISSIONS })} (Contributor on the cluster has them, or a custom role with just these two).`,
      };
    case 'MissingAADClusterToken':
      return {
        status: 'unknown',
        detail:
          `${cluster.name} uses Entra ID for Kubernetes: Run Command needs a token of the signed-in identity for the AKS server application (${AKS_SERVER_APP}/.default), ` +
          `and none was given or it was refused. ${said} The identity must be able to get that token, and hold Kubernetes RBAC in the cluster.`,
      };
    case 'KubernetesForbidden':
      return {
        status: 'unknown',
        detail:
          `The command ran with the signed-in identity's Kubernetes RBAC, which refused it: ${said} It needs to create, read and delete pods, read events, service accounts and secrets in the namespace ` +
          `(e.g. the Azure Kubernetes Service RBAC Writer role on it), and to list pods and events where pods are scanned.`,
      };
    case 'PolicyDenied':
      return { status: 'unknown', detail: `Azure Policy or Gatekeeper refused the in-cluster run or its probe pods: ${said} An exemption for the namespace lets it run.` };
    case 'KubernetesPerformanceError':
      return {
        status: 'unknown',
        detail:
          `The Run Command pod (namespace aks-command) did not start within 30 s: ${said} That pod's image comes from Microsoft's container registry (mcr.microsoft.com): ` +
          `nodes that cannot reach mcr.microsoft.com and *.data.mcr.microsoft.com, or that have no room for the pod, cannot run it.`,
      };
    case 'Timeout':
      return { status: 'unknown', detail: `The in-cluster run did not finish within the timeout: ${said} A longer timeout input lets it.` };
    default:
      return { status: 'unknown', detail: `The in-cluster run failed: ${said}` };
  }
}

/** The skip or unknown finding of a check that had no in-cluster run to judge. */
export function unavailableFinding(base: Pick<Finding, 'id'> & Partial<Finding>, what: string, cluster: ClusterFacts, error: ReadFailure): Finding {
  const u = runUnavailable(cluster, error);
  return {
    ...base,
    status: u.status,
    title: `${what}: ${u.status === 'skip' ? 'not run' : 'could not run'} in ${cluster.name}`,
    detail: u.detail,
    ...(u.fix && { fix: u.fix }),
    evidence: { ...base.evidence, error },
  };
}

/** What the in-cluster run cost, for the summary's line: Run Command seconds, ARM calls, pods started. */
export function runCost(run: InClusterRun): Record<string, unknown> {
  return { commandSeconds: run.commandSeconds, wallMs: run.wallMs, calls: run.calls, podsStarted: run.podsStarted, truncated: run.truncated };
}

/** A message quoted at the end of a sentence: the full stop added unless it ends with one. */
export const endSentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

/** The namespace where pods were scanned and secrets read, in words. */
export const scannedNamespaces = (config: Pick<Config, 'namespace'>): string => (config.namespace ? `namespace ${config.namespace}` : 'all namespaces');
