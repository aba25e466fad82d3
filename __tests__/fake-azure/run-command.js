// @ts-check
// AKS Run Command, as the real API does it: POST …/managedClusters/{name}/runCommand answers 202 with
// Location and Retry-After (no Azure-AsyncOperation); GET …/commandResults/{id} answers 202 until the
// command is done, then 200 with { id, properties: { provisioningState, exitCode, startedAt, finishedAt,
// logs, reason } } (arm-examples/containerservice/*/RunCommand*.json). It refuses what Azure refuses: a
// stopped cluster, apiServerAccessProfile.disableRunCommand, an Entra-integrated cluster without a
// clusterToken for the AKS server app, a caller without runcommand/action.
//
// It EXECUTES the command: `sh -c <command>` in a temp folder holding the unzipped `context`, with the
// fake kubectl (../fake-kubectl/) first on PATH, backed by the cluster's scripted state in
// `world.kubernetes[<cluster id, lower-case>]` (written back when the command ends, so that tests can
// look at what is left). The output is cut at Run Command's 512 kB.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { armError, armFaultReply } from './arm.js';
import { sameId } from './scopes.js';

/** @typedef {import('./server.js').Ctx} Ctx */
/** @typedef {import('./server.js').Reply} Reply */
/** @typedef {import('./server.js').Route} Route */
/** @typedef {import('../fake-kubectl/kubectl.js').KubeState} KubeState */

/**
 * How the fake Run Command behaves (world.runCommand; every field optional).
 * @typedef {object} RunCommandSettings
 * @property {number} [retryAfterSeconds] the Retry-After of each 202 (default 1)
 * @property {number} [startDelayMs] scripted latency: how long Run Command's own pod takes to start
 * @property {number} [outputCapBytes] default 512 kB
 * @property {string[]} [deniedActions] actions the caller lacks, e.g. Microsoft.ContainerService/managedClusters/runcommand/action
 * @property {string} [runtimePodFailure] Run Command's own pod never starts: the result's reason (e.g. ImagePullBackoff: MCR unreachable)
 */

/** AKS's Entra server app: the audience of a clusterToken. */
export const AKS_SERVER_APP = '6dae42f8-4368-4678-94ff-3960e28e3630';
export const OUTPUT_CAP_BYTES = 512 * 1024;
const FAKE_KUBECTL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fake-kubectl');

/**
 * @typedef {{ id: string, clusterId: string, done: boolean, startedAt: string, finishedAt?: string, exitCode?: number, logs?: string, reason?: string }} Command
 * @type {Map<string, Command>}
 */
const commands = new Map();

/** @param {Ctx} ctx @returns {RunCommandSettings} */
const settings = (ctx) => /** @type {any} */ (ctx.world).runCommand ?? {};

/** The cluster's scripted Kubernetes state (created empty when the test gave none). @param {any} world @param {string} clusterId @returns {KubeState} */
export function kubeState(world, clusterId) {
  world.kubernetes ??= {};
  world.kubernetes[clusterId.toLowerCase()] ??= { pools: [], registries: {}, pods: [], events: [], secrets: [], serviceaccounts: [] };
  return world.kubernetes[clusterId.toLowerCase()];
}

/** @param {Ctx} ctx */
function clusterOf(ctx) {
  const id = ctx.path.replace(/\/(runCommand|commandResults\/[^/]+)$/i, '');
  return { id, body: ctx.world.clusters.find((c) => sameId(String(c.id), id)) };
}

/** @param {Ctx} ctx @param {string} clusterId @param {string} id */
function location(ctx, clusterId, id) {
  return `${ctx.baseUrl}${clusterId}/commandResults/${id}?api-version=${ctx.param('api-version') ?? ''}`;
}

/** @param {Ctx} ctx @param {Command} command @returns {Reply} */
function progress(ctx, command) {
  if (!command.done) return { status: 202, headers: { Location: location(ctx, command.clusterId, command.id), 'Retry-After': String(settings(ctx).retryAfterSeconds ?? 1) } };
  const properties = {
    provisioningState: command.reason ? 'failed' : 'succeeded',
    ...(command.exitCode !== undefined && { exitCode: command.exitCode }),
    startedAt: command.startedAt,
    ...(command.finishedAt && { finishedAt: command.finishedAt }),
    ...(command.logs !== undefined && { logs: command.logs }),
    ...(command.reason && { reason: command.reason }),
  };
  return { status: 200, body: { id: command.id, properties } };
}

/**
 * Runs the command over its context with the fake kubectl, then records the result.
 * @param {Command} command @param {{ command: string, context?: string }} request @param {any} world @param {RunCommandSettings} s
 */
