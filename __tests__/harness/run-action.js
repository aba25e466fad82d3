// @ts-check
// Runs the bundled action (dist/index.js) as GitHub's runner does: inputs as INPUT_* variables,
// outputs through the file in GITHUB_OUTPUT, the job summary through GITHUB_STEP_SUMMARY, annotations
// as workflow commands (::error title=…::message) on stdout. Used by the end-to-end tests, the demo and
// the bench, so every report they produce is validated against schema/report.schema.json here. The
// runtime is NODE: the Node 24 that action.yml declares, which scripts/test.mjs, demo.mjs and bench.mjs
// fetch (scripts/node24.mjs) and pass in PREFLIGHT_NODE; else the Node running this.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { validateReport } from './report-schema.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The Node binary that runs the bundle. */
export const NODE = process.env.PREFLIGHT_NODE || process.execPath;
/** Its version, e.g. 'v24.22.3'. */
export const nodeVersion = () => execFileSync(NODE, ['-v'], { encoding: 'utf8' }).trim();

/**
 * @typedef {{ command: string, properties: Record<string, string>, message: string }} WorkflowCommand
 * @typedef {{
 *   status: number | null, stdout: string, stderr: string, durationMs: number,
 *   outputs: Record<string, string>, summary: string, report: any, reportPath: string,
 *   commands: WorkflowCommand[], secrets: string[]
 * }} ActionRun
 */

/** Undoes the escaping of workflow command data and properties (toolkit's command.ts). */
/** @param {string} s */
function unescape(s) {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/** @param {string} stdout @returns {WorkflowCommand[]} */
export function parseCommands(stdout) {
  /** @type {WorkflowCommand[]} */
  const out = [];
  for (const line of stdout.split('\n')) {
    const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    /** @type {Record<string, string>} */
    const properties = {};
    for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
      const i = kv.indexOf('=');
      properties[kv.slice(0, i)] = unescape(kv.slice(i + 1));
    }
    out.push({ command: m[1] ?? '', properties, message: unescape(m[3] ?? '') });
  }
  return out;
}

/** Parses the GITHUB_OUTPUT file (name<<delimiter … delimiter blocks, as @actions/core writes them). */
/** @param {string} text */
export function parseOutputFile(text) {
  /** @type {Record<string, string>} */
  const outputs = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (m) {
      const end = lines.indexOf(m[2] ?? '', i + 1);
      outputs[m[1] ?? ''] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if ((lines[i] ?? '').includes('=')) {
      const [k, ...v] = (lines[i] ?? '').split('=');
      outputs[k ?? ''] = v.join('=');
    }
  }
  return outputs;
}

/** @param {Record<string, string>} inputs */
export function inputEnv(inputs) {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]));
}

/**
 * Bind-mounts each file over its target, then runs the rest of the arguments: `sh -c MOUNT_ALL sh src target … -- command …`.
 * The command starts with `env -i NAME=value …`: a shell drops variables whose names are not identifiers, such as INPUT_RESOURCE-GROUP.
 */
const MOUNT_ALL = 'while [ "$1" != -- ]; do mount --bind "$1" "$2" || exit 97; shift 2; done; shift; exec "$@"';

/**
 * @param {{ inputs: Record<string, string>, env?: Record<string, string | undefined>, entry?: string, etc?: Record<string, string> }} options
 *   `etc`: files of /etc to replace for this run only, by name and content (e.g. `{ hosts: '10.0.0.5 myacr.azurecr.io\n', 'resolv.conf': 'nameserver 127.53.0.1\n' }`):
 *   the action runs in a private mount namespace (unshare -m) with each bind-mounted over /etc/<name>, so it resolves as a
 *   runner with those files would; the machine's own files are never touched. Needs root (npm test runs the tests as root).
 * @returns {Promise<ActionRun>}
 */
export async function runAction({ inputs, env = {}, entry = join(ROOT, 'dist', 'index.js'), etc }) {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-run-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const reportPath = join(dir, 'aks-acr-preflight.json');
  /** @type {Record<string, string | undefined>} */
  const childEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...inputEnv(inputs),
    ...env,
  };
  const started = performance.now();
  const mounts = Object.entries(etc ?? {}).flatMap(([name, content]) => {
    const file = join(dir, `etc-${name}`);
    writeFileSync(file, content);
    return [file, join('/etc', name)];
  });
  const environment = Object.entries(childEnv).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]));
  const [command, args] = etc ? ['unshare', ['--mount', '--', 'sh', '-c', MOUNT_ALL, 'sh', ...mounts, '--', 'env', '-i', ...environment, NODE, entry]] : [NODE, [entry]];
  const child = spawn(command, args, { env: /** @type {NodeJS.ProcessEnv} */ (childEnv), cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  /** @type {number | null} */
  const status = await new Promise((res) => child.on('close', (code) => res(code)));
  const durationMs = performance.now() - started;
  const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
  const commands = parseCommands(stdout);
  const actualReport = outputs.report || reportPath;
  const report = existsSync(actualReport) ? JSON.parse(readFileSync(actualReport, 'utf8')) : undefined;
  const summary = readFileSync(summaryFile, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  if (report !== undefined) validateReport(report, `the report of the run with inputs ${JSON.stringify(inputs)}`);
  const secrets = commands.filter((c) => c.command === 'add-mask').map((c) => c.message);
  return { status, stdout, stderr, durationMs, outputs, summary, report, reportPath: actualReport, commands, secrets };
}

/**
 * What a run showed anyone: stdout without the ::add-mask:: lines (the runner hides what follows them),
 * stderr, the outputs, the job summary and the report. No token may ever appear in it.
 * @param {ActionRun} r
 */
export function visibleOutput(r) {
  const stdout = r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
  return [stdout, r.stderr, JSON.stringify(r.outputs), r.summary, JSON.stringify(r.report ?? {})].join('\n');
}
