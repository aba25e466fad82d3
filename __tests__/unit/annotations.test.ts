// Annotations within GitHub's limits: at most 10 of each level per step, the most urgent kept, one
// notice counting what was left out, messages within the runner's 4,096 characters. Pure, table-driven.
import type { Finding, Status } from '../../src/model.js';
import { annotationsOf, type Annotation, type AnnotationOptions } from '../../src/report/annotations.js';
import { ANNOTATIONS_PER_LEVEL, ANNOTATION_MESSAGE_CHARS } from '../../src/report/limits.js';
import { finding, report } from './report-fixtures.js';

/** n findings of a status, each about its own registry (acr1, acr2, …), with `notes` notes each. */
function many(n: number, status: Status, notes = 0): Finding[] {
  return Array.from({ length: n }, (_, i) => finding(status, { registry: `${status}${i + 1}`, notes: Array.from({ length: notes }, (_, j) => `note ${j + 1}`) }));
}

const count = (a: Annotation[], level: Annotation['level']) => a.filter((x) => x.level === level).length;
const overflowOf = (a: Annotation[]) => a.find((x) => x.title.startsWith('aks-acr-preflight:'));

test('the limits are GitHub runner\'s: 10 per level, 4,096 characters', () => {
  expect([ANNOTATIONS_PER_LEVEL, ANNOTATION_MESSAGE_CHARS]).toEqual([10, 4096]);
});

test.each<[string, Finding[], AnnotationOptions, { error: number; warning: number; notes: number; overflow?: string }]>([
  ['few: all shown, no overflow notice', [...many(3, 'fail'), ...many(2, 'warn')], {}, { error: 3, warning: 2, notes: 0 }],
  ['exactly 10 errors and 10 warnings: all shown', [...many(10, 'fail'), ...many(10, 'warn')], {}, { error: 10, warning: 10, notes: 0 }],
  ['12 errors: 10 shown, 2 counted', many(12, 'fail'), {}, { error: 10, warning: 0, notes: 0, overflow: 'left out here: 2 errors.' }],
  ['12 errors, one place kept for setFailed: 9 shown, 3 counted', many(12, 'fail'), { reserved: { error: 1 } }, { error: 9, warning: 0, notes: 0, overflow: 'left out here: 3 errors.' }],
  ['10 errors, one place kept: 9 shown, 1 counted', many(10, 'fail'), { reserved: { error: 1 } }, { error: 9, warning: 0, notes: 0, overflow: 'left out here: 1 error.' }],
  ['11 warnings: 10 shown, 1 counted', many(11, 'warn'), {}, { error: 0, warning: 10, notes: 0, overflow: 'left out here: 1 warning.' }],
  ['errors and warnings over: both counted', [...many(13, 'unknown'), ...many(12, 'warn')], {}, { error: 10, warning: 10, notes: 0, overflow: 'left out here: 3 errors and 2 warnings.' }],
  ['10 notes alone: all shown', many(5, 'pass', 2), {}, { error: 0, warning: 0, notes: 10 }],
  ['11 notes: the overflow notice takes one place, 9 notes shown', many(11, 'pass', 1), {}, { error: 0, warning: 0, notes: 9, overflow: 'left out here: 2 notices.' }],
  ['errors over and 10 notes: the overflow notice makes one note give way', [...many(11, 'fail'), ...many(10, 'pass', 1)], {}, { error: 10, warning: 0, notes: 9, overflow: 'left out here: 1 error and 1 notice.' }],
  ['all three over', [...many(11, 'fail', 1), ...many(11, 'warn', 1)], {}, { error: 10, warning: 10, notes: 9, overflow: 'left out here: 1 error, 1 warning and 13 notices.' }],
])('%s', (_name, checks, options, want) => {
  const a = annotationsOf(report(checks), options);
  expect(count(a, 'error')).toBe(want.error);
  expect(count(a, 'warning')).toBe(want.warning);
  expect(count(a, 'notice')).toBe(want.notes + (want.overflow ? 1 : 0));
  for (const level of ['error', 'warning', 'notice'] as const) expect(count(a, level) + (options.reserved?.[level] ?? 0)).toBeLessThanOrEqual(ANNOTATIONS_PER_LEVEL);
  if (want.overflow) {
    expect(overflowOf(a)?.message).toContain(want.overflow);
    expect(overflowOf(a)?.message).toContain('The job summary lists every check');
  } else {
    expect(overflowOf(a)).toBeUndefined();
  }
});

