// The `matrix` output: the fleet's clusters as a GitHub Actions strategy.matrix, so that a workflow can
// fan the fleet out over jobs (`strategy.matrix: ${{ fromJSON(needs.discover.outputs.matrix) }}`).
import type { Config, Report } from '../model.js';

/** Several clusters, or `cluster: *`: a fleet (the matrix output is set, the facts are read in bulk). */
export const isFleet = (config: Pick<Config, 'fleet' | 'clusters'>) => config.fleet !== undefined || config.clusters.length > 1;

/** `{"include":[{"cluster":"<resource id>","name":"…"}]}`, in the report's cluster order. */
export function fleetMatrix(report: Pick<Report, 'clusters'>): string {
  return JSON.stringify({ include: report.clusters.map((c) => ({ cluster: c.id, name: c.name })) });
}
