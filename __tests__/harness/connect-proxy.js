// @ts-check
// A small real HTTP proxy for the tests: it answers CONNECT host:port by opening a TCP connection to the
// address `resolve` gives for host (as a corporate proxy resolves names the runner may not)
// and piping bytes both ways; anything else gets 405. It records every CONNECT target and the
// Proxy-Authorization it came with, and can require Basic credentials (407 otherwise). Listens on
// 127.0.0.1 only.
import http from 'node:http';
import net from 'node:net';

/**
 * @typedef {object} ConnectRecord
 * @property {string} target the request target, e.g. myacr.azurecr.io:443
 * @property {string | undefined} proxyAuthorization the Proxy-Authorization header as received
 * @property {number} status what the proxy answered
 */

export class ConnectProxy {
  /** every CONNECT received, in order @type {ConnectRecord[]} */
  connects = [];
  port = 0;
  /** @type {http.Server} */
  #server;
  /** @type {Set<net.Socket>} */
  #sockets = new Set();
  #resolve;
  #credentials;

  /**
   * @param {object} options
   * @param {(host: string) => Promise<string>} options.resolve the address to connect to for a target host (a name, or an IP address without brackets)
   * @param {{ user: string, password: string }} [options.credentials] require these (Basic) in Proxy-Authorization
   */
  constructor(options) {
    this.#resolve = options.resolve;
    this.#credentials = options.credentials;
    this.#server = http.createServer((_req, res) => {
      res.writeHead(405, { 'Content-Type': 'text/plain' });
      res.end('this proxy only tunnels (CONNECT)');
    });
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('error', () => {});
      socket.once('close', () => this.#sockets.delete(socket));
    });
    this.#server.on('connect', (req, client, head) => this.#tunnel(req, /** @type {net.Socket} */ (client), head));
  }

  /** "http://127.0.0.1:<port>", with user:password when given. @param {{ user: string, password: string }} [credentials] */
  url(credentials) {
    const auth = credentials ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@` : '';
    return `http://${auth}127.0.0.1:${this.port}`;
  }

  async listen() {
    await new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve(undefined));
    });
    this.port = /** @type {net.AddressInfo} */ (this.#server.address()).port;
  }

  async stop() {
    for (const s of this.#sockets) s.destroy();
    await new Promise((resolve) => this.#server.close(() => resolve(undefined)));
  }

  /** @param {http.IncomingMessage} req @param {net.Socket} client @param {Buffer} head */
  async #tunnel(req, client, head) {
    const target = req.url ?? '';
    /** @type {ConnectRecord} */
    const record = { target, proxyAuthorization: req.headers['proxy-authorization'], status: 0 };
    this.connects.push(record);
    const answer = (/** @type {number} */ status, /** @type {string} */ text) => {
      record.status = status;
      client.end(`HTTP/1.1 ${status} ${text}\r\n${status === 407 ? 'Proxy-Authenticate: Basic realm="lab"\r\n' : ''}Content-Length: 0\r\n\r\n`);
    };
    if (this.#credentials) {
      const expected = `Basic ${Buffer.from(`${this.#credentials.user}:${this.#credentials.password}`).toString('base64')}`;
      if (record.proxyAuthorization !== expected) return answer(407, 'Proxy Authentication Required');
    }
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(target);
    if (!m?.[1]) return answer(400, 'Bad Request');
    const host = m[1].replace(/^\[|\]$/g, '');
    let address;
    try {
      address = await this.#resolve(host);
    } catch {
      return answer(502, 'Bad Gateway');
    }
    const upstream = net.connect({ host: address, port: Number(m[2]) });
    this.#sockets.add(upstream);
    upstream.once('close', () => this.#sockets.delete(upstream));
    upstream.once('error', () => (record.status ? client.destroy() : answer(502, 'Bad Gateway')));
    upstream.once('connect', () => {
      record.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    client.once('close', () => upstream.destroy());
  }
}

/** Starts a CONNECT proxy on 127.0.0.1. @param {ConstructorParameters<typeof ConnectProxy>[0]} options */
export async function startConnectProxy(options) {
  const proxy = new ConnectProxy(options);
  await proxy.listen();
  return proxy;
}
