// @ts-check
// A fake of the GitHub REST API the sticky pull-request comment uses, over HTTPS on loopback with the test
// CA (as the fake Azure): GET /user, GraphQL's `viewer`, and an issue's comments (listed in pages with Link
// headers, created, updated). Tokens map to identities the way GitHub's do: a personal access token is a
// user that GET /user names; an installation token (GITHUB_TOKEN) is refused there with 403 "Resource not
// accessible by integration" and is its app's bot ("github-actions[bot]"); a fork's read-only token may
// read but every write is answered 403. It records every request, naming the identity, never the token.
import { readFileSync } from 'node:fs';
import https from 'node:https';

/**
 * @typedef {object} Identity
 * @property {string} login e.g. "octocat" or "github-actions[bot]"
 * @property {number} id
 * @property {'personal' | 'installation'} kind a personal access token, or a GitHub App installation token
 * @property {boolean} [readOnly] every write answered 403 (a fork's GITHUB_TOKEN)
 */

/**
 * @typedef {object} Comment
 * @property {number} id
 * @property {string} body
 * @property {{ login: string, id: number, type: 'User' | 'Bot' }} user
 * @property {string} html_url
 * @property {{ slug: string } | null} performed_via_github_app
 * @property {string} created_at
 * @property {string} updated_at
 */

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path without the query
 * @property {Record<string, string>} query
 * @property {string} who the login of the token's identity, 'unknown' for a token the fake was not given, 'none' without one
 * @property {number} status
 * @property {string} [body] the request body (comments: what was written)
 */

/** GitHub's answer to a token that may not do this (an installation token on /user, a read-only token on a write). */
const NOT_ACCESSIBLE = { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' };

/** The body limit of an issue comment. */
const BODY_LIMIT = 65_536;

/** @param {string} value */
const pem = (value) => (value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8'));

export class FakeGitHub {
  /** base URL, e.g. https://127.0.0.1:41234 (GITHUB_API_URL) */
  url = '';
  /** every request received, in arrival order */
  requests = /** @type {RecordedRequest[]} */ ([]);
  /** items per page of a comment list unless per_page asks for fewer */
  pageSize;
  /** @type {Map<string, Identity>} token → identity */
  #tokens = new Map();
  /** @type {Map<string, Comment[]>} "owner/repo#number" → comments, oldest first */
  #comments = new Map();
  #nextId = 1000;
  /** @type {https.Server | undefined} */
  #server;

  /** @param {{ pageSize?: number }} options */
  constructor(options) {
    this.pageSize = options.pageSize ?? 100;
  }

  /** @param {string} token @param {Identity} identity */
  addToken(token, identity) {
    this.#tokens.set(token, identity);
  }

  /**
   * A comment already on the pull request, by someone (a user, or a bot when `login` ends in [bot]).
   * @param {string} repo "owner/name" @param {number} number @param {string} login @param {string} body
   */
  addComment(repo, number, login, body) {
    return this.#create(repo, number, { login, id: 1, kind: login.endsWith('[bot]') ? 'installation' : 'personal' }, body);
  }

  /** The comments on a pull request, oldest first. @param {string} repo @param {number} number */
  commentsOn(repo, number) {
    return this.#comments.get(`${repo}#${number}`) ?? [];
  }

  /** Forgets every comment and request. */
  reset() {
    this.#comments.clear();
    this.requests.length = 0;
  }

  /** @param {string} repo @param {number} number @param {Identity} who @param {string} body */
  #create(repo, number, who, body) {
    const id = this.#nextId++;
    const now = new Date().toISOString();
    /** @type {Comment} */
    const comment = {
      id,
      body,
      user: { login: who.login, id: who.id, type: who.login.endsWith('[bot]') ? 'Bot' : 'User' },
      html_url: `https://github.example/${repo}/pull/${number}#issuecomment-${id}`,
      performed_via_github_app: who.kind === 'installation' ? { slug: who.login.replace(/\[bot\]$/, '') } : null,
      created_at: now,
      updated_at: now,
    };
    const key = `${repo}#${number}`;
    this.#comments.set(key, [...(this.#comments.get(key) ?? []), comment]);
    return comment;
  }

  /**
   * @param {string} method @param {string} path @param {URLSearchParams} query @param {Identity | undefined} who @param {string} body
   * @returns {{ status: number, body?: unknown, headers?: Record<string, string> }}
   */
  #answer(method, path, query, who, body) {
    if (!who) return { status: 401, body: { message: 'Bad credentials', status: '401' } };
    if (method === 'GET' && path === '/user') {
      if (who.kind === 'installation') return { status: 403, body: NOT_ACCESSIBLE };
      return { status: 200, body: { login: who.login, id: who.id, type: 'User' } };
    }
    if (method === 'POST' && path === '/graphql') {
      const { query: q } = /** @type {{ query?: string }} */ (JSON.parse(body || '{}'));
      if (!/\bviewer\b/.test(q ?? '')) return { status: 200, body: { errors: [{ message: 'the fake answers viewer only' }] } };
      return { status: 200, body: { data: { viewer: { login: who.login, databaseId: who.id } } } };
    }
    const list = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path);
    if (list && method === 'GET') {
      const all = this.commentsOn(list[1] ?? '', Number(list[2]));
      const perPage = Math.min(Number(query.get('per_page') ?? 30), this.pageSize);
      const page = Number(query.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      /** @type {Record<string, string>} */
      const headers = {};
      const link = (/** @type {number} */ p, /** @type {string} */ rel) => `<${this.url}${path}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      if (page < last) headers.Link = [link(page + 1, 'next'), link(last, 'last')].join(', ');
      return { status: 200, body: all.slice((page - 1) * perPage, page * perPage), headers };
    }
    const update = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    if ((list && method === 'POST') || (update && method === 'PATCH')) {
      if (who.readOnly) return { status: 403, body: NOT_ACCESSIBLE };
      const text = /** @type {{ body?: string }} */ (JSON.parse(body || '{}')).body ?? '';
      if (text.length > BODY_LIMIT) {
        return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${BODY_LIMIT} characters)` }] } };
      }
      if (list) return { status: 201, body: this.#create(list[1] ?? '', Number(list[2]), who, text) };
      const comment = [...this.#comments.values()].flat().find((c) => c.id === Number(update?.[2]));
      if (!comment) return { status: 404, body: { message: 'Not Found' } };
      Object.assign(comment, { body: text, updated_at: new Date().toISOString() });
      return { status: 200, body: comment };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async #handle(req, res) {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', this.url);
    const token = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const who = token === undefined ? undefined : this.#tokens.get(token);
    const method = (req.method ?? 'GET').toUpperCase();
    const answer = this.#answer(method, url.pathname, url.searchParams, who, body);
    this.requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      who: token === undefined ? 'none' : (who?.login ?? 'unknown'),
      status: answer.status,
      ...(body && { body }),
    });
    res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }

  /** Closes the server and every open connection. */
  async stop() {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  /** @param {{ cert: string, key: string, pageSize?: number }} options */
  static async start(options) {
    const fake = new FakeGitHub(options);
    const server = https.createServer({ cert: pem(options.cert), key: pem(options.key) }, (req, res) => {
      fake.#handle(req, res).catch((err) => res.destroy(err));
    });
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(undefined));
    });
    fake.#server = server;
    fake.url = `https://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
    return fake;
  }
}

/** @param {{ cert: string, key: string, pageSize?: number }} options */
export const startFakeGitHub = (options) => FakeGitHub.start(options);
