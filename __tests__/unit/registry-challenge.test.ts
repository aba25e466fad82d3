import { parseBearerChallenge } from '../../src/registry/challenge.js';

describe('WWW-Authenticate: the Bearer challenge', () => {
  test.each<[string | undefined, ReturnType<typeof parseBearerChallenge>]>([
    [undefined, undefined],
    ['', undefined],
    ['Basic realm="Registry Realm"', undefined],
    ['Bearer realm="https://myacr.azurecr.io/oauth2/token",service="myacr.azurecr.io"', { realm: 'https://myacr.azurecr.io/oauth2/token', service: 'myacr.azurecr.io' }],
    ['bearer realm="https://auth.docker.io/token", service="registry.docker.io", scope="repository:library/nginx:pull"', { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' }],
    ['Bearer realm=https://ghcr.io/token,service=ghcr.io,error="insufficient_scope"', { realm: 'https://ghcr.io/token', service: 'ghcr.io', error: 'insufficient_scope' }],
    // the scheme alone, or nothing that parses: an empty challenge, which the probes call malformed
    ['Bearer', {}],
    ['Bearer ', {}],
    ['Bearer garbage', {}],
    ['Bearer service="registry.docker.io"', { service: 'registry.docker.io' }],
    ['Bearerish realm="x"', undefined],
  ])('%j', (header, expected) => {
    expect(parseBearerChallenge(header)).toEqual(expected);
  });
});
