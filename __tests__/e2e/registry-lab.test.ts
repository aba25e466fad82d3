// The registry lab, tested with Node's own HTTPS client and DNS resolver: the real docker-registry
// behind the ACR-like front (token exchange, pull permissions, anonymous and Basic token services),
// images pushed through the registry API, firewall and fault controls, the fake DNS server, and the
// stalled and refused addresses. Runs as root in a loopback-only network namespace (scripts/test.mjs),
// with NODE_EXTRA_CA_CERTS set to the test CA.
import { createPublicKey } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureRegistryCerts } from '../../scripts/certs.mjs';
import {
  MANIFEST_ACCEPT,
  MEDIA_TYPES,
  firewallError,
  labRequest,
  libtrustKeyId,
  startRegistryLab,
  type LabResponse,
  type RegistryLab,
  type RegistryLabCerts,
} from '../registry-lab/index.js';

const ACR = 'myacr.azurecr.io';
const OPEN_ACR = 'open.azurecr.io';
const QUIET_ACR = 'quiet.azurecr.io';
const UNTRUSTED_ACR = 'untrusted.azurecr.io';
const HUB = 'registry-1.docker.io';
const GHCR = 'ghcr.io';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const KUBELET = 'b9a3f5c4-0000-4000-8000-00000000c11e';
const STRANGER = 'c0ffee00-0000-4000-8000-0000000000ff';
/** Entra tokens the lab's verifier knows (opaque, like the fake Azure's) */
const AAD_TOKENS: Record<string, { clientId: string; tenantId: string; audience: string }> = {
  'aad-token-kubelet': { clientId: KUBELET, tenantId: TENANT, audience: 'https://management.azure.com/' },
  'aad-token-stranger': { clientId: STRANGER, tenantId: TENANT, audience: 'https://management.azure.com' },
  'aad-token-graph': { clientId: KUBELET, tenantId: TENANT, audience: 'https://graph.microsoft.com' },
};
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

const caCert = process.env.NODE_EXTRA_CA_CERTS;

const json = (r: LabResponse) => JSON.parse(r.body.toString('utf8'));

