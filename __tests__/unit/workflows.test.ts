// The GitHub workflows, dependabot and action.yml: what scripts/lint-workflows.mjs (run by .ci/run)
// finds in them, that it does find real problems, and the shape of each workflow's jobs and permissions.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { actionMetadataProblems, lintAll, workflowPolicyProblems } from '../../scripts/lint-workflows.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const actionYml = read('action.yml');

interface Step { id?: string; name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job { permissions?: unknown; environment?: unknown; needs?: unknown; steps: Step[] }
interface Workflow { on: unknown; permissions: unknown; jobs: Record<string, Job> }
const ci = parse(read('.github/workflows/ci.yml')) as Workflow;
const release = parse(read('.github/workflows/release.yml')) as Workflow;

test('the workflows and action.yml have no problems (what .ci/run checks)', async () => {
  expect(await lintAll(root)).toEqual([]);
});

describe('actionlint finds problems in a workflow, and so do the pinning rules', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'preflight-lint-'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'index.js'), '');
    writeFileSync(join(dir, 'action.yml'), actionYml);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const job = (steps: string) => `on: push\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
  test.each([
    ['an expression that cannot be evaluated', job('      - run: echo "${{ steps.nope.outputs.x }}"\n'), /property "nope" is not defined/],
    ['untrusted input in a script', job('      - run: echo "${{ github.event.pull_request.title }}"\n'), /potentially untrusted/],
    ['a job without runs-on', 'on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - run: "true"\n', /runs-on/],
    ['an unknown permission', 'on: push\npermissions:\n  everything: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n', /unknown permission scope "everything"/],
    ['an action by tag', job('      - uses: actions/checkout@v6\n'), /pin third-party actions to a full commit SHA/],
    ['a SHA without its release', job('      - uses: actions/checkout@1af3b93b6815bc44a9784bd300feb67ff0d1eeb3\n'), /# vX\.Y\.Z/],
    ['no top-level permissions', 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n', /no top-level permissions/],
  ])('%s', async (_what, workflow, message) => {
    writeFileSync(join(dir, '.github', 'workflows', 'bad.yml'), workflow);
    const problems = await lintAll(dir);
    expect(problems.map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    expect(problems.every((p) => p.file === join('.github', 'workflows', 'bad.yml'))).toBe(true);
  });

  test('the command exits 1 and names the file and line', () => {
    writeFileSync(join(dir, '.github', 'workflows', 'bad.yml'), job('      - uses: actions/checkout@v6\n'));
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'lint-workflows.mjs'), dir], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${join('.github', 'workflows', 'bad.yml')}:8: actions/checkout@v6: pin third-party actions`);
    expect(workflowPolicyProblems(job('      - uses: actions/checkout@v6\n'), 'bad.yml')).toEqual([
      { file: 'bad.yml', line: 8, message: expect.stringContaining('actions/checkout@v6') },
    ]);
  });
});

