// Verdict, exit decision, escaping and annotations: pure, table-driven.
import { failsRun, verdictOf } from '../../src/checks/verdict.js';
import type { Status } from '../../src/model.js';
import { annotationsOf } from '../../src/report/annotations.js';
import { escapeBlock, escapeInline } from '../../src/report/escape.js';
import { renderSummary } from '../../src/report/summary.js';
import { renderText } from '../../src/report/text.js';
import { finding, report } from './report-fixtures.js';

test.each([
  [['pass', 'pass'], 'pass'],
  [['pass', 'skip'], 'pass'],
  [['pass', 'warn'], 'warn'],
  [['warn', 'unknown'], 'fail'],
  [['pass', 'fail'], 'fail'],
  [[], 'pass'],
] as [Status[], string][])('verdict of %j is %s', (statuses, verdict) => {
  expect(verdictOf(statuses.map((s) => finding(s)))).toBe(verdict);
});

test.each([
  ['pass', 'error', false], ['warn', 'error', false], ['fail', 'error', true],
  ['pass', 'warning', false], ['warn', 'warning', true], ['fail', 'warning', true],
  ['fail', 'never', false], ['warn', 'never', false],
] as const)('verdict %s with fail-on %s fails the run: %s', (verdict, failOn, fails) => {
  expect(failsRun(verdict, failOn)).toBe(fails);
});

test.each([
  ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
  ['a|b', 'a&#124;b'],
  ['[x](javascript:alert(1))', '&#91;x&#93;(javascript:alert(1))'],
  ['**bold** _it_ `code`', '&#42;&#42;bold&#42;&#42; &#95;it&#95; &#96;code&#96;'],
  ['line1\nline2', 'line1 line2'],
])('escapeInline(%j)', (input, output) => {
  expect(escapeInline(input)).toBe(output);
});

test('escapeBlock keeps line breaks as entities, so a <pre> has no blank source line', () => {
  expect(escapeBlock('a\n\n<b>')).toBe('a&#10;&#10;&lt;b&gt;');
});

test('annotations: one per fail/unknown (error) and warn (warning), none for pass/skip', () => {
  const a = annotationsOf(report([finding('pass'), finding('skip'), finding('warn'), finding('unknown'), finding('fail', { fix: 'az do-it' })]));
  expect(a.map((x) => x.level)).toEqual(['error', 'error', 'warning']);
  expect(a[0]!.title).toBe('pull-permission: aks1 → myacr');
  expect(a[0]!.message).toContain('Fix: az do-it');
});

test('the summary puts the verdict first, escapes every field, and folds evidence', () => {
  const html = renderSummary(report([finding('fail', { title: '<b>x</b>', detail: 'a & b', fix: 'az "q"', evidence: { role: '<img src=x>' } })]));
  expect(html.split('\n')[0]).toContain('AKS ACR preflight: FAIL');
  expect(html).not.toMatch(/<b>|<img/);
  expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  expect(html).toContain('<details><summary>Evidence</summary>');
  expect(html).not.toMatch(/\n\s*\n(?!<)/); // no blank line inside a block
});

test('the CLI text has colour only when asked', () => {
  const r = report([finding('fail')]);
  expect(renderText(r, false)).not.toContain('\u001b[');
  expect(renderText(r, true)).toContain('\u001b[31m');
});
