// The `manifests` input: files, directories and globs → workloads → images with their places, merged
// with `images`. Real files under __tests__/fixtures/manifests/, no mocks.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli.js';
import { InputError } from '../../src/config.js';
import { parseImageRef } from '../../src/image-ref.js';
import { manifestFiles, readManifest } from '../../src/manifests/files.js';
import { mergeImages } from '../../src/manifests/images.js';
import { loadManifests } from '../../src/manifests/index.js';
import { parseManifest } from '../../src/manifests/parse.js';
import type { Config, ImageRef, ImageUse, PodPlacement } from '../../src/model.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/manifests', import.meta.url));

/** The fields loadManifests reads; the rest of Config does not matter here. */
const configOf = (manifests: string[], images: string[] = []) => ({ manifests, images: images.map(parseImageRef) }) as unknown as Config;
const load = (manifests: string[], images: string[] = []) => loadManifests(configOf(manifests, images), FIXTURES);
const usesOf = async (file: string) => (await load([file])).config.images.flatMap((i) => i.uses ?? []);
const where = (u: ImageUse) => [u.source.workload, u.source.container, u.source.line, u.source.endLine, u.source.column];

/**
 * Hand-counted: the line is the 1-based line the image value is on, as an editor numbers it; the column
 * is the 1-based character position of the value's first character (the opening quote when quoted, the
 * `>-` of a block scalar, a tab counting as one), i.e. the indentation plus `image: ` (7) or `- image: `
 * (9) plus one. For example multi-document.yaml line 31 is 10 spaces, `image: `, then the value: 18.
 */
test.each<[file: string, workload: string, container: string, line: number, endLine: number, column: number]>([
  ['multi-document.yaml', 'Deployment/web', 'web', 31, 31, 18],
  ['multi-document.yaml', 'Deployment/web', 'metrics', 35, 35, 18],
  // through the alias *web (line 57): the value is where the anchor &web wrote it
  ['multi-document.yaml', 'StatefulSet/web-canary', 'web', 40, 40, 10],
  // through the `<<: *agent` merge key
  ['multi-document.yaml', 'DaemonSet/node-agent', 'agent', 85, 85, 10],
  ['helm-rendered.yaml', 'Deployment/release-shop', 'volume-permissions', 61, 61, 18],
  ['helm-rendered.yaml', 'Deployment/release-shop', 'migrate', 67, 67, 18],
  ['helm-rendered.yaml', 'Deployment/release-shop', 'shop', 73, 73, 18],
  ['helm-rendered.yaml', 'Pod/release-shop-test-connection', 'wget', 100, 100, 14],
  ['kustomize.yaml', 'Deployment/prod-api', 'api', 52, 52, 16],
  // a folded block scalar: from its `>-` to the line the value is on
  ['cronjob.yaml', 'CronJob/nightly-report', 'report', 24, 25, 22],
  ['rollout.yaml', 'Rollout/rollouts-demo', 'rollouts-demo', 24, 24, 18],
  ['list.yaml', 'ReplicaSet/legacy-5d8f7c', 'legacy', 13, 13, 18],
  ['list.yaml', 'ReplicationController/old-rc', 'legacy', 23, 23, 18],
  ['list.yaml', 'ReplicationController/old-rc', 'probe', 25, 25, 18],
  // 5 tabs, then {"name": "migrate", "image":  (29 characters), then the value
  ['job.json', 'Job/db-migrate', 'migrate', 14, 14, 35],
  ['placeholders.yaml', 'Deployment/templated', 'app', 11, 11, 18],
  ['placeholders.yaml', 'Deployment/templated', 'empty', 17, 17, 18],
  ['untagged.yaml', 'Pod/debug', 'shell', 8, 8, 14],
  ['untagged.yaml', 'Pod/debug', 'debugger', 15, 15, 14],
])('%s: %s container %s is on line %i (to %i), column %i', async (file, workload, container, line, endLine, column) => {
  const uses = await usesOf(file);
  const use = uses.find((u) => u.source.workload === workload && u.source.container === container);
  expect(use && where(use)).toEqual([workload, container, line, endLine, column]);
  expect(use?.source.file).toBe(file);
  expect(use?.workload.source.file).toBe(file);
});

