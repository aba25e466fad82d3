// Fails any connection a test makes outside loopback, with a message naming the target.
// The end-to-end tests also run inside a loopback-only network namespace (scripts/test.mjs),
// which makes the same guarantee for child processes.
import net from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|localhost)$/i;
// Inside the test network namespace (scripts/test.mjs) the instance metadata address is a decoy bound
// to the namespace's own loopback, so that a test can prove nothing contacts it.
const DECOY = process.env.PREFLIGHT_NETNS ? /^169\.254\.169\.254$/ : /^$/;

type ConnectArgs = Parameters<typeof net.Socket.prototype.connect>;
const original = net.Socket.prototype.connect;

function targetOf(args: unknown[]): string | undefined {
  const first = args[0];
  if (Array.isArray(first)) return targetOf(first);
  if (first && typeof first === 'object') {
    const o = first as { host?: string; path?: string; port?: number };
    if (o.path) return undefined; // a unix socket
    return o.host ?? 'localhost';
  }
  if (typeof first === 'number') return typeof args[1] === 'string' ? args[1] : 'localhost';
  return undefined; // a unix socket path
}

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const host = targetOf(args);
  const bare = host?.replace(/^\[|\]$/g, '');
  if (bare !== undefined && !LOOPBACK.test(bare) && !DECOY.test(bare)) {
    throw new Error(`network guard: a test tried to connect to ${host}; tests may only reach 127.0.0.1`);
  }
  return original.apply(this, args as ConnectArgs);
} as typeof net.Socket.prototype.connect;