describe('registry lab', () => {
  if (!caCert) {
    throw new Error('NODE_EXTRA_CA_CERTS is not set: run the tests through `node scripts/test.mjs` (as root: the lab listens on port 443 in a network namespace).');
  }
  let lab: RegistryLab;

  beforeAll(async () => {
    const certs: RegistryLabCerts = process.env.PREFLIGHT_REGISTRY_CERTS
      ? JSON.parse(process.env.PREFLIGHT_REGISTRY_CERTS)
      : await ensureRegistryCerts(dirname(caCert));
    lab = await startRegistryLab({
      certs,
      hosts: [
        { name: ACR, kind: 'acr', pullers: [KUBELET], users: { myacr: 'admin-password' } },
        { name: OPEN_ACR, kind: 'acr', anonymousPull: true, pullers: [] },
        { name: QUIET_ACR, kind: 'acr', pullers: [], denied: 'empty' },
        { name: UNTRUSTED_ACR, kind: 'acr', tls: 'untrusted' },
        { name: HUB, kind: 'anonymous' },
        { name: GHCR, kind: 'basic', users: { octocat: 'ghp_secret' } },
      ],
      verifyAadToken: (token) => AAD_TOKENS[token],
    });
  });
  afterAll(() => lab?.stop());
  afterEach(() => {
    lab.clearFaults();
    lab.unblock(ACR);
  });

  const exchange = (host: string, aadToken: string | undefined, tenant = TENANT) =>
    lab.request(host, '/oauth2/exchange', {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ grant_type: 'access_token', service: host, tenant, ...(aadToken ? { access_token: aadToken } : {}) }).toString(),
    });
  const tokenFromRefresh = (host: string, refreshToken: string, repository: string) =>
    lab.request(host, '/oauth2/token', {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ grant_type: 'refresh_token', service: host, scope: `repository:${repository}:pull`, refresh_token: refreshToken }).toString(),
    });
  /** The whole ACR flow for an Entra token: exchange, then an access token to pull `repository`. */
  const acrPullToken = async (host: string, aadToken: string, repository: string) => {
    const refreshed = await exchange(host, aadToken);
    expect(refreshed.status).toBe(200);
    const token = await tokenFromRefresh(host, json(refreshed).refresh_token, repository);
    expect(token.status).toBe(200);
    return json(token).access_token as string;
  };
  const getManifest = (host: string, repository: string, reference: string, token?: string) =>
    lab.request(host, `/v2/${repository}/manifests/${reference}`, {
      headers: { Accept: MANIFEST_ACCEPT, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
  const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));

  describe('ACR token service in front of the real registry', () => {
    it('answers an anonymous GET /v2/ with the registry challenge naming ACR realm and service', async () => {
      const r = await lab.request(ACR, '/v2/');
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toBe(`Bearer realm="https://${ACR}/oauth2/token",service="${ACR}"`);
      expect(r.headers['docker-distribution-api-version']).toBe('registry/2.0');
      expect(json(r).errors[0].code).toBe('UNAUTHORIZED');
    });

    it('exchanges an Entra token for a refresh token and that for a pull token the registry accepts', async () => {
      const pushed = await lab.push(ACR, 'team/app', 'v1', {
        platforms: [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64', variant: 'v8' },
        ],
        attestation: true,
      });
      expect(pushed.mediaType).toBe(MEDIA_TYPES.ociIndex);

      const refreshed = await exchange(ACR, 'aad-token-kubelet');
      expect(refreshed.status).toBe(200);
      expect(Object.keys(json(refreshed))).toEqual(['refresh_token']);
      const token = await tokenFromRefresh(ACR, json(refreshed).refresh_token, 'team/app');
      expect(token.status).toBe(200);
      expect(Object.keys(json(token))).toEqual(['access_token']);
      const accessToken = json(token).access_token as string;
      expect(claimsOf(accessToken)).toMatchObject({ sub: KUBELET, aud: ACR, access: [{ type: 'repository', name: 'team/app', actions: ['pull'] }] });

      // the v2 root accepts it too (the registry verified the signature against its rootcertbundle)
      expect((await lab.request(ACR, '/v2/', { headers: { Authorization: `Bearer ${accessToken}` } })).status).toBe(200);

      const index = await getManifest(ACR, 'team/app', 'v1', accessToken);
      expect(index.status).toBe(200);
      expect(index.headers['content-type']).toBe(MEDIA_TYPES.ociIndex);
      expect(index.headers['docker-content-digest']).toBe(pushed.digest);
      const body = json(index);
      expect(body.manifests.map((m: { platform: { os: string; architecture: string; variant?: string } }) => m.platform)).toEqual([
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
        { os: 'unknown', architecture: 'unknown' },
        { os: 'unknown', architecture: 'unknown' },
      ]);
      expect(body.manifests[2].annotations).toEqual({ 'vnd.docker.reference.digest': pushed.manifests[0]?.digest, 'vnd.docker.reference.type': 'attestation-manifest' });

      // follow the arm64 child to its config blob: a real image config
      const arm = await getManifest(ACR, 'team/app', pushed.manifests[1]?.digest ?? '', accessToken);
      expect(arm.status).toBe(200);
      expect(arm.headers['content-type']).toBe(MEDIA_TYPES.ociManifest);
      const config = await lab.request(ACR, `/v2/team/app/blobs/${json(arm).config.digest}`, { headers: { Authorization: `Bearer ${accessToken}` } });
      expect(config.status).toBe(200);
      expect(json(config)).toMatchObject({ architecture: 'arm64', os: 'linux', variant: 'v8', rootfs: { type: 'layers' } });
    });

    it('serves Docker manifest lists and single-platform manifests of both formats', async () => {
      const list = await lab.push(ACR, 'team/docker', 'multi', { format: 'docker', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2527' }] });
      const single = await lab.push(ACR, 'team/docker', 'single', { format: 'docker', platforms: [{ os: 'linux', architecture: 'arm64' }] });
      const ociSingle = await lab.push(ACR, 'team/oci', 'single', { platforms: [{ os: 'linux', architecture: 'amd64' }] });
      expect(single.mediaType).toBe(MEDIA_TYPES.dockerManifest);
      expect(single.manifests).toEqual([{ platform: { os: 'linux', architecture: 'arm64' }, digest: single.digest }]);

      const token = await acrPullToken(ACR, 'aad-token-kubelet', 'team/docker');
      const listed = await getManifest(ACR, 'team/docker', 'multi', token);
      expect(listed.status).toBe(200);
      expect(listed.headers['content-type']).toBe(MEDIA_TYPES.dockerList);
      expect(listed.headers['docker-content-digest']).toBe(list.digest);
      expect(json(listed).manifests[1].platform).toEqual({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2527' });
      const one = await getManifest(ACR, 'team/docker', 'single', token);
      expect(one.headers['content-type']).toBe(MEDIA_TYPES.dockerManifest);
      expect(one.headers['docker-content-digest']).toBe(single.digest);

      const ociToken = await acrPullToken(ACR, 'aad-token-kubelet', 'team/oci');
      const head = await lab.request(ACR, '/v2/team/oci/manifests/single', { method: 'HEAD', headers: { Accept: MANIFEST_ACCEPT, Authorization: `Bearer ${ociToken}` } });
      expect(head.status).toBe(200);
      expect(head.headers['content-type']).toBe(MEDIA_TYPES.ociManifest);
      expect(head.headers['docker-content-digest']).toBe(ociSingle.digest);
    });

    it('answers MANIFEST_UNKNOWN for a missing tag and NAME_UNKNOWN on tags/list for a missing repository', async () => {
      await lab.push(ACR, 'team/tags', 'v1', { platforms: [{ os: 'linux', architecture: 'amd64' }] });
      const token = await acrPullToken(ACR, 'aad-token-kubelet', 'team/tags');
      const missingTag = await getManifest(ACR, 'team/tags', 'v2', token);
      expect(missingTag.status).toBe(404);
      expect(json(missingTag).errors[0].code).toBe('MANIFEST_UNKNOWN');
      const tags = await lab.request(ACR, '/v2/team/tags/tags/list', { headers: { Authorization: `Bearer ${token}` } });
      expect(json(tags)).toEqual({ name: 'team/tags', tags: ['v1'] });

      const otherToken = await acrPullToken(ACR, 'aad-token-kubelet', 'team/nothing');
      const missingRepoManifest = await getManifest(ACR, 'team/nothing', 'v1', otherToken);
      expect(json(missingRepoManifest).errors[0].code).toBe('MANIFEST_UNKNOWN');
      const missingRepo = await lab.request(ACR, '/v2/team/nothing/tags/list', { headers: { Authorization: `Bearer ${otherToken}` } });
      expect(missingRepo.status).toBe(404);
      expect(json(missingRepo).errors[0].code).toBe('NAME_UNKNOWN');
    });

    it('refuses an identity that is not among the pullers, and an unknown, absent or wrong-audience Entra token', async () => {
      const refreshed = await exchange(ACR, 'aad-token-stranger');
      expect(refreshed.status).toBe(200);
      const token = await tokenFromRefresh(ACR, json(refreshed).refresh_token, 'team/app');
      expect(token.status).toBe(401);
      expect(json(token)).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required, visit https://aka.ms/acr/authorization for more information.' }] });

      for (const bad of ['not-a-token', 'aad-token-graph', undefined]) {
        const r = await exchange(ACR, bad);
        expect(r.status).toBe(401);
        expect(json(r).errors[0].code).toBe('UNAUTHORIZED');
      }
      expect((await exchange(ACR, 'aad-token-kubelet', '00000000-0000-0000-0000-000000000001')).status).toBe(401); // another tenant
      // a refresh token of one registry is no good at another
      const elsewhere = await tokenFromRefresh(OPEN_ACR, json(refreshed).refresh_token, 'team/app');
      expect(elsewhere.status).toBe(401);
    });

    it('can instead grant nothing, so that the registry itself refuses the pull', async () => {
      await lab.push(QUIET_ACR, 'team/app', 'v1', { platforms: [{ os: 'linux', architecture: 'amd64' }] });
      const token = await acrPullToken(QUIET_ACR, 'aad-token-kubelet', 'team/app');
      expect(claimsOf(token).access).toEqual([]);
      const r = await getManifest(QUIET_ACR, 'team/app', 'v1', token);
      expect(r.status).toBe(401);
      expect(json(r).errors[0].code).toBe('UNAUTHORIZED');
      expect(r.headers['www-authenticate']).toContain('error="insufficient_scope"');
    });

    it('grants anonymous pull only where anonymous pull is on, and Basic tokens to admin users and refresh tokens', async () => {
      await lab.push(OPEN_ACR, 'public/app', 'v1', { platforms: [{ os: 'linux', architecture: 'amd64' }] });
      const anonymous = await lab.request(OPEN_ACR, `/oauth2/token?service=${OPEN_ACR}&scope=repository:public/app:pull,push`);
      expect(anonymous.status).toBe(200);
      const anonymousToken = json(anonymous).access_token as string;
      expect(claimsOf(anonymousToken).access).toEqual([{ type: 'repository', name: 'public/app', actions: ['pull'] }]);
      expect((await getManifest(OPEN_ACR, 'public/app', 'v1', anonymousToken)).status).toBe(200);

      const refused = await lab.request(ACR, `/oauth2/token?service=${ACR}&scope=repository:team/app:pull`);
      expect(refused.status).toBe(401);

      const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
      const admin = await lab.request(ACR, `/oauth2/token?service=${ACR}&scope=repository:team/app:pull,push`, { headers: basic('myacr', 'admin-password') });
      expect(claimsOf(json(admin).access_token).access).toEqual([{ type: 'repository', name: 'team/app', actions: ['pull', 'push'] }]);
      expect((await lab.request(ACR, `/oauth2/token?service=${ACR}&scope=repository:team/app:pull`, { headers: basic('myacr', 'wrong') })).status).toBe(401);
      const refreshToken = json(await exchange(ACR, 'aad-token-kubelet')).refresh_token as string;
      const viaLogin = await lab.request(ACR, `/oauth2/token?service=${ACR}&scope=repository:team/app:pull`, { headers: basic('00000000-0000-0000-0000-000000000000', refreshToken) });
      expect(claimsOf(json(viaLogin).access_token).sub).toBe(KUBELET);
    });

    it('signs tokens with the libtrust key ID of the token certificate', async () => {
      const certs = process.env.PREFLIGHT_REGISTRY_CERTS ? (JSON.parse(process.env.PREFLIGHT_REGISTRY_CERTS) as RegistryLabCerts) : undefined;
      const refreshToken = json(await exchange(ACR, 'aad-token-kubelet')).refresh_token as string;
      const header = JSON.parse(Buffer.from(refreshToken.split('.')[0] ?? '', 'base64url').toString('utf8'));
      expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
      expect(header.kid).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
      if (certs) expect(header.kid).toBe(libtrustKeyId(createPublicKey(readFileSync(certs.tokenCert, 'utf8'))));
    });
  });

  describe('other registries', () => {
    it('serves a Docker Hub style registry with anonymous tokens from auth.docker.io', async () => {
      await lab.push(HUB, 'library/nginx', 'latest', { platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] });
      const challenge = await getManifest(HUB, 'library/nginx', 'latest');
      expect(challenge.status).toBe(401);
      expect(challenge.headers['www-authenticate']).toBe('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"');
      const token = await lab.request('auth.docker.io', '/token?service=registry.docker.io&scope=repository:library/nginx:pull');
      expect(token.status).toBe(200);
      const body = json(token);
      expect(body.token).toBe(body.access_token);
      const manifest = await getManifest(HUB, 'library/nginx', 'latest', body.token);
      expect(manifest.status).toBe(200);
      expect(manifest.headers['content-type']).toBe(MEDIA_TYPES.ociIndex);
    });

    it('refuses anonymous tokens on a Basic registry and grants them with the right credentials', async () => {
      await lab.push(GHCR, 'octo/private', 'v1', { platforms: [{ os: 'linux', architecture: 'amd64' }] });
      const challenge = await getManifest(GHCR, 'octo/private', 'v1');
      expect(challenge.headers['www-authenticate']).toBe(`Bearer realm="https://${GHCR}/token",service="${GHCR}",scope="repository:octo/private:pull"`);
      const anonymous = await lab.request(GHCR, `/token?service=${GHCR}&scope=repository:octo/private:pull`);
      expect(anonymous.status).toBe(401);
      expect(json(anonymous)).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
      const basic = `Basic ${Buffer.from('octocat:ghp_secret').toString('base64')}`;
      const token = await lab.request(GHCR, `/token?service=${GHCR}&scope=repository:octo/private:pull`, { headers: { Authorization: basic } });
      expect(token.status).toBe(200);
      expect((await getManifest(GHCR, 'octo/private', 'v1', json(token).token)).status).toBe(200);
    });
  });

  describe('TLS, firewall and faults', () => {
    it('presents certificates Node trusts through NODE_EXTRA_CA_CERTS, except on an untrusted host', async () => {
      const trusted = await labRequest({ address: lab.address, host: ACR, path: '/v2/' });
      expect(trusted.status).toBe(401);
      const untrusted = labRequest({ address: lab.address, host: UNTRUSTED_ACR, path: '/v2/' });
      await expect(untrusted).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    });

    it('puts a registry behind the firewall with ACR wording', async () => {
      lab.block(ACR, '20.50.60.70');
      for (const path of ['/v2/', '/oauth2/exchange']) {
        const r = await lab.request(ACR, path, { method: path === '/v2/' ? 'GET' : 'POST' });
        expect(r.status).toBe(403);
        expect(json(r)).toEqual(firewallError('20.50.60.70'));
        expect(json(r)).toEqual({
          errors: [{ code: 'DENIED', message: "client with IP '20.50.60.70' is not allowed access. Refer https://aka.ms/acr/firewall to grant access." }],
        });
      }
      lab.unblock(ACR);
      expect((await lab.request(ACR, '/v2/')).status).toBe(401);
    });

    it('injects statuses, delays and resets, for a number of requests', async () => {
      lab.fault(ACR, { path: /^\/oauth2\/token$/, status: 429, headers: { 'Retry-After': '2' }, times: 1 });
      const throttled = await lab.request(ACR, `/oauth2/token?service=${ACR}`);
      expect(throttled.status).toBe(429);
      expect(throttled.headers['retry-after']).toBe('2');
      expect(json(throttled).errors[0].code).toBe('TOOMANYREQUESTS');
      expect((await lab.request(ACR, `/oauth2/token?service=${ACR}`)).status).toBe(401); // used up

      lab.fault(ACR, { path: /^\/v2\/$/, delayMs: 300, times: 1 });
      const started = Date.now();
      expect((await lab.request(ACR, '/v2/')).status).toBe(401);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);

      lab.fault(ACR, { reset: true });
      await expect(lab.request(ACR, '/v2/')).rejects.toMatchObject({ code: 'ECONNRESET' });
      lab.clearFaults();
      lab.fault(ACR, { status: 503, body: 'upstream down' });
      const down = await lab.request(ACR, '/v2/');
      expect([down.status, down.body.toString()]).toEqual([503, 'upstream down']);
    });

    it('records every request without token values', async () => {
      const before = lab.requests.length;
      const token = await acrPullToken(ACR, 'aad-token-kubelet', 'team/app');
      await getManifest(ACR, 'team/app', 'v1', token);
      const recorded = lab.requests.slice(before);
      expect(recorded).toEqual([
        { host: ACR, method: 'POST', path: '/oauth2/exchange', status: 200, authorization: 'none' },
        { host: ACR, method: 'POST', path: '/oauth2/token', status: 200, authorization: 'none' },
        { host: ACR, method: 'GET', path: '/v2/team/app/manifests/v1', status: 200, authorization: 'bearer' },
      ]);
      expect(JSON.stringify(lab.requests)).not.toContain(token.slice(0, 40));
    });

    it('offers an address that accepts connections and never answers, and one that refuses them', async () => {
      const started = Date.now();
      await expect(labRequest({ address: lab.stallAddress, host: ACR, path: '/v2/', timeoutMs: 300 })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
      expect(Date.now() - started).toBeLessThan(5000);
      await expect(labRequest({ address: lab.refusedAddress, host: ACR, path: '/v2/' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    });
  });

  describe('fake DNS', () => {
    const resolver = () => {
      const r = new Resolver({ timeout: 300, tries: 1 });
      r.setServers([lab.dnsServer]);
      return r;
    };

    it('resolves every lab host to the front by default, with NODATA for AAAA and NXDOMAIN for unknown names', async () => {
      const r = resolver();
      expect(await r.resolve4(ACR)).toEqual([lab.address]);
      expect(await r.resolve4('AUTH.docker.io')).toEqual([lab.address]);
      await expect(r.resolve6(ACR)).rejects.toMatchObject({ code: 'ENODATA' });
      await expect(r.resolveCname(ACR)).rejects.toMatchObject({ code: 'ENODATA' });
      await expect(r.resolve4('nope.azurecr.io')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    });

    it('follows CNAME chains like a recursive resolver, with TTLs', async () => {
      const r = resolver();
      lab.dns.set('chain.azurecr.io', { cname: 'chain.privatelink.azurecr.io' });
      lab.dns.set('chain.privatelink.azurecr.io', { cname: 'weu.fe.azcr.io', ttl: 30 });
      lab.dns.set('weu.fe.azcr.io', { a: ['10.1.2.3', '10.1.2.4'], aaaa: ['fd00::1:2'], ttl: 120 });
      expect(await r.resolveCname('chain.azurecr.io')).toEqual(['chain.privatelink.azurecr.io']);
      expect(await r.resolveCname('chain.privatelink.azurecr.io')).toEqual(['weu.fe.azcr.io']);
      // c-ares reports the smallest TTL along the chain (the 30 s of the privatelink CNAME)
      expect(await r.resolve4('chain.azurecr.io', { ttl: true })).toEqual([
        { address: '10.1.2.3', ttl: 30 },
        { address: '10.1.2.4', ttl: 30 },
      ]);
      expect(await r.resolve4('weu.fe.azcr.io', { ttl: true })).toEqual([
        { address: '10.1.2.3', ttl: 120 },
        { address: '10.1.2.4', ttl: 120 },
      ]);
      expect(await r.resolve6('chain.azurecr.io')).toEqual(['fd00::1:2']);
      lab.dns.remove('weu.fe.azcr.io');
      await expect(r.resolve4('chain.azurecr.io')).rejects.toMatchObject({ code: 'ENOTFOUND' });
      expect(lab.dns.queries).toContainEqual({ name: 'chain.azurecr.io', type: 'AAAA' });
    });

    it('fails names on demand: SERVFAIL, or no answer at all', async () => {
      const r = resolver();
      lab.dns.set('flaky.azurecr.io', { a: ['127.0.0.9'] });
      lab.dns.servfail('flaky.azurecr.io');
      await expect(r.resolve4('flaky.azurecr.io')).rejects.toMatchObject({ code: 'ESERVFAIL' });
      lab.dns.drop('flaky.azurecr.io');
      const started = Date.now();
      await expect(r.resolve4('flaky.azurecr.io')).rejects.toMatchObject({ code: 'ETIMEOUT' });
      expect(Date.now() - started).toBeLessThan(3000);
      lab.dns.set('flaky.azurecr.io', { a: ['127.0.0.9'] });
      expect(await r.resolve4('flaky.azurecr.io')).toEqual(['127.0.0.9']);
    });
  });
});
