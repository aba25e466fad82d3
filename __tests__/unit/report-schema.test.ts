// schema/report.schema.json: it names every check id and status of CONTRACT.md, accepts the reports the
// tool assembles (also the crash report) and the fields the contract adds, and rejects what breaks it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKS } from '../../src/checks/index.js';
import type { ClusterFacts, Finding } from '../../src/model.js';
import { assembleReport, reportSchemaUrl } from '../../src/report/assemble.js';
import { crashReport } from '../../src/report/crash.js';
import { VERSION } from '../../src/version.js';
import { ROOT } from '../harness/run-action.js';
import { REPORT_SCHEMA, reportErrors, validateReport } from '../harness/report-schema.js';
import { registryFacts } from './facts.js';

/** CI lays a copy of shared/ beside the clone; so does a developer's checkout. */
const CONTRACT_PATH = join(ROOT, '..', 'shared', 'CONTRACT.md');

/** The first-column names (`name`) of the tables in one `### heading` section of CONTRACT.md. */
function contractNames(heading: string): string[] {
  if (!existsSync(CONTRACT_PATH)) throw new Error(`CONTRACT.md is not at ${CONTRACT_PATH}: the tests expect shared/ (with CONTRACT.md) beside the repository, as CI lays it.`);
  const contract = readFileSync(CONTRACT_PATH, 'utf8');
  const section = new RegExp(`^### ${heading}\\n([\\s\\S]*?)(?=^#{1,3} |(?![\\s\\S]))`, 'm').exec(contract)?.[1];
  if (section === undefined) throw new Error(`CONTRACT.md (${CONTRACT_PATH}) has no section "### ${heading}"`);
  return [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!);
}

const defs = REPORT_SCHEMA.$defs as Record<string, { enum: string[] }>;

// On GitHub's own runners the repository is checked out alone, without shared/: there (and only there)
// the comparison is left to this workplace's CI, which always has the contract beside the clone.
const contractElsewhere = !existsSync(CONTRACT_PATH) && process.env.GITHUB_ACTIONS === 'true';

