// action.yml is the one source of the inputs' descriptions: the CLI's --help says the same, one line per
// flag with what it accepts, and the CLI takes exactly the action's inputs plus its own few flags.
import { readFileSync } from 'node:fs';
import { ACTION_YML, INPUTS_DOC, parseInputs, render } from '../../scripts/inputs-doc.mjs';
import { CLI_ONLY_FLAGS, main } from '../../src/cli.js';
import { INPUT_NAMES, INPUT_VALUES, InputError, parseConfig, type RawInputs } from '../../src/config.js';

const inputs = parseInputs(readFileSync(ACTION_YML, 'utf8'));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main({ argv, env: {}, stdout: (s) => (out += s), stderr: (s) => (err += s), isTty: false });
  return { code, out, err };
}

let help = '';
beforeAll(async () => {
  const r = await cli(['--help']);
  expect(r.code).toBe(0);
  help = r.out;
});

test('src/inputs-doc.ts is what scripts/inputs-doc.mjs makes of action.yml now (else run: node scripts/inputs-doc.mjs)', () => {
  expect(readFileSync(INPUTS_DOC, 'utf8')).toBe(render(inputs));
});

test('the input names of the CLI are the inputs of action.yml, in the same order', () => {
  expect(Object.values(INPUT_NAMES)).toEqual(Object.keys(inputs));
});

test('every flag in the help is an input of action.yml or one of the CLI\'s own', () => {
  const flags = [...help.matchAll(/^ {2}(-[\w-]+)(?:, (--[\w-]+))?/gm)].flatMap((m) => [m[1], m[2]]).filter((f): f is string => Boolean(f));
  expect(flags.filter((f) => !CLI_ONLY_FLAGS.includes(f))).toEqual(Object.keys(inputs).map((n) => `--${n}`));
  expect(flags.filter((f) => CLI_ONLY_FLAGS.includes(f)).sort()).toEqual([...CLI_ONLY_FLAGS].sort());
});

test.each(Object.entries(inputs))('--%s: one help line, with what it takes and the description and default of action.yml', async (name, doc) => {
  expect(doc.description).not.toMatch(/\n/);
  const lines = help.split('\n').filter((l) => l.startsWith(`  --${name} `));
  expect(lines).toHaveLength(1);
  const key = (Object.keys(INPUT_NAMES) as (keyof RawInputs)[]).find((k) => INPUT_NAMES[k] === name)!;
  expect(lines[0]).toMatch(new RegExp(`^ {2}--${name} <${INPUT_VALUES[key].replace(/[|[\]]/g, '\\$&')}>(\\.\\.\\.)? +`));
  expect(lines[0]!.endsWith(doc.description + (doc.default ? ` Default: ${doc.default}.` : ''))).toBe(true);
  // and the CLI takes the flag
  expect((await cli([`--${name}`, 'x', '--help'])).code).toBe(0);
});

const CLUSTER_ID = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1';
const empty = Object.fromEntries(Object.keys(INPUT_NAMES).map((k) => [k, ''])) as unknown as RawInputs;

/** What parseConfig says a bad value of `key` may be ("Accepted: a, b, c."). */
function accepted(key: keyof RawInputs): string[] {
  try {
    parseConfig({ ...empty, cluster: CLUSTER_ID, registry: 'myacr', auth: 'azure-cli', [key]: 'no-such-value' }, { env: {}, azCliAvailable: () => true });
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return /Accepted: (.*)\.$/.exec((err as Error).message)?.[1]?.split(', ') ?? [];
  }
  throw new Error(`${key}: no-such-value was accepted`);
}

test.each<[keyof RawInputs]>([['failOn'], ['cloud'], ['auth'], ['summary']])('%s: the help lists exactly the values the parser accepts, and action.yml names each', (key) => {
  const values = INPUT_VALUES[key].split('|');
  expect([...new Set(accepted(key).map((v) => v.toLowerCase()))]).toEqual(values.map((v) => v.toLowerCase()));
  for (const v of values) expect(inputs[INPUT_NAMES[key]]?.description).toContain(v);
});
