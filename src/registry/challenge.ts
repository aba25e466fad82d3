// WWW-Authenticate challenges (RFC 7235), as registries send them:
//   Bearer realm="https://myacr.azurecr.io/oauth2/token",service="myacr.azurecr.io",scope="repository:app:pull"
import type { BearerChallenge } from '../model.js';

/** The Bearer challenge in a WWW-Authenticate header value ({} when it names the scheme and nothing that parses), or undefined when there is none. */
export function parseBearerChallenge(header: string | undefined): BearerChallenge | undefined {
  if (!header) return undefined;
  const m = /(?:^|,\s*)Bearer(?:\s+(.*))?$/i.exec(header.trim());
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/g;
  for (const p of (m[1] ?? '').matchAll(re)) {
    const [, name = '', quoted, bare] = p;
    params[name.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
  }
  const challenge: BearerChallenge = {};
  if (params.realm !== undefined) challenge.realm = params.realm;
  if (params.service !== undefined) challenge.service = params.service;
  if (params.scope !== undefined) challenge.scope = params.scope;
  if (params.error !== undefined) challenge.error = params.error;
  return challenge;
}

/** The IP in ACR's firewall refusal: "client with IP '203.0.113.7' is not allowed access…" */
export function blockedClientIp(body: string | undefined): string | undefined {
  return /client with IP '([^']+)' is not allowed/i.exec(body ?? '')?.[1];
}
