// @ts-check
// One real container registry (Debian's docker-registry, CNCF distribution 2.8) per lab host: TLS on a
// free loopback port, its own storage directory, and token authentication that trusts the lab's token
// signer. The process is watched by a tiny shell that kills it when our stdin pipe closes, so it dies
// with the test process even when that is killed outright.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DOCKER_REGISTRY } from '../../scripts/registry-binary.mjs';
const READY_TIMEOUT_MS = 15_000;

/**
 * @typedef {object} BackendOptions
 * @property {string} name the host name the registry serves (for logs)
 * @property {string} realm the token realm it challenges with
 * @property {string} service the token service (audience)
 * @property {string} issuer the token issuer
 * @property {string} tokenCert PEM file of the token signer's certificate (rootcertbundle)
 * @property {string} cert PEM file of its TLS certificate
 * @property {string} key PEM file of its TLS key
 */

/** Every backend still running, killed on process exit. @type {Set<Backend>} */
const running = new Set();
process.once('exit', () => {
  for (const backend of running) backend.killNow();
});

/** A free TCP port on 127.0.0.1 (free when asked; the registry binds it right after). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** @param {number} port */
function accepts(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The registry's configuration file. @param {BackendOptions} o @param {string} storage @param {number} port */
function configYaml(o, storage, port) {
  const q = (/** @type {string} */ s) => JSON.stringify(s); // a JSON string is a YAML string
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${q(storage)}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${q(`127.0.0.1:${port}`)}`,
    `  secret: ${q(randomBytes(16).toString('hex'))}`,
    '  tls:',
    `    certificate: ${q(o.cert)}`,
    `    key: ${q(o.key)}`,
    'auth:',
    '  token:',
    `    realm: ${q(o.realm)}`,
    `    service: ${q(o.service)}`,
    `    issuer: ${q(o.issuer)}`,
    `    rootcertbundle: ${q(o.tokenCert)}`,
    '',
  ].join('\n');
}

export class Backend {
  /** the port it listens on (127.0.0.1) */
  port = 0;
  /** what it wrote to stderr (the last 64 KiB) */
  stderr = '';
  #dir = '';
  /** @type {import('node:child_process').ChildProcess | undefined} */
  #watcher;
  /** the registry's own pid, reported by the watcher */
  #pid = 0;
  #exited = false;

  /** @param {BackendOptions} options */
  constructor(options) {
    this.options = options;
  }

  /** @param {BackendOptions} options */
  static async start(options) {
    const backend = new Backend(options);
    try {
      await backend.#start();
    } catch (err) {
      await backend.stop();
      throw err;
    }
    return backend;
  }

  async #start() {
    this.#dir = mkdtempSync(join(tmpdir(), 'registry-lab-'));
    const storage = join(this.#dir, 'storage');
    const config = join(this.#dir, 'config.yml');
    this.port = await freePort();
    writeFileSync(config, configYaml(this.options, storage, this.port));
    // The shell reports the registry's pid, then waits for our stdin to close (stop(), or this process
    // ending in any way, even SIGKILL), kills the registry and removes its directory (writing nothing
    // more to our pipes, which may have no reader left: SIGPIPE would end the shell early).
    const script = '"$1" serve "$2" </dev/null & pid=$!; echo "$pid"; read _ignored; exec >/dev/null 2>&1; kill "$pid"; wait "$pid"; rm -rf "$3"';
    const watcher = spawn('sh', ['-c', script, 'sh', DOCKER_REGISTRY, config, this.#dir], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#watcher = watcher;
    running.add(this);
    watcher.stdout?.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => {
      const pid = Number.parseInt(chunk, 10);
      if (!this.#pid && pid > 0) this.#pid = pid;
    });
    watcher.stderr?.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => {
      this.stderr = (this.stderr + chunk).slice(-65536);
    });
    watcher.once('exit', () => {
      this.#exited = true;
      running.delete(this);
    });
    watcher.stdin?.on('error', () => {}); // EPIPE when the shell is gone
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await accepts(this.port))) {
      if (this.#exited) throw new Error(`docker-registry for ${this.options.name} exited at start:\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`docker-registry for ${this.options.name} did not listen on 127.0.0.1:${this.port} within ${READY_TIMEOUT_MS} ms:\n${this.stderr}`);
      await sleep(25);
    }
  }

  /** Kills the registry and its watcher at once and removes its storage (synchronous: for the process 'exit' hook). */
  killNow() {
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
    if (this.#pid) {
      try {
        process.kill(this.#pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (!this.#exited) this.#watcher?.kill('SIGKILL');
  }

  /** Stops the registry and removes its storage. */
  async stop() {
    const watcher = this.#watcher;
    if (watcher && !this.#exited) {
      const exited = new Promise((resolve) => watcher.once('exit', resolve));
      watcher.stdin?.end();
      const timer = setTimeout(() => this.killNow(), 3000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(this);
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
    this.#dir = '';
  }
}
