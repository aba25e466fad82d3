// The sticky pull-request comment, end to end: the bundled action (dist/index.js) run as a child process
// with the event payload in GITHUB_EVENT_PATH, against the fake Azure, the registry lab and the fake
// GitHub REST API (GITHUB_API_URL), all on 127.0.0.1.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAzure, type FakeAzure } from '../fake-azure/server.js';
import { SECRETS, standardWorld } from '../fake-azure/fixtures.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { runAction, visibleOutput, type ActionRun } from '../harness/run-action.js';
import { IMAGES, oidcRun, resetLab, startLab } from '../harness/scenarios.js';
import type { RegistryLab } from '../registry-lab/index.js';

const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null') as { cert: string; key: string } | null;
const registryCerts = JSON.parse(process.env.PREFLIGHT_REGISTRY_CERTS ?? 'null');
if (!certs || !registryCerts || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');

const REPO = 'contoso/app';
const HEAD_SHA = '0123456789abcdef0123456789abcdef01234567';
/** GitHub's own tokens, as the fake knows them */
const TOKENS = { installation: 'ghs_fakeInstallationToken0001', personal: 'ghp_fakePersonalToken0002', fork: 'ghs_fakeForkReadOnlyToken0003' };
const BOT = 'github-actions[bot]';

let fake: FakeAzure;
let lab: RegistryLab;
let gh: FakeGitHub;
let events: string;
let pr = 0;
const runs: ActionRun[] = [];

beforeAll(async () => {
  [fake, gh] = await Promise.all([startFakeAzure({ cert: certs.cert, key: certs.key }), startFakeGitHub({ cert: certs.cert, key: certs.key, pageSize: 2 })]);
  lab = await startLab(fake, registryCerts);
  gh.addToken(TOKENS.installation, { login: BOT, id: 41898282, kind: 'installation' });
  gh.addToken(TOKENS.personal, { login: 'octocat', id: 583231, kind: 'personal' });
  gh.addToken(TOKENS.fork, { login: BOT, id: 41898282, kind: 'installation', readOnly: true });
  events = mkdtempSync(join(tmpdir(), 'preflight-events-'));
});
afterAll(async () => {
  await Promise.all([lab?.stop(), gh?.stop()]);
  await fake?.stop();
});
beforeEach(() => {
  resetLab(lab);
  fake.reset(standardWorld());
  gh.reset();
  pr += 1;
});

/** The payload of a pull_request event for pull request `number`, from `head` (a fork when not REPO). */
function event(name: string, number: number, head = REPO): Record<string, string> {
  const path = join(events, `${name}-${number}-${head.replace('/', '_')}.json`);
  const payload = name === 'push' ? { ref: 'refs/heads/main', after: HEAD_SHA } : { number, pull_request: { number, head: { sha: HEAD_SHA, repo: { full_name: head } }, base: { repo: { full_name: REPO } } } };
  writeFileSync(path, JSON.stringify(payload));
  return { GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: path };
}

interface RunOptions {
  token?: string;
  inputs?: Record<string, string>;
  env?: Record<string, string | undefined>;
  /** no ID token (a fork's pull_request run) */
  noIdToken?: boolean;
}

async function run({ token = TOKENS.installation, inputs = {}, env = event('pull_request', pr), noIdToken = false }: RunOptions = {}): Promise<ActionRun> {
  const base = oidcRun(fake.url, lab);
  const idToken = noIdToken ? { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined } : {};
  const r = await runAction({
    inputs: { ...base.inputs, images: IMAGES.app, comment: 'true', 'github-token': token, ...inputs },
    env: { ...base.env, ...idToken, GITHUB_API_URL: gh.url, GITHUB_SERVER_URL: 'https://github.example', GITHUB_REPOSITORY: REPO, GITHUB_RUN_ID: '4242', ...env },
  });
  runs.push(r);
  return r;
}

const markerOf = (body: string) => /<!-- aks-acr-preflight:[0-9a-f]{12} -->/.exec(body)?.[0];
const ours = (number: number) => gh.commentsOn(REPO, number).filter((c) => markerOf(c.body) && c.user.login === BOT);
const writes = () => gh.requests.filter((q) => q.method === 'POST' || q.method === 'PATCH').filter((q) => q.path !== '/graphql');
const notices = (r: ActionRun) => r.commands.filter((c) => c.command === 'notice' && c.properties.title?.startsWith('aks-acr-preflight: '));

test('the comment is created once, updated on the next run (PASS after FAIL, not deleted) and never duplicated, found on a later page', async () => {
  for (const who of ['alice', 'bob', 'carol']) gh.addComment(REPO, pr, who, `unrelated remark by ${who}`);
  fake.reset({ ...standardWorld(), roleAssignments: [] });
  const first = await run();
  expect(first.status).toBe(1);
  expect(ours(pr)).toHaveLength(1);
  const [comment] = ours(pr);
  expect(first.outputs['comment-url']).toBe(comment?.html_url);
  expect(comment?.body).toContain('FAIL');
  expect(comment?.body).toContain('az role assignment create');
  // the installation token is refused on /user and named by GraphQL's viewer
  expect(gh.requests.filter((q) => q.path === '/user').map((q) => q.status)).toEqual([403]);
  expect(gh.requests.some((q) => q.path === '/graphql')).toBe(true);

  gh.requests.length = 0;
  fake.reset(standardWorld());
  const second = await run();
  expect(second.status).toBe(0);
  expect(second.outputs.result).toBe('pass');
  expect(ours(pr)).toHaveLength(1);
  expect(ours(pr)[0]?.id).toBe(comment?.id);
  expect(ours(pr)[0]?.body).toMatch(/### ✅ AKS ACR preflight: PASS/);
  expect(ours(pr)[0]?.body).not.toContain('FAIL');
  expect(second.outputs['comment-url']).toBe(comment?.html_url);
  // every page was read (2 per page: 4 comments), then one PATCH and no POST
  expect(gh.requests.filter((q) => q.path.endsWith('/comments')).map((q) => q.query.page ?? '1')).toEqual(['1', '2']);
  expect(writes().map((q) => `${q.method} ${q.path}`)).toEqual([`PATCH /repos/${REPO}/issues/comments/${comment?.id}`]);
  expect(gh.commentsOn(REPO, pr)).toHaveLength(4);
});

test("someone else's comment with the same text and marker is left alone, and a personal token only matches its own", async () => {
  const first = await run();
  const body = ours(pr)[0]?.body ?? '';
  expect(markerOf(body)).toBeDefined();
  gh.reset();
  const mallory = gh.addComment(REPO, pr, 'mallory', body);
  const other = gh.addComment(REPO, pr, 'other-app[bot]', body);
  await run();
  expect(gh.commentsOn(REPO, pr).find((c) => c.id === mallory.id)?.body).toBe(body);
  expect(gh.commentsOn(REPO, pr).find((c) => c.id === other.id)?.body).toBe(body);
  expect(writes().map((q) => q.method)).toEqual(['POST']);
  expect(ours(pr)).toHaveLength(1);
  // a personal access token is named by GET /user, and the bot's comment is not its own
  gh.requests.length = 0;
  await run({ token: TOKENS.personal });
  expect(gh.requests.filter((q) => q.path === '/user').map((q) => `${q.who} ${q.status}`)).toEqual(['octocat 200']);
  expect(writes().map((q) => q.method)).toEqual(['POST']);
  expect(gh.commentsOn(REPO, pr).filter((c) => c.user.login === 'octocat')).toHaveLength(1);
  expect(ours(pr)).toHaveLength(1);
  expect(first.status).toBe(0);
});

test('on pull_request_target (the base repository\'s context, so a fork too) the comment is written and Azure is checked', async () => {
  const r = await run({ env: event('pull_request_target', pr, 'mallory/app') });
  expect(r.status).toBe(0);
  expect(r.report.azureSkipped).toBeUndefined();
  expect(fake.requests.length).toBeGreaterThan(0);
  expect(ours(pr)).toHaveLength(1);
  expect(r.outputs['comment-url']).toBe(ours(pr)[0]?.html_url);
});

test.each(['push', 'workflow_dispatch', 'schedule'])('nothing is posted on %s', async (name) => {
  const r = await run({ env: event(name, pr) });
  expect(r.status).toBe(0);
  expect(gh.requests).toEqual([]);
  expect(r.outputs['comment-url']).toBeUndefined();
  expect(r.stdout).toContain('wrote no comment');
  expect(notices(r)).toEqual([]);
});

test("a fork's read-only token: the 403 degrades to the summary and annotations with exactly one notice, and the exit code follows the verdict", async () => {
  fake.reset({ ...standardWorld(), roleAssignments: [] });
  const failing = await run({ token: TOKENS.fork, env: event('pull_request', pr, 'mallory/app') });
  expect(failing.status).toBe(1);
  expect(failing.outputs.result).toBe('fail');
  expect(gh.commentsOn(REPO, pr)).toEqual([]);
  expect(writes().map((q) => q.status)).toEqual([403]);
  expect(failing.outputs['comment-url']).toBeUndefined();
  const [notice, ...more] = notices(failing);
  expect(more).toEqual([]);
  expect(notice?.properties.title).toBe('aks-acr-preflight: no pull request comment');
  expect(notice?.message).toContain('Resource not accessible by integration');
  expect(notice?.message).toContain('mallory/app');
  expect(failing.commands.filter((c) => c.command === 'warning' && /comment/i.test(c.message))).toEqual([]);
  expect(failing.summary).toContain('FAIL');
  expect(failing.commands.some((c) => c.command === 'error' && /pull/i.test(c.properties.title ?? ''))).toBe(true);

  fake.reset(standardWorld());
  const passing = await run({ token: TOKENS.fork, env: event('pull_request', pr, 'mallory/app') });
  expect(passing.status).toBe(0);
  expect(notices(passing)).toHaveLength(1);
});

test('a fork pull request without an ID token: the Azure checks are skip with the reason and the fix, no Azure request, public images still looked up', async () => {
  const r = await run({
    token: TOKENS.fork,
    env: event('pull_request', pr, 'mallory/app'),
    noIdToken: true,
    // on a fork, secrets and variables are empty: no client-id, tenant-id or subscription
    inputs: { 'client-id': '', 'tenant-id': '', subscription: '', auth: '', images: [IMAGES.app, IMAGES.nginx, 'nginx:9.9'].join('\n') },
  });
  expect(fake.requests).toEqual([]);
  expect(r.report.azureSkipped.reason).toContain('mallory/app');
  const byId = (id: string) => r.report.checks.filter((c: { id: string }) => c.id === id);
  for (const id of ['cluster', 'registry', 'pull-permission', 'registry-network', 'registry-dns', 'registry-endpoint']) {
    expect(byId(id).map((c: { status: string }) => c.status)).toEqual(['skip']);
    expect(byId(id)[0].fix).toContain('pull_request_target');
    expect(byId(id)[0].detail).toContain('no OIDC ID token');
  }
  const image = (ref: string) => r.report.checks.find((c: { image?: string }) => c.image === ref);
  expect(image(IMAGES.app).status).toBe('skip');
  expect(image(IMAGES.nginx).status).toBe('skip');
  expect(image(IMAGES.nginx).detail).toContain('linux/arm64');
  expect(image('nginx:9.9').status).toBe('fail');
  expect(r.report.checks.some((c: { status: string }) => c.status === 'pass')).toBe(false);
  // the missing public tag fails the run; the skipped Azure checks do not
  expect(r.status).toBe(1);
  expect(r.summary).toContain('the checks that read Azure were skipped');
  const [notice, ...more] = notices(r);
  expect(more).toEqual([]);
  expect(notice?.message).toContain('The checks that read Azure were skipped');
});

test('the body stays under 65,536 characters for a huge report, says what it left out and links the job summary', async () => {
  const registries = Array.from({ length: 400 }, (_, i) => `missing${String(i).padStart(4, '0')}acr`);
  const r = await run({ inputs: { registry: registries.join('\n'), images: '' } });
  const [comment, ...more] = ours(pr);
  expect(more).toEqual([]);
  expect(r.outputs['comment-url']).toBe(comment?.html_url);
  expect(comment?.body.length).toBeLessThanOrEqual(65_536);
  expect(comment?.body).toContain("Left out to stay under GitHub's 65,536-character comment limit");
  expect(comment?.body).toContain(`[job summary](https://github.example/${REPO}/actions/runs/4242)`);
  expect(comment?.body).toContain('### ❌ AKS ACR preflight: FAIL');
});

test('no token appears in any output, and the github token is masked', () => {
  expect(runs.length).toBeGreaterThan(5);
  const secrets = [...Object.values(TOKENS), ...fake.issuedTokens, ...lab.issuedTokens, ...Object.values(SECRETS)];
  for (const r of runs) {
    const seen = visibleOutput(r) + gh.commentsOn(REPO, pr).map((c) => c.body).join('\n');
    for (const s of secrets) expect(seen).not.toContain(s);
  }
  expect(runs.every((r) => Object.values(TOKENS).some((t) => r.secrets.includes(t)))).toBe(true);
});
