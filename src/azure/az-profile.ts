// What the az CLI's saved login says, read from its profile file: no process is spawned.

import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

type Env = Record<string, string | undefined>;

interface AzProfile {
  subscriptions?: { id?: unknown; isDefault?: unknown }[];
}

/** `${AZURE_CONFIG_DIR ?? ~/.azure}/azureProfile.json`, parsed; undefined when missing or unreadable. */
function readAzProfile(env: Env): AzProfile | undefined {
  const dir = env.AZURE_CONFIG_DIR || join(homedir(), '.azure');
  try {
    // az writes this file with a UTF-8 byte order mark
    const text = readFileSync(join(dir, 'azureProfile.json'), 'utf8').replace(/^\uFEFF/, '');
    const profile: unknown = JSON.parse(text);
    return typeof profile === 'object' && profile !== null ? (profile as AzProfile) : undefined;
  } catch {
    return undefined;
  }
}

function subscriptions(env: Env): { id?: unknown; isDefault?: unknown }[] {
  const list = readAzProfile(env)?.subscriptions;
  return Array.isArray(list) ? list : [];
}

/** The id of the az CLI's default subscription (`az account show`), when there is one. */
export function azCliDefaultSubscription(env: Env = process.env): string | undefined {
  const id = subscriptions(env).find((s) => s.isDefault === true)?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** True when an executable `az` is on PATH. */
function azOnPath(env: Env): boolean {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  return (env.PATH ?? env.Path ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => extensions.some((ext) => isExecutable(join(dir, `az${ext}`))));
}

/** True when `az` is on PATH and its profile holds at least one subscription (someone ran `az login`). */
export function azCliAvailable(env: Env = process.env): boolean {
  return azOnPath(env) && subscriptions(env).length > 0;
}