describe('action.yml checks (actionlint does not read action metadata)', () => {
  const edit = (from: string | RegExp, to: string) => {
    const changed = actionYml.replace(from, to);
    expect(changed).not.toBe(actionYml);
    return changed;
  };
  test.each([
    ['runs.using node20', () => edit("using: 'node24'", "using: 'node20'"), /runs\.using must be node24/],
    ['runs.main missing', () => edit("main: 'dist/index.js'", "main: 'dist/nope.js'"), /runs\.main dist\/nope\.js does not exist/],
    ['an input without a description', () => edit(/( {2}cluster:\n) {4}description: .*\n/, '$1'), /input "cluster" has no description/],
    ['required as a string', () => edit(/( {2}cluster:\n(?: {4}.*\n)*? {4}required: )true/, "$1'true'"), /input "cluster": required must be true or false/],
    ['a default that is not a string', () => edit("default: '120'", 'default: 120'), /input "timeout": default must be a string/],
    ['an unknown input key', () => edit(/( {2}cluster:\n)/, '$1    type: string\n'), /input "cluster": unknown key "type"/],
    ['an output without a description', () => edit(/( {2}result:\n) {4}description: .*\n/, '$1    value: x\n'), /output "result" has no description/],
    ['a branding colour GitHub does not have', () => edit("color: 'blue'", "color: 'teal'"), /branding\.color must be one of/],
    ['a branding icon that is no icon name', () => edit("icon: 'check-circle'", "icon: 'Check Circle'"), /branding\.icon must be a Feather icon name/],
    ['an unknown top-level key', () => `${actionYml}\nrun: x\n`, /unknown top-level key "run"/],
    ['a duplicate key', () => edit(/^outputs:\n/m, 'outputs:\n  result:\n    description: again\n'), /YAML: .*[Uu]nique|YAML: .*[Dd]uplicate/],
    ['no name', () => edit(/^name: .*\n/m, ''), /"name" must be a non-empty string/],
  ])('%s', (_what, text, message) => {
    expect(actionMetadataProblems(text(), { root }).map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  test("the project's action.yml has none", () => {
    expect(actionMetadataProblems(actionYml, { root })).toEqual([]);
  });
});

describe('ci.yml', () => {
  test('runs on push and pull_request, with a read-only token', () => {
    expect(Object.keys(ci.on as object).sort()).toEqual(['pull_request', 'push']);
    expect(ci.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(ci.jobs)) expect(job.permissions).toBeUndefined();
  });

  test('the test job runs .ci/run, as root', () => {
    const runs = ci.jobs.test!.steps.map((s) => s.run).filter(Boolean);
    expect(runs).toEqual([expect.stringMatching(/^sudo -E env "PATH=\$PATH" .*bash \.ci\/run$/)]);
  });

  test('the action job runs the checkout (uses: ./) between the simulated Azure and the check of its outputs', () => {
    const ids = ci.jobs.action!.steps.map((s) => s.id).filter(Boolean);
    expect(ids).toEqual(['azure', 'preflight', 'verify']);
    expect(ci.jobs.action!.steps.find((s) => s.id === 'preflight')!.uses).toBe('./');
  });
});

describe('release.yml', () => {
  test('on a published release; no token rights but what each job needs', () => {
    expect(release.on).toEqual({ release: { types: ['published'] } });
    expect(release.permissions).toEqual({});
    expect(Object.fromEntries(Object.entries(release.jobs).map(([name, job]) => [name, job.permissions]))).toEqual({
      check: { contents: 'read' },
      'major-tag': { contents: 'write' },
      publish: { contents: 'read', 'id-token': 'write' },
    });
    expect(release.jobs['major-tag']!.needs).toBe('check');
    expect(release.jobs.publish!.needs).toBe('check');
  });

  test('publishes with provenance, in the npm environment, with the token from a secret', () => {
    const publish = release.jobs.publish!;
    expect(publish.environment).toBe('npm');
    const step = publish.steps.find((s) => s.run?.startsWith('npm publish'))!;
    expect(step.run).toBe('npm publish --provenance --access public');
    expect(step.env).toEqual({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });
  });

  test('checks dist/ against a fresh build, and moves the major tag with a forced push', () => {
    const check = release.jobs.check!.steps.map((s) => s.run ?? '').join('\n');
    expect(check).toMatch(/npm ci[\s\S]*npm run build[\s\S]*git diff --exit-code --stat -- dist/);
    const move = release.jobs['major-tag']!.steps.map((s) => s.run ?? '').join('\n');
    expect(move).toContain('git tag -f "$MAJOR" "$GITHUB_SHA"');
    expect(move).toContain('git push --force origin "refs/tags/$MAJOR"');
  });

  const tagStep = release.jobs.check!.steps.find((s) => s.id === 'tag')!;
  test.each([
    ['v1.2.3', 'v1'],
    ['v0.1.0', 'v0'],
    ['v10.0.12', 'v10'],
    ['v1.2', undefined],
    ['1.2.3', undefined],
    ['v1.2.3-rc.1', undefined],
    ['v01.2.3', undefined],
    ['v1.2.3\nv2', undefined],
  ])('tag %j: major %s', (tag, major) => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-tag-'));
    try {
      const output = join(dir, 'output');
      writeFileSync(output, '');
      const r = spawnSync('bash', ['-e', '-c', tagStep.run!], { env: { PATH: process.env.PATH, TAG: tag, GITHUB_OUTPUT: output }, encoding: 'utf8' });
      expect(r.status).toBe(major ? 0 : 1);
      expect(readFileSync(output, 'utf8')).toBe(major ? `major=${major}\n` : '');
      if (!major) expect(r.stdout).toContain('is not vX.Y.Z');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('dependabot: npm with the Azure SDK grouped, and the actions, weekly', () => {
  const config = parse(read('.github/dependabot.yml'));
  expect(config.version).toBe(2);
  expect(config.updates).toEqual([
    { 'package-ecosystem': 'npm', directory: '/', schedule: { interval: 'weekly' }, groups: { 'azure-sdk': { patterns: ['@azure/*'] } } },
    { 'package-ecosystem': 'github-actions', directory: '/', schedule: { interval: 'weekly' } },
  ]);
  const azure = Object.keys(JSON.parse(read('package.json')).devDependencies).filter((d) => d.startsWith('@azure/'));
  expect(azure.length).toBeGreaterThan(3);
});
