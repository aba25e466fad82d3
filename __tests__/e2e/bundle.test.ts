// The bundle as it runs and as it ships: the end-to-end tests run it on Node 24, the runtime action.yml
// declares (scripts/node24.mjs fetches it, the harness spawns it), and dist/ holds one build of both
// entries and nothing else.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { ROOT, nodeVersion, runAction } from '../harness/run-action.js';

const DIST = join(ROOT, 'dist');
/** every file of dist/, as a path with '/' inside it */
const distFiles = () =>
  readdirSync(DIST, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(DIST, f)).isFile())
    .map((f) => f.split(sep).join('/'))
    .sort();

test('the action runs on Node 24 in the end-to-end tests, as action.yml declares', async () => {
  expect(readFileSync(join(ROOT, 'action.yml'), 'utf8')).toMatch(/using: 'node24'/);
  // the real dist/index.js, with a module loaded before it in the same process that prints the version
  const r = await runAction({ inputs: {}, env: { NODE_OPTIONS: "--import=data:text/javascript,console.log('runtime:'+process.version)" } });
  expect(r.stdout.split('\n')[0]).toMatch(/^runtime:v24\.\d+\.\d+$/);
  expect(r.commands.find((c) => c.command === 'error')?.message).toMatch(/^aks-acr-preflight failed: Input 'cluster' is required/);
  expect(r.status).toBe(1);
});

test('the CLI end-to-end tests spawn the same Node 24', () => {
  expect(nodeVersion()).toMatch(/^v24\.\d+\.\d+$/);
});

test('dist/ is one build: the two entries, the chunks they share, the licences, ≤ 6 MB in all', () => {
  const files = distFiles();
  expect(files.filter((f) => !/^chunks\/[\w-]+\.js$/.test(f))).toEqual(['cli/index.js', 'index.js', 'licenses.txt', 'package.json']);
  expect(files.filter((f) => f.startsWith('chunks/')).length).toBeGreaterThan(1);
  // the CLI's entry is a few lines over the shared chunks, not a bundle of its own
  expect(statSync(join(DIST, 'cli', 'index.js')).size).toBeLessThan(20_000);
  expect(readFileSync(join(DIST, 'cli', 'index.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n[\s\S]*from ?"\.\.\/chunks\//);
  const bytes = files.reduce((sum, f) => sum + statSync(join(DIST, f)).size, 0);
  expect(bytes).toBeLessThanOrEqual(6_000_000);
});
