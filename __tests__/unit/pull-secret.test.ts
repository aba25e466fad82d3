// The pull-secret judge: a non-ACR image needs a dockerconfigjson secret with an entry for its host, on
// the pod spec or its service account, in the workload's namespace. Never a false alarm (a public image),
// never a false pass (what cannot be seen).
import { check, entryServes, judgePullSecret, type PullSecretInput } from '../../src/checks/pull-secret.js';
import type { ImageFacts, ImageRef, ImageUse, InClusterRun, PullSecretFacts, ServiceAccountFacts, Status, Workload } from '../../src/model.js';
import { ran, runFailed } from './in-cluster-fixtures.js';

const ghcr: ImageRef = { input: 'ghcr.io/org/app:1', host: 'ghcr.io', repository: 'org/app', tag: '1' };

function workload(over: Partial<Workload> = {}): Workload {
  return {
    kind: 'Deployment',
    name: 'web',
    namespace: 'shop',
    source: { file: 'k8s/web.yaml', line: 1 },
    placement: { nodeSelector: {}, requiredTerms: [], tolerations: [] },
    imagePullSecrets: [],
    ...over,
  };
}
const use = (w: Workload): ImageUse => ({ source: { file: w.source.file, line: 20, workload: `${w.kind}/${w.name}`, container: 'web' }, workload: w, container: 'web', containerKind: 'containers' });
const withUse = (ref: ImageRef, w = workload()): ImageRef => ({ ...ref, uses: [use(w)] });

const lookup = (kind: 'needs-credentials' | 'found' | 'unreachable', auth: ImageFacts['auth'] = 'anonymous'): ImageFacts => ({
  ref: ghcr,
  registryHost: 'ghcr.io',
  auth,
  lookup: kind === 'found' ? { kind, mediaType: 'application/vnd.oci.image.index.v1+json', platforms: [{ os: 'linux', architecture: 'amd64' }], index: true } : { kind, detail: 'as the registry said' },
});
const secret = (over: Partial<PullSecretFacts> = {}): PullSecretFacts => ({ namespace: 'shop', name: 'ghcr-pull', type: 'kubernetes.io/dockerconfigjson', hosts: ['ghcr.io'], ...over });
const sa = (over: Partial<ServiceAccountFacts> = {}): ServiceAccountFacts => ({ namespace: 'shop', name: 'default', imagePullSecrets: [], ...over });

function input(run: Partial<InClusterRun> | undefined, over: Partial<PullSecretInput> = {}): PullSecretInput {
  return {
    ref: withUse(ghcr),
    registry: 'none',
    image: lookup('needs-credentials'),
    runs: run ? [{ cluster: { name: 'aks1', resourceGroup: 'rg' }, run: ran(run) }] : [],
    inCluster: run !== undefined,
    ...over,
  };
}

