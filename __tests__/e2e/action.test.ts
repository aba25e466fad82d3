// The bundled action (dist/index.js) run as a child process with the runner's protocol, against the
// fake Azure on 127.0.0.1 with the real SDK clients and @azure/identity inside it.
import http from 'node:net';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startFakeAzure, type FakeAzure } from '../fake-azure/server.js';
import { IDS, ROLE_IDS, SECRETS, managedCluster, roleAssignment, roleDefinition, standardWorld } from '../fake-azure/fixtures.js';
import { NODE, ROOT, runAction, visibleOutput, type ActionRun } from '../harness/run-action.js';
import { validateReport } from '../harness/report-schema.js';
import { SCENARIOS, environmentCredentials, oidcRun, resetLab, startLab } from '../harness/scenarios.js';
import type { RegistryLab } from '../registry-lab/index.js';

const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null') as { cert: string; key: string } | null;
if (!certs || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');

const registryCerts = JSON.parse(process.env.PREFLIGHT_REGISTRY_CERTS ?? 'null');
if (!registryCerts) throw new Error('run the tests with `npm test` (it makes the registry certificates)');

let fake: FakeAzure;
let lab: RegistryLab;
const runs: ActionRun[] = [];

beforeAll(async () => {
  fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
  lab = await startLab(fake, registryCerts);
});
afterAll(async () => {
  await lab?.stop();
  await fake?.stop();
});
beforeEach(() => resetLab(lab));

async function run(inputs: Record<string, string> = {}, env: Record<string, string | undefined> = {}): Promise<ActionRun> {
  const base = oidcRun(fake.url, lab);
  const r = await runAction({ inputs: { ...base.inputs, ...inputs }, env: { ...base.env, ...env } });
  runs.push(r);
  return r;
}

const check = (r: ActionRun, id: string) => r.report.checks.find((c: { id: string }) => c.id === id);
const annotations = (r: ActionRun, level: string) => r.commands.filter((c) => c.command === level);

describe('scenarios (the same ones `npm run demo` shows)', () => {
  test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    s.setup?.(fake, lab);
    const r = await run(s.inputs);
    expect(r.outputs.result).toBe(s.expect.result);
    expect(r.report.result).toBe(s.expect.result);
    expect(r.status).toBe(s.expect.result === 'fail' ? 1 : 0);
    for (const [id, status] of Object.entries(s.expect.checks)) expect(check(r, id)?.status).toBe(status);
    // one annotation per check that needs attention, titled with the check id
    const attention = r.report.checks.filter((c: { status: string }) => c.status === 'fail' || c.status === 'unknown');
    const errors = annotations(r, 'error').filter((a) => a.properties.title);
    expect(errors.map((a) => (a.properties.title ?? '').split(/[: ]/)[0]).sort()).toEqual(attention.map((c: { id: string }) => c.id).sort());
    expect(r.summary).toContain(`AKS ACR preflight: ${s.expect.result.toUpperCase()}`);
    expect(r.outputs['kubelet-object-id']).toBe(IDS.kubeletObjectId);
    expect(r.outputs['login-servers']).toBe('myacr.azurecr.io');
    expect(r.outputs.report).toBe(r.reportPath);
  });

  test('no role: the fix is the exact az command for the kubelet identity', async () => {
    SCENARIOS.find((s) => s.name === 'no-role')!.setup!(fake, lab);
    const r = await run();
    expect(check(r, 'pull-permission').fix).toContain(
      `az role assignment create --assignee-object-id ${IDS.kubeletObjectId} --assignee-principal-type ServicePrincipal --role AcrPull --scope ${IDS.registryId}`,
    );
    expect(r.summary).toContain('az role assignment create');
  });

  test('ABAC mode: says AcrPull is not honoured and fixes with Container Registry Repository Reader', async () => {
    SCENARIOS.find((s) => s.name === 'abac')!.setup!(fake, lab);
    const f = check(await run(), 'pull-permission');
    expect(f.detail).toMatch(/not honou?red/i);
    expect(f.fix).toContain('Container Registry Repository Reader');
  });

  test('wrong identity: names the control-plane identity that holds the role', async () => {
    SCENARIOS.find((s) => s.name === 'wrong-identity')!.setup!(fake, lab);
    const f = check(await run(), 'pull-permission');
    expect(f.detail).toContain(IDS.controlPlanePrincipalId);
    expect(f.detail).toMatch(/control-plane/i);
  });

  test('403 on role assignments: unknown, naming the permission and the correlation id', async () => {
    SCENARIOS.find((s) => s.name === 'rbac-forbidden')!.setup!(fake, lab);
    const f = check(await run(), 'pull-permission');
    expect(f.detail).toContain('Microsoft.Authorization/roleAssignments/read');
    expect(f.detail).toMatch(/correlation id: [0-9a-f-]{36}/i);
  });
});

