// README's tables stay in step with action.yml, the contract's check ids and package.json.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { VERSION } from '../../src/version.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const actionYml = readFileSync(join(root, 'action.yml'), 'utf8');

/** Names of the keys of one top-level section of action.yml (inputs: or outputs:). */
function yamlKeys(section: string): string[] {
  const body = new RegExp(`^${section}:\\n((?:  .*\\n|\\n)*)`, 'm').exec(actionYml)?.[1] ?? '';
  return [...body.matchAll(/^ {2}([a-z-]+):/gm)].map((m) => m[1]!);
}

/** First-column names of the README table between <!-- name:start --> and <!-- name:end -->. */
function tableNames(name: string): string[] {
  const block = new RegExp(`<!-- ${name}:start -->([\\s\\S]*?)<!-- ${name}:end -->`).exec(readme)?.[1] ?? '';
  return [...block.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!);
}

test.each([
  ['inputs', yamlKeys('inputs'), tableNames('inputs')],
  ['outputs', yamlKeys('outputs'), tableNames('outputs')],
])('README %s table lists exactly the %s of action.yml, in order', (_name, fromYaml, fromReadme) => {
  expect(fromYaml.length).toBeGreaterThan(3);
  expect(fromReadme).toEqual(fromYaml);
});

test('README checks table lists the check ids this engine emits', () => {
  expect(tableNames('checks')).toEqual(['cluster', 'registry', 'pull-permission', 'registry-network', 'registry-dns', 'registry-endpoint', 'image', 'in-cluster-pull', 'pod-symptoms', 'pull-secret']);
});

test('the quick start is exactly the two commands', () => {
  const quick = /## Quick start\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(quick).toBe('npm ci && npm run demo\nnpm test\n');
});

test('the report version is the package version', () => {
  expect(VERSION).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
});

test('the action runs on node24 from dist/index.js', () => {
  expect(actionYml).toMatch(/using: 'node24'\n\s+main: 'dist\/index\.js'/);
});
