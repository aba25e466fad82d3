// The npm package as it ships. `npm pack` holds exactly dist/, action.yml, README.md, LICENSE,
// CHANGELOG.md and schema/ (and package.json, which npm always adds). The packed tarball, installed
// offline into an empty folder with an empty npm cache, gives a CLI that answers --help and --version on
// Node 24: it needs nothing from the registry, since dist/ is self-contained and the package has no
// runtime dependencies.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, sep } from 'node:path';
import { NODE, ROOT } from '../harness/run-action.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: object };

/** every file under a folder of the project, as a path from the project root with '/' inside it */
const filesUnder = (folder: string) =>
  readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(ROOT, folder, f)).isFile())
    .map((f) => `${folder}/${f.split(sep).join('/')}`)
    .sort();

let work = '';
/** npm or npx on Node 24 (its folder first on PATH, so `#!/usr/bin/env node` finds it), with an empty cache of its own */
const run = (command: 'npm' | 'npx', args: string[], cwd: string) =>
  execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dirname(NODE)}${delimiter}${process.env.PATH ?? ''}`, npm_config_cache: join(work, 'cache'), npm_config_update_notifier: 'false' },
  });

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'preflight-pack-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('npm pack holds exactly dist/, action.yml, README.md, LICENSE, CHANGELOG.md, schema/ and package.json', () => {
  const [packed] = JSON.parse(run('npm', ['pack', '--dry-run', '--json'], ROOT)) as [{ files: { path: string }[] }];
  const paths = packed.files.map((f) => f.path).sort();
  expect([...new Set(paths.map((p) => p.split('/')[0]))].sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'action.yml', 'dist', 'package.json', 'schema']);
  // all of dist/ (its own package.json and licenses.txt too), and the report's schema
  expect(paths.filter((p) => p.startsWith('dist/'))).toEqual(filesUnder('dist'));
  expect(paths).toContain('schema/report.schema.json');
});

test('the packed tarball installs offline with an empty cache, and its CLI answers --help and --version', () => {
  expect(pkg.dependencies).toBeUndefined();
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], ROOT)) as [{ filename: string }];
  expect(packed.filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
  const app = join(work, 'app');
  mkdirSync(app);
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', join(work, packed.filename)], app);

  // the package alone: nothing else was installed beside it
  expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual([pkg.name]);

  expect(run('npx', ['--offline', 'aks-acr-preflight', '--version'], app)).toBe(`${pkg.version}\n`);
  const help = run('npx', ['--offline', 'aks-acr-preflight', '--help'], app);
  expect(help).toMatch(new RegExp(`^aks-acr-preflight ${pkg.version.replace(/\./g, '\\.')}: can this AKS cluster pull`));
  expect(help).toMatch(/^ {2}--cluster <name\|resource ID>\.\.\. +The AKS cluster/m);
  expect(help).toMatch(/^ {2}-v, --version +the version$/m);
}, 120_000);
