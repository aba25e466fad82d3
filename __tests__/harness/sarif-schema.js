// @ts-check
// Validates SARIF logs against the official SARIF 2.1.0 JSON Schema shipped in schema/ (draft-04, so
// ajv-draft-04, with ajv-formats for its uri and date-time formats).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';

/** The schema as shipped (see schema/SARIF-SCHEMA-LICENSE.md). */
export const SARIF_SCHEMA = JSON.parse(readFileSync(fileURLToPath(new URL('../../schema/sarif-2.1.0-rtm.5.json', import.meta.url)), 'utf8'));

// CommonJS modules seen through ESM: the class / function is the default export at run time.
const Ajv04 = /** @type {typeof Ajv04Module.default} */ (/** @type {unknown} */ (Ajv04Module));
const addFormats = /** @type {typeof addFormatsModule.default} */ (/** @type {unknown} */ (addFormatsModule));

/** @type {import('ajv').ValidateFunction | undefined} */
let validate;

/**
 * Errors of a log against the schema: empty when it is valid.
 * @param {unknown} log
 * @returns {string[]}
 */
export function sarifErrors(log) {
  if (!validate) {
    // the schema's `language` pattern is not a valid regular expression with the u flag
    const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validate = ajv.compile(SARIF_SCHEMA);
  }
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}