test.each<[string, PullSecretInput, Status, RegExp]>([
  ['the pod spec names a matching secret', input({ pullSecrets: [secret()] }, { ref: withUse(ghcr, workload({ imagePullSecrets: ['ghcr-pull'] })) }), 'pass', /the pod spec names ghcr-pull, a kubernetes\.io\/dockerconfigjson secret with an entry for ghcr\.io/],
  ['its service account names one', input({ pullSecrets: [secret()], serviceAccounts: [sa({ imagePullSecrets: ['ghcr-pull'] })] }), 'pass', /service account default names ghcr-pull/],
  ['a named service account names one', input({ pullSecrets: [secret()], serviceAccounts: [sa({ name: 'web', imagePullSecrets: ['ghcr-pull'] })] }, { ref: withUse(ghcr, workload({ serviceAccountName: 'web' })) }), 'pass', /service account web names ghcr-pull/],
  ['none is named', input({ pullSecrets: [secret()], serviceAccounts: [sa()] }), 'fail', /Neither the pod spec nor service account default names an imagePullSecret/],
  ['the named secret lives in another namespace', input({ pullSecrets: [secret({ namespace: 'default' })] }, { ref: withUse(ghcr, workload({ imagePullSecrets: ['ghcr-pull'] })) }), 'fail', /exists only in namespace default: pull secrets are namespace-local, so create it in shop/],
  ['the named secret has no entry for the host', input({ pullSecrets: [secret({ hosts: ['https://index.docker.io/v1/'] })] }, { ref: withUse(ghcr, workload({ imagePullSecrets: ['ghcr-pull'] })) }), 'fail', /whose entries \(https:\/\/index\.docker\.io\/v1\/\) do not include ghcr\.io/],
  ['the named secret is Opaque', input({ pullSecrets: [secret({ type: 'Opaque' })] }, { ref: withUse(ghcr, workload({ imagePullSecrets: ['ghcr-pull'] })) }), 'fail', /of type Opaque: the kubelet only uses kubernetes\.io\/dockerconfigjson/],
  ['the named secret does not exist', input({ pullSecrets: [] }, { ref: withUse(ghcr, workload({ imagePullSecrets: ['nope'] })) }), 'fail', /names nope, which does not exist in namespace shop/],
  ['a usable secret in another namespace is pointed out', input({ pullSecrets: [secret({ namespace: 'other' })], serviceAccounts: [sa()] }), 'fail', /exists in another namespace \(other\/ghcr-pull\)/],
  ['a public image needs none (never a false alarm)', input({ pullSecrets: [] }, { image: lookup('found') }), 'pass', /without credentials, so the kubelet can too/],
  ['whether the host needs credentials is unknown and no secret is named', input({ pullSecrets: [], serviceAccounts: [sa()] }, { image: lookup('unreachable') }), 'unknown', /Whether ghcr\.io needs credentials is not known/],
  ['without an in-cluster run the service account cannot be seen (never a false pass)', input(undefined), 'unknown', /cannot be seen without an in-cluster run \(in-cluster: true\)/],
  ['without an in-cluster run a named secret cannot be opened', input(undefined, { ref: withUse(ghcr, workload({ imagePullSecrets: ['ghcr-pull'] })) }), 'unknown', /the pod spec names ghcr-pull, but whether it holds an entry for the host cannot be seen/],
  [
    'an ACR that is not a registry input may need a secret (another tenant)',
    input({ pullSecrets: [], serviceAccounts: [sa()] }, { ref: withUse({ input: 'other.azurecr.io/app:1', host: 'other.azurecr.io', repository: 'app', tag: '1' }) }),
    'warn',
    /add it to the registry input\. Managed identities cannot cross tenants: an ACR in another tenant needs a pull secret/,
  ],
  [
    'a registry input that did not resolve may be in another tenant',
    input({ pullSecrets: [], serviceAccounts: [sa()] }, { ref: withUse({ input: 'far.azurecr.io/app:1', host: 'far.azurecr.io', repository: 'app', tag: '1' }), registry: 'unresolved' }),
    'unknown',
    /could not be resolved \(see the registry check\); it may be in another tenant/,
  ],
  ['an image from images alone is judged for the default service account', input({ pullSecrets: [secret({ namespace: 'default' })], serviceAccounts: [sa({ namespace: 'default', imagePullSecrets: ['ghcr-pull'] })] }, { ref: ghcr }), 'pass', /A pod with the default service account/],
  ['a manifest without a namespace is taken as default, and says so', input({ pullSecrets: [], serviceAccounts: [] }, { ref: withUse(ghcr, workload({ namespace: undefined as never })) }), 'fail', /\(no namespace in the manifest: default assumed\)/],
  [
    'a namespace the run did not read is not a missing secret (never a false alarm)',
    input({ pullSecrets: [], serviceAccounts: [sa({ namespace: 'default' })] }, { ref: withUse(ghcr, workload({ imagePullSecrets: ['ghcr-pull'] })), namespace: 'default' }),
    'unknown',
    /namespace shop was not read \(the in-cluster run reads namespace default, the namespace input\)/,
  ],
])('%s', (_name, given, status, detail) => {
  const f = judgePullSecret(given);
  expect(f).toMatchObject({ id: 'pull-secret', status, image: given.ref.input });
  expect(f.detail).toMatch(detail);
  if (status === 'fail') expect(f.fix).toMatch(/^kubectl create secret docker-registry <secret-name> --docker-server=ghcr\.io .* --namespace (shop|default)\nkubectl patch serviceaccount/);
  if (given.ref.uses) expect([f.source, f.sources]).toEqual([given.ref.uses[0]!.source, given.ref.uses.map((u) => u.source)]);
});

