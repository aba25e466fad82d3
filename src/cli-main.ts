#!/usr/bin/env node
import { main } from './cli.js';

main({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTty: Boolean(process.stdout.isTTY),
}).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`aks-acr-preflight failed: ${(err as Error).message}\n`);
    process.exitCode = 2;
  },
);
