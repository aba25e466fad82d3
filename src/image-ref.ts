// Image references, parsed as docker and containerd do (github.com/distribution/reference:
// regexp.go for the grammar, normalize.go for the docker.io / library/ defaults).

import { isIP } from 'node:net';
import type { ImageRef } from './model.js';

const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainAndPort = `(?:${domainName}|${ipv6address})(?::[0-9]+)?`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';

/** domain / path : tag @ digest, with the domain required (normalization adds docker.io first) */
const REFERENCE = new RegExp(`^(${domainAndPort})/(${remoteName})(?::(${tag}))?(?:@(${digest}))?$`);
const IDENTIFIER = /^[a-f0-9]{64}$/;
/** the digest algorithms go-digest registers, with their hex length */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const REPOSITORY_MAX = 255;
const DEFAULT_DOMAIN = 'docker.io';

/** Splits off the registry host the way docker does: the first component is a host when it has '.' or ':', is localhost, or has upper case. */
function splitDomain(s: string): [domain: string, remainder: string] {
  const slash = s.indexOf('/');
  if (slash < 0) return [DEFAULT_DOMAIN, `library/${s}`];
  const first = s.slice(0, slash);
  const rest = s.slice(slash + 1);
  let domain = DEFAULT_DOMAIN;
  let remainder = s;
  if (first === 'index.docker.io') [domain, remainder] = [DEFAULT_DOMAIN, rest];
  else if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) [domain, remainder] = [first, rest];
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = `library/${remainder}`;
  return [domain, remainder];
}

const PORT_MAX = 65_535;

/**
 * A registry host split for connecting: the name or address DNS (or nobody) is asked about, without
 * brackets or port, and the port (443 when none is given).
 */
export function hostAndPort(host: string): { hostname: string; port: number } {
  const m = /^(?:\[([^\]]*)\]|([^:]*))(?::(\d+))?$/.exec(host);
  return { hostname: (m?.[1] ?? m?.[2] ?? host).toLowerCase(), port: m?.[3] ? Number(m[3]) : 443 };
}

/** What the grammar lets through and no registry client can use: a port out of range, brackets around a non-IPv6 address. */
function checkHost(host: string): void {
  const { hostname, port } = hostAndPort(host);
  if (port < 1 || port > PORT_MAX) throw new Error(`the port of ${host} must be 1 to ${PORT_MAX}`);
  if (host.startsWith('[') && isIP(hostname) !== 6) throw new Error(`${host}: brackets must hold an IPv6 address, e.g. [fd00::1]:5000`);
}

function checkDigest(value: string): void {
  const [algorithm = '', hex = ''] = value.split(':');
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) {
    throw new Error(`unsupported digest algorithm '${algorithm}' (accepted: ${Object.keys(DIGEST_HEX_LENGTH).join(', ')})`);
  }
  if (!new RegExp(`^[a-f0-9]{${length}}$`).test(hex)) {
    throw new Error(`a ${algorithm} digest is ${length} lower-case hexadecimal digits`);
  }
}

/** Parses `[host[:port]/]path[:tag][@digest]`; throws an Error saying what is wrong. No tag and no digest means tag `latest`. */
export function parseImageRef(s: string): ImageRef {
  if (s === '') throw new Error('the reference is empty');
  if (IDENTIFIER.test(s)) throw new Error('a bare 64-hex identifier is not a repository name');
  const [domain, remainder] = splitDomain(s);
  const normalized = `${domain}/${remainder}`;
  const match = REFERENCE.exec(normalized);
  if (!match) {
    if (REFERENCE.test(normalized.toLowerCase())) throw new Error('the repository name must be lower-case');
    throw new Error(
      "invalid reference format (path components are a-z and 0-9 joined by '.', '_', '__' or '-'; " +
        "a tag is up to 128 of A-Z, a-z, 0-9, '_', '.', '-', not starting with '.' or '-')",
    );
  }
  const [, host = '', repository = '', matchedTag, matchedDigest] = match;
  if (repository.length > REPOSITORY_MAX) {
    throw new Error(`the repository name must not be more than ${REPOSITORY_MAX} characters`);
  }
  checkHost(host);
  if (matchedDigest !== undefined) checkDigest(matchedDigest);
  const ref: ImageRef = { input: s, host: host.toLowerCase(), repository };
  if (matchedTag !== undefined) ref.tag = matchedTag;
  if (matchedDigest !== undefined) ref.digest = matchedDigest;
  if (ref.tag === undefined && ref.digest === undefined) ref.tag = 'latest';
  return ref;
}

/** A registry host as references compare it: lower-case, without HTTPS's default port (`myacr.azurecr.io:443` is `myacr.azurecr.io`). */
export const hostKey = (host: string): string => host.toLowerCase().replace(/:443$/, '');
export const sameHost = (a: string, b: string): boolean => hostKey(a) === hostKey(b);