test('rendered Helm output: each image keeps its `# Source:` template beside the rendered line', async () => {
  const uses = await usesOf('helm-rendered.yaml');
  expect(uses.map((u) => [u.container, u.containerKind, u.source.template])).toEqual([
    ['volume-permissions', 'initContainers', 'shop/templates/deployment.yaml'],
    ['migrate', 'initContainers', 'shop/templates/deployment.yaml'],
    ['shop', 'containers', 'shop/templates/deployment.yaml'],
    ['wget', 'containers', 'shop/templates/tests/test-connection.yaml'],
  ]);
  // a file without Source lines has no template
  expect((await usesOf('kustomize.yaml')).map((u) => u.source.template)).toEqual([undefined]);
});

/** A one-object manifest of a kind, its pod spec where that kind keeps it. */
function manifestOf(kind: string, apiVersion = 'apps/v1'): string {
  const pod = 'containers:\n  - name: c\n    image: myacr.azurecr.io/app:1';
  const indent = (s: string, n: number) => s.replace(/^/gm, ' '.repeat(n));
  const spec = kind === 'Pod' ? `spec:\n${indent(pod, 2)}` : kind === 'CronJob' ? `spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${indent(pod, 10)}` : `spec:\n  template:\n    spec:\n${indent(pod, 6)}`;
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n${spec}\n`;
}

test.each([
  ['Deployment'],
  ['StatefulSet'],
  ['DaemonSet'],
  ['ReplicaSet'],
  ['ReplicationController'],
  ['Job'],
  ['CronJob'],
  ['Pod'],
  ['Rollout'],
  // any object with a pod template: Knative's Service, an operator's CRD, …
  ['Service'],
  ['ScaledJob'],
])('%s with a pod spec is a workload', (kind) => {
  const parsed = parseManifest(manifestOf(kind), 'x.yaml');
  expect(parsed.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual([`${kind}/x`]);
  expect(parsed.images.map((i) => i.image)).toEqual(['myacr.azurecr.io/app:1']);
});

test.each([
  ['a ConfigMap', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  image: nginx:1\n'],
  ['a Service', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports: [{port: 80}]\n'],
  ['a CRD', 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a.b\nspec:\n  group: b\n'],
  ['a Rollout with a workloadRef', 'kind: Rollout\nspec:\n  workloadRef: {kind: Deployment, name: d}\n'],
  ['a Pod without a spec', 'kind: Pod\nmetadata: {name: p}\n'],
  ['a scalar document', 'just text\n'],
  ['an empty document', '---\n# nothing\n---\n'],
  ['an empty file', ''],
  ['a top-level sequence', '- kind: Pod\n  spec: {containers: [{name: a, image: "nginx:1"}]}\n'],
])('%s is not a workload: nothing, silently', (_name, text) => {
  expect(parseManifest(text, 'x.yaml')).toEqual({ workloads: [], images: [] });
});

test('a List holds workloads, a nested List too; its ConfigMaps are skipped', async () => {
  const read = await load(['list.yaml']);
  expect(read.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual(['ReplicaSet/legacy-5d8f7c', 'ReplicationController/old-rc']);
  expect(read.workloads[0]?.namespace).toBe('default');
});

test.each<[file: string, workload: string, want: { placement: PodPlacement; serviceAccountName?: string; imagePullSecrets: string[]; namespace?: string }]>([
  [
    'multi-document.yaml',
    'Deployment/web',
    { placement: { nodeSelector: { 'kubernetes.io/os': 'linux' }, requiredTerms: [], tolerations: [] }, serviceAccountName: 'web', imagePullSecrets: ['dockerhub'], namespace: 'shop' },
  ],
  [
    'multi-document.yaml',
    'StatefulSet/web-canary',
    {
      placement: {
        nodeSelector: {},
        requiredTerms: [
          [
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
            { key: 'kubernetes.azure.com/agentpool', operator: 'NotIn', values: ['system'] },
          ],
          [{ key: 'kubernetes.io/os', operator: 'Exists', values: [] }],
        ],
        tolerations: [],
      },
      imagePullSecrets: [],
      namespace: 'shop',
    },
  ],
  [
    'multi-document.yaml',
    'DaemonSet/node-agent',
    // serviceAccount: the deprecated spelling of serviceAccountName
    {
      placement: { nodeSelector: {}, requiredTerms: [], tolerations: [{ operator: 'Exists' }, { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] },
      serviceAccountName: 'node-agent',
      imagePullSecrets: [],
      namespace: 'kube-system',
    },
  ],
  [
    'helm-rendered.yaml',
    'Deployment/release-shop',
    { placement: { nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' }, requiredTerms: [], tolerations: [] }, serviceAccountName: 'release-shop', imagePullSecrets: [] },
  ],
  [
    'kustomize.yaml',
    'Deployment/prod-api',
    {
      placement: { nodeSelector: {}, requiredTerms: [], tolerations: [{ effect: 'NoSchedule', key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot' }] },
      imagePullSecrets: [],
      namespace: 'shop-prod',
    },
  ],
  [
    'cronjob.yaml',
    'CronJob/nightly-report',
    {
      placement: { nodeSelector: { 'kubernetes.azure.com/agentpool': 'batch' }, requiredTerms: [], tolerations: [{ key: 'workload', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }] },
      imagePullSecrets: [],
      namespace: 'shop',
    },
  ],
  ['job.json', 'Job/db-migrate', { placement: { nodeSelector: {}, requiredTerms: [], tolerations: [] }, imagePullSecrets: ['acr-pull', 'ghcr'], namespace: 'shop' }],
])('%s: %s lands where its pod spec says', async (file, label, want) => {
  const w = (await load([file])).workloads.find((x) => `${x.kind}/${x.name}` === label);
  expect(w && { placement: w.placement, serviceAccountName: w.serviceAccountName, imagePullSecrets: w.imagePullSecrets, namespace: w.namespace }).toEqual({
    serviceAccountName: undefined,
    namespace: undefined,
    ...want,
  });
});

test("a workload's source is where its object starts", async () => {
  const w = (await load(['helm-rendered.yaml'])).workloads;
  expect(w.map((x) => [x.source.workload, x.source.line, x.source.template])).toEqual([
    ['Deployment/release-shop', 36, 'shop/templates/deployment.yaml'],
    ['Pod/release-shop-test-connection', 88, 'shop/templates/tests/test-connection.yaml'],
  ]);
});

type Summary = [input: string, uses: string[], unusable?: ImageRef['unusable'] extends infer U ? (U extends { kind: infer K } ? K : never) : never];
const summary = (refs: ImageRef[]): Summary[] =>
  refs.map((r) => [r.input, (r.uses ?? []).map((u) => `${u.source.file}:${u.source.line} ${u.source.workload} ${u.source.container}`), ...(r.unusable ? [r.unusable.kind] : [])] as Summary);

test('merge: one ImageRef per distinct reference, first-seen order, every place under uses; `images` first', async () => {
  const read = await load(['multi-document.yaml', 'helm-rendered.yaml'], ['myacr.azurecr.io/shop/web:2.4.1', 'alpine:3.20']);
  expect(summary(read.config.images)).toEqual([
    [
      'myacr.azurecr.io/shop/web:2.4.1',
      [
        'multi-document.yaml:31 Deployment/web web',
        'multi-document.yaml:40 StatefulSet/web-canary web',
        'helm-rendered.yaml:67 Deployment/release-shop migrate',
        'helm-rendered.yaml:73 Deployment/release-shop shop',
      ],
    ],
    ['alpine:3.20', []],
    ['mcr.microsoft.com/oss/prometheus/node-exporter:v1.8.2', ['multi-document.yaml:35 Deployment/web metrics']],
    ['myacr.azurecr.io/ops/agent:1.0', ['multi-document.yaml:85 DaemonSet/node-agent agent']],
    ['docker.io/bitnami/os-shell:12-debian-12-r16', ['helm-rendered.yaml:61 Deployment/release-shop volume-permissions']],
    ['busybox', ['helm-rendered.yaml:100 Pod/release-shop-test-connection wget'], 'untagged'],
  ]);
  expect(read.summary).toBe('manifests: 2 files, 5 workloads, 8 container images (5 distinct references)');
  expect(read.notice).toBeUndefined();
});

test("merge: the config's own images are not changed", async () => {
  const config = configOf(['helm-rendered.yaml'], ['busybox']);
  const read = await loadManifests(config, FIXTURES);
  expect(config.images[0]?.uses).toBeUndefined();
  expect(config.images[0]?.unusable).toBeUndefined();
  expect(read.config.images[0]?.unusable?.kind).toBe('untagged');
});

test('untagged: nginx, docker.io/library/nginx are one image, flagged; nginx:latest says its tag and is another', async () => {
  const refs = (await load(['untagged.yaml'])).config.images;
  expect(summary(refs)).toEqual([
    ['nginx', ['untagged.yaml:8 Pod/debug shell', 'untagged.yaml:15 Pod/debug debugger'], 'untagged'],
    ['myacr.azurecr.io/shop/web', ['untagged.yaml:10 Pod/debug app'], 'untagged'],
    ['nginx:latest', ['untagged.yaml:12 Pod/debug pinned']],
  ]);
  // still looked up as :latest by the image check
  expect(refs.map((r) => [r.host, r.repository, r.tag])).toEqual([
    ['docker.io', 'library/nginx', 'latest'],
    ['myacr.azurecr.io', 'shop/web', 'latest'],
    ['docker.io', 'library/nginx', 'latest'],
  ]);
  expect(refs[0]?.unusable?.detail).toContain("The image 'nginx' of Pod/debug container shell has no tag or digest");
});

test('an images entry without a tag is flagged only when a manifest uses it (images alone behave as before)', () => {
  const found = parseManifest(manifestOf('Pod').replace('myacr.azurecr.io/app:1', 'myacr.azurecr.io/app'), 'x.yaml').images;
  const [withUse, alone] = mergeImages([parseImageRef('myacr.azurecr.io/app'), parseImageRef('nginx')], found);
  expect(withUse?.unusable?.kind).toBe('untagged');
  expect(withUse?.uses?.map((u) => u.source.line)).toEqual([8]);
  expect(alone?.unusable).toBeUndefined();
});

test('an images entry that a manifest names too is marked given (judged on every pool); one named by a manifest alone is not', () => {
  const found = parseManifest(manifestOf('Pod'), 'x.yaml').images;
  const [entry] = mergeImages([parseImageRef('myacr.azurecr.io/app:1')], found);
  expect(entry).toMatchObject({ input: 'myacr.azurecr.io/app:1', given: true });
  expect(entry?.uses).toHaveLength(1);
  const [fromManifest] = mergeImages([], found);
  expect(fromManifest?.given).toBeUndefined();
});

test('a digest makes a reference distinct; tag and digest written keep both', () => {
  const text = ['a:1', 'a:1@sha256:' + 'a'.repeat(64), 'a@sha256:' + 'a'.repeat(64), 'docker.io/library/a:1'].map((image, i) => manifestOf('Pod').replace('myacr.azurecr.io/app:1', image).replace('name: x', `name: p${i}`)).join('---\n');
  const refs = mergeImages([], parseManifest(text, 'x.yaml').images);
  expect(refs.map((r) => [r.input, r.uses?.length, r.unusable])).toEqual([
    ['a:1', 2, undefined],
    [`a:1@sha256:${'a'.repeat(64)}`, 1, undefined],
    [`a@sha256:${'a'.repeat(64)}`, 1, undefined],
  ]);
});

test.each<[container: string, input: string, host: string, repository: string]>([
  ['app', '{{ .Values.image.repository }}:{{ .Values.image.tag }}', '', ''],
  ['sidecar', 'myacr.azurecr.io/shop/sidecar:${SIDECAR_TAG}', 'myacr.azurecr.io', 'shop/sidecar'],
  ['proxy', '$(REGISTRY)/envoy:v1.31', '', ''],
  ['empty', '', '', ''],
])('placeholder (%s): %s is flagged, not looked up, with a best-effort name', async (container, input, host, repository) => {
  const refs = (await load(['placeholders.yaml'])).config.images;
  const ref = refs.find((r) => r.uses?.[0]?.container === container);
  expect(ref && [ref.input, ref.host, ref.repository, ref.tag, ref.digest, ref.unusable?.kind]).toEqual([input, host, repository, undefined, undefined, 'placeholder']);
  expect(ref?.unusable?.detail).toMatch(container === 'empty' ? /is empty/ : /unrendered template placeholder/);
});

test('a placeholder with a registry but no repository keeps the registry', () => {
  const found = parseManifest(manifestOf('Pod').replace('myacr.azurecr.io/app:1', 'myacr.azurecr.io/{{ .Values.name }}:1'), 'x.yaml').images;
  expect(mergeImages([], found).map((r) => [r.host, r.repository])).toEqual([['myacr.azurecr.io', '']]);
});

test.each<[name: string, patterns: string[], files: string[]]>([
  ['a file as named', ['kustomize.yaml'], ['kustomize.yaml']],
  ['a directory, recursively, only *.yaml, *.yml and *.json', ['tree'], ['tree/base/deployment.yml', 'tree/overlays/prod/job.yaml', 'tree/overlays/prod/kustomization.yaml']],
  ['a directory with a trailing slash and ./', ['./tree/base/'], ['tree/base/deployment.yml']],
  ['a glob', ['tree/**/*.yaml'], ['tree/overlays/prod/job.yaml', 'tree/overlays/prod/kustomization.yaml']],
  ['a glob matching directories reads them', ['tree/*'], ['tree/base/deployment.yml', 'tree/overlays/prod/job.yaml', 'tree/overlays/prod/kustomization.yaml']],
  ['each file once, in pattern order', ['tree/overlays/prod/job.yaml', 'tree'], ['tree/overlays/prod/job.yaml', 'tree/base/deployment.yml', 'tree/overlays/prod/kustomization.yaml']],
  ['an absolute path, named relative to the workspace', [join(FIXTURES, 'cronjob.yaml')], ['cronjob.yaml']],
])('files: %s', async (_name, patterns, files) => {
  expect((await manifestFiles(patterns, FIXTURES)).map((f) => f.file)).toEqual(files);
});

/** The message of the InputError `run` throws (and that it names input 'manifests'). */
async function inputError(run: () => Promise<unknown>): Promise<string> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).input).toBe('manifests');
  return (err as InputError).message;
}

test.each<[name: string, patterns: string[], message: string]>([
  ['malformed YAML names file:line:column', ['malformed.yaml'], "Input 'manifests': malformed.yaml:11:18: not valid YAML (or JSON): Nested mappings are not allowed in compact mappings. Accepted: files, directories"],
  ['malformed JSON names file:line:column', ['malformed-json.json'], "Input 'manifests': malformed-json.json:5:44: not valid YAML (or JSON): "],
  ['a file that is not there', ['k8s/app.yaml'], "Input 'manifests': k8s/app.yaml: matches no file (looked in "],
  ['a glob that matches nothing', ['k8s/**/*.yaml'], "Input 'manifests': k8s/**/*.yaml: matches no file"],
  ['a directory without manifests', ['docs-only'], "Input 'manifests': docs-only: matches no file"],
])('%s', async (_name, patterns, message) => {
  expect(await inputError(() => load(patterns))).toContain(message);
});

test('an alias without its anchor in the same document is malformed, at the alias', () => {
  const text = 'x: &c {name: a, image: "nginx:1"}\n---\nkind: Pod\nspec:\n  containers:\n    - *c\n';
  expect(() => parseManifest(text, 'pods.yaml')).toThrow("Input 'manifests': pods.yaml:6:7: not valid YAML: the alias *c names no anchor &c before it in its document");
});

test('the accepted forms are listed in every manifests error', async () => {
  expect(await inputError(() => load(['nope']))).toContain('Accepted: files, directories (read recursively for *.yaml, *.yml and *.json) or globs (e.g. k8s/**/*.yaml), one per line, relative to the workspace');
});

test('an unreadable file is named', async () => {
  expect(await inputError(() => readManifest({ file: 'tree/base', path: join(FIXTURES, 'tree', 'base') }))).toMatch(/^Input 'manifests': tree\/base: cannot be read \(EISDIR: /);
});

test('an image that is no reference is an error at its line and column', () => {
  const found = parseManifest(manifestOf('Deployment').replace('myacr.azurecr.io/app:1', 'MyApp:1'), 'k8s/app.yaml').images;
  let message = '';
  try {
    mergeImages([], found);
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toContain("Input 'manifests': k8s/app.yaml:10:18: the image 'MyApp:1' of Deployment/x container c is not a valid image reference: the repository name must be lower-case");
});

test('manifests without any image: a notice, not an error; the images input is still checked', async () => {
  const read = await load(['empty.yaml'], ['nginx:1.27']);
  expect(read.config.images.map((i) => i.input)).toEqual(['nginx:1.27']);
  expect(read.notice).toBe(
    'The manifests (empty.yaml) name no container image: no Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod, Rollout or other object with a pod spec (spec.template.spec) was found in them; only the images input is checked.',
  );
});

test('no manifests input: the config is returned as it is', async () => {
  const config = configOf([], ['nginx']);
  expect((await loadManifests(config, FIXTURES)).config).toBe(config);
});

test('the CLI reads manifests relative to its working directory, before any Azure call, and names the flag', async () => {
  let err = '';
  const argv = ['--cluster', '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1', '--registry', 'myacr', '--auth', 'azure-cli'];
  const cli = (more: string[]) => main({ argv: [...argv, ...more], env: {}, stdout: () => {}, stderr: (s) => (err += s), isTty: false, cwd: FIXTURES });
  expect(await cli(['--manifests', 'lab/', '--manifests', 'malformed.yaml'])).toBe(2);
  expect(err).toMatch(/^aks-acr-preflight: Flag '--manifests': malformed\.yaml:11:18: not valid YAML/);
});
