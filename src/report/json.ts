// The JSON report on disk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Report } from '../model.js';

/**
 * Writes the report. Synchronously, though callers await it: it is the last thing a run does, and one
 * small file costs far less written at once than in the five trips through Node's thread pool that
 * mkdir and writeFile make (tens of milliseconds on a busy runner).
 */
export async function writeReport(path: string, report: Report): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n', 'utf8');
}
