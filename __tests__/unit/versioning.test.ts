// One version everywhere it is written: package.json (and its lock), src/version.ts (the report's
// tool.version and the CLI's --version), README's Versioning section and CHANGELOG's top released entry.
// The release steps in README change them together; this test fails while they disagree.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { VERSION } from '../../src/version.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const version = (JSON.parse(read('package.json')) as { version: string }).version;
const changelog = read('CHANGELOG.md');
/** the README's section under a `## ` heading, up to the next one */
const readmeSection = (heading: string) => new RegExp(`^## ${heading}\\n([\\s\\S]*?)(?=^## )`, 'm').exec(read('README.md'))?.[1] ?? '';

test('package.json has a plain semver version', () => {
  expect(version).toMatch(/^\d+\.\d+\.\d+$/);
});

test.each([
  ['package-lock.json', () => (JSON.parse(read('package-lock.json')) as { version: string; packages: Record<string, { version: string }> }).packages['']!.version],
  ['src/version.ts', () => VERSION],
  ["README's Versioning section", () => /The current release is `([^`]+)`/.exec(readmeSection('Versioning'))?.[1]],
  ["CHANGELOG's top released entry", () => /^## \[(\d+\.\d+\.\d+)\]/m.exec(changelog)?.[1]],
])('%s names the version of package.json', (_where, found) => {
  expect(found()).toBe(version);
});

test('CHANGELOG has Unreleased on top, then the released versions, newest first, each with a date and a link', () => {
  const headings = [...changelog.matchAll(/^## \[([^\]]+)\](.*)$/gm)].map((m) => [m[1]!, m[2]!] as const);
  expect(headings[0]).toEqual(['Unreleased', '']);
  const released = headings.slice(1);
  expect(released.length).toBeGreaterThan(0);
  for (const [v, rest] of released) {
    expect(v).toMatch(/^\d+\.\d+\.\d+$/);
    expect(rest).toMatch(/^ - \d{4}-\d{2}-\d{2}$/);
    expect(changelog).toMatch(new RegExp(`^\\[${v.replace(/\./g, '\\.')}\\]: https://`, 'm'));
  }
  const order = released.map(([v]) => v.split('.').map(Number));
  const newestFirst = [...order].sort((a, b) => b[0]! - a[0]! || b[1]! - a[1]! || b[2]! - a[2]!);
  expect(order).toEqual(newestFirst);
  expect(changelog).toMatch(new RegExp(`^\\[Unreleased\\]: \\S+/compare/v${version.replace(/\./g, '\\.')}\\.\\.\\.HEAD$`, 'm'));
});

test("README's Versioning section makes the contract's promise and documents the release", () => {
  const section = readmeSection('Versioning');
  expect(section).toMatch(/only ever \*\*added\*\*, and only in minor versions/);
  expect(section).toMatch(/Within a major version no meaning changes/);
  expect(section).toMatch(/`@v1` moves with each release/);
  expect(section).toMatch(/### Releasing\n[\s\S]*Tag the commit `vX\.Y\.Z`[\s\S]*moves the major tag `vX`[\s\S]*npm\s+with provenance/);
});