(contractElsewhere ? describe.skip : describe)('the schema and CONTRACT.md', () => {
  test("the check-id enum is CONTRACT.md's check-id table, in order (the coming ids too)", () => {
    const ids = contractNames('Check ids \\(stable\\)');
    expect(ids).toContain('in-cluster-pull');
    expect(defs.checkId!.enum).toEqual(ids);
  });

  test("the status enum is CONTRACT.md's status table", () => {
    expect(defs.status!.enum).toEqual(contractNames('Check statuses'));
  });

  test('every check the engine runs has its id in the enum', () => {
    expect(defs.checkId!.enum).toEqual(expect.arrayContaining(CHECKS.map((c) => c.meta.id)));
  });

  test("the schema's $id is the URL every report of this version names in $schema", () => {
    expect(REPORT_SCHEMA.$id).toBe(reportSchemaUrl(VERSION));
    expect(REPORT_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  test('the npm package ships schema/', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files).toContain('schema/');
  });
});

const cluster: ClusterFacts = {
  id: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1',
  name: 'aks1',
  subscriptionId: 's1',
  resourceGroup: 'rg',
  location: 'westeurope',
  kubelet: { source: 'managedIdentity', objectId: 'o1', objectIdFrom: 'cluster', clientId: 'c1', resourceId: '/subscriptions/s1/…/aks1-agentpool' },
  agentPools: [{ name: 'nodepool1', osType: 'Linux' }],
};

const findings: Finding[] = [
  { id: 'cluster', status: 'pass', title: 'Cluster aks1', detail: 'found', cluster: 'aks1', evidence: { kubelet: { objectId: 'o1' }, pools: [1, null, 'x'] } },
  { id: 'registry-network', status: 'warn', title: 'Network of myacr', detail: 'throttled', cluster: 'aks1', registry: 'myacr', path: 'cluster', notes: ['Basic SKU'] },
  { id: 'image', status: 'skip', title: 'Images', detail: 'no images given', registry: 'myacr', image: 'myacr.azurecr.io/app:1', path: 'runner' },
];

describe('the reports the tool writes', () => {
  test('an assembled report names its schema and validates, as published and closed', () => {
    const report = assembleReport({ version: VERSION, durationMs: 12, findings, clusters: [cluster], registries: [{ registry: registryFacts(), egressHosts: ['myacr.azurecr.io', '*.blob.core.windows.net'] }] });
    expect(report.$schema).toBe(REPORT_SCHEMA.$id);
    expect(report.result).toBe('warn');
    expect(reportErrors(report)).toEqual([]);
    expect(reportErrors(report, 'closed')).toEqual([]);
  });

  test('the crash report validates', () => {
    const report = crashReport('boom', VERSION, 3);
    expect(report.$schema).toBe(REPORT_SCHEMA.$id);
    expect(() => validateReport(report)).not.toThrow();
  });
});

/** A valid report of this version; `over` wins. */
const valid = (over: Record<string, unknown> = {}) => ({
  ...JSON.parse(JSON.stringify(assembleReport({ version: VERSION, durationMs: 5, findings: [], clusters: [cluster], registries: [{ registry: registryFacts() }] }))),
  ...over,
});
const check = (over: Record<string, unknown> = {}) => ({ id: 'pull-permission', status: 'fail', title: 't', detail: 'd', cluster: 'aks1', registry: 'myacr', ...over });
const source = { file: 'k8s/app.yaml', line: 12, workload: 'Deployment/web', container: 'web' };
const change = { kind: 'roleAssignment', id: '/subscriptions/s1/…/roleAssignments/g', role: 'AcrPull', principalId: 'o1', scope: '/subscriptions/s1/…/registries/myacr' };

test.each<[string, Record<string, unknown>]>([
  ['no checks: pass', {}],
  ['a failing check: fail', { result: 'fail', checks: [check()] }],
  ['unknown makes fail', { result: 'fail', checks: [check({ status: 'unknown' }), check({ status: 'pass' })] }],
  ['a warning: warn', { result: 'warn', checks: [check({ status: 'warn' }), check({ status: 'skip' })] }],
  ['the fields added since v1', { result: 'fail', changes: [change], checks: [check({ id: 'image', status: 'pass', image: 'myacr.azurecr.io/web:1', path: 'runner', notes: ['a cache rule applies'], source, sources: [source, { ...source, line: 40 }] }), check({ id: 'in-cluster-pull', pool: 'nodepool1', path: 'cluster' })] }],
  ['the coming check ids', { result: 'fail', checks: ['in-cluster-pull', 'pod-symptoms', 'pull-secret'].map((id) => check({ id })) }],
  ['nothing changed', { changes: [] }],
  ['a service-principal cluster without an object ID', { clusters: [{ id: cluster.id, name: 'aks1', location: 'westeurope', kubeletIdentity: { source: 'servicePrincipal', clientId: 'c1' } }] }],
])('valid: %s', (_name, over) => {
  expect(reportErrors(valid(over))).toEqual([]);
  expect(reportErrors(valid(over), 'closed')).toEqual([]);
});

test.each<[string, Record<string, unknown>, RegExp]>([
  ['an id not in the contract', { result: 'fail', checks: [check({ id: 'pull-permision' })] }, /\/checks\/0\/id must be equal to one of the allowed values/],
  ['a status not in the contract', { result: 'fail', checks: [check({ status: 'error' })] }, /\/checks\/0\/status must be equal to one of the allowed values/],
  ['a pass over a failing check', { result: 'pass', checks: [check()] }, /\/result must be equal to constant/],
  ['a pass over an unknown check', { result: 'pass', checks: [check({ status: 'unknown' })] }, /\/result must be equal to constant/],
  ['a pass over a warning', { result: 'pass', checks: [check({ status: 'warn' })] }, /\/result must be equal to constant/],
  ['no $schema', { $schema: undefined }, /must have required property '\$schema'/],
  ['a $schema elsewhere', { $schema: 'https://example.com/report.json' }, /\/\$schema must match pattern/],
  ['another schemaVersion', { schemaVersion: 2 }, /\/schemaVersion must be equal to constant/],
  ['a check without a title', { result: 'fail', checks: [check({ title: undefined })] }, /\/checks\/0 must have required property 'title'/],
  ['a path that is neither runner nor cluster', { result: 'fail', checks: [check({ path: 'pod' })] }, /\/checks\/0\/path must be equal to one of the allowed values/],
  ['evidence that is not an object', { result: 'fail', checks: [check({ evidence: 'x' })] }, /\/checks\/0\/evidence must be object/],
  ['a source without a line', { result: 'fail', checks: [check({ source: { file: 'k8s/app.yaml' } })] }, /\/checks\/0\/source must have required property 'line'/],
  ['a change of an unknown kind', { changes: [{ ...change, kind: 'secret' }] }, /\/changes\/0\/kind must be equal to one of the allowed values/],
  ['a registry without its login server', { registries: [{ id: 'r', name: 'myacr' }] }, /\/registries\/0 must have required property 'loginServer'/],
  ['a kubelet source the contract does not name', { clusters: [{ id: cluster.id, name: 'aks1', location: 'westeurope', kubeletIdentity: { source: 'userAssigned' } }] }, /\/clusters\/0\/kubeletIdentity\/source must be equal to one of the allowed values/],
])('invalid: %s', (_name, over, error) => {
  const report = JSON.parse(JSON.stringify(valid(over)));
  expect(reportErrors(report).join('\n')).toMatch(error);
  expect(() => validateReport(report, 'this report')).toThrow(/^this report does not match schema\/report\.schema\.json:\n/);
});

describe('open for additions, closed in our tests', () => {
  const added = valid({ fleet: { size: 2 }, result: 'fail', checks: [check({ namespace: 'default', evidence: { anything: { at: ['all'] } } })] });

  test('fields a later version adds pass the schema as published', () => {
    expect(reportErrors(added)).toEqual([]);
  });

  test('the closed variant names every field the schema does not describe, and leaves evidence free-form', () => {
    expect(reportErrors(added, 'closed')).toEqual([
      '/ must NOT have additional properties {"additionalProperty":"fleet"}',
      '/checks/0 must NOT have additional properties {"additionalProperty":"namespace"}',
    ]);
    expect(() => validateReport(added)).toThrow(/with its open objects closed/);
  });
});