test('secrets the run could not read (Forbidden) are unseen, not missing: unknown, never a fail', () => {
  const forbidden = { what: 'listing secrets', code: 'KubernetesForbidden', message: 'secrets is forbidden' };
  const f = judgePullSecret(input({ pullSecrets: [], serviceAccounts: [sa()], failures: { pullSecrets: forbidden } }, { ref: withUse(ghcr, workload({ imagePullSecrets: ['ghcr-pull'] })) }));
  expect(f.status).toBe('unknown');
  expect(f.detail).toMatch(/could not be read: listing secrets failed \(KubernetesForbidden\): secrets is forbidden/);
  expect(f.detail).not.toMatch(/does not exist/);
});

test('a run that failed leaves the secrets unseen: unknown, with the reason', () => {
  const f = judgePullSecret({ ...input({}), runs: [{ cluster: { name: 'aks1', resourceGroup: 'rg' }, run: runFailed('KubernetesForbidden') }] });
  expect(f.status).toBe('unknown');
  expect(f.detail).toMatch(/In aks1 the secrets could not be read: The command ran with the signed-in identity's Kubernetes RBAC/);
});

test('with in-cluster but no cluster read, nothing is a pass', () => {
  expect(judgePullSecret({ ...input({}), runs: [] }).status).toBe('unknown');
});

test.each<[string, string, ImageRef['host'], string, boolean]>([
  ['https://index.docker.io/v1/', 'the classic Docker Hub key', 'docker.io', 'library/nginx', true],
  ['docker.io', 'docker.io', 'docker.io', 'library/nginx', true],
  ['index.docker.io', 'index.docker.io', 'docker.io', 'library/nginx', true],
  ['registry-1.docker.io', 'the registry host', 'docker.io', 'library/nginx', true],
  ['ghcr.io', 'a Docker Hub key is not for ghcr.io', 'docker.io', 'library/nginx', false],
  ['https://ghcr.io', 'with a scheme', 'ghcr.io', 'org/app', true],
  ['ghcr.io/org', 'a repository prefix', 'ghcr.io', 'org/app', true],
  ['ghcr.io/other', 'another repository prefix', 'ghcr.io', 'org/app', false],
  ['ghcr.io/or', 'a prefix is whole path segments', 'ghcr.io', 'org/app', false],
  ['*.example.com', 'a glob per label', 'registry.example.com', 'app', true],
  ['*.example.com', 'a glob matches one label only', 'a.b.example.com', 'app', false],
  ['registry.example.com:5000', 'the port must be equal', 'registry.example.com', 'app', false],
  ['registry.example.com:5000', 'the same port', 'registry.example.com:5000', 'app', true],
  ['REGISTRY.example.com/v2/', 'case and /v2/ ignored', 'registry.example.com', 'app', true],
])('auths key %s (%s)', (key, _why, host, repository, serves) => {
  expect(entryServes(key, { host, repository })).toBe(serves);
});

test.each<[string, PullSecretInput]>([
  ['an image on a checked ACR (pull-permission speaks for it)', input({}, { ref: withUse({ input: 'myacr.azurecr.io/app:1', host: 'myacr.azurecr.io', repository: 'app', tag: '1' }), registry: 'checked' })],
  ['a placeholder (the image check warns on its line)', input({}, { ref: withUse({ input: 'ghcr.io/org/app:${TAG}', host: 'ghcr.io', repository: 'org/app', unusable: { kind: 'placeholder', detail: 'unrendered' } }) })],
])('no finding for %s', (_name, given) => {
  expect(check.judge(given)).toEqual([]);
});

test('an untagged image still gets its finding', () => {
  const f = check.judge(input({ pullSecrets: [secret({ namespace: 'default' })], serviceAccounts: [sa({ namespace: 'default', imagePullSecrets: ['ghcr-pull'] })] }, { ref: { ...ghcr, unusable: { kind: 'untagged', detail: 'no tag' } } }));
  expect(f).toMatchObject({ id: 'pull-secret', status: 'pass' });
});
