// The GitHub Action adapter: inputs → engine → annotations, outputs, summary, report, exit status.
import * as core from '@actions/core';
import type { TokenCredential } from '@azure/identity';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';
import type { ClientRequest } from 'node:http';
import { failsRun } from './checks/verdict.js';
import { getInputs } from './inputs.js';
import { ManifestError, type ManifestPlace } from './manifests/error.js';
import type { Config, Report } from './model.js';
import { annotationsOf } from './report/annotations.js';
import { writeJson, writeReport } from './report/json.js';
import { fleetMatrix, isFleet } from './report/matrix.js';
import { sarifLog } from './report/sarif.js';
import { crashReport } from './report/crash.js';
import { renderSummary } from './report/summary.js';
import { renderText } from './report/text.js';
import { VERSION } from './version.js';

function setOutputs(config: Config, report: Report): void {
  core.setOutput('result', report.result);
  core.setOutput('report', config.reportPath);
  core.setOutput('kubelet-object-id', report.clusters.map((c) => c.kubeletIdentity.objectId ?? '').join(','));
  core.setOutput('login-servers', report.registries.map((r) => r.loginServer).join(','));
  // a placeholder is no reference (its warning names it): left out
  if (config.images.length > 0) core.setOutput('images', config.images.filter((i) => i.unusable?.kind !== 'placeholder').map((i) => i.input).join('\n'));
  if (isFleet(config)) core.setOutput('matrix', fleetMatrix(report));
}

/** The images of `manifests` merged into the config, read before any Azure call (the parser loads only when there are manifests). */
async function withManifests(inputs: Config): Promise<Config> {
  if (inputs.manifests.length === 0) return inputs;
  const { loadManifests } = await import('./manifests/index.js');
  const read = await loadManifests(inputs, process.env.GITHUB_WORKSPACE || process.cwd());
  if (read.summary) core.info(read.summary);
  if (read.notice) core.notice(read.notice, { title: 'aks-acr-preflight: no image in the manifests' });
  return read.config;
}

/** The job summary, appended to GITHUB_STEP_SUMMARY at once (what core.summary.write() does, without the thread pool's first trip at exit). */
function writeSummary(html: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
  appendFileSync(file, html, 'utf8');
}

/** `failing`: the step ends in core.setFailed, whose message is one more error annotation. Synchronous, so a crash handler can use it. */
function publish(config: Config, report: Report, failing: boolean): void {
  writeReport(config.reportPath, report);
  setOutputs(config, report);
  if (config.sarifPath) {
    writeJson(config.sarifPath, sarifLog(report, { ...(process.env.GITHUB_WORKSPACE && { srcRoot: process.env.GITHUB_WORKSPACE }) }));
    core.setOutput('sarif', config.sarifPath);
  }
  core.info(renderText(report, false));
  const emit = { error: core.error, warning: core.warning, notice: core.notice };
  for (const a of annotationsOf(report, { reserved: { error: failing ? 1 : 0, notice: config.comment || config.azureUnavailable ? 1 : 0 }, summary: config.summary })) emit[a.level](a.message, { title: a.title, ...a.location });
  if (config.summary) {
    try {
      writeSummary(renderSummary(report));
    } catch (err) {
      core.warning(`aks-acr-preflight could not write the job summary: ${(err as Error).message}`);
    }
  }
}

/**
 * The sticky pull-request comment: whatever happens to it is a line in the log or a warning, never the
 * step's failure. Returns what to say in a notice when GitHub refused it.
 */
async function comment(config: Config, report: Report): Promise<string | undefined> {
  try {
    const { writeComment } = await import('./github/comment.js');
    const outcome = await writeComment(config, report, process.env);
    if (outcome.kind === 'written') {
      core.setOutput('comment-url', outcome.url);
      core.info(`aks-acr-preflight ${outcome.created ? 'created' : 'updated'} the pull request comment ${outcome.url}`);
    } else if (outcome.kind === 'not-a-pull-request') core.info(`aks-acr-preflight wrote no comment: ${outcome.detail}`);
    else if (outcome.kind === 'refused') return outcome.detail;
    else core.warning(`aks-acr-preflight could not write the pull request comment: ${outcome.detail}`);
  } catch (err) {
    core.warning(`aks-acr-preflight could not write the pull request comment: ${(err as Error)?.message ?? String(err)}`);
  }
  return undefined;
}