test('the most urgent are kept: fail before unknown, in report order within a status', () => {
  const checks = [...many(4, 'unknown'), ...many(8, 'fail')];
  const a = annotationsOf(report(checks));
  expect(a.filter((x) => x.level === 'error').map((x) => x.title)).toEqual([
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `pull-permission: aks1 → fail${i}`),
    'pull-permission: aks1 → unknown1',
    'pull-permission: aks1 → unknown2',
  ]);
  expect(overflowOf(a)?.message).toContain('left out here: 2 errors.');
});

test('annotations come in order: errors, warnings, the overflow notice, then notes', () => {
  const a = annotationsOf(report([...many(1, 'pass', 1), ...many(2, 'warn'), ...many(11, 'fail')]));
  expect(a.map((x) => (x === overflowOf(a) ? 'overflow' : x.level))).toEqual([...Array(10).fill('error'), 'warning', 'warning', 'overflow', 'notice']);
});

test('without a job summary, the overflow notice points at the log', () => {
  const n = overflowOf(annotationsOf(report(many(11, 'fail')), { summary: false }));
  expect(n?.title).toBe('aks-acr-preflight: more in the log');
  expect(n?.message).toContain("The step's log lists every check; the JSON report has everything.");
});

test('a long detail is cut, the fix stays whole, and the message fits the runner', () => {
  const fix = 'az role assignment create --assignee-object-id 0000 --role AcrPull --scope /subscriptions/0000';
  const [a] = annotationsOf(report([finding('fail', { detail: 'x'.repeat(10_000), fix })]));
  expect(a!.message.length).toBeLessThanOrEqual(ANNOTATION_MESSAGE_CHARS);
  expect(a!.message.endsWith(`\nFix: ${fix}`)).toBe(true);
  expect(a!.message).toContain("cut at GitHub's 4,096 characters");
  expect(a!.message.startsWith('t-fail\nxxx')).toBe(true);
});

test('a long note is cut to the runner\'s length too', () => {
  const [a] = annotationsOf(report([finding('pass', { notes: ['y'.repeat(5000)] })]));
  expect(a!.message.length).toBe(ANNOTATION_MESSAGE_CHARS);
});

describe('on the line: a finding with a source is annotated at its file, line and endLine', () => {
  const source = { file: 'k8s/app.yaml', line: 12, endLine: 13, column: 18, workload: 'Deployment/web', container: 'web' };
  test.each<[string, Finding, Annotation['location']]>([
    ['a failing image', finding('fail', { id: 'image', image: 'myacr.azurecr.io/app:1', source }), { file: 'k8s/app.yaml', startLine: 12, endLine: 13 }],
    ['a warning (untagged) image', finding('warn', { id: 'image', image: 'nginx', source }), { file: 'k8s/app.yaml', startLine: 12, endLine: 13 }],
    ['no endLine: the line alone', finding('unknown', { id: 'image', source: { file: 'a.yaml', line: 4 } }), { file: 'a.yaml', startLine: 4, endLine: 4 }],
    ['a rendered Helm file: the rendered file, not the template', finding('fail', { id: 'image', source: { file: 'rendered.yaml', line: 40, template: 'shop/templates/deployment.yaml' } }), { file: 'rendered.yaml', startLine: 40, endLine: 40 }],
    ['no source: no location', finding('fail'), undefined],
  ])('%s', (_name, f, location) => {
    const [a] = annotationsOf(report([f]));
    expect(a?.location).toEqual(location);
  });

  test("a finding's notes are on its line too", () => {
    const a = annotationsOf(report([finding('pass', { id: 'image', notes: ['a cache rule applies'], source })]));
    expect(a.map((x) => [x.level, x.location])).toEqual([['notice', { file: 'k8s/app.yaml', startLine: 12, endLine: 13 }]]);
  });

  test('the limits stay: 12 failing images with sources, 10 shown, the overflow notice has no location', () => {
    const checks = Array.from({ length: 12 }, (_, i) => finding('fail', { id: 'image', image: `app${i}:1`, source: { ...source, line: i + 1, endLine: i + 1 } }));
    const a = annotationsOf(report(checks));
    expect(a.filter((x) => x.level === 'error').map((x) => x.location?.startLine)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(overflowOf(a)?.message).toContain('left out here: 2 errors.');
    expect(overflowOf(a)?.location).toBeUndefined();
  });
});