async function execute(command, request, world, s) {
  if (s.startDelayMs) await new Promise((r) => setTimeout(r, s.startDelayMs));
  if (s.runtimePodFailure) {
    Object.assign(command, { done: true, reason: s.runtimePodFailure, finishedAt: new Date().toISOString() });
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'fake-run-command-'));
  const cwd = join(root, 'work');
  mkdirSync(cwd);
  const statePath = join(root, 'state.json');
  const state = kubeState(world, command.clusterId);
  writeFileSync(statePath, JSON.stringify(state));
  try {
    for (const [name, data] of Object.entries(request.context ? unzipSync(Buffer.from(request.context, 'base64')) : {})) {
      if (name.endsWith('/')) continue;
      mkdirSync(dirname(join(cwd, name)), { recursive: true });
      writeFileSync(join(cwd, name), data);
    }
    /** @type {Buffer[]} */
    const out = [];
    const exitCode = await new Promise((resolve) => {
      const child = spawn('sh', ['-c', request.command], {
        cwd,
        env: { PATH: `${FAKE_KUBECTL_DIR}:${process.env.PATH ?? '/usr/bin:/bin'}`, FAKE_KUBECTL_STATE: statePath, FAKE_KUBECTL_NODE: process.execPath, HOME: root, LC_ALL: 'C.UTF-8' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (b) => out.push(b));
      child.stderr.on('data', (b) => out.push(b));
      child.on('error', () => resolve(127));
      child.on('close', (code) => resolve(code ?? 1));
    });
    const logs = Buffer.concat(out);
    Object.assign(state, JSON.parse(readFileSync(statePath, 'utf8')));
    Object.assign(command, { done: true, exitCode, finishedAt: new Date().toISOString(), logs: logs.subarray(0, s.outputCapBytes ?? OUTPUT_CAP_BYTES).toString('utf8') });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** POST …/runCommand @param {Ctx} ctx @returns {Reply} */
function runCommand(ctx) {
  const { id: clusterId, body: cluster } = clusterOf(ctx);
  if (!cluster) return armFaultReply({ ...ctx, path: clusterId }, 404);
  const s = settings(ctx);
  if ((s.deniedActions ?? []).some((a) => a.toLowerCase() === 'microsoft.containerservice/managedclusters/runcommand/action')) return armFaultReply(ctx, 403);
  const p = cluster.properties ?? {};
  if (String(p.powerState?.code ?? '').toLowerCase() === 'stopped') {
    return armError(409, 'OperationNotAllowed', `Managed cluster ${cluster.name} is in stopped state, run command is not allowed.`);
  }
  if (p.apiServerAccessProfile?.disableRunCommand) {
    return armError(400, 'OperationNotAllowed', 'Run command is disabled for this managed cluster (apiServerAccessProfile.disableRunCommand is true).');
  }
  /** @type {{ command?: string, context?: string, clusterToken?: string }} */
  let request;
  try {
    request = JSON.parse(ctx.body);
  } catch {
    return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  }
  if (!request.command) return armError(400, 'InvalidParameter', "The value of parameter 'command' is invalid.");
  if (p.aadProfile?.managed) {
    const token = request.clusterToken ? ctx.tokens.lookup(request.clusterToken) : undefined;
    if (!token || token.audience.replace(/\/\.default$/, '') !== AKS_SERVER_APP) {
      return armError(400, 'MissingAADClusterToken', 'Cluster is AAD enabled, clusterToken for the AKS AAD server app is required in the request.');
    }
  }
  const id = randomUUID().replace(/-/g, '');
  /** @type {Command} */
  const command = { id, clusterId: String(cluster.id), done: false, startedAt: new Date().toISOString() };
  commands.set(id, command);
  execute(command, { command: request.command, ...(request.context && { context: request.context }) }, ctx.world, s).catch((err) => {
    Object.assign(command, { done: true, exitCode: 1, logs: `fake Run Command: ${err instanceof Error ? err.stack : String(err)}`, finishedAt: new Date().toISOString() });
  });
  return progress(ctx, command);
}

/** GET …/commandResults/{id} @param {Ctx} ctx @returns {Reply} */
function commandResult(ctx) {
  const s = settings(ctx);
  if ((s.deniedActions ?? []).some((a) => a.toLowerCase() === 'microsoft.containerservice/managedclusters/commandresults/read')) return armFaultReply(ctx, 403);
  const command = commands.get(ctx.match[3] ?? '');
  if (!command || !sameId(command.clusterId, clusterOf(ctx).id)) return armError(404, 'NotFound', `Command ${ctx.match[3] ?? ''} was not found.`);
  return progress(ctx, command);
}

const CLUSTER = '^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.ContainerService/managedClusters/[^/]+';

/** @type {Route[]} */
export const runCommandRoutes = [
  { name: 'arm.managedClusters.runCommand', family: 'arm', method: 'POST', pattern: new RegExp(`${CLUSTER}/runCommand$`, 'i'), handle: runCommand },
  { name: 'arm.managedClusters.getCommandResult', family: 'arm', method: 'GET', pattern: new RegExp(`${CLUSTER}/commandResults/([^/]+)$`, 'i'), handle: commandResult },
];
