// The job summary within GitHub's 1 MiB: evidence goes first (largest first), then the notes and network
// sections, then details (least urgent first); the verdict, every row and every fix stay. Pure, table-driven.
import type { Finding, Report } from '../../src/model.js';
import { SUMMARY_BUDGET_BYTES, SUMMARY_LIMIT_BYTES } from '../../src/report/limits.js';
import { escapeInline } from '../../src/report/escape.js';
import { subjectOf } from '../../src/report/labels.js';
import { renderSummary } from '../../src/report/summary.js';
import { finding, report } from './report-fixtures.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
/** The rows of the checks table (the first table). */
const rows = (html: string) => (/<tbody>(.*?)<\/tbody>/.exec(html)?.[1] ?? '').match(/<tr>/g)?.length ?? 0;
const evidenceBlocks = (html: string) => html.match(/<summary>Evidence<\/summary>/g)?.length ?? 0;

/** 40 checks: 5 fail, 5 unknown, 5 warn (each with a fix, a detail and evidence of `evidenceBytes`), 20 pass, 5 skip. */
function bigReport(evidenceBytes: number, char = 'e'): Report {
  const attention = (['fail', 'unknown', 'warn'] as const).flatMap((status) =>
    Array.from({ length: 5 }, (_, i) =>
      finding(status, { registry: `${status}acr${i}`, detail: `why ${status} ${i}: ${'d'.repeat(200)}`, fix: `az fix ${status} ${i}`, evidence: { dump: char.repeat(evidenceBytes / bytes(char)) } }),
    ),
  );
  const rest = [...Array.from({ length: 20 }, (_, i) => finding('pass', { registry: `passacr${i}`, notes: [`note ${i}`] })), ...Array.from({ length: 5 }, (_, i) => finding('skip', { registry: `skipacr${i}` }))];
  return {
    ...report([...attention, ...rest]),
    registries: [{ id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/passacr0', name: 'passacr0', loginServer: 'passacr0.azurecr.io', egressHosts: ['passacr0.azurecr.io'] }],
  };
}

/** What every summary keeps, however it was cut. */
function expectEssentials(html: string, r: Report): void {
  // booleans, not toContain: a failure must not print a megabyte
  expect(html.split('\n')[0]?.includes(`AKS ACR preflight: ${r.result.toUpperCase()}`)).toBe(true);
  expect(rows(html)).toBe(r.checks.length);
  expect(r.checks.map((f) => `<td>${escapeInline(subjectOf(f))}</td><td>${escapeInline(f.title)}</td></tr>`).filter((cells) => !html.includes(cells))).toEqual([]);
  expect(r.checks.filter((f) => f.fix && !html.includes(`<code>${f.fix}</code>`)).map((f) => f.fix)).toEqual([]);
}

test('the budget is under GitHub\'s 1 MiB, with a margin', () => {
  expect(SUMMARY_LIMIT_BYTES).toBe(1_048_576);
  expect(SUMMARY_BUDGET_BYTES).toBeLessThan(SUMMARY_LIMIT_BYTES);
  expect(SUMMARY_LIMIT_BYTES - SUMMARY_BUDGET_BYTES).toBeGreaterThanOrEqual(32 * 1024);
});

test('a summary within the budget is left whole and says nothing of cuts', () => {
  const r = bigReport(1000);
  const html = renderSummary(r);
  expect(evidenceBlocks(html)).toBe(15);
  expect(html).not.toContain('Left out');
  expect(html).toContain('<h2>Notes</h2>');
  expect(html).toContain('<h2>Network paths</h2>');
  expectEssentials(html, r);
});

test.each<[string, Finding[], number, RegExp, number]>([
  ['one huge evidence: only it goes', [finding('fail', { fix: 'az a', evidence: { big: 'x'.repeat(3_000_000) } }), finding('warn', { registry: 'b', fix: 'az b', evidence: { small: 'y' } })], SUMMARY_BUDGET_BYTES, /the evidence of 1 check\./, 1],
  ['largest first: the larger of two goes, whatever its urgency', [finding('fail', { fix: 'az a', evidence: { a: 'x'.repeat(600_000) } }), finding('warn', { registry: 'b', fix: 'az b', evidence: { b: 'y'.repeat(700_000) } })], SUMMARY_BUDGET_BYTES, /the evidence of 1 check\./, 1],
  ['three large: two go', ['a', 'b', 'c'].map((x) => finding('fail', { registry: x, fix: `az ${x}`, evidence: { [x]: x.repeat(600_000) } })), SUMMARY_BUDGET_BYTES, /the evidence of 2 checks\./, 1],
  ['measured in UTF-8 bytes, not characters', [finding('fail', { fix: 'az a', evidence: { a: '€'.repeat(400_000) } })], SUMMARY_BUDGET_BYTES, /the evidence of 1 check\./, 0],
])('%s', (_name, checks, budget, note, evidenceLeft) => {
  const r = report(checks);
  const html = renderSummary(r, budget);
  expect(bytes(html)).toBeLessThanOrEqual(budget);
  expect(/Left out to stay under GitHub&#39;s 1 MiB job-summary limit: (.*?) The JSON report \(the report output\) has it all\./.exec(html)?.[1]).toMatch(note);
  expect(evidenceBlocks(html)).toBe(evidenceLeft);
  expectEssentials(html, r);
});

test('the largest evidence is the one left out', () => {
  const r = report([finding('fail', { fix: 'az a', evidence: { a: 'x'.repeat(600_000) } }), finding('warn', { registry: 'b', fix: 'az b', evidence: { b: 'y'.repeat(700_000) } })]);
  const html = renderSummary(r);
  expect(html.includes('x'.repeat(1000))).toBe(true);
  expect(html.includes('y'.repeat(1000))).toBe(false);
});

// bigReport(20_000): 15 evidences of 20 kB, 15 details of ~220 bytes, notes and network ~1 kB, 40 rows ~5 kB
test.each<[string, number, RegExp, { evidence: number; sections: boolean; details: number }]>([
  ['a little over: the largest evidence goes, no more than needed', 250_000, /^the evidence of 4 checks\.$/, { evidence: 11, sections: true, details: 15 }],
  ['all evidence goes, then the notes and network sections', 10_000, /^the evidence of 15 checks, the notes and network-path sections\.$/, { evidence: 0, sections: false, details: 15 }],
  ['then details, least urgent first', 8_000, /^the evidence of 15 checks, the notes and network-path sections, the details of 8 checks\.$/, { evidence: 0, sections: false, details: 7 }],
])('stages: %s', (_name, budget, note, want) => {
  const r = bigReport(20_000);
  const html = renderSummary(r, budget);
  expect(bytes(html)).toBeLessThanOrEqual(budget);
  expect(/limit: (.*?) The JSON report/.exec(html)?.[1]).toMatch(note);
  expect(evidenceBlocks(html)).toBe(want.evidence);
  expect(html.includes('<h2>Notes</h2>')).toBe(want.sections);
  expect(html.includes('<h2>Network paths</h2>')).toBe(want.sections);
  // the details that stay are those of the most urgent checks (fail, then unknown, then warn)
  const kept = r.checks.filter((f) => html.includes(`<p>${escapeInline(f.detail)}</p>`));
  expect(kept).toEqual(r.checks.slice(0, want.details));
  expectEssentials(html, r);
});

test('a huge report stays under 1 MiB and keeps every row and every fix', () => {
  const r = bigReport(200_000, 'ü');
  expect(bytes(JSON.stringify(r))).toBeGreaterThan(2 * SUMMARY_LIMIT_BYTES);
  const html = renderSummary(r);
  expect(bytes(html)).toBeLessThanOrEqual(SUMMARY_BUDGET_BYTES);
  expect(html).toMatch(/the evidence of \d+ checks\./);
  expect(evidenceBlocks(html)).toBeGreaterThan(0);
  expectEssentials(html, r);
});

test('last resort, when the rows alone do not fit: passing and skipped rows become one counting row', () => {
  const r = report([finding('fail', { fix: 'az a' }), ...Array.from({ length: 3000 }, (_, i) => finding('pass', { registry: `acr${i}` }))]);
  const html = renderSummary(r, 100_000);
  expect(bytes(html)).toBeLessThanOrEqual(100_000);
  expect(html).toContain('3000 passing and 0 skipped checks: listed in the JSON report');
  expect(html).toContain('the rows of the passing and skipped checks');
  expect(html).toContain('<code>az a</code>');
  expect(html).toContain('<td>t-fail</td>');
});

test('when even the fixes do not fit, the summary is the verdict and where the report is', () => {
  const r = report(Array.from({ length: 50 }, (_, i) => finding('fail', { registry: `acr${i}`, fix: 'z'.repeat(1000) })));
  const html = renderSummary(r, 5_000);
  expect(bytes(html)).toBeLessThanOrEqual(5_000);
  expect(html.split('\n')[0]).toContain('AKS ACR preflight: FAIL');
  expect(html).toContain('the 50 checks and their fixes exceed');
});

test.each<[string, Report['changes'], string[], string[]]>([
  ['no changes: no Changes section', [], [], ['<h2>Changes</h2>']],
  ['absent changes (an older report): no Changes section', undefined, [], ['<h2>Changes</h2>']],
  [
    'what remediate created, with its ID, escaped',
    [{ kind: 'roleAssignment', id: '/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/<g>', role: 'AcrPull', principalId: 'p1', scope: '/subscriptions/s/…/registries/myacr' }],
    ['<h2>Changes</h2>', '<code>/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/&lt;g&gt;</code>', 'AcrPull for p1 at /subscriptions/s/…/registries/myacr'],
    ['<g>'],
  ],
])('the summary lists what remediate changed: %s', (_name, changes, contains, absent) => {
  const html = renderSummary({ ...report([finding('warn')]), ...(changes && { changes }) });
  for (const c of contains) expect(html).toContain(c);
  for (const a of absent) expect(html).not.toContain(a);
});
