// @ts-check
// Registry tokens: RS256 JWTs in the shape of the Docker registry token specification, signed with the
// lab's token key. docker-registry 2.8 finds the verification key by the header's `kid`, which must be
// the libtrust key ID of a public key in its `auth.token.rootcertbundle`.
import { createHash, createPrivateKey, createSign, createVerify, randomUUID, X509Certificate } from 'node:crypto';

/**
 * @typedef {object} Access one grant of a registry token
 * @property {string} type 'repository' or 'registry'
 * @property {string} name e.g. 'team/app' or 'catalog'
 * @property {string[]} actions e.g. ['pull']
 */

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding. @param {Buffer} bytes */
function base32(bytes) {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The libtrust key ID of a public key, as docker-registry computes it: base32 of the first 30 bytes of
 * the SHA-256 of the DER (PKIX) public key, in 12 groups of 4 characters joined by ':'.
 * @param {import('node:crypto').KeyObject} publicKey
 */
export function libtrustKeyId(publicKey) {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const encoded = base32(createHash('sha256').update(der).digest().subarray(0, 30));
  return /** @type {string[]} */ (encoded.match(/.{4}/g)).join(':');
}

/** @param {unknown} value */
function b64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

export class TokenSigner {
  /** the `issuer` the registries are configured with */
  issuer;
  #key;
  #publicKey;
  #kid;

  /** @param {{ certPem: string, keyPem: string, issuer?: string }} options */
  constructor(options) {
    this.#key = createPrivateKey(options.keyPem);
    this.#publicKey = new X509Certificate(options.certPem).publicKey;
    this.#kid = libtrustKeyId(this.#publicKey);
    this.issuer = options.issuer ?? 'registry-lab';
  }

  /**
   * Signs `claims` (RS256) with iss, iat, nbf, exp and jti filled in.
   * @param {Record<string, unknown>} claims
   * @param {number} [lifetimeS] default one hour
   */
  sign(claims, lifetimeS = 3600) {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: this.issuer, iat: now, nbf: now - 5, exp: now + lifetimeS, jti: randomUUID(), ...claims };
    const input = `${b64url({ typ: 'JWT', alg: 'RS256', kid: this.#kid })}.${b64url(payload)}`;
    const signature = createSign('RSA-SHA256').update(input).sign(this.#key).toString('base64url');
    return `${input}.${signature}`;
  }

  /**
   * A registry access token for `service`.
   * @param {{ service: string, subject: string, access: Access[] }} grant
   */
  registryToken(grant) {
    return this.sign({ sub: grant.subject, aud: grant.service, access: grant.access });
  }

  /**
   * The claims of a token this signer made, when the signature holds and it has not expired.
   * @param {string} token
   * @returns {Record<string, unknown> | undefined}
   */
  verify(token) {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return undefined;
    const ok = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(this.#publicKey, Buffer.from(signature, 'base64url'));
    if (!ok) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (typeof claims.exp === 'number' && claims.exp < Date.now() / 1000) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }
}

/**
 * The claims of any JWT, unverified (the lab's default reading of an Entra token).
 * @param {string} token
 * @returns {Record<string, unknown> | undefined}
 */
export function decodeJwt(token) {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? claims : undefined;
  } catch {
    return undefined;
  }
}
