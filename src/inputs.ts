// The only place that reads action inputs: the runner's INPUT_* variables → parseConfig.

import * as core from '@actions/core';
import { azCliAvailable, azCliDefaultSubscription } from './azure/az-profile.js';
import { INPUT_NAMES, parseConfig, type RawInputs } from './config.js';
import { azureUnavailableOn } from './github/event.js';
import type { Config } from './model.js';

/** Reads every input of action.yml and parses it; throws InputError naming the first invalid input. */
export function getInputs(): Config {
  const raw = Object.fromEntries(
    Object.entries(INPUT_NAMES).map(([key, name]) => [key, core.getInput(name)]),
  ) as unknown as RawInputs;
  const env = process.env;
  const azureUnavailable = azureUnavailableOn(env);
  return parseConfig(raw, {
    env,
    azCliDefaultSubscription: () => azCliDefaultSubscription(env),
    azCliAvailable: () => azCliAvailable(env),
    ...(azureUnavailable && { azureUnavailable }),
  });
}
