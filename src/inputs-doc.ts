// Generated from action.yml by scripts/inputs-doc.mjs: do not edit. Change action.yml, then run
// `node scripts/inputs-doc.mjs` (a unit test fails while the two disagree).

export interface InputDoc {
  description: string;
  required: boolean;
  default?: string;
}

/** Every input of action.yml, in its order. */
export const INPUT_DOCS: Readonly<Record<string, InputDoc>> = {
  "cluster": {"description":"The AKS cluster: a name (in resource-group) or a full ARM resource ID. Several, newline separated, to check each; * for every AKS cluster in resource-group, else in subscription, else in every subscription the credential can read (narrowed by cluster-tags).","required":true},
  "resource-group": {"description":"The cluster's resource group (required when cluster is a name).","required":false},
  "registry": {"description":"One or more registries, separated by newlines or commas: a name (myacr), a login server (myacr.azurecr.io, with or without https:// and a trailing /) or an ARM resource ID.","required":true},
  "subscription": {"description":"The cluster's subscription ID (a GUID). Default: AZURE_SUBSCRIPTION_ID, else the az CLI's default account. A registry given by name is looked for here first, then in every subscription the credential can read.","required":false},
  "images": {"description":"Image references to verify (newline or comma separated), each [host[:port]/]repository[:tag][@digest]; nginx means docker.io/library/nginx:latest. The repository and tag or digest must exist and carry a platform every node pool can run.","required":false},
  "fail-on": {"description":"error: fail the step on any fail/unknown check; warning: also on warn; never: only report.","required":false,"default":"error"},
  "cloud": {"description":"The Azure cloud: AzureCloud, AzureChinaCloud or AzureUSGovernment. Sets the ARM endpoint, token audience, authority host, Graph endpoint and registry DNS suffix.","required":false,"default":"AzureCloud"},
  "arm-endpoint": {"description":"Override the ARM base URL (https://…), e.g. for a proxy or a test double. Tokens are still requested for the cloud's ARM audience.","required":false},
  "graph-endpoint": {"description":"Override the Microsoft Graph base URL (https://…), e.g. for a proxy or a test double. Tokens are still requested for the cloud's Graph audience.","required":false},
  "auth": {"description":"How to sign in: auto, oidc, azure-cli, environment or managed-identity. auto: oidc when client-id and tenant-id are set, else azure-cli, else environment; auto never probes the instance metadata endpoint.","required":false,"default":"auto"},
  "client-id": {"description":"The client ID (a GUID) of the app registration or user-assigned identity to sign in as (oidc; managed-identity: which identity).","required":false},
  "tenant-id": {"description":"The Entra tenant to sign in to (oidc): a GUID or a domain such as contoso.onmicrosoft.com.","required":false},
  "kubelet-object-id": {"description":"The object ID (a GUID) the kubelet pulls with; only needed for a service-principal cluster when Microsoft Graph cannot be read.","required":false},
  "report-path": {"description":"Where the JSON report is written (a file path). Default: $RUNNER_TEMP/aks-acr-preflight.json; the CLI writes one only when given this.","required":false},
  "summary": {"description":"Write the job summary: true or false (the CLI has no job summary and ignores it).","required":false,"default":"true"},
  "timeout": {"description":"Time budget in seconds for all Azure reads (1 to 3600). A read still running then is reported as unknown.","required":false,"default":"120"},
  "dns-servers": {"description":"DNS servers the runner-side probes ask (newline or comma separated, ip or ip:port), e.g. to resolve the registry as the cluster VNet's DNS would. Default: the runner's own resolver.","required":false},
  "connect-timeout": {"description":"Seconds allowed for each connection and TLS handshake to a registry (1 to 60).","required":false,"default":"5"},
  "manifests": {"description":"Kubernetes manifests to take images from: files, directories or globs (newline separated); YAML (multi-document, rendered Helm or kustomize output) or JSON. Every container, init and ephemeral container image of every workload is checked like an images entry, against the node pools the workload can land on, and findings point at the file and line.","required":false},
  "comment": {"description":"true: on pull_request and pull_request_target events, create or update one sticky comment on the pull request holding the summary (needs permissions: pull-requests: write). true or false.","required":false,"default":"false"},
  "github-token": {"description":"The token for the pull request comment.","required":false,"default":"${{ github.token }}"},
  "sarif-path": {"description":"Also write the findings that have a file and line as SARIF 2.1.0 to this path, for github/codeql-action/upload-sarif.","required":false},
  "remediate": {"description":"true: when pull-permission fails, create the missing pull role assignment (AcrPull, or Container Registry Repository Reader in ABAC mode) for the kubelet identity at the registry scope; the only write the action can make. true or false.","required":false,"default":"false"},
  "in-cluster": {"description":"true: prove the pull from inside the cluster through the AKS Run Command API (a short-lived probe pod per node pool), and scan pods stuck in ImagePullBackOff. true or false.","required":false,"default":"false"},
  "namespace": {"description":"The Kubernetes namespace in-cluster probes run in (default: default), and the one scanned for pull failures (default: all namespaces).","required":false},
  "probe-image": {"description":"The image an in-cluster probe pulls from a registry for which neither images nor manifests names one, e.g. myacr.azurecr.io/probe:1.","required":false},
  "cluster-tags": {"description":"With cluster: *, only the clusters carrying all these tags (key=value, newline separated).","required":false},
};