describe('resolution', () => {
  test('a registry by name in another subscription, and several registries in input order', async () => {
    fake.reset(standardWorld());
    fake.world.roleAssignments.push(roleAssignment({ scope: IDS.otherRegistryId, roleDefinitionGuid: ROLE_IDS.AcrPull, principalId: IDS.kubeletObjectId }));
    const r = await run({ registry: 'otheracr, https://MyAcr.azurecr.io/' });
    // otheracr is in northeurope, the cluster in westeurope, with no replica: pulls work, across regions
    expect(r.outputs.result).toBe('warn');
    const crossRegion = r.report.checks.filter((c: { status: string }) => c.status !== 'pass');
    expect(crossRegion).toHaveLength(1);
    expect(crossRegion[0]).toMatchObject({ id: 'registry-network', registry: 'otheracr', status: 'warn', path: 'cluster' });
    expect(crossRegion[0].detail).toMatch(/northeurope/);
    expect(r.outputs['login-servers']).toBe('otheracr.azurecr.io,myacr.azurecr.io');
    expect(r.report.registries.map((x: { id: string }) => x.id)).toEqual([IDS.otherRegistryId, IDS.registryId]);
  });

  test('a registry that does not exist: fail, listing the closest names', async () => {
    fake.reset(standardWorld());
    const r = await run({ registry: 'myacrr' });
    const f = check(r, 'registry');
    expect(f.status).toBe('fail');
    expect(f.registry).toBe('myacrr');
    expect(f.detail).toContain('myacr');
    expect(check(r, 'pull-permission').status).toBe('skip');
    expect(r.status).toBe(1);
  });

  test('a service-principal cluster: the kubelet object ID comes from Microsoft Graph', async () => {
    fake.reset(standardWorld());
    fake.world.clusters = [managedCluster({ subscriptionId: IDS.subscription, resourceGroup: IDS.clusterResourceGroup, name: IDS.cluster, servicePrincipalClientId: IDS.kubeletClientId })];
    const r = await run();
    expect(r.outputs.result).toBe('pass');
    expect(r.outputs['kubelet-object-id']).toBe(IDS.kubeletObjectId);
    expect(r.report.clusters[0].kubeletIdentity.source).toBe('servicePrincipal');
  });

  test('a service-principal cluster when Graph refuses: unknown, then the kubelet-object-id input settles it', async () => {
    fake.reset(standardWorld());
    fake.world.clusters = [managedCluster({ subscriptionId: IDS.subscription, resourceGroup: IDS.clusterResourceGroup, name: IDS.cluster, servicePrincipalClientId: IDS.kubeletClientId })];
    fake.addFault({ path: /^\/v1\.0\/servicePrincipals/, status: 403 });
    const blind = await run();
    expect(check(blind, 'cluster').status).toBe('unknown');
    expect(check(blind, 'pull-permission').status).toBe('unknown');
    expect(check(blind, 'pull-permission').detail).toContain('kubelet-object-id');
    const told = await run({ 'kubelet-object-id': IDS.kubeletObjectId });
    expect(told.outputs.result).toBe('pass');
  });
});

describe('robustness', () => {
  test('429 with Retry-After is retried and the run still passes', async () => {
    fake.reset(standardWorld());
    fake.addFault({ path: /managedClusters\/aks1$/i, status: 429, headers: { 'Retry-After': '1' }, times: 1 });
    const r = await run();
    expect(r.outputs.result).toBe('pass');
    expect(fake.requests.filter((q) => /managedClusters\/aks1$/i.test(q.path)).map((q) => q.status)).toEqual([429, 200]);
  });

  test('a registry list that keeps failing with 500 is unknown, never a pass', async () => {
    fake.reset(standardWorld());
    fake.addFault({ path: /\/providers\/Microsoft\.ContainerRegistry\/registries$/i, status: 500 });
    const r = await run();
    expect(check(r, 'registry').status).toBe('unknown');
    expect(check(r, 'registry').detail).toMatch(/500/);
    expect(r.outputs.result).toBe('fail');
    expect(r.report).toBeDefined();
  });

  test('the granted run asks ARM for nothing twice', async () => {
    fake.reset(standardWorld());
    await run();
    const arm = fake.requests.filter((q) => q.path.startsWith('/subscriptions')).map((q) => `${q.method} ${q.path} ${JSON.stringify(q.query)}`);
    expect(new Set(arm).size).toBe(arm.length);
  });

  test('fail-on never reports a failing verdict without failing the step', async () => {
    fake.reset(standardWorld());
    fake.world.roleAssignments = [];
    const r = await run({ 'fail-on': 'never' });
    expect(r.outputs.result).toBe('fail');
    expect(r.status).toBe(0);
  });
});

