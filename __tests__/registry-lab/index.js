// @ts-check
// The registry lab: real container registries (Debian's docker-registry, CNCF distribution 2.8) behind
// a front that plays ACR's /oauth2 token service, Docker Hub's anonymous token service and a Basic-only
// token service, all on <loopback address>:443 with certificates for the real host names; a fake DNS
// server resolving those names to it; helpers to push real images; and controls for firewalls, faults,
// stalled and refused addresses. Needs root inside a loopback-only network namespace (port 443), as
// scripts/test.mjs runs the tests, and scripts/certs.mjs ensureRegistryCerts() for the certificates.
//
//   const lab = await startRegistryLab({ certs, hosts: [{ name: 'myacr.azurecr.io', kind: 'acr' }] });
//   await lab.push('myacr.azurecr.io', 'team/app', 'v1', { platforms: [{ os: 'linux', architecture: 'amd64' }] });
//   … resolve through lab.dnsServer, connect to lab.address:443 with servername/Host …
//   await lab.stop();
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { Backend } from './backend.js';
import { startFakeDns } from './dns-server.js';
import { DOCKER_HUB_AUTH, DOCKER_HUB_SERVICE, Front, serverNameOf } from './front.js';
import { pushImage } from './images.js';
import { TokenSigner } from './jwt.js';

export { ACR_REFRESH_TOKEN_USER, claimsOfAadToken, firewallError, parseScopes, registryError } from './front.js';
export { MANIFEST_ACCEPT, MEDIA_TYPES, platformString, sha256Digest } from './images.js';
export { libtrustKeyId } from './jwt.js';

/** @typedef {import('./front.js').HostSpec} HostSpec */
/** @typedef {import('./front.js').Fault} Fault */
/** @typedef {import('./front.js').LabRequest} LabRequest */
/** @typedef {import('./front.js').AadIdentity} AadIdentity */
/** @typedef {import('./front.js').LabHost} LabHost */
/** @typedef {import('./images.js').ImageSpec} ImageSpec */
/** @typedef {import('./images.js').PushedImage} PushedImage */
/** @typedef {import('./images.js').Platform} Platform */
/** @typedef {import('./dns-server.js').FakeDns} FakeDns */

/**
 * @typedef {object} RegistryLabCerts what scripts/certs.mjs ensureRegistryCerts() returns (PEM file paths)
 * @property {string} caCert
 * @property {string} cert
 * @property {string} key
 * @property {string} untrustedCert
 * @property {string} untrustedKey
 * @property {string} tokenCert
 * @property {string} tokenKey
 */

/**
 * @typedef {object} RegistryLabOptions
 * @property {RegistryLabCerts} certs
 * @property {HostSpec[]} hosts
 * @property {(token: string) => AadIdentity | undefined} [verifyAadToken] reads the Entra token sent to /oauth2/exchange (default: the unverified claims appid/azp, tid, aud of a JWT)
 * @property {number} [port] of the front and the stalled address (default 443)
 */

/** @typedef {{ status: number, headers: import('node:http').IncomingHttpHeaders, body: Buffer }} LabResponse */

const ISSUER = 'registry-lab';
const BIND_ATTEMPTS = 20;

/** A random loopback address in 127.<second>.x.y, avoiding `taken`. @param {number} second @param {Set<string>} taken */
function randomLoopback(second, taken) {
  for (;;) {
    const address = `127.${second}.${randomInt(1, 255)}.${randomInt(1, 255)}`;
    if (!taken.has(address)) return address;
  }
}

/** Binds `listen(address)` to a random free loopback address, retrying on EADDRINUSE. @param {number} second @param {Set<string>} taken @param {(address: string) => Promise<void>} listen */
async function bindSomewhere(second, taken, listen) {
  for (let attempt = 1; ; attempt++) {
    const address = randomLoopback(second, taken);
    try {
      await listen(address);
      taken.add(address);
      return address;
    } catch (err) {
      const code = /** @type {NodeJS.ErrnoException} */ (err).code;
      if (code === 'EACCES') throw new Error(`the registry lab needs root (or CAP_NET_BIND_SERVICE) to listen on port 443: run the tests through scripts/test.mjs as root (${String(err)})`);
      if (code !== 'EADDRINUSE' || attempt >= BIND_ATTEMPTS) throw err;
    }
  }
}

