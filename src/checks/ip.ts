// IPv4 and IPv6 addresses and CIDR ranges, as ACR network rules, Azure public IPs and prefixes, and DNS
// answers write them. Pure; the parsing and matching are ipaddr.js's.
import ipaddr from 'ipaddr.js';

export type IpFamily = 'ipv4' | 'ipv6';

export interface IpRange {
  family: IpFamily;
  address: ipaddr.IPv4 | ipaddr.IPv6;
  /** prefix length: 32 or 128 for a single address */
  bits: number;
}

/** An IPv4 address in dotted-quad form only (ipaddr.js alone would also take "127.1" and hex parts). */
function parseAddress(s: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return ipaddr.IPv4.parse(s);
  if (!s.includes(':') || !ipaddr.IPv6.isValid(s)) return undefined;
  const v6 = ipaddr.IPv6.parse(s);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

/**
 * "a.b.c.d", "a.b.c.d/n", an IPv6 address or "…/n"; undefined when none of these. Host bits set in a
 * CIDR are ignored, as Azure does. An IPv4-mapped IPv6 address counts as the IPv4 address it maps.
 */
export function parseRange(s: string): IpRange | undefined {
  const [addr = '', bits, extra] = s.trim().split('/');
  if (extra !== undefined) return undefined;
  const address = parseAddress(addr);
  if (!address) return undefined;
  const family = address.kind();
  const max = family === 'ipv4' ? 32 : 128;
  const mapped = family === 'ipv4' && addr.includes(':') ? 96 : 0;
  if (bits === undefined) return { family, address, bits: max };
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max + mapped || Number(bits) < mapped) return undefined;
  return { family, address, bits: Number(bits) - mapped };
}

/** The family of an address or range, undefined when it is neither. */
export function ipFamily(s: string): IpFamily | undefined {
  return parseRange(s)?.family;
}

function contains(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.bits <= inner.bits && inner.address.match(outer.address, outer.bits);
}

/** Whether every address of `inner` (an address or CIDR) lies within `outer` (an address or CIDR) of the same family. */
export function rangeContains(outer: string, inner: string): boolean {
  const o = parseRange(outer);
  const i = parseRange(inner);
  return Boolean(o && i && contains(o, i));
}

/** Whether two addresses or CIDRs share an address (CIDR blocks either nest or are apart). */
export function rangesOverlap(a: string, b: string): boolean {
  const x = parseRange(a);
  const y = parseRange(b);
  return Boolean(x && y && (contains(x, y) || contains(y, x)));
}

const NOT_PUBLIC = new Set(['private', 'carrierGradeNat', 'loopback', 'linkLocal', 'uniqueLocal']);

/**
 * Whether an address (IPv4 or IPv6) is not on the public internet: RFC 1918, shared (CGNAT), loopback,
 * link-local, IPv6 unique-local, link-local and loopback. Private endpoints answer with such addresses.
 */
export function isPrivateAddress(address: string): boolean {
  const a = parseAddress(address.trim());
  return Boolean(a && NOT_PUBLIC.has(a.range()));
}
