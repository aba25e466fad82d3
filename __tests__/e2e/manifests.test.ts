// The `manifests` input end to end: the bundled action (dist/index.js) as a child process, the
// workspace in GITHUB_WORKSPACE, the fake Azure recording every request it gets.
import { fileURLToPath } from 'node:url';
import { standardWorld } from '../fake-azure/fixtures.js';
import { runAction, type ActionRun } from '../harness/run-action.js';
import { IMAGES, oidcRun } from '../harness/scenarios.js';
import { fake, lab, useLab } from '../harness/lab-suite.js';

const WORKSPACE = fileURLToPath(new URL('../fixtures/manifests', import.meta.url));

useLab();
beforeEach(() => {
  fake.reset(standardWorld());
});

async function run(inputs: Record<string, string>): Promise<ActionRun> {
  const base = oidcRun(fake.url, lab);
  return runAction({ inputs: { ...base.inputs, 'fail-on': 'never', ...inputs }, env: { ...base.env, GITHUB_WORKSPACE: WORKSPACE } });
}

const messages = (r: ActionRun, level: string) => r.commands.filter((c) => c.command === level).map((c) => c.message);

test.each<[string, string, string, Record<string, string>]>([
  ['malformed YAML', 'lab/\nmalformed.yaml', 'malformed.yaml:11:18: not valid YAML (or JSON): Nested mappings are not allowed in compact mappings', { file: 'malformed.yaml', line: '11', col: '18' }],
  ['malformed JSON', 'malformed-json.json', 'malformed-json.json:5:44: not valid YAML (or JSON)', { file: 'malformed-json.json', line: '5', col: '44' }],
  ['a pattern that matches no file', 'lab/\nk8s/**/*.yaml', 'k8s/**/*.yaml: matches no file', {}],
])('%s fails the step naming the place (annotated on it), before any Azure request, without a report', async (_name, manifests, where, place) => {
  const r = await run({ manifests });
  expect(r.status).toBe(1);
  expect(messages(r, 'error')).toEqual([expect.stringContaining(`aks-acr-preflight failed: Input 'manifests': ${where}`)]);
  const { title, ...properties } = r.commands.find((c) => c.command === 'error')?.properties ?? {};
  expect(properties).toEqual(place);
  expect(title).toBe(place.file ? 'aks-acr-preflight: manifests' : undefined);
  expect(messages(r, 'error')[0]).toContain('Accepted: files, directories (read recursively for *.yaml, *.yml and *.json) or globs');
  expect(fake.requests).toEqual([]);
  expect(r.report).toBeUndefined();
  expect(r.outputs.images).toBeUndefined();
});

test('the images output lists the references checked, `images` first, then the manifests in first-seen order, each once; placeholders left out', async () => {
  const r = await run({ images: IMAGES.nginx, manifests: 'lab/\nuntagged.yaml\nplaceholders.yaml' });
  expect(r.outputs.images?.split('\n')).toEqual([
    'nginx:1.27',
    'myacr.azurecr.io/team/app:1.0',
    'myacr.azurecr.io/team/legacy:2.3',
    'nginx',
    'myacr.azurecr.io/shop/web',
    'nginx:latest',
  ]);
  expect(r.stdout).toContain('manifests: 3 files, 4 workloads, 12 container images (10 distinct references)');
  // every image of the merge is a finding of the image check, once; the placeholders too (they are no reference, so not in the output)
  const images = r.report.checks.filter((c: { id: string }) => c.id === 'image').map((c: { image: string }) => c.image);
  expect(images).toEqual(expect.arrayContaining(['nginx:1.27', 'myacr.azurecr.io/team/app:1.0', 'myacr.azurecr.io/team/legacy:2.3', 'nginx', 'nginx:latest']));
  expect(images.filter((i: string) => i === 'myacr.azurecr.io/team/app:1.0')).toHaveLength(1);
  expect(images).toContain('myacr.azurecr.io/shop/sidecar:${SIDECAR_TAG}');
});

test('manifests that name no image: one notice, and the run goes on with the images input', async () => {
  const r = await run({ images: IMAGES.app, manifests: 'empty.yaml' });
  expect(r.status).toBe(0);
  expect(messages(r, 'notice')).toContainEqual(expect.stringContaining('The manifests (empty.yaml) name no container image'));
  expect(r.outputs.images).toBe(IMAGES.app);
  expect(r.report.checks.find((c: { id: string }) => c.id === 'image')?.status).toBe('pass');
});
