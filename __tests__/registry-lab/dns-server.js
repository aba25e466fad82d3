// @ts-check
// A tiny authoritative-and-recursive-looking DNS server over UDP on 127.0.0.1 (RFC 1035 wire format,
// written by hand): A, AAAA and CNAME records with TTLs from a mutable table. Like a recursive
// resolver, it follows CNAMEs inside one answer; it says NXDOMAIN for unknown names and NODATA (no
// error, no answer) when the name exists without the asked type. Names can be made to fail (SERVFAIL)
// or to go unanswered (the client times out). Every query is recorded.
import dgram from 'node:dgram';
import net from 'node:net';

/** @typedef {{ a?: string[], aaaa?: string[], cname?: string, ttl?: number }} DnsRecord */
/** @typedef {{ name: string, type: string }} DnsQuery */

const TYPE = /** @type {const} */ ({ A: 1, CNAME: 5, AAAA: 28 });
/** @type {Record<number, string>} */
const TYPE_NAMES = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 65: 'HTTPS', 255: 'ANY' };
const RCODE = /** @type {const} */ ({ NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4 });
const DEFAULT_TTL = 60;
const MAX_CHAIN = 16;

/** @param {string} name */
function canonical(name) {
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * Reads a (possibly compressed) name at `offset`.
 * @param {Buffer} msg @param {number} offset
 * @returns {{ name: string, next: number }}
 */
function readName(msg, offset) {
  const labels = [];
  let next = -1;
  for (let hops = 0; hops < 64; hops++) {
    const len = msg.readUInt8(offset);
    if (len === 0) {
      offset += 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (next < 0) next = offset + 2;
      offset = msg.readUInt16BE(offset) & 0x3fff;
      continue;
    }
    labels.push(msg.toString('latin1', offset + 1, offset + 1 + len));
    offset += 1 + len;
  }
  return { name: labels.join('.'), next: next < 0 ? offset : next };
}

/** @param {string} name */
function encodeName(name) {
  const parts = canonical(name).split('.').filter(Boolean);
  const bufs = parts.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'latin1')]));
  return Buffer.concat([...bufs, Buffer.from([0])]);
}

/** @param {string} address */
function ipv6Bytes(address) {
  const [head = '', tail] = address.split('::');
  /** @param {string} s */
  const groups = (s) => (s ? s.split(':') : []);
  let parts = groups(head);
  if (tail !== undefined) {
    const right = groups(tail);
    parts = [...parts, ...Array(8 - parts.length - right.length).fill('0'), ...right];
  }
  const out = Buffer.alloc(16);
  parts.forEach((p, i) => out.writeUInt16BE(Number.parseInt(p, 16), i * 2));
  return out;
}

/** @param {string} name @param {number} type @param {number} ttl @param {Buffer} rdata */
function resourceRecord(name, type, ttl, rdata) {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2); // class IN
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(name), fixed, rdata]);
}

export class FakeDns {
  /** "127.0.0.1:<port>", for Resolver.setServers */
  address = '';
  /** every question received, in order */
  queries = /** @type {DnsQuery[]} */ ([]);
  /** @type {Map<string, DnsRecord>} */
  #records = new Map();
  /** @type {Set<string>} */
  #servfail = new Set();
  /** @type {Set<string>} */
  #drop = new Set();
  /** @type {dgram.Socket[]} */
  #sockets = [];

  /** Adds or replaces the records of `name`. @param {string} name @param {DnsRecord} record */
  set(name, record) {
    const key = canonical(name);
    for (const ip of record.a ?? []) if (!net.isIPv4(ip)) throw new Error(`dns.set(${name}): not an IPv4 address: ${ip}`);
    for (const ip of record.aaaa ?? []) if (!net.isIPv6(ip)) throw new Error(`dns.set(${name}): not an IPv6 address: ${ip}`);
    this.#records.set(key, { ...record, cname: record.cname === undefined ? undefined : canonical(record.cname) });
    this.#servfail.delete(key);
    this.#drop.delete(key);
  }

  /** The records of `name`, if any. @param {string} name */
  get(name) {
    return this.#records.get(canonical(name));
  }

  /** Forgets `name` (it becomes NXDOMAIN) and any failure set on it. @param {string} name */
  remove(name) {
    const key = canonical(name);
    this.#records.delete(key);
    this.#servfail.delete(key);
    this.#drop.delete(key);
  }

