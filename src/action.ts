// The GitHub Action adapter: inputs → engine → annotations, outputs, summary, report, exit status.
import * as core from '@actions/core';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { failsRun } from './checks/verdict.js';
import { getInputs } from './inputs.js';
import type { Config, Report } from './model.js';
import { annotationsOf } from './report/annotations.js';
import { writeReport } from './report/json.js';
import { crashReport } from './report/crash.js';
import { renderSummary } from './report/summary.js';
import { renderText } from './report/text.js';
import { VERSION } from './version.js';

function setOutputs(config: Config, report: Report): void {
  core.setOutput('result', report.result);
  core.setOutput('report', config.reportPath);
  core.setOutput('kubelet-object-id', report.clusters.map((c) => c.kubeletIdentity.objectId ?? '').join(','));
  core.setOutput('login-servers', report.registries.map((r) => r.loginServer).join(','));
}

/** `failing`: the step ends in core.setFailed, whose message is one more error annotation. */
async function publish(config: Config, report: Report, failing: boolean): Promise<void> {
  await writeReport(config.reportPath, report);
  setOutputs(config, report);
  core.info(renderText(report, false));
  const emit = { error: core.error, warning: core.warning, notice: core.notice };
  for (const a of annotationsOf(report, { reserved: { error: failing ? 1 : 0 }, summary: config.summary })) emit[a.level](a.message, { title: a.title });
  if (config.summary) {
    try {
      await core.summary.addRaw(renderSummary(report)).write();
    } catch (err) {
      core.warning(`aks-acr-preflight could not write the job summary: ${(err as Error).message}`);
    }
  }
}

/** Before any Azure call: what the runner must provide for OIDC sign-in. */
function checkOidcPermission(config: Config): void {
  if (config.auth === 'oidc' && !(process.env.ACTIONS_ID_TOKEN_REQUEST_URL && process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)) {
    throw new Error(
      "auth 'oidc' needs the runner's ID token, which GitHub only provides with `permissions: id-token: write` in the workflow or job (ACTIONS_ID_TOKEN_REQUEST_URL is not set).",
    );
  }
}

/**
 * Resolves once the first HTTP request made from now on is on the wire (sent, or failed), or after `ms`
 * when there is none by then (az CLI sign-in makes none).
 */
function firstRequestSent(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe('http.client.request.start', onStart);
      resolve();
    };
    const onStart = (message: unknown) => void (message as { request: ClientRequest }).request.once('finish', done).once('close', done);
    const timer = setTimeout(done, ms);
    subscribe('http.client.request.start', onStart);
  });
}

export async function run(): Promise<void> {
  let config: Config | undefined;
  const started = Date.now();
  try {
    config = getInputs();
    checkOidcPermission(config);
    // Start-up: sign-in starts first, and the ARM half of the bundle loads while its request is in
    // flight (the credential shares that one request with the engine). Not before the request is on
    // the wire: compiling the engine holds the event loop for tens of milliseconds, which would hold
    // the connection and TLS handshake of the request too.
    const { createCredential } = await import('./azure/credential.js');
    const credential = createCredential(config, process.env, { onToken: (t) => core.setSecret(t), getIdToken: (aud) => core.getIDToken(aud) });
    const sent = firstRequestSent(100);
    credential.getToken(config.cloud.armScope).catch(() => {});
    await sent;
    const { runPreflight } = await import('./engine.js');
    const cfg = config;
    const report = await core.group('Checking whether the cluster can pull from the registry', () =>
      runPreflight(cfg, { credential, version: VERSION, log: (line) => core.info(line), secret: (v) => core.setSecret(v) }),
    );
    const failing = failsRun(report.result, config.failOn);
    await publish(config, report, failing);
    if (failing) {
      core.setFailed(`aks-acr-preflight: the verdict is ${report.result} (fail-on: ${config.failOn}); see the annotations and the job summary.`);
    }
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    if (config) {
      // Inputs were valid: the report is still written, saying what crashed.
      await publish(config, crashReport(message, VERSION, Date.now() - started), true).catch(() => {});
    }
    core.setFailed(`aks-acr-preflight failed: ${message}`);
  }
}