/**
 * One HTTPS request to `address:port`, with SNI and Host set to `host` (system CAs plus
 * NODE_EXTRA_CA_CERTS, unless `ca` is given).
 * @param {{ address: string, port?: number, host: string, method?: string, path: string, headers?: Record<string, string>, body?: Buffer | string, ca?: string | string[], timeoutMs?: number }} options
 * @returns {Promise<LabResponse>}
 */
export function labRequest(options) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: options.address,
        port: options.port ?? 443,
        ...serverNameOf(options.host),
        method: options.method ?? 'GET',
        path: options.path,
        headers: { Host: options.host, ...options.headers },
        agent: false,
        ...(options.ca ? { ca: options.ca } : {}),
        ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`timed out after ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(options.body);
  });
}

export class RegistryLab {
  /** the front's loopback address (every lab host resolves to it by default) */
  address = '';
  /** the front's port (443) */
  port = 443;
  /** a loopback address whose port 443 accepts connections and never answers */
  stallAddress = '';
  /** a loopback address where nothing listens on port 443 */
  refusedAddress = '';
  /** "127.0.0.1:<port>" of the fake DNS server */
  dnsServer = '';
  /** @type {FakeDns} */
  dns = /** @type {any} */ (undefined);
  /** @type {Map<string, LabHost>} */
  hosts = new Map();
  #front = /** @type {Front} */ (/** @type {any} */ (undefined));
  #signer = /** @type {TokenSigner} */ (/** @type {any} */ (undefined));
  #caPem = '';
  /** @type {net.Server | undefined} */
  #stall;
  /** @type {Set<net.Socket>} */
  #stalled = new Set();

  /** every request the front received, in order (never a token value) */
  get requests() {
    return this.#front.requests;
  }

  /** every refresh and access token the lab handed out (to the action or to the tests) */
  get issuedTokens() {
    return this.#front.issuedTokens;
  }

  /** @param {RegistryLabOptions} options */
  static async start(options) {
    const lab = new RegistryLab();
    try {
      await lab.#start(options);
    } catch (err) {
      await lab.stop();
      throw err;
    }
    return lab;
  }

  /** @param {RegistryLabOptions} options */
  async #start(options) {
    const { certs } = options;
    this.#caPem = readFileSync(certs.caCert, 'utf8');
    this.#signer = new TokenSigner({ certPem: readFileSync(certs.tokenCert, 'utf8'), keyPem: readFileSync(certs.tokenKey, 'utf8'), issuer: ISSUER });
    const names = new Set();
    for (const spec of options.hosts) {
      const name = spec.name.toLowerCase();
      if (names.has(name)) throw new Error(`registry lab: host ${name} is listed twice`);
      if (name === DOCKER_HUB_AUTH) throw new Error(`registry lab: ${DOCKER_HUB_AUTH} is the Docker Hub token service, not a registry`);
      names.add(name);
    }
    // one registry per host, started together
    const labHosts = await Promise.all(
      options.hosts.map(async (given) => {
        const spec = { ...given, name: given.name.toLowerCase() };
        const service = spec.kind === 'anonymous' ? DOCKER_HUB_SERVICE : spec.name;
        const origin = `https://${spec.name}${spec.port ? `:${spec.port}` : ''}`;
        const realm = spec.kind === 'acr' ? `${origin}/oauth2/token` : spec.kind === 'anonymous' ? `https://${DOCKER_HUB_AUTH}/token` : `${origin}/token`;
        const backend = await Backend.start({ name: spec.name, realm, service, issuer: ISSUER, tokenCert: certs.tokenCert, cert: certs.cert, key: certs.key });
        /** @type {LabHost} */
        const host = { spec, backend, service, realm };
        this.hosts.set(spec.name, host);
        return host;
      }),
    );

    this.#front = new Front({ hosts: this.hosts, signer: this.#signer, verifyAadToken: options.verifyAadToken, caPem: this.#caPem });
    const port = options.port ?? 443;
    this.port = port;
    const pem = { trusted: { cert: readFileSync(certs.cert, 'utf8'), key: readFileSync(certs.key, 'utf8') }, untrusted: { cert: readFileSync(certs.untrustedCert, 'utf8'), key: readFileSync(certs.untrustedKey, 'utf8') } };
    const taken = new Set();
    this.address = await bindSomewhere(77, taken, (address) => this.#front.listen(address, port, pem));
    // hosts served on a port of their own: at their own address when the name is an IP literal
    const listening = new Set([`${this.address}:${port}`]);
    for (const { spec } of labHosts) {
      if (!spec.port) continue;
      const literal = spec.name.replace(/^\[(.*)\]$/, '$1');
      const address = net.isIP(literal) ? literal : this.address;
      if (listening.has(`${address}:${spec.port}`)) continue;
      listening.add(`${address}:${spec.port}`);
      await this.#front.listen(address, spec.port, pem);
    }

    const stall = net.createServer((socket) => {
      this.#stalled.add(socket);
      socket.on('error', () => {});
      socket.once('close', () => this.#stalled.delete(socket));
    });
    this.#stall = stall;
    this.stallAddress = await bindSomewhere(78, taken, (address) => new Promise((resolve, reject) => {
      stall.once('error', reject);
      stall.listen(port, address, () => {
        stall.off('error', reject);
        resolve(undefined);
      });
    }));
    this.refusedAddress = randomLoopback(79, taken);

    this.dns = await startFakeDns();
    this.dnsServer = this.dns.address;
    for (const host of labHosts) this.dns.set(host.spec.name, { a: [this.address] });
    if (labHosts.some((h) => h.spec.kind === 'anonymous')) this.dns.set(DOCKER_HUB_AUTH, { a: [this.address] });
  }

  /** Puts `host` behind ACR's firewall: every request gets 403 naming `clientIp`. @param {string} host @param {string} clientIp */
  block(host, clientIp) {
    this.#front.block(host, clientIp);
  }

  /** @param {string} host */
  unblock(host) {
    this.#front.unblock(host);
  }

  /** Injects a fault on `host` (see Fault). @param {string} host @param {Fault} rule */
  fault(host, rule) {
    this.#front.fault(host, rule);
  }

  /** @param {string} [host] only this host's faults (default: every host's) */
  clearFaults(host) {
    this.#front.clearFaults(host);
  }

  /**
   * A registry token for `host` made by the lab itself (e.g. to push), with these grants.
   * @param {string} host @param {import('./jwt.js').Access[]} access
   */
  mintToken(host, access) {
    const lab = this.#host(host);
    return this.#signer.registryToken({ service: lab.service, subject: 'registry-lab', access });
  }

  /**
   * Builds a real image and pushes it to `host`'s registry (directly, not through the front: no
   * firewall, fault or record applies).
   * @param {string} host @param {string} repository @param {string} tag @param {ImageSpec} spec
   * @returns {Promise<PushedImage>}
   */
  async push(host, repository, tag, spec) {
    const lab = this.#host(host);
    const token = this.mintToken(host, [{ type: 'repository', name: repository, actions: ['pull', 'push'] }]);
    /** @type {import('./images.js').Send} */
    const sendToRegistry = (method, path, headers, body) =>
      labRequest({ address: '127.0.0.1', port: lab.backend.port, host: lab.spec.name, method, path, headers: { ...headers, Authorization: `Bearer ${token}` }, body, ca: this.#caPem });
    return pushImage(sendToRegistry, repository, tag, spec);
  }

  /**
   * One HTTPS request to the front for `host` (SNI and Host set; trusts the test CA).
   * @param {string} host @param {string} path @param {{ method?: string, headers?: Record<string, string>, body?: Buffer | string, timeoutMs?: number }} [options]
   */
  request(host, path, options = {}) {
    return labRequest({ address: this.address, port: this.port, host, path, ca: this.#caPem, ...options });
  }

  /** @param {string} host */
  #host(host) {
    const lab = this.hosts.get(host.toLowerCase());
    if (!lab) throw new Error(`registry lab: no host ${host}`);
    return lab;
  }

  /** Stops the front, the stalled listener, DNS and every registry, and removes their storage. */
  async stop() {
    const stall = this.#stall;
    this.#stall = undefined;
    for (const socket of this.#stalled) socket.destroy();
    await Promise.all([
      this.#front?.stop(),
      stall ? new Promise((resolve) => stall.close(() => resolve(undefined))) : undefined,
      this.dns?.stop(),
      ...[...this.hosts.values()].map((h) => h.backend.stop()),
    ]);
  }
}

/**
 * Starts a registry lab.
 * @param {RegistryLabOptions} options
 * @returns {Promise<RegistryLab>}
 */
export function startRegistryLab(options) {
  return RegistryLab.start(options);
}
