// The report written when the run itself crashed after the inputs were accepted.
import type { Report } from '../model.js';
import { reportSchemaUrl } from './assemble.js';

export function crashReport(message: string, version: string, durationMs: number): Report {
  return {
    $schema: reportSchemaUrl(version),
    schemaVersion: 1,
    tool: { name: 'aks-acr-preflight', version },
    result: 'fail',
    durationMs,
    clusters: [],
    registries: [],
    checks: [{ id: 'cluster', status: 'unknown', title: 'aks-acr-preflight crashed', detail: `The run stopped before its checks finished: ${message}` }],
  };
}
