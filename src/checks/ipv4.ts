// IPv4 addresses and CIDR ranges, as ACR network rules and Azure public IP prefixes write them.
// Pure. IPv6 is recognised only to say that it is not IPv4 (ACR IP rules are IPv4 only).

/** The address as a 32-bit unsigned number, or undefined when it is not a dotted-quad IPv4 address. */
export function parseIpv4(s: string): number | undefined {
  const parts = s.trim().split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export interface Ipv4Range {
  /** first address, as a number */
  start: number;
  /** last address, as a number */
  end: number;
}

/** "a.b.c.d" (a /32) or "a.b.c.d/n"; undefined when neither. Host bits set in a CIDR are ignored, as Azure does. */
export function parseIpv4Range(s: string): Ipv4Range | undefined {
  const [addr = '', bits, extra] = s.trim().split('/');
  if (extra !== undefined) return undefined;
  const base = parseIpv4(addr);
  if (base === undefined) return undefined;
  if (bits === undefined) return { start: base, end: base };
  if (!/^\d{1,2}$/.test(bits) || Number(bits) > 32) return undefined;
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(base / size) * size;
  return { start, end: start + size - 1 };
}

/** Whether every address of `inner` (an address or CIDR) lies within `outer` (an address or CIDR). */
export function rangeContains(outer: string, inner: string): boolean {
  const o = parseIpv4Range(outer);
  const i = parseIpv4Range(inner);
  return Boolean(o && i && o.start <= i.start && i.end <= o.end);
}

const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16'];

/**
 * Whether an address (IPv4 or IPv6) is not on the public internet: RFC 1918, shared (CGNAT), loopback,
 * link-local, IPv6 unique-local, link-local and loopback. Private endpoints answer with such addresses.
 */
export function isPrivateAddress(address: string): boolean {
  if (parseIpv4(address) !== undefined) return PRIVATE_V4.some((r) => rangeContains(r, address));
  const a = address.toLowerCase();
  if (a === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped?.[1]) return isPrivateAddress(mapped[1]);
  return /^f[cd][0-9a-f]{2}:/.test(a) || /^fe[89ab][0-9a-f]:/.test(a);
}
