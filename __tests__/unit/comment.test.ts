// The sticky comment's body: escaped, with links to the manifest lines at the pull request's head, and
// within GitHub's 65,536 characters (evidence first, then the passing rows, then the checks that need
// attention beyond what fits, counted). Pure, table-driven; and the event and marker helpers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commentKey } from '../../src/github/comment.js';
import { azureUnavailableOn, pullRequestRun } from '../../src/github/event.js';
import type { ClusterRef, Finding, Report } from '../../src/model.js';
import { commentMarker, renderComment, type CommentLinks } from '../../src/report/comment.js';
import { COMMENT_BODY_CHARS } from '../../src/report/limits.js';
import { finding, report } from './report-fixtures.js';

const MARKER = commentMarker('0123456789ab');
const LINKS: CommentLinks = { runUrl: 'https://github.com/o/r/actions/runs/7', blobUrl: 'https://github.com/o/r/blob/abc123/' };
const evidenceBlocks = (md: string) => md.match(/<summary>Evidence<\/summary>/g)?.length ?? 0;
const tableRows = (md: string) => md.split('\n').filter((l) => /^\| (?!Status|---)/.test(l)).length;

/** `n` failing checks, each with a fix and evidence of `evidence` characters and 1,000 more for each one before it, and `passing` passing ones. */
function big(n: number, evidence: number, passing: number): Report {
  return report([
    ...Array.from({ length: n }, (_, i) => finding('fail', { registry: `acr${i}`, detail: `why ${i} ${'d'.repeat(100)}`, fix: `az fix ${i}`, evidence: { dump: 'e'.repeat(evidence + i * 1_000) } })),
    ...Array.from({ length: passing }, (_, i) => finding('pass', { registry: `passacr${i}`, title: `fine ${i} ${'p'.repeat(80)}` })),
  ]);
}

