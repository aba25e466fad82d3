// @ts-check
// The demo's PR-gate scenario: a pull request changes a manifest, and the bundled action, run as a
// pull_request job would run it (event payload, workspace, GITHUB_API_URL at the fake GitHub REST API),
// answers on the changed lines (annotations with file and line), in one sticky comment, and in SARIF.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { standardWorld } from '../__tests__/fake-azure/fixtures.js';
import { startFakeGitHub } from '../__tests__/fake-github/server.js';
import { runAction } from '../__tests__/harness/run-action.js';
import { oidcRun, resetLab } from '../__tests__/harness/scenarios.js';

const REPO = 'contoso/shop';
const PR = 7;
const HEAD_SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const TOKEN = 'ghs_demoInstallationToken';

/** What the pull request deploys: a good image, a tag nobody pushed, an untagged one and an unrendered template. */
export const PR_MANIFEST = `# k8s/web.yaml: the pull request adds a sidecar, a migration and a report job
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      nodeSelector:
        kubernetes.io/os: linux
      containers:
        - name: web
          image: myacr.azurecr.io/team/app:1.0
        - name: sidecar
          image: myacr.azurecr.io/team/app:1.1
      initContainers:
        - name: migrate
          image: myacr.azurecr.io/team/legacy
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: report
              image: myacr.azurecr.io/team/report:\${TAG}
`;

/**
 * Runs the scenario and prints what the reviewer sees; true when the verdict is the expected `fail`.
 * @param {{ fake: import('../__tests__/fake-azure/server.js').FakeAzure, lab: any, certs: { cert: string, key: string },
 *   paint: (code: string, s: string) => string, summaryText: (html: string) => string }} ctx
 */
export async function prGate({ fake, lab, certs, paint }) {
  const gh = await startFakeGitHub({ cert: certs.cert, key: certs.key });
  const workspace = mkdtempSync(join(tmpdir(), 'preflight-demo-pr-'));
  try {
    gh.addToken(TOKEN, { login: 'github-actions[bot]', id: 41898282, kind: 'installation' });
    mkdirSync(join(workspace, 'k8s'));
    writeFileSync(join(workspace, 'k8s', 'web.yaml'), PR_MANIFEST);
    const eventPath = join(workspace, 'event.json');
    writeFileSync(eventPath, JSON.stringify({ number: PR, pull_request: { number: PR, head: { sha: HEAD_SHA, repo: { full_name: REPO } }, base: { repo: { full_name: REPO } } } }));
    const sarifPath = join(workspace, 'aks-acr-preflight.sarif');
    resetLab(lab);
    fake.reset(standardWorld());
    const base = oidcRun(fake.url, lab);
    const r = await runAction({
      inputs: { ...base.inputs, manifests: 'k8s/', comment: 'true', 'github-token': TOKEN, 'sarif-path': sarifPath },
      env: {
        ...base.env,
        GITHUB_WORKSPACE: workspace,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_API_URL: gh.url,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: REPO,
        GITHUB_RUN_ID: '1001',
      },
    });
    const ok = r.outputs.result === 'fail';
    console.log(paint('1;36', '━━ pr-gate: a pull request changes k8s/web.yaml (manifests, comment, sarif-path on a pull_request event)'));
    console.log(`exit ${r.status}${ok ? '' : paint('31', `  (expected fail, got ${r.outputs.result}!)`)}`);
    console.log(paint('1', 'Annotations on the changed lines (what the diff shows):'));
    const onLines = r.commands.filter((c) => (c.command === 'error' || c.command === 'warning') && c.properties.file);
    if (!onLines.length) console.log('  (none)');
    for (const a of onLines) {
      const place = `${a.properties.file}:${a.properties.line}${a.properties.endLine && a.properties.endLine !== a.properties.line ? `-${a.properties.endLine}` : ''}`;
      console.log(`  ${paint(a.command === 'error' ? '31' : '33', a.command)} ${place} [${a.properties.title}] ${a.message.split('\n')[0]}`);
    }
    console.log(paint('1', 'Outputs:'), ['result', 'images', 'comment-url', 'sarif'].map((k) => `${k}=${JSON.stringify(r.outputs[k] ?? '')}`).join('  '));
    const comments = gh.commentsOn(REPO, PR);
    console.log(paint('1', `The sticky comment on ${REPO}#${PR} (${comments.length} comment, ${comments[0]?.body.length ?? 0} characters):`));
    console.log((comments[0]?.body ?? '(none)').split('\n').map((l) => `  │ ${l}`).join('\n'));
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8'));
    const results = sarif.runs[0].results;
    console.log(paint('1', `SARIF 2.1.0 for code scanning: ${sarif.runs[0].tool.driver.rules.length} rules, ${results.length} results`));
    for (const res of results) {
      const loc = res.locations?.[0]?.physicalLocation;
      console.log(`  ${res.level.padEnd(7)} ${res.ruleId.padEnd(15)} ${loc?.artifactLocation?.uri}:${loc?.region?.startLine}  ${String(res.message.text).split('\n')[0]}`);
    }
    console.log('');
    return ok;
  } finally {
    await gh.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}
