// The CLI adapter: the same engine, flags named like the action's inputs.
//   npx aks-acr-preflight --cluster aks1 --resource-group rg --registry myacr [--json]
// Exit status: 0 below the fail-on threshold, 1 at or above it, 2 for invalid input or a crash.
import { parseArgs } from 'node:util';
import { azCliAvailable, azCliDefaultSubscription } from './azure/az-profile.js';
import { createCredential } from './azure/credential.js';
import { requestGitHubIdToken } from './azure/github-oidc.js';
import { failsRun } from './checks/verdict.js';
import { INPUT_NAMES, INPUT_VALUES, InputError, parseConfig, type RawInputs } from './config.js';
import { runPreflight } from './engine.js';
import { INPUT_DOCS } from './inputs-doc.js';
import { loadManifests } from './manifests/index.js';
import type { Config } from './model.js';
import { writeJson, writeReport } from './report/json.js';
import { sarifLog } from './report/sarif.js';
import { renderText } from './report/text.js';
import { VERSION } from './version.js';

const KEYS = Object.keys(INPUT_NAMES) as (keyof RawInputs)[];
/** Inputs that take lists may be given as repeated flags. */
const LISTS = new Set<keyof RawInputs>(['cluster', 'registry', 'images', 'dnsServers', 'manifests']);

/** One help line: the flag, what it takes, its description from action.yml, and its default. */
function helpLine(flag: string, description: string): string {
  return `  ${flag.length < 34 ? flag.padEnd(34) : `${flag}  `}${description}`;
}

const INPUT_HELP = KEYS.map((k) => {
  const name = INPUT_NAMES[k];
  const doc = INPUT_DOCS[name];
  const flag = `--${name} <${INPUT_VALUES[k]}>${LISTS.has(k) ? '...' : ''}`;
  return helpLine(flag, `${doc?.description ?? ''}${doc?.default ? ` Default: ${doc.default}.` : ''}`);
});

/** Flags of the CLI alone (every other flag is an input of action.yml). */
export const CLI_ONLY_FLAGS = ['--json', '--no-color', '-h', '--help', '-v', '--version'];

const HELP = `aks-acr-preflight ${VERSION}: can this AKS cluster pull from this Azure Container Registry?

Usage: aks-acr-preflight --cluster <name|id> [--resource-group <rg>] --registry <name|login server|id> [options]

Options (the GitHub Action's inputs, described as in action.yml; ... : repeatable, or newline/comma separated):
${INPUT_HELP.join('\n')}
${helpLine('--json', 'print the JSON report instead of text')}
${helpLine('--no-color', 'no colour even on a terminal (also when NO_COLOR is set)')}
${helpLine('-h, --help', 'this help')}
${helpLine('-v, --version', 'the version')}

Exit status: 0 verdict below --fail-on, 1 at or above it, 2 invalid input or crash.
`;

export interface CliIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  /** where `manifests` are relative to (default: the process's working directory) */
  cwd?: string;
}

function rawInputs(values: Record<string, string | string[] | boolean | undefined>): RawInputs {
  const raw = {} as RawInputs;
  for (const k of KEYS) {
    const v = values[INPUT_NAMES[k]];
    raw[k] = Array.isArray(v) ? v.join('\n') : typeof v === 'string' ? v : '';
  }
  return raw;
}

export async function main(io: CliIo): Promise<number> {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    const options = Object.fromEntries([
      ...KEYS.map((k) => [INPUT_NAMES[k], { type: 'string' as const, multiple: LISTS.has(k) }]),
      ['json', { type: 'boolean' as const }],
      ['no-color', { type: 'boolean' as const }],
      ['help', { type: 'boolean' as const, short: 'h' }],
      ['version', { type: 'boolean' as const, short: 'v' }],
    ]);
    values = parseArgs({ args: io.argv, options, allowPositionals: false, strict: true }).values as typeof values;
  } catch (err) {
    io.stderr(`aks-acr-preflight: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) return io.stdout(HELP), 0;
  if (values.version) return io.stdout(`${VERSION}\n`), 0;

  let config: Config;
  try {
    const inputs = parseConfig(rawInputs(values), { env: io.env, azCliDefaultSubscription: () => azCliDefaultSubscription(io.env), azCliAvailable: () => azCliAvailable(io.env) });
    const read = await loadManifests(inputs, io.cwd ?? process.cwd());
    if (read.notice) io.stderr(`aks-acr-preflight: notice: ${read.notice}\n`);
    config = read.config;
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`aks-acr-preflight: ${err.message.replace(/Input '([^']+)'/g, "Flag '--$1'")}\n`);
      return 2;
    }
    throw err;
  }
  try {
    const credential = createCredential(config, io.env, { getIdToken: (aud) => requestGitHubIdToken(io.env, aud) });
    const report = await runPreflight(config, { credential, version: VERSION });
    if (values['report-path']) await writeReport(config.reportPath, report);
    if (config.sarifPath) writeJson(config.sarifPath, sarifLog(report, { srcRoot: process.cwd() }));
    io.stdout(values.json ? JSON.stringify(report, null, 2) + '\n' : renderText(report, io.isTty && !values['no-color'] && !io.env.NO_COLOR));
    return failsRun(report.result, config.failOn) ? 1 : 0;
  } catch (err) {
    io.stderr(`aks-acr-preflight failed: ${(err as Error).message}\n`);
    return 2;
  }
}
