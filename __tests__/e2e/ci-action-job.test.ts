// The `action` job of .github/workflows/ci.yml, run here step by step as the runner would: the step that
// starts the simulated Azure (scripts/simulated-azure.mjs) with GITHUB_ENV and GITHUB_OUTPUT files, the
// bundled action with the inputs the workflow gives it (its `${{ steps.….outputs.… }}` expressions
// evaluated) and the environment the first step wrote, then the workflow's own check of the outputs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { ROOT, parseOutputFile, runAction, visibleOutput, type ActionRun } from '../harness/run-action.js';

interface Step { id?: string; uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> }
const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8')) as { jobs: { action: { steps: Step[] } } };
const step = (id: string) => {
  const s = workflow.jobs.action.steps.find((x) => x.id === id);
  if (!s) throw new Error(`ci.yml's action job has no step ${id}`);
  return s;
};

type Outputs = Record<string, Record<string, string>>;
/** A value of the workflow with its `${{ steps.<id>.outputs.<name> }}` expressions replaced (the only kind the job uses). */
function evaluate(value: string, steps: Outputs): string {
  const out = value.replace(/\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}/g, (_m, id: string, name: string) => {
    const v = steps[id]?.[name];
    if (v === undefined) throw new Error(`${id} has no output ${name}`);
    return v;
  });
  if (out.includes('${{')) throw new Error(`an expression this test does not evaluate: ${value}`);
  return out;
}
const evaluateAll = (map: Record<string, string> = {}, steps: Outputs) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k, evaluate(String(v), steps)]));

/** Running, not a zombie. @param {number} pid */
function running(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(stat, 'utf8'));
  } catch {
    return false;
  }
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const end = Date.now() + withinMs;
  while (running(pid)) {
    if (Date.now() > end) return false;
    await sleep(100);
  }
  return true;
}

/** Runs a `run:` block of the workflow with bash, as GitHub does (bash -e). */
function bash(script: string, env: Record<string, string | undefined>) {
  return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 180_000 });
}

describe("ci.yml's action job, step by step", () => {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-ci-job-'));
  const files = { GITHUB_ENV: join(dir, 'env'), GITHUB_OUTPUT: join(dir, 'output') };
  const steps: Outputs = {};
  let jobEnv: Record<string, string> = {};
  let pid = 0;
  let run: ActionRun;

  beforeAll(() => {
    writeFileSync(files.GITHUB_ENV, '');
    writeFileSync(files.GITHUB_OUTPUT, '');
    const start = bash(step('azure').run ?? '', { ...process.env, ...files, GITHUB_ACTIONS: 'true', RUNNER_TEMP: dir });
    if (start.status !== 0) throw new Error(`the azure step failed (${start.status}):\n${start.stdout}\n${start.stderr}`);
    steps.azure = parseOutputFile(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
    jobEnv = parseOutputFile(readFileSync(files.GITHUB_ENV, 'utf8'));
    pid = Number(steps.azure.pid);
    expect(start.stdout).toContain(`::add-mask::${jobEnv.AZURE_CLIENT_SECRET}`);
  }, 180_000);
  afterAll(async () => {
    if (pid) process.kill(pid, 'SIGTERM');
    const stopped = pid ? await gone(pid, 15_000) : true;
    rmSync(dir, { recursive: true, force: true });
    expect(stopped).toBe(true);
  });

  test('the first step hands the action the simulated Azure: endpoints on 127.0.0.1, its CA, a client secret sign-in', () => {
    expect(running(pid)).toBe(true);
    expect(steps.azure!['arm-endpoint']).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(steps.azure!['dns-servers']).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(steps.azure!.auth).toBe('environment');
    expect(Object.keys(jobEnv).sort()).toEqual(['AZURE_AUTHORITY_HOST', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TENANT_ID', 'NODE_EXTRA_CA_CERTS']);
    expect(jobEnv.AZURE_AUTHORITY_HOST).toBe(steps.azure!['arm-endpoint']);
    expect(readFileSync(jobEnv.NODE_EXTRA_CA_CERTS!, 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  test('the action, with the inputs of the workflow, passes every check', async () => {
    const uses = step('preflight');
    expect(uses.uses).toBe('./');
    const inputs = evaluateAll(uses.with, steps);
    run = await runAction({ inputs, env: jobEnv });
    expect(run.status).toBe(0);
    expect(run.outputs.result).toBe('pass');
    const statuses = Object.fromEntries(run.report.checks.map((c: { id: string; status: string }) => [c.id, c.status]));
    expect(statuses).toEqual({ cluster: 'pass', registry: 'pass', 'pull-permission': 'pass', 'registry-network': 'pass', 'registry-dns': 'pass', 'registry-endpoint': 'pass', image: 'pass' });
    expect(run.report.checks.filter((c: { id: string }) => c.id === 'image')).toHaveLength(2);
    expect(run.summary).toContain('AKS ACR preflight: PASS');
    expect(visibleOutput(run)).not.toContain(jobEnv.AZURE_CLIENT_SECRET);
  }, 120_000);

  /** The verify step with the action's outputs (and its report, which runAction has removed, written back). */
  function verify(outputs: Record<string, string>) {
    const report = join(dir, 'report.json');
    writeFileSync(report, JSON.stringify(run.report));
    const env = evaluateAll(step('verify').env, { ...steps, preflight: { ...run.outputs, report, ...outputs } });
    return bash(step('verify').run ?? '', { ...jobEnv, ...env });
  }

  test("the workflow's check of the outputs and the report passes", () => {
    const r = verify({});
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('result pass, kubelet 44444444-4444-4444-8444-444444444444, login servers myacr.azurecr.io');
  });

  test.each([
    ['result', { result: 'fail' }, "result is 'fail', expected 'pass'"],
    ['kubelet-object-id', { 'kubelet-object-id': '' }, "kubelet-object-id is '', expected"],
    ['login-servers', { 'login-servers': 'otheracr.azurecr.io' }, "login-servers is 'otheracr.azurecr.io'"],
    ['report', { report: join(tmpdir(), 'no-such-report.json') }, 'no report at'],
  ])('and fails when %s is not what it should be', (_name, outputs, message) => {
    const r = verify(outputs);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`::error title=simulated Azure::${message}`);
  });
});

test('the simulated Azure stops by itself after --seconds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-sim-'));
  try {
    const output = join(dir, 'output');
    writeFileSync(output, '');
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'simulated-azure.mjs'), '--seconds', '2'], { env: { ...process.env, GITHUB_OUTPUT: output, GITHUB_ENV: join(dir, 'env'), RUNNER_TEMP: dir }, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    const outputs = parseOutputFile(readFileSync(output, 'utf8'));
    expect(await gone(Number(outputs.pid), 20_000)).toBe(true);
    expect(readFileSync(outputs.log!, 'utf8')).toContain('stopping (2 s have passed)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 150_000);

test.each([['0'], ['3601'], ['ten']])('--seconds %s is refused', (seconds) => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'simulated-azure.mjs'), '--seconds', seconds], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('--seconds must be a whole number from 1 to 3600');
});
