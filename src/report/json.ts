// The JSON report on disk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Report } from '../model.js';

/**
 * Writes the report, synchronously: it is the last thing a run does (and what a crash handler does), and
 * one small file costs far less written at once than in the trips through Node's thread pool that mkdir
 * and writeFile make (tens of milliseconds on a busy runner).
 */
export function writeReport(path: string, report: Report): void {
  writeJson(path, report);
}

/** Any JSON file the run writes (the report, the SARIF log), the same way. */
export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n', 'utf8');
}
