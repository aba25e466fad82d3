// The report from the findings and what was resolved (CONTRACT.md's JSON report). Pure.
import { verdictOf } from '../checks/verdict.js';
import type { AzureUnavailable, Change, ClusterFacts, Finding, RegistryFacts, Report, ReportFleet } from '../model.js';

export interface ReportParts {
  version: string;
  durationMs: number;
  findings: Finding[];
  clusters: ClusterFacts[];
  registries: { registry: RegistryFacts; egressHosts?: string[] }[];
  /** what remediate changed (none when absent) */
  changes?: Change[];
  /** nothing could sign in to Azure: why, and the fix */
  azureSkipped?: AzureUnavailable;
  /** several clusters or cluster: *: how the fleet's facts were read */
  fleetFacts?: ReportFleet;
}

/**
 * Where the report's JSON Schema (schema/report.schema.json, the schema's `$id`) is published: in the npm
 * package of that version, served by jsDelivr, so a report names the schema of the tool that wrote it.
 */
export function reportSchemaUrl(version: string): string {
  return `https://cdn.jsdelivr.net/npm/aks-acr-preflight@${version}/schema/report.schema.json`;
}

export function assembleReport({ version, durationMs, findings, clusters, registries, changes = [], azureSkipped, fleetFacts }: ReportParts): Report {
  return {
    $schema: reportSchemaUrl(version),
    schemaVersion: 1,
    tool: { name: 'aks-acr-preflight', version },
    result: verdictOf(findings),
    durationMs,
    clusters: clusters.map((c) => ({
      id: c.id,
      name: c.name,
      location: c.location,
      kubeletIdentity: { source: c.kubelet.source, objectId: c.kubelet.objectId, clientId: c.kubelet.clientId, resourceId: c.kubelet.resourceId },
    })),
    registries: registries.map(({ registry: r, egressHosts }) => ({ id: r.id, name: r.name, loginServer: r.loginServer, ...(egressHosts && { egressHosts }) })),
    checks: findings,
    changes,
    ...(azureSkipped && { azureSkipped }),
    ...(fleetFacts && { fleetFacts }),
  };
}
