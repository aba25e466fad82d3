// @ts-check
// Validates reports against schema/report.schema.json with ajv (draft 2020-12). The harness runs every
// report the end-to-end tests, the demo and the bench produce through validateReport, twice: against the
// schema as published (open objects, so later versions can add fields), and against the same schema
// with every open object closed, so a field the tool writes but the schema does not describe fails too.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';

/** The schema as shipped. */
export const REPORT_SCHEMA = JSON.parse(readFileSync(fileURLToPath(new URL('../../schema/report.schema.json', import.meta.url)), 'utf8'));

/**
 * The schema with `additionalProperties: true` turned into `false` everywhere: what the tool writes today,
 * exactly (free-form objects such as `evidence` say nothing about additional properties and stay open).
 * @template T
 * @param {T} node
 * @returns {T}
 */
export function closedSchema(node) {
  if (Array.isArray(node)) return /** @type {T} */ (node.map(closedSchema));
  if (node === null || typeof node !== 'object') return node;
  return /** @type {T} */ (Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'additionalProperties' && v === true ? false : closedSchema(v)])));
}

// ajv's CommonJS module, seen through ESM: the class is the default export at run time, `.default` for the types.
const Ajv2020 = /** @type {typeof Ajv2020Module.default} */ (/** @type {unknown} */ (Ajv2020Module));

/** Each variant in an Ajv of its own: both carry the schema's $id. @param {import('ajv').AnySchema} schema */
function compile(schema) {
  return new Ajv2020({ allErrors: true, strict: true }).compile(schema);
}

/** @type {{ open: import('ajv').ValidateFunction, closed: import('ajv').ValidateFunction } | undefined} */
let validators;

/**
 * Errors of a report against the schema as published (`open`) or closed: empty when it is valid.
 * @param {unknown} report
 * @param {'open' | 'closed'} [variant]
 * @returns {string[]}
 */
export function reportErrors(report, variant = 'open') {
  validators ??= { open: compile(REPORT_SCHEMA), closed: compile(closedSchema(REPORT_SCHEMA)) };
  const validate = validators[variant];
  if (validate(report)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/**
 * Throws when the report breaks schema/report.schema.json, as published or closed, listing ajv's errors.
 * @param {unknown} report
 * @param {string} [what] which report, for the message
 */
export function validateReport(report, what = 'the report') {
  for (const variant of /** @type {const} */ (['open', 'closed'])) {
    const errors = reportErrors(report, variant);
    if (errors.length) {
      const which = variant === 'open' ? 'schema/report.schema.json' : 'schema/report.schema.json with its open objects closed (a field the schema does not describe)';
      throw new Error(`${what} does not match ${which}:\n  ${errors.join('\n  ')}`);
    }
  }
}
