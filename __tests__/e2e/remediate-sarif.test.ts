// `remediate: true` and `sarif-path` end to end: the bundled action (dist/index.js) against the fake ARM's
// role-assignment PUT, with the real @azure/arm-authorization client inside it. The one write is the pull
// role assignment for the kubelet identity; the request body, the report's `changes`, the summary and every
// method that reached the fake are asserted. The SARIF file the action writes is valid against the schema.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDS, ROLE_IDS, roleAssignment, roleDefinition, standardWorld } from '../fake-azure/fixtures.js';
import { delayListing, propagating, receivedWrites } from '../fake-azure/role-assignment-write.js';
import { runAction, type ActionRun } from '../harness/run-action.js';
import { sarifErrors } from '../harness/sarif-schema.js';
import { oidcRun } from '../harness/scenarios.js';
import { fake, lab, useLab } from '../harness/lab-suite.js';

/** The built-in roles that may create role assignments, with their real actions (learn.microsoft.com built-in roles, Privileged). */
const RBAC_ADMIN = 'f58310d9-a9f6-439a-9e8d-f62e7b41a168';
const USER_ACCESS_ADMIN = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9';
const WRITER_ROLES = [
  roleDefinition({ guid: RBAC_ADMIN, roleName: 'Role Based Access Control Administrator', type: 'BuiltInRole', permissions: [{ actions: ['Microsoft.Authorization/roleAssignments/write', 'Microsoft.Authorization/roleAssignments/delete', '*/read', 'Microsoft.Support/*'] }] }),
  roleDefinition({ guid: USER_ACCESS_ADMIN, roleName: 'User Access Administrator', type: 'BuiltInRole', permissions: [{ actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'] }] }),
];
const READER = ROLE_IDS['Container Registry Repository Reader'];
/** Role Based Access Control Administrator limited to assigning AcrPull and Container Registry Repository Reader. */
const CONDITION = `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ROLE_IDS.AcrPull}, ${READER}}))`;

useLab();

/** The standard world without the kubelet's AcrPull; the signed-in identity holds `writer` on the registry (none: it may only read). */
function world({ writer, abac = false }: { writer?: 'rbac-admin' | 'user-access-admin'; abac?: boolean }) {
  const w = standardWorld();
  w.roleDefinitions.push(...WRITER_ROLES);
  w.roleAssignments = [];
  if (writer === 'rbac-admin') w.roleAssignments.push(roleAssignment({ scope: IDS.registryId, roleDefinitionGuid: RBAC_ADMIN, principalId: IDS.clientObjectId, condition: CONDITION }));
  if (writer === 'user-access-admin') w.roleAssignments.push(roleAssignment({ scope: `/subscriptions/${IDS.subscription}/resourceGroups/${IDS.registryResourceGroup}`, roleDefinitionGuid: USER_ACCESS_ADMIN, principalId: IDS.clientObjectId }));
  if (abac) (w.registries[0] as { properties: Record<string, unknown> }).properties.roleAssignmentMode = 'AbacRepositoryPermissions';
  fake.reset(w);
  return w;
}

async function run(inputs: Record<string, string> = {}): Promise<ActionRun> {
  const base = oidcRun(fake.url, lab);
  return runAction({ inputs: { ...base.inputs, remediate: 'true', ...inputs }, env: base.env });
}

const pullPermission = (r: ActionRun) => r.report.checks.find((c: { id: string }) => c.id === 'pull-permission');
/** What reached the fake ARM (sign-in to Entra is a POST, and not ARM's). */
const armRequests = () => fake.requests.filter((q) => q.route.startsWith('arm.') || q.route === 'unhandled');
const writes = () => armRequests().filter((q) => q.method !== 'GET' && q.method !== 'HEAD');
const puts = () => writes().filter((q) => q.route === 'arm.roleAssignments.create');
const kubeletAssignments = () => fake.world.roleAssignments.filter((a) => a.properties.principalId === IDS.kubeletObjectId);

test('a missing AcrPull is created for the kubelet identity, seen, reported as a change, and the check is warn', async () => {
  world({ writer: 'rbac-admin' });
  delayListing(fake.world, 2);
  const r = await run();
  const f = pullPermission(r);
  expect(f.status).toBe('warn');
  expect(f.title).toBe('Pull role assigned to the kubelet identity of aks1 on myacr; propagation pending');
  expect(f.detail).toContain('up to 60 minutes');
  expect(f.detail).toMatch(/Azure RBAC lists it \(after 3 reads\)/);
  expect(f.fix).toBeUndefined();
  const [created] = kubeletAssignments();
  expect(kubeletAssignments()).toHaveLength(1);
  expect(created!.properties).toMatchObject({ roleDefinitionId: `/subscriptions/${IDS.subscription}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.AcrPull}`, principalId: IDS.kubeletObjectId, principalType: 'ServicePrincipal', scope: IDS.registryId });
  expect(r.report.changes).toEqual([{ kind: 'roleAssignment', id: created!.id, role: 'AcrPull', principalId: IDS.kubeletObjectId, scope: IDS.registryId }]);
  expect(f.detail).toContain(created!.id);
  expect(r.summary).toContain('<h2>Changes</h2>');
  expect(r.summary).toContain(created!.id);
  expect(r.outputs.result).toBe('warn');
  expect(puts()).toHaveLength(1);
  expect(puts()[0]!.path).toBe(`${IDS.registryId}/providers/Microsoft.Authorization/roleAssignments/${created!.name}`);
});

test('the request body is the kubelet, AcrPull and ServicePrincipal, under a new GUID name (User Access Administrator above the registry)', async () => {
  world({ writer: 'user-access-admin' });
  const r = await run();
  expect(pullPermission(r).status).toBe('warn');
  const [sent] = receivedWrites(fake.world);
  expect(receivedWrites(fake.world)).toHaveLength(1);
  expect(JSON.parse(sent!.body)).toEqual({
    properties: { roleDefinitionId: `/subscriptions/${IDS.subscription}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.AcrPull}`, principalId: IDS.kubeletObjectId, principalType: 'ServicePrincipal' },
  });
  expect(sent!.path).toMatch(/\/roleAssignments\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('ABAC mode: Container Registry Repository Reader, not AcrPull', async () => {
  world({ writer: 'rbac-admin', abac: true });
  const r = await run();
  expect(pullPermission(r).status).toBe('warn');
  const [created] = kubeletAssignments();
  expect(kubeletAssignments()).toHaveLength(1);
  expect(created!.properties.roleDefinitionId).toBe(`/subscriptions/${IDS.subscription}/providers/Microsoft.Authorization/roleDefinitions/${READER}`);
  expect(r.report.changes).toEqual([expect.objectContaining({ role: 'Container Registry Repository Reader', id: created!.id })]);
});

test('ABAC mode, a repository condition leaves an image out: Repository Reader for exactly that repository', async () => {
  const w = world({ writer: 'rbac-admin', abac: true });
  const onlyOther = `((!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'}) AND !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'})) OR (@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringStartsWithIgnoreCase 'other/'))`;
  // on the resource group: a new assignment on the registry does not collide with it (one per principal, role and scope)
  w.roleAssignments.push(roleAssignment({ scope: `/subscriptions/${IDS.subscription}/resourceGroups/${IDS.registryResourceGroup}`, roleDefinitionGuid: READER, principalId: IDS.kubeletObjectId, condition: onlyOther }));
  const r = await run({ images: 'myacr.azurecr.io/team/app:1.0' });
  expect(pullPermission(r).status).toBe('warn');
  const created = kubeletAssignments().filter((a) => a.properties.condition !== onlyOther);
  expect(created).toHaveLength(1);
  expect(created[0]!.properties.condition).toContain("StringEqualsIgnoreCase 'team/app'");
  expect(JSON.parse(receivedWrites(fake.world)[0]!.body).properties).toMatchObject({ roleDefinitionId: expect.stringContaining(READER), conditionVersion: '2.0' });
});

test('created, but not listed before the time budget ends: still warn, and the change is reported', async () => {
  world({ writer: 'rbac-admin' });
  delayListing(fake.world, 1_000);
  const r = await run({ timeout: '8' });
  const f = pullPermission(r);
  expect(f.status).toBe('warn');
  expect(f.detail).toContain('did not list it yet when the time budget ran out');
  expect(r.report.changes).toHaveLength(1);
  expect(puts()).toHaveLength(1);
});

test('409 RoleAssignmentExists: success, nothing created and nothing duplicated', async () => {
  const w = world({ writer: 'rbac-admin' });
  const existing = roleAssignment({ scope: IDS.registryId, roleDefinitionGuid: ROLE_IDS.AcrPull, principalId: IDS.kubeletObjectId, createdOn: new Date().toISOString() });
  propagating(w, existing, 1); // it exists, but the run's first listing misses it
  const r = await run();
  const f = pullPermission(r);
  expect(puts().map((q) => q.status)).toEqual([409]);
  expect(f.status).toBe('warn');
  expect(f.detail).toContain('409 RoleAssignmentExists');
  expect(f.detail).toContain(existing.id);
  expect(r.report.changes).toEqual([]);
  expect(kubeletAssignments().map((a) => a.id)).toEqual([existing.id]);
  expect(r.summary).not.toContain('<h2>Changes</h2>');
});

test('403: unknown, naming roleAssignments/write and the least roles that grant it', async () => {
  world({});
  const r = await run();
  const f = pullPermission(r);
  expect(puts().map((q) => q.status)).toEqual([403]);
  expect(f.status).toBe('unknown');
  expect(f.detail).toContain(`Microsoft.Authorization/roleAssignments/write on ${IDS.registryId}`);
  expect(f.detail).toContain('Role Based Access Control Administrator');
  expect(f.detail).toContain('User Access Administrator');
  expect(f.detail).toContain('AuthorizationFailed');
  expect(f.fix).toContain('az role assignment create');
  expect(r.report.changes).toEqual([]);
  expect(kubeletAssignments()).toEqual([]);
  expect(r.status).toBe(1);
});

test('a conditioned Role Based Access Control Administrator may not assign a role outside its condition', async () => {
  const w = world({ writer: 'rbac-admin' });
  w.roleAssignments[0]!.properties.condition = CONDITION.replace(`, ${READER}`, '');
  (w.registries[0] as { properties: Record<string, unknown> }).properties.roleAssignmentMode = 'AbacRepositoryPermissions';
  const r = await run();
  expect(pullPermission(r).status).toBe('unknown');
  expect(kubeletAssignments()).toEqual([]);
});

test('remediate false: the failure stays, nothing is written', async () => {
  world({ writer: 'rbac-admin' });
  const r = await run({ remediate: 'false' });
  expect(pullPermission(r).status).toBe('fail');
  expect(writes()).toEqual([]);
  expect(r.report.changes).toEqual([]);
});

test('a whole remediate run: only GET/HEAD and this one PUT reach the fake ARM', async () => {
  world({ writer: 'rbac-admin' });
  const r = await run({ images: 'myacr.azurecr.io/team/app:1.0' });
  expect(pullPermission(r).status).toBe('warn');
  expect(armRequests().length).toBeGreaterThan(5);
  expect(writes().map((q) => `${q.method} ${q.route} ${q.status}`)).toEqual(['PUT arm.roleAssignments.create 201']);
});

test('sarif-path: the file is written where asked, named by the sarif output, and valid SARIF 2.1.0', async () => {
  world({});
  const dir = mkdtempSync(join(tmpdir(), 'preflight-sarif-'));
  try {
    const path = join(dir, 'results', 'preflight.sarif');
    const r = await run({ remediate: 'false', 'sarif-path': path });
    expect(r.outputs.sarif).toBe(path);
    const log = JSON.parse(readFileSync(path, 'utf8'));
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0].tool.driver).toMatchObject({ name: 'aks-acr-preflight', version: r.report.tool.version });
    expect(log.runs[0].tool.driver.rules).toHaveLength(10);
    // no finding of this run points at a file and line (no manifests): no results, and no alert for them
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].properties.result).toBe(r.report.result);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sarif-path with manifests: one result per finding on a file and line, relative to the workspace, with its level', async () => {
  world({});
  const workspace = mkdtempSync(join(tmpdir(), 'preflight-sarif-ws-'));
  try {
    mkdirSync(join(workspace, 'k8s'));
    writeFileSync(
      join(workspace, 'k8s', 'web.yaml'),
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: web',
        '          image: myacr.azurecr.io/team/app:1.0',
        '        - name: sidecar',
        '          image: myacr.azurecr.io/team/app:9.9',
        '        - name: report',
        '          image: myacr.azurecr.io/team/report:${TAG}',
        '',
      ].join('\n'),
    );
    const path = join(workspace, 'preflight.sarif');
    const base = oidcRun(fake.url, lab);
    const r = await runAction({ inputs: { ...base.inputs, remediate: 'false', manifests: 'k8s/', 'sarif-path': path }, env: { ...base.env, GITHUB_WORKSPACE: workspace } });
    expect(r.outputs.result).toBe('fail');
    const log = JSON.parse(readFileSync(path, 'utf8'));
    expect(sarifErrors(log)).toEqual([]);
    const results = log.runs[0].results.map((x: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }[] }) => {
      const loc = x.locations[0]!.physicalLocation;
      return [x.ruleId, x.level, loc.artifactLocation.uri, loc.artifactLocation.uriBaseId, loc.region.startLine];
    });
    // the missing tag fails on its line, the unrendered template warns on its own; the good image is no alert
    expect(results).toEqual(
      expect.arrayContaining([
        ['image', 'error', 'k8s/web.yaml', '%SRCROOT%', 12],
        ['image', 'warning', 'k8s/web.yaml', '%SRCROOT%', 14],
      ]),
    );
    expect(results.filter((x: unknown[]) => x[4] === 10)).toEqual([]);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});