  /** Answers SERVFAIL to every question about `name` (also when reached through a CNAME). @param {string} name */
  servfail(name) {
    this.#servfail.add(canonical(name));
  }

  /** Never answers questions about `name` (the client times out). @param {string} name */
  drop(name) {
    this.#drop.add(canonical(name));
  }

  /** Starts listening on 127.0.0.1:<free port>. */
  async start() {
    const socket = await this.listen('127.0.0.1', 0);
    this.address = `127.0.0.1:${socket.address().port}`;
    return this;
  }

  /**
   * Answers on `address:port` too, from the same records (e.g. port 53, for a resolv.conf, which names
   * no port).
   * @param {string} address @param {number} port
   */
  async listen(address, port) {
    const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
    socket.on('message', (msg, rinfo) => {
      const reply = this.#answer(msg);
      if (reply) socket.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise((resolve, reject) => {
      socket.once('error', (err) => {
        socket.close();
        reject(err);
      });
      socket.bind(port, address, () => resolve(undefined));
    });
    socket.on('error', () => {});
    this.#sockets.push(socket);
    return socket;
  }

  async stop() {
    const sockets = this.#sockets.splice(0);
    await Promise.all(sockets.map((socket) => new Promise((resolve) => socket.close(() => resolve(undefined)))));
  }

  /** The reply to one query message, or undefined to stay silent. @param {Buffer} msg */
  #answer(msg) {
    if (msg.length < 12) return undefined;
    const id = msg.readUInt16BE(0);
    const flags = msg.readUInt16BE(2);
    const qdcount = msg.readUInt16BE(4);
    const rd = flags & 0x0100;
    /** @param {number} rcode @param {Buffer} question @param {Buffer[]} answers */
    const reply = (rcode, question, answers = []) => {
      const header = Buffer.alloc(12);
      header.writeUInt16BE(id, 0);
      // QR=1, opcode 0, AA=1, RD copied, RA=1
      header.writeUInt16BE(0x8000 | 0x0400 | rd | 0x0080 | rcode, 2);
      header.writeUInt16BE(question.length ? 1 : 0, 4);
      header.writeUInt16BE(answers.length, 6);
      return Buffer.concat([header, question, ...answers]);
    };
    if ((flags & 0x8000) !== 0 || ((flags >> 11) & 0xf) !== 0) return reply(RCODE.NOTIMP, Buffer.alloc(0), []);
    if (qdcount !== 1) return reply(RCODE.FORMERR, Buffer.alloc(0), []);
    let name;
    let type;
    let question;
    try {
      const read = readName(msg, 12);
      name = canonical(read.name);
      type = msg.readUInt16BE(read.next);
      question = msg.subarray(12, read.next + 4);
    } catch {
      return reply(RCODE.FORMERR, Buffer.alloc(0), []);
    }
    this.queries.push({ name, type: TYPE_NAMES[type] ?? String(type) });

    /** @type {Buffer[]} */
    const answers = [];
    let current = name;
    for (let hop = 0; hop < MAX_CHAIN; hop++) {
      if (this.#drop.has(current)) return undefined;
      if (this.#servfail.has(current)) return reply(RCODE.SERVFAIL, question, []);
      const record = this.#records.get(current);
      if (!record) return reply(RCODE.NXDOMAIN, question, answers);
      const ttl = record.ttl ?? DEFAULT_TTL;
      if (record.cname) {
        answers.push(resourceRecord(current, TYPE.CNAME, ttl, encodeName(record.cname)));
        if (type === TYPE.CNAME) return reply(RCODE.NOERROR, question, answers);
        current = record.cname;
        continue;
      }
      if (type === TYPE.A) for (const ip of record.a ?? []) answers.push(resourceRecord(current, TYPE.A, ttl, Buffer.from(ip.split('.').map(Number))));
      if (type === TYPE.AAAA) for (const ip of record.aaaa ?? []) answers.push(resourceRecord(current, TYPE.AAAA, ttl, ipv6Bytes(ip)));
      return reply(RCODE.NOERROR, question, answers); // no records of that type: NODATA
    }
    return reply(RCODE.SERVFAIL, question, []); // a CNAME loop
  }
}

/** Starts a fake DNS server on 127.0.0.1. */
export function startFakeDns() {
  return new FakeDns().start();
}