describe('inputs and sign-in', () => {
  test('an invalid input is named before any Azure call, and no report is written', async () => {
    fake.reset(standardWorld());
    const r = await run({ 'fail-on': 'sometimes' });
    expect(r.status).toBe(1);
    const err = annotations(r, 'error').map((a) => a.message).join('\n');
    expect(err).toContain("'fail-on'");
    expect(err).toMatch(/error, warning, never/);
    expect(fake.requests).toHaveLength(0);
    expect(r.report).toBeUndefined();
  });

  test('auth oidc without id-token: write says so, before any Azure call', async () => {
    fake.reset(standardWorld());
    const r = await run({}, { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined });
    expect(r.status).toBe(1);
    expect(annotations(r, 'error').map((a) => a.message).join('\n')).toContain('id-token: write');
    expect(fake.requests).toHaveLength(0);
  });

  test('environment credentials (client secret) work, and tokens are requested for the ARM audience', async () => {
    fake.reset(standardWorld());
    const r = await run(
      { auth: 'auto', 'client-id': '', 'tenant-id': '' },
      environmentCredentials(fake.url),
    );
    expect(r.outputs.result).toBe('pass');
    const audiences = new Set(fake.requests.filter((q) => q.path.startsWith('/subscriptions')).map((q) => q.audience));
    expect([...audiences]).toEqual(['https://management.azure.com']);
  });

  test('the Azure instance metadata address is never contacted (auth auto)', async () => {
    if (!process.env.PREFLIGHT_NETNS) {
      console.warn('not in the test network namespace (run npm test as root): the instance metadata decoy is not available');
      return;
    }
    const hits: string[] = [];
    const decoy = http.createServer((s) => {
      hits.push('connection');
      s.destroy();
    });
    await new Promise<void>((res) => decoy.listen(80, '169.254.169.254', res));
    try {
      fake.reset(standardWorld());
      const r = await run(
        { auth: 'auto', 'client-id': '', 'tenant-id': '' },
        environmentCredentials(fake.url),
      );
      expect(r.outputs.result).toBe('pass');
      // the decoy does answer when asked: prove it is reachable, so that "no hits" means something
      await new Promise<void>((res, rej) => http.connect(80, '169.254.169.254').on('connect', function (this: http.Socket) { this.destroy(); res(); }).on('error', rej));
      expect(hits).toEqual(['connection']);
    } finally {
      decoy.close();
    }
  });
});

describe('output safety', () => {
  test('a hostile custom role name from Azure is escaped in the summary', async () => {
    fake.reset(standardWorld());
    const hostile = '<img src=x onerror=alert(1)>';
    fake.world.roleDefinitions.push(roleDefinition({ guid: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd', roleName: hostile, permissions: [{ actions: ['Microsoft.ContainerRegistry/registries/read'] }] }));
    fake.world.roleAssignments = [roleAssignment({ scope: IDS.registryId, roleDefinitionGuid: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd', principalId: IDS.kubeletObjectId })];
    const r = await run();
    expect(JSON.stringify(r.report)).toContain(hostile);
    expect(r.summary).not.toContain('<img');
    expect(r.summary).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('no token or secret appears in stdout, stderr, outputs, summary or report of any run', () => {
    expect(runs.length).toBeGreaterThan(10);
    const secrets = [...fake.issuedTokens, ...lab.issuedTokens, ...Object.values(SECRETS)];
    expect(fake.issuedTokens.length).toBeGreaterThan(0);
    expect(lab.issuedTokens.length).toBeGreaterThan(0);
    for (const r of runs) {
      const seen = visibleOutput(r);
      for (const s of secrets) expect(seen.includes(s)).toBe(false);
    }
    // every Entra token and every registry token the action received was masked, and nothing else was
    const masked = new Set(runs.flatMap((r) => r.secrets));
    const armTokensSeen = runs.filter((r) => r.secrets.length).length;
    expect(armTokensSeen).toBeGreaterThan(0);
    expect([...masked].every((m) => fake.issuedTokens.includes(m) || lab.issuedTokens.includes(m))).toBe(true);
    const registryTokensSent = lab.issuedTokens.filter((t) => runs.some((r) => r.secrets.includes(t)));
    expect(registryTokensSent.length).toBeGreaterThan(0);
  });
});

describe('CLI', () => {
  test('--json prints the report and exits 1 on a failing verdict', async () => {
    fake.reset(standardWorld());
    fake.world.roleAssignments = [];
    const args = ['--cluster', IDS.cluster, '--resource-group', IDS.clusterResourceGroup, '--registry', IDS.registry, '--subscription', IDS.subscription, '--arm-endpoint', fake.url, '--graph-endpoint', fake.url, '--auth', 'environment', '--json'];
    const env = { PATH: process.env.PATH, HOME: '/nonexistent', NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS, ...environmentCredentials(fake.url) };
    const child = spawn(NODE, [join(ROOT, 'dist', 'cli', 'index.js'), ...args], { env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((res) => child.on('close', res));
    expect(code).toBe(1);
    const report = JSON.parse(out);
    validateReport(report, "the CLI's --json report");
    expect(report.result).toBe('fail');
    expect(report.checks.find((c: { id: string }) => c.id === 'pull-permission').status).toBe('fail');
  });

  test('a bad flag value exits 2 naming the flag', async () => {
    const child = spawn(NODE, [join(ROOT, 'dist', 'cli', 'index.js'), '--cluster', 'aks1', '--registry', 'x'], { env: { PATH: process.env.PATH, HOME: '/nonexistent' } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((res) => child.on('close', res));
    expect(code).toBe(2);
    expect(err).toMatch(/--registry|--resource-group/);
  });
});
