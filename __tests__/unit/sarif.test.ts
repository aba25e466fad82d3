// SARIF 2.1.0: every log the tool writes is valid against the official schema (shipped in schema/), and
// stays within code scanning's limits. Pure, table-driven.
import { gzipSync } from 'node:zlib';
import type { Finding, ImageSource } from '../../src/model.js';
import { CHECKS_HELP_URI, fingerprintOf, sarifLog, SARIF_LIMITS } from '../../src/report/sarif.js';
import { sarifErrors } from '../harness/sarif-schema.js';
import { finding, report } from './report-fixtures.js';

const expectValid = (log: unknown) => expect(sarifErrors(log)).toEqual([]);

const src = (over: Partial<ImageSource> = {}): ImageSource => ({ file: 'k8s/app.yaml', line: 12, workload: 'Deployment/web', container: 'web', ...over });
const imageFinding = (status: Finding['status'], extra: Partial<Finding> = {}): Finding =>
  finding(status, { id: 'image', image: 'myacr.azurecr.io/app:1', cluster: undefined, source: src(), sources: [src()], ...extra });

const ALL_IDS = ['cluster', 'registry', 'pull-permission', 'registry-network', 'registry-dns', 'registry-endpoint', 'image', 'in-cluster-pull', 'pod-symptoms', 'pull-secret'];

test.each<[string, Finding[], { levels: string[]; uris?: string[] }]>([
  ['no findings', [], { levels: [] }],
  ['findings without a file and line are no results', [finding('fail'), finding('warn')], { levels: [] }],
  ['fail and unknown are errors, warn a warning', [imageFinding('warn'), imageFinding('fail'), imageFinding('unknown')], { levels: ['error', 'error', 'warning'] }],
  ['a pass with notes is a note; a pass without, and a skip, are no alert', [imageFinding('pass', { notes: ['a cache rule serves it'] }), imageFinding('pass'), imageFinding('skip')], { levels: ['note'] }],
  ['paths with spaces and non-ASCII are percent-encoded per segment', [imageFinding('fail', { source: src({ file: 'deploy/my app/wébapp.yaml' }) })], { levels: ['error'], uris: ['deploy/my%20app/w%C3%A9bapp.yaml'] }],
  ['rendered Helm output keeps its template in the message', [imageFinding('warn', { source: src({ file: 'rendered.yaml', template: 'chart/templates/deploy.yaml', line: 40, endLine: 41, column: 18 }) })], { levels: ['warning'], uris: ['rendered.yaml'] }],
])('%s', (_name, findings, expected) => {
  const log = sarifLog(report(findings));
  expectValid(log);
  const run = log.runs[0]!;
  expect(run.tool.driver.rules.map((r) => r.id)).toEqual(ALL_IDS);
  expect(run.tool.driver.rules.every((r) => r.helpUri === CHECKS_HELP_URI)).toBe(true);
  expect(run.results.map((r) => r.level)).toEqual(expected.levels);
  if (expected.uris) expect(run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual(expected.uris);
  for (const r of run.results) {
    expect(r.locations[0]!.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
    expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
  }
});

test('a result points at the line, names the rule and says the fix; the other places are related locations', () => {
  const f = imageFinding('fail', {
    title: 'No linux/arm64 manifest',
    detail: 'armpool runs arm64',
    fix: 'docker buildx build --platform linux/amd64,linux/arm64',
    source: src({ line: 7, endLine: 8 }),
    sources: [src({ line: 7, endLine: 8 }), src({ file: 'k8s/job.yaml', line: 3, workload: 'Job/migrate', container: 'migrate' })],
  });
  const log = sarifLog(report([f]), { srcRoot: '/home/runner/work/repo/repo' });
  expectValid(log);
  const [r] = log.runs[0]!.results;
  expect(r).toMatchObject({
    ruleId: 'image',
    level: 'error',
    locations: [{ physicalLocation: { artifactLocation: { uri: 'k8s/app.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 7, endLine: 8 } } }],
    relatedLocations: [{ id: 1, physicalLocation: { artifactLocation: { uri: 'k8s/job.yaml' }, region: { startLine: 3, endLine: 3 } }, message: { text: 'Job/migrate migrate' } }],
  });
  expect(r!.message.text).toBe('No linux/arm64 manifest. armpool runs arm64 Fix: docker buildx build --platform linux/amd64,linux/arm64');
  expect(log.runs[0]!.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///home/runner/work/repo/repo/' } });
});

test.each<[string, boolean, Partial<Finding>]>([
  ['the line moved', true, { source: src({ line: 99 }) }],
  ['the status and wording changed', true, { status: 'warn', title: 'other', detail: 'other' }],
  ['another image', false, { image: 'myacr.azurecr.io/app:2' }],
  ['another file', false, { source: src({ file: 'k8s/other.yaml' }) }],
  ['another container', false, { source: src({ container: 'sidecar' }) }],
])('the fingerprint when %s: the same one is %s', (_name, same, change) => {
  const before = imageFinding('fail');
  expect(fingerprintOf({ ...before, ...change }) === fingerprintOf(before)).toBe(same);
});

test('a long detail is cut before the fix, within the message limit', () => {
  const log = sarifLog(report([imageFinding('fail', { detail: 'x'.repeat(50_000), fix: 'az acr import …' })]));
  const text = log.runs[0]!.results[0]!.message.text;
  expect(text.length).toBeLessThanOrEqual(SARIF_LIMITS.messageChars);
  expect(text.endsWith('Fix: az acr import …')).toBe(true);
});

test('30,000 findings: at most 25,000 results, the most urgent kept, and the log says what it dropped', () => {
  const findings = Array.from({ length: 30_000 }, (_, i) =>
    imageFinding(i % 3 === 0 ? 'fail' : 'warn', { image: `myacr.azurecr.io/app:${i}`, source: src({ line: i + 1 }), sources: undefined }),
  );
  const log = sarifLog(report(findings));
  const run = log.runs[0]!;
  expect(run.results).toHaveLength(25_000);
  expect(run.results.filter((r) => r.level === 'error')).toHaveLength(10_000);
  expect(run.properties.resultsDropped).toBe(5_000);
  expect(run.invocations[0]!.toolExecutionNotifications[0]!.message.text).toMatch(/^5000 of 30000 results were left out/);
  expect(gzipSync(JSON.stringify(log)).length).toBeLessThan(10 * 1024 * 1024);
  expect(new Set(run.results.map((r) => r.partialFingerprints['aksAcrPreflightFinding/v1'])).size).toBe(25_000);
  expectValid(log);
});

test('over the gzipped size budget, the least urgent results go until it fits', () => {
  const findings = Array.from({ length: 400 }, (_, i) => imageFinding(i < 100 ? 'fail' : 'warn', { image: `a:${i}`, detail: Array.from({ length: 400 }, (_, k) => ((i + 1) * 7919 * (k + 13)).toString(36)).join(' '), source: src({ line: i + 1 }) }));
  const log = sarifLog(report(findings), { limits: { gzipBytes: 60_000 } });
  expectValid(log);
  const run = log.runs[0]!;
  expect(gzipSync(JSON.stringify(log)).length).toBeLessThanOrEqual(60_000);
  expect(run.results.length).toBeLessThan(400);
  expect(run.properties.resultsDropped).toBe(400 - run.results.length);
  expect(run.results[0]!.level).toBe('error');
});