/**
 * The last line of defence for "the report is on disk in every case": an error that escapes every
 * promise chain (a stray socket 'error' event, say) ends the step with a crash report instead of
 * killing the process before anything was written.
 */
function guardProcess(crashed: (message: string) => void): void {
  const onCrash = (err: unknown) => {
    crashed(`an error escaped the run: ${(err as Error)?.message ?? String(err)}`);
    process.exit();
  };
  process.once('uncaughtException', onCrash);
  process.once('unhandledRejection', onCrash);
}

/** Before any Azure call: what the runner must provide for OIDC sign-in (a fork's pull request has none, and does not sign in). */
function checkOidcPermission(config: Config): void {
  if (config.auth === 'oidc' && !config.azureUnavailable && !(process.env.ACTIONS_ID_TOKEN_REQUEST_URL && process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)) {
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
  let published = false;
  const started = Date.now();
  const crashed = (message: string, place?: ManifestPlace) => {
    if (config && !published) {
      // Inputs were valid: the report is still written, saying what crashed (once: a publish that itself failed is not repeated).
      published = true;
      try {
        publish(config, crashReport(message, VERSION, Date.now() - started), true);
      } catch {
        /* the failure below still says what happened */
      }
    }
    if (!place) return core.setFailed(`aks-acr-preflight failed: ${message}`);
    // on the manifest's line (setFailed, with the annotation's place)
    process.exitCode = core.ExitCode.Failure;
    core.error(`aks-acr-preflight failed: ${message}`, { title: 'aks-acr-preflight: manifests', file: place.file, startLine: place.line, startColumn: place.column });
  };
  guardProcess(crashed);
  try {
    const inputs = getInputs();
    if (inputs.githubToken) core.setSecret(inputs.githubToken);
    config = await withManifests(inputs);
    checkOidcPermission(config);
    // Start-up: sign-in starts first, and the ARM half of the bundle loads while its request is in
    // flight (the credential shares that one request with the engine). Not before the request is on
    // the wire: compiling the engine holds the event loop for tens of milliseconds, which would hold
    // the connection and TLS handshake of the request too.
    const { createCredential } = await import('./azure/credential.js');
    const off = config.azureUnavailable;
    // Without a way to sign in (a fork's pull request), no credential is made: the Azure facts are skipped before they would ask one.
    const credential: TokenCredential = off
      ? { getToken: () => Promise.reject(new Error(`no Azure sign-in: ${off.reason}`)) }
      : createCredential(config, process.env, { onToken: (t) => core.setSecret(t), getIdToken: (aud) => core.getIDToken(aud) });
    if (off) core.info(`aks-acr-preflight does not sign in to Azure: ${off.reason}`);
    else {
      const sent = firstRequestSent(100);
      credential.getToken(config.cloud.armScope).catch(() => {});
      await sent;
    }
    const { runPreflight } = await import('./engine.js');
    const cfg = config;
    const report = await core.group('Checking whether the cluster can pull from the registry', () =>
      runPreflight(cfg, { credential, version: VERSION, log: (line) => core.info(line), secret: (v) => core.setSecret(v) }),
    );
    const failing = failsRun(report.result, config.failOn);
    published = true;
    publish(config, report, failing);
    // One notice at most: the comment GitHub refused (a fork's read-only token) and the Azure checks a fork's run skips.
    const refused = config.comment ? await comment(config, report) : undefined;
    const skipped = config.azureUnavailable && `The checks that read Azure were skipped: ${config.azureUnavailable.reason} ${config.azureUnavailable.fix}`;
    if (refused || skipped) core.notice([refused, skipped].filter(Boolean).join(' '), { title: refused ? 'aks-acr-preflight: no pull request comment' : 'aks-acr-preflight: Azure checks skipped' });
    if (failing) {
      core.setFailed(`aks-acr-preflight: the verdict is ${report.result} (fail-on: ${config.failOn}); see the annotations and the job summary.`);
    }
  } catch (err) {
    crashed((err as Error)?.message ?? String(err), err instanceof ManifestError ? err.place : undefined);
  }
}
