// The report from the findings and what was resolved (CONTRACT.md's JSON report). Pure.
import { verdictOf } from '../checks/verdict.js';
import type { ClusterFacts, Finding, RegistryFacts, Report } from '../model.js';

export interface ReportParts {
  version: string;
  durationMs: number;
  findings: Finding[];
  clusters: ClusterFacts[];
  registries: { registry: RegistryFacts; egressHosts?: string[] }[];
}

export function assembleReport({ version, durationMs, findings, clusters, registries }: ReportParts): Report {
  return {
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
  };
}
