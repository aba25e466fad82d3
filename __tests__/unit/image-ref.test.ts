import { hostAndPort, parseImageRef } from '../../src/image-ref.js';
import type { ImageRef } from '../../src/model.js';

const HEX64 = '0123456789abcdef'.repeat(4);

test.each<[string, Omit<ImageRef, 'input'>]>([
  ['nginx', { host: 'docker.io', repository: 'library/nginx', tag: 'latest' }],
  ['library/nginx:1.25', { host: 'docker.io', repository: 'library/nginx', tag: '1.25' }],
  ['docker.io/nginx', { host: 'docker.io', repository: 'library/nginx', tag: 'latest' }],
  ['index.docker.io/bitnami/redis:7', { host: 'docker.io', repository: 'bitnami/redis', tag: '7' }],
  ['bitnami/redis', { host: 'docker.io', repository: 'bitnami/redis', tag: 'latest' }],
  [`myacr.azurecr.io/team/app@sha256:${HEX64}`, { host: 'myacr.azurecr.io', repository: 'team/app', digest: `sha256:${HEX64}` }],
  [`myacr.azurecr.io/app:1.0@sha256:${HEX64}`, { host: 'myacr.azurecr.io', repository: 'app', tag: '1.0', digest: `sha256:${HEX64}` }],
  [`ghcr.io/o/r@sha512:${'f'.repeat(128)}`, { host: 'ghcr.io', repository: 'o/r', digest: `sha512:${'f'.repeat(128)}` }],
  ['localhost:5000/x:y', { host: 'localhost:5000', repository: 'x', tag: 'y' }],
  ['localhost/x', { host: 'localhost', repository: 'x', tag: 'latest' }],
  ['127.0.0.1:5000/a/b/c', { host: '127.0.0.1:5000', repository: 'a/b/c', tag: 'latest' }],
  ['[::1]:5000/x', { host: '[::1]:5000', repository: 'x', tag: 'latest' }],
  ['MyAcr.AzureCR.io/app', { host: 'myacr.azurecr.io', repository: 'app', tag: 'latest' }],
  ['registry:5000/app', { host: 'registry:5000', repository: 'app', tag: 'latest' }],
  ['a/b__c.d-e---f_g', { host: 'docker.io', repository: 'a/b__c.d-e---f_g', tag: 'latest' }],
  ['nginx:Latest_1.2-x', { host: 'docker.io', repository: 'library/nginx', tag: 'Latest_1.2-x' }],
  [`nginx:${'t'.repeat(128)}`, { host: 'docker.io', repository: 'library/nginx', tag: 't'.repeat(128) }],
])('parses %s', (input, expected) => {
  expect(parseImageRef(input)).toEqual({ input, ...expected });
});

test.each<[string, RegExp]>([
  ['', /empty/],
  ['NGINX', /lower-case/],
  ['myacr.azurecr.io/Team/app', /lower-case/],
  ['a//b', /invalid reference format/],
  ['/nginx', /invalid reference format/],
  ['nginx/', /invalid reference format/],
  ['a/b..c', /invalid reference format/],
  ['a/_b', /invalid reference format/],
  ['a/b___c', /invalid reference format/],
  ['nginx:', /invalid reference format/],
  ['nginx:-1', /invalid reference format/],
  [`nginx:${'t'.repeat(129)}`, /invalid reference format/],
  ['nginx@sha256:abc', /invalid reference format/],
  [`nginx@sha256:${'A'.repeat(64)}`, /64 lower-case hexadecimal/],
  [`nginx@sha256:${'a'.repeat(63)}0a`, /64 lower-case hexadecimal/],
  [`nginx@md5:${'a'.repeat(32)}`, /unsupported digest algorithm 'md5'/],
  ['https://myacr.azurecr.io/app', /invalid reference format/],
  ['my image', /invalid reference format/],
  [HEX64, /64-hex identifier/],
  [`example.com/${'a'.repeat(256)}`, /not be more than 255/],
  [`${'a'.repeat(248)}`, /not be more than 255/], // library/ + 248 = 256
])('rejects %j', (input, reason) => {
  expect(() => parseImageRef(input)).toThrow(reason);
});

describe('registry hosts with ports and IP literals', () => {
  // What the probes connect to: DNS is asked about `hostname` only (never for an IP literal), TLS goes to `port`.
  test.each<[string, string, { hostname: string; port: number }]>([
    ['registry.example.com:5000/app:1', 'registry.example.com:5000', { hostname: 'registry.example.com', port: 5000 }],
    ['registry.example.com/app:1', 'registry.example.com', { hostname: 'registry.example.com', port: 443 }],
    ['Registry.Example.COM:443/app', 'registry.example.com:443', { hostname: 'registry.example.com', port: 443 }],
    ['10.1.2.3:5000/app', '10.1.2.3:5000', { hostname: '10.1.2.3', port: 5000 }],
    ['10.1.2.3/team/app:2', '10.1.2.3', { hostname: '10.1.2.3', port: 443 }],
    ['[fd00::1]:5000/app', '[fd00::1]:5000', { hostname: 'fd00::1', port: 5000 }],
    ['[FD00::1]/app', '[fd00::1]', { hostname: 'fd00::1', port: 443 }],
    ['[::1]:65535/a/b@sha256:' + HEX64, '[::1]:65535', { hostname: '::1', port: 65535 }],
    ['registry:5000/app', 'registry:5000', { hostname: 'registry', port: 5000 }],
    ['localhost:1/app', 'localhost:1', { hostname: 'localhost', port: 1 }],
    ['nginx', 'docker.io', { hostname: 'docker.io', port: 443 }],
  ])('%s: host %s', (input, host, split) => {
    const ref = parseImageRef(input);
    expect(ref.host).toBe(host);
    expect(hostAndPort(ref.host)).toEqual(split);
  });

  test.each<[string, RegExp]>([
    ['registry.example.com:0/app', /port of registry.example.com:0 must be 1 to 65535/],
    ['registry.example.com:65536/app', /must be 1 to 65535/],
    ['[fd00::1]:99999/app', /must be 1 to 65535/],
    ['[fd00:::1]:5000/app', /brackets must hold an IPv6 address/],
    ['[1234:]/app', /brackets must hold an IPv6 address/],
    ['[fe80::1%eth0]:5000/app', /invalid reference format/],
    ['[::ffff:10.1.2.3]:5000/app', /invalid reference format/], // distribution's grammar: hex digits and colons only
    ['fd00::1/app', /invalid reference format/],
    ['registry.example.com:/app', /invalid reference format/],
    ['registry.example.com:50a/app', /invalid reference format/],
  ])('rejects %j', (input, reason) => {
    expect(() => parseImageRef(input)).toThrow(reason);
  });
});
