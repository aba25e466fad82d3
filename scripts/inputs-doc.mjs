#!/usr/bin/env node
// @ts-check
// action.yml is the one source of the inputs' descriptions: this writes src/inputs-doc.ts from it, which
// the CLI's --help is built from. Run it after changing an input in action.yml:
//   node scripts/inputs-doc.mjs            rewrite src/inputs-doc.ts
//   node scripts/inputs-doc.mjs --check    exit 1 when src/inputs-doc.ts is out of date
// A unit test (__tests__/unit/cli-help.test.ts) fails while the two disagree.
// Reads only the shape action.yml uses (each key on one line, scalars plain or quoted), and refuses
// anything else, so every description stays one line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ACTION_YML = join(ROOT, 'action.yml');
export const INPUTS_DOC = join(ROOT, 'src', 'inputs-doc.ts');

/**
 * @typedef {{ description: string, required: boolean, default?: string }} InputDoc
 */

/** A one-line YAML scalar: 'single quoted' ('' is a quote), "double quoted" (JSON escapes) or plain. */
/** @param {string} raw @param {number} line */
function scalar(raw, line) {
  const s = raw.trim();
  if (/^'(?:[^']|'')*'$/.test(s)) return s.slice(1, -1).replace(/''/g, "'");
  if (/^"(?:[^"\\]|\\.)*"$/.test(s)) return JSON.parse(s);
  if (s === '' || /^[|>]/.test(s) || /^['"]/.test(s)) throw new Error(`action.yml line ${line}: keep the value on one line (${s || 'empty'})`);
  return s;
}

/** The inputs of action.yml, in order. @param {string} text @returns {Record<string, InputDoc>} */
export function parseInputs(text) {
  const lines = text.split(/\r?\n/);
  const start = lines.indexOf('inputs:');
  if (start < 0) throw new Error('action.yml has no top-level inputs:');
  /** @type {Record<string, InputDoc>} */
  const inputs = {};
  /** @type {InputDoc | undefined} */
  let current;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!line.startsWith(' ')) break; // the next top-level key
    const name = /^ {2}([a-z][a-z0-9-]*):\s*$/.exec(line);
    const field = /^ {4}(description|required|default|deprecationMessage):(.*)$/.exec(line);
    if (name) {
      current = { description: '', required: false };
      inputs[name[1] ?? ''] = current;
    } else if (field && current) {
      const value = scalar(field[2] ?? '', i + 1);
      if (field[1] === 'description') current.description = value;
      if (field[1] === 'required') current.required = value === 'true';
      if (field[1] === 'default') current.default = value;
    } else {
      throw new Error(`action.yml line ${i + 1}: not of the one-line shape scripts/inputs-doc.mjs reads: ${line.trim()}`);
    }
  }
  for (const [name, doc] of Object.entries(inputs)) if (!doc.description) throw new Error(`action.yml: input ${name} has no description`);
  return inputs;
}

/** The TypeScript module. @param {Record<string, InputDoc>} inputs */
export function render(inputs) {
  const entries = Object.entries(inputs).map(([name, doc]) => `  ${JSON.stringify(name)}: ${JSON.stringify(doc)},`);
  return [
    '// Generated from action.yml by scripts/inputs-doc.mjs: do not edit. Change action.yml, then run',
    '// `node scripts/inputs-doc.mjs` (a unit test fails while the two disagree).',
    '',
    'export interface InputDoc {',
    '  description: string;',
    '  required: boolean;',
    '  default?: string;',
    '}',
    '',
    '/** Every input of action.yml, in its order. */',
    'export const INPUT_DOCS: Readonly<Record<string, InputDoc>> = {',
    ...entries,
    '};',
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const want = render(parseInputs(readFileSync(ACTION_YML, 'utf8')));
  if (process.argv.includes('--check')) {
    if (readFileSync(INPUTS_DOC, 'utf8') !== want) {
      console.error('src/inputs-doc.ts is out of date with action.yml: run node scripts/inputs-doc.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(INPUTS_DOC, want);
  }
}