test('the marker comes first, then the verdict; the table lists the most urgent first; each fix is in a bash block', () => {
  const md = renderComment(report([finding('pass', { title: 'ok' }), finding('warn', { title: 'risky', fix: 'az warn-fix' }), finding('fail', { title: 'broken', fix: 'az acr update -n myacr' })]), MARKER, LINKS);
  const lines = md.split('\n');
  expect(lines[0]).toBe(MARKER);
  expect(lines[1]).toMatch(/^### ❌ AKS ACR preflight: FAIL: /);
  const rows = lines.filter((l) => /^\| (❌|⚠️|✅) /.test(l));
  expect(rows.map((r) => r.split(' | ')[3])).toEqual(['broken |', 'risky |', 'ok |']);
  expect(md).toContain('```bash\naz acr update -n myacr\n```');
  expect(md).toContain('```bash\naz warn-fix\n```');
  expect(md).toContain('[job summary](https://github.com/o/r/actions/runs/7)');
  expect(md).not.toContain('Left out');
});

test.each<[string, string, string[], string[]]>([
  ['table syntax', 'a | b', ['a &#124; b'], ['a | b']],
  ['HTML', '<img src=x onerror=alert(1)>', ['&lt;img src=x onerror=alert(1)&gt;'], ['<img']],
  ['Markdown emphasis and links', '*bold* _it_ [x](https://evil.example)', ['&#42;bold&#42;', '&#95;it&#95;', '&#91;x&#93;'], ['[x](']],
  ['a mention', 'ping @octocat', ['@&#8203;octocat'], ['@octocat']],
  ['a line break', 'one\ntwo', ['one two'], ['one\ntwo']],
  ['backticks', '`code`', ['&#96;code&#96;'], ['`code`']],
])('%s from Azure or a manifest is escaped in the title, the detail and the row', (_, text, present, absent) => {
  const md = renderComment(report([finding('fail', { title: text, detail: text, registry: text })]), MARKER, LINKS);
  for (const p of present) expect(md).toContain(p);
  for (const a of absent) expect(md).not.toContain(a);
});

test.each<[string, string]>([
  ['# not a heading', '&#35; not a heading'],
  ['- not a list', '&#45; not a list'],
  ['1. not a list either', '1&#46; not a list either'],
  ['    not a code block', '\n\nnot a code block\n\n'],
  ['> not a quote', '&gt; not a quote'],
])('a detail from Azure cannot open a block: %s', (detail, rendered) => {
  expect(renderComment(report([finding('fail', { detail })]), MARKER, LINKS)).toContain(rendered);
});

test('a fix with backticks inside gets a longer fence; evidence is JSON in a fenced block inside <details>', () => {
  const md = renderComment(report([finding('fail', { fix: 'echo ```x```', evidence: { a: '</details><b>' } })]), MARKER, LINKS);
  expect(md).toContain('````bash\necho ```x```\n````');
  expect(md).toContain('<details><summary>Evidence</summary>\n\n```json\n{\n  "a": "</details><b>"\n}\n```\n\n</details>');
});

test.each<[string, Finding['source'], string]>([
  ['one line', { file: 'k8s/app.yaml', line: 12 }, '[k8s/app.yaml:12](https://github.com/o/r/blob/abc123/k8s/app.yaml#L12)'],
  ['a range', { file: 'k8s/app.yaml', line: 12, endLine: 14 }, '[k8s/app.yaml:12](https://github.com/o/r/blob/abc123/k8s/app.yaml#L12-L14)'],
  ['spaces and parentheses', { file: 'deploy/my app (v2)/x.yaml', line: 3 }, '(https://github.com/o/r/blob/abc123/deploy/my%20app%20%28v2%29/x.yaml#L3)'],
  ['Markdown in the name', { file: 'a_b*c.yaml', line: 1 }, '[a&#95;b&#42;c.yaml:1]'],
])('a finding from a manifest links to the file at the head commit: %s', (_, source, link) => {
  const md = renderComment(report([finding('warn', { id: 'image', image: 'app', source, sources: [source!] })]), MARKER, LINKS);
  expect(md).toContain(link);
});

test('without a head commit the place is text; other places are listed under the finding', () => {
  const sources = [1, 2, 3].map((line) => ({ file: 'k8s/a.yaml', line, workload: 'Deployment/web', container: 'web' }));
  const f = finding('warn', { id: 'image', image: 'app', source: sources[0], sources });
  expect(renderComment(report([f]), MARKER, { runUrl: LINKS.runUrl })).toContain('(app) · k8s/a.yaml:1 | t-warn |');
  const md = renderComment(report([f]), MARKER, LINKS);
  expect(md).toContain('Also at: [k8s/a.yaml:2](https://github.com/o/r/blob/abc123/k8s/a.yaml#L2), [k8s/a.yaml:3](https://github.com/o/r/blob/abc123/k8s/a.yaml#L3)');
  expect(md).toContain('Deployment/web, container web');
});

test.each<[string, Report, number, { evidence: number; rows: number; fixes: number; note: RegExp[] }]>([
  ['whole', big(5, 1_000, 10), COMMENT_BODY_CHARS, { evidence: 5, rows: 15, fixes: 5, note: [] }],
  ['evidence cut first, largest first', big(5, 15_000, 10), COMMENT_BODY_CHARS, { evidence: 3, rows: 15, fixes: 5, note: [/the evidence of 2 checks/] }],
  ['then the passing rows fold into one', big(5, 20_000, 400), 30_000, { evidence: 0, rows: 6, fixes: 5, note: [/the evidence of 5 checks/, /the rows of 400 passing or skipped checks/] }],
  ['then the checks beyond what fits are counted', big(400, 100, 10), 20_000, { evidence: 0, rows: -1, fixes: -1, note: [/more checks that need attention/] }],
])('%s', (_, r, budget, want) => {
  const md = renderComment(r, MARKER, LINKS, budget);
  expect(md.length).toBeLessThanOrEqual(budget);
  expect(md.startsWith(`${MARKER}\n### ❌ AKS ACR preflight: FAIL`)).toBe(true);
  expect(md.includes('[job summary](https://github.com/o/r/actions/runs/7)')).toBe(true);
  expect(evidenceBlocks(md)).toBe(want.evidence);
  if (want.rows >= 0) expect(tableRows(md)).toBe(want.rows);
  const fixes = md.match(/```bash\naz fix \d+\n```/g)?.length ?? 0;
  if (want.fixes >= 0) expect(fixes).toBe(want.fixes);
  else {
    // as many as fit, most urgent first, and the rest counted in a row
    expect(fixes).toBeGreaterThan(10);
    expect(fixes).toBeLessThan(400);
    expect(md.includes('az fix 0\n')).toBe(true);
    expect(md.includes(`| ${400 - fixes} more checks that need attention |`)).toBe(true);
  }
  for (const n of want.note) expect(md).toMatch(n);
  if (!want.note.length) expect(md.includes('Left out')).toBe(false);
});

test('the largest evidence goes first', () => {
  const md = renderComment(big(5, 15_000, 10), MARKER, LINKS);
  expect(md.includes(`"${'e'.repeat(17_000)}"`)).toBe(true);
  expect(md.includes('e'.repeat(18_000))).toBe(false);
});

test('a report far over the limit (thousands of checks with huge details) still fits', () => {
  const r = report(Array.from({ length: 3000 }, (_, i) => finding('unknown', { registry: `r${i}`, detail: 'x'.repeat(5_000), evidence: { e: 'y'.repeat(5_000) } })));
  const md = renderComment(r, MARKER, LINKS);
  expect(md.length).toBeLessThanOrEqual(COMMENT_BODY_CHARS);
  expect(md).toContain('the evidence of 3000 checks');
});

test('with the Azure checks skipped, the verdict says so and why, never that the cluster can pull, and gives the fix', () => {
  const azureSkipped = { reason: 'no OIDC ID token on a fork', fix: 'use pull_request_target with an environment' };
  const md = renderComment({ ...report([finding('skip', { fix: azureSkipped.fix })]), azureSkipped }, MARKER, LINKS);
  expect(md).toContain('PASS: nothing that could be checked without Azure stops a pull (1 skip); the checks that read Azure were skipped: no OIDC ID token on a fork');
  expect(md).not.toContain('the cluster can pull');
  expect(md).toContain('To check Azure too: use pull&#95;request&#95;target with an environment');
});

const ref = (name: string, resourceGroup = 'rg'): ClusterRef => ({ kind: 'name', input: name, name, resourceGroup, subscriptionId: 's' });

test('the marker key is a short hash of the cluster set: stable, order-free, case-free, and another set has another', () => {
  const key = commentKey({ clusters: [ref('aks1'), ref('aks2')] });
  expect(key).toMatch(/^[0-9a-f]{12}$/);
  expect(commentKey({ clusters: [ref('AKS2'), ref('aks1')] })).toBe(key);
  expect(commentKey({ clusters: [ref('aks1')] })).not.toBe(key);
  expect(commentKey({ clusters: [ref('aks1', 'other'), ref('aks2')] })).not.toBe(key);
});

test('cluster: * is keyed by where it looks and its tags, not by what it found: jobs over other fleets keep their own comment', () => {
  const prod = commentKey({ clusters: [], fleet: { subscriptionId: 's1' }, clusterTags: [{ key: 'env', value: 'prod' }] });
  expect(commentKey({ clusters: [], fleet: { subscriptionId: 'S1' }, clusterTags: [{ key: 'ENV', value: 'prod' }] })).toBe(prod);
  expect(commentKey({ clusters: [], fleet: { subscriptionId: 's1' }, clusterTags: [{ key: 'env', value: 'dev' }] })).not.toBe(prod);
  expect(commentKey({ clusters: [], fleet: { subscriptionId: 's2' }, clusterTags: [{ key: 'env', value: 'prod' }] })).not.toBe(prod);
  expect(commentKey({ clusters: [] })).not.toBe(prod);
});

const dir = mkdtempSync(join(tmpdir(), 'event-'));
function env(name: string, payload: unknown, extra: Record<string, string> = {}) {
  const path = join(dir, `${name}-${Math.random()}.json`);
  writeFileSync(path, JSON.stringify(payload));
  return { GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: path, ...extra };
}
const pr = (head: { full_name: string } | null) => ({ pull_request: { number: 5, head: { sha: 'abc', repo: head }, base: { repo: { full_name: 'o/r' } } } });
const ID_TOKEN = { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' };

test.each<[string, Record<string, string | undefined>, string | undefined, boolean]>([
  ['a pull request from the same repository', env('pull_request', pr({ full_name: 'o/r' })), undefined, false],
  ['a pull request from a fork, no ID token', env('pull_request', pr({ full_name: 'm/r' })), 'm/r', true],
  ['a pull request from a deleted fork', env('pull_request', pr(null)), 'a deleted fork', true],
  ['a pull request from a fork with an ID token', env('pull_request', pr({ full_name: 'm/r' }), ID_TOKEN), 'm/r', false],
  ['pull_request_target from a fork (the base repository\'s context)', env('pull_request_target', pr({ full_name: 'm/r' })), 'm/r', false],
])('%s', (_, e, fork, unavailable) => {
  expect(pullRequestRun(e)).toEqual({ event: e.GITHUB_EVENT_NAME, number: 5, repository: 'o/r', headSha: 'abc', ...(fork && { fork }) });
  expect(azureUnavailableOn(e) !== undefined).toBe(unavailable);
});

test.each<[string, Record<string, string | undefined>]>([
  ['push', env('push', { ref: 'refs/heads/main' })],
  ['no event file', { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: join(dir, 'missing.json') }],
  ['no event', {}],
])('no pull request on %s', (_, e) => {
  expect(pullRequestRun(e)).toBeUndefined();
  expect(azureUnavailableOn(e)).toBeUndefined();
});
